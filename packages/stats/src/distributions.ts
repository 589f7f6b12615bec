/**
 * Distribution functions and quantiles built on the special functions: normal CDF, Student t and
 * chi-square. Every quantile is the exact inverse of its CDF (no table look-ups), so intervals at
 * unusual confidence levels (99.9%, 1 - 1e-6) are as accurate as at 95%.
 */

import { normalQuantile } from './normal.js';
import { betaInv, gammaInc, gammaIncInv, lgamma, regularizedBeta } from './special.js';
import { checkPositive, checkProbability } from './validate.js';

export { normalQuantile };

/** Φ(x) for the standard normal, via erfc(y) = Q(1/2, y²), accurate deep into both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * gammaInc(0.5, (x * x) / 2, false);
  return x < 0 ? tail : 1 - tail;
}

function checkDf(df: number): void {
  checkPositive('df', df);
}

// Above this many degrees of freedom the Cornish–Fisher series below is exact to double precision
// (first omitted term is O(z^11 / df^5)), and it avoids continued fractions in a = df/2 ~ 1e10,
// where the incomplete beta keeps only ~1e-9 relative accuracy in the tails.
const T_EXPANSION_MIN_DF = 1e5;

/** t_{df} quantile from the normal quantile z (Cornish–Fisher, Abramowitz & Stegun 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional or Infinity). */
export function tCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (df >= T_EXPANSION_MIN_DF && Math.abs(t) <= 50) {
    // Invert the Cornish–Fisher expansion: find z with cornishFisher(z) = t by the fixed point
    // z = t - (cornishFisher(z) - z), a contraction here (derivative ~ 3z²/(4 df) < 0.02); then
    // P(T ≤ t) = Φ(z). Consistent with tQuantile and accurate deep into the tails.
    let z = t;
    for (let i = 0; i < 50; i++) {
      const next = t - (cornishFisher(z, df) - z);
      if (next === z) break;
      z = next;
    }
    return normalCdf(z);
  }
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2) = upper tail of Beta(1/2, df/2) at t²/(df+t²). Use the
  // form whose argument is not near 1 so that no digits are lost forming it.
  const t2 = t * t;
  const a = df / 2;
  // Where x = df/(df+t²) underflows (df < 1, |t| > 1e150), use the leading term of the series,
  // I_x(a, 1/2) = x^a / (a B(a, 1/2)) (1 + O(x)), from ln x.
  const logX = Math.log(df) - 2 * Math.log(Math.abs(t));
  if (logX < -600) {
    const half = Math.exp(a * logX - Math.log(a) - (lgamma(a) + lgamma(0.5) - lgamma(a + 0.5))) / 2;
    return t < 0 ? half : 1 - half;
  }
  const x = df / (df + t2);
  const twoSided = x < 0.5 ? regularizedBeta(x, a, 0.5) : regularizedBeta(t2 / (df + t2), 0.5, a, false);
  return t < 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/**
 * Student t quantile: the t with P(T ≤ t) = p. Exact inversion of the incomplete beta for moderate
 * df; for df ≥ 1e5 the Cornish–Fisher expansion in 1/df (Abramowitz & Stegun 26.7.5); the normal
 * quantile for df = Infinity.
 */
export function tQuantile(p: number, df: number): number {
  checkProbability('p', p);
  checkDf(df);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (df >= T_EXPANSION_MIN_DF) return cornishFisher(normalQuantile(p), df);
  const tail = Math.min(p, 1 - p);
  const sign = p < 0.5 ? -1 : 1;
  // For df < 1 the far tail is so heavy that x = df/(df+t²) below underflows although t is a
  // finite double; there I_x(df/2, 1/2) = x^(df/2) / ((df/2) B(df/2, 1/2)) (1 + O(x)) gives ln x.
  const a = df / 2;
  const logX = (Math.log(2 * tail) + Math.log(a) + lgamma(a) + lgamma(0.5) - lgamma(a + 0.5)) / a;
  if (logX < -600) return sign * Math.exp(0.5 * (Math.log(df) - logX));
  // Solve P(|T| > t) = 2 * tail for x = df/(df+t²); if x is close to 1 (t small against sqrt(df)),
  // solve for y = 1 - x = t²/(df+t²) directly instead, which keeps its digits.
  const x = betaInv(2 * tail, df / 2, 0.5);
  if (x < 0.5) return sign * Math.sqrt((df * (1 - x)) / x);
  const y = betaInv(2 * tail, 0.5, df / 2, false);
  return sign * Math.sqrt((df * y) / (1 - y));
}

/** P(X ≤ x) for the chi-square distribution with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number, lowerTail = true): number {
  checkDf(df);
  return gammaInc(df / 2, Math.max(0, x) / 2, lowerTail);
}

/**
 * Chi-square quantile: the x with P(X ≤ x) = p (with `lowerTail = false`, P(X > x) = p), as twice
 * the Gamma(df/2) quantile.
 */
export function chiSquareQuantile(p: number, df: number, lowerTail = true): number {
  checkDf(df);
  return 2 * gammaIncInv(p, df / 2, lowerTail);
}
