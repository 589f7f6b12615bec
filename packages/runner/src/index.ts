/**
 * @naplab/runner: run millions of trials on every core, never lose work.
 * Worker pool, shards, atomic checkpoints and resume, progress, results files and exact merge.
 */

export { type JsonErrorLocation, locateJsonError } from '@naplab/io';
export { loadEngine } from './engines.js';
export { RunnerError, type RunnerErrorCode } from './errors.js';
export {
  DEFAULT_MAX_FAILURES,
  ENGINE_NAMES,
  type EngineName,
  type JobSpec,
  parseShard,
  type Shard,
  shardRange,
  validateJob,
} from './job.js';
export { estimatePctK, PCT_PILOT_TRIALS, type PctEstimate } from './pct.js';
export { formatCount, formatDuration, formatProgress, type Progress } from './progress.js';
export { coalesce, missingRanges, type Range, rangesSize } from './ranges.js';
export {
  isComplete,
  MERGE_FIELDS,
  type MergeOptions,
  mergeResults,
  parseResults,
  RESULTS_FORMAT,
  RESULTS_VERSION,
  RESUME_FIELDS,
  type Results,
  type ResultsJob,
  readResultsFile,
  remainingTrials,
  resultsToJSON,
  validateResults,
  writeResultsFile,
} from './results.js';
export { type FaultInjection, type JobResult, jobIdentity, type RunJobOptions, runJob } from './run.js';
export { NAPLAB_VERSION } from './version.js';
