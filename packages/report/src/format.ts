/**
 * Numbers as reports print them. Interval bounds are always rounded outwards (lower down, upper
 * up), so the printed interval contains the computed one. Each formatter returns the estimate and
 * the rest separately so that tables can right-align estimates and line up the brackets.
 */
import { formatValue } from '@naplab/stats';
import type { MeanEstimate, RateInterval } from './types.js';

/** An estimate and what follows it: `4.1e-4` + `[3.2e-4, 5.3e-4]`. */
export interface Split {
  est: string;
  rest: string;
}

export function joinSplit(s: Split): string {
  return s.rest === '' ? s.est : `${s.est} ${s.rest}`;
}

/** 1234567 -> `1,234,567`. Locale-independent, so output is the same everywhere. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.round(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `< 0.001` below 0.001, else two significant digits: `0.042`, `0.62`, `1.0`. */
export function formatPValue(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${formatValue(p, 2)}`;
}

/** As a table cell: `< 0.001` or `0.042`. */
export function formatPCell(p: number): string {
  return p < 0.001 ? '< 0.001' : formatValue(p, 2);
}

const SMALL = 1e-3;

function wantsExponential(values: number[]): boolean {
  return values.some((v) => v !== 0 && Number.isFinite(v) && Math.abs(v) < SMALL);
}

function signed(text: string, x: number): string {
  return x > 0 && !text.startsWith('-') && text !== '0' && !/^0(\.0*)?$/.test(text) ? `+${text}` : text;
}

/**
 * A lockup (or failure) rate: `4.1e-4 [3.2e-4, 5.3e-4]` with two significant digits, scientific
 * notation when any number is below 1e-3; with no events `0 (< 1.5e-5, rule of 3)`.
 */
export function formatRate(r: RateInterval): Split {
  if (r.k === 0) {
    if (r.ruleOfThreeUpper !== undefined)
      return { est: '0', rest: `(< ${formatValue(r.ruleOfThreeUpper, 2, 'up')}, rule of 3)` };
    return { est: '0', rest: `(< ${formatValue(r.upper, 2, 'up')})` };
  }
  const notation = wantsExponential([r.estimate, r.lower, r.upper]) ? 'exponential' : 'fixed';
  return {
    est: formatValue(r.estimate, 2, 'nearest', notation),
    rest: `[${formatValue(r.lower, 2, 'down', notation)}, ${formatValue(r.upper, 2, 'up', notation)}]`,
  };
}

/** A difference of rates, signed: `+4.1e-4 [+3.2e-4, +5.3e-4]`. */
export function formatRateDifference(d: { estimate: number; lower: number; upper: number }): Split {
  const notation = wantsExponential([d.estimate, d.lower, d.upper]) ? 'exponential' : 'fixed';
  const f = (x: number, rounding: 'nearest' | 'down' | 'up') =>
    signed(formatValue(x, 2, rounding, notation), x);
  return { est: f(d.estimate, 'nearest'), rest: `[${f(d.lower, 'down')}, ${f(d.upper, 'up')}]` };
}

function roundFixed(x: number, decimals: number, rounding: 'nearest' | 'down' | 'up'): string {
  const m = x * 10 ** decimals;
  // a few ulps of slack so that 0.3 (stored as 0.29999999999999999) does not round down to 0.2
  const slack = 1e-9 * Math.max(1, Math.abs(m));
  const r =
    rounding === 'down' ? Math.floor(m + slack) : rounding === 'up' ? Math.ceil(m - slack) : Math.round(m);
  const out = (r / 10 ** decimals).toFixed(decimals);
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/**
 * Decimals that show an interval of this width: one significant digit of the width, at most
 * `max`: width 0.4 -> 1 decimal, 0.004 -> 3.
 */
export function decimalsFor(width: number, max = 4): number {
  if (!(width > 0) || !Number.isFinite(width)) return max;
  return Math.min(max, Math.max(0, -Math.floor(Math.log10(width))));
}

/**
 * An estimate with its interval in fixed notation, decimals chosen from the interval's width:
 * `0.750 [0.748, 0.752]`, `153.2 [152.9, 153.5]`. `scale` multiplies every number (100 for %).
 * Without bounds (null), the estimate alone with one decimal.
 */
export function formatFixedInterval(
  estimate: number,
  lower: number | null,
  upper: number | null,
  scale = 1,
  signs = false,
): Split {
  const sign = (text: string, x: number) => (signs ? signed(text, x) : text);
  if (lower === null || upper === null) {
    return { est: sign(roundFixed(estimate * scale, 1, 'nearest'), estimate), rest: '' };
  }
  const d = decimalsFor((upper - lower) * scale);
  // 0 and ±100% (0 of n, n of n) are exact: no trailing zeros that suggest a rounded value
  const f = (x: number, rounding: 'nearest' | 'down' | 'up') =>
    sign(x === 0 || Math.abs(x) === 1 ? String(x * scale) : roundFixed(x * scale, d, rounding), x);
  return { est: f(estimate, 'nearest'), rest: `[${f(lower, 'down')}, ${f(upper, 'up')}]` };
}

/** A proportion as a fraction: `0.7500 [0.7480, 0.7520]`; `n/a` when undefined (null). */
export function formatProportion(r: RateInterval | null, scale = 1): Split {
  if (!r) return { est: 'n/a', rest: '' };
  return formatFixedInterval(r.estimate, r.lower, r.upper, scale);
}

export function formatMean(m: MeanEstimate): Split {
  return formatFixedInterval(m.mean, m.lower, m.upper);
}

/** `95%`, `99.9%`. */
export function formatConfidence(c: number): string {
  return `${+(c * 100).toPrecision(6)}%`;
}

/** Short axis labels: `1e-5`, `2.5e-4`, `0.2`, `0`. */
export function formatTick(x: number, exponential = false): string {
  if (x === 0) return '0';
  const s = formatValue(x, 3, 'nearest', exponential ? 'exponential' : 'auto');
  return s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
}
