// Batches of trials: the uniform and replay schedulers (SEMANTICS.md section 5), aggregates, and the
// per-trial records handed back to the host (abi.ts, "per-trial record").
//
// One runBatch() call runs trials from `from` until `to` or until it has simulated `stepBudget`
// steps (or written many records), and returns the next trial index: the host calls again, so each
// Wasm call stays short enough for V8 to tier the code up between calls. Trials only depend on
// (seed, index), so the split never changes a result.
//
// In RECORD_FAILURES mode the trial is run without recording its schedule; a failing trial that
// must be reported is simply run again with recording on (trials are deterministic), so the hot
// loop never writes a schedule it will throw away.

import {
  H_REC_PTR, H_REC_COUNT, H_AGG, A_TRIALS, A_OUTCOMES, A_STEPS, A_STEPS_SQ, A_MAX_STEPS, A_SYNCS,
  A_WAKEUPS, A_WAKEUPS_BY_REASON, A_WAKEUPS_SQ, CROSS_MAX_COUNTERS, H_P_AGG_COUNTERS, R_INDEX_LO, R_INDEX_HI, R_OUTCOME,
  R_STEPS, R_SYNCS, R_WAKEUPS, R_WAKEUPS_BY_REASON, R_D_CPU, R_D_ARG, R_D_TEXT, R_NSTUCK, R_SCHED_LEN,
  R_HDR, OUT_OK, OUT_ASSERT, OUT_LIMIT, SCHED_UNIFORM, SCHED_REPLAY, SCHED_PCT, RECORD_NONE, RECORD_ALL, OB_KIND, OB_A, OB_B,
  OB_WORDS, OB_REG, E_OUT_OF_MEMORY, E_DIVERGED, SCHED_TIMED, TR_WORDS,
} from './abi';
import {
  gWork, gStart, gStateBytes, gActs, gCounters, gAggCounters, gNCounters, gNObserve, gObsTab, gScratch,
  gHeader, gMemEnd, gN, gNEvents, ensure, T_GPR, aggCounterWords,
} from './layout';
import {
  gS, gSteps, gSyncs, gWakeups, gWake0, gWake1, gWake2, gAssertFailed, gAssertCpu, gAssertPc,
  gAssertMsg, gDetailCpu, gDetailArg, gDetailText, gNStuck, gRecPtr, gRecOverflow, gDiverged,
  gSchedPtr, gSchedLen, gSchedPos, gStepMask, gDrainMask, gDecMask, gEventMask, gEventsInMask, markDirty,
  execStep, drain, fireDec, enumerate, apply, classify,
  recordDecision, resetTrialCounters, saveStartMasks, restoreStartMasks, refreshMasks, enabledEvents, nthBit,
  markActed,
  setRecording, setState, setReplay, setChooseMode, threadPtr, memPtr, actionEnabled, CHOOSE_RNG,
  CHOOSE_REPLAY, gRecording,
} from './machine';
import { rngReset, rngBelow } from './rng';
import { pctTrial, PCT_END_ASSERT, PCT_END_LIMIT } from './pct';
import { timedTrial, timedAddTrial, timedWriteRecord, timedBeginBatch, TIMED_ASSERT, TIMED_LIMIT } from './timed';
import { gPower } from './power';
import { setError } from './errors';

export let gMaxSteps: i32 = 0;

export function setMaxSteps(v: i32): void {
  gMaxSteps = v;
}

// outcome details of the last trial
let tOutcome: i32 = 0;

// aggregates of the current call
let aTrials: i64 = 0;
let aOut0: i64 = 0;
let aOut1: i64 = 0;
let aOut2: i64 = 0;
let aOut3: i64 = 0;
let aOut4: i64 = 0;
let aSteps: i64 = 0;
let aStepsSq: i64 = 0;
let aMaxSteps: i64 = 0;
let aSyncs: i64 = 0;
let aWakeups: i64 = 0;
let aWake0: i64 = 0;
let aWake1: i64 = 0;
let aWake2: i64 = 0;
let aWakeupsSq: i64 = 0;

