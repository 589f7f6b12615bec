/**
 * Results files: versioned JSON (docs/results-format.md), written atomically, validated on read,
 * merged exactly. Everything here is plain data so a file, a checkpoint and a final result are the
 * same thing.
 */
import { readFile } from 'node:fs/promises';
import { formatJson, writeFileAtomic as ioWriteFileAtomic, locateJsonError } from '@naplab/io';
import {
  type BatchAggregates,
  CROSS_MAX_COUNTERS,
  counterPairs,
  emptyAggregates,
  MEMORY_MODELS,
  type MemoryModel,
  mergeAggregates,
  OUTCOMES,
  type SchedulerSpec,
  schedulerLabel,
  type TrialResult,
} from '@naplab/isa';
import { RunnerError } from './errors.js';
import { ENGINE_NAMES, type EngineName, type Shard, shardRange } from './job.js';
import { coalesce, findOverlap, missingRanges, type Range, rangesSize } from './ranges.js';
import { NAPLAB_VERSION } from './version.js';

export const RESULTS_FORMAT = 'naplab-results';
export const RESULTS_VERSION = 1;

/** What the results are results of. Two files may be combined only when these agree. */
export interface ResultsJob {
  image: {
    /** `imageHash(image)`: the code, memory, threads and limits; not `meta` or `source` */
    hash: string;
    name: string;
    /** counter names, in the order of `aggregates.counters` */
    counters: string[];
  };
  memory: MemoryModel;
  seed: number;
  scheduler: SchedulerSpec;
  engine: EngineName;
  /** trials of the whole job, over all shards */
  trials: number;
  /** the shard this file is for; null for a whole job or a merge of several shards */
  shard: Shard | null;
  /** the trials this file is responsible for: the shard's range, `[0, trials)`, or a merge's span */
  range: Range;
  /** the first `maxFailures` non-ok trials by index are kept */
  maxFailures: number;
  label: Record<string, unknown>;
}

export interface Results {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  /** naplab version that wrote the file */
  naplab: string;
  job: ResultsJob;
  /** completed trial ranges `[from, to)`: sorted, disjoint, not touching */
  completed: Range[];
  /** exact sums over the completed trials */
  aggregates: BatchAggregates;
  /** the first `job.maxFailures` non-ok trials of the completed ranges, by index */
  failures: TrialResult[];
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
  /** wall-clock seconds spent running (summed over sessions and merged parts); informational */
  elapsedSeconds: number;
}

/** A fresh, empty results object for a job identity. */
export function emptyResults(job: ResultsJob, now = new Date()): Results {
  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    naplab: NAPLAB_VERSION,
    job,
    completed: [],
    aggregates: emptyAggregates(job.image.counters.length),
    failures: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    elapsedSeconds: 0,
  };
}

/** True when every trial of `results.job.range` has been run. */
export function isComplete(results: Results): boolean {
  return remainingTrials(results) === 0;
}

/** Trials of `results.job.range` not yet run. */
export function remainingTrials(results: Results): number {
  return rangesSize(missingRanges(results.job.range, results.completed));
}

/** The first `max` non-ok trials by index among several lists. */
export function selectFailures(lists: readonly (readonly TrialResult[])[], max: number): TrialResult[] {
  const all = lists.flat().sort((a, b) => a.index - b.index);
  const out: TrialResult[] = [];
  for (const t of all) {
    if (out.length >= max) break;
    if (out.length && out[out.length - 1]!.index === t.index) continue;
    out.push(t);
  }
  return out;
}

/** Add one completed batch to `results` (in place). The batch range must not be completed yet. */
export function addBatch(
  results: Results,
  range: Range,
  batch: { aggregates: BatchAggregates; trials: TrialResult[] },
): void {
  results.completed = coalesce([...results.completed, range]);
  results.aggregates = mergeAggregates(results.aggregates, batch.aggregates);
  const nonOk = batch.trials.filter((t) => t.outcome !== 'ok');
  results.failures = selectFailures([results.failures, nonOk], results.job.maxFailures);
}

// ---------------------------------------------------------------------------------------------
// validation

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isRange = (v: unknown): v is Range =>
  Array.isArray(v) && v.length === 2 && isUint(v[0]) && isUint(v[1]) && v[0] <= v[1];

