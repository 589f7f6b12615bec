/**
 * @naplab/engine: the WebAssembly (AssemblyScript) engine for naplab images.
 *
 * Implements the `Engine` contract of @naplab/isa (`engine-api.ts`, semantics in SEMANTICS.md):
 * batches of trials under the uniform, PCT or replay scheduler, and exhaustive search. The API is
 * synchronous; the module is compiled once per build and process.
 */
import {
  type BatchResult,
  checkShortestMaxStates,
  type Engine,
  type ExploreOptions,
  type ExploreResult,
  footprintBitmap,
  footprintEscapeAt,
  type Image,
  instructionCosts,
  instructionFlags,
  isDispatchCounter,
  type MemoryModel,
  pctAgentSlots,
  pctSpecProblem,
  type RunOptions,
  type TrialResult,
  timedConfig,
  validateImage,
} from '@naplab/isa';
import * as abi from './abi.js';
import { type BuildName, emptyExact, exactToAggregates, flattenImage, timedWords, WasmCore } from './core.js';

export { type BuildName, ScheduleDivergedError } from './core.js';

export interface WasmEngineOptions {
  /** `release` (default): -O3, no runtime checks; `debug`: assertions and a source map */
  build?: BuildName;
  /**
   * cap on the core's linear memory, in MiB (default: 4096, wasm32's limit). A run or search that
   * needs more fails with the engine's out-of-memory error (the breadth-first shortest pass then
   * keeps the depth-first answer, SEMANTICS.md 16.4)
   */
  maxMemoryMiB?: number;
}

/** Steps per core call: small first calls let V8 tier the loop up before the long ones. */
const FIRST_BUDGET = 20_000;
const MAX_BUDGET = 4_000_000;

function modelFlag(memory: MemoryModel): MemoryModel {
  if (memory === 'sc' || memory === 'tso' || memory === 'power') return memory;
  throw new RangeError(
    `@naplab/engine: memory model ${JSON.stringify(memory)} is not supported by the WebAssembly engine (sc, tso, power)`,
  );
}

function checkRange(opts: RunOptions): void {
  const ok = (v: number) => Number.isSafeInteger(v) && v >= 0;
  if (!ok(opts.from) || !ok(opts.to) || opts.to < opts.from) {
    throw new RangeError(`@naplab/engine: bad trial range [${opts.from}, ${opts.to})`);
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw new RangeError(`@naplab/engine: seed ${opts.seed} is not an unsigned 32-bit integer`);
  }
}

class WasmEngine implements Engine {
  readonly name = 'wasm' as const;
  private core: WasmCore | null = null;

  constructor(
    readonly build: BuildName,
    readonly maxMemoryMiB?: number,
  ) {}

  private instance(): WasmCore {
    if (!this.core) this.core = new WasmCore(this.build, this.maxMemoryMiB);
    return this.core;
  }

  private load(image: Image, memory: MemoryModel, footprint: Uint8Array | null = null): WasmCore {
    validateImage(image);
    const core = this.instance();
    core.load(flattenImage(image), image.strings, memory, footprint);
    return core;
  }

  runTrials(image: Image, opts: RunOptions): BatchResult {
    const memory = modelFlag(opts.memory);
    checkRange(opts);
    const record =
      opts.record === 'none' ? abi.RECORD_NONE : opts.record === 'all' ? abi.RECORD_ALL : abi.RECORD_FAILURES;
    let failuresLeft = record === abi.RECORD_FAILURES ? Math.max(0, Math.floor(opts.maxFailures ?? 10)) : 0;
    const sched = opts.scheduler;
    if (sched.kind === 'timed' && opts.memory === 'power') {
      throw new RangeError('the timed scheduler runs the sc and tso memory models (SEMANTICS.md 15)');
    }
    if (sched.kind === 'pct' && opts.memory === 'power') {
      throw new RangeError(
        '@naplab/engine: the pct scheduler is defined for the sc and tso memory models (SEMANTICS.md 14.7)',
      );
    }
    if (
      sched.kind !== 'uniform' &&
      sched.kind !== 'replay' &&
      sched.kind !== 'pct' &&
      sched.kind !== 'timed'
    ) {
      throw new Error(
        `@naplab/engine: unsupported scheduler ${JSON.stringify((sched as { kind: string }).kind)}`,
      );
    }
    if (sched.kind === 'pct') {
      const problem = pctSpecProblem(sched.depth, sched.k);
      if (problem) throw new RangeError(`@naplab/engine: bad pct scheduler: ${problem}`);
    }
    const timed = sched.kind === 'timed' ? timedConfig(sched) : undefined;
    const core = this.load(image, memory);
    if (sched.kind === 'pct') {
      // the core keeps the priorities and change points in the run's buffer (assembly/pct.ts)
      core.ex.setPct(sched.depth, sched.k);
      core.beginRunSized(pctAgentSlots(image) + sched.depth);
    } else {
      core.beginRun(sched.kind === 'replay' ? sched.schedule : null);
    }
    if (sched.kind === 'timed')
      core.beginTimed(
        instructionCosts(image, sched.cost),
        instructionFlags(image),
        timed!,
        image.counters.map((c) => (isDispatchCounter(c) ? 1 : 0)),
      );
    const mode =
      sched.kind === 'replay'
        ? abi.SCHED_REPLAY
        : sched.kind === 'pct'
          ? abi.SCHED_PCT
          : sched.kind === 'timed'
            ? abi.SCHED_TIMED
            : abi.SCHED_UNIFORM;
    const agg = emptyExact(image.counters.length);
    const trials: TrialResult[] = [];
    let next = opts.from;
    let budget = FIRST_BUDGET;
    while (next < opts.to) {
      const call = core.runBatch(
        opts.seed,
        next,
        opts.to,
        memory,
        mode,
        record,
        Math.min(failuresLeft, 0x7fffffff),
        budget,
        agg,
      );
      for (const t of call.records) trials.push(t);
      if (record === abi.RECORD_FAILURES) failuresLeft -= call.records.length;
      next = call.next;
      budget = Math.min(budget * 4, MAX_BUDGET);
    }
    if (timed && !agg.timed) agg.timed = new Array<bigint>(timedWords(image.counters.length)).fill(0n);
    return { aggregates: exactToAggregates(agg), trials };
  }

