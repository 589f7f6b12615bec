import {
  type Image,
  ImageError,
  MEMORY_MODELS,
  type MemoryModel,
  pctSpecProblem,
  type SchedulerSpec,
  validateImage,
  validateTimedSpec,
} from '@naplab/isa';
import { RunnerError } from './errors.js';
import type { Range } from './ranges.js';

export const ENGINE_NAMES = ['wasm', 'reference'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Shard `index` of `count` (0-based in this API; the CLI's `--shard i/N` is 1-based). */
export interface Shard {
  index: number;
  count: number;
}

export interface JobSpec {
  image: Image;
  memory: MemoryModel;
  /** unsigned 32-bit seed */
  seed: number;
  /** trials of the whole job, over all shards */
  trials: number;
  engine: EngineName;
  /** run only this shard's part of the trials (default: all of them) */
  shard?: Shard;
  /** default `{ kind: 'uniform' }` */
  scheduler?: SchedulerSpec;
  /** free-form description (scenario, variant...) carried into the results */
  label?: Record<string, unknown>;
  /** how many non-ok trials to keep, the first ones by trial index (default 5) */
  maxFailures?: number;
}

export const DEFAULT_MAX_FAILURES = 5;

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The trials of shard `index` of `count`: `[floor(index*T/count), floor((index+1)*T/count))`.
 * The shards of one job are disjoint and cover `[0, T)` exactly.
 */
export function shardRange(trials: number, shard?: Shard): Range {
  if (!shard) return [0, trials];
  const at = (i: number) => (i === shard.count ? trials : Math.floor((i * trials) / shard.count));
  return [at(shard.index), at(shard.index + 1)];
}

/** Parse the CLI's 1-based `i/N` (e.g. `2/3`) into a 0-based `Shard` (`{ index: 1, count: 3 }`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = m ? Number(m[1]) : Number.NaN;
  const n = m ? Number(m[2]) : Number.NaN;
  if (!m || !(n >= 1) || !(i >= 1 && i <= n)) {
    throw new RunnerError(
      'E_JOB',
      `shard "${text}" is not of the form i/N with 1 <= i <= N (e.g. 2/3)`,
      'shard',
    );
  }
  return { index: i - 1, count: n };
}

/** Check a job spec completely before any worker starts; throws `RunnerError('E_JOB')`. */
export function validateJob(job: JobSpec): void {
  const fail = (field: string, msg: string): never => {
    throw new RunnerError('E_JOB', `invalid job: ${msg}`, field);
  };
  if (typeof job !== 'object' || job === null) fail('job', 'not an object');
  try {
    validateImage(job.image);
  } catch (e) {
    if (e instanceof ImageError) fail('image', e.message);
    throw e;
  }
  if (!MEMORY_MODELS.includes(job.memory))
    fail('memory', `memory model ${JSON.stringify(job.memory)} (valid: ${MEMORY_MODELS.join(', ')})`);
  if (!isUint(job.seed) || job.seed > 0xffffffff)
    fail('seed', `seed ${job.seed} is not an unsigned 32-bit integer`);
  if (!isUint(job.trials) || job.trials < 1) fail('trials', `trials ${job.trials} is not a positive integer`);
  if (!ENGINE_NAMES.includes(job.engine))
    fail('engine', `engine ${JSON.stringify(job.engine)} (valid: ${ENGINE_NAMES.join(', ')})`);
  if (job.shard !== undefined) {
    const { index, count } = job.shard;
    if (!isUint(count) || count < 1 || !isUint(index) || index >= count) {
      fail(
        'shard',
        `shard ${JSON.stringify(job.shard)} needs integers 0 <= index < count (the API is 0-based)`,
      );
    }
  }
  if (job.maxFailures !== undefined && !isUint(job.maxFailures))
    fail('maxFailures', `maxFailures ${job.maxFailures}`);
  const s = job.scheduler;
  if (s?.kind === 'timed') {
    try {
      validateTimedSpec(s);
    } catch (e) {
      if (e instanceof RangeError) fail('scheduler', e.message);
      throw e;
    }
    if (job.memory === 'power') fail('scheduler', 'the timed scheduler runs the sc and tso memory models');
  } else if (
    s !== undefined &&
    !(s.kind === 'uniform' || (s.kind === 'replay' && Array.isArray(s.schedule)) || s.kind === 'pct')
  ) {
    fail(
      'scheduler',
      `scheduler ${JSON.stringify(s)} (the runner runs 'uniform', 'pct', 'replay' or 'timed')`,
    );
  }
  if (s?.kind === 'pct') {
    const problem = pctSpecProblem(s.depth, s.k);
    if (problem) fail('scheduler', problem);
    if (job.memory === 'power') fail('scheduler', 'pct is defined for the sc and tso memory models');
  }
  if (
    job.label !== undefined &&
    (typeof job.label !== 'object' || job.label === null || Array.isArray(job.label))
  ) {
    fail('label', 'label must be a plain object');
  }
}
