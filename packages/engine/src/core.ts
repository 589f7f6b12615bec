/**
 * The low-level loader: compiles the core once per build, flattens an image into the core's tables
 * and talks to its exports. It does NOT call `validateImage`; the engine (`index.ts`) does that
 * first. The core re-checks everything it indexes with, so even a malformed image handed to
 * `WasmCore.load` directly is refused with an `ImageError` (see test/bounds.test.ts).
 */
import { readFileSync } from 'node:fs';
import {
  type BatchAggregates,
  type ExploreCheckpoint,
  type ExploreOptions,
  type ExploreProgress,
  type ExploreResult,
  HIST_BUCKETS,
  type Image,
  ImageError,
  type LatencyStats,
  type MemoryModel,
  OUTCOMES,
  type Outcome,
  type TimedAggregates,
  type TimedConfig,
  type TrialDetail,
  type TrialResult,
} from '@naplab/isa';
import * as abi from './abi.js';

export type BuildName = 'release' | 'debug';

/** The core's code for a memory model (abi.ts MODEL_*). */
export function modelCode(model: MemoryModel): number {
  if (model === 'sc') return abi.MODEL_SC;
  if (model === 'tso') return abi.MODEL_TSO;
  if (model === 'power') return abi.MODEL_POWER;
  throw new RangeError(`@naplab/engine: unknown memory model ${JSON.stringify(model)}`);
}

/** assembly/power.ts: the footprint abstraction (SEMANTICS.md 18) */
const FOOT_ABSTRACT = 2;

interface CoreExports {
  memory: WebAssembly.Memory;
  headerPtr(): number;
  configure(model: number): number;
  loadImage(): number;
  beginRun(replayLen: number): number;
  runBatch(
    seed: number,
    from: number,
    to: number,
    model: number,
    scheduler: number,
    record: number,
    maxFailures: number,
    stepBudget: number,
  ): number;
  explore(model: number, reduce: number): number;
  setCheckpointEvery(states: number): void;
  setFootprintMode(mode: number): void;
  footprintPtr(): number;
  footprintEscape(): number;
  footprintEscapeReason(): number;
  checkpointInfo(): number;
  exploreResumeBegin(
    model: number,
    reduce: number,
    slots: number,
    finals: number,
    sp: number,
    violationWords: number,
  ): number;
  exploreResumeInsert(n: number): number;
  exploreResumeFinish(
    states: number,
    transitions: number,
    maxDepth: number,
    limitCut: number,
    sp: number,
  ): number;
  shortest(model: number, reduce: number, maxStates: number): number;
  setMemoryLimit(pages: number): void;
  setPct(depth: number, k: number): void;
  beginTimed(cyclesPerUs: number, thresh: number): number;
  timedLatPtr(): number;
  timedAggPtr(): number;
  timedDispatchPtr(): number;
  testRngReset(seed: number, trial: number): void;
  testRngNext(): number;
  testRngBelow(n: number): number;
}

const modules = new Map<BuildName, WebAssembly.Module>();

/** Where a build's .wasm lives: `build/` next to `dist/` (and next to `src/` in tests). */
export function wasmUrl(build: BuildName): URL {
  return new URL(`../build/${build}.wasm`, import.meta.url);
}

/** The compiled module of a build (compiled once per process). */
export function coreModule(build: BuildName): WebAssembly.Module {
  let m = modules.get(build);
  if (!m) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(wasmUrl(build));
    } catch (e) {
      throw new Error(
        `@naplab/engine: cannot read ${wasmUrl(build).pathname} (${(e as Error).message}); build the package first: pnpm --filter @naplab/engine build`,
      );
    }
    m = new WebAssembly.Module(bytes);
    modules.set(build, m);
  }
  return m;
}

/** The image flattened into the core's tables (abi.ts): what `WasmCore.load` writes into memory. */
export interface RawImage {
  version: number;
  nInstr: number;
  code: ArrayLike<number>;
  /** n x TI_WORDS */
  threads: ArrayLike<number>;
  nThreads: number;
  memSize: number;
  /** (addr, value) pairs */
  init: ArrayLike<number>;
  /** n x SY_WORDS */
  symbols: ArrayLike<number>;
  /** n x EV_WORDS */
  events: ArrayLike<number>;
  /** n x OB_WORDS */
  observe: ArrayLike<number>;
  nCounters: number;
  nStrings: number;
  storeBuffer: number;
  maxSteps: number;
  maxStates: number;
  vectors: [number, number, number, number];
}