/** Start of this call's records (after the replay schedule), and the write cursor. */
let gRecBase: usize = 0;
let gRecCursor: usize = 0;
let gRecCount: i32 = 0;

/** Records stop a call early past this many bytes, so recording every trial stays bounded. */
// @ts-ignore: decorator
@inline const RECORD_SOFT_LIMIT: usize = 32 << 20;

export function setRecordBase(p: usize): void {
  gRecBase = p;
}

/** Outcome details of a trial that ended by the end rules (fills the same globals classify() does). */
function endAssert(): i32 {
  gDetailCpu = gAssertCpu;
  gDetailArg = gAssertPc;
  gDetailText = gAssertMsg;
  gNStuck = 0;
  return OUT_ASSERT;
}
function endLimit(): i32 {
  gDetailCpu = 0;
  gDetailArg = 0;
  gDetailText = 0;
  gNStuck = 0;
  return OUT_LIMIT;
}

/**
 * One uniform trial from the start state; returns its outcome. The enabled actions are kept
 * incrementally (machine.ts, "incremental enabled sets"); pick k of the count is the k-th action
 * in canonical order: steps, drains, decrementers, events.
 */
function uniformTrial(seed: u32, lo: u32, hi: u32): i32 {
  memory.copy(gWork, gStart, gStateBytes);
  resetTrialCounters(gNCounters);
  rngReset(seed, lo, hi);
  restoreStartMasks();
  const acts = gActs;
  const maxSteps = gMaxSteps;
  const n = gN;
  const listEvents = !gEventsInMask;
  while (true) {
    const nStep = <i32>popcnt<u64>(gStepMask);
    const nDrain = <i32>popcnt<u64>(gDrainMask);
    const nDec = <i32>popcnt<u64>(gDecMask);
    const nEvents = listEvents ? enabledEvents(acts) : <i32>popcnt<u64>(gEventMask);
    const k = nStep + nDrain + nDec + nEvents;
    if (k == 0) return classify();
    if (gSteps >= maxSteps) return endLimit();
    let i = <i32>rngBelow(<u32>k);
    if (i < nStep) {
      const t = nthBit(gStepMask, i);
      recordDecision(t);
      markDirty(t);
      execStep(t);
    } else if ((i -= nStep) < nDrain) {
      const t = nthBit(gDrainMask, i);
      recordDecision(n + t);
      markDirty(t);
      drain(t);
    } else if ((i -= nDrain) < nDec) {
      const t = nthBit(gDecMask, i);
      recordDecision(2 * n + t);
      markDirty(t);
      fireDec(t);
    } else {
      const a = listEvents ? load<i32>(acts + (<usize>(i - nDec) << 2)) : 3 * n + nthBit(gEventMask, i - nDec);
      recordDecision(a);
      markActed(a);
      apply(a);
    }
    gSteps++;
    if (gAssertFailed) return endAssert();
    refreshMasks();
  }
}

/** One replay trial; returns its outcome, or -1 when the schedule diverged (gDiverged). */
function replayTrial(): i32 {
  memory.copy(gWork, gStart, gStateBytes);
  resetTrialCounters(gNCounters);
  setReplay(gSchedPtr, gSchedLen);
  const maxSteps = gMaxSteps;
  let outcome: i32 = 0;
  while (true) {
    const k = enumerate(gActs);
    if (k == 0) {
      outcome = classify();
      break;
    }
    if (gSteps >= maxSteps || gSchedPos >= gSchedLen) return endLimit();
    const a = load<i32>(gSchedPtr + (<usize>gSchedPos << 2));
    if (!actionEnabled(a)) {
      gDiverged = gSchedPos;
      return -1;
    }
    gSchedPos++;
    recordDecision(a);
    apply(a);
    gSteps++;
    if (gDiverged >= 0) return -1;
    if (gAssertFailed) {
      outcome = endAssert();
      break;
    }
  }
  if (gSchedPos < gSchedLen) {
    // the trial ended with decisions left: the first unused one names an action that is not enabled
    gDiverged = gSchedPos;
    return -1;
  }
  return outcome;
}

