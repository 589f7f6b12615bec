/**
 * buildTimedReport on hand-computed sums: means and Student-t intervals of cycles per wakeup,
 * lockups per hour (Garwood) and the mean time to lockup, the rule-of-three bound, differences.
 */
import { describe, expect, it } from 'vitest';
import {
  buildTimedReport,
  cyclesPerWakeupChart,
  type LatencyInput,
  type TimedRunInput,
  timedTextLines,
} from './timed.js';

const lat = (values: number[]): LatencyInput => {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    sumSq: values.reduce((a, b) => a + b * b, 0),
    min: s[0] ?? 0,
    max: s[s.length - 1] ?? 0,
    p50: s[Math.ceil(0.5 * s.length) - 1] ?? 0,
    p90: s[Math.ceil(0.9 * s.length) - 1] ?? 0,
    p99: s[Math.ceil(0.99 * s.length) - 1] ?? 0,
  };
};

function run(
  variant: string,
  syncCost: number,
  values: number[],
  lockups: number,
  skip: number,
): TimedRunInput {
  return {
    variant,
    label: variant,
    syncCost,
    trials: 100,
    lockups,
    // 3600 s of simulated time at 1 cycle/us: one hour
    cycles: 3600e6,
    wakeups: values.length,
    wakeupSync: values.length - skip,
    wakeupSkipSync: skip,
    paths: { wakeup_to_kvm: lat(values) },
    perWakeup: lat(values),
    watchdog: { reports: lockups, delaySum: lockups * 15e6, delayMin: 14e6, delayMax: 16e6 },
  };
}

/** A timed report of `runs` at one sync cost (100 cycles), 1 cycle per µs, watchdog at 10. */
const buildTest = (runs: TimedRunInput[]) =>
  buildTimedReport({
    costModel: 'test',
    cyclesPerUs: 1,
    watchdogThresh: 10,
    syncCosts: [100],
    confidence: 0.95,
    runs,
  });

describe('buildTimedReport', () => {
  const rep = buildTest([
    run('baseline', 100, [110, 110, 110, 110], 0, 0),
    run('buggy', 100, [10, 110, 10, 110], 4, 2),
    run('fixed', 100, [15, 110, 15, 110], 0, 2),
  ]);

  it('computes cycles per wakeup with a Student-t interval', () => {
    const f = rep.rows[2]!.cyclesPerWakeup;
    expect(f.mean).toBe(62.5);
    // sd = sqrt(((47.5^2) * 4) / 3) = 54.848..., se = 27.424..., t(0.975, 3) = 3.18245
    expect(f.lower!).toBeCloseTo(62.5 - 3.182446305 * 27.42413, 3);
    expect(f.upper!).toBeCloseTo(62.5 + 3.182446305 * 27.42413, 3);
    expect(rep.rows[0]!.cyclesPerWakeup.lower).toBe(110);
  });

  it('gives lockups per simulated hour and the mean time to lockup with Garwood bounds', () => {
    const b = rep.rows[1]!;
    expect(b.simulatedSeconds).toBe(3600);
    expect(b.lockupsPerHour.estimate).toBe(4);
    // Garwood 95% for k = 4: [1.0899, 10.2416]
    expect(b.lockupsPerHour.lower).toBeCloseTo(1.0899, 3);
    expect(b.lockupsPerHour.upper).toBeCloseTo(10.2416, 3);
    expect(b.meanTimeToLockup).toMatchObject({ estimate: 900, method: 'garwood' });
    expect(b.meanTimeToLockup.lower).toBeCloseTo(3600 / 10.2416, 1);
    expect(b.watchdog).toEqual({ reports: 4, meanDelay: 15, minDelay: 14, maxDelay: 16 });
  });

  it('bounds the mean time to lockup below by the rule of three without lockups', () => {
    const m = rep.rows[0]!.meanTimeToLockup;
    expect(m).toMatchObject({ estimate: null, upper: null, method: 'rule-of-three' });
    expect(m.lower).toBeCloseTo(3600 / 2.995732, 3);
  });

  it('compares baseline with fixed against sync cost x skip fraction', () => {
    const d = rep.differences.find((x) => x.a === 'baseline')!;
    expect(d.difference!.estimate).toBe(110 - 62.5);
    expect(d.expected!.estimate).toBe(100 * 0.5);
    const fb = rep.differences.find((x) => x.a === 'fixed')!;
    expect(fb.difference!.estimate).toBe(62.5 - 60);
  });

  it('plots one line per variant', () => {
    const svg = cyclesPerWakeupChart(rep);
    expect((svg.match(/<polyline /g) ?? []).length).toBe(3);
    expect(svg).toContain('sync cost (cycles)');
  });
});

