// The timed scheduler (SEMANTICS.md section 15): discrete-event simulated time over the machine's
// actions. It mirrors packages/engine-ref/src/timed.ts step for step (test/timed.test.ts holds the
// two to the same trials); only the storage differs: flat i64 / i32 arrays in one region.
//
// It uses the machine through its generic entry points only (enumerate, apply, classify) and reads
// the thread blocks to know a step's kind and instruction before it runs, so machine.ts needs no
// hook. batch.ts calls timedTrial() for SCHED_TIMED, timedAddTrial() once per counted trial and
// timedWriteRecord() after a record's final values.
//
// Region (allocated by timedSetup() from the dynamic area, before the records), byte offsets:
//
//   ┌───────────────────────────┐ tCost     nInstr i32     cycles per instruction (host-written),
//   │                           │ tFlags    nInstr i32     then TF_* flags per instruction
//   ├───────────────────────────┤ tSnap     n x SNAP i32   spin snapshots; tSnapEpoch, tParked n i32 each
//   ├───────────────────────────┤ tLat      18 i64         latency [min, max] pairs, interruptEntry
//   ├───────────────────────────┤ tAt       nActions i64   when each enabled action happens
//   ├───────────────────────────┤ tEnabled  nActions i32   enabled after the previous action
//   ├───────────────────────────┤ tClock    n i64          per-thread clock
//   ├───────────────────────────┤ tWakeAt   n i64          time of the thread's latest wakeup
//   ├───────────────────────────┤ tKind     n i32          kind of the thread's enabled step
//   ├───────────────────────────┤ tSerial   n i32          wakeups of the thread so far
//   ├───────────────────────────┤ tSeen     n x nC i32     wakeup serial of the last recorded count
//   ├───────────────────────────┤ tPhase    n i64          watchdog heartbeat phases
//   ├───────────────────────────┤ tDispatch nC i32         1 for a dispatch counter (host-written, 15.5)
//   ├───────────────────────────┤ tTrial    (nC + 1) x 2 i64  this trial's latency sum and count per
//   │                           │                          counter, then over the dispatch counters
//   ├───────────────────────────┤ tAggOut   6 i64          cycles, maxCycles, reports, delay sum/min/max
//   └───────────────────────────┘ tLatAgg   (nC + 1) x LAT_WORDS i64: n, sum, sumSq, min, max,
//                                           histogram, Σ trialSum², Σ trialCount², Σ trialSum·trialCount;
//                                           block nC is every dispatch counter together
//
// A failing trial may be run a second time to record it (batch.ts): that run passes
// accumulate = false, so latency samples are counted once per trial index.

import { OP_COUNT, OP_CHOOSE, STATUS_RUNNING, STATUS_NAPPING, PEND_DBELL, PEND_EXT, PEND_DEC, LPCR_PECE0, LPCR_PECE1, LPCR_PECEDH } from './opcodes.generated';
import { T_PC, T_STATUS, T_EE, T_PENDING, T_LPCR, T_GPR, gN, gNInstr, gCode, gWork, gStart, gStateBytes, gActs,
  gNCounters, gNActions, gScratch, alloc } from './layout';
import { OUT_LOCKUP, TR_WORDS } from './abi';
import { gSteps, gAssertFailed, gNStuck, enumerate, apply, classify, recordDecision, resetTrialCounters, threadPtr,
} from './machine';
import { rngReset, rngBelow } from './rng';

/** Histogram buckets: must match HIST_* in packages/isa/src/cost-model.ts. */
// @ts-ignore: decorator
@inline const HIST_EXACT: i32 = 32;
// @ts-ignore: decorator
@inline const HIST_SUB: i32 = 16;
// @ts-ignore: decorator
@inline export const HIST_BUCKETS: i32 = 32 + 35 * 16;
/** words (i64) per counter in tLatAgg */
// @ts-ignore: decorator
@inline export const LAT_WORDS: i32 = 8 + 32 + 35 * 16;
/** byte offset in a tLatAgg block of the per-trial moments (after the histogram) */
// @ts-ignore: decorator
@inline const LAT_TRIAL: i32 = (5 + 32 + 35 * 16) * 8;