/**
 * Check that `value` is a complete, self-consistent naplab results object; `source` names it in
 * messages. Throws `RunnerError` (E_RESULTS_FORMAT, E_RESULTS_VERSION or E_RESULTS_INVALID).
 */
export function validateResults(value: unknown, source = 'results'): asserts value is Results {
  if (!isObj(value) || value.format !== RESULTS_FORMAT) {
    const what = isObj(value) ? `its format is ${JSON.stringify(value.format)}` : 'it is not a JSON object';
    throw new RunnerError(
      'E_RESULTS_FORMAT',
      `${source} is not a naplab results file: ${what}, expected "${RESULTS_FORMAT}"`,
      'format',
    );
  }
  if (value.version !== RESULTS_VERSION) {
    throw new RunnerError(
      'E_RESULTS_VERSION',
      `${source} is a naplab results file of version ${JSON.stringify(value.version)}; this naplab (${NAPLAB_VERSION}) reads version ${RESULTS_VERSION}`,
      'version',
    );
  }
  const bad = (what: string): never => {
    throw new RunnerError('E_RESULTS_INVALID', `${source} is not a valid naplab results file: ${what}`);
  };
  if (typeof value.naplab !== 'string') bad('"naplab" must be a version string');
  const j = value.job;
  if (!isObj(j)) bad('"job" is missing');
  if (!isObj(j.image) || typeof j.image.hash !== 'string' || typeof j.image.name !== 'string')
    bad('job.image');
  if (!Array.isArray(j.image.counters) || !j.image.counters.every((c: unknown) => typeof c === 'string'))
    bad('job.image.counters');
  if (!MEMORY_MODELS.includes(j.memory)) bad(`job.memory ${JSON.stringify(j.memory)}`);
  if (!isUint(j.seed) || j.seed > 0xffffffff) bad(`job.seed ${JSON.stringify(j.seed)}`);
  if (!isObj(j.scheduler) || typeof j.scheduler.kind !== 'string') bad('job.scheduler');
  if (!ENGINE_NAMES.includes(j.engine)) bad(`job.engine ${JSON.stringify(j.engine)}`);
  if (!isUint(j.trials) || j.trials < 1) bad(`job.trials ${JSON.stringify(j.trials)}`);
  if (j.shard !== null) {
    if (
      !isObj(j.shard) ||
      !isUint(j.shard.count) ||
      !isUint(j.shard.index) ||
      j.shard.index >= j.shard.count
    ) {
      bad(`job.shard ${JSON.stringify(j.shard)}`);
    }
  }
  if (!isRange(j.range) || j.range[1] > j.trials) bad(`job.range ${JSON.stringify(j.range)}`);
  if (j.shard !== null) {
    const want = shardRange(j.trials, j.shard);
    if (want[0] !== j.range[0] || want[1] !== j.range[1])
      bad(`job.range ${JSON.stringify(j.range)} is not shard ${JSON.stringify(j.shard)}'s`);
  }
  if (!isUint(j.maxFailures)) bad('job.maxFailures');
  if (!isObj(j.label)) bad('job.label must be an object');
  const c = value.completed;
  if (!Array.isArray(c) || !c.every(isRange)) bad('"completed" must be a list of [from, to] ranges');
  for (let i = 0; i < c.length; i++) {
    const [a, b] = c[i];
    if (a >= b) bad(`completed range ${JSON.stringify(c[i])} is empty`);
    if (a < j.range[0] || b > j.range[1])
      bad(`completed range ${JSON.stringify(c[i])} lies outside job.range ${JSON.stringify(j.range)}`);
    if (i > 0 && a <= c[i - 1][1])
      bad(
        `completed ranges must be sorted and coalesced (${JSON.stringify(c[i - 1])}, ${JSON.stringify(c[i])})`,
      );
  }
  const g = value.aggregates;
  if (!isObj(g) || !isUint(g.trials) || !isObj(g.outcomes)) bad('"aggregates" is missing');
  if (g.trials !== rangesSize(c))
    bad(`aggregates.trials ${g.trials} differs from the ${rangesSize(c)} completed trials`);
  let sum = 0;
  for (const o of OUTCOMES) {
    if (!isUint(g.outcomes[o])) bad(`aggregates.outcomes.${o}`);
    sum += g.outcomes[o];
  }
  if (sum !== g.trials) bad(`aggregates.outcomes add up to ${sum}, not ${g.trials}`);
  for (const k of ['steps', 'syncs', 'wakeups', 'stepsSq', 'maxSteps'])
    if (!isNum(g[k])) bad(`aggregates.${k}`);
  if (!Array.isArray(g.wakeupsByReason) || g.wakeupsByReason.length !== 3 || !g.wakeupsByReason.every(isNum))
    bad('aggregates.wakeupsByReason');
  if (
    !Array.isArray(g.counters) ||
    g.counters.length !== j.image.counters.length ||
    !g.counters.every(isNum)
  ) {
    bad(`aggregates.counters must have one number per counter (${j.image.counters.length})`);
  }
  checkMoments(g, j.image.counters.length, bad);
  checkTimedMoments(g, bad);
  const f = value.failures;
  if (!Array.isArray(f) || f.length > j.maxFailures)
    bad(`"failures" must be a list of at most ${j.maxFailures} trials`);
  const nonOk = sum - g.outcomes.ok;
  if (f.length !== Math.min(nonOk, j.maxFailures))
    bad(`"failures" holds ${f.length} trials, expected min(${nonOk} non-ok, ${j.maxFailures})`);
  for (let i = 0; i < f.length; i++) {
    const t = f[i];
    if (!isObj(t) || !isUint(t.index) || !OUTCOMES.includes(t.outcome) || t.outcome === 'ok')
      bad(`failures[${i}]`);
    if (!c.some(([a, b]: Range) => t.index >= a && t.index < b))
      bad(`failures[${i}] (trial ${t.index}) is not in a completed range`);
    if (i > 0 && t.index <= f[i - 1].index) bad('failures must be sorted by trial index');
  }
  if (typeof value.createdAt !== 'string' || typeof value.updatedAt !== 'string')
    bad('createdAt / updatedAt');
  if (!isNum(value.elapsedSeconds)) bad('elapsedSeconds');
}

