/**
 * Special functions under every interval in this package: log-gamma, the binomial density in the
 * saddle-point form, the regularized incomplete beta and gamma functions and their inverses.
 *
 * Lockup counts are small and trial counts huge (n up to 1e10), so the naive forms fail in two ways:
 * `x^a (1-x)^b / B(a,b)` overflows or loses every digit to cancellation between log-gamma terms of
 * size ~1e11, and `lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)` leaves ~1e-5 absolute error in a log
 * probability. Every density here is therefore evaluated with Loader's saddle-point decomposition
 * (`stirlerr` + `bd0`), which keeps full relative accuracy for any n. References:
 *  - C. Loader (2000), "Fast and Accurate Computation of Binomial Probabilities" (the R `dbinom`).
 *  - Press et al., Numerical Recipes 3rd ed. (2007), §6.2 and §6.4: continued fractions evaluated
 *    with the modified Lentz method, Gauss–Legendre quadrature for the incomplete gamma at large a,
 *    and the starting values of the inverse functions.
 */

import { normalQuantile } from './normal.js';
import { checkPositive, checkProbability } from './validate.js';

const LN_SQRT_2PI = 0.9189385332046728; // ln(sqrt(2*pi))
const LN_2PI = 1.8378770664093456; // ln(2*pi)
// Guards the Lentz recurrences against division by an exact zero (NR's FPMIN).
const TINY = 1e-300;
// A continued fraction has converged when a factor changes the product by less than this.
const CF_EPS = 3 * Number.EPSILON;
// The continued fractions need O(sqrt(min(a, b))) terms in the worst case (both shape parameters
// near 1e10 and x at the mean); this bound is far above that and only catches a bug.
const MAX_ITER = 10_000_000;

// Stirling series for ln Γ(x) - [(x - 1/2) ln x - x + ln sqrt(2π)], Abramowitz & Stegun 6.1.41.
// At x = 10 the first omitted term is below 3e-17, so the series is used from 10 upwards.
function stirlingSeries(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let s = 1 / 156;
  s = 691 / 360360 - r2 * s;
  s = 1 / 1188 - r2 * s;
  s = 1 / 1680 - r2 * s;
  s = 1 / 1260 - r2 * s;
  s = 1 / 360 - r2 * s;
  s = 1 / 12 - r2 * s;
  return r * s;
}

function sinPi(x: number): number {
  // Reduce first so that sin(pi*x) is exactly 0 at integers and accurate near them.
  const r = x - 2 * Math.floor(x / 2);
  if (r === 0 || r === 1) return 0;
  if (r === 0.5) return 1;
  if (r === 1.5) return -1;
  return Math.sin(Math.PI * r);
}

/**
 * ln |Γ(x)|. Accurate to a few ulps of the result's magnitude (absolute error ~1e-15 near the
 * zeros at x = 1 and x = 2). Infinity at the poles 0, -1, -2, ...
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x === 1 || x === 2) return 0;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    // Reflection Γ(x) Γ(1-x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingSeries(x);
  // Γ(x) = Γ(x + k) / (x (x+1) ... (x+k-1)): shift into the range where the series is exact.
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + stirlingSeries(y) - Math.log(product);
}

/**
 * Loader's Stirling error δ(n) = ln Γ(n+1) - [(n + 1/2) ln n - n + ln sqrt(2π)], for n > 0.
 * Small (≈ 1/(12n)), and computed without forming ln Γ(n+1) when n is large.
 */
export function stirlerr(n: number): number {
  if (n >= 10) return stirlingSeries(n);
  return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
}

/**
 * Loader's deviance term bd0(x, m) = x ln(x/m) + m - x ≥ 0, computed by a series when x ≈ m, where
 * the direct form cancels to nothing. A caller who knows x - m more precisely than the rounded
 * difference of two large doubles passes it as `xMinusM`.
 */
export function bd0(x: number, m: number, xMinusM = x - m): number {
  if (Math.abs(xMinusM) < 0.1 * (x + m)) {
    let v = xMinusM / (x + m);
    let s = xMinusM * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / m) - xMinusM;
}

