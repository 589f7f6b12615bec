/**
 * The interface every naplab engine implements (reference TypeScript engine, WebAssembly engine).
 * Semantics: SEMANTICS.md in this package. Results are plain data so they can cross worker
 * boundaries and be compared field by field in differential tests.
 */
import type { Image } from './image.js';
import { mergeTimed, type TimedAggregates, type TimedSpec, type TimedTrial } from './timed.js';

export type MemoryModel = 'sc' | 'tso' | 'power';
export const MEMORY_MODELS: readonly MemoryModel[] = ['sc', 'tso', 'power'];

export type Outcome = 'ok' | 'lockup' | 'lost' | 'assert' | 'limit';
export const OUTCOMES: readonly Outcome[] = ['ok', 'lockup', 'lost', 'assert', 'limit'];

/** Built-in lost reasons (negative), see SEMANTICS.md section 8. */
export const LOST_BAD_ADDRESS = -1;
export const LOST_NO_VECTOR = -2;
export const LOST_BAD_JUMP = -3;
export const LOST_BAD_CPU = -4;
export const BUILTIN_LOST_REASONS: Record<number, string> = {
  [LOST_BAD_ADDRESS]: 'bad address',
  [LOST_NO_VECTOR]: 'no vector for the interrupt',
  [LOST_BAD_JUMP]: 'jump to invalid address',
  [LOST_BAD_CPU]: 'msgsnd/ipi to a cpu that does not exist',
};

export function lostReasonText(img: Image, reason: number): string {
  return reason < 0
    ? (BUILTIN_LOST_REASONS[reason] ?? `lost (${reason})`)
    : (img.strings[reason] ?? `lost (${reason})`);
}

export interface TrialDetail {
  /** lockup: the waiting cpu (-1 when a must-halt thread sleeps forever) */
  waiting?: number;
  /** lockup: the stuck cpus, ascending */
  stuck?: number[];
  /** lockup: the kernel-style watchdog line; assert: the assertion text */
  message?: string;
  /** lost / assert: the cpu */
  cpu?: number;
  /** assert: the pc of the failing assert */
  pc?: number;
  /** lost: reason (string index, or a negative built-in code) */
  reason?: number;
}

export interface TrialResult {
  index: number;
  outcome: Outcome;
  steps: number;
  syncs: number;
  wakeups: number;
  /** [doorbell, external, decrementer] */
  wakeupsByReason: [number, number, number];
  counters: number[];
  /** values of image.observe at the end */
  final: number[];
  /** the decisions taken (action ids, and choose values) */
  schedule: number[];
  detail: TrialDetail;
  /** `timed` scheduler only: simulated time and the watchdog (SEMANTICS.md section 15) */
  timed?: TimedTrial;
}

export type SchedulerSpec =
  | { kind: 'uniform' }
  | { kind: 'replay'; schedule: number[] }
  /** PCT (SEMANTICS.md section 14): `depth` >= 1 (d - 1 priority change points), `k` >= 1 the step bound */
  | { kind: 'pct'; depth: number; k: number }
  // timed: discrete-event simulated time (SEMANTICS.md section 15, timed.ts)
  | TimedSpec;

export interface RunOptions {
  memory: MemoryModel;
  scheduler: SchedulerSpec;
  /** unsigned 32-bit seed */
  seed: number;
  /** trials [from, to) */
  from: number;
  to: number;
  /** which per-trial records to return: none, the first `maxFailures` non-ok ones, or all */
  record?: 'none' | 'failures' | 'all';
  maxFailures?: number;
}

/** Aggregates over a batch of trials. Adding two batches' aggregates field by field is exact. */
export interface BatchAggregates {
  trials: number;
  outcomes: Record<Outcome, number>;
  steps: number;
  syncs: number;
  wakeups: number;
  wakeupsByReason: [number, number, number];
  counters: number[];
  /** sum of squares of per-trial step counts (for means and intervals) */
  stepsSq: number;
  maxSteps: number;
  /**
   * Per-trial second moments (SEMANTICS.md 12.5), for intervals that treat each trial as a cluster
   * of wakeups (`@naplab/stats` `ratioOfSums`): Σ wakeups², and per named counter c, Σ c², Σ c·wakeups
   * and, for each pair of counters a < b, Σ a·b (`countersCross`, pairs in the order (0,1), (0,2),
   * ..., (0,n-1), (1,2), ...: see `counterPairIndex`; only for images of at most
   * `CROSS_MAX_COUNTERS` counters). Engines always fill them; they are absent only
   * in aggregates read from results files written before they existed (and in any merge with such
   * aggregates: a sum over some parts only would understate the spread).
   */
  wakeupsSq?: number;
  countersSq?: number[];
  countersWakeups?: number[];
  countersCross?: number[];
  /** `timed` scheduler only (SEMANTICS.md 15.5) */
  timed?: TimedAggregates;
}

