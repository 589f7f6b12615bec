/**
 * Rates per unit exposure (lockups per simulated hour, per million cycles) and their reciprocal,
 * the mean time between events. Unlike a binomial proportion the count here is not bounded by a
 * number of trials: use this when the natural denominator is time or work, not attempts.
 */

import { gammaIncInv } from './special.js';
import { checkConfidence, checkCount, checkFinite, checkPositive } from './validate.js';

export interface PoissonRateInterval {
  events: number;
  exposure: number;
  confidence: number;
  /** events / exposure. */
  rate: number;
  lower: number;
  upper: number;
  /** exposure / events and the reciprocal interval [1/upper, 1/lower]; Infinity where unbounded. */
  meanTimeBetweenEvents: { estimate: number; lower: number; upper: number };
  method: 'garwood';
}

/**
 * Exact (Garwood 1936) interval for a Poisson rate: with k events in exposure T,
 *   lower = χ²(α/2; 2k) / (2T),  upper = χ²(1-α/2; 2k+2) / (2T),
 * computed as Gamma quantiles (χ²(p; 2k)/2 is the Gamma(k) quantile). For k = 0 the lower bound is
 * 0 and the upper is -ln(α/2)/T (3.689/T at 95%). Coverage is at least nominal for every rate.
 */
export function poissonRateInterval(
  events: number,
  exposure: number,
  confidence = 0.95,
): PoissonRateInterval {
  checkCount('events', events);
  checkPositive('exposure', exposure);
  checkFinite('exposure', exposure);
  checkConfidence(confidence);
  const halfAlpha = (1 - confidence) / 2;
  const lower = events === 0 ? 0 : gammaIncInv(halfAlpha, events) / exposure;
  // Upper tail of Gamma(k+1) equal to α/2, solved on that tail directly.
  const upper = gammaIncInv(halfAlpha, events + 1, false) / exposure;
  return {
    events,
    exposure,
    confidence,
    rate: events / exposure,
    lower,
    upper,
    meanTimeBetweenEvents: {
      estimate: events === 0 ? Number.POSITIVE_INFINITY : exposure / events,
      lower: 1 / upper,
      upper: lower === 0 ? Number.POSITIVE_INFINITY : 1 / lower,
    },
    method: 'garwood',
  };
}
