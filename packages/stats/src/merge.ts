/**
 * Combining results from several shards, workers or runs.
 *
 * Intervals are never averaged or otherwise combined: an interval is a function of the counts, and
 * the mean of two 95% intervals is not a 95% interval of anything. Merge the raw aggregates with
 * these helpers (plain field-wise sums) and recompute the statistic from the merged counts:
 *
 *   const { k, n } = mergeCounts([shardA, shardB]);
 *   rateSummary(k, n); // not the average of the two shards' intervals
 */

import type { Moments, RatioMoments } from './means.js';
import { checkCount } from './validate.js';

/** k events in n trials. */
export interface Counts {
  k: number;
  n: number;
}

/** Events observed over an exposure (simulated time, cycles). */
export interface Exposure {
  events: number;
  exposure: number;
}

function sumField<T>(parts: readonly T[], pick: (part: T) => number): number {
  let total = 0;
  for (const part of parts) total += pick(part);
  return total;
}

/** Σk, Σn over shards. */
export function mergeCounts(parts: readonly Counts[]): Counts {
  const merged = { k: sumField(parts, (p) => p.k), n: sumField(parts, (p) => p.n) };
  checkCount('merged k', merged.k);
  checkCount('merged n', merged.n);
  if (merged.k > merged.n) throw new RangeError(`merged k (${merged.k}) exceeds merged n (${merged.n})`);
  return merged;
}

/** Σ events, Σ exposure over shards. */
export function mergeExposure(parts: readonly Exposure[]): Exposure {
  return { events: sumField(parts, (p) => p.events), exposure: sumField(parts, (p) => p.exposure) };
}

/** Field-wise sums of (n, Σx, Σx²). */
export function mergeMoments(parts: readonly Moments[]): Moments {
  return {
    n: sumField(parts, (p) => p.n),
    sum: sumField(parts, (p) => p.sum),
    sumSq: sumField(parts, (p) => p.sumSq),
  };
}

/**
 * Field-wise sums of ratio aggregates. A second-order sum is kept only if every part has it: a sum
 * over some shards only would silently understate the variance.
 */
export function mergeRatioMoments(parts: readonly RatioMoments[]): RatioMoments {
  const merged: RatioMoments = {
    n: sumField(parts, (p) => p.n),
    sumX: sumField(parts, (p) => p.sumX),
    sumY: sumField(parts, (p) => p.sumY),
  };
  for (const key of ['sumXX', 'sumYY', 'sumXY'] as const) {
    if (parts.every((p) => p[key] !== undefined)) merged[key] = sumField(parts, (p) => p[key] as number);
  }
  return merged;
}
