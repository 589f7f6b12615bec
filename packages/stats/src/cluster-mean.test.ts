import { describe, expect, it } from 'vitest';
import { clusterMean, clusterMeanDifference } from './cluster.js';
import { tQuantile } from './distributions.js';

// a: 3 trials with latencies {10, 20}, {40}, {} -> L = 30, 40, 0; m = 2, 1, 0
const A = { n: 3, sumX: 70, sumY: 3, sumXX: 30 ** 2 + 40 ** 2, sumYY: 2 ** 2 + 1, sumXY: 30 * 2 + 40 };
// b: 2 trials with latencies {5}, {15, 25} -> L = 5, 40; m = 1, 2
const B = { n: 2, sumX: 45, sumY: 3, sumXX: 25 + 1600, sumYY: 1 + 4, sumXY: 5 + 80 };

describe('clusterMean', () => {
  it('matches the hand-computed example (trials as clusters, an empty trial included)', () => {
    const r = clusterMean(A)!;
    expect(r.estimate).toBeCloseTo(70 / 3, 12);
    // residuals L - R m: 30 - 140/3, 40 - 70/3, 0 -> ±50/3; Σd² = 5000/9; m̄ = 1
    // SE = sqrt(Σd² / (n (n - 1))) / m̄ = sqrt(5000/54)
    expect(r.standardError!).toBeCloseTo(Math.sqrt(5000 / 54), 12);
    expect(r.standardError!).toBeCloseTo(9.6225, 4);
    expect(r.df).toBe(2);
    const half = 4.302652729911275 * Math.sqrt(5000 / 54);
    expect(r.lower!).toBeCloseTo(70 / 3 - half, 6);
    expect(r.upper!).toBeCloseTo(70 / 3 + half, 6);
    expect(r).toMatchObject({ n: 3, sum: 70, units: 3, method: 'ratio-cluster' });
  });

  it('wider than the interval over independent wakeups when trials differ', () => {
    // latencies 10, 20, 40: the wakeups' own t interval uses their sample sd
    const xs = [10, 20, 40];
    const mean = 70 / 3;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    const seWakeups = sd / Math.sqrt(3);
    expect(clusterMean(A)!.standardError!).toBeGreaterThan(seWakeups);
  });

  it('no units: null; one trial or no second-order sums: an estimate without an interval', () => {
    expect(clusterMean({ n: 5, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 })).toBeNull();
    const one = clusterMean({ n: 1, sumX: 30, sumY: 2, sumXX: 900, sumYY: 4, sumXY: 60 })!;
    expect([one.estimate, one.standardError, one.lower, one.upper, one.df]).toEqual([
      15,
      null,
      null,
      null,
      null,
    ]);
    const old = clusterMean({ n: 3, sumX: 70, sumY: 3 })!;
    expect([old.estimate, old.standardError]).toEqual([70 / 3, null]);
  });

  it('every trial with the same mean: zero width', () => {
    const r = clusterMean({ n: 2, sumX: 30, sumY: 3, sumXX: 100 + 400, sumYY: 1 + 4, sumXY: 10 + 40 })!;
    expect([r.estimate, r.standardError, r.lower, r.upper]).toEqual([10, 0, 10, 10]);
  });
});

describe('clusterMeanDifference', () => {
  it('adds the variances and takes Welch-Satterthwaite df (hand-computed)', () => {
    const d = clusterMeanDifference(A, B)!;
    // b: R = 15, residuals ∓10, Σd² = 200, m̄ = 1.5: SE² = 200 / 2 / 2.25 = 400/9
    const va = 5000 / 54;
    const vb = 400 / 9;
    expect(d.estimate).toBeCloseTo(70 / 3 - 15, 12);
    expect(d.standardError).toBeCloseTo(Math.sqrt(va + vb), 12);
    // df = 7400² / (5000²/2 + 2400²) = 54760000 / 18260000
    expect(d.df).toBeCloseTo(54760000 / 18260000, 10);
    const half = -tQuantile(0.025, d.df) * Math.sqrt(va + vb);
    expect(d.lower).toBeCloseTo(d.estimate - half, 6);
    expect(d.upper).toBeCloseTo(d.estimate + half, 6);
    expect(d.method).toBe('ratio-cluster');
  });

  it('null without an interval on either side', () => {
    expect(clusterMeanDifference(A, { n: 2, sumX: 45, sumY: 3 })).toBeNull();
    expect(clusterMeanDifference({ n: 4, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 }, B)).toBeNull();
  });
});
