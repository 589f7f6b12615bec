// @naplab/stats: statistics for lockup rates and per-trial quantities. Pure TypeScript, no
// dependencies. See README.md for what each statistic means and when to use which.

export {
  type ClusterMean,
  type ClusterMeanDifference,
  type ClusterProportion,
  type ClusterProportionDifference,
  clusterMean,
  clusterMeanDifference,
  clusterProportion,
  clusterProportionDifference,
} from './cluster.js';
export { type FisherExact, fisherExact, type RateDifference, rateDifference } from './compare.js';
export {
  chiSquareCdf,
  chiSquareQuantile,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from './distributions.js';
export { formatInterval, formatValue, type Rounding } from './format.js';
export {
  type MeanInterval,
  type Moments,
  meanInterval,
  type RatioEstimate,
  type RatioMoments,
  ratioOfSums,
} from './means.js';
export {
  type Counts,
  type Exposure,
  mergeCounts,
  mergeExposure,
  mergeMoments,
  mergeRatioMoments,
} from './merge.js';
export { type PoissonRateInterval, poissonRateInterval } from './poisson.js';
export {
  clopperPearson,
  type ProportionInterval,
  type RateSummary,
  type RateSummaryOptions,
  type RuleOfThree,
  rateSummary,
  ruleOfThree,
  type WilsonOptions,
  wilson,
  zCritical,
} from './proportion.js';
export {
  betaInv,
  binomialPmf,
  gammaInc,
  gammaIncInv,
  lgamma,
  logBinomialPmf,
  regularizedBeta,
} from './special.js';