// @ts-ignore: decorator
@inline const K_INSTR: i32 = 0;
// @ts-ignore: decorator
@inline const K_WAKE: i32 = 1;
// @ts-ignore: decorator
@inline const K_INTR: i32 = 2;
/** latency table indices (isa LATENCY_ORDER) */
// @ts-ignore: decorator
@inline const L_NAP: i32 = 3;
// @ts-ignore: decorator
@inline const L_DEC_PERIOD: i32 = 4;
// @ts-ignore: decorator
@inline const L_STRAY: i32 = 5;
// @ts-ignore: decorator
@inline const L_DRAIN: i32 = 6;
// @ts-ignore: decorator
@inline const L_CHOOSE: i32 = 7;
// @ts-ignore: decorator
@inline const L_INTR_ENTRY: i32 = 16;

/** timedTrial() results besides an outcome: the trial ended by an assert or by the step limit */
// @ts-ignore: decorator
@inline export const TIMED_ASSERT: i32 = -2;
// @ts-ignore: decorator
@inline export const TIMED_LIMIT: i32 = -3;

/** words of a spin snapshot: pc, gpr[0..31], cr[0..7], lr, ctr (thread block words T_GPR..T_CTR) */
// @ts-ignore: decorator
@inline const SNAP: i32 = 43;
/** instruction flags (isa cost-model.ts TF_*) */
// @ts-ignore: decorator
@inline const TF_PURE: i32 = 1;
// @ts-ignore: decorator
@inline const TF_BRANCH: i32 = 2;
// @ts-ignore: decorator
@inline const TF_STORE: i32 = 4;

let tCost: usize = 0;
let tLat: usize = 0;
let tAt: usize = 0;
let tEnabled: usize = 0;
let tClock: usize = 0;
let tWakeAt: usize = 0;
let tKind: usize = 0;
let tSerial: usize = 0;
let tSeen: usize = 0;
let tPhase: usize = 0;
let tFlags: usize = 0;
let tSnap: usize = 0;
let tSnapEpoch: usize = 0;
let tParked: usize = 0;
let tLatAgg: usize = 0;
let tDispatch: usize = 0;
let tTrial: usize = 0;
let tCyclesPerUs: i64 = 1;
let tThresh: i64 = 10;

/** the timed scheduler is the one running (set per runBatch call) */
export let gTimedOn: bool = false;

// per-trial results
let tNow: i64 = 0;
let tWdAt: i64 = -1;
let tWdCpu: i32 = -1;
let tWdMask: u64 = 0;

// aggregates of the current runBatch call (read by the host from timedAggPtr())
let aCycles: i64 = 0;
let aMaxCycles: i64 = 0;
let aReports: i64 = 0;
let aDelaySum: i64 = 0;
let aDelayMin: i64 = 0;
let aDelayMax: i64 = 0;
let tAggOut: usize = 0;

/**
 * Allocate the region for the loaded image (after beginRun(), before the records); returns the
 * byte offset of tCost (the host writes nInstr i32 costs there, then 18 i64 latency words at
 * timedLatPtr()), or 0 when memory is exhausted.
 */
export function timedSetup(cyclesPerUs: i32, thresh: i32): usize {
  const n = <u64>gN;
  const nA = <u64>gNActions;
  const nC = <u64>gNCounters;
  tCyclesPerUs = <i64>cyclesPerUs;
  tThresh = <i64>thresh;
  // pass 0 adds up the sizes, pass 1 hands out the sub-regions (each 16-byte aligned)
  let p: usize = 0;
  for (let pass = 0; pass < 2; pass++) {
    gCursor = p;
    tCost = take(<u64>gNInstr * 8); // tCost then tFlags
    tSnap = take(n * <u64>SNAP * 4);
    tSnapEpoch = take(n * 4);
    tParked = take(n * 4);
    tLat = take(18 * 8);
    tAt = take(nA * 8);
    tEnabled = take(nA * 4);
    tClock = take(n * 8);
    tWakeAt = take(n * 8);
    tKind = take(n * 4);
    tSerial = take(n * 4);
    tSeen = take(n * nC * 4);
    tPhase = take(n * 8);
    tDispatch = take(nC * 4);
    tTrial = take((nC + 1) * 16);
    tAggOut = take(6 * 8);
    tLatAgg = take((nC + 1) * <u64>LAT_WORDS * 8);
    if (pass == 0) {
      p = alloc(<u64>(gCursor - p));
      if (p == 0) return 0;
    }
  }
  tFlags = tCost + <usize>gNInstr * 4;
  return p;
}