export function flattenImage(img: Image): RawImage {
  const n = img.threads.length;
  const threads = new Int32Array(n * abi.TI_WORDS);
  img.threads.forEach((t, i) => {
    const o = i * abi.TI_WORDS;
    threads[o + abi.TI_PC] = t.pc;
    threads[o + abi.TI_STATUS] = t.status;
    threads[o + abi.TI_EE] = t.msrEE;
    threads[o + abi.TI_LPCR] = t.lpcr;
    threads[o + abi.TI_LPID] = t.lpid;
    threads[o + abi.TI_PENDING] = t.pending;
    threads[o + abi.TI_MUSTHALT] = t.mustHalt ? 1 : 0;
    // later entries win, as with any sequential initialisation
    for (const [r, v] of t.regs) threads[o + abi.TI_REGS + r] = v;
  });
  const init = new Int32Array(img.memory.init.length * abi.MI_WORDS);
  img.memory.init.forEach(([a, v], i) => {
    init[2 * i] = a;
    init[2 * i + 1] = v;
  });
  const symbols = new Int32Array(img.memory.symbols.length * abi.SY_WORDS);
  // A symbol only matters through "addr <= ea < addr + size" for cells 1 <= ea < size, so its
  // range is clamped to [0, size] (rounding up, as for integer ea) to fit the core's 32-bit words.
  const cells = img.memory.size;
  const clamp = (v: number) => (Number.isNaN(v) ? 0 : Math.min(cells, Math.max(0, Math.ceil(v))));
  img.memory.symbols.forEach((s, i) => {
    const o = i * abi.SY_WORDS;
    const lo = clamp(s.addr);
    const hi = Math.max(lo, clamp(s.addr + s.size));
    symbols[o + abi.SY_ADDR] = lo;
    symbols[o + abi.SY_SIZE] = hi - lo;
    symbols[o + abi.SY_HAS_CPU] = s.cpu === undefined ? 0 : 1;
    symbols[o + abi.SY_CPU] = s.cpu ?? 0;
  });
  const events = new Int32Array(img.events.length * abi.EV_WORDS);
  img.events.forEach((e, i) => {
    const o = i * abi.EV_WORDS;
    events[o + abi.EV_KIND] = e.kind;
    events[o + abi.EV_CPU] = e.cpu;
    events[o + abi.EV_COUNT] = e.count;
    events[o + abi.EV_WHEN_NAPPING] = e.whenNapping ? 1 : 0;
  });
  const observe = new Int32Array(img.observe.length * abi.OB_WORDS);
  img.observe.forEach((ob, i) => {
    const o = i * abi.OB_WORDS;
    if (ob.kind === 'reg') {
      observe[o + abi.OB_KIND] = abi.OB_REG;
      observe[o + abi.OB_A] = ob.cpu;
      observe[o + abi.OB_B] = ob.reg;
    } else {
      observe[o + abi.OB_KIND] = ob.kind === 'mem' ? abi.OB_MEM : -1;
      observe[o + abi.OB_A] = ob.addr;
    }
  });
  return {
    version: img.version,
    nInstr: img.code.length / 4,
    code: img.code,
    threads,
    nThreads: n,
    memSize: img.memory.size,
    init,
    symbols,
    events,
    observe,
    nCounters: img.counters.length,
    nStrings: img.strings.length,
    storeBuffer: img.limits.storeBuffer,
    maxSteps: img.limits.maxSteps,
    maxStates: img.limits.maxStates,
    vectors: [img.vectors.systemReset, img.vectors.external, img.vectors.decrementer, img.vectors.doorbell],
  };
}

/** Exact aggregates (BigInt sums, so any split of a range into calls gives the same totals). */
export interface ExactAggregates {
  trials: bigint;
  outcomes: bigint[];
  steps: bigint;
  stepsSq: bigint;
  maxSteps: bigint;
  syncs: bigint;
  wakeups: bigint;
  wakeupsByReason: bigint[];
  counters: bigint[];
  /** per-trial second moments: Σ wakeups², and per counter Σc², Σc·wakeups; per counter pair Σa·b */
  wakeupsSq: bigint;
  countersSq: bigint[];
  countersWakeups: bigint[];
  /** absent above abi.CROSS_MAX_COUNTERS counters */
  countersCross?: bigint[];
  /**
   * timed scheduler: cycles, maxCycles, reports, delaySum, delayMin, delayMax, then LAT_WORDS per
   * counter and LAT_WORDS for the dispatch counters together (assembly/timed.ts tLatAgg)
   */
  timed?: bigint[];
}

/**
 * i64 words per counter in the core's latency aggregates (assembly/timed.ts LAT_WORDS): n, sum,
 * sumSq, min, max, the histogram, then Σ trialSum², Σ trialCount², Σ trialSum·trialCount
 */
export const LAT_WORDS = 8 + HIST_BUCKETS;
/** i64 words of the core's timed aggregates for `nCounters` counters */
export const timedWords = (nCounters: number) => 6 + (nCounters + 1) * LAT_WORDS;

export function emptyExact(nCounters: number): ExactAggregates {
  return {
    trials: 0n,
    outcomes: [0n, 0n, 0n, 0n, 0n],
    steps: 0n,
    stepsSq: 0n,
    maxSteps: 0n,
    syncs: 0n,
    wakeups: 0n,
    wakeupsByReason: [0n, 0n, 0n],
    counters: new Array<bigint>(nCounters).fill(0n),
    wakeupsSq: 0n,
    countersSq: new Array<bigint>(nCounters).fill(0n),
    countersWakeups: new Array<bigint>(nCounters).fill(0n),
    ...(nCounters <= abi.CROSS_MAX_COUNTERS
      ? { countersCross: new Array<bigint>((nCounters * (nCounters - 1)) / 2).fill(0n) }
      : {}),
  };
}

