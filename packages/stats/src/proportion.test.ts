import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearson, rateSummary, ruleOfThree, wilson, zCritical } from './proportion.js';
import { expectClose } from './test-util.js';

// Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
// methods", Statistics in Medicine 17, 857–872, Table I, to 4 decimals: method 3 (Wilson score),
// method 4 (score with continuity correction), method 5 (Clopper–Pearson).
const NEWCOMBE_TABLE_I: [k: number, n: number, wilson: number[], wilsonCc: number[], exact: number[]][] = [
  [81, 263, [0.2553, 0.3662], [0.2535, 0.3682], [0.2527, 0.3676]],
  [15, 148, [0.0624, 0.1605], [0.0598, 0.1644], [0.0578, 0.1617]],
  [0, 20, [0, 0.1611], [0, 0.2005], [0, 0.1684]],
  [1, 29, [0.0061, 0.1718], [0.0018, 0.1963], [0.0009, 0.1776]],
];

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

describe('wilson', () => {
  it("reproduces Newcombe's Table I (methods 3 and 4)", () => {
    for (const [k, n, w, cc] of NEWCOMBE_TABLE_I) {
      const plain = wilson(k, n);
      expect([round4(plain.lower), round4(plain.upper)]).toEqual(w);
      const corrected = wilson(k, n, 0.95, { continuityCorrection: true });
      expect([round4(corrected.lower), round4(corrected.upper)]).toEqual(cc);
      expect(plain.method).toBe('wilson');
      expect(corrected.method).toBe('wilson-cc');
    }
  });

  it('has the closed form upper bound z²/(n + z²) at k = 0 and mirrors at k = n', () => {
    const z = zCritical(0.95);
    const n = 1e10;
    const zero = wilson(0, n);
    expect(zero.lower).toBe(0);
    expectClose(zero.upper, (z * z) / (n + z * z), 1e-14);
    const all = wilson(n, n);
    expect(all.upper).toBe(1);
    expectClose(1 - all.lower, (z * z) / (n + z * z), 1e-5); // 1 - x loses digits near 1
  });

  it('keeps the lower bound accurate when k ≪ n (no centre - half-width cancellation)', () => {
    // The bounds are the roots of (n + z²)p² - (2k + z²)p + k²/n; their product is k²/(n(n + z²)).
    const z = zCritical(0.95);
    const { lower, upper } = wilson(1, 1e10);
    expectClose(lower * upper, 1 / (1e10 * (1e10 + z * z)), 1e-14);
    // By hand: upper = (1 + z²/2 + z sqrt(1 + z²/4))/n = 5.6650/n, so lower = 1/(5.6650 n).
    expectClose(lower, 1.765e-11, 1e-3);
  });
});

describe('clopperPearson', () => {
  it("reproduces Newcombe's Table I (method 5)", () => {
    for (const [k, n, , , exact] of NEWCOMBE_TABLE_I) {
      const cp = clopperPearson(k, n);
      expect([round4(cp.lower), round4(cp.upper)]).toEqual(exact);
    }
  });

  it('has exact edges: 0/10 upper 0.3085, 10/10 lower 0.6915, 5/10 = [0.1871, 0.8129]', () => {
    // 1 - 0.025^(1/10) = 0.30849710..., and by symmetry 0.025^(1/10) for 10/10.
    expectClose(clopperPearson(0, 10).upper, 1 - 0.025 ** 0.1, 1e-15);
    expectClose(clopperPearson(10, 10).lower, 0.025 ** 0.1, 1e-15);
    expect(clopperPearson(0, 10).lower).toBe(0);
    expect(clopperPearson(10, 10).upper).toBe(1);
    const mid = clopperPearson(5, 10);
    expect([round4(mid.lower), round4(mid.upper)]).toEqual([0.1871, 0.8129]);
    // Symmetric about 1/2 to the last digits.
    expectClose(mid.lower + mid.upper, 1, 1e-14);
  });

  it('is exact at n = 1e10 with few events', () => {
    // k = 1: the lower bound solves 1 - (1 - p)^n = α/2 exactly.
    expectClose(clopperPearson(1, 1e10).lower, -Math.expm1(Math.log(0.975) / 1e10), 1e-13);
    // Bounds solved in 40-digit arithmetic from the binomial sums (mpmath).
    expectClose(clopperPearson(1, 1e10).upper, 5.57164338966532e-10, 1e-12);
    const ten = clopperPearson(10, 1e10);
    expectClose(ten.lower, 4.795388697140571e-10, 1e-12);
    expectClose(ten.upper, 1.8390356034302697e-9, 1e-12);
    // For k ≪ n the bounds are Garwood's Poisson bounds divided by n (4.795, 18.39 for k = 10).
    expectClose(ten.lower * 1e10, 4.795388696132434, 1e-9);
  });
});