export interface BatchResult {
  aggregates: BatchAggregates;
  /** recorded trials (see RunOptions.record), in index order */
  trials: TrialResult[];
}

export interface ExploreResult {
  /** true when no reachable terminal state is non-ok (and the search was not cut) */
  holds: boolean;
  states: number;
  transitions: number;
  maxDepth: number;
  cut: boolean;
  /** distinct terminal (outcome, final-state) pairs, sorted by outcome then values */
  finals: { outcome: Outcome; final: number[] }[];
  /**
   * first non-ok terminal in DFS order, with the schedule that reaches it; with
   * `ExploreOptions.shortest`, a violation of least length instead (SEMANTICS.md section 16)
   */
  violation?: ExploreViolation;
  /** the breadth-first pass of `ExploreOptions.shortest`, when it ran (SEMANTICS.md section 16) */
  shortestSearch?: ShortestSearch;
  /**
   * the WebAssembly engine ran out of memory during the depth-first search: the result is what it
   * found until then, and `cut` is true (a violation found is still a real one)
   */
  outOfMemory?: boolean;
  /**
   * with `ExploreOptions.footprint`: the first access found outside the footprint (thread `t`
   * read or wrote cell `cell`); the search stopped there (`cut` is true) and says nothing
   */
  footprintEscape?: FootprintEscape;
}

/**
 * Why a search of the footprint abstraction stopped (SEMANTICS.md 18.2): `access`: thread `thread`
 * read or wrote cell `cell` outside its footprint (cured by adding `cell` to `thread`'s
 * footprint); `table`: 31 storage events were live (`thread` and `cell` are -1); `stall`: the
 * held acknowledgement of thread `thread`'s sync, which an interrupt could reach (`cell` -1). No
 * cell cures the last two.
 */
export type FootprintEscapeReason = 'access' | 'table' | 'stall';
export interface FootprintEscape {
  thread: number;
  cell: number;
  reason: FootprintEscapeReason;
}

export interface ShortestSearch {
  /** states entered and actions applied by the breadth-first pass */
  states: number;
  transitions: number;
  /** `limits.maxStates` stopped it */
  cut: boolean;
  /**
   * every state at depth < `depth` was expanded: the violation found has `depth` steps; without
   * one, no violation has fewer than `depth + 1` steps within the bounds
   */
  depth: number;
  /**
   * it ran out of memory (WebAssembly engine) while building level `depth + 1`; `cut` is set and
   * `depth` stays a lower bound as for a cut search (0 when it could not start)
   */
  outOfMemory?: boolean;
}

export interface ExploreViolation {
  outcome: Outcome;
  schedule: number[];
  detail: TrialDetail;
  final: number[];
  /**
   * set by `ExploreOptions.shortest` (SEMANTICS.md section 16): `true` when the breadth-first
   * pass proved this schedule of least length (`steps` actions) among violating schedules,
   * `false` when a bound stopped that pass (the schedule is then the depth-first one)
   */
  shortest?: boolean;
  /** number of actions of `schedule` (set with `shortest`) */
  steps?: number;
  /** schedule length (decisions) of the depth-first violation it replaced (set with `shortest`) */
  dfsLength?: number;
  /** states entered by the breadth-first pass (set with `shortest`) */
  shortestStates?: number;
}