export function exactToAggregates(x: ExactAggregates): BatchAggregates {
  const outcomes = {} as Record<Outcome, number>;
  OUTCOMES.forEach((o, i) => {
    outcomes[o] = Number(x.outcomes[i]);
  });
  return {
    trials: Number(x.trials),
    outcomes,
    steps: Number(x.steps),
    syncs: Number(x.syncs),
    wakeups: Number(x.wakeups),
    wakeupsByReason: [
      Number(x.wakeupsByReason[0]),
      Number(x.wakeupsByReason[1]),
      Number(x.wakeupsByReason[2]),
    ],
    counters: x.counters.map(Number),
    stepsSq: Number(x.stepsSq),
    maxSteps: Number(x.maxSteps),
    wakeupsSq: Number(x.wakeupsSq),
    countersSq: x.countersSq.map(Number),
    countersWakeups: x.countersWakeups.map(Number),
    ...(x.countersCross ? { countersCross: x.countersCross.map(Number) } : {}),
    ...(x.timed ? { timed: exactToTimed(x.timed, x.counters.length) } : {}),
  };
}

function exactToTimed(w: bigint[], nCounters: number): TimedAggregates {
  const num = (i: number) => Number(w[i]!);
  const block = (c: number): LatencyStats => {
    const o = 6 + c * LAT_WORDS;
    const hist: [number, number][] = [];
    for (let b = 0; b < HIST_BUCKETS; b++) if (w[o + 5 + b]! !== 0n) hist.push([b, num(o + 5 + b)]);
    const t = o + 5 + HIST_BUCKETS;
    return {
      n: num(o),
      sum: num(o + 1),
      sumSq: num(o + 2),
      min: num(o + 3),
      max: num(o + 4),
      hist,
      trialSumSq: num(t),
      trialCountSq: num(t + 1),
      trialCross: num(t + 2),
    };
  };
  const latency: LatencyStats[] = [];
  for (let c = 0; c < nCounters; c++) latency.push(block(c));
  return {
    cycles: num(0),
    maxCycles: num(1),
    watchdog: { reports: num(2), delaySum: num(3), delayMin: num(4), delayMax: num(5) },
    latency,
    dispatch: block(nCounters),
  };
}

/** Add one call's timed words into the running exact sums (min and max merged as such). */
function addTimedWords(acc: bigint[], w: BigInt64Array, nCounters: number): void {
  const mergeMinMax = (i: number, countNow: bigint, countAdd: bigint, isMin: boolean) => {
    if (countAdd === 0n) return;
    if (countNow === 0n) acc[i] = w[i]!;
    else if (isMin ? w[i]! < acc[i]! : w[i]! > acc[i]!) acc[i] = w[i]!;
  };
  acc[0]! += w[0]!;
  if (w[1]! > acc[1]!) acc[1] = w[1]!;
  mergeMinMax(4, acc[2]!, w[2]!, true);
  mergeMinMax(5, acc[2]!, w[2]!, false);
  acc[2]! += w[2]!;
  acc[3]! += w[3]!;
  // the counters, then the dispatch block
  for (let c = 0; c <= nCounters; c++) {
    const o = 6 + c * LAT_WORDS;
    mergeMinMax(o + 3, acc[o]!, w[o]!, true);
    mergeMinMax(o + 4, acc[o]!, w[o]!, false);
    acc[o]! += w[o]!;
    acc[o + 1]! += w[o + 1]!;
    acc[o + 2]! += w[o + 2]!;
    for (let b = 0; b < HIST_BUCKETS + 3; b++) acc[o + 5 + b]! += w[o + 5 + b]!;
  }
}

/** Why the core refused an image, in the words of `validateImage` where one applies. */
function refusal(code: number, arg: number): ImageError {
  const msg: Record<number, string> = {
    [abi.E_SIZES]: `sizes out of range (header word ${arg})`,
    [abi.E_OUT_OF_MEMORY]: 'image too large for the engine memory',
    [abi.E_OPCODE]: `instruction ${arg}: unknown opcode`,
    [abi.E_OPERAND]: `instruction ${arg}: operand out of range`,
    [abi.E_THREAD]: `thread ${arg}: bad start state`,
    [abi.E_VECTOR]: `vector ${['systemReset', 'external', 'decrementer', 'doorbell'][arg]} out of range`,
    [abi.E_MEM_INIT]: `memory.init entry ${arg} out of range`,
    [abi.E_EVENT]: `event ${arg} out of range`,
    [abi.E_OBSERVE]: `observe ${arg} out of range`,
  };
  if (code === abi.E_VERSION) {
    return new ImageError(
      `image version ${arg} is not supported by the engine core; rebuild the image from its source`,
      'E_IMAGE_VERSION',
    );
  }
  return new ImageError(`invalid image (refused by the WebAssembly core): ${msg[code] ?? `error ${code}`}`);
}

