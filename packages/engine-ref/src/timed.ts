/**
 * The timed scheduler (SEMANTICS.md section 15): discrete-event simulated time over the same
 * actions as the uniform scheduler. Every thread has a clock; every enabled action has the time at
 * which it happens (an instruction when its thread's clock allows, a wakeup, interrupt, drain,
 * decrementer or stray event a drawn latency after it became possible); the earliest one is taken,
 * ties in canonical action order. Idle time is skipped: the clock jumps to the next action.
 *
 * Draws come only from the trial's `Rng(seed, index)`, in a fixed order: a `choose` value right
 * after its step, then the latencies of the actions that became enabled, in canonical order; after
 * a lockup, the watchdog's heartbeat phases (isa `watchdogReport`).
 */
import {
  addLatency,
  addTrialLatency,
  INSTR_WORDS,
  isDispatchCounter,
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  PEND_DBELL,
  PEND_DEC,
  PEND_EXT,
  type Rng,
  STATUS_NAPPING,
  STATUS_RUNNING,
  TF_BRANCH,
  TF_PURE,
  TF_STORE,
  type TimedAggregates,
  type TimedConfig,
  type TrialResult,
  watchdogReport,
} from '@naplab/isa';
import { actionCount, applyAction, enabledActionsInto, type Machine, needsChoice } from './machine.js';
import { OP_COUNT } from './ops.js';
import { trialResult } from './trial.js';

/** Step kinds (15.2): an instruction, a nap wakeup, or taking an interrupt. */
const K_INSTR = 0;
const K_WAKE = 1;
const K_INTR = 2;

/** Latency table indices (isa LATENCY_ORDER): [min, max] at 2i, 2i + 1. */
const L_NAP = 3;
const L_DEC_PERIOD = 4;
const L_STRAY = 5;
const L_DRAIN = 6;
const L_CHOOSE = 7;
const L_INTR_ENTRY = 16;

function wakeMask(lpcr: number): number {
  return (
    (lpcr & LPCR_PECEDH ? PEND_DBELL : 0) |
    (lpcr & LPCR_PECE0 ? PEND_EXT : 0) |
    (lpcr & LPCR_PECE1 ? PEND_DEC : 0)
  );
}
function topReason(bits: number): number {
  return bits & PEND_DBELL ? 0 : bits & PEND_EXT ? 1 : 2;
}

/** The kind of thread t's enabled step. */
function stepKind(m: Machine, t: number): number {
  if (m.status[t] === STATUS_NAPPING) return K_WAKE;
  if (m.status[t] === STATUS_RUNNING && m.ee[t] !== 0 && m.pending[t] !== 0) return K_INTR;
  return K_INSTR;
}

function draw(rng: Rng, lat: readonly number[], i: number): number {
  const lo = lat[2 * i]!;
  return lo + rng.below(lat[2 * i + 1]! - lo + 1);
}

/**
 * Run machine `m` (sc or tso) to the end of its trial under the timed scheduler; `costs[pc]` is
 * the cost of each instruction (isa `instructionCosts`). Adds the trial's timed aggregates to `agg`.
 */