export interface ExploreOptions {
  memory: MemoryModel;
  /**
   * after a depth-first search that found a violation (other than `limit`), run the
   * breadth-first pass of SEMANTICS.md section 16 and report a violation of least length;
   * states, transitions, depth and finals stay those of the depth-first search.
   * `'also-if-cut'`: also run it after a depth-first search cut by a bound without a violation
   * (it may find a shallow one; it costs up to `limits.maxStates` more states)
   */
  shortest?: boolean | 'also-if-cut';
  /**
   * the breadth-first pass's own bound on states entered (default: `limits.maxStates`, the
   * depth-first search's): a deep lower bound needs many more states than a depth-first search
   */
  shortestMaxStates?: number;
  /**
   * the reduced search of SEMANTICS.md section 17 (partial-order reduction: a local step is
   * explored alone). Same verdict, finals and shortest-violation length as the plain search;
   * `states` and `transitions` count the reduced search. Ignored under `power` (17.1).
   */
  reduce?: boolean;
  /**
   * called now and then during a long search (every 2^20 new states in the WebAssembly engine,
   * every 2^16 in the reference engine) with how far it got; it never changes the result
   */
  onProgress?: (p: ExploreProgress) => void;
  /**
   * WebAssembly engine only (the reference engine refuses it): every `everyStates` new states of
   * the depth-first search, and once more when `limits.maxStates` cuts it (`atBound`), `offer` is
   * called with the counts so far and `read`, which copies the search as it stands (SEMANTICS.md
   * 12.6) for `resume` to continue later. `read` is valid only during the call.
   */
  checkpoint?: {
    everyStates: number;
    offer: (
      at: { states: number; transitions: number; atBound: boolean },
      read: () => ExploreCheckpoint,
    ) => void;
  };
  /**
   * WebAssembly engine only: continue the depth-first search saved by `checkpoint` (same image,
   * memory model and `reduce`; `limits.maxStates` may be higher). The result is the one the
   * uninterrupted search gives: the same states, transitions, finals and violation.
   */
  resume?: ExploreCheckpoint;
  /**
   * `power` only: search the footprint abstraction of SEMANTICS.md section 18 instead of the
   * plain model. `footprint[t]` lists the cells thread `t` may read or write; a write to any other
   * cell counts as having reached `t` and is never propagated there. The abstraction has every
   * terminal outcome of the plain model (other than `limit`) as long as no thread accesses a cell
   * outside its list: the first access outside it stops the search (`footprintEscape`, `cut`).
   * `refineFootprint` finds a footprint that no access escapes.
   */
  footprint?: readonly (readonly number[])[];
}

/**
 * A depth-first search in progress (ExploreOptions.checkpoint / resume): the visited states' 64-bit
 * hashes, the distinct finals, the first violation's record, and the stack of frames (each frame's
 * header and enabled actions; the states on the stack are rebuilt by replaying the path).
 */
export interface ExploreCheckpoint {
  memory: MemoryModel;
  reduce: boolean;
  states: number;
  transitions: number;
  maxDepth: number;
  /** a terminal at the step limit was reached (the search is cut whatever the state bound) */
  limitCut: boolean;
  /** saved when the state bound cut the search (else a periodic save) */
  atBound: boolean;
  /** the deepest frame on the stack */
  sp: number;
  /** visited-table slots when saved (the resumed table has at least as many) */
  slots: number;
  /** the visited hashes, as (low, high) 32-bit word pairs: `states` of them */
  hashes: Uint32Array;
  /** the distinct (outcome, final values) records, `finalWords` words each */
  finals: Int32Array;
  finalWords: number;
  /** the first violation's trial record (empty: none yet) */
  violation: Int32Array;
  /** frames 0..sp, `frameWords` words each */
  frames: Int32Array;
  frameWords: number;
}

/** Refuse an `ExploreOptions.shortestMaxStates` that is not a positive safe integer (both engines). */
export function checkShortestMaxStates(n: number | undefined): void {
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 1))
    throw new RangeError(`shortestMaxStates must be a positive integer, got ${n}`);
}

/** How far an exhaustive search got (ExploreOptions.onProgress). */
export interface ExploreProgress {
  /** the depth-first search, or the breadth-first shortest pass after it */
  phase: 'dfs' | 'bfs';
  states: number;
  transitions: number;
  /** dfs: the deepest state entered so far; bfs: the level being built */
  depth: number;
}

export interface Engine {
  readonly name: 'reference' | 'wasm';
  runTrials(image: Image, opts: RunOptions): BatchResult;
  explore(image: Image, opts: ExploreOptions): ExploreResult;
}

