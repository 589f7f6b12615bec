/**
 * Human-readable numbers for reports: significant digits, with interval bounds rounded outwards so
 * that the printed interval contains the computed one (a printed upper bound of 1.7e-4 for a
 * computed 1.64e-4; only a bound within a few ulps of a printable value may print as that value).
 */

export type Rounding = 'nearest' | 'down' | 'up';

// Relative slack of a few ulps when rounding down/up, so that 1.6e-4, stored as
// 1.5999999999999999e-4 and scaled with one more rounding, still prints as 1.6e-4, not 1.5e-4.
const ROUNDING_SLACK = 8 * Number.EPSILON;

/** x / 10^k, staying finite for subnormal x (10^-330 underflows, so scale in two steps). */
function shift(x: number, k: number): number {
  if (k >= 0) return x / 10 ** k;
  if (k < -300) return x * 1e300 * 10 ** (-k - 300);
  return x * 10 ** -k;
}

function roundMantissa(m: number, rounding: Rounding): number {
  const slack = Math.abs(m) * ROUNDING_SLACK;
  if (rounding === 'down') return Math.floor(m + slack);
  if (rounding === 'up') return Math.ceil(m - slack);
  return Math.round(m);
}

/** Exponential notation is used below 1e-3 and from 1e5 up; fixed notation in between. */
function wantsExponential(x: number): boolean {
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5);
}

/**
 * `x` to `digits` significant digits: `1.23e-4`, `0.308`, `0`. `rounding` picks the direction
 * ('down' = towards -Infinity). `notation` forces one style, so that the numbers of one interval
 * print alike.
 */
export function formatValue(
  x: number,
  digits = 3,
  rounding: Rounding = 'nearest',
  notation: 'auto' | 'fixed' | 'exponential' = 'auto',
): string {
  if (!Number.isInteger(digits) || digits < 1 || digits > 15) {
    throw new RangeError(`digits must be an integer in [1, 15], got ${digits}`);
  }
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return '0';
  let exponent = Math.floor(Math.log10(Math.abs(x)));
  let mantissa = roundMantissa(shift(x, exponent - digits + 1), rounding);
  // log10 can be off by one at exact powers of ten, and rounding can carry (9.99 -> 10.0).
  if (Math.abs(mantissa) >= 10 ** digits) {
    exponent += 1;
    mantissa = roundMantissa(shift(x, exponent - digits + 1), rounding);
  } else if (Math.abs(mantissa) < 10 ** (digits - 1)) {
    exponent -= 1;
    mantissa = roundMantissa(shift(x, exponent - digits + 1), rounding);
  }
  const useExponential = notation === 'exponential' || (notation === 'auto' && wantsExponential(x));
  if (useExponential) {
    return `${(mantissa / 10 ** (digits - 1)).toFixed(digits - 1)}e${exponent}`;
  }
  const decimals = Math.max(0, digits - 1 - exponent);
  return (mantissa * 10 ** (exponent - digits + 1)).toFixed(decimals);
}

/**
 * `estimate [lower, upper]`, e.g. `1.23e-4 [9.1e-5, 1.6e-4]`: the estimate with one digit more than
 * the bounds, bounds rounded outwards, one notation for all three.
 */
export function formatInterval(estimate: number, lower: number, upper: number, digits = 2): string {
  const values = [estimate, lower, upper].filter((v) => Number.isFinite(v));
  const notation = values.some(wantsExponential) ? 'exponential' : 'fixed';
  return `${formatValue(estimate, digits + 1, 'nearest', notation)} [${formatValue(lower, digits, 'down', notation)}, ${formatValue(upper, digits, 'up', notation)}]`;
}