/** the recording mode of the current call (the timed scheduler counts a re-run trial once) */
let gRecordMode: i32 = 0;

/**
 * One uniform trial under power: the plain loop (list the enabled actions, pick one, apply it),
 * the reference engine's, without incremental masks (power's action set changes too much).
 */
function powerUniformTrial(seed: u32, lo: u32, hi: u32): i32 {
  memory.copy(gWork, gStart, gStateBytes);
  resetTrialCounters(gNCounters);
  rngReset(seed, lo, hi);
  const acts = gActs;
  const maxSteps = gMaxSteps;
  while (true) {
    const k = enumerate(acts);
    if (k == 0) return classify();
    if (gSteps >= maxSteps) return endLimit();
    const a = load<i32>(acts + (<usize>rngBelow(<u32>k) << 2));
    recordDecision(a);
    apply(a);
    gSteps++;
    if (gAssertFailed) return endAssert();
  }
}

function runOne(mode: i32, seed: u32, lo: u32, hi: u32): i32 {
  // PCT and timed run under sc and tso only (the host refuses power for them)
  if (mode == SCHED_PCT) {
    const o = pctTrial(seed, lo, hi, gMaxSteps);
    return o == PCT_END_ASSERT ? endAssert() : o == PCT_END_LIMIT ? endLimit() : o;
  }
  if (mode == SCHED_TIMED) {
    const r = timedTrial(seed, lo, hi, gMaxSteps, gRecordMode == RECORD_ALL || !gRecording);
    return r == TIMED_ASSERT ? endAssert() : r == TIMED_LIMIT ? endLimit() : r;
  }
  if (gPower && mode == SCHED_UNIFORM) return powerUniformTrial(seed, lo, hi);
  return mode == SCHED_UNIFORM ? uniformTrial(seed, lo, hi) : replayTrial();
}

/** Write the record of the trial that just ended; its schedule is already at recStart + R_HDR. */
function finishRecord(recStart: usize, lo: u32, hi: u32, outcome: i32): bool {
  const schedLen = <i32>((gRecPtr - recStart) >> 2) - R_HDR;
  let p = gRecPtr;
  const tail = (<u64>gNStuck + <u64>gNCounters + <u64>gNObserve + <u64>TR_WORDS) << 2;
  if (!ensure(<u64>p + tail)) return false;
  store<i32>(recStart, lo, (R_INDEX_LO << 2));
  store<i32>(recStart, hi, (R_INDEX_HI << 2));
  store<i32>(recStart, outcome, (R_OUTCOME << 2));
  store<i32>(recStart, gSteps, (R_STEPS << 2));
  store<i32>(recStart, gSyncs, (R_SYNCS << 2));
  store<i32>(recStart, gWakeups, (R_WAKEUPS << 2));
  store<i32>(recStart, gWake0, (R_WAKEUPS_BY_REASON << 2));
  store<i32>(recStart, gWake1, ((R_WAKEUPS_BY_REASON + 1) << 2));
  store<i32>(recStart, gWake2, ((R_WAKEUPS_BY_REASON + 2) << 2));
  store<i32>(recStart, gDetailCpu, (R_D_CPU << 2));
  store<i32>(recStart, gDetailArg, (R_D_ARG << 2));
  store<i32>(recStart, gDetailText, (R_D_TEXT << 2));
  store<i32>(recStart, gNStuck, (R_NSTUCK << 2));
  store<i32>(recStart, schedLen, (R_SCHED_LEN << 2));
  memory.copy(p, gScratch, <usize>gNStuck << 2);
  p += <usize>gNStuck << 2;
  memory.copy(p, gCounters, <usize>gNCounters << 2);
  p += <usize>gNCounters << 2;
  p = writeFinal(p);
  p = timedWriteRecord(p);
  gRecCursor = p;
  gRecCount++;
  return true;
}

