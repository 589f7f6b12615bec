/**
 * @naplab/engine: the WebAssembly (AssemblyScript) engine for naplab images.
 *
 * Implements the `Engine` contract of @naplab/isa (`engine-api.ts`, semantics in SEMANTICS.md):
 * batches of trials under the uniform or replay scheduler, and exhaustive search. The API is
 * synchronous; the module is compiled once per build and process.
 */
import {
  type BatchResult,
  type Engine,
  type ExploreOptions,
  type ExploreResult,
  type Image,
  type MemoryModel,
  type RunOptions,
  type TrialResult,
  validateImage,
} from '@naplab/isa';
import * as abi from './abi.js';
import { type BuildName, emptyExact, exactToAggregates, flattenImage, WasmCore } from './core.js';

export { type BuildName, ScheduleDivergedError } from './core.js';

export interface WasmEngineOptions {
  /** `release` (default): -O3, no runtime checks; `debug`: assertions and a source map */
  build?: BuildName;
}

/** Steps per core call: small first calls let V8 tier the loop up before the long ones. */
const FIRST_BUDGET = 20_000;
const MAX_BUDGET = 4_000_000;

function modelFlag(memory: MemoryModel): boolean {
  if (memory === 'sc') return false;
  if (memory === 'tso') return true;
  throw new RangeError(
    `@naplab/engine: memory model ${JSON.stringify(memory)} is not supported by the WebAssembly engine (sc, tso); use the reference engine for it`,
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

  constructor(readonly build: BuildName) {}

  private instance(): WasmCore {
    if (!this.core) this.core = new WasmCore(this.build);
    return this.core;
  }

  private load(image: Image): WasmCore {
    validateImage(image);
    const core = this.instance();
    core.load(flattenImage(image), image.strings);
    return core;
  }

  runTrials(image: Image, opts: RunOptions): BatchResult {
    const tso = modelFlag(opts.memory);
    checkRange(opts);
    const record =
      opts.record === 'none' ? abi.RECORD_NONE : opts.record === 'all' ? abi.RECORD_ALL : abi.RECORD_FAILURES;
    let failuresLeft = record === abi.RECORD_FAILURES ? Math.max(0, Math.floor(opts.maxFailures ?? 10)) : 0;
    const sched = opts.scheduler;
    if (sched.kind !== 'uniform' && sched.kind !== 'replay') {
      throw new Error(
        `@naplab/engine: unsupported scheduler ${JSON.stringify((sched as { kind: string }).kind)}`,
      );
    }
    const core = this.load(image);
    core.beginRun(sched.kind === 'replay' ? sched.schedule : null);
    const agg = emptyExact(image.counters.length);
    const trials: TrialResult[] = [];
    let next = opts.from;
    let budget = FIRST_BUDGET;
    while (next < opts.to) {
      const call = core.runBatch(
        opts.seed,
        next,
        opts.to,
        tso,
        sched.kind === 'replay' ? abi.SCHED_REPLAY : abi.SCHED_UNIFORM,
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
    return { aggregates: exactToAggregates(agg), trials };
  }

  explore(image: Image, opts: ExploreOptions): ExploreResult {
    const tso = modelFlag(opts.memory);
    const core = this.load(image);
    const r = core.explore(tso);
    const v = r.violation;
    const real = v !== undefined && v.outcome !== 'ok' && v.outcome !== 'limit';
    if (opts.shortest && (real || (r.cut && opts.shortest === 'also-if-cut'))) {
      // SEMANTICS.md section 16: replace the depth-first violation by a least-length one (or,
      // with 'also-if-cut', after a cut search that found none, look for one breadth-first)
      let s: ReturnType<WasmCore['shortest']>;
      try {
        s = core.shortest(tso);
      } catch (e) {
        // out of memory (the frontier of a wide graph): keep the depth-first answer, unproven
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
  return new WasmEngine(build);
}

/** The release-build engine, shared (the core is instantiated on first use). */
export const wasmEngine: Engine = createWasmEngine({ build: 'release' });
