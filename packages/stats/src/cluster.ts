/**
 * Proportions of events among opportunities that come in clusters: wakeups that executed the
 * wakeup-path sync among all wakeups, where each trial (the cluster) holds several wakeups that
 * share one schedule and so are not independent. The binomial intervals (Wilson, Clopper-Pearson)
 * treat every wakeup as an independent trial; when the wakeups of a trial are positively
 * correlated they are too narrow (by up to √(wakeups per trial)). Here the trials are the
 * independent units: the proportion is the ratio estimator R = Σk_i / Σm_i over trials i (k_i
 * events among m_i opportunities), with the delta-method (cluster-robust) variance of `ratioOfSums`
 *   Var(R) ≈ Σ (k_i - R m_i)² / (n (n - 1) m̄²),
 * which needs only streaming sums: n, Σk, Σm, Σk², Σm², Σk·m.
 */

import { tQuantile } from './distributions.js';
import { type RatioMoments, ratioOfSums } from './means.js';
import { checkConfidence } from './validate.js';

export interface ClusterProportion {
  /** clusters (trials) */
  n: number;
  /** Σ events over the clusters (`RatioMoments.sumX`) */
  k: number;
  /** Σ opportunities over the clusters (`RatioMoments.sumY`) */
  m: number;
  /** k / m */
  estimate: number;
  /**
   * Delta-method standard error of the estimate; null without an interval (fewer than 2 clusters,
   * or no second-order sums). 0 when every cluster has the same proportion (all events, or none):
   * the clusters then show no spread and the interval has zero width.
   */
  standardError: number | null;
  /** estimate ± t_{1-α/2, n-1} · standardError, clipped to [0, 1]; null without an interval */
  lower: number | null;
  upper: number | null;
  confidence: number;
  /** degrees of freedom of the t quantile, n - 1; null without an interval */
  df: number | null;
  method: 'ratio-cluster';
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function checkProportionMoments(m: RatioMoments): void {
  if (!(m.sumX >= 0 && m.sumX <= m.sumY))
    throw new RangeError(`sumX (events, ${m.sumX}) must lie in [0, sumY (opportunities, ${m.sumY})]`);
  for (const key of ['sumXX', 'sumYY', 'sumXY'] as const) {
    const v = m[key];
    if (v !== undefined && !(v >= 0)) throw new RangeError(`${key} must be a non-negative sum, got ${v}`);
  }
}

/**
 * The proportion Σk/Σm of events among opportunities with trials as clusters (see the file
 * comment), as `RatioMoments` with x = events and y = opportunities of each trial. Returns null
 * when there were no opportunities (Σm = 0: the proportion is undefined). With fewer than two
 * trials, or without the second-order sums, there is an estimate but no interval (null bounds).
 */
export function clusterProportion(moments: RatioMoments, confidence = 0.95): ClusterProportion | null {
  checkConfidence(confidence);
  checkProportionMoments(moments);
  // a proportion is a clustered mean of 0/1 values, clipped to [0, 1]
  const c = clusterMean(moments, confidence);
  if (!c) return null;
  return {
    n: c.n,
    k: c.sum,
    m: c.units,
    estimate: c.estimate,
    standardError: c.standardError,
    lower: c.lower === null ? null : c.standardError === 0 ? c.estimate : clip(c.lower, 0, 1),
    upper: c.upper === null ? null : c.standardError === 0 ? c.estimate : clip(c.upper, 0, 1),
    confidence,
    df: c.df,
    method: 'ratio-cluster',
  };
}

/**
 * The difference of two clustered proportions: a `ClusterMeanDifference` (same fields) whose
 * interval is clipped to [-1, 1].
 */
export type ClusterProportionDifference = ClusterMeanDifference;

/**
 * Difference of two independent clustered proportions (two variants' syncs per wakeup), a - b:
 * the variances add, and the t quantile takes Welch-Satterthwaite degrees of freedom. Returns null
 * when either proportion is undefined or has no interval (see `clusterProportion`). When both
 * standard errors are 0 the interval has zero width (df is then n_a + n_b - 2).
 */
export function clusterProportionDifference(
  a: RatioMoments,
  b: RatioMoments,
  confidence = 0.95,
): ClusterProportionDifference | null {
  checkProportionMoments(a);
  checkProportionMoments(b);
  const d = clusterMeanDifference(a, b, confidence);
  if (!d) return null;
  return { ...d, lower: clip(d.lower, -1, 1), upper: clip(d.upper, -1, 1) };
}

/**
 * A mean per unit with the units in clusters: cycles per wakeup, where each trial (the cluster)
 * holds several wakeups whose latencies share one schedule. The t interval over the units treats
 * them as independent; here the trials are the independent units, as for `clusterProportion`: the
 * mean is the ratio estimator Σx_i / Σm_i over trials i (x_i the sum of the trial's values, m_i
 * their number; a trial without units counts, with 0 and 0), its variance the delta-method one of
 * `ratioOfSums`, and the interval a t interval with n - 1 degrees of freedom (n trials).
 */
export interface ClusterMean {
  /** clusters (trials), including those without units */
  n: number;
  /** Σ values (`RatioMoments.sumX`) */
  sum: number;
  /** Σ units (`RatioMoments.sumY`) */
  units: number;
  /** sum / units */
  estimate: number;
  /** delta-method standard error; null without an interval (fewer than 2 clusters, no second-order sums) */
  standardError: number | null;
  /** estimate ± t_{1-α/2, n-1} · standardError; null without an interval */
  lower: number | null;
  upper: number | null;
  confidence: number;
  /** n - 1; null without an interval */
  df: number | null;
  method: 'ratio-cluster';
}

/**
 * The mean Σx/Σm per unit with trials as clusters (see `ClusterMean`), from `RatioMoments` with
 * x = the trial's sum of values and y = its number of units. Null when there are no units.
 */
export function clusterMean(moments: RatioMoments, confidence = 0.95): ClusterMean | null {
  checkConfidence(confidence);
  if (!(moments.sumY >= 0))
    throw new RangeError(`sumY (units, ${moments.sumY}) must be a non-negative count`);
  for (const key of ['sumYY'] as const) {
    const v = moments[key];
    if (v !== undefined && !(v >= 0)) throw new RangeError(`${key} must be a non-negative sum, got ${v}`);
  }
  if (moments.sumY === 0) return null;
  const r = ratioOfSums(moments, confidence);
  const out: ClusterMean = {
    n: r.n,
    sum: moments.sumX,
    units: moments.sumY,
    estimate: r.estimate,
    standardError: null,
    lower: null,
    upper: null,
    confidence,
    df: null,
    method: 'ratio-cluster',
  };
  if (r.standardError === undefined || r.lower === undefined || r.upper === undefined) return out;
  out.standardError = r.standardError;
  out.df = r.df ?? r.n - 1;
  out.lower = r.standardError === 0 ? r.estimate : r.lower;
  out.upper = r.standardError === 0 ? r.estimate : r.upper;
  return out;
}

export interface ClusterMeanDifference {
  /** mean of a minus mean of b */
  estimate: number;
  /** √(SE_a² + SE_b²): the two sets of clusters are independent */
  standardError: number;
  /** estimate ± t_{1-α/2, df} · standardError */
  lower: number;
  upper: number;
  confidence: number;
  /** Welch-Satterthwaite degrees of freedom (SE_a² + SE_b²)² / (SE_a⁴/(n_a-1) + SE_b⁴/(n_b-1)) */
  df: number;
  method: 'ratio-cluster';
}

/**
 * Difference of two independent clustered means (two variants' cycles per wakeup), a - b: the
 * variances add, and the t quantile takes Welch-Satterthwaite degrees of freedom. Null when either
 * mean is undefined or has no interval. Both standard errors 0: a zero-width interval, df n_a + n_b - 2.
 */
export function clusterMeanDifference(
  a: RatioMoments,
  b: RatioMoments,
  confidence = 0.95,
): ClusterMeanDifference | null {
  const ma = clusterMean(a, confidence);
  const mb = clusterMean(b, confidence);
  if (!ma || !mb || ma.standardError === null || mb.standardError === null) return null;
  const va = ma.standardError ** 2;
  const vb = mb.standardError ** 2;
  const estimate = ma.estimate - mb.estimate;
  const v = va + vb;
  if (v === 0) {
    const df = ma.n + mb.n - 2;
    return {
      estimate,
      standardError: 0,
      lower: estimate,
      upper: estimate,
      confidence,
      df,
      method: 'ratio-cluster',
    };
  }
  const df = (v * v) / ((va * va) / (ma.n - 1) + (vb * vb) / (mb.n - 1));
  const standardError = Math.sqrt(v);
  const half = -tQuantile((1 - confidence) / 2, df) * standardError;
  return {
    estimate,
    standardError,
    lower: estimate - half,
    upper: estimate + half,
    confidence,
    df,
    method: 'ratio-cluster',
  };
}