describe('ruleOfThree', () => {
  it('gives -ln(0.05)/n ≈ 3/n and the exact 1 - 0.05^(1/n)', () => {
    const r = ruleOfThree(1000);
    expectClose(r.upper, 0.0029957322735539907, 1e-15); // ln 20 / 1000
    expectClose(r.exactUpper, 1 - 0.05 ** (1 / 1000), 1e-12);
    expect(r.exactUpper).toBeLessThan(r.upper);
    // The one-sided 95% bound is the upper end of the two-sided 90% Clopper–Pearson interval.
    expectClose(r.exactUpper, clopperPearson(0, 1000, 0.9).upper, 1e-14);
    expectClose(ruleOfThree(1e10).exactUpper, Math.log(20) / 1e10, 1e-9);
  });
});

describe('rateSummary', () => {
  it('reports estimate, both intervals and the text a report prints', () => {
    const s = rateSummary(123, 1_000_000);
    expect(s.estimate).toBe(1.23e-4);
    expect(s.ruleOfThree).toBeUndefined();
    expect(s.wilson).toEqual(wilson(123, 1_000_000));
    expect(s.clopperPearson).toEqual(clopperPearson(123, 1_000_000));
    // Wilson [1.0310e-4, 1.4674e-4], printed outwards.
    expect(s.text).toBe('1.23e-4 [1.0e-4, 1.5e-4]');
    expect(rateSummary(123, 1_000_000, 0.95, { interval: 'clopper-pearson' }).text).toBe(
      '1.23e-4 [1.0e-4, 1.5e-4]',
    );
  });

  it('adds the rule of three when nothing was seen', () => {
    const s = rateSummary(0, 10_000);
    expectClose(s.ruleOfThree?.upper ?? Number.NaN, Math.log(20) / 10_000, 1e-15);
    // Wilson upper z²/(n + z²) = 3.8400e-4, rounded up.
    expect(s.text).toBe('0 [0, 3.9e-4]');
  });

  it('prints moderate rates in fixed notation', () => {
    expect(rateSummary(81, 263).text).toBe('0.308 [0.25, 0.37]');
  });
});

describe('interval properties', () => {
  const counts = fc
    .tuple(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([n, f]) => [Math.min(n, Math.floor(f * (n + 1))), n] as const);
  const confidence = fc.double({ min: 0.5, max: 0.999999, noNaN: true });

  it('contain the estimate and lie in [0, 1]', () => {
    fc.assert(
      fc.property(counts, confidence, ([k, n], c) => {
        for (const iv of [
          wilson(k, n, c),
          wilson(k, n, c, { continuityCorrection: true }),
          clopperPearson(k, n, c),
        ]) {
          expect(iv.estimate).toBe(k / n);
          expect(iv.lower).toBeGreaterThanOrEqual(0);
          expect(iv.lower).toBeLessThanOrEqual(iv.estimate);
          expect(iv.upper).toBeGreaterThanOrEqual(iv.estimate);
          expect(iv.upper).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('are nested: a higher confidence gives a wider interval', () => {
    fc.assert(
      fc.property(counts, confidence, confidence, ([k, n], c1, c2) => {
        const [lo, hi] = c1 < c2 ? [c1, c2] : [c2, c1];
        for (const f of [wilson, clopperPearson]) {
          const narrow = f(k, n, lo);
          const wide = f(k, n, hi);
          // Up to rounding, for confidences that differ only in the last bits.
          expect(wide.lower).toBeLessThanOrEqual(narrow.lower * (1 + 1e-12));
          expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper * (1 - 1e-12));
        }
      }),
    );
  });

  it('Clopper–Pearson contains the estimate and is at least as wide as Wilson for 0 < k < n', () => {
    // Holds for confidence up to 95%; at 99% it fails for k = 1 and n ≳ 24, and at k = 0 for
    // n ≥ 46 at 95% (Wilson's z²/(n + z²) exceeds 1 - (α/2)^(1/n) there).
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        (n, f, c) => {
          const k = 1 + Math.min(n - 2, Math.floor(f * (n - 1)));
          const w = wilson(k, n, c);
          const cp = clopperPearson(k, n, c);
          expect(cp.lower).toBeLessThanOrEqual(w.estimate);
          expect(cp.upper).toBeGreaterThanOrEqual(w.estimate);
          expect(cp.upper - cp.lower).toBeGreaterThanOrEqual(w.upper - w.lower);
        },
      ),
    );
  });

  it('are symmetric under k ↔ n - k', () => {
    fc.assert(
      fc.property(counts, ([k, n]) => {
        for (const f of [wilson, clopperPearson]) {
          const a = f(k, n);
          const b = f(n - k, n);
          expectClose(a.lower, 1 - b.upper, 1e-9, 1e-12);
          expectClose(a.upper, 1 - b.lower, 1e-9, 1e-12);
        }
      }),
    );
  });

  it('rejects impossible counts and confidences', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => clopperPearson(1, 0)).toThrow(RangeError);
    expect(() => clopperPearson(1.5, 10)).toThrow(RangeError);
    expect(() => wilson(1, 10, 95)).toThrow(/confidence/);
  });
});