/**
 * The per-trial second moments (SEMANTICS.md 12.5 of @naplab/isa) are optional: files written
 * before they existed lack them, and reading such a file works (the report then falls back to the
 * interval that needs no second moments). When present they must be sums of squares or products of
 * non-negative counts: non-negative numbers, one per counter (per counter pair for `countersCross`).
 */
function checkMoments(g: Record<string, any>, nCounters: number, bad: (what: string) => never): void {
  const isSum = (v: unknown): v is number => isNum(v) && v >= 0;
  if (g.wakeupsSq !== undefined && !isSum(g.wakeupsSq))
    bad(
      `aggregates.wakeupsSq must be a non-negative number (Σ wakeups² over the trials), got ${JSON.stringify(g.wakeupsSq)}`,
    );
  const lists: [string, number, string][] = [
    ['countersSq', nCounters, 'per counter'],
    ['countersWakeups', nCounters, 'per counter'],
  ];
  if (nCounters <= CROSS_MAX_COUNTERS)
    lists.push(['countersCross', counterPairs(nCounters), 'per counter pair']);
  else if (g.countersCross !== undefined)
    bad(`aggregates.countersCross must be absent with more than ${CROSS_MAX_COUNTERS} counters`);
  for (const [key, length, per] of lists) {
    const v = g[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length !== length)
      bad(`aggregates.${key} must be a list of ${length} numbers, one ${per}`);
    const i = v.findIndex((x: unknown) => !isSum(x));
    if (i >= 0) bad(`aggregates.${key}[${i}] must be a non-negative number, got ${JSON.stringify(v[i])}`);
  }
}

const TRIAL_MOMENTS = ['trialSumSq', 'trialCountSq', 'trialCross'] as const;

/**
 * The timed latencies' per-trial moments (SEMANTICS.md 15.5 of @naplab/isa) and the dispatch
 * block are optional too: files written before them lack them (the report then falls back to the
 * interval over wakeups and says so). When present, all three moments must be there, as
 * non-negative integers (sums of squares and products of sums and counts of whole cycles).
 */
