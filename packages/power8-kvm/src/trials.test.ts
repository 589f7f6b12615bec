/**
 * power8-cede (the default scenario) under the uniform scheduler on the reference engine: the
 * buggy wakeup section shows lockups within a few hundred trials, baseline and fixed none in the
 * trials run here (the lead runs 100 000 per variant on the WebAssembly engine).
 */
import { referenceEngine, replayTrial } from '@naplab/engine-ref';
import { describe, expect, it } from 'vitest';
import { compileScenario, getBuiltinScenario, type WAKEUP_VARIANTS } from './index.js';

const image = (variant: (typeof WAKEUP_VARIANTS)[number]) =>
  compileScenario({ ...getBuiltinScenario('power8-cede'), variant });
const run = (variant: (typeof WAKEUP_VARIANTS)[number], to: number) =>
  referenceEngine.runTrials(image(variant), {
    memory: 'sc',
    scheduler: { kind: 'uniform' },
    seed: 2018,
    from: 0,
    to,
    record: 'failures',
    maxFailures: 5,
  });
const counter = (variant: (typeof WAKEUP_VARIANTS)[number], counters: number[], name: string) =>
  counters[image(variant).counters.indexOf(name)] ?? 0;

describe('power8-cede, uniform trials', () => {
  it('buggy: lockups of the primary, reported by ksmd, and each replays from its schedule', () => {
    const r = run('buggy', 300);
    const a = r.aggregates;
    expect(a.outcomes.lockup).toBeGreaterThan(0);
    expect(a.outcomes.limit).toBe(0);
    expect(a.outcomes.lockup + a.outcomes.ok).toBe(300);
    expect(counter('buggy', a.counters, 'stale_return')).toBe(a.outcomes.lockup);
    for (const t of r.trials) {
      expect(t.detail.message).toBe('watchdog: CPU 0 detected hard LOCKUP on other CPUs 4');
      const again = replayTrial(image('buggy'), 'sc', t.schedule);
      expect(again.outcome).toBe('lockup');
      expect(again.steps).toBe(t.steps);
      expect(again.detail).toEqual(t.detail);
    }
  });

  it.each(['baseline', 'fixed'] as const)(
    '%s: no lockup in 3000 trials',
    (variant) => {
      const a = run(variant, 3000).aggregates;
      expect(a.outcomes).toEqual({ ok: 3000, lockup: 0, lost: 0, assert: 0, limit: 0 });
      // every pass through the wakeup section either syncs or skips the sync, and goes somewhere
      const c = (n: string) => counter(variant, a.counters, n);
      expect(c('wakeup')).toBe(c('wakeup_sync') + c('wakeup_skip_sync'));
      expect(c('wakeup')).toBe(c('wakeup_to_kvm') + c('wakeup_to_host'));
      expect(a.maxSteps).toBeLessThan(getBuiltinScenario('power8-cede').limits!.maxSteps!);
    },
    120_000,
  );
});
