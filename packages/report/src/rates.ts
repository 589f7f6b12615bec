/**
 * Rates and proportions shared by the compare report (`build.ts`) and the timed report
 * (`timed.ts`): a binomial rate, and syncs (or skips) per wakeup with trials as clusters when the
 * per-trial second moments are known.
 */
import { clusterProportion, type RatioMoments, rateSummary } from '@naplab/stats';
import type { RateInterval } from './types.js';

/** Σ over trials of per-trial products of the wakeup counts (see `VariantInput.wakeupMoments`). */
export interface WakeupMoments {
  /** Σ wakeups² */
  wakeupsSq: number;
  /** Σ syncs², Σ syncs·wakeups */
  syncsSq: number;
  syncsWakeups: number;
  /** Σ skips², Σ skips·wakeups */
  skipsSq: number;
  skipsWakeups: number;
}

export function rate(
  k: number,
  n: number,
  confidence: number,
  interval: 'wilson' | 'clopper-pearson',
): RateInterval {
  const s = rateSummary(k, n, confidence, { interval });
  const shown = interval === 'wilson' ? s.wilson : s.clopperPearson;
  const r: RateInterval = {
    k,
    n,
    estimate: s.estimate,
    lower: shown.lower,
    upper: shown.upper,
    method: interval,
  };
  // -ln(α)/n exceeds 1 below n = 3 (it approximates 1 - α^(1/n)); a rate bound above 1 says nothing
  if (s.ruleOfThree) r.ruleOfThreeUpper = Math.min(1, s.ruleOfThree.upper);
  return r;
}

/**
 * Syncs per wakeup or the skip rate: the ratio estimator with trials as clusters when the per-trial
 * second moments are known and the trials show some spread, else the binomial `rate` (with no
 * spread, at k = 0 or k = n, the cluster interval has zero width and says nothing).
 */
export function wakeupRate(
  k: number,
  n: number,
  moments: RatioMoments | undefined,
  confidence: number,
  interval: 'wilson' | 'clopper-pearson',
): RateInterval {
  const c = moments ? clusterProportion(moments, confidence) : null;
  if (c && c.standardError !== null && c.standardError > 0 && c.lower !== null && c.upper !== null)
    return { k, n, estimate: k / n, lower: c.lower, upper: c.upper, method: 'ratio-cluster' };
  return rate(k, n, confidence, interval);
}

/** The ratio moments of syncs (or skips) among wakeups, trials as clusters. */
export function wakeupRatio(
  trials: number,
  k: number,
  wakeups: number,
  m: WakeupMoments | undefined,
  which: 'syncs' | 'skips',
): RatioMoments | undefined {
  if (!m) return undefined;
  return {
    n: trials,
    sumX: k,
    sumY: wakeups,
    sumXX: which === 'syncs' ? m.syncsSq : m.skipsSq,
    sumYY: m.wakeupsSq,
    sumXY: which === 'syncs' ? m.syncsWakeups : m.skipsWakeups,
  };
}
