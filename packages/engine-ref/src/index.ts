/**
 * `@naplab/engine-ref`: the reference engine, in plain TypeScript. It is the oracle the
 * WebAssembly engine is tested against trial for trial, and the baseline of the speed benchmark.
 * Semantics: `@naplab/isa` SEMANTICS.md.
 */
import {
  addTrial,
  type BatchResult,
  checkShortestMaxStates,
  type Engine,
  type ExploreOptions,
  type ExploreResult,
  type ExploreViolation,
  emptyAggregates,
  emptyTimed,
  footprintBitmap,
  footprintEscapeAt,
  type Image,
  ImageError,
  instructionCosts,
  instructionFlags,
  MEMORY_MODELS,
  type MemoryModel,
  pctSpecProblem,
  Rng,
  type RunOptions,
  type TimedConfig,
  type TrialResult,
  timedConfig,
  validateImage,
} from '@naplab/isa';
import { exploreMachine } from './exhaustive.js';
import { createMachine, type Footprint, type TraceHook } from './machine.js';
import { runPct } from './pct.js';
import { runReplay } from './replay.js';
import { isViolation, type ShortestResult, shortestViolation } from './shortest.js';
import { runTimed } from './timed.js';
import { runUniform } from './uniform.js';

export { type Concretized, concretizeFootprint } from './concretize.js';
export { exploreMachine } from './exhaustive.js';
export {
  type AssertFailure,
  actionCount,
  applyAction,
  type Classification,
  classify,
  cloneMachine,
  createMachine,
  enabledActions,
  enabledActionsInto,
  finalValues,
  Machine,
  needsChoice,
  ownerOf,
  stateKey,
  stateVector,
  stepEnabled,
  type TraceEffect,
  type TraceEvent,
  type TraceHook,
  type WakeReason,
} from './machine.js';
export { pctDraw, runPct } from './pct.js';
export { ReplayDivergence, replaySchedule, runReplay } from './replay.js';
export { isViolation, type ShortestResult, shortestViolation } from './shortest.js';
export { type ShrinkOptions, type ShrinkResult, sameFailure, shrinkSchedule } from './shrink.js';
export { runTimed } from './timed.js';
export { trialResult } from './trial.js';
export { runUniform, uniformTrial } from './uniform.js';

/** Default number of non-ok trials `runTrials` records (SEMANTICS.md 10.13). */
export const DEFAULT_MAX_FAILURES = 10;

function checkMemory(memory: MemoryModel): void {
  if (!MEMORY_MODELS.includes(memory)) {
    throw new RangeError(
      `memory model ${JSON.stringify(memory)} is not supported by the reference engine (${MEMORY_MODELS.join(', ')})`,
    );
  }
}

function runTrials(image: Image, opts: RunOptions): BatchResult {
  validateImage(image);
  checkMemory(opts.memory);
  const { from, to } = opts;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
    throw new RangeError(`trial range [${from}, ${to}) is not a range of non-negative integers`);
  }
  const record = opts.record ?? 'failures';
  const maxFailures = opts.maxFailures ?? DEFAULT_MAX_FAILURES;
  const sched = opts.scheduler;
  if (sched.kind === 'pct') {
    const problem = pctSpecProblem(sched.depth, sched.k);
    if (problem) throw new RangeError(`bad pct scheduler: ${problem}`);
    if (opts.memory === 'power') {
      throw new RangeError(
        'the pct scheduler is defined for the sc and tso memory models (SEMANTICS.md 14.7)',
      );
    }
  }
  const aggregates = emptyAggregates(image.counters.length);
  const trials: TrialResult[] = [];
  let failures = 0;
  const rng = new Rng(opts.seed, 0);
  let timed: { costs: number[]; flags: number[]; cfg: TimedConfig } | undefined;
  if (sched.kind === 'timed') {
    if (opts.memory === 'power')
      throw new RangeError('the timed scheduler runs the sc and tso memory models (SEMANTICS.md 15)');
    timed = {
      costs: instructionCosts(image, sched.cost),
      flags: instructionFlags(image),
      cfg: timedConfig(sched),
    };
    aggregates.timed = emptyTimed(image.counters.length);
  }
  for (let index = from; index < to; index++) {
    const m = createMachine(image, opts.memory);
    let t: TrialResult;
    if (sched.kind === 'uniform') {
      rng.reset(opts.seed, index);
      t = runUniform(m, rng, index);
    } else if (sched.kind === 'pct') {
      rng.reset(opts.seed, index);
      t = runPct(m, rng, index, sched.depth, sched.k);
    } else if (sched.kind === 'timed') {
      rng.reset(opts.seed, index);
      t = runTimed(m, rng, index, timed!.costs, timed!.flags, timed!.cfg, aggregates.timed);
    } else {
      t = runReplay(m, sched.schedule, index);
    }
    addTrial(aggregates, t);
    if (record === 'all') trials.push(t);
    else if (record === 'failures' && t.outcome !== 'ok' && failures < maxFailures) {
      failures++;
      trials.push(t);
    }
  }
  return { aggregates, trials };
}