let gCursor: usize = 0;
function take(bytes: u64): usize {
  const r = gCursor;
  gCursor += <usize>((bytes + 15) & ~(<u64>15));
  return r;
}

export function timedLatPtr(): usize {
  return tLat;
}

/** Where the host writes nCounters i32: 1 for a dispatch counter (`wakeup_to_*`), else 0. */
export function timedDispatchPtr(): usize {
  return tDispatch;
}

/** Where the aggregates of the last runBatch call are: 6 i64, then (nCounters + 1) x LAT_WORDS i64. */
export function timedAggPtr(): usize {
  return tAggOut;
}

export function timedBeginBatch(on: bool): void {
  gTimedOn = on;
  if (!on) return;
  aCycles = 0;
  aMaxCycles = 0;
  aReports = 0;
  aDelaySum = 0;
  aDelayMin = 0;
  aDelayMax = 0;
  memory.fill(tLatAgg, 0, (<usize>gNCounters + 1) * <usize>LAT_WORDS * 8);
  memory.fill(tTrial, 0, (<usize>gNCounters + 1) * 16);
  memory.fill(tAggOut, 0, 6 * 8);
}

// @ts-ignore: decorator
@inline function latMin(i: i32): i64 {
  return load<i64>(tLat + (<usize>(2 * i) << 3));
}
// @ts-ignore: decorator
@inline function latMax(i: i32): i64 {
  return load<i64>(tLat + (<usize>(2 * i + 1) << 3));
}
function draw(i: i32): i64 {
  const lo = latMin(i);
  return lo + <i64>rngBelow(<u32>(latMax(i) - lo + 1));
}

// @ts-ignore: decorator
@inline function wakeMask(lpcr: i32): i32 {
  return ((lpcr & LPCR_PECEDH) != 0 ? PEND_DBELL : 0) |
    ((lpcr & LPCR_PECE0) != 0 ? PEND_EXT : 0) |
    ((lpcr & LPCR_PECE1) != 0 ? PEND_DEC : 0);
}
// @ts-ignore: decorator
@inline function topReason(bits: i32): i32 {
  return (bits & PEND_DBELL) != 0 ? 0 : (bits & PEND_EXT) != 0 ? 1 : 2;
}

function stepKind(t: i32): i32 {
  const p = threadPtr(t);
  const st = load<i32>(p, (T_STATUS << 2));
  if (st == STATUS_NAPPING) return K_WAKE;
  if (st == STATUS_RUNNING && load<i32>(p, (T_EE << 2)) != 0 && load<i32>(p, (T_PENDING << 2)) != 0) return K_INTR;
  return K_INSTR;
}

// @ts-ignore: decorator
@inline function atOf(a: i32): i64 {
  return load<i64>(tAt + (<usize>a << 3));
}
// @ts-ignore: decorator
@inline function setAt(a: i32, v: i64): void {
  store<i64>(tAt + (<usize>a << 3), v);
}
// @ts-ignore: decorator
@inline function clockOf(t: i32): i64 {
  return load<i64>(tClock + (<usize>t << 3));
}

/** After an action (taken = -1 at the start): newly enabled actions get their times (15.2). */
function refresh(k: i32, taken: i32, now: i64): void {
  const n = gN;
  const nA = gNActions;
  let j = 0;
  for (let a = 0; a < nA; a++) {
    const ep = tEnabled + (<usize>a << 2);
    const on = j < k && load<i32>(gActs + (<usize>j << 2)) == a;
    if (on) j++;
    if (!on) {
      store<i32>(ep, 0);
      continue;
    }
    let fresh = load<i32>(ep) == 0 || a == taken;
    if (a < n) {
      const kd = stepKind(a);
      const kp = tKind + (<usize>a << 2);
      if (kd != load<i32>(kp)) fresh = true;
      store<i32>(kp, kd);
      if (fresh) {
        if (kd == K_INSTR) {
          setAt(a, now);
        } else if (kd == K_WAKE) {
          const p = threadPtr(a);
          const r = topReason(load<i32>(p, (T_PENDING << 2)) & wakeMask(load<i32>(p, (T_LPCR << 2))));
          const d = draw(r);
          setAt(a, now + d + draw(L_NAP));
        } else {
          setAt(a, now + draw(topReason(load<i32>(threadPtr(a), (T_PENDING << 2)))));
        }
      }
    } else if (fresh) {
      const cls = a < 2 * n ? L_DRAIN : a < 3 * n ? L_DEC_PERIOD : L_STRAY;
      setAt(a, now + draw(cls));
    }
    store<i32>(ep, 1);
  }
}

