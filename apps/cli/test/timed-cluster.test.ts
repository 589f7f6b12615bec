/**
 * The timed latencies' per-trial moments (SEMANTICS.md 15.5 of @naplab/isa) on the built-in
 * power8-cede scenario: both WebAssembly builds give exactly the reference engine's values, the
 * moments are the sums over the trials run one by one, the dispatch block is every `wakeup_to_*`
 * counter together, a split run merges to the whole run, and `timedRunInput` hands them to the
 * report (and, for results without them, falls back).
 */
import { createWasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import {
  type Image,
  type LatencyStats,
  mergeAggregates,
  POWER8_COST_MODEL,
  type RunOptions,
} from '@naplab/isa';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import type { Results } from '@naplab/runner';
import { describe, expect, it } from 'vitest';
import { timedRunInput } from '../src/timed.js';

const image = (variant: 'buggy' | 'fixed'): Image =>
  compileScenario({ ...getBuiltinScenario('power8-cede'), variant });
const opts = (from: number, to: number): RunOptions => ({
  memory: 'sc',
  scheduler: { kind: 'timed', cost: POWER8_COST_MODEL, watchdogThresh: 10 },
  seed: 77,
  from,
  to,
  record: 'none',
});
const TRIALS = 300;
const builds = [createWasmEngine({ build: 'debug' }), createWasmEngine({ build: 'release' })];

describe('timed per-trial latency moments on power8-cede', () => {
  for (const variant of ['buggy', 'fixed'] as const) {
    it(`${variant}: reference and wasm (debug, release) agree, and the moments are per-trial sums`, () => {
      const img = image(variant);
      const ref = referenceEngine.runTrials(img, opts(0, TRIALS)).aggregates;
      for (const e of builds) {
        expect(e.runTrials(img, opts(0, TRIALS)).aggregates).toStrictEqual(ref);
        // recording failures re-runs a failing trial: its samples still count once
        expect(e.runTrials(img, { ...opts(0, TRIALS), record: 'failures' }).aggregates).toStrictEqual(ref);
      }
      const t = ref.timed!;
      // the same sums from the trials one at a time
      const dispatch = img.counters.flatMap((c, i) => (c.startsWith('wakeup_to_') ? [i] : []));
      const want = (blocks: number[]) => {
        let sumSq = 0;
        let countSq = 0;
        let cross = 0;
        for (let i = 0; i < TRIALS; i++) {
          const lat = referenceEngine.runTrials(img, opts(i, i + 1)).aggregates.timed!.latency;
          const s = blocks.reduce((a, c) => a + lat[c]!.sum, 0);
          const m = blocks.reduce((a, c) => a + lat[c]!.n, 0);
          sumSq += s * s;
          countSq += m * m;
          cross += s * m;
        }
        return { trialSumSq: sumSq, trialCountSq: countSq, trialCross: cross };
      };
      const pick = (l: LatencyStats) => ({
        trialSumSq: l.trialSumSq,
        trialCountSq: l.trialCountSq,
        trialCross: l.trialCross,
      });
      const kvm = img.counters.indexOf('wakeup_to_kvm');
      expect(pick(t.latency[kvm]!)).toEqual(want([kvm]));
      expect(pick(t.dispatch!)).toEqual(want(dispatch));
      // several wakeups per trial: Σm² > Σm, so the trials really are clusters
      expect(t.dispatch!.trialCountSq!).toBeGreaterThan(t.dispatch!.n);
      expect(t.dispatch!.n).toBe(dispatch.reduce((a, c) => a + t.latency[c]!.n, 0));
      expect(t.dispatch!.sum).toBe(dispatch.reduce((a, c) => a + t.latency[c]!.sum, 0));
    });
  }

  it('a split run merges to the whole run (reference and wasm)', () => {
    const img = image('buggy');
    for (const e of [referenceEngine, builds[1]!]) {
      const whole = e.runTrials(img, opts(0, 400)).aggregates;
      const a = e.runTrials(img, opts(0, 170)).aggregates;
      const b = e.runTrials(img, opts(170, 400)).aggregates;
      expect(mergeAggregates(a, b)).toStrictEqual(whole);
    }
  });

  it('timedRunInput: the moments with the run trial count; none for results without them', () => {
    const img = image('fixed');
    const agg = referenceEngine.runTrials(img, opts(0, TRIALS)).aggregates;
    const input = timedRunInput('fixed', 'fixed', 100, img, { aggregates: agg } as Results);
    const d = agg.timed!.dispatch!;
    expect(input.perWakeup.trialMoments).toEqual({
      trials: TRIALS,
      sumSq: d.trialSumSq,
      countSq: d.trialCountSq,
      cross: d.trialCross,
    });
    expect(input.paths.wakeup_to_kvm!.trialMoments!.trials).toBe(TRIALS);
    const old = structuredClone(agg);
    delete old.timed!.dispatch;
    for (const l of old.timed!.latency) {
      delete l.trialSumSq;
      delete l.trialCountSq;
      delete l.trialCross;
    }
    const o = timedRunInput('fixed', 'fixed', 100, img, { aggregates: old } as Results);
    expect(o.perWakeup).not.toHaveProperty('trialMoments');
    expect(o.paths.wakeup_to_kvm).not.toHaveProperty('trialMoments');
    expect([o.perWakeup.n, o.perWakeup.sum]).toEqual([input.perWakeup.n, input.perWakeup.sum]);
    // without the dispatch block the per-counter moments alone do not make the all-paths ones
    const noDispatch = structuredClone(agg);
    delete noDispatch.timed!.dispatch;
    const nd = timedRunInput('fixed', 'fixed', 100, img, { aggregates: noDispatch } as Results);
    expect(nd.perWakeup).not.toHaveProperty('trialMoments');
    expect(nd.paths.wakeup_to_kvm!.trialMoments).toBeDefined();
  });
});