describe('buildTimedReport: syncs per wakeup with trials as clusters', () => {
  // 4 trials of 10 wakeups each; two trials skip the sync on every wakeup, two never do:
  // 20 skips among 40 wakeups, perfectly correlated within a trial
  const clustered = (moments?: TimedRunInput['moments']): TimedRunInput => ({
    ...run('fixed', 100, new Array(40).fill(100), 0, 20),
    trials: 4,
    ...(moments ? { moments } : {}),
  });
  // Σ skips² = 2·10², Σ skips·wakeups = 2·10·10, Σ wakeups² = 4·10², syncs the same
  const moments = { wakeupsSq: 400, syncsSq: 200, syncsWakeups: 200, skipsSq: 200, skipsWakeups: 200 };
  const report = (m?: TimedRunInput['moments']) => buildTest([clustered(m)]).rows[0]!;

  it('uses the ratio estimator when the per-trial moments are known, Wilson otherwise', () => {
    const c = report(moments);
    const w = report();
    expect(c.skipSyncRate?.method).toBe('ratio-cluster');
    expect(w.skipSyncRate?.method).toBe('wilson');
    expect(c.skipSyncRate?.estimate).toBe(0.5);
    // residuals k_i - R·m_i = ±5 on each of 4 trials: Var(R) = 4·25 / (4·3·10²) = 1/12,
    // SE = 0.2887; t(0.975, 3) = 3.182: 0.5 ± 0.919, clipped to [0, 1]
    expect(c.skipSyncRate?.lower).toBe(0);
    expect(c.skipSyncRate?.upper).toBe(1);
    // Wilson on 20 of 40 as if independent: about [0.35, 0.65], far too narrow here
    expect(w.skipSyncRate!.upper - w.skipSyncRate!.lower).toBeLessThan(0.32);
    expect(c.syncsPerWakeup?.method).toBe('ratio-cluster');
  });
});

describe('cycles per wakeup with trials as clusters', () => {
  /** A latency from samples grouped by trial, with its per-trial moments. */
  const latTrials = (trials: number[][]): LatencyInput => {
    const sums = trials.map((t) => t.reduce((a, b) => a + b, 0));
    return {
      ...lat(trials.flat()),
      trialMoments: {
        trials: trials.length,
        sumSq: sums.reduce((a, s) => a + s * s, 0),
        countSq: trials.reduce((a, t) => a + t.length ** 2, 0),
        cross: trials.reduce((a, t, i) => a + sums[i]! * t.length, 0),
      },
    };
  };
  const withLat = (variant: string, l: LatencyInput): TimedRunInput => ({
    ...run(variant, 100, [], 0, 0),
    trials: l.trialMoments?.trials ?? 3,
    wakeups: l.n,
    wakeupSync: l.n,
    paths: { wakeup_to_kvm: l },
    perWakeup: l,
  });
  // trials {10, 20}, {40}, {}: mean 70/3, residuals ±50/3 and 0, SE = sqrt(5000/54), t(0.975, 2)
  const A = [[10, 20], [40], []];
  const half = 4.302652729911275 * Math.sqrt(5000 / 54);

  it('ratio estimator over trials, t on trials - 1 df (hand-computed)', () => {
    const r = buildTest([withLat('fixed', latTrials(A))]).rows[0]!;
    for (const s of [r.cyclesPerWakeup, r.paths.wakeup_to_kvm!]) {
      expect(s.method).toBe('ratio-cluster');
      expect(s.n).toBe(3);
      expect(s.mean).toBeCloseTo(70 / 3, 12);
      expect(s.lower!).toBeCloseTo(70 / 3 - half, 6);
      expect(s.upper!).toBeCloseTo(70 / 3 + half, 6);
      // percentiles still describe the samples
      expect([s.p50, s.p90, s.min, s.max]).toEqual([20, 40, 10, 40]);
    }
  });

  it('falls back to the t interval over wakeups without the moments, and says so', () => {
    const rep = buildTest([withLat('fixed', lat(A.flat()))]);
    const s = rep.rows[0]!.cyclesPerWakeup;
    expect(s.method).toBe('t-wakeups');
    // sd of 10, 20, 40 = 15.275; t(0.975, 2) sd / sqrt(3) = 37.94
    expect(s.upper! - s.mean!).toBeCloseTo((4.302652729911275 * Math.sqrt(700 / 3)) / Math.sqrt(3), 6);
    expect(timedTextLines(rep).join('\n')).toMatch(/without per-trial latency moments.*fixed \(sync 100\)/);
    expect(timedTextLines(buildTest([withLat('fixed', latTrials(A))])).join('\n')).not.toMatch(
      /without per-trial/,
    );
  });

  it('differences: variances added, Welch-Satterthwaite df; normal over wakeups without the moments', () => {
    const B = [[5], [15, 25]];
    const d = buildTest([withLat('fixed', latTrials(A)), withLat('buggy', latTrials(B))]).differences[0]!;
    expect(d.difference!.method).toBe('ratio-cluster');
    expect(d.difference!.estimate).toBeCloseTo(70 / 3 - 15, 12);
    // SE² = 5000/54 + 400/9; df = 7400² / (5000²/2 + 2400²) = 2.9989; t(0.975, 2.9989) ≈ 3.1831
    const se = Math.sqrt(5000 / 54 + 400 / 9);
    expect((d.difference!.upper - d.difference!.lower) / (2 * se)).toBeCloseTo(3.1831, 3);
    const old = buildTest([withLat('fixed', latTrials(A)), withLat('buggy', lat(B.flat()))]).differences[0]!;
    expect(old.difference!.method).toBe('normal-wakeups');
  });
});
