/**
 * The `power9-cpuidle` scenario (cpuidle: 'power9', model/idle_power9.s): online cpuidle wakeups
 * see IN_KERNEL, so fixed and buggy skip the wakeup sync there, baseline never does; under POWER8
 * cpuidle the same machine's idle wakeups all sync. Uniform and timed trials, reference engine.
 */
import { referenceEngine } from '@naplab/engine-ref';
import { POWER8_COST_MODEL } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { compileScenario, getBuiltinScenario, type WAKEUP_VARIANTS } from './index.js';

type Variant = (typeof WAKEUP_VARIANTS)[number];
const image = (variant: Variant, cpuidle: 'power8' | 'power9' = 'power9') =>
  compileScenario({ ...getBuiltinScenario('power9-cpuidle'), variant, cpuidle });

function counts(variant: Variant, cpuidle: 'power8' | 'power9', timed: boolean) {
  const img = image(variant, cpuidle);
  const r = referenceEngine.runTrials(img, {
    memory: 'sc',
    scheduler: timed ? { kind: 'timed', cost: POWER8_COST_MODEL, watchdogThresh: 10 } : { kind: 'uniform' },
    seed: 9,
    from: 0,
    to: 60,
    record: 'none',
  });
  const c = (name: string) => r.aggregates.counters[img.counters.indexOf(name)] ?? 0;
  const lat = (name: string) => r.aggregates.timed?.latency[img.counters.indexOf(name)];
  return {
    wakeups: c('wakeup'),
    skip: c('wakeup_skip_sync'),
    sync: c('wakeup_sync'),
    agg: r.aggregates,
    dispatch: [lat('wakeup_to_kvm'), lat('wakeup_to_host')],
  };
}

describe('power9-cpuidle', () => {
  it('links the POWER9 cpuidle loop only when asked', () => {
    expect(image('fixed').labels.power9_idle_stop).toBeGreaterThan(0);
    expect(image('fixed', 'power8').labels.power9_idle_stop).toBeUndefined();
  });

  it('fixed skips the sync on most wakeups (the idle cpus), baseline on none', () => {
    const fixed = counts('fixed', 'power9', false);
    const baseline = counts('baseline', 'power9', false);
    expect(fixed.wakeups).toBeGreaterThan(0);
    expect(fixed.skip + fixed.sync).toBe(fixed.wakeups);
    expect(fixed.skip / fixed.wakeups).toBeGreaterThan(0.5);
    expect(baseline.skip).toBe(0);
    expect(baseline.sync).toBe(baseline.wakeups);
    expect(fixed.agg.outcomes.ok).toBe(60);
  });

  it('with POWER8 cpuidle the idle cpus store IN_IDLE, so they sync like the baseline', () => {
    const p8 = counts('fixed', 'power8', false);
    const p9 = counts('fixed', 'power9', false);
    expect(p8.skip / p8.wakeups).toBeLessThan(0.1);
    expect(p9.skip / p9.wakeups).toBeGreaterThan(0.5);
  });

  it('timed: fixed costs fewer cycles per wakeup than baseline, and neither locks up', () => {
    const perWakeup = (v: Variant) => {
      const r = counts(v, 'power9', true);
      expect(r.agg.outcomes.lockup).toBe(0);
      const [kvm, host] = r.dispatch;
      return (kvm!.sum + host!.sum) / (kvm!.n + host!.n);
    };
    // the baseline's wakeup path: li, stb, sync (100 with the default model), count, lbz, ...
    expect(perWakeup('baseline')).toBeGreaterThan(100);
    expect(perWakeup('fixed')).toBeLessThan(perWakeup('baseline') - 40);
  });
});