/** Write the observed values of the state at gS to p; returns the end. */
export function writeFinal(p: usize): usize {
  for (let i = 0; i < gNObserve; i++) {
    const ob = gObsTab + <usize>i * (OB_WORDS << 2);
    let v: i32;
    if (load<i32>(ob, (OB_KIND << 2)) == OB_REG) {
      v = load<i32>(threadPtr(load<i32>(ob, (OB_A << 2))) + (<usize>load<i32>(ob, (OB_B << 2)) << 2), (T_GPR << 2));
    } else {
      v = load<i32>(memPtr(load<i32>(ob, (OB_A << 2))));
    }
    store<i32>(p, v);
    p += 4;
  }
  return p;
}

/** Room for a record header plus some schedule at the cursor; false when memory is exhausted. */
function beginRecord(): bool {
  const start = gRecCursor;
  if (!ensure(<u64>start + <u64>((R_HDR + 1024) << 2))) return false;
  setRecording(true, start + (<usize>R_HDR << 2), <usize>gMemEnd);
  return true;
}

function addAggregates(outcome: i32): void {
  aTrials++;
  if (outcome == 0) aOut0++;
  else if (outcome == 1) aOut1++;
  else if (outcome == 2) aOut2++;
  else if (outcome == 3) aOut3++;
  else aOut4++;
  const s = <i64>gSteps;
  aSteps += s;
  aStepsSq += s * s;
  if (s > aMaxSteps) aMaxSteps = s;
  aSyncs += <i64>gSyncs;
  aWakeups += <i64>gWakeups;
  aWake0 += <i64>gWake0;
  aWake1 += <i64>gWake1;
  aWake2 += <i64>gWake2;
  const w = <i64>gWakeups;
  aWakeupsSq += w * w;
  // per counter: Σc, then Σc², then Σc·wakeups (nC words each), then Σa·b per pair a < b
  const nC = gNCounters;
  const sqBase = gAggCounters + (<usize>nC << 3);
  const cwBase = sqBase + (<usize>nC << 3);
  let crossP = cwBase + (<usize>nC << 3);
  const cross = nC <= CROSS_MAX_COUNTERS;
  for (let i = 0; i < nC; i++) {
    const c = <i64>load<i32>(gCounters + (<usize>i << 2));
    const ap = gAggCounters + (<usize>i << 3);
    store<i64>(ap, load<i64>(ap) + c);
    const sp = sqBase + (<usize>i << 3);
    store<i64>(sp, load<i64>(sp) + c * c);
    const wp = cwBase + (<usize>i << 3);
    store<i64>(wp, load<i64>(wp) + c * w);
    if (cross) {
      for (let j = i + 1; j < nC; j++) {
        store<i64>(crossP, load<i64>(crossP) + c * <i64>load<i32>(gCounters + (<usize>j << 2)));
        crossP += 8;
      }
    }
  }
  if (gTimedMode) timedAddTrial();
}

let gTimedMode: bool = false;

