/**
 * Every error the runner raises on purpose is a `RunnerError` with a stable `code` (listed in the
 * package README) and, for identity mismatches, the name of the differing `field`.
 */
export type RunnerErrorCode =
  /** the job spec is malformed (seed, trials, shard, engine, memory model...) */
  | 'E_JOB'
  /** the run options are malformed */
  | 'E_OPTIONS'
  /** a results file does not exist */
  | 'E_RESULTS_MISSING'
  /** a results file could not be read (permissions, a directory...) */
  | 'E_RESULTS_READ'
  /** a results file is not valid JSON (truncated, edited...) */
  | 'E_RESULTS_CORRUPT'
  /** valid JSON, but not a naplab results file */
  | 'E_RESULTS_FORMAT'
  /** a naplab results file of a version this runner does not read */
  | 'E_RESULTS_VERSION'
  /** a naplab results file whose contents are inconsistent (ranges, counts) */
  | 'E_RESULTS_INVALID'
  /** resume: the file belongs to another job (image, seed, memory model...) */
  | 'E_RESUME_MISMATCH'
  /** merge: the files belong to different jobs */
  | 'E_MERGE_MISMATCH'
  /** merge: two files cover the same trials */
  | 'E_MERGE_OVERLAP'
  /** merge: nothing to merge */
  | 'E_MERGE_EMPTY'
  /** the output exists and is a results file of its own; resume it or pass `overwrite` */
  | 'E_OUT_EXISTS'
  /** refusing to overwrite a file that is not a naplab results file */
  | 'E_NOT_RESULTS'
  /** writing the results file failed */
  | 'E_WRITE'
  /** an engine module could not be loaded */
  | 'E_ENGINE_LOAD'
  /** an engine returned something inconsistent with the batch it was given */
  | 'E_ENGINE'
  /** a batch crashed its worker more often than `maxRetries` allows */
  | 'E_WORKER_CRASH'
  /** the worker entry (dist/worker.js) is missing: the package is not built */
  | 'E_WORKER_MISSING';

export class RunnerError extends Error {
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    /** for mismatches: the job field that differs (`seed`, `image`, `memory`...) */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}