/**
 * One timed trial from the start state. Returns an outcome (OUT_*), TIMED_ASSERT or TIMED_LIMIT
 * (batch.ts fills the details for those two); `tNow` and the watchdog globals hold the rest.
 */
export function timedTrial(seed: u32, lo: u32, hi: u32, maxSteps: i32, accumulate: bool): i32 {
  memory.copy(gWork, gStart, gStateBytes);
  resetTrialCounters(gNCounters);
  rngReset(seed, lo, hi);
  const n = gN;
  const nC = gNCounters;
  memory.fill(tEnabled, 0, <usize>gNActions << 2);
  memory.fill(tAt, 0, <usize>gNActions << 3);
  memory.fill(tClock, 0, <usize>n << 3);
  memory.fill(tWakeAt, 0, <usize>n << 3);
  memory.fill(tKind, 0, <usize>n << 2);
  memory.fill(tSerial, 0, <usize>n << 2);
  memory.fill(tSeen, 0, (<usize>n * <usize>nC) << 2);
  tWdAt = -1;
  tWdCpu = -1;
  tWdMask = 0;
  memory.fill(tSnapEpoch, 0xff, <usize>n << 2);
  memory.fill(tParked, 0xff, <usize>n << 2);
  tEpoch = 0;
  // a counted run starts the trial's latency sums afresh (a re-run to record it adds nothing)
  if (accumulate) memory.fill(tTrial, 0, (<usize>nC + 1) * 16);
  let now: i64 = 0;
  let outcome: i32 = 0;
  let total = enumerate(gActs);
  let k = unparked(total);
  refresh(k, -1, now);
  while (true) {
    if (total == 0) {
      outcome = gAssertFailed ? TIMED_ASSERT : classify();
      break;
    }
    if (gSteps >= maxSteps || k == 0) {
      // k == 0: only parked spinners are left, they would spin until the step limit
      outcome = TIMED_LIMIT;
      break;
    }
    let best = load<i32>(gActs);
    let bestAt = best < n ? max<i64>(clockOf(best), atOf(best)) : atOf(best);
    for (let i = 1; i < k; i++) {
      const a = load<i32>(gActs + (<usize>i << 2));
      const ta = a < n ? max<i64>(clockOf(a), atOf(a)) : atOf(a);
      if (ta < bestAt) {
        best = a;
        bestAt = ta;
      }
    }
    now = bestAt;
    recordDecision(best);
    let cost: i64 = 0;
    let countIdx = -1;
    let kind = K_INSTR;
    let fl = 0;
    let pc0 = -1;
    let isChoose = false;
    if (best < n) {
      kind = load<i32>(tKind + (<usize>best << 2));
      pc0 = load<i32>(threadPtr(best), (T_PC << 2));
      if (kind == K_INSTR) {
        const pc = pc0;
        if (<u32>pc < <u32>gNInstr) {
          cost = <i64>load<i32>(tCost + (<usize>pc << 2));
          fl = load<i32>(tFlags + (<usize>pc << 2));
          const ip = gCode + (<usize>pc << 4);
          if (load<i32>(ip) == OP_COUNT) countIdx = load<i32>(ip, 4);
          isChoose = load<i32>(ip) == OP_CHOOSE;
        }
      } else if (kind == K_INTR) {
        cost = load<i64>(tLat + (<usize>L_INTR_ENTRY << 3));
      }
    } else if (best < 2 * n) {
      tEpoch++; // a drain writes memory
    }
    if ((fl & TF_STORE) != 0) tEpoch++;
    apply(best);
    gSteps++;
    // the environment's decision takes time: drawn right after the value (apply drew it)
    if (isChoose) cost += draw(L_CHOOSE);
    if (best < n) {
      store<i64>(tClock + (<usize>best << 3), now + cost);
      const sp = tSerial + (<usize>best << 2);
      if (kind == K_WAKE && load<i32>(threadPtr(best), (T_STATUS << 2)) == STATUS_RUNNING) {
        store<i64>(tWakeAt + (<usize>best << 3), now);
        store<i32>(sp, load<i32>(sp) + 1);
      }
      const serial = load<i32>(sp);
      if (countIdx >= 0 && serial > 0) {
        const seenP = tSeen + ((<usize>best * <usize>nC + <usize>countIdx) << 2);
        if (load<i32>(seenP) != serial) {
          store<i32>(seenP, serial);
          if (accumulate) addLatency(countIdx, now - load<i64>(tWakeAt + (<usize>best << 3)));
        }
      }
      spinCheck(best, fl, pc0);
    }
    if (gAssertFailed) {
      total = 0;
      k = 0;
    } else {
      total = enumerate(gActs);
      k = unparked(total);
    }
    refresh(k, best, now);
  }
  for (let t = 0; t < n; t++) if (clockOf(t) > now) now = clockOf(t);
  tNow = now;
  if (outcome == OUT_LOCKUP) watchdog(now);
  return outcome;
}

