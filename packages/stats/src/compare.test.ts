import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExact, rateDifference } from './compare.js';
import { binomialPmf } from './special.js';
import { expectClose } from './test-util.js';

// Newcombe (1998), "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17, 873–890, Table II: examples (a)–(h),
// method 10 (hybrid score) and method 11 (with continuity correction), to 4 decimals.
const NEWCOMBE_TABLE_II: [k1: number, n1: number, k2: number, n2: number, m10: number[], m11: number[]][] = [
  [56, 70, 48, 80, [0.0524, 0.3339], [0.0428, 0.3422]],
  [9, 10, 3, 10, [0.1705, 0.809], [0.1013, 0.8387]],
  [6, 7, 2, 7, [0.0582, 0.8062], [-0.029, 0.8423]],
  [5, 56, 0, 29, [-0.0381, 0.1926], [-0.0667, 0.2037]],
  [0, 10, 0, 20, [-0.1611, 0.2775], [-0.2005, 0.3445]],
  [0, 10, 0, 10, [-0.2775, 0.2775], [-0.3445, 0.3445]],
  [10, 10, 0, 20, [0.6791, 1], [0.6014, 1]],
  [10, 10, 0, 10, [0.6075, 1], [0.5128, 1]],
];

const round4 = (x: number) => Math.round(x * 1e4) / 1e4 + 0; // + 0 turns -0 into 0

