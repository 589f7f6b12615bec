/**
 * The `timed` scheduler's shared pieces (SEMANTICS.md section 15): its spec, per-trial and
 * aggregate results, exact merging, and the hard-lockup watchdog of PROTOCOL.md 3.8 on simulated
 * time. The WebAssembly engine re-implements `watchdogReport` in `assembly/timed.ts`; the
 * differential tests hold the two to the same answers trial for trial.
 */
import { type CostModel, histBucket, histBucketLow, latencyTable, validateCostModel } from './cost-model.js';
import type { Rng } from './rng.js';

export interface TimedSpec {
  kind: 'timed';
  cost: CostModel;
  /** the kernel's `watchdog_thresh` in whole seconds (PROTOCOL.md 3.8; the kernel default is 10) */
  watchdogThresh: number;
}

export const DEFAULT_WATCHDOG_THRESH = 10;
/** the kernel accepts 0..60; 0 disables the watchdog, which a simulation has no use for */
export const MAX_WATCHDOG_THRESH = 60;

export interface WatchdogReport {
  /** simulated time of the report (cycles since the trial began) */
  at: number;
  /** the cpu whose heartbeat noticed */
  cpu: number;
  /** the cpus it names ("detected hard LOCKUP on other CPUs ..."), ascending */
  cpus: number[];
}

export interface TimedTrial {
  /** simulated time of the trial's last action, in cycles */
  cycles: number;
  /** lockups only: when and by whom the watchdog reported it (15.4) */
  watchdog?: WatchdogReport;
}

/** Moments, extremes and a log-bucket histogram of one latency; all exact integer sums. */
export interface LatencyStats {
  n: number;
  sum: number;
  sumSq: number;
  /** 0 when n = 0 */
  min: number;
  max: number;
  /** sparse histogram: `[bucket, count]` pairs, ascending bucket (cost-model.ts `histBucket`) */
  hist: [number, number][];
  /**
   * Per-trial second moments (SEMANTICS.md 15.5): with S_i the sum and m_i the number of the
   * samples of trial i, Σ S_i², Σ m_i², Σ S_i·m_i over the trials. A trial without samples adds
   * 0, so with the run's trial count they give the trial-clustered mean ΣS/Σm and its interval.
   * Absent in results written before they existed (and then absent from any merge with them).
   */
  trialSumSq?: number;
  trialCountSq?: number;
  trialCross?: number;
}

/** The dispatch counters (SEMANTICS.md 15.5): the model's `wakeup_to_*` counters. */
export function isDispatchCounter(name: string): boolean {
  return name.startsWith('wakeup_to_');
}

export interface TimedAggregates {
  /** sum over trials of their simulated time (cycles): the exposure for lockup rates */
  cycles: number;
  maxCycles: number;
  /** lockups the watchdog reported, and the delay from the last action to the report (cycles) */
  watchdog: { reports: number; delaySum: number; delayMin: number; delayMax: number };
  /**
   * per counter `c`: the cycles from a thread's latest wakeup to its first `count c` after that
   * wakeup (15.3); with the model's counters at dispatch points, the wakeup-to-dispatch latency
   */
  latency: LatencyStats[];
  /**
   * every dispatch counter together (`isDispatchCounter`): each sample of one of them is also a
   * sample here, so the trial moments are those of the trial's dispatch latencies all together
   * (15.5). Absent in results written before it existed.
   */
  dispatch?: LatencyStats;
}

export function emptyLatency(): LatencyStats {
  return { n: 0, sum: 0, sumSq: 0, min: 0, max: 0, hist: [], trialSumSq: 0, trialCountSq: 0, trialCross: 0 };
}

/** Whether `s` carries the per-trial moments (results written before them do not). */
export function hasTrialMoments(
  s: LatencyStats,
): s is LatencyStats & { trialSumSq: number; trialCountSq: number; trialCross: number } {
  return s.trialSumSq !== undefined && s.trialCountSq !== undefined && s.trialCross !== undefined;
}

/** Fold one trial's samples of a latency (their sum and count) into its per-trial moments. */
export function addTrialLatency(s: LatencyStats, sum: number, count: number): void {
  if (!hasTrialMoments(s)) return;
  s.trialSumSq += sum * sum;
  s.trialCountSq += count * count;
  s.trialCross += sum * count;
}

