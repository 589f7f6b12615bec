/**
 * The warnings `buildCompareReport` raises. Codes are stable: scripts may match on them. Callers
 * may add warnings of their own with other codes; renderers show any code.
 */
import { wilson } from '@naplab/stats';

export const WARNING_CODES = {
  W_LIMIT: 'trials stopped at the step limit: inconclusive, neither ok nor lockup',
  W_PARTIAL: 'a variant ran fewer trials than requested',
  W_WIDE_INTERVAL: 'few lockups: the lockup rate is not known within a factor of 2',
  W_NO_WAKEUPS: 'no wakeups: syncs per wakeup and skip-sync rate are undefined',
  W_NO_COUNTEREXAMPLE: 'trials failed but no failing schedule was kept: nothing to replay',
  W_INCONCLUSIVE_COMPARISON: 'two variants that lock up cannot be told apart at this confidence',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

/** A Wilson interval whose upper bound is more than this many times the lower is "wide". */
export const WIDE_FACTOR = 2;

/** Is the lockup rate k/n known within a factor of WIDE_FACTOR? */
export function isWide(lower: number, upper: number): boolean {
  return upper > WIDE_FACTOR * lower;
}

/**
 * The fewest lockups for which a small rate's Wilson interval spans at most a factor of 2: 32 at
 * 95%. Found by search rather than from the small-p approximation of the bounds, so that it agrees
 * with `isWide` exactly at the rates a report shows (k ≪ n).
 */
export function lockupsForFactorTwo(confidence: number): number {
  const n = 1e12;
  for (let k = 1; k < 100_000; k++) {
    const w = wilson(k, n, confidence);
    if (!isWide(w.lower, w.upper)) return k;
  }
  return 100_000;
}