describe('rateDifference (Newcombe hybrid score)', () => {
  it("reproduces Newcombe's Table II, methods 10 and 11", () => {
    for (const [k1, n1, k2, n2, m10, m11] of NEWCOMBE_TABLE_II) {
      const d = rateDifference(k1, n1, k2, n2);
      expectClose(d.difference, k1 / n1 - k2 / n2, 1e-15);
      expect([round4(d.lower), round4(d.upper)]).toEqual(m10);
      const cc = rateDifference(k1, n1, k2, n2, 0.95, { continuityCorrection: true });
      expect([round4(cc.lower), round4(cc.upper)]).toEqual(m11);
    }
  });

  it('example (a): 56/70 vs 48/80 is a difference of 0.2 with 95% CI [0.0524, 0.3339]', () => {
    const d = rateDifference(56, 70, 48, 80);
    expectClose(d.difference, 0.2, 1e-14);
    expect(d.method).toBe('newcombe');
    expect(d.p1).toBe(0.8);
    expect(d.p2).toBe(0.6);
  });

  it('contains the difference, stays in [-1, 1] and flips sign under swapping the groups', () => {
    const group = fc
      .tuple(fc.integer({ min: 1, max: 1e8 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([n, f]) => [Math.min(n, Math.floor(f * (n + 1))), n] as const);
    fc.assert(
      fc.property(
        group,
        group,
        fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
        ([k1, n1], [k2, n2], c) => {
          const d = rateDifference(k1, n1, k2, n2, c);
          expect(d.lower).toBeGreaterThanOrEqual(-1);
          expect(d.upper).toBeLessThanOrEqual(1);
          expect(d.lower).toBeLessThanOrEqual(d.difference);
          expect(d.upper).toBeGreaterThanOrEqual(d.difference);
          const swapped = rateDifference(k2, n2, k1, n1, c);
          expectClose(swapped.lower, -d.upper, 1e-12, 1e-15);
          expectClose(swapped.upper, -d.lower, 1e-12, 1e-15);
        },
      ),
    );
  });
});

describe('fisherExact', () => {
  it("matches R's fisher.test on the tea-tasting table [[3,1],[1,3]]", () => {
    const f = fisherExact(3, 4, 1, 4);
    // Hypergeometric probabilities 1, 16, 36, 16, 1 over 70: P(≥3) = 17/70, two-sided 34/70.
    expectClose(f.pValue, 34 / 70, 1e-14); // R: 0.4857
    expectClose(f.greater, 17 / 70, 1e-14); // R alternative = "greater": 0.2429
    expectClose(f.less, 69 / 70, 1e-14);
  });

  it("matches R's fisher.test on [[1,9],[11,3]]", () => {
    const f = fisherExact(1, 10, 11, 14);
    expectClose(f.pValue, 0.002759456185220083, 1e-12); // R: p-value = 0.002759
    expectClose(f.less, 0.0013797280926100418, 1e-12); // R alternative = "less": 0.00138
  });

  it('counts ties within the 1e-7 relative tolerance on both sides', () => {
    // Symmetric margins: P(X = 0) = P(X = 7) exactly, both = 1/C(14, 7) = 1/3432.
    const f = fisherExact(7, 7, 0, 7);
    expectClose(f.pValue, 2 / 3432, 1e-13);
    expectClose(f.greater, 1 / 3432, 1e-13);
    expect(f.less).toBe(1);
    // Observed table at the mode: every table is at most as likely, p = 1.
    expect(fisherExact(4, 20, 4, 20).pValue).toBe(1);
    expect(fisherExact(0, 1000, 0, 1000)).toMatchObject({ pValue: 1, less: 1, greater: 1 });
  });

  it('stays exact with millions and billions of trials', () => {
    // Exact rational sums over the whole support in 40-digit arithmetic (mpmath); scipy's
    // lgamma-based hypergeometric is off by ~1e-10 here.
    let f = fisherExact(10, 1_000_000, 30, 1_000_000);
    expectClose(f.pValue, 0.002221214061189479, 1e-13);
    expectClose(f.less, 0.00111060703059474, 1e-13);
    expectClose(f.greater, 0.9996602663453691, 1e-13);
    f = fisherExact(120, 5_000_000, 80, 5_000_000);
    expectClose(f.pValue, 0.005684676259126189, 1e-13);
    expectClose(f.greater, 0.002842338129563094, 1e-13);
    f = fisherExact(3, 1e9, 15, 1e9);
    expectClose(f.pValue, 0.007537841540069582, 1e-13);
    expectClose(f.less, 0.003768920770034791, 1e-13);
  });

  it('agrees with brute-force enumeration of all tables with the same margins', () => {
    const choose = (n: number, k: number): bigint => {
      let c = 1n;
      for (let i = 1; i <= k; i++) c = (c * BigInt(n - k + i)) / BigInt(i);
      return c;
    };
    const group = fc
      .tuple(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([n, f]) => [Math.min(n, Math.floor(f * (n + 1))), n] as const);
    fc.assert(
      fc.property(group, group, ([k1, n1], [k2, n2]) => {
        // Table weights C(m, x) C(N - m, n1 - x) as exact integers, compared as in R:
        // weight ≤ observed weight × (1 + 1e-7).
        const m = k1 + k2;
        const total = n1 + n2;
        const weights: bigint[] = [];
        for (let x = 0; x <= n1; x++)
          weights.push(x <= m && n1 - x <= total - m ? choose(m, x) * choose(total - m, n1 - x) : 0n);
        const all = Number(weights.reduce((a, b) => a + b, 0n));
        const observed = Number(weights[k1]);
        let twoSided = 0;
        let less = 0;
        weights.forEach((w, x) => {
          if (w > 0n && Number(w) <= observed * (1 + 1e-7)) twoSided += Number(w);
          if (x <= k1) less += Number(w);
        });
        const f = fisherExact(k1, n1, k2, n2);
        expectClose(f.pValue, twoSided / all, 1e-12);
        expectClose(f.less, less / all, 1e-12);
      }),
    );
  });

  it('is a valid p-value: tails overlap in exactly the observed table, swapping groups swaps tails', () => {
    const group = fc
      .tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([n, f]) => [Math.min(n, Math.floor(f * (n + 1))), n] as const);
    fc.assert(
      fc.property(group, group, ([k1, n1], [k2, n2]) => {
        const f = fisherExact(k1, n1, k2, n2);
        for (const p of [f.pValue, f.less, f.greater]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        // less + greater = 1 + P(X = k1), the hypergeometric density at the observed table.
        const m = k1 + k2;
        const n = n1 + n2;
        const density =
          (binomialPmf(k1, m, n1 / n) * binomialPmf(n1 - k1, n - m, n1 / n)) / binomialPmf(n1, n, n1 / n);
        expectClose(f.less + f.greater, 1 + density, 1e-12);
        // The observed side's tail is part of the two-sided set.
        expect(f.pValue).toBeGreaterThanOrEqual(Math.min(f.less, f.greater) * (1 - 1e-12));
        const swapped = fisherExact(k2, n2, k1, n1);
        expectClose(swapped.pValue, f.pValue, 1e-12);
        expectClose(swapped.less, f.greater, 1e-12);
      }),
    );
  });
});