/**
 * ln of the binomial density Γ(n+1)/(Γ(x+1)Γ(n-x+1)) p^x q^(n-x) for real 0 ≤ x ≤ n, with q = 1-p
 * passed separately so that callers who know q exactly do not lose it to rounding.
 */
export function logBinomialDensityRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (q === 0) return x === n ? 0 : Number.NEGATIVE_INFINITY;
  if (x === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  }
  if (x === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  if (x < 0 || x > n) return Number.NEGATIVE_INFINITY;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return lc - 0.5 * lf;
}

/** ln P(X = k) for X ~ Binomial(n, p); exact to ~1e-15 relative even for n = 1e10. */
export function logBinomialPmf(k: number, n: number, p: number): number {
  checkProbability('p', p);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  return logBinomialDensityRaw(k, n, p, 1 - p);
}

/** P(X = k) for X ~ Binomial(n, p), evaluated in log space (see `logBinomialPmf`). */
export function binomialPmf(k: number, n: number, p: number): number {
  return Math.exp(logBinomialPmf(k, n, p));
}

/** ln of the Poisson(m) density m^x e^-m / Γ(x+1) at real x ≥ 0, in Loader's form. */
function logPoissonDensityRaw(x: number, m: number): number {
  if (m === 0) return x === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (x === 0) return -m;
  return -stirlerr(x) - bd0(x, m) - 0.5 * (LN_2PI + Math.log(x));
}

// --- Incomplete beta --------------------------------------------------------------------------

/**
 * Continued fraction for I_x(a,b) (NR eq. 6.4.5), modified Lentz; converges for x < (a+1)/(a+b+2).
 * `complement` is 1 - x exactly. The fraction is sensitive to x only through its first denominator
 * 1 - (a+b)x/(a+1), and when x = 1 - 2.5e-10 (a Clopper–Pearson bound at n = 1e10 seen from the
 * other tail) rounding x to a double before forming it costs 7 digits; so that denominator is built
 * from whichever of x and 1 - x is small, which the caller holds exactly.
 */
function betaContinuedFraction(x: number, complement: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = x <= 0.5 ? 1 - (qab * x) / qap : (1 - b + qab * complement) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) return h;
  }
  throw new Error(
    `internal error: incomplete beta continued fraction did not converge (x=${x}, a=${a}, b=${b})`,
  );
}

/** ln of x^a (1-x)^b / B(a,b), through the binomial density so that huge a, b cancel exactly. */
function logBetaFront(x: number, a: number, b: number): number {
  return logBinomialDensityRaw(a, a + b, x, 1 - x) + Math.log((a / (a + b)) * b);
}

// Where the continued fraction in 1 - x loses more than ~eps/x relative accuracy to rounding, the
// positive series takes over. It costs about (a+b)x terms, so past BETA_SERIES_MAX_TERMS the fraction
// is used anyway (x is then ≥ 1e-5 for n ≤ 1e10, costing at most ~1e-11).
const BETA_SERIES_MAX_ARGUMENT = 1e-3;
const BETA_SERIES_MAX_TERMS = 1e5;

/**
 * ln 2F1(a+b, 1; a+1; x), where I_x(a,b) = x^a (1-x)^b / (a B(a,b)) * 2F1(a+b, 1; a+1; x)
 * (DLMF 8.17.8). All terms are positive and x enters only multiplicatively, so a tiny x keeps every
 * digit. The terms rise to about e^((a+b)x) before they fall, hence the running rescale.
 */
function logBetaSeries(x: number, a: number, b: number): number {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < MAX_ITER; n++) {
    const ratio = ((a + b + n) / (a + 1 + n)) * x;
    term *= ratio;
    sum += term;
    if (sum > 1e280) {
      sum *= 1e-280;
      term *= 1e-280;
      logScale += 280 * Math.LN10;
    }
    // Past the peak the ratios stay below max(ratio, x) < 1, so the rest is a geometric tail.
    const bound = Math.max(ratio, x);
    if (ratio < 1 && (term * bound) / (1 - bound) <= sum * Number.EPSILON) return logScale + Math.log(sum);
  }
  throw new Error(`internal error: incomplete beta series did not converge (x=${x}, a=${a}, b=${b})`);
}