function checkTimedMoments(g: Record<string, any>, bad: (what: string) => never): void {
  const t = g.timed;
  if (t === undefined) return;
  if (!isObj(t) || !Array.isArray(t.latency)) bad('aggregates.timed.latency must be a list, one per counter');
  const blocks: [string, unknown][] = t.latency.map((l: unknown, i: number) => [
    `aggregates.timed.latency[${i}]`,
    l,
  ]);
  if (t.dispatch !== undefined) blocks.push(['aggregates.timed.dispatch', t.dispatch]);
  for (const [where, l] of blocks) {
    if (!isObj(l)) bad(`${where} must be an object`);
    const present = TRIAL_MOMENTS.filter((k) => l[k] !== undefined);
    if (present.length === 0) continue;
    if (present.length < TRIAL_MOMENTS.length) {
      const missing = TRIAL_MOMENTS.filter((k) => l[k] === undefined);
      bad(`${where}.${missing[0]} is missing (the per-trial moments come as ${TRIAL_MOMENTS.join(', ')})`);
    }
    for (const k of TRIAL_MOMENTS) {
      const v = l[k];
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0))
        bad(`${where}.${k} must be a non-negative integer (a per-trial moment), got ${JSON.stringify(v)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// files

/** Parse results from text; `source` names the file in messages. */
export function parseResults(text: string, source = 'results'): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const loc = locateJsonError(text);
    const where = loc
      ? `line ${loc.line}, column ${loc.column} (byte ${loc.byte}): ${loc.reason}`
      : 'unknown position';
    throw new RunnerError(
      'E_RESULTS_CORRUPT',
      `${source} is not valid JSON at ${where}. A runner never leaves a partial file behind (it writes a temporary file and renames it), so the file was cut or edited elsewhere; rerun or restore it`,
    );
  }
  validateResults(value, source);
  return value;
}

/** Read and validate a results file. */
export async function readResultsFile(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT')
      throw new RunnerError('E_RESULTS_MISSING', `results file ${path} does not exist`);
    throw new RunnerError('E_RESULTS_READ', `cannot read results file ${path}: ${err.message}`);
  }
  return parseResults(text, path);
}

/**
 * Serialize results: indented for reading and diffing, but arrays of numbers (schedules, counters,
 * ranges) and other short values stay on one line, so a long schedule is one line, not thousands.
 */
export function resultsToJSON(results: Results): string {
  return formatJson(results);
}

/** `@naplab/io`'s atomic write, failing with this package's coded error. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await ioWriteFileAtomic(path, text);
  } catch (e) {
    throw new RunnerError('E_WRITE', `cannot write results file ${path}: ${(e as Error).message}`);
  }
}

/**
 * Is the file at `path` absent, or a naplab results file (of any version)? Anything else (another
 * program's data, an unreadable file) must not be overwritten.
 */
export async function checkOverwritable(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return;
    throw new RunnerError(
      'E_NOT_RESULTS',
      `refusing to write ${path}: it exists and cannot be read (${err.message})`,
    );
  }
  let value: any;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isObj(value) || value.format !== RESULTS_FORMAT) {
    throw new RunnerError('E_NOT_RESULTS', `refusing to overwrite ${path}: it is not a naplab results file`);
  }
}

/** Validate and write a results file atomically; refuses to overwrite a file that is not one. */
export async function writeResultsFile(path: string, results: Results): Promise<void> {
  validateResults(results, 'the results to write');
  await checkOverwritable(path);
  await writeFileAtomic(path, resultsToJSON(results));
}

// ---------------------------------------------------------------------------------------------
// identity and merge

const show = (field: string, j: ResultsJob): string => {
  switch (field) {
    case 'image':
      return `${j.image.hash} (${j.image.name})`;
    case 'scheduler':
      return isObj(j.scheduler) && j.scheduler.kind !== 'replay'
        ? schedulerLabel(j.scheduler)
        : JSON.stringify(j.scheduler ?? null);
    default:
      return JSON.stringify((j as any)[field] ?? null);
  }
};

/** Canonical JSON (sorted keys), so `{a,b}` and `{b,a}` compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const keyOf = (field: string, j: ResultsJob): string =>
  canonical(field === 'image' ? j.image.hash : ((j as any)[field] ?? null));

/** The first of `fields` in which two job identities differ, or undefined. */
export function differingField(a: ResultsJob, b: ResultsJob, fields: readonly string[]): string | undefined {
  return fields.find((f) => keyOf(f, a) !== keyOf(f, b));
}

/** Fields a resumed file must share with the job. */
export const RESUME_FIELDS = [
  'image',
  'memory',
  'seed',
  'scheduler',
  'engine',
  'trials',
  'shard',
  'maxFailures',
] as const;
/** Fields merged files must share (the shard may differ: that is the point). */
export const MERGE_FIELDS = ['image', 'memory', 'seed', 'scheduler', 'engine', 'trials', 'label'] as const;

export function describeDifference(
  field: string,
  a: ResultsJob,
  b: ResultsJob,
  aName: string,
  bName: string,
): string {
  return `${field} differs: ${aName} has ${show(field, a)}, ${bName} has ${show(field, b)}`;
}

export interface MergeOptions {
  /** names of the inputs for messages (file paths), by position */
  names?: string[];
}

/**
 * Combine results of disjoint parts of one job (shards, or pieces of one shard) exactly: counts
 * add, completed ranges join, failures are re-selected by trial index. Refuses files of different
 * jobs (naming the field) and files that cover the same trials.
 */
export function mergeResults(files: readonly Results[], opts: MergeOptions = {}): Results {
  if (files.length === 0) throw new RunnerError('E_MERGE_EMPTY', 'nothing to merge: no results given');
  const name = (i: number) => opts.names?.[i] ?? `results #${i + 1}`;
  for (let i = 0; i < files.length; i++) validateResults(files[i], name(i));
  const first = files[0]!;
  for (let i = 1; i < files.length; i++) {
    const f = files[i]!;
    if (f.naplab !== first.naplab) {
      throw new RunnerError(
        'E_MERGE_MISMATCH',
        `cannot merge: naplab version differs: ${name(0)} was written by ${first.naplab}, ${name(i)} by ${f.naplab}`,
        'naplab',
      );
    }
    const field = differingField(first.job, f.job, MERGE_FIELDS);
    if (field) {
      throw new RunnerError(
        'E_MERGE_MISMATCH',
        `cannot merge: ${describeDifference(field, first.job, f.job, name(0), name(i))}`,
        field,
      );
    }
  }
  const pieces = files.flatMap((f, i) => f.completed.map((range) => ({ range, i })));
  const overlap = findOverlap(pieces);
  if (overlap) {
    const [x, y] = overlap;
    const from = Math.max(x.range[0], y.range[0]);
    const to = Math.min(x.range[1], y.range[1]);
    const where = x.i === y.i ? `${name(x.i)} twice` : `${name(x.i)} and ${name(y.i)}`;
    throw new RunnerError(
      'E_MERGE_OVERLAP',
      `cannot merge: trials [${from}, ${to}) are in ${where}; merging would count them twice`,
      'completed',
    );
  }
  // Sum in range order so the result does not depend on the order of the inputs.
  const order = files
    .map((_, i) => i)
    .sort((a, b) => (files[a]!.completed[0]?.[0] ?? 0) - (files[b]!.completed[0]?.[0] ?? 0));
  let aggregates = emptyAggregates(first.job.image.counters.length);
  for (const i of order) aggregates = mergeAggregates(aggregates, files[i]!.aggregates);
  const sameShard = files.every((f) => canonical(f.job.shard) === canonical(first.job.shard));
  const maxFailures = Math.min(...files.map((f) => f.job.maxFailures));
  const job: ResultsJob = {
    ...first.job,
    shard: sameShard ? first.job.shard : null,
    range: sameShard
      ? first.job.range
      : [Math.min(...files.map((f) => f.job.range[0])), Math.max(...files.map((f) => f.job.range[1]))],
    maxFailures,
  };
  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    naplab: first.naplab,
    job,
    completed: coalesce(pieces.map((p) => p.range)),
    aggregates,
    failures: selectFailures(
      files.map((f) => f.failures),
      maxFailures,
    ),
    createdAt: files.map((f) => f.createdAt).sort()[0]!,
    updatedAt: files
      .map((f) => f.updatedAt)
      .sort()
      .at(-1)!,
    elapsedSeconds: files.reduce((s, f) => s + f.elapsedSeconds, 0),
  };
}