  explore(image: Image, opts: ExploreOptions): ExploreResult {
    checkShortestMaxStates(opts.shortestMaxStates);
    const memory = modelFlag(opts.memory);
    if (opts.footprint !== undefined) {
      if (memory !== 'power')
        throw new RangeError(
          `the footprint abstraction is defined under --memory power, not ${memory} (SEMANTICS.md 18)`,
        );
      if (opts.checkpoint || opts.resume)
        throw new RangeError('a search of the footprint abstraction is not checkpointed (SEMANTICS.md 18)');
    }
    const core = this.load(
      image,
      memory,
      opts.footprint === undefined ? null : footprintBitmap(image, opts.footprint),
    );
    const reduce = opts.reduce === true;
    const every = opts.checkpoint?.everyStates ?? 0;
    if (!(Number.isSafeInteger(every) && every >= 0))
      throw new RangeError(`checkpoint.everyStates must be a whole number of states, got ${every}`);
    // a checkpoint resumes into the core just loaded (SEMANTICS.md 12.6)
    if (opts.resume) core.resume(opts.resume, memory, reduce);
    core.onProgress = opts.onProgress;
    core.onCheckpoint = opts.checkpoint?.offer;
    core.setCheckpointEvery(opts.checkpoint ? Math.max(1, every) : 0);
    try {
      const r = this.search(core, memory, reduce, opts);
      if (opts.footprint !== undefined) {
        const at = core.footprintEscape();
        if (at >= 0) r.footprintEscape = footprintEscapeAt(image, at, core.footprintEscapeReason());
      }
      return r;
    } finally {
      core.onProgress = undefined;
      core.onCheckpoint = undefined;
      core.setCheckpointEvery(0);
    }
  }

  private search(core: WasmCore, memory: MemoryModel, reduce: boolean, opts: ExploreOptions): ExploreResult {
    const r = core.explore(memory, reduce);
    // an access outside the footprint stopped the search (SEMANTICS.md 18): nothing more to do
    if (opts.footprint !== undefined && core.footprintEscape() >= 0) return r;
    const v = r.violation;
    const real = v !== undefined && v.outcome !== 'ok' && v.outcome !== 'limit';
    if (opts.shortest && (real || (r.cut && opts.shortest === 'also-if-cut'))) {
      // SEMANTICS.md section 16: replace the depth-first violation by a least-length one (or,
      // with 'also-if-cut', after a cut search that found none, look for one breadth-first)
      let s: ReturnType<WasmCore['shortest']>;
      try {
        s = core.shortest(memory, reduce, opts.shortestMaxStates ?? 0);
      } catch (e) {
        // out of memory before the pass could start (later, it returns how far it got, as a cut
        // pass with outOfMemory): keep the depth-first answer, unproven
        if (!/out of memory/.test((e as Error).message)) throw e;
        if (v) r.violation = { ...v, shortest: false, dfsLength: v.schedule.length };
        r.shortestSearch = { states: 0, transitions: 0, cut: true, depth: 0, outOfMemory: true };
        return r;
      }
      const { violation: sv, ...search } = s;
      r.shortestSearch = search;
      const extra = { ...(v ? { dfsLength: v.schedule.length } : {}), shortestStates: s.states };
      if (sv) {
        const { steps, ...rest } = sv;
        r.violation = { ...rest, shortest: true, steps, ...extra };
      } else if (v) r.violation = { ...v, shortest: false, ...extra };
    }
    return r;
  }
}

/** An engine on the given build of the core (one core instance per engine). */
export function createWasmEngine(options: WasmEngineOptions = {}): Engine {
  const build = options.build ?? 'release';
  if (build !== 'release' && build !== 'debug') throw new Error(`@naplab/engine: unknown build ${build}`);
  const cap = options.maxMemoryMiB;
  if (cap !== undefined && !(Number.isFinite(cap) && cap >= 1 && cap <= 4096))
    throw new RangeError(`@naplab/engine: maxMemoryMiB must be a number of MiB from 1 to 4096, got ${cap}`);
  return new WasmEngine(build, cap);
}

/** The release-build engine, shared (the core is instantiated on first use). */
export const wasmEngine: Engine = createWasmEngine({ build: 'release' });