/**
 * Both tails [I_s(a,b), 1 - I_s(a,b)] for 0 < s ≤ 1/2, s exact.
 *  - below the switch point (a+1)/(a+b+2): the continued fraction in s (NR §6.4);
 *  - above it, with s tiny: the continued fraction would run on 1 - s ≈ 1, where rounding 1 - s to
 *    a double and the products inside the fraction lose about eps/s relative accuracy (7 digits at
 *    s = 1e-9, a Clopper–Pearson upper bound at n = 1e10), so the positive series is used instead;
 *    its complement is used unless it is smaller than s, where the fraction is better;
 *  - otherwise the continued fraction on 1 - s, where s is not small enough to matter.
 * Accuracy is ~1e-13 relative for moderate shapes. With b ≳ 1e6 and s small, a tail below ~1e-5
 * is a difference or a fraction in 1 - s and keeps 8-10 digits (measured against 50-digit
 * quadrature: 4e-11 at a tail of 2e-5, 4e-9 at 2e-10, 1e-7 at 1e-56) — ample for interval bounds,
 * whose tails are α/2, but not a deep-tail p-value routine.
 */
function betaTailsSmallArgument(s: number, a: number, b: number): [number, number] {
  const front = logBetaFront(s, a, b);
  if (s < (a + 1) / (a + b + 2)) {
    const lower = Math.exp(front - Math.log(a)) * betaContinuedFraction(s, 1 - s, a, b);
    return [lower, 1 - lower];
  }
  const fromFraction = () => Math.exp(front - Math.log(b)) * betaContinuedFraction(1 - s, s, b, a);
  if (s < BETA_SERIES_MAX_ARGUMENT && (a + b) * s <= BETA_SERIES_MAX_TERMS) {
    const lower = Math.exp(front - Math.log(a) + logBetaSeries(s, a, b));
    const upper = 1 - lower;
    return [lower, upper < s ? fromFraction() : upper];
  }
  const upper = fromFraction();
  return [1 - upper, upper];
}

/** Both tails [I_x(a,b), 1 - I_x(a,b)], through the symmetry I_x(a,b) = 1 - I_{1-x}(b,a). */
function betaTails(x: number, a: number, b: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (x >= 1) return [1, 0];
  if (x <= 0.5) return betaTailsSmallArgument(x, a, b);
  // 1 - x is exact for x ≥ 1/2 (Sterbenz), so the small argument loses nothing.
  const [lower, upper] = betaTailsSmallArgument(1 - x, b, a);
  return [upper, lower];
}