function writeAggregates(): void {
  const h = gHeader + (<usize>H_AGG << 2);
  store<i64>(h + (<usize>A_TRIALS << 3), aTrials);
  store<i64>(h + (<usize>(A_OUTCOMES + 0) << 3), aOut0);
  store<i64>(h + (<usize>(A_OUTCOMES + 1) << 3), aOut1);
  store<i64>(h + (<usize>(A_OUTCOMES + 2) << 3), aOut2);
  store<i64>(h + (<usize>(A_OUTCOMES + 3) << 3), aOut3);
  store<i64>(h + (<usize>(A_OUTCOMES + 4) << 3), aOut4);
  store<i64>(h + (<usize>A_STEPS << 3), aSteps);
  store<i64>(h + (<usize>A_STEPS_SQ << 3), aStepsSq);
  store<i64>(h + (<usize>A_MAX_STEPS << 3), aMaxSteps);
  store<i64>(h + (<usize>A_SYNCS << 3), aSyncs);
  store<i64>(h + (<usize>A_WAKEUPS << 3), aWakeups);
  store<i64>(h + (<usize>A_WAKEUPS_BY_REASON << 3), aWake0);
  store<i64>(h + (<usize>(A_WAKEUPS_BY_REASON + 1) << 3), aWake1);
  store<i64>(h + (<usize>(A_WAKEUPS_BY_REASON + 2) << 3), aWake2);
  store<i64>(h + (<usize>A_WAKEUPS_SQ << 3), aWakeupsSq);
  store<i32>(gHeader + (<usize>H_P_AGG_COUNTERS << 2), <i32>gAggCounters);
  store<i32>(gHeader + (<usize>H_REC_PTR << 2), <i32>gRecBase);
  store<i32>(gHeader + (<usize>H_REC_COUNT << 2), gRecCount);
}

/**
 * Run trials [from, to) (or fewer, see the file comment) and return the index of the next trial
 * not run. Returns -1 on error (H_ERROR says which).
 */
export function runTrialsImpl(
  seed: u32,
  from: f64,
  to: f64,
  mode: i32,
  record: i32,
  maxFailures: i32,
  stepBudget: f64,
): f64 {
  aTrials = 0;
  aOut0 = 0;
  aOut1 = 0;
  aOut2 = 0;
  aOut3 = 0;
  aOut4 = 0;
  aSteps = 0;
  aStepsSq = 0;
  aMaxSteps = 0;
  aSyncs = 0;
  aWakeups = 0;
  aWake0 = 0;
  aWake1 = 0;
  aWake2 = 0;
  aWakeupsSq = 0;
  memory.fill(gAggCounters, 0, <usize>aggCounterWords(gNCounters) << 3);
  gRecCursor = gRecBase;
  gRecCount = 0;
  gRecordMode = record;
  gTimedMode = mode == SCHED_TIMED;
  timedBeginBatch(gTimedMode);
  setState(gWork);
  setChooseMode(mode == SCHED_REPLAY ? CHOOSE_REPLAY : CHOOSE_RNG, 0);
  memory.copy(gWork, gStart, gStateBytes);
  saveStartMasks();
  let failuresLeft = maxFailures;
  const budget = <i64>stepBudget;
  let stepsDone: i64 = 0;
  let ti = <u64>from;
  const end = <u64>to;
  while (ti < end) {
    const lo = <u32>ti;
    const hi = <u32>(ti >> 32);
    let outcome: i32;
    if (record == RECORD_ALL) {
      if (!beginRecord()) return oom();
      const recStart = gRecCursor;
      outcome = runOne(mode, seed, lo, hi);
      if (outcome < 0) return diverged();
      if (gRecOverflow) return oom();
      if (!finishRecord(recStart, lo, hi, outcome)) return oom();
    } else {
      setRecording(false, 0, 0);
      outcome = runOne(mode, seed, lo, hi);
      if (outcome < 0) return diverged();
      if (outcome != OUT_OK && record != RECORD_NONE && failuresLeft > 0) {
        failuresLeft--;
        if (!beginRecord()) return oom();
        const recStart = gRecCursor;
        runOne(mode, seed, lo, hi);
        if (gRecOverflow) return oom();
        if (!finishRecord(recStart, lo, hi, outcome)) return oom();
      }
    }
    addAggregates(outcome);
    stepsDone += <i64>gSteps + 1;
    ti++;
    if (stepsDone >= budget || gRecCursor - gRecBase > RECORD_SOFT_LIMIT) break;
  }
  setRecording(false, 0, 0);
  writeAggregates();
  return <f64>ti;
}

function oom(): f64 {
  setRecording(false, 0, 0);
  setError(E_OUT_OF_MEMORY, 0);
  return -1;
}

function diverged(): f64 {
  setRecording(false, 0, 0);
  setError(E_DIVERGED, gDiverged);
  return -1;
}