/** Decoded per-trial record (abi.ts "per-trial record"). */
function readRecord(
  i32: Int32Array,
  word: number,
  img: { strings: string[]; nCounters: number; nObserve: number; timed?: boolean },
): { trial: TrialResult; words: number } {
  const r = (k: number) => i32[word + k]!;
  const schedLen = r(abi.R_SCHED_LEN);
  const nStuck = r(abi.R_NSTUCK);
  let p = word + abi.R_HDR;
  const schedule = Array.from(i32.subarray(p, p + schedLen));
  p += schedLen;
  const stuck = Array.from(i32.subarray(p, p + nStuck));
  p += nStuck;
  const counters = Array.from(i32.subarray(p, p + img.nCounters));
  p += img.nCounters;
  const final = Array.from(i32.subarray(p, p + img.nObserve));
  p += img.nObserve;
  let timed: TrialResult['timed'];
  if (img.timed) {
    const i64 = (k: number) => (i32[p + k]! >>> 0) + i32[p + k + 1]! * 4294967296;
    timed = { cycles: i64(0) };
    const at = i64(2);
    if (at >= 0) {
      const cpus: number[] = [];
      for (let c = 0; c < 64; c++)
        if ((c < 32 ? i32[p + 5]! >>> c : i32[p + 6]! >>> (c - 32)) & 1) cpus.push(c);
      timed.watchdog = { at, cpu: i32[p + 4]!, cpus };
    }
    p += abi.TR_WORDS;
  }
  const outcome = OUTCOMES[r(abi.R_OUTCOME)]!;
  let detail: TrialDetail = {};
  if (outcome === 'lockup') {
    const list = stuck.join(',');
    detail =
      r(abi.R_D_TEXT) === 3
        ? { waiting: -1, stuck, message: `watchdog: CPUs ${list} never woke up` }
        : {
            waiting: r(abi.R_D_CPU),
            stuck,
            message: `watchdog: CPU ${r(abi.R_D_CPU)} detected hard LOCKUP on other CPUs ${list}`,
          };
  } else if (outcome === 'lost') {
    detail = { cpu: r(abi.R_D_CPU), reason: r(abi.R_D_ARG) };
  } else if (outcome === 'assert') {
    detail = { cpu: r(abi.R_D_CPU), pc: r(abi.R_D_ARG), message: img.strings[r(abi.R_D_TEXT)]! };
  }
  const trial: TrialResult = {
    index: (r(abi.R_INDEX_LO) >>> 0) + (r(abi.R_INDEX_HI) >>> 0) * 4294967296,
    outcome,
    steps: r(abi.R_STEPS),
    syncs: r(abi.R_SYNCS),
    wakeups: r(abi.R_WAKEUPS),
    wakeupsByReason: [
      r(abi.R_WAKEUPS_BY_REASON),
      r(abi.R_WAKEUPS_BY_REASON + 1),
      r(abi.R_WAKEUPS_BY_REASON + 2),
    ],
    counters,
    final,
    schedule,
    detail,
  };
  if (timed) trial.timed = timed;
  return { trial, words: p - word };
}

export interface BatchCall {
  /** the next trial index not run */
  next: number;
  records: TrialResult[];
}

/** Thrown when a replayed schedule names an action that is not enabled (SEMANTICS.md 10.9). */
export class ScheduleDivergedError extends Error {
  constructor(readonly decision: number) {
    super(`schedule diverged at decision ${decision}`);
    this.name = 'ScheduleDivergedError';
  }
}

/** One instance of the core: one linear memory, one loaded image at a time. */
export class WasmCore {
  readonly ex: CoreExports;
  private buf: ArrayBuffer | null = null;
  private view: Int32Array = new Int32Array(0);
  private hdr = 0;
  private strings: string[] = [];
  private nCounters = 0;
  private nObserve = 0;
  /** the run set up by beginRun is a timed one (beginTimed) */
  private timed = false;
  /** receives the searches' progress reports (ExploreOptions.onProgress), while one runs */
  onProgress: ((p: ExploreProgress) => void) | undefined = undefined;
  /** receives the depth-first search's checkpoint offers (ExploreOptions.checkpoint) */
  onCheckpoint: NonNullable<ExploreOptions['checkpoint']>['offer'] | undefined = undefined;
  /** the model and reduction of the search running, for its checkpoints */
  private searching: { memory: MemoryModel; reduce: boolean } = { memory: 'sc', reduce: false };

