/**
 * Comparing two lockup rates k1/n1 (variant A) and k2/n2 (variant B).
 *  - `rateDifference`: how large is p1 - p2? Newcombe's hybrid score interval.
 *  - `fisherExact`: could the two rates be equal? Fisher's exact test on the 2×2 table
 *    [[k1, n1 - k1], [k2, n2 - k2]], conditional on the margins.
 */

import { wilson } from './proportion.js';
import { logBinomialDensityRaw } from './special.js';
import { checkSuccesses } from './validate.js';

export interface RateDifference {
  /** p1 - p2 = k1/n1 - k2/n2. */
  difference: number;
  lower: number;
  upper: number;
  confidence: number;
  p1: number;
  p2: number;
  /** Newcombe (1998) method 10, or method 11 with continuity correction. */
  method: 'newcombe' | 'newcombe-cc';
}

/**
 * Confidence interval for p1 - p2 by Newcombe's hybrid score method (Newcombe 1998, "Interval
 * estimation for the difference between independent proportions", Statistics in Medicine 17,
 * 873–890, method 10; method 11 with `continuityCorrection`): combine the distances from each
 * estimate to its own Wilson bounds,
 *   lower = d - sqrt((p1 - l1)² + (u2 - p2)²),  upper = d + sqrt((u1 - p1)² + (p2 - l2)²).
 * Behaves well at k = 0 and for very unequal n, where the Wald interval collapses.
 */
export function rateDifference(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
  confidence = 0.95,
  options: { continuityCorrection?: boolean } = {},
): RateDifference {
  checkSuccesses('k1', k1, 'n1', n1);
  checkSuccesses('k2', k2, 'n2', n2);
  const a = wilson(k1, n1, confidence, options);
  const b = wilson(k2, n2, confidence, options);
  const p1 = a.estimate;
  const p2 = b.estimate;
  const difference = p1 - p2;
  const lower = difference - Math.hypot(p1 - a.lower, b.upper - p2);
  const upper = difference + Math.hypot(a.upper - p1, p2 - b.lower);
  return {
    difference,
    lower: Math.max(-1, lower),
    upper: Math.min(1, upper),
    confidence,
    p1,
    p2,
    method: options.continuityCorrection ? 'newcombe-cc' : 'newcombe',
  };
}

export interface FisherExact {
  /**
   * Two-sided p-value: the total probability of tables no more likely than the observed one
   * (within a relative tolerance of 1e-7, as R's `fisher.test`).
   */
  pValue: number;
  /** P(X ≤ k1): evidence that p1 < p2. */
  less: number;
  /** P(X ≥ k1): evidence that p1 > p2. */
  greater: number;
  method: 'fisher-exact';
}

// R's fisher.test counts a table as "no more likely" when d ≤ d_obs * (1 + 1e-7), so that tables
// that tie mathematically but differ by rounding are all counted.
const LOG_RELATIVE_TOLERANCE = Math.log1p(1e-7);

/**
 * The hypergeometric law of X = k1 given the margins: n1 draws from n1 + n2 trials of which
 * m = k1 + k2 are successes. Densities are evaluated in Loader's form (as R's `dhyper`), so tables
 * with millions of trials keep full relative accuracy; tails are summed outwards from a point,
 * term by term through the density ratio, until the rest is below a double's resolution.
 */
class Hypergeometric {
  readonly lo: number;
  readonly hi: number;
  readonly mode: number;
  private readonly p: number;
  private readonly q: number;
  private readonly logNorm: number;

  constructor(
    private readonly m: number,
    private readonly draws: number,
    private readonly total: number,
  ) {
    this.lo = Math.max(0, draws - (total - m));
    this.hi = Math.min(m, draws);
    this.mode = Math.min(this.hi, Math.max(this.lo, Math.floor(((draws + 1) * (m + 1)) / (total + 2))));
    this.p = draws / total;
    this.q = (total - draws) / total;
    this.logNorm = logBinomialDensityRaw(draws, total, this.p, this.q);
  }

