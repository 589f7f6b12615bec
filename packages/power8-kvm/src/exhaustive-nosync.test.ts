/**
 * power8-cede-small, exhaustively, with the ablation "nosync" (baseline without the sync of the
 * wakeup section): it holds under sequential consistency, and loses a secondary under tso, where
 * a secondary's store of IN_KERNEL can still sit in its store buffer when the grab, after its
 * sync, reads the secondary's state, while the secondary read hwthread_req before the grab's store
 * was visible: each reads the other's old value (PROTOCOL section 5). Counts: README.md.
 */
import { describe, expect, it } from 'vitest';
import { KVM_HWTHREAD_IN_IDLE, KVM_HWTHREAD_IN_KERNEL } from './index.js';
import { EXPLORE_TIMEOUT, explored, find, findLast, replayNamed } from './trace.test-helpers.js';

describe('nosync', () => {
  it(
    'holds under sc',
    () => {
      const { result } = explored('nosync', 'sc');
      expect(result.holds).toBe(true);
      expect(result.cut).toBe(false);
      expect({ states: result.states, transitions: result.transitions }).toEqual({
        states: 249184,
        transitions: 694652,
      });
    },
    EXPLORE_TIMEOUT,
  );

  it(
    'is violated under tso: the primary waits forever for a secondary that missed its request',
    () => {
      const { image, result } = explored('nosync', 'tso');
      expect(result.holds).toBe(false);
      expect(result.cut).toBe(false);
      expect({ states: result.states, transitions: result.transitions }).toEqual({
        states: 734200,
        transitions: 2573392,
      });
      expect(result.violation?.outcome).toBe('lockup');
      // ksmd waits for the primary, which waits (kvmppc_wait_for_nap) for the secondary
      expect(result.violation?.detail.waiting).toBe(0);
      expect(result.violation?.detail.stuck).toEqual([2, 3]);

      const { result: trial, events } = replayNamed(image, 'tso', result.violation!.schedule);
      expect(trial.outcome).toBe('lockup');
      const P = 2;
      const S = 3;
      // The store-buffering race (SB): each thread stores, then loads the other's field ...
      const grabStore = find(events, { cpu: P, kind: 'store', sym: 'HSTATE_HWTHREAD_REQ@cpu3', value: 1 });
      const grabbed = find(
        events,
        { cpu: P, kind: 'await-passed', sym: 'HSTATE_HWTHREAD_STATE@cpu3', value: KVM_HWTHREAD_IN_IDLE },
        grabStore,
      );
      const wakeStore = findLast(
        events,
        { cpu: S, kind: 'store', sym: 'HSTATE_HWTHREAD_STATE@cpu3', value: KVM_HWTHREAD_IN_KERNEL },
        grabbed,
      );
      expect(events[wakeStore]?.at.startsWith('pnv_powersave_wakeup_kvm')).toBe(true);
      const missed = find(events, { cpu: S, kind: 'load', sym: 'HSTATE_HWTHREAD_REQ@cpu3' }, wakeStore);
      expect(events[missed]?.value).toBe(0);
      expect(events[grabStore]?.buffered).toBe(true);
      expect(events[wakeStore]?.buffered).toBe(true);
      // ... and each load reads the old value, because the other's store is still in its buffer:
      // the secondary reads hwthread_req == 0 before the grab's store drains, and the grab reads
      // IN_IDLE after the secondary stored IN_KERNEL but before that store drains
      const drained = (cpu: number, sym: string, from: number) =>
        find(events, { cpu, kind: 'drain', sym }, from);
      expect(drained(P, 'HSTATE_HWTHREAD_REQ@cpu3', grabStore)).toBeGreaterThan(missed);
      expect(grabbed).toBeGreaterThan(wakeStore);
      expect(drained(S, 'HSTATE_HWTHREAD_STATE@cpu3', wakeStore)).toBeGreaterThan(grabbed);
      // the secondary goes back to its offline loop, clears the grab's doorbell and naps for good
      const msgclr = find(events, { cpu: S, kind: 'msgclr' }, Math.max(missed, grabbed));
      expect(events[msgclr]?.at.startsWith('pnv_cpu_offline_return')).toBe(true);
      expect(find(events, { cpu: S, kind: 'nap' }, msgclr)).toBeGreaterThan(msgclr);
      expect(events.filter((e) => e.cpu === P && e.kind === 'await-blocked').at(-1)?.sym).toBe(
        'HSTATE_KVM_VCORE@cpu3',
      );
    },
    EXPLORE_TIMEOUT,
  );
});