export function emptyTimed(nCounters: number): TimedAggregates {
  return {
    cycles: 0,
    maxCycles: 0,
    watchdog: { reports: 0, delaySum: 0, delayMin: 0, delayMax: 0 },
    latency: Array.from({ length: nCounters }, emptyLatency),
    dispatch: emptyLatency(),
  };
}

function mergeHist(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]![0] < b[j]![0])) out.push([a[i]![0], a[i++]![1]]);
    else if (i >= a.length || b[j]![0] < a[i]![0]) out.push([b[j]![0], b[j++]![1]]);
    else out.push([a[i]![0], a[i++]![1] + b[j++]![1]]);
  }
  return out;
}

export function mergeLatency(a: LatencyStats, b: LatencyStats): LatencyStats {
  // a side without samples adds nothing, not even to the trial moments (its trials add 0)
  if (a.n === 0) return { ...b, hist: b.hist.map(([k, v]) => [k, v]) };
  if (b.n === 0) return { ...a, hist: a.hist.map(([k, v]) => [k, v]) };
  const out: LatencyStats = {
    n: a.n + b.n,
    sum: a.sum + b.sum,
    sumSq: a.sumSq + b.sumSq,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    hist: mergeHist(a.hist, b.hist),
  };
  if (hasTrialMoments(a) && hasTrialMoments(b)) {
    out.trialSumSq = a.trialSumSq + b.trialSumSq;
    out.trialCountSq = a.trialCountSq + b.trialCountSq;
    out.trialCross = a.trialCross + b.trialCross;
  }
  return out;
}

/** Exact merge (sums, extremes); either side may be missing. */
export function mergeTimed(a: TimedAggregates | undefined, b: TimedAggregates | undefined): TimedAggregates {
  if (!a) return mergeTimed(emptyTimed(b!.latency.length), b);
  if (!b) return mergeTimed(a, emptyTimed(a.latency.length));
  const wa = a.watchdog;
  const wb = b.watchdog;
  const reports = wa.reports + wb.reports;
  const out: TimedAggregates = {
    cycles: a.cycles + b.cycles,
    maxCycles: Math.max(a.maxCycles, b.maxCycles),
    watchdog: {
      reports,
      delaySum: wa.delaySum + wb.delaySum,
      delayMin:
        wa.reports === 0 ? wb.delayMin : wb.reports === 0 ? wa.delayMin : Math.min(wa.delayMin, wb.delayMin),
      delayMax: Math.max(wa.delayMax, wb.delayMax),
    },
    latency: Array.from({ length: Math.max(a.latency.length, b.latency.length) }, (_, i) =>
      mergeLatency(a.latency[i] ?? emptyLatency(), b.latency[i] ?? emptyLatency()),
    ),
  };
  if (a.dispatch && b.dispatch) out.dispatch = mergeLatency(a.dispatch, b.dispatch);
  return out;
}

/** Add one latency sample (an integer number of cycles). */
export function addLatency(s: LatencyStats, v: number): void {
  if (s.n === 0 || v < s.min) s.min = v;
  if (s.n === 0 || v > s.max) s.max = v;
  s.n++;
  s.sum += v;
  s.sumSq += v * v;
  const b = histBucket(v);
  const h = s.hist;
  let i = h.length;
  while (i > 0 && h[i - 1]![0] > b) i--;
  if (i > 0 && h[i - 1]![0] === b) h[i - 1]![1]++;
  else h.splice(i, 0, [b, 1]);
}

/**
 * The `q`-quantile (0 < q <= 1) of a latency from its histogram: the smallest bucket whose
 * cumulative count reaches `ceil(q * n)`, reported as the bucket's lowest value clamped to
 * `[min, max]` (exact below 32 cycles and whenever the samples all fall in one value; otherwise
 * within 1/16 of an octave, 6.25%). NaN when there are no samples.
 */
export function latencyQuantile(s: LatencyStats, q: number): number {
  if (s.n === 0) return Number.NaN;
  const need = Math.max(1, Math.ceil(q * s.n));
  let cum = 0;
  for (const [b, c] of s.hist) {
    cum += c;
    if (cum >= need) return Math.min(s.max, Math.max(s.min, histBucketLow(b)));
  }
  return s.max;
}