/** stores and drains so far in this trial: memory may have changed when it moves */
let tEpoch: i32 = 0;

/** Drop the parked spinners' steps from the `total` enabled actions at gActs; returns how many remain. */
function unparked(total: i32): i32 {
  let k = 0;
  const n = gN;
  for (let i = 0; i < total; i++) {
    const a = load<i32>(gActs + (<usize>i << 2));
    if (a < n && load<i32>(tParked + (<usize>a << 2)) == tEpoch && stepKind(a) == K_INSTR) continue;
    store<i32>(gActs + (<usize>k << 2), a);
    k++;
  }
  return k;
}

/** After thread t's instruction step (flags fl, at pc0): spin snapshot and parking (15.2). */
function spinCheck(t: i32, fl: i32, pc0: i32): void {
  const ep = tSnapEpoch + (<usize>t << 2);
  if ((fl & TF_PURE) == 0) {
    store<i32>(ep, -1);
    return;
  }
  if ((fl & TF_BRANCH) == 0) return;
  const p = threadPtr(t);
  const pc = load<i32>(p, (T_PC << 2));
  if (pc > pc0 || load<i32>(p, (T_STATUS << 2)) != STATUS_RUNNING) return;
  const sp = tSnap + <usize>t * <usize>(SNAP << 2);
  let same = load<i32>(ep) == tEpoch && load<i32>(sp) == pc;
  store<i32>(sp, pc);
  // gpr[0..31], cr[0..7], lr, ctr are thread block words T_GPR .. T_GPR + 41
  const src = p + (<usize>T_GPR << 2);
  if (same && memory.compare(sp + 4, src, 42 << 2) != 0) same = false;
  memory.copy(sp + 4, src, 42 << 2);
  if (same) store<i32>(tParked + (<usize>t << 2), tEpoch);
  store<i32>(ep, tEpoch);
}

/** Add one latency sample of counter c to the aggregates (and to the dispatch block for one). */
function addLatency(c: i32, v: i64): void {
  addSample(c, v);
  if (load<i32>(tDispatch + (<usize>c << 2)) != 0) addSample(gNCounters, v);
}

/** Add one sample to tLatAgg block c and to the trial's sum and count of c. */
function addSample(c: i32, v: i64): void {
  const tp = tTrial + (<usize>c << 4);
  store<i64>(tp, load<i64>(tp) + v);
  store<i64>(tp, load<i64>(tp, 8) + 1, 8);
  const s = tLatAgg + <usize>c * <usize>LAT_WORDS * 8;
  const cnt = load<i64>(s);
  if (cnt == 0 || v < load<i64>(s, 24)) store<i64>(s, v, 24);
  if (cnt == 0 || v > load<i64>(s, 32)) store<i64>(s, v, 32);
  store<i64>(s, cnt + 1);
  store<i64>(s, load<i64>(s, 8) + v, 8);
  store<i64>(s, load<i64>(s, 16) + v * v, 16);
  const hp = s + 40 + (<usize>histBucket(v) << 3);
  store<i64>(hp, load<i64>(hp) + 1);
}

function histBucket(v: i64): i32 {
  if (v < <i64>HIST_EXACT) return <i32>v;
  if (v >= (<i64>1 << 40)) return HIST_BUCKETS - 1;
  const e = 63 - <i32>clz<i64>(v);
  const sub = <i32>(v >> <i64>(e - 4)) - HIST_SUB;
  return HIST_EXACT + (e - 5) * HIST_SUB + sub;
}