  /** ln P(X = x) = ln [C(m, x) C(total - m, draws - x) / C(total, draws)]. */
  logDensity(x: number): number {
    if (x < this.lo || x > this.hi) return Number.NEGATIVE_INFINITY;
    return (
      logBinomialDensityRaw(x, this.m, this.p, this.q) +
      logBinomialDensityRaw(this.draws - x, this.total - this.m, this.p, this.q) -
      this.logNorm
    );
  }

  /** P(X = x + step) / P(X = x) for step = ±1. */
  private ratio(x: number, step: 1 | -1): number {
    const others = this.total - this.m - this.draws;
    if (step === 1) return ((this.m - x) * (this.draws - x)) / ((x + 1) * (others + x + 1));
    return (x * (others + x)) / ((this.m - x + 1) * (this.draws - x + 1));
  }

  /**
   * Σ P(X = y) for y from `start` outwards (step -1: y ≤ start, step +1: y ≥ start); `start` must
   * lie on the far side of the mode, where the density ratios only shrink, so once a term times
   * r/(1-r) is negligible so is everything after it.
   */
  private tailFrom(start: number, step: 1 | -1): number {
    const end = step === 1 ? this.hi : this.lo;
    let term = 1;
    let sum = 1;
    for (let x = start; x !== end; x += step) {
      const r = this.ratio(x, step);
      term *= r;
      sum += term;
      if (r < 1 && (term * r) / (1 - r) <= sum * Number.EPSILON) break;
    }
    return Math.exp(this.logDensity(start) + Math.log(sum));
  }

  /** P(X ≤ x), summing whichever side of x is the tail. */
  cdf(x: number): number {
    if (x < this.lo) return 0;
    if (x >= this.hi) return 1;
    if (x <= this.mode) return Math.min(1, this.tailFrom(x, -1));
    return Math.max(0, 1 - this.tailFrom(x + 1, 1));
  }

  /** P(X ≥ x). */
  survival(x: number): number {
    if (x <= this.lo) return 1;
    if (x > this.hi) return 0;
    if (x >= this.mode) return Math.min(1, this.tailFrom(x, 1));
    return Math.max(0, 1 - this.tailFrom(x - 1, -1));
  }

  /**
   * Σ P(X = y) over all y with ln P(X = y) ≤ threshold. The density is unimodal (log-concave), so
   * those y form a left tail [lo, a] and a right tail [b, hi]; a and b are found by bisection.
   */
  massAtOrBelow(threshold: number): number {
    if (this.logDensity(this.mode) <= threshold) return 1;
    let mass = 0;
    if (this.logDensity(this.lo) <= threshold) {
      let yes = this.lo;
      let no = this.mode;
      while (no - yes > 1) {
        const mid = Math.floor((yes + no) / 2);
        if (this.logDensity(mid) <= threshold) yes = mid;
        else no = mid;
      }
      mass += this.tailFrom(yes, -1);
    }
    if (this.logDensity(this.hi) <= threshold) {
      let yes = this.hi;
      let no = this.mode;
      while (yes - no > 1) {
        const mid = Math.floor((yes + no) / 2);
        if (this.logDensity(mid) <= threshold) yes = mid;
        else no = mid;
      }
      mass += this.tailFrom(yes, 1);
    }
    return Math.min(1, mass);
  }
}

/**
 * Fisher's exact test for the 2×2 table [[k1, n1 - k1], [k2, n2 - k2]] (Fisher 1935; two-sided
 * p-value as in R's `fisher.test`). Work is logarithmic in the table size plus the length of the
 * tails actually summed, so n1, n2 in the millions or billions are fine.
 */
export function fisherExact(k1: number, n1: number, k2: number, n2: number): FisherExact {
  checkSuccesses('k1', k1, 'n1', n1);
  checkSuccesses('k2', k2, 'n2', n2);
  const h = new Hypergeometric(k1 + k2, n1, n1 + n2);
  return {
    pValue: h.massAtOrBelow(h.logDensity(k1) + LOG_RELATIVE_TOLERANCE),
    less: h.cdf(k1),
    greater: h.survival(k1),
    method: 'fisher-exact',
  };
}
