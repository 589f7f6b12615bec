/**
 * power8-cede-small, exhaustively, with the wakeup section of 8c1c7fb0b5ec ("buggy"): the lockup of
 * PROTOCOL section 4 is reachable under sc and tso, and the violation the search reports is that
 * chain. Counts: see README.md (measured state and transition counts).
 */
import { describe, expect, it } from 'vitest';
import { KVM_HWTHREAD_IN_KERNEL } from './index.js';
import { EXPLORE_TIMEOUT, explored, find, replayNamed } from './trace.test-helpers.js';

const EXPECTED: Record<'sc' | 'tso', { states: number; transitions: number }> = {
  sc: { states: 156998, transitions: 435474 },
  tso: { states: 366736, transitions: 1236589 },
};

describe.each(['sc', 'tso'] as const)('buggy under %s', (memory) => {
  it(
    'is violated: ksmd waits forever for the primary',
    () => {
      const { result } = explored('buggy', memory);
      expect(result.holds).toBe(false);
      expect(result.cut).toBe(false);
      expect({ states: result.states, transitions: result.transitions }).toEqual(EXPECTED[memory]);
      expect(result.violation?.outcome).toBe('lockup');
      expect(result.violation?.detail).toEqual({
        waiting: 0,
        stuck: [2],
        message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 2',
      });
    },
    EXPLORE_TIMEOUT,
  );

  it(
    "and the violation's schedule is the chain of PROTOCOL section 4",
    () => {
      const { image, result } = explored('buggy', memory);
      const { result: trial, events } = replayNamed(image, memory, result.violation!.schedule);
      expect(trial.outcome).toBe('lockup');
      expect(trial.detail.message).toBe('watchdog: CPU 0 detected hard LOCKUP on other CPUs 2');
      const P = 2;
      // 1-2. the primary enters the guest; nobody ever writes its hwthread_state, so it is still the
      //      IN_KERNEL of its last host idle wakeup
      const enters = find(events, { cpu: P, kind: 'mark', textHas: 'primary enters the guest' });
      expect(enters).toBeGreaterThanOrEqual(0);
      expect(events.filter((e) => e.sym === 'HSTATE_HWTHREAD_STATE@cpu2' && e.kind === 'store')).toEqual([]);
      expect(KVM_HWTHREAD_IN_KERNEL).toBe(0);
      // 3. its vcpu cedes while the secondary is in the guest: kvm_do_nap stores hwthread_req = 1 and naps
      const cedeReq = find(
        events,
        { cpu: P, kind: 'store', sym: 'HSTATE_HWTHREAD_REQ@cpu2', value: 1 },
        enters,
      );
      expect(cedeReq).toBeGreaterThan(enters);
      expect(events[cedeReq]!.at.startsWith('kvm_do_nap')).toBe(true);
      const secondaryEntered = find(events, { cpu: 3, kind: 'stwcx', sym: 'vcore_2[0]' });
      expect(secondaryEntered).toBeGreaterThanOrEqual(0);
      expect(secondaryEntered).toBeLessThan(cedeReq);
      const nap = find(events, { cpu: P, kind: 'nap' }, cedeReq);
      expect(nap).toBeGreaterThan(cedeReq);
      // 4. a wake event arrives; the wakeup section sees IN_KERNEL, skips the hwthread_req test and
      //    takes the host-idle return through the stale PACAR1 frame: the primary is lost
      const wake = find(events, { cpu: P, kind: 'wake' }, nap);
      expect(wake).toBeGreaterThan(nap);
      const skipped = find(events, { cpu: P, kind: 'mark', textHas: 'hwthread_req test skipped' }, wake);
      expect(skipped).toBeGreaterThan(wake);
      const stale = find(events, { cpu: P, kind: 'mark', textHas: 'stale host-idle return' }, skipped);
      expect(stale).toBeGreaterThan(skipped);
      const lost = find(events, { cpu: P, kind: 'lost' }, stale);
      expect(lost).toBeGreaterThan(stale);
      expect(
        events.slice(skipped, lost).some((e) => e.sym === 'HSTATE_HWTHREAD_REQ@cpu2' && e.kind === 'load'),
      ).toBe(false);
      expect(trial.counters[image.counters.indexOf('stale_return')]).toBe(1);
      // 5. ksmd's smp_call_function_many waits forever for CPU 2's IPI handler to unlock its csd
      const ksmdWaits = events.filter((e) => e.cpu === 0 && e.kind === 'await-blocked');
      expect(ksmdWaits.at(-1)?.sym).toBe('CSD_FLAGS@cpu2');
      expect(events.some((e) => e.cpu === P && e.at === 'smp_ipi_demux')).toBe(false);
    },
    EXPLORE_TIMEOUT,
  );
});