/** Add the trial that just ran to the aggregates (once per trial index). */
export function timedAddTrial(): void {
  const now = tNow;
  // its latency sums and counts into the per-trial moments, then cleared
  const nB = gNCounters + 1;
  for (let c = 0; c < nB; c++) {
    const tp = tTrial + (<usize>c << 4);
    const ts = load<i64>(tp);
    const tc = load<i64>(tp, 8);
    if (tc == 0) continue;
    const s = tLatAgg + <usize>c * <usize>LAT_WORDS * 8 + <usize>LAT_TRIAL;
    store<i64>(s, load<i64>(s) + ts * ts);
    store<i64>(s, load<i64>(s, 8) + tc * tc, 8);
    store<i64>(s, load<i64>(s, 16) + ts * tc, 16);
    store<i64>(tp, 0);
    store<i64>(tp, 0, 8);
  }
  aCycles += now;
  if (now > aMaxCycles) aMaxCycles = now;
  if (tWdAt >= 0) {
    const d = tWdAt - now;
    if (aReports == 0 || d < aDelayMin) aDelayMin = d;
    if (d > aDelayMax) aDelayMax = d;
    aReports++;
    aDelaySum += d;
  }
  const o = tAggOut;
  store<i64>(o, aCycles);
  store<i64>(o, aMaxCycles, 8);
  store<i64>(o, aReports, 16);
  store<i64>(o, aDelaySum, 24);
  store<i64>(o, aDelayMin, 32);
  store<i64>(o, aDelayMax, 40);
}

/** Append the trial's timed record words (TR_WORDS) at p when the timed scheduler runs. */
export function timedWriteRecord(p: usize): usize {
  if (!gTimedOn) return p;
  store<i64>(p, tNow);
  store<i64>(p, tWdAt, 8);
  store<i32>(p, tWdCpu, 16);
  store<u64>(p, tWdMask, 20);
  return p + (<usize>TR_WORDS << 2);
}

// ---- the watchdog (SEMANTICS.md 15.4; isa timed.ts watchdogReport) ----

// @ts-ignore: decorator
@inline function floorDiv(a: i64, b: i64): i64 {
  const r = a % b;
  return (a - r) / b - (r < 0 ? 1 : 0);
}
// @ts-ignore: decorator
@inline function beatAfter(phase: i64, period: i64, x: i64): i64 {
  return phase + (floorDiv(x - phase, period) + 1) * period;
}

function watchdog(end: i64): void {
  const n = gN;
  let stuck: u64 = 0;
  for (let i = 0; i < gNStuck; i++) stuck |= (<u64>1) << <u64>load<i32>(gScratch + (<usize>i << 2));
  if (gNStuck == 0 || gNStuck >= n) return;
  const us = tCyclesPerUs;
  const periodUs = tThresh * 400000;
  const period = periodUs * us;
  const panic = tThresh * 1500000 * us;
  for (let c = 0; c < n; c++) {
    const hi = <i64>rngBelow(<u32>periodUs);
    store<i64>(tPhase + (<usize>c << 3), hi * us + <i64>rngBelow(<u32>us));
  }
  let m = 0;
  for (let c = 1; c < n; c++) if (load<i64>(tPhase + (<usize>c << 3)) > load<i64>(tPhase + (<usize>m << 3))) m = c;
  const pm = load<i64>(tPhase + (<usize>m << 3));
  let last = pm + floorDiv(end - pm, period) * period;
  if (((stuck >> <u64>m) & 1) == 0) {
    let all = true;
    for (let s = 0; s < n; s++) {
      if (((stuck >> <u64>s) & 1) != 0 && beatAfter(load<i64>(tPhase + (<usize>s << 3)), period, last) > end) all = false;
    }
    if (all) last += period;
  }
  let at: i64 = -1;
  let cpu = -1;
  for (let c = 0; c < n; c++) {
    if (((stuck >> <u64>c) & 1) != 0) continue;
    const b = beatAfter(load<i64>(tPhase + (<usize>c << 3)), period, last + panic - 1);
    if (cpu < 0 || b < at) {
      at = b;
      cpu = c;
    }
  }
  let mask: u64 = 0;
  for (let s = 0; s < n; s++) {
    if (((stuck >> <u64>s) & 1) != 0 && beatAfter(load<i64>(tPhase + (<usize>s << 3)), period, last) > end) {
      mask |= (<u64>1) << <u64>s;
    }
  }
  tWdAt = at;
  tWdCpu = cpu;
  tWdMask = mask;
}