function checkShape(name: string, value: number): void {
  checkPositive(name, value);
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be finite, got ${value}`);
}

/**
 * Regularized incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b); with `lowerTail = false`,
 * P(X > x) computed directly (no `1 - I` cancellation when it is the small one).
 */
export function regularizedBeta(x: number, a: number, b: number, lowerTail = true): number {
  checkProbability('x', x);
  checkShape('a', a);
  checkShape('b', b);
  const [lower, upper] = betaTails(x, a, b);
  return lowerTail ? lower : upper;
}

/** Density of Beta(a, b) at 0 < x < 1. */
function betaDensity(x: number, a: number, b: number): number {
  return Math.exp(logBetaFront(x, a, b) - Math.log(x) - Math.log1p(-x));
}

// --- Safeguarded Newton ------------------------------------------------------------------------

/**
 * Root of an increasing function on (lo, hi) by Newton steps that fall back to bisection whenever a
 * step leaves the bracket. Bisection is geometric while the bracket spans orders of magnitude, so a
 * root at 1e-12 (a Clopper–Pearson bound at n = 1e10) is reached in a few dozen steps, not hundreds.
 */
function solveIncreasing(
  residual: (x: number) => number,
  derivative: (x: number) => number,
  start: number,
  lo: number,
  hi: number,
): number {
  let x = start > lo && start < hi ? start : bisect(lo, hi);
  for (let iter = 0; iter < 300; iter++) {
    const r = residual(x);
    if (r === 0) return x;
    if (r < 0) lo = x;
    else hi = x;
    const step = r / derivative(x);
    // A step below the resolution of x means x is the root to working precision.
    if (Math.abs(step) <= 2 * Number.EPSILON * Math.abs(x)) return x - step;
    let next = x - step;
    if (!(next > lo && next < hi)) next = bisect(lo, hi);
    // Bisection has run out of subnormals: the root is below the smallest positive double.
    if (next === 0) return 0;
    if (hi !== Number.POSITIVE_INFINITY && hi - lo <= 2 * Number.EPSILON * hi) return next;
    x = next;
  }
  return x;
}

function bisect(lo: number, hi: number): number {
  if (hi === Number.POSITIVE_INFINITY) return lo > 0 ? 4 * lo : 1;
  if (lo === 0) return hi > 1e-290 ? Math.sqrt(1e-300 * hi) : hi * 1e-10;
  if (lo > 0 && hi / lo > 8) return Math.sqrt(lo * hi);
  return lo + (hi - lo) / 2;
}

/**
 * Inverse of the regularized incomplete beta: the x with I_x(a, b) = p (with `lowerTail = false`,
 * the x with P(X > x) = p). Starting value from NR §6.14 (AS 109 style), then safeguarded Newton.
 */
export function betaInv(p: number, a: number, b: number, lowerTail = true): number {
  checkProbability('p', p);
  checkShape('a', a);
  checkShape('b', b);
  const pLower = lowerTail ? p : 1 - p;
  if (lowerTail ? p === 0 : p === 1) return 0;
  if (lowerTail ? p === 1 : p === 0) return 1;

  let start: number;
  if (a >= 1 && b >= 1) {
    // Normal approximation on the logit scale.
    const z = normalQuantile(Math.min(Math.max(pLower, 1e-300), 1 - 1e-16));
    const al = (z * z - 3) / 6;
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
    const w = (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
    start = a / (a + b * Math.exp(-2 * w));
  } else {
    // Power-law tails near 0 and 1.
    const t = Math.exp(a * Math.log(a / (a + b))) / a;
    const u = Math.exp(b * Math.log(b / (a + b))) / b;
    const w = t + u;
    start = pLower < t / w ? (a * w * pLower) ** (1 / a) : 1 - (b * w * (1 - pLower)) ** (1 / b);
  }
  const residual = lowerTail
    ? (x: number) => betaTails(x, a, b)[0] - p
    : (x: number) => p - betaTails(x, a, b)[1];
  return solveIncreasing(residual, (x) => betaDensity(x, a, b), start, 0, 1);
}

// --- Incomplete gamma --------------------------------------------------------------------------

/** Gauss–Legendre nodes and weights on [0, 1] (NR `gauleg`), computed once. */
function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < (n + 1) >> 1; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      dp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / dp;
      if (Math.abs(z - z1) < 1e-15) break;
    }
    const w = 2 / ((1 - z * z) * dp * dp);
    nodes[i] = (1 - z) / 2;
    nodes[n - 1 - i] = (1 + z) / 2;
    weights[i] = w / 2;
    weights[n - 1 - i] = w / 2;
  }
  return { nodes, weights };
}

const GAUSS = gaussLegendre(32);
// Below this shape the series and continued fraction are fast everywhere; above it they need
// O(sqrt(a)) terms near the mode, where quadrature of the density is used instead (NR §6.2.1).
const GAMMA_QUADRATURE_MIN_A = 100;

/**
 * [P(a,x), Q(a,x)] by 32-point Gauss–Legendre quadrature of the Gamma(a) density from x out to
 * 11.5 sd above or 10 sd below the mode (NR's 7.5 sd leaves ~1e-12 of the lower tail out); valid
 * for a ≥ 100 and x within 10 sd of the mode. The density t^(a-1) e^-t / Γ(a) is the Poisson
 * density at a - 1, so it is evaluated in Loader's form.
 */
function gammaTailsQuadrature(a: number, x: number): [number, number] {
  const a1 = a - 1;
  const sd = Math.sqrt(a1);
  const limit =
    x > a1 ? Math.max(a1 + 11.5 * sd, x + 6 * sd) : Math.max(0, Math.min(a1 - 10 * sd, x - 5 * sd));
  const scale = -stirlerr(a1) - 0.5 * (LN_2PI + Math.log(a1));
  // Nodes are handled as offsets from the mode: a node t ≈ 1e10 rounded to a double would carry
  // ~1e-6 absolute error, which bd0 turns into ~1e-11 relative error in the density.
  const width = limit - x;
  const start = x - a1;
  let sum = 0;
  for (let j = 0; j < GAUSS.nodes.length; j++) {
    const offset = start + width * GAUSS.nodes[j];
    sum += GAUSS.weights[j] * Math.exp(scale - bd0(a1, a1 + offset, -offset));
  }
  const integral = sum * width;
  return x > a1 ? [1 - integral, integral] : [-integral, 1 + integral];
}

/** Both tails [P(a,x), Q(a,x)] of the regularized incomplete gamma function. */
function gammaTails(a: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (x === Number.POSITIVE_INFINITY) return [1, 0];
  if (a >= GAMMA_QUADRATURE_MIN_A && Math.abs(x - (a - 1)) <= 10 * Math.sqrt(a - 1)) {
    return gammaTailsQuadrature(a, x);
  }
  // x^a e^-x / Γ(a+1), the common front factor of the series and the continued fraction.
  const logFront = logPoissonDensityRaw(a, x);
  if (x < a + 1) {
    // Series (NR eq. 6.2.5): P = front * sum_n x^n / ((a+1)...(a+n)).
    let term = 1;
    let sum = 1;
    for (let n = 1; n <= MAX_ITER; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * Number.EPSILON) {
        const lower = Math.exp(logFront) * sum;
        return [lower, 1 - lower];
      }
    }
    throw new Error(`internal error: incomplete gamma series did not converge (a=${a}, x=${x})`);
  }
  // Continued fraction (NR eq. 6.2.7), modified Lentz: Q = a * front * h.
  let bb = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / bb;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    bb += 2;
    d = an * d + bb;
    if (Math.abs(d) < TINY) d = TINY;
    c = bb + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) {
      const upper = Math.exp(logFront + Math.log(a)) * h;
      return [1 - upper, upper];
    }
  }
  throw new Error(`internal error: incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
}