export function runTimed(
  m: Machine,
  rng: Rng,
  index: number,
  costs: ArrayLike<number>,
  flags: ArrayLike<number>,
  cfg: TimedConfig,
  agg: TimedAggregates | undefined,
): TrialResult {
  const n = m.n;
  const nA = actionCount(m);
  const nC = m.counters.length;
  const lat = cfg.lat;
  const list = new Int32Array(nA);
  const schedule: number[] = [];
  const maxSteps = m.image.limits.maxSteps;
  const clock = new Array<number>(n).fill(0);
  const enabled = new Uint8Array(nA);
  const at = new Array<number>(nA).fill(0);
  const kind = new Int32Array(n);
  const wakeAt = new Array<number>(n).fill(0);
  const wakeSerial = new Int32Array(n);
  const seen = new Int32Array(n * nC);
  // the trial's latency samples per counter, then over the dispatch counters together (15.5)
  const trialSum = new Array<number>(nC + 1).fill(0);
  const trialCount = new Array<number>(nC + 1).fill(0);
  const isDispatch = m.image.counters.map(isDispatchCounter);
  // spin parking (15.2): a snapshot of each thread's registers at its last backward branch
  const SNAP = 43;
  const snap = new Int32Array(n * SNAP);
  const snapEpoch = new Array<number>(n).fill(-1);
  const parkedAt = new Array<number>(n).fill(-1);
  let epoch = 0;
  let now = 0;
  const all = new Int32Array(nA);
  /** The enabled actions without the parked spinners; returns [count, count before filtering]. */
  const listEnabled = (): [number, number] => {
    const total = enabledActionsInto(m, all);
    let k = 0;
    for (let i = 0; i < total; i++) {
      const a = all[i]!;
      if (a < n && parkedAt[a] === epoch && stepKind(m, a) === K_INSTR) continue;
      list[k++] = a;
    }
    return [k, total];
  };

  /** Bookkeeping after an action (or at the start, taken = -1): newly enabled actions get times. */
  const refresh = (k: number, taken: number): void => {
    let j = 0;
    for (let a = 0; a < nA; a++) {
      const on = j < k && list[j] === a;
      if (on) j++;
      if (!on) {
        enabled[a] = 0;
        continue;
      }
      let fresh = enabled[a] === 0 || a === taken;
      if (a < n) {
        const kd = stepKind(m, a);
        if (kd !== kind[a]) fresh = true;
        kind[a] = kd;
        if (fresh) {
          if (kd === K_INSTR) at[a] = now;
          else if (kd === K_WAKE) {
            const r = topReason(m.pending[a] & wakeMask(m.lpcr[a]));
            const d = draw(rng, lat, r);
            at[a] = now + d + draw(rng, lat, L_NAP);
          } else {
            at[a] = now + draw(rng, lat, topReason(m.pending[a]));
          }
        }
      } else if (fresh) {
        const cls = a < 2 * n ? L_DRAIN : a < 3 * n ? L_DEC_PERIOD : L_STRAY;
        at[a] = now + draw(rng, lat, cls);
      }
      enabled[a] = 1;
    }
  };
  /** When action a happens: an instruction also waits for its thread's clock. */
  const timeOf = (a: number): number => (a < n ? Math.max(clock[a]!, at[a]!) : at[a]!);

  let [k, total] = listEnabled();
  refresh(k, -1);
  let livelock = false;
  for (;;) {
    if (total === 0 || m.steps >= maxSteps) break;
    if (k === 0) {
      // only parked spinners are left: they would spin until the step limit
      livelock = true;
      break;
    }
    let best = list[0]!;
    let bestAt = timeOf(best);
    for (let i = 1; i < k; i++) {
      const a = list[i]!;
      const ta = timeOf(a);
      if (ta < bestAt) {
        best = a;
        bestAt = ta;
      }
    }
    now = bestAt;
    schedule.push(best);
    let cost = 0;
    let countIdx = -1;
    let fl = 0;
    const t = best;
    const pc0 = best < n ? m.pc[t] : -1;
    if (best < n) {
      if (kind[t] === K_INSTR) {
        const pc = pc0;
        if (pc >= 0 && pc < m.nInstr) {
          cost = costs[pc]!;
          fl = flags[pc]!;
          if (m.code[pc * INSTR_WORDS] === OP_COUNT) countIdx = m.code[pc * INSTR_WORDS + 1]!;
        }
      } else if (kind[t] === K_INTR) cost = lat[L_INTR_ENTRY]!;
    } else if (best < 2 * n) {
      epoch++; // a drain writes memory
    }
    if (fl & TF_STORE) epoch++;
    const nc = needsChoice(m, best);
    if (nc > 0) {
      const v = rng.below(nc);
      schedule.push(v);
      applyAction(m, best, v);
      // the environment's decision takes time: drawn right after the value
      cost += draw(rng, lat, L_CHOOSE);
    } else {
      applyAction(m, best);
    }
    if (best < n) {
      clock[t] = now + cost;
      if (kind[t] === K_WAKE && m.status[t] === STATUS_RUNNING) {
        wakeAt[t] = now;
        wakeSerial[t]!++;
      }
      if (countIdx >= 0 && wakeSerial[t]! > 0 && seen[t * nC + countIdx] !== wakeSerial[t]) {
        seen[t * nC + countIdx] = wakeSerial[t]!;
        if (agg) {
          const v = now - wakeAt[t]!;
          addLatency(agg.latency[countIdx]!, v);
          trialSum[countIdx]! += v;
          trialCount[countIdx]!++;
          if (isDispatch[countIdx] && agg.dispatch) {
            addLatency(agg.dispatch, v);
            trialSum[nC]! += v;
            trialCount[nC]!++;
          }
        }
      }
      if (!(fl & TF_PURE)) snapEpoch[t] = -1;
      else if (fl & TF_BRANCH && m.pc[t] <= pc0 && m.status[t] === STATUS_RUNNING) {
        // a backward branch: the same registers and no store anywhere since the last one means
        // the loop is a pure spin that repeats exactly until memory changes
        const o = t * SNAP;
        let same = snapEpoch[t] === epoch;
        const put = (i: number, v: number) => {
          if (snap[o + i] !== v) {
            same = false;
            snap[o + i] = v;
          }
        };
        put(0, m.pc[t]);
        for (let r = 0; r < 32; r++) put(1 + r, m.gpr[t * 32 + r]!);
        for (let f = 0; f < 8; f++) put(33 + f, m.cr[t * 8 + f]!);
        put(41, m.lr[t]);
        put(42, m.ctr[t]);
        if (same) parkedAt[t] = epoch;
        snapEpoch[t] = epoch;
      }
    }
    [k, total] = listEnabled();
    refresh(k, best);
  }
  // the trial ends when its last thread stops: the last action, or a later thread clock (a thread
  // that reached an await it never passes, or whose last instruction's cost runs past `now`)
  for (let t = 0; t < n; t++) if (clock[t]! > now) now = clock[t]!;
  const r = trialResult(m, index, schedule);
  if (livelock) {
    r.outcome = 'limit';
    r.detail = {};
  }
  r.timed = { cycles: now };
  if (r.outcome === 'lockup') {
    const w = watchdogReport(now, n, r.detail.stuck ?? [], cfg, rng);
    if (w) r.timed.watchdog = w;
  }
  if (agg) {
    for (let c = 0; c < nC; c++) addTrialLatency(agg.latency[c]!, trialSum[c]!, trialCount[c]!);
    if (agg.dispatch) addTrialLatency(agg.dispatch, trialSum[nC]!, trialCount[nC]!);
    agg.cycles += now;
    if (now > agg.maxCycles) agg.maxCycles = now;
    const w = r.timed.watchdog;
    if (w) {
      const wd = agg.watchdog;
      const d = w.at - now;
      if (wd.reports === 0 || d < wd.delayMin) wd.delayMin = d;
      if (d > wd.delayMax) wd.delayMax = d;
      wd.reports++;
      wd.delaySum += d;
    }
  }
  return r;
}
