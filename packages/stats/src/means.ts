/**
 * Intervals for per-trial quantities (cycles per trial, syncs per wakeup) from streaming
 * aggregates, so that engines only ever keep running sums and never per-trial arrays.
 *
 * Sums of squares lose precision when the mean is large against the spread (the textbook
 * "Σx² - (Σx)²/n" cancellation). Engine aggregates are integer counts, so whenever every input is
 * a safe integer (< 2^53) the centred sums are formed exactly in BigInt arithmetic; only
 * non-integer inputs take the floating-point route.
 */

import { tQuantile } from './distributions.js';
import { checkConfidence, checkFinite, checkTrials } from './validate.js';

/** Streaming aggregate of one per-trial quantity x: n trials, Σx, Σx². */
export interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export interface MeanInterval {
  n: number;
  /** Σx / n. */
  estimate: number;
  /** Sample standard deviation (n - 1 denominator); NaN when n = 1. */
  standardDeviation: number;
  /** standardDeviation / sqrt(n). */
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  /** Degrees of freedom of the t quantile, n - 1. */
  df: number;
  method: 'student-t';
}

function allSafeIntegers(values: readonly number[]): boolean {
  return values.every((v) => Number.isSafeInteger(v));
}

/** Σ(x - mean)² from (n, Σx, Σx²): exact for integer inputs, clamped at 0 otherwise. */
function centredSumOfSquares(n: number, sum: number, sumSq: number): number {
  if (allSafeIntegers([n, sum, sumSq])) {
    // n Σx² - (Σx)² is an exact integer; one division rounds once.
    const scaled = BigInt(n) * BigInt(sumSq) - BigInt(sum) * BigInt(sum);
    return Number(scaled) / n;
  }
  return Math.max(0, sumSq - (sum / n) * sum);
}

/** t_{1-α/2, df}, from the α/2 side so that no digits are lost. */
function tCritical(confidence: number, df: number): number {
  return -tQuantile((1 - confidence) / 2, df);
}

/**
 * Confidence interval for the mean of a per-trial quantity: mean ± t_{1-α/2, n-1} · s/√n. The t
 * quantile is used at every n; it is indistinguishable from the normal quantile at large n
 * (1.959988 at n = 1e5, 1.959964 at n = 1e10), so there is no switch-over with a jump. With n = 1
 * there is no spread to estimate and the interval is (-Infinity, Infinity).
 */
export function meanInterval(moments: Moments, confidence = 0.95): MeanInterval {
  const { n, sum, sumSq } = moments;
  checkTrials('n', n);
  checkFinite('sum', sum);
  checkFinite('sumSq', sumSq);
  checkConfidence(confidence);
  const estimate = sum / n;
  if (n === 1) {
    return {
      n,
      estimate,
      standardDeviation: Number.NaN,
      standardError: Number.NaN,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      confidence,
      df: 0,
      method: 'student-t',
    };
  }
  const standardDeviation = Math.sqrt(centredSumOfSquares(n, sum, sumSq) / (n - 1));
  const standardError = standardDeviation / Math.sqrt(n);
  const half = tCritical(confidence, n - 1) * standardError;
  return {
    n,
    estimate,
    standardDeviation,
    standardError,
    lower: estimate - half,
    upper: estimate + half,
    confidence,
    df: n - 1,
    method: 'student-t',
  };
}

/**
 * Streaming aggregate for a ratio of sums R = Σx / Σy over trials, e.g. x = syncs and y = wakeups
 * of each trial, R = syncs per wakeup:
 *   n      number of trials
 *   sumX   Σ x_i            sumY   Σ y_i
 *   sumXX  Σ x_i²           sumYY  Σ y_i²        sumXY  Σ x_i y_i
 * The three second-order sums are optional; without them only the estimate is available.
 */
export interface RatioMoments {
  n: number;
  sumX: number;
  sumY: number;
  sumXX?: number;
  sumYY?: number;
  sumXY?: number;
}

export interface RatioEstimate {
  n: number;
  /** Σx / Σy. */
  estimate: number;
  /** Delta-method standard error; absent without the second-order sums or with n < 2. */
  standardError?: number;
  lower?: number;
  upper?: number;
  confidence: number;
  df?: number;
  method: 'delta-method' | 'point-estimate';
}

/**
 * Ratio of sums R = Σx/Σy with a delta-method (linearisation) interval. The trials are the
 * independent units, and R's error is that of the mean residual d_i = x_i - R·y_i scaled by ȳ:
 *   Var(R) ≈ Σ d_i² / (n (n - 1) ȳ²),  Σ d_i² = Σx² - 2R Σxy + R² Σy²
 * (Cochran, Sampling Techniques, 3rd ed., §6.4). The interval is R ± t_{1-α/2, n-1} · SE; it is
 * approximate, good when n is large and ȳ is well away from 0.
 */
export function ratioOfSums(moments: RatioMoments, confidence = 0.95): RatioEstimate {
  const { n, sumX, sumY, sumXX, sumYY, sumXY } = moments;
  checkTrials('n', n);
  checkFinite('sumX', sumX);
  checkFinite('sumY', sumY);
  checkConfidence(confidence);
  if (sumY === 0) throw new RangeError('sumY must be non-zero: the ratio Σx/Σy is undefined');
  const estimate = sumX / sumY;
  if (sumXX === undefined || sumYY === undefined || sumXY === undefined || n < 2) {
    return { n, estimate, confidence, method: 'point-estimate' };
  }
  checkFinite('sumXX', sumXX);
  checkFinite('sumYY', sumYY);
  checkFinite('sumXY', sumXY);
  let residualSq: number; // Σ d_i² · (Σy)²
  if (allSafeIntegers([sumX, sumY, sumXX, sumYY, sumXY])) {
    const sx = BigInt(sumX);
    const sy = BigInt(sumY);
    const exact = sy * sy * BigInt(sumXX) - 2n * sx * sy * BigInt(sumXY) + sx * sx * BigInt(sumYY);
    residualSq = Number(exact);
  } else {
    residualSq = Math.max(0, sumXX - 2 * estimate * sumXY + estimate * estimate * sumYY) * sumY * sumY;
  }
  // SE = sqrt(Σd² / (n(n-1))) / ȳ = sqrt(Σd² (Σy)² · n/(n-1)) / (Σy)².
  const standardError = Math.sqrt(Math.max(0, residualSq) * (n / (n - 1))) / (sumY * sumY);
  const half = tCritical(confidence, n - 1) * standardError;
  return {
    n,
    estimate,
    standardError,
    lower: estimate - half,
    upper: estimate + half,
    confidence,
    df: n - 1,
    method: 'delta-method',
  };
}
