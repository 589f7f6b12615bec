/**
 * The per-trial second moments of `BatchAggregates` (SEMANTICS.md 12.5 of @naplab/isa: Σ wakeups²,
 * and per named counter Σc², Σc·wakeups, Σa·b per counter pair) on the built-in power8-cede
 * scenario: the WebAssembly engine gives exactly the reference engine's values under every
 * scheduler that aggregates, they are the sums over the recorded trials, and they merge exactly.
 */
import { createWasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import {
  type BatchAggregates,
  CROSS_MAX_COUNTERS,
  counterPairIndex,
  type Image,
  mergeAggregates,
  POWER8_COST_MODEL,
  type RunOptions,
  type SchedulerSpec,
  type TrialResult,
} from '@naplab/isa';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import type { Results } from '@naplab/runner';
import { describe, expect, it } from 'vitest';
import { wakeupMoments } from '../src/variant-input.js';

const wasm = createWasmEngine();
const image = (variant: 'buggy' | 'baseline'): Image =>
  compileScenario({ ...getBuiltinScenario('power8-cede'), variant });

const opts = (scheduler: SchedulerSpec, from: number, to: number): RunOptions => ({
  memory: 'sc',
  scheduler,
  seed: 2018,
  from,
  to,
  record: 'all',
});

/** The moments summed directly over recorded trials. */
function momentsOf(trials: TrialResult[], nCounters: number) {
  const sq = new Array(nCounters).fill(0);
  const cw = new Array(nCounters).fill(0);
  const cross = new Array((nCounters * (nCounters - 1)) / 2).fill(0);
  let wakeupsSq = 0;
  for (const t of trials) {
    wakeupsSq += t.wakeups ** 2;
    for (let a = 0; a < nCounters; a++) {
      sq[a] += t.counters[a]! ** 2;
      cw[a] += t.counters[a]! * t.wakeups;
      for (let b = a + 1; b < nCounters; b++)
        cross[counterPairIndex(nCounters, a, b)] += t.counters[a]! * t.counters[b]!;
    }
  }
  return { wakeupsSq, countersSq: sq, countersWakeups: cw, countersCross: cross };
}

const pick = (a: BatchAggregates) => ({
  wakeupsSq: a.wakeupsSq,
  countersSq: a.countersSq,
  countersWakeups: a.countersWakeups,
  countersCross: a.countersCross,
});

const SCHEDULERS: [string, SchedulerSpec, number][] = [
  ['uniform', { kind: 'uniform' }, 400],
  ['pct', { kind: 'pct', depth: 2, k: 2000 }, 200],
  ['timed', { kind: 'timed', cost: POWER8_COST_MODEL, watchdogThresh: 10 }, 100],
];

describe('per-trial second moments on power8-cede: reference and wasm agree', () => {
  it('has few enough counters for countersCross', () => {
    expect(image('buggy').counters.length).toBeLessThanOrEqual(CROSS_MAX_COUNTERS);
  });

  for (const variant of ['buggy', 'baseline'] as const) {
    for (const [name, scheduler, trials] of SCHEDULERS) {
      it(`${variant}, ${name} scheduler`, () => {
        const img = image(variant);
        const ref = referenceEngine.runTrials(img, opts(scheduler, 0, trials));
        const w = wasm.runTrials(img, opts(scheduler, 0, trials));
        expect(w.aggregates).toStrictEqual(ref.aggregates);
        expect(w.trials).toStrictEqual(ref.trials);
        // the moments are the sums over the trials, and they are not trivially zero
        const want = momentsOf(ref.trials, img.counters.length);
        expect(pick(ref.aggregates)).toEqual(want);
        expect(want.wakeupsSq).toBeGreaterThan(ref.aggregates.wakeups);
        const sync = img.counters.indexOf('wakeup_sync');
        const wake = img.counters.indexOf('wakeup');
        expect(want.countersSq[sync]).toBeGreaterThan(0);
        expect(want.countersCross[counterPairIndex(img.counters.length, sync, wake)]).toBeGreaterThan(0);
      });
    }
  }

  it('a split run merges to the whole run (wasm, uniform)', () => {
    const img = image('buggy');
    const whole = wasm.runTrials(img, { ...opts({ kind: 'uniform' }, 0, 600), record: 'none' });
    const a = wasm.runTrials(img, { ...opts({ kind: 'uniform' }, 0, 250), record: 'none' });
    const b = wasm.runTrials(img, { ...opts({ kind: 'uniform' }, 250, 600), record: 'none' });
    expect(mergeAggregates(a.aggregates, b.aggregates)).toStrictEqual(whole.aggregates);
  });
});

describe('wakeupMoments: what compare hands the report', () => {
  it('the per-trial sums of the wakeup, wakeup_sync and wakeup_skip_sync counters; none for old results', () => {
    const img = image('buggy');
    const r = referenceEngine.runTrials(img, opts({ kind: 'uniform' }, 0, 300));
    const at = (name: string) => img.counters.indexOf(name);
    const sum = (f: (t: TrialResult) => number) => r.trials.reduce((s, t) => s + f(t), 0);
    const c = (t: TrialResult, name: string) => t.counters[at(name)]!;
    const results = { aggregates: r.aggregates } as Results;
    expect(wakeupMoments(img, results)).toEqual({
      wakeupsSq: sum((t) => c(t, 'wakeup') ** 2),
      syncsSq: sum((t) => c(t, 'wakeup_sync') ** 2),
      syncsWakeups: sum((t) => c(t, 'wakeup_sync') * c(t, 'wakeup')),
      skipsSq: sum((t) => c(t, 'wakeup_skip_sync') ** 2),
      skipsWakeups: sum((t) => c(t, 'wakeup_skip_sync') * c(t, 'wakeup')),
    });
    const { countersSq, countersCross, ...old } = r.aggregates;
    expect(wakeupMoments(img, { aggregates: old } as Results)).toBeUndefined();
  });
});
