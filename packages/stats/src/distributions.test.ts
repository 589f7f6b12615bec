import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareQuantile,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from './distributions.js';
import { expectClose } from './test-util.js';

describe('normalQuantile (AS 241)', () => {
  it('matches the textbook critical values', () => {
    expectClose(normalQuantile(0.975), 1.959963984540054, 1e-15);
    expectClose(normalQuantile(0.995), 2.5758293035489004, 1e-15);
    expectClose(normalQuantile(0.95), 1.6448536269514722, 1e-15);
    expectClose(normalQuantile(0.999), 3.090232306167813, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    // Far tail, third rational approximation: Φ⁻¹(1e-10) = -6.361340902404056 (mpmath erfinv).
    expectClose(normalQuantile(1e-10), -6.361340902404056, 1e-14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('is antisymmetric and inverts normalCdf to 1e-9 and better', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        // 1 - p is exact only when p is not tiny; below that 1 - p rounds to 1.
        if (p > 1e-3) expectClose(normalQuantile(1 - p), -normalQuantile(p), 1e-12, 1e-15);
        expectClose(normalCdf(normalQuantile(p)), p, 1e-12);
      }),
    );
  });
});

describe('normalCdf', () => {
  it('matches tables in the body and the tails', () => {
    expectClose(normalCdf(1.959963984540054), 0.975, 1e-15);
    expectClose(normalCdf(-1), 0.15865525393145705, 1e-14); // (1 - erf(1/√2)) / 2
    // Far tail: 7.6198530241605260659e-24 (mpmath ncdf, 30 digits).
    expectClose(normalCdf(-10), 7.619853024160525e-24, 1e-13);
    expect(normalCdf(0)).toBe(0.5);
  });
});

describe('tQuantile', () => {
  it('matches the t table', () => {
    // Table values to 4-6 digits; the full digits are the 30-digit inversion of the t CDF (mpmath).
    expectClose(tQuantile(0.975, 10), 2.228138851986275, 1e-14); // table: 2.228139
    expectClose(tQuantile(0.975, 30), 2.042272456301238, 1e-14); // table: 2.042
  });

  it('matches closed forms at 1, 2 and 4 degrees of freedom', () => {
    // df = 1 is Cauchy: tan(π (p - 1/2)); df = 2: (2p - 1) / sqrt(2 p (1 - p)).
    expectClose(tQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 1e-13);
    expectClose(tQuantile(1e-6, 1), Math.tan(Math.PI * (1e-6 - 0.5)), 1e-9);
    expectClose(tQuantile(0.9, 2), 0.8 / Math.sqrt(2 * 0.9 * 0.1), 1e-13);
    expectClose(tQuantile(0.5001, 2), 0.0002 / Math.sqrt(2 * 0.5001 * 0.4999), 1e-11);
    // df = 4: with a = 4p(1-p), q = cos(acos(√a)/3)/√a, t = 2 sqrt(q - 1) (Shaw 2006); the table's
    // 4.604 for p = 0.995.
    const a = 4 * 0.995 * 0.005;
    const q = Math.cos(Math.acos(Math.sqrt(a)) / 3) / Math.sqrt(a);
    expectClose(tQuantile(0.995, 4), 2 * Math.sqrt(q - 1), 1e-13);
  });

  it('tends to the normal quantile, continuously across the large-df expansion', () => {
    // t_{0.975, df} ≈ z + (z³ + z)/(4 df): at df = 1e9 the difference from z is 2.4e-9.
    const z = normalQuantile(0.975);
    expectClose(tQuantile(0.975, 1e9), z + (z ** 3 + z) / 4e9, 1e-15);
    expect(tQuantile(0.975, Number.POSITIVE_INFINITY)).toBe(z);
    // Either side of the switch to the Cornish–Fisher series the quantile agrees to 1e-12.
    expectClose(tQuantile(0.975, 1e5 * (1 - 1e-12)), tQuantile(0.975, 1e5), 1e-12);
  });

  it('keeps tail accuracy at huge df (Cornish–Fisher inverted for the CDF)', () => {
    // 50-digit incomplete beta (mpmath): the plain beta route is off by 1e-9 here.
    expectClose(tCdf(-5, 1e8), 2.866520550633643e-7, 1e-13);
    expectClose(tCdf(-8, 1e6), 6.22753171660126e-16, 1e-12);
    expectClose(tCdf(2, 3e4), 0.9772453687333819, 1e-14);
  });

  it('handles the heavy tails of df < 1, where t exceeds 1e150', () => {
    const t = tQuantile(1e-12, 0.05);
    expect(t).toBeLessThan(-1e150);
    expect(Number.isFinite(t)).toBe(true);
    expectClose(tCdf(t, 0.05), 1e-12, 1e-12);
  });

  it('inverts tCdf', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-10, max: 1 - 1e-10, noNaN: true }),
        fc.double({ min: 0.5, max: 1e6, noNaN: true }),
        (p, df) => {
          expectClose(tCdf(tQuantile(p, df), df), p, 1e-9);
        },
      ),
    );
  });
});

describe('chiSquareQuantile', () => {
  it('matches the chi-square table', () => {
    // Table digits in the comments; full digits from a 30-digit inversion (mpmath).
    expectClose(chiSquareQuantile(0.975, 2), 7.3777589082278725, 1e-14); // table: 7.377759
    expectClose(chiSquareQuantile(0.025, 20), 9.590777392264867, 1e-14); // table: 9.591
    expectClose(chiSquareQuantile(0.975, 22), 36.780712084035557, 1e-14); // table: 36.781
    expectClose(chiSquareQuantile(0.95, 1), normalQuantile(0.975) ** 2, 1e-13); // χ²₁ = Z²
  });

  it('matches the closed form at 2 degrees of freedom, both tails', () => {
    // χ²₂ is exponential with mean 2: quantile -2 ln(1 - p); upper-tail quantile -2 ln p.
    expectClose(chiSquareQuantile(1e-9, 2), -2 * Math.log1p(-1e-9), 1e-12);
    expectClose(chiSquareQuantile(1e-9, 2, false), -2 * Math.log(1e-9), 1e-14);
    expectClose(chiSquareCdf(3, 2), -Math.expm1(-1.5), 1e-14);
  });
});
