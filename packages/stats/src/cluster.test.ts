import { describe, expect, it } from 'vitest';
import { clusterProportion, clusterProportionDifference } from './cluster.js';
import { tQuantile } from './distributions.js';
import type { RatioMoments } from './means.js';
import { wilson } from './proportion.js';

/** Streaming sums of (events k_i, opportunities m_i) per trial, as the engines aggregate them. */
function moments(trials: readonly [number, number][]): RatioMoments {
  const m = { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
  for (const [k, w] of trials) {
    m.n++;
    m.sumX += k;
    m.sumY += w;
    m.sumXX += k * k;
    m.sumYY += w * w;
    m.sumXY += k * w;
  }
  return m;
}

/** Mulberry32: a small seeded generator, so the simulated trials are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Hand-computed example, five trials (syncs k_i, wakeups m_i):
 *   (2, 2), (0, 3), (1, 1), (3, 4), (2, 2)
 *   Σk = 8, Σm = 12, R = 8/12 = 2/3, m̄ = 12/5 = 2.4
 *   residuals k_i - R m_i: 2/3, -2, 1/3, 1/3, 2/3;  Σ residual² = (4 + 36 + 1 + 1 + 4)/9 = 46/9
 *   Var(R) = (46/9) / (n (n-1) m̄²) = 5.1111 / (5 · 4 · 5.76) = 0.0443673
 *   SE = 0.2106354
 *   t_{0.975, 4} = 2.776445 (table), half width = 2.776445 · 0.2106354 = 0.5848177
 *   interval 0.6666667 ± 0.5848177 = [0.0818490, 1.2514844], clipped to [0.0818490, 1]
 */
const EXAMPLE: [number, number][] = [
  [2, 2],
  [0, 3],
  [1, 1],
  [3, 4],
  [2, 2],
];

describe('clusterProportion', () => {
  it('matches the hand-computed example', () => {
    const m = moments(EXAMPLE);
    expect(m).toEqual({ n: 5, sumX: 8, sumY: 12, sumXX: 18, sumYY: 34, sumXY: 21 });
    const r = clusterProportion(m)!;
    expect(r.method).toBe('ratio-cluster');
    expect([r.n, r.k, r.m, r.df]).toEqual([5, 8, 12, 4]);
    expect(r.estimate).toBeCloseTo(2 / 3, 12);
    expect(r.standardError).toBeCloseTo(0.2106354, 6);
    expect(r.lower).toBeCloseTo(0.081849, 5);
    expect(r.upper).toBe(1); // 1.2514844 clipped
  });

  it('no opportunities at all (every trial had 0 wakeups): null', () => {
    expect(
      clusterProportion(
        moments([
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toBeNull();
    expect(clusterProportion({ n: 4, sumX: 0, sumY: 0 })).toBeNull();
  });

  it('every wakeup syncs: [1, 1] with standard error 0 (no spread between trials)', () => {
    const r = clusterProportion(
      moments([
        [3, 3],
        [1, 1],
        [5, 5],
        [0, 0],
      ]),
    )!;
    expect(r).toMatchObject({ estimate: 1, standardError: 0, lower: 1, upper: 1, df: 3 });
    const none = clusterProportion(
      moments([
        [0, 3],
        [0, 1],
      ]),
    )!;
    expect(none).toMatchObject({ estimate: 0, standardError: 0, lower: 0, upper: 0 });
  });

  it('one trial, or no second-order sums: an estimate without an interval', () => {
    expect(clusterProportion(moments([[2, 5]]))).toMatchObject({
      n: 1,
      estimate: 0.4,
      standardError: null,
      lower: null,
      upper: null,
      df: null,
    });
    expect(clusterProportion({ n: 10, sumX: 3, sumY: 12 })).toMatchObject({ estimate: 0.25, lower: null });
  });

  it('refuses sums that cannot come from counts', () => {
    expect(() => clusterProportion({ n: 2, sumX: 5, sumY: 4 })).toThrow(/sumX/);
    expect(() => clusterProportion({ ...moments(EXAMPLE), sumXX: -1 })).toThrow(/sumXX/);
  });

  it('correlated wakeups (the 10 wakeups of a trial all sync or all skip): much wider than the binomial interval', () => {
    const random = rng(1);
    const trials: [number, number][] = [];
    for (let i = 0; i < 2000; i++) trials.push([random() < 0.5 ? 10 : 0, 10]);
    const m = moments(trials);
    const cluster = clusterProportion(m)!;
    const binomial = wilson(m.sumX, m.sumY);
    const ratio = (cluster.upper! - cluster.lower!) / (binomial.upper - binomial.lower);
    // the design effect is 1 + (10 - 1) · 1 = 10 wakeups' worth per trial: √10 ≈ 3.16 times wider
    expect(ratio).toBeGreaterThan(2.9);
    expect(ratio).toBeLessThan(3.4);
  });

  it('independent wakeups: close to the binomial interval', () => {
    const random = rng(2);
    const trials: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const w = 1 + Math.floor(random() * 10);
      let k = 0;
      for (let j = 0; j < w; j++) if (random() < 0.3) k++;
      trials.push([k, w]);
    }
    const m = moments(trials);
    const cluster = clusterProportion(m)!;
    const binomial = wilson(m.sumX, m.sumY);
    const ratio = (cluster.upper! - cluster.lower!) / (binomial.upper - binomial.lower);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
    expect(cluster.estimate).toBeCloseTo(0.3, 1);
  });
});

describe('clusterProportionDifference', () => {
  /**
   * a = the example above: R_a = 2/3, Var_a = 0.0443673
   * b = (1, 2), (1, 2), (2, 2), (0, 2): R_b = 4/8 = 1/2, residuals 0, 0, 1, -1, Σ = 2, m̄ = 2,
   *     Var_b = 2 / (4 · 3 · 4) = 1/24 = 0.0416667
   * a - b = 1/6 = 0.1666667; Var = 0.0860340, SE = 0.2933154
   * Welch-Satterthwaite df = Var² / (Var_a²/4 + Var_b²/3) = 0.00740184 / 0.00107081 = 6.912326,
   *   between 6 and 7, so t_{0.975, df} lies between t_{0.975, 7} = 2.364624 and t_{0.975, 6} =
   *   2.446912 (tables); half width = t · 0.2933154.
   */
  const b: [number, number][] = [
    [1, 2],
    [1, 2],
    [2, 2],
    [0, 2],
  ];

  it('matches the hand-computed example', () => {
    const d = clusterProportionDifference(moments(EXAMPLE), moments(b))!;
    expect(d.method).toBe('ratio-cluster');
    expect(d.estimate).toBeCloseTo(1 / 6, 12);
    expect(d.standardError).toBeCloseTo(0.2933154, 6);
    expect(d.df).toBeCloseTo(6.912326, 5);
    const t = -tQuantile(0.025, d.df);
    expect(t).toBeGreaterThan(2.364624);
    expect(t).toBeLessThan(2.446912);
    expect(d.upper - d.estimate).toBeCloseTo(t * 0.2933154, 6);
    expect(d.estimate - d.lower).toBeCloseTo(t * 0.2933154, 6);
    // b - a is the mirror image
    const r = clusterProportionDifference(moments(b), moments(EXAMPLE))!;
    expect(r.lower).toBeCloseTo(-d.upper, 12);
    expect(r.upper).toBeCloseTo(-d.lower, 12);
  });

  it('null when either side has no interval; zero width when neither has spread', () => {
    expect(clusterProportionDifference(moments(EXAMPLE), moments([[0, 0]]))).toBeNull();
    expect(clusterProportionDifference(moments(EXAMPLE), moments([[1, 2]]))).toBeNull();
    expect(clusterProportionDifference(moments(EXAMPLE), { n: 5, sumX: 1, sumY: 3 })).toBeNull();
    const d = clusterProportionDifference(
      moments([
        [0, 2],
        [0, 1],
      ]),
      moments([
        [2, 2],
        [1, 1],
        [3, 3],
      ]),
    )!;
    expect(d).toMatchObject({ estimate: -1, standardError: 0, lower: -1, upper: -1, df: 3 });
  });

  it('stays within [-1, 1]', () => {
    const d = clusterProportionDifference(
      moments([
        [1, 1],
        [0, 1],
      ]),
      moments([
        [0, 1],
        [1, 1],
      ]),
    )!;
    expect(d.lower).toBe(-1);
    expect(d.upper).toBe(1);
  });
});