export function emptyAggregates(nCounters: number): BatchAggregates {
  return {
    trials: 0,
    outcomes: { ok: 0, lockup: 0, lost: 0, assert: 0, limit: 0 },
    steps: 0,
    syncs: 0,
    wakeups: 0,
    wakeupsByReason: [0, 0, 0],
    counters: new Array(nCounters).fill(0),
    stepsSq: 0,
    maxSteps: 0,
    wakeupsSq: 0,
    countersSq: new Array(nCounters).fill(0),
    countersWakeups: new Array(nCounters).fill(0),
    ...(nCounters <= CROSS_MAX_COUNTERS ? { countersCross: new Array(counterPairs(nCounters)).fill(0) } : {}),
  };
}

/** `countersCross` is kept for images of at most this many counters (its size grows as n²/2). */
export const CROSS_MAX_COUNTERS = 32;

/** Number of counter pairs a < b among `nCounters` counters: the length of `countersCross`. */
export function counterPairs(nCounters: number): number {
  return (nCounters * (nCounters - 1)) / 2;
}

/** Index of the pair (a, b), a < b, in `BatchAggregates.countersCross` (either order accepted). */
export function counterPairIndex(nCounters: number, a: number, b: number): number {
  if (a === b || a < 0 || b < 0 || a >= nCounters || b >= nCounters)
    throw new RangeError(`no counter pair (${a}, ${b}) among ${nCounters} counters`);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return lo * nCounters - (lo * (lo + 1)) / 2 + (hi - lo - 1);
}

export function addTrial(agg: BatchAggregates, t: TrialResult): void {
  agg.trials++;
  agg.outcomes[t.outcome]++;
  agg.steps += t.steps;
  agg.stepsSq += t.steps * t.steps;
  if (t.steps > agg.maxSteps) agg.maxSteps = t.steps;
  agg.syncs += t.syncs;
  agg.wakeups += t.wakeups;
  for (let i = 0; i < 3; i++) agg.wakeupsByReason[i]! += t.wakeupsByReason[i]!;
  for (let i = 0; i < t.counters.length; i++) agg.counters[i]! += t.counters[i]!;
  // per-trial second moments (SEMANTICS.md 12.5); aggregates without them (read from an old
  // results file) stay without: a sum over some trials only would understate the spread
  const w = t.wakeups;
  const c = t.counters;
  if (agg.wakeupsSq !== undefined) agg.wakeupsSq += w * w;
  const { countersSq: sq, countersWakeups: cw, countersCross: cross } = agg;
  let k = 0;
  for (let a = 0; a < c.length; a++) {
    const ca = c[a]!;
    if (sq) sq[a]! += ca * ca;
    if (cw) cw[a]! += ca * w;
    for (let b = a + 1; b < c.length; b++, k++) if (cross) cross[k]! += ca * c[b]!;
  }
  // timed aggregates are added by the timed scheduler itself (they need more than the record)
}

export function mergeAggregates(a: BatchAggregates, b: BatchAggregates): BatchAggregates {
  const out = emptyAggregates(Math.max(a.counters.length, b.counters.length));
  for (const x of [a, b]) {
    out.trials += x.trials;
    for (const k of Object.keys(out.outcomes) as Outcome[]) out.outcomes[k] += x.outcomes[k];
    out.steps += x.steps;
    out.stepsSq += x.stepsSq;
    out.maxSteps = Math.max(out.maxSteps, x.maxSteps);
    out.syncs += x.syncs;
    out.wakeups += x.wakeups;
    for (let i = 0; i < 3; i++) out.wakeupsByReason[i]! += x.wakeupsByReason[i]!;
    x.counters.forEach((c, i) => {
      out.counters[i]! += c;
    });
  }
  // a second moment is kept only when both parts have it (SEMANTICS.md 12.5)
  if (a.wakeupsSq !== undefined && b.wakeupsSq !== undefined) out.wakeupsSq = a.wakeupsSq + b.wakeupsSq;
  else delete out.wakeupsSq;
  for (const key of ['countersSq', 'countersWakeups', 'countersCross'] as const) {
    const xa = a[key];
    const xb = b[key];
    if (xa && xb) {
      const sum = out[key]!;
      for (const x of [xa, xb]) {
        x.forEach((v, i) => {
          sum[i] = (sum[i] ?? 0) + v;
        });
      }
    } else delete out[key];
  }
  if (a.timed || b.timed) out.timed = mergeTimed(a.timed, b.timed);
  return out;
}