function explore(image: Image, opts: ExploreOptions): ExploreResult {
  validateImage(image);
  checkMemory(opts.memory);
  checkShortestMaxStates(opts.shortestMaxStates);
  if (opts.checkpoint || opts.resume)
    throw new Error(
      '@naplab/engine-ref: the reference engine does not save or resume searches (ExploreOptions.checkpoint, resume): use the WebAssembly engine',
    );
  const foot = footprintOf(image, opts);
  const r = exploreMachine(image, opts.memory, opts.reduce === true, opts.onProgress, foot);
  if (foot !== null && foot.escape >= 0) {
    r.footprintEscape = footprintEscapeAt(image, foot.escape, foot.reason);
    return r;
  }
  const real = r.violation !== undefined && isViolation(r.violation.outcome);
  if (opts.shortest && (real || (r.cut && opts.shortest === 'also-if-cut'))) {
    const s = shortestViolation(
      image,
      opts.memory,
      opts.reduce === true,
      opts.onProgress,
      opts.shortestMaxStates,
      foot,
    );
    const v = withShortest(r.violation, s);
    if (v) r.violation = v;
    r.shortestSearch = { states: s.states, transitions: s.transitions, cut: s.cut, depth: s.depth };
  }
  return r;
}

/** ExploreOptions.footprint as the machine's footprint (SEMANTICS.md 18), or null. */
function footprintOf(image: Image, opts: ExploreOptions): Footprint | null {
  if (opts.footprint === undefined) return null;
  if (opts.memory !== 'power')
    throw new RangeError(
      `the footprint abstraction is defined under --memory power, not ${opts.memory} (SEMANTICS.md 18)`,
    );
  const bits = footprintBitmap(image, opts.footprint);
  const cut = image.threads.length * image.memory.size;
  return { cells: bits.subarray(0, cut), interruptible: bits.subarray(cut), escape: -1, reason: 'access' };
}

/**
 * The depth-first violation replaced by the breadth-first one (SEMANTICS.md section 16); after a
 * cut search without a violation, the breadth-first one if it found any.
 */
export function withShortest(
  dfs: ExploreViolation | undefined,
  s: ShortestResult,
): ExploreViolation | undefined {
  const extra = { ...(dfs ? { dfsLength: dfs.schedule.length } : {}), shortestStates: s.states };
  if (!s.violation) return dfs ? { ...dfs, shortest: false, ...extra } : undefined;
  const { steps, ...v } = s.violation;
  return { ...v, shortest: true, steps, ...extra };
}

/** The reference engine. Both entry points refuse invalid images with `ImageError`. */
export const referenceEngine: Engine = { name: 'reference', runTrials, explore };

/** Trial `index` of the uniform run keyed by `seed`; `onEvent` receives its trace. */
export function runTrial(
  image: Image,
  memory: MemoryModel,
  seed: number,
  index: number,
  onEvent?: TraceHook,
): TrialResult {
  validateImage(image);
  checkMemory(memory);
  const m = createMachine(image, memory);
  m.onEvent = onEvent;
  return runUniform(m, new Rng(seed, index), index);
}

/** Replay a recorded schedule (throws `ReplayDivergence` if it does not fit the image). */
export function replayTrial(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
  onEvent?: TraceHook,
): TrialResult {
  validateImage(image);
  checkMemory(memory);
  const m = createMachine(image, memory);
  m.onEvent = onEvent;
  return runReplay(m, schedule, 0);
}

export { exploredActions, localThread } from './reduce.js';
export { ImageError };
