/**
 * Confidence intervals for one binomial proportion: k lockups seen in n trials.
 *
 * Which to use (Newcombe 1998; Brown, Cai & DasGupta 2001; Agresti & Coull 1998):
 *  - Wilson score: coverage close to nominal on average, never outside [0, 1], cheap. The default
 *    for reports and the building block of Newcombe's difference interval.
 *  - Clopper–Pearson ("exact"): coverage at least nominal for every true rate, hence wider. Use it
 *    to make a claim that must hold ("this variant's lockup rate is below 1e-6").
 *  - Rule of three: the one-sided upper bound when nothing was seen, the question "we ran n trials
 *    and saw no lockup; how large could the rate still be?".
 */

import { formatInterval } from './format.js';
import { normalQuantile } from './normal.js';
import { betaInv } from './special.js';
import { checkConfidence, checkSuccesses, checkTrials } from './validate.js';

export interface ProportionInterval {
  /** k / n. */
  estimate: number;
  lower: number;
  upper: number;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
  method: 'wilson' | 'wilson-cc' | 'clopper-pearson';
}

export interface WilsonOptions {
  /** Newcombe's method 4: wider, closer to Clopper–Pearson's guaranteed coverage. Default false. */
  continuityCorrection?: boolean;
}

/** The two-sided critical value z_{1-α/2}, computed from α/2 so that no digits are lost. */
export function zCritical(confidence: number): number {
  checkConfidence(confidence);
  return -normalQuantile((1 - confidence) / 2);
}

function clampInterval(lower: number, estimate: number, upper: number): [number, number] {
  return [Math.max(0, Math.min(lower, estimate)), Math.min(1, Math.max(upper, estimate))];
}

/** Wilson bounds for k ≤ n/2; the other half is obtained by symmetry (k ↔ n - k). */
function wilsonSmallSide(k: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const upper = (k + z2 / 2 + z * Math.sqrt((k * (n - k)) / n + z2 / 4)) / (n + z2);
  // The two bounds are the roots of (n + z²) p² - (2k + z²) p + k²/n = 0; taking the lower one from
  // the product of the roots avoids the cancellation in "centre - half-width" when k ≪ n.
  const lower = k === 0 ? 0 : (k * k) / (n * (n + z2) * upper);
  return [lower, upper];
}

/** Newcombe (1998) method 4, Wilson with continuity correction, for k ≤ n/2. */
function wilsonCcSmallSide(k: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const denominator = 2 * (n + z2);
  const lower =
    k === 0 ? 0 : (2 * k + z2 - 1 - z * Math.sqrt(z2 - 2 - 1 / n + (4 * k * (n - k + 1)) / n)) / denominator;
  const upper = (2 * k + z2 + 1 + z * Math.sqrt(z2 + 2 - 1 / n + (4 * k * (n - k - 1)) / n)) / denominator;
  return [lower, upper];
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998 methods 3 and 4):
 * the set of p not rejected by the two-sided score test at level 1 - confidence.
 */
export function wilson(
  successes: number,
  n: number,
  confidence = 0.95,
  options: WilsonOptions = {},
): ProportionInterval {
  checkSuccesses('successes', successes, 'n', n);
  const z = zCritical(confidence);
  const side = options.continuityCorrection ? wilsonCcSmallSide : wilsonSmallSide;
  const estimate = successes / n;
  let lower: number;
  let upper: number;
  if (2 * successes <= n) {
    [lower, upper] = side(successes, n, z);
  } else {
    const [lowerFailures, upperFailures] = side(n - successes, n, z);
    lower = 1 - upperFailures;
    upper = 1 - lowerFailures;
  }
  [lower, upper] = clampInterval(lower, estimate, upper);
  return {
    estimate,
    lower,
    upper,
    confidence,
    method: options.continuityCorrection ? 'wilson-cc' : 'wilson',
  };
}

/**
 * Clopper–Pearson "exact" interval (Clopper & Pearson 1934): the bounds are Beta quantiles,
 * lower = B⁻¹(α/2; k, n-k+1), upper = B⁻¹(1-α/2; k+1, n-k), with the closed forms
 * upper = 1 - (α/2)^(1/n) at k = 0 and lower = (α/2)^(1/n) at k = n.
 */
export function clopperPearson(k: number, n: number, confidence = 0.95): ProportionInterval {
  checkSuccesses('k', k, 'n', n);
  checkConfidence(confidence);
  const halfAlpha = (1 - confidence) / 2;
  // ln(α/2)/n, used by the closed forms; expm1 keeps the k = 0 bound accurate when it is ~1e-10.
  const edge = Math.log(halfAlpha) / n;
  const lower = k === 0 ? 0 : k === n ? Math.exp(edge) : betaInv(halfAlpha, k, n - k + 1);
  const upper = k === n ? 1 : k === 0 ? -Math.expm1(edge) : betaInv(halfAlpha, k + 1, n - k, false);
  return { estimate: k / n, lower, upper, confidence, method: 'clopper-pearson' };
}

export interface RuleOfThree {
  n: number;
  /** One-sided confidence level: P(rate ≤ upper) ≥ confidence. */
  confidence: number;
  /** -ln(α)/n with α = 1 - confidence: 2.9957/n at 95%, the "3/n" of the rule of three. */
  upper: number;
  /** 1 - α^(1/n): the exact one-sided Clopper–Pearson bound for 0 events, slightly below `upper`. */
  exactUpper: number;
  method: 'rule-of-three';
}

/**
 * Upper confidence bound on a rate after 0 events in n trials (Hanley & Lippman-Hand 1983). This is
 * one-sided: the 95% bound here equals the upper end of the two-sided 90% Clopper–Pearson interval.
 */
export function ruleOfThree(n: number, confidence = 0.95): RuleOfThree {
  checkTrials('n', n);
  checkConfidence(confidence);
  const logAlpha = Math.log(1 - confidence);
  return {
    n,
    confidence,
    upper: -logAlpha / n,
    exactUpper: -Math.expm1(logAlpha / n),
    method: 'rule-of-three',
  };
}

export interface RateSummary {
  k: number;
  n: number;
  confidence: number;
  estimate: number;
  wilson: ProportionInterval;
  clopperPearson: ProportionInterval;
  /** Present only when k = 0. */
  ruleOfThree?: RuleOfThree;
  /** Which interval `text` shows. */
  interval: 'wilson' | 'clopper-pearson';
  /** e.g. `1.23e-4 [9.1e-5, 1.6e-4]`: estimate to 3 digits, bounds to 2, rounded outwards. */
  text: string;
}

export interface RateSummaryOptions {
  /** Interval shown in `text`; default 'wilson'. Both are always computed. */
  interval?: 'wilson' | 'clopper-pearson';
}

/** Everything a report needs about one lockup rate k/n. */
export function rateSummary(
  k: number,
  n: number,
  confidence = 0.95,
  options: RateSummaryOptions = {},
): RateSummary {
  const w = wilson(k, n, confidence);
  const cp = clopperPearson(k, n, confidence);
  const interval = options.interval ?? 'wilson';
  const shown = interval === 'wilson' ? w : cp;
  const summary: RateSummary = {
    k,
    n,
    confidence,
    estimate: k / n,
    wilson: w,
    clopperPearson: cp,
    interval,
    text: formatInterval(shown.estimate, shown.lower, shown.upper),
  };
  if (k === 0) summary.ruleOfThree = ruleOfThree(n, confidence);
  return summary;
}