  constructor(
    readonly build: BuildName,
    maxMemoryMiB?: number,
  ) {
    const instance = new WebAssembly.Instance(coreModule(build), {
      env: {
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`@naplab/engine core (${build}) aborted at ${line}:${col}`);
        },
        // every 2^20 new states of a search (assembly/progress.ts)
        progress: (phase: number, states: number, transitions: number, depth: number) => {
          this.onProgress?.({ phase: phase === 0 ? 'dfs' : 'bfs', states, transitions, depth });
        },
        // assembly/explore.ts: the depth-first search stands still and consistent during the call
        checkpoint: (
          states: number,
          transitions: number,
          maxDepth: number,
          limitCut: number,
          sp: number,
          last: number,
        ) => {
          this.onCheckpoint?.({ states, transitions, atBound: last !== 0 }, () =>
            this.readCheckpoint({
              states,
              transitions,
              maxDepth,
              limitCut: limitCut !== 0,
              sp,
              atBound: last !== 0,
            }),
          );
        },
      },
    });
    this.ex = instance.exports as unknown as CoreExports;
    this.hdr = this.ex.headerPtr() >>> 2;
    if (maxMemoryMiB !== undefined) this.ex.setMemoryLimit(Math.max(1, Math.floor(maxMemoryMiB * 16)));
  }

  /** The memory as i32 words (re-made after the memory grows). */
  get i32(): Int32Array {
    const buf = this.ex.memory.buffer;
    if (this.buf !== buf) {
      this.buf = buf;
      this.view = new Int32Array(buf);
    }
    return this.view;
  }

  private header(word: number): number {
    return this.i32[this.hdr + word]!;
  }

  private headerF64(word: number): number {
    return new Float64Array(this.ex.memory.buffer, (this.hdr + word) * 4, 1)[0]!;
  }

  private headerI64(index: number): bigint {
    return new BigInt64Array(this.ex.memory.buffer, (this.hdr + abi.H_AGG) * 4 + index * 8, 1)[0]!;
  }

  private check(code: number): void {
    if (code !== abi.E_OK) throw refusal(code, this.header(abi.H_ERROR_ARG));
  }

  /**
   * Write an image's tables into the core and let it check and load them. No `validateImage`.
   * `model`: the memory model runs will use (`power` has its own state layout and start state;
   * `sc` and `tso` share one).
   */
  /** Load an image under `model`; with `footprint` (power), for the footprint abstraction (SEMANTICS.md 18). */
  load(
    raw: RawImage,
    strings: string[] = [],
    model: MemoryModel = 'sc',
    footprint: Uint8Array | null = null,
  ): void {
    const h = this.hdr;
    let m = this.i32;
    m[h + abi.H_VERSION] = raw.version;
    m[h + abi.H_NTHREADS] = raw.nThreads;
    m[h + abi.H_NINSTR] = raw.nInstr;
    m[h + abi.H_MEMSIZE] = raw.memSize;
    m[h + abi.H_NINIT] = raw.init.length / abi.MI_WORDS;
    m[h + abi.H_NSYMBOLS] = raw.symbols.length / abi.SY_WORDS;
    m[h + abi.H_NEVENTS] = raw.events.length / abi.EV_WORDS;
    m[h + abi.H_NOBSERVE] = raw.observe.length / abi.OB_WORDS;
    m[h + abi.H_NCOUNTERS] = raw.nCounters;
    m[h + abi.H_NSTRINGS] = raw.nStrings;
    m[h + abi.H_SBCAP] = raw.storeBuffer;
    m[h + abi.H_MAXSTEPS] = raw.maxSteps;
    new Float64Array(this.ex.memory.buffer, (h + abi.H_MAXSTATES_F64) * 4, 1)[0] = raw.maxStates;
    m[h + abi.H_VEC_SR] = raw.vectors[0];
    m[h + abi.H_VEC_EXT] = raw.vectors[1];
    m[h + abi.H_VEC_DEC] = raw.vectors[2];
    m[h + abi.H_VEC_DB] = raw.vectors[3];
    this.check(this.ex.configure(modelCode(model)));
    // the start state is normalized by loadImage(), under the abstraction when there is one
    if (footprint !== null) this.setFootprint(footprint);
    m = this.i32;
    const put = (ptrWord: number, data: ArrayLike<number>) => m.set(data, this.header(ptrWord) >>> 2);
    put(abi.H_P_CODE, raw.code);
    put(abi.H_P_THREADS, raw.threads);
    put(abi.H_P_INIT, raw.init);
    put(abi.H_P_SYMBOLS, raw.symbols);
    put(abi.H_P_EVENTS, raw.events);
    put(abi.H_P_OBSERVE, raw.observe);
    this.check(this.ex.loadImage());
    this.strings = strings;
    this.nCounters = raw.nCounters;
    this.nObserve = raw.observe.length / abi.OB_WORDS;
  }

  /** Start a run; for replay, copy the schedule into the core. */
  beginRun(schedule: readonly number[] | null): void {
    this.timed = false;
    const len = schedule ? schedule.length : 0;
    const p = this.ex.beginRun(len);
    if (p < 0) throw new Error(`@naplab/engine: core error ${this.header(abi.H_ERROR)} starting a run`);
    if (schedule) {
      const m = this.i32;
      const base = p >>> 2;
      for (let i = 0; i < len; i++) {
        const v = schedule[i];
        // anything that is not a 32-bit integer can never be an enabled action or a choose value
        m[base + i] = Number.isInteger(v) && v! >= -0x80000000 && v! <= 0x7fffffff ? v! : -1;
      }
    }
  }

  /** Start a run with a scratch buffer of `words` words and no schedule (PCT's priorities). */
  beginRunSized(words: number): void {
    const p = this.ex.beginRun(words);
    if (p < 0) throw new Error(`@naplab/engine: core error ${this.header(abi.H_ERROR)} starting a run`);
  }

  /** After beginRun: set up the timed scheduler with per-instruction costs and its latency table. */
  beginTimed(
    costs: readonly number[],
    flags: readonly number[],
    cfg: TimedConfig,
    dispatch: readonly number[],
  ): void {
    const p = this.ex.beginTimed(cfg.cyclesPerUs, cfg.watchdogThresh);
    if (p < 0)
      throw new Error(
        `@naplab/engine: core error ${this.header(abi.H_ERROR)} setting up the timed scheduler`,
      );
    this.i32.set(costs, p >>> 2);
    this.i32.set(flags, (p >>> 2) + costs.length);
    const lat = new BigInt64Array(this.ex.memory.buffer, this.ex.timedLatPtr(), cfg.lat.length);
    cfg.lat.forEach((v, i) => {
      lat[i] = BigInt(v);
    });
    this.i32.set(dispatch, this.ex.timedDispatchPtr() >>> 2);
    this.timed = true;
  }

  /** One runBatch call; adds its aggregates into `agg`. */
  runBatch(
    seed: number,
    from: number,
    to: number,
    tso: boolean | MemoryModel,
    scheduler: number,
    record: number,
    maxFailures: number,
    stepBudget: number,
    agg: ExactAggregates,
  ): BatchCall {
    const next = this.ex.runBatch(
      seed >>> 0,
      from,
      to,
      typeof tso === 'boolean' ? (tso ? abi.MODEL_TSO : abi.MODEL_SC) : modelCode(tso),
      scheduler,
      record,
      maxFailures,
      stepBudget,
    );
    if (next < 0) {
      const code = this.header(abi.H_ERROR);
      if (code === abi.E_DIVERGED) throw new ScheduleDivergedError(this.header(abi.H_ERROR_ARG));
      if (code === abi.E_OUT_OF_MEMORY)
        throw new Error('@naplab/engine: out of memory while recording schedules');
      if (code === abi.E_ARGS)
        throw new Error(
          '@naplab/engine: bad runBatch arguments (or a memory model the image was not loaded for)',
        );
      throw new Error(`@naplab/engine: core error ${code}`);
    }
    agg.trials += this.headerI64(abi.A_TRIALS);
    for (let i = 0; i < 5; i++) agg.outcomes[i]! += this.headerI64(abi.A_OUTCOMES + i);
    agg.steps += this.headerI64(abi.A_STEPS);
    agg.stepsSq += this.headerI64(abi.A_STEPS_SQ);
    const mx = this.headerI64(abi.A_MAX_STEPS);
    if (mx > agg.maxSteps) agg.maxSteps = mx;
    agg.syncs += this.headerI64(abi.A_SYNCS);
    agg.wakeups += this.headerI64(abi.A_WAKEUPS);
    for (let i = 0; i < 3; i++) agg.wakeupsByReason[i]! += this.headerI64(abi.A_WAKEUPS_BY_REASON + i);
    agg.wakeupsSq += this.headerI64(abi.A_WAKEUPS_SQ);
    const nC = this.nCounters;
    if (nC > 0) {
      // Σc, Σc², Σc·wakeups per counter, then Σa·b per pair (assembly/abi.ts, H_P_AGG_COUNTERS)
      const pairs = agg.countersCross?.length ?? 0;
      const c = new BigInt64Array(this.ex.memory.buffer, this.header(abi.H_P_AGG_COUNTERS), 3 * nC + pairs);
      for (let i = 0; i < nC; i++) {
        agg.counters[i]! += c[i]!;
        agg.countersSq[i]! += c[nC + i]!;
        agg.countersWakeups[i]! += c[2 * nC + i]!;
      }
      for (let k = 0; k < pairs; k++) agg.countersCross![k]! += c[3 * nC + k]!;
    }
    if (this.timed) {
      const words = timedWords(this.nCounters);
      const w = new BigInt64Array(this.ex.memory.buffer, this.ex.timedAggPtr(), words);
      if (!agg.timed) agg.timed = new Array<bigint>(words).fill(0n);
      addTimedWords(agg.timed, w, this.nCounters);
    }
    return { next, records: this.readRecords() };
  }

  private readRecords(): TrialResult[] {
    const count = this.header(abi.H_REC_COUNT);
    const out: TrialResult[] = [];
    const m = this.i32;
    let w = this.header(abi.H_REC_PTR) >>> 2;
    const img = {
      strings: this.strings,
      nCounters: this.nCounters,
      nObserve: this.nObserve,
      timed: this.timed,
    };
    for (let i = 0; i < count; i++) {
      const { trial, words } = readRecord(m, w, img);
      out.push(trial);
      w += words;
    }
    return out;
  }

  /** checkpointInfo() words: where the search's data lives */
  private ckptInfo(): {
    table: number;
    slots: number;
    finals: number;
    finalsCount: number;
    finalWords: number;
    violation: number;
    violationWords: number;
    stack: number;
    frameBytes: number;
    frameWords: number;
    staging: number;
    stagingHashes: number;
  } {
    const p = this.ex.checkpointInfo() >>> 2;
    const m = this.i32;
    return {
      table: m[p]! >>> 0,
      slots: m[p + 1]! >>> 0,
      finals: m[p + 2]! >>> 0,
      finalsCount: m[p + 3]!,
      finalWords: m[p + 4]!,
      violation: m[p + 5]! >>> 0,
      violationWords: m[p + 6]!,
      stack: m[p + 7]! >>> 0,
      frameBytes: m[p + 8]!,
      frameWords: m[p + 10]!,
      staging: m[p + 11]! >>> 0,
      stagingHashes: m[p + 12]!,
    };
  }

  /** Copy the depth-first search standing at a checkpoint (SEMANTICS.md 12.6). */
  private readCheckpoint(at: {
    states: number;
    transitions: number;
    maxDepth: number;
    limitCut: boolean;
    sp: number;
    atBound: boolean;
  }): ExploreCheckpoint {
    const info = this.ckptInfo();
    const buf = this.ex.memory.buffer;
    const table = new Uint32Array(buf, info.table, info.slots * 2);
    const hashes = new Uint32Array(at.states * 2);
    let k = 0;
    for (let i = 0; i < table.length; i += 2) {
      const lo = table[i]!;
      const hi = table[i + 1]!;
      if ((lo | hi) === 0) continue;
      if (k >= hashes.length) throw new Error('@naplab/engine: checkpoint: more visited hashes than states');
      hashes[k++] = lo;
      hashes[k++] = hi;
    }
    if (k !== hashes.length) throw new Error('@naplab/engine: checkpoint: fewer visited hashes than states');
    const m = this.i32;
    const frames = new Int32Array((at.sp + 1) * info.frameWords);
    for (let i = 0; i <= at.sp; i++) {
      const w = (info.stack + i * info.frameBytes) >>> 2;
      frames.set(m.subarray(w, w + info.frameWords), i * info.frameWords);
    }
    return {
      ...this.searching,
      states: at.states,
      transitions: at.transitions,
      maxDepth: at.maxDepth,
      limitCut: at.limitCut,
      atBound: at.atBound,
      sp: at.sp,
      slots: info.slots,
      hashes,
      finals: m.slice(info.finals >>> 2, (info.finals >>> 2) + info.finalsCount * info.finalWords),
      finalWords: info.finalWords,
      violation:
        info.violation === 0
          ? new Int32Array(0)
          : m.slice(info.violation >>> 2, (info.violation >>> 2) + info.violationWords),
      frames,
      frameWords: info.frameWords,
    };
  }

  /** Offer checkpoints every `everyStates` new states (0: never) during the next searches. */
  /** After configure(): the footprint abstraction with this bitmap (`threads * memory.size` bytes, 1: may access). */
  private setFootprint(bits: Uint8Array): void {
    const packed = new Uint8Array((bits.length + 7) >> 3);
    for (let i = 0; i < bits.length; i++) if (bits[i]) packed[i >> 3] = packed[i >> 3]! | (1 << (i & 7));
    new Uint8Array(this.ex.memory.buffer, this.ex.footprintPtr(), packed.length).set(packed);
    this.ex.setFootprintMode(FOOT_ABSTRACT);
  }

  /** The first escape from the footprint in the last search (`thread * memSize + cell`), or -1. */
  footprintEscape(): number {
    return this.ex.footprintEscape() - 1;
  }

  /** Why the last search escaped (SEMANTICS.md 18.2). */
  footprintEscapeReason(): 'access' | 'table' | 'stall' {
    return (['access', 'table', 'stall'] as const)[this.ex.footprintEscapeReason()]!;
  }

  setCheckpointEvery(everyStates: number): void {
    this.ex.setCheckpointEvery(everyStates);
  }

  /**
   * Restore a saved depth-first search into the core, for the next `explore` (same image, model
   * and reduction) to continue it. Throws when the data does not fit this image.
   */
  resume(c: ExploreCheckpoint, memory: MemoryModel, reduce: boolean): void {
    const bad = (why: string): Error => new Error(`@naplab/engine: not a checkpoint of this search: ${why}`);
    if (c.memory !== memory || c.reduce !== reduce)
      throw bad(`it was saved under --memory ${c.memory}${c.reduce ? ' with reduce' : ''}`);
    if (c.hashes.length !== c.states * 2 || c.frames.length !== (c.sp + 1) * c.frameWords || c.sp < 0)
      throw bad('its sizes disagree');
    this.check(
      this.ex.exploreResumeBegin(
        modelCode(memory),
        reduce ? 1 : 0,
        c.slots,
        c.finalWords > 0 ? c.finals.length / c.finalWords : 0,
        c.sp,
        c.violation.length,
      ),
    );
    const info = this.ckptInfo();
    if (info.finalWords !== c.finalWords || info.frameWords !== c.frameWords)
      throw bad('its records have another size (another image)');
    let m = this.i32;
    m.set(c.finals, info.finals >>> 2);
    if (c.violation.length > 0) m.set(c.violation, info.violation >>> 2);
    for (let i = 0; i <= c.sp; i++)
      m.set(
        c.frames.subarray(i * c.frameWords, (i + 1) * c.frameWords),
        (info.stack + i * info.frameBytes) >>> 2,
      );
    for (let at = 0; at < c.states; at += info.stagingHashes) {
      const n = Math.min(info.stagingHashes, c.states - at);
      m = this.i32;
      m.set(c.hashes.subarray(at * 2, (at + n) * 2), info.staging >>> 2);
      if (!this.ex.exploreResumeInsert(n)) throw bad('its visited hashes are not a table (zero or repeated)');
    }
    if (this.ex.exploreResumeFinish(c.states, c.transitions, c.maxDepth, c.limitCut ? 1 : 0, c.sp) !== 0)
      throw bad('the path on its stack does not lead to visited states of this image');
  }

  explore(tso: boolean | MemoryModel, reduce = false): ExploreResult {
    this.searching = { memory: typeof tso === 'boolean' ? (tso ? 'tso' : 'sc') : tso, reduce };
    const code = this.ex.explore(
      typeof tso === 'boolean' ? (tso ? abi.MODEL_TSO : abi.MODEL_SC) : modelCode(tso),
      reduce ? 1 : 0,
    );
    // out of memory during the search (argument 1): the header holds what it found so far
    const partial = code === abi.E_OUT_OF_MEMORY && this.header(abi.H_ERROR_ARG) === 1;
    if (code !== abi.E_OK && !partial) {
      throw new Error(
        code === abi.E_OUT_OF_MEMORY
          ? '@naplab/engine: exhaustive search ran out of memory (lower limits.maxStates or limits.maxSteps)'
          : `@naplab/engine: core error ${code}`,
      );
    }
    const m = this.i32;
    const nObs = this.nObserve;
    const finals: { outcome: Outcome; final: number[] }[] = [];
    let w = this.header(abi.H_FINALS_PTR) >>> 2;
    const nFinals = this.header(abi.H_FINALS_COUNT);
    const keys: number[][] = [];
    for (let i = 0; i < nFinals; i++) {
      keys.push(Array.from(m.subarray(w, w + 1 + nObs)));
      w += 1 + nObs;
    }
    keys.sort((a, b) => {
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return 0;
    });
    for (const k of keys) finals.push({ outcome: OUTCOMES[k[0]!]!, final: k.slice(1) });
    const cut = this.header(abi.H_X_CUT) !== 0;
    const result: ExploreResult = {
      holds: false,
      states: this.headerF64(abi.H_X_STATES_F64),
      transitions: this.headerF64(abi.H_X_TRANSITIONS_F64),
      maxDepth: this.header(abi.H_X_MAXDEPTH),
      cut,
      finals,
    };
    if (this.header(abi.H_REC_COUNT) > 0) {
      const img = { strings: this.strings, nCounters: this.nCounters, nObserve: nObs };
      const { trial } = readRecord(m, this.header(abi.H_REC_PTR) >>> 2, img);
      result.violation = {
        outcome: trial.outcome,
        schedule: trial.schedule,
        detail: trial.detail,
        final: trial.final,
      };
    }
    if (partial) result.outOfMemory = true;
    result.holds = !cut && result.violation === undefined;
    return result;
  }

  /**
   * The breadth-first shortest-violation pass (SEMANTICS.md section 16), for the image loaded.
   * Returns the violation (with its number of actions) or undefined, and the pass's counts.
   */
  shortest(
    tso: boolean | MemoryModel,
    reduce = false,
    maxStates = 0,
  ): {
    violation?: { outcome: Outcome; schedule: number[]; detail: TrialDetail; final: number[]; steps: number };
    states: number;
    transitions: number;
    cut: boolean;
    depth: number;
    outOfMemory?: boolean;
  } {
    const code = this.ex.shortest(
      typeof tso === 'boolean' ? (tso ? abi.MODEL_TSO : abi.MODEL_SC) : modelCode(tso),
      reduce ? 1 : 0,
      maxStates,
    );
    // out of memory (argument 1): the header holds how far it got, as a cut search
    const partial = code === abi.E_OUT_OF_MEMORY && this.header(abi.H_ERROR_ARG) === 1;
    if (code !== abi.E_OK && !partial) {
      throw new Error(
        code === abi.E_OUT_OF_MEMORY
          ? '@naplab/engine: the shortest-violation search ran out of memory (lower limits.maxStates or limits.maxSteps)'
          : `@naplab/engine: core error ${code}`,
      );
    }
    const out: ReturnType<WasmCore['shortest']> = {
      states: this.headerF64(abi.H_X_STATES_F64),
      transitions: this.headerF64(abi.H_X_TRANSITIONS_F64),
      cut: this.header(abi.H_X_CUT) !== 0,
      depth: this.header(abi.H_X_MAXDEPTH),
    };
    if (partial) out.outOfMemory = true;
    else if (this.header(abi.H_REC_COUNT) > 0) {
      const img = { strings: this.strings, nCounters: this.nCounters, nObserve: this.nObserve };
      const { trial } = readRecord(this.i32, this.header(abi.H_REC_PTR) >>> 2, img);
      out.violation = {
        outcome: trial.outcome,
        schedule: trial.schedule,
        detail: trial.detail,
        final: trial.final,
        steps: trial.steps,
      };
    }
    return out;
  }

  // ---- the generator, for bit-identity tests ----
  rngReset(seed: number, trial: number): void {
    this.ex.testRngReset(seed >>> 0, trial);
  }
  rngNext(): number {
    return this.ex.testRngNext() >>> 0;
  }
  rngBelow(n: number): number {
    return this.ex.testRngBelow(n) >>> 0;
  }
}