/** Check a timed spec; throws `RangeError` naming the field. */
export function validateTimedSpec(spec: TimedSpec): void {
  validateCostModel(spec.cost);
  for (const k of Object.keys(spec.cost.latency) as (keyof CostModel['latency'])[]) {
    const l = spec.cost.latency[k];
    if (l.max - l.min > 0xfffffffe)
      throw new RangeError(`cost model: latency.${k} spans more than 2^32 - 2 cycles (max - min)`);
  }
  const w = spec.watchdogThresh;
  if (!Number.isInteger(w) || w < 1 || w > MAX_WATCHDOG_THRESH)
    throw new RangeError(`timed scheduler: watchdogThresh ${w} must be a whole number of seconds in 1..60`);
}

/** What the engines are handed (both compute it the same way from the spec and the image). */
export interface TimedConfig {
  /** [min, max] pairs in LATENCY_ORDER, then interruptEntry */
  lat: number[];
  cyclesPerUs: number;
  watchdogThresh: number;
}

export function timedConfig(spec: TimedSpec): TimedConfig {
  validateTimedSpec(spec);
  return {
    lat: latencyTable(spec.cost),
    cyclesPerUs: spec.cost.cyclesPerUs,
    watchdogThresh: spec.watchdogThresh,
  };
}

/** Largest `phase + k * period <= x` is below; these are exact for integers below 2^53. */
function floorDiv(a: number, b: number): number {
  const r = a % b;
  return (a - r) / b - (r < 0 ? 1 : 0);
}
/** The first beat `phase + k * period` with k an integer and the beat > x. */
function beatAfter(phase: number, period: number, x: number): number {
  return phase + (floorDiv(x - phase, period) + 1) * period;
}
/** The first beat >= x. */
function beatAtOrAfter(phase: number, period: number, x: number): number {
  return beatAfter(phase, period, x - 1);
}

/**
 * The hard-lockup watchdog (SEMANTICS.md 15.4, PROTOCOL.md 3.8): the cpus in `stuck` stopped at
 * simulated time `end`; every cpu's heartbeat runs every 2/5 of `watchdog_thresh` with a phase
 * drawn from `rng` (cpu 0 first: `below(thresh * 400000)` microseconds, then `below(cyclesPerUs)`
 * cycles); returns the report, or undefined when no cpu is left to notice.
 */
export function watchdogReport(
  end: number,
  n: number,
  stuck: readonly number[],
  cfg: { cyclesPerUs: number; watchdogThresh: number },
  rng: Rng,
): WatchdogReport | undefined {
  if (stuck.length === 0 || stuck.length >= n) return undefined;
  const us = cfg.cyclesPerUs;
  const periodUs = cfg.watchdogThresh * 400_000;
  const period = periodUs * us;
  const panic = cfg.watchdogThresh * 1_500_000 * us;
  const isStuck = new Array<boolean>(n).fill(false);
  for (const s of stuck) isStuck[s] = true;
  const phase: number[] = [];
  for (let c = 0; c < n; c++) {
    const hi = rng.below(periodUs);
    phase.push(hi * us + rng.below(us));
  }
  let m = 0;
  for (let c = 1; c < n; c++) if (phase[c]! > phase[m]!) m = c;
  // the last reset at or before `end` (the mask empties at m's beats), then maybe one more round
  let last = phase[m]! + floorDiv(end - phase[m]!, period) * period;
  if (!isStuck[m]) {
    let all = true;
    for (let s = 0; s < n; s++) if (isStuck[s] && beatAfter(phase[s]!, period, last) > end) all = false;
    if (all) last += period;
  }
  let at = -1;
  let cpu = -1;
  for (let c = 0; c < n; c++) {
    if (isStuck[c]) continue;
    const b = beatAtOrAfter(phase[c]!, period, last + panic);
    if (cpu < 0 || b < at) {
      at = b;
      cpu = c;
    }
  }
  const cpus: number[] = [];
  for (let s = 0; s < n; s++) if (isStuck[s] && beatAfter(phase[s]!, period, last) > end) cpus.push(s);
  return { at, cpu, cpus };
}