/**
 * Regularized incomplete gamma P(a, x) = γ(a, x)/Γ(a) = P(X ≤ x) for X ~ Gamma(a, 1); with
 * `lowerTail = false`, Q(a, x) = P(X > x) computed directly.
 */
export function gammaInc(a: number, x: number, lowerTail = true): number {
  checkShape('a', a);
  if (!(x >= 0)) throw new RangeError(`x must be non-negative, got ${x}`);
  const [lower, upper] = gammaTails(a, x);
  return lowerTail ? lower : upper;
}

/** Density of Gamma(a, 1) at x > 0: a/x times the Poisson density at a. */
function gammaDensity(a: number, x: number): number {
  return Math.exp(logPoissonDensityRaw(a, x) + Math.log(a / x));
}

/**
 * Inverse of `gammaInc`: the x with P(a, x) = p (with `lowerTail = false`, Q(a, x) = p).
 * Wilson–Hilferty start (NR §6.2.1), then safeguarded Newton on [0, ∞).
 */
export function gammaIncInv(p: number, a: number, lowerTail = true): number {
  checkProbability('p', p);
  checkShape('a', a);
  if (lowerTail ? p === 0 : p === 1) return 0;
  if (lowerTail ? p === 1 : p === 0) return Number.POSITIVE_INFINITY;
  const pLower = lowerTail ? p : 1 - p;
  let start: number;
  if (a > 1) {
    const z = normalQuantile(Math.min(Math.max(pLower, 1e-300), 1 - 1e-16));
    start = Math.max(1e-3, a * (1 - 1 / (9 * a) + z / (3 * Math.sqrt(a))) ** 3);
  } else {
    const t = 1 - a * (0.253 + a * 0.12);
    start = pLower < t ? (pLower / t) ** (1 / a) : 1 - Math.log(1 - (pLower - t) / (1 - t));
  }
  const residual = lowerTail
    ? (x: number) => gammaTails(a, x)[0] - p
    : (x: number) => p - gammaTails(a, x)[1];
  return solveIncreasing(residual, (x) => gammaDensity(a, x), start, 0, Number.POSITIVE_INFINITY);
}
