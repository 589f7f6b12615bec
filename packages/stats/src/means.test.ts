import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tQuantile } from './distributions.js';
import { meanInterval, ratioOfSums } from './means.js';
import { expectClose } from './test-util.js';

function moments(xs: readonly number[]) {
  return { n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSq: xs.reduce((a, b) => a + b * b, 0) };
}

describe('meanInterval', () => {
  it('matches a hand computation for 1, 2, 3, 4, 5', () => {
    // mean 3, s² = (4 + 1 + 0 + 1 + 4)/4 = 2.5, SE = sqrt(2.5/5) = 1/√2, t_{0.975,4} = 2.776445.
    const m = meanInterval(moments([1, 2, 3, 4, 5]));
    expect(m.estimate).toBe(3);
    expectClose(m.standardDeviation, Math.sqrt(2.5), 1e-15);
    expectClose(m.standardError, Math.SQRT1_2, 1e-15);
    expect(m.df).toBe(4);
    expectClose(m.lower, 3 - 2.7764451051977987 * Math.SQRT1_2, 1e-14);
    expectClose(m.upper, 3 + 2.7764451051977987 * Math.SQRT1_2, 1e-14);
  });

  it('forms the centred sum of squares exactly for integer aggregates', () => {
    // x = 3e7, 3e7, 3e7 + 1: Σ(x - x̄)² = 2/3, so s² = 1/3. The floating-point route
    // Σx² - x̄ Σx subtracts two numbers near 2.7e15 whose spacing is 0.5 and gets 0.5 or 1.
    const m = meanInterval({ n: 3, sum: 90_000_001, sumSq: 2_700_000_060_000_001 });
    expectClose(m.standardDeviation, Math.sqrt(1 / 3), 1e-15);
  });

  it('uses t quantiles that approach the normal one', () => {
    const m = meanInterval({ n: 1e10, sum: 0, sumSq: 1e10 });
    // s² = n/(n-1); half-width = t_{0.975, n-1} s/√n ≈ 1.959964 × 1e-5.
    expectClose(m.upper, tQuantile(0.975, 1e10 - 1) * Math.sqrt(1 / (1e10 - 1)), 1e-14);
    expectClose(m.upper, 1.959963984540054e-5, 1e-9);
  });

  it('returns an unbounded interval for a single trial', () => {
    const m = meanInterval({ n: 1, sum: 7, sumSq: 49 });
    expect(m.estimate).toBe(7);
    expect(m.lower).toBe(Number.NEGATIVE_INFINITY);
    expect(m.upper).toBe(Number.POSITIVE_INFINITY);
    expect(() => meanInterval({ n: 0, sum: 0, sumSq: 0 })).toThrow(RangeError);
  });

  it('agrees with the two-pass computation on random data', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 2, maxLength: 200 }), (xs) => {
        const m = meanInterval(moments(xs));
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
        expectClose(m.estimate, mean, 1e-14);
        expectClose(m.standardDeviation, Math.sqrt(ss / (xs.length - 1)), 1e-9, 1e-9);
        expect(m.lower).toBeLessThanOrEqual(m.estimate);
        expect(m.upper).toBeGreaterThanOrEqual(m.estimate);
      }),
    );
  });
});

describe('ratioOfSums', () => {
  it('matches a hand computation of the delta-method interval', () => {
    // Trials (x, y) = (1, 1), (2, 1), (3, 2): R = 6/4 = 1.5, residuals x - 1.5y = -0.5, 0.5, 0,
    // Σd² = 0.5, SE = sqrt(0.5 / (3·2)) / (4/3) = 0.21650635, t_{0.975,2} = 4.30265273.
    const r = ratioOfSums({ n: 3, sumX: 6, sumY: 4, sumXX: 14, sumYY: 6, sumXY: 9 });
    expect(r.estimate).toBe(1.5);
    expect(r.method).toBe('delta-method');
    expectClose(r.standardError ?? Number.NaN, Math.sqrt(0.5 / 6) / (4 / 3), 1e-15);
    expectClose(r.lower ?? Number.NaN, 1.5 - 4.302652729749464 * 0.21650635094610965, 1e-13);
    expectClose(r.upper ?? Number.NaN, 1.5 + 4.302652729749464 * 0.21650635094610965, 1e-13);
  });

  it('gives only the estimate without second-order sums', () => {
    const r = ratioOfSums({ n: 10, sumX: 30, sumY: 20 });
    expect(r).toEqual({ n: 10, estimate: 1.5, confidence: 0.95, method: 'point-estimate' });
    expect(() => ratioOfSums({ n: 10, sumX: 3, sumY: 0 })).toThrow(/sumY/);
  });

  it('has zero width when every trial has the same ratio', () => {
    // x_i = 2 y_i for all i: every residual is 0.
    const r = ratioOfSums({
      n: 3,
      sumX: 12,
      sumY: 6,
      sumXX: 4 + 16 + 36,
      sumYY: 1 + 4 + 9,
      sumXY: 2 + 8 + 18,
    });
    expect(r.estimate).toBe(2);
    expect(r.standardError).toBe(0);
  });

  it('agrees with the residual form on random data (and the float route with the exact one)', () => {
    const trial = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 }));
    fc.assert(
      fc.property(fc.array(trial, { minLength: 2, maxLength: 100 }), (trials) => {
        const agg = { n: trials.length, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 };
        for (const [x, y] of trials) {
          agg.sumX += x;
          agg.sumY += y;
          agg.sumXX += x * x;
          agg.sumYY += y * y;
          agg.sumXY += x * y;
        }
        const r = ratioOfSums(agg);
        const ratio = agg.sumX / agg.sumY;
        const ybar = agg.sumY / agg.n;
        const ss = trials.reduce((a, [x, y]) => a + (x - ratio * y) ** 2, 0);
        expectClose(r.standardError ?? Number.NaN, Math.sqrt(ss / (agg.n * (agg.n - 1))) / ybar, 1e-9, 1e-12);
        // Scaling x and y by 2^-30 leaves R and its SE unchanged, is exact, and makes the aggregates
        // non-integers, so this runs the floating-point route against the exact BigInt one.
        const c = 2 ** -30;
        const scaled = ratioOfSums({
          n: agg.n,
          sumX: agg.sumX * c,
          sumY: agg.sumY * c,
          sumXX: agg.sumXX * c * c,
          sumYY: agg.sumYY * c * c,
          sumXY: agg.sumXY * c * c,
        });
        expectClose(scaled.estimate, r.estimate, 1e-15);
        expectClose(scaled.standardError ?? Number.NaN, r.standardError ?? Number.NaN, 1e-6, 1e-12);
      }),
    );
  });
});
