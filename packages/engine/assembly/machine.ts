// The machine: enabled actions, their effects, and the classification of a terminal state, exactly
// as packages/isa/SEMANTICS.md (sections 2-4, 6 and the clarifications of section 10) says.
//
// Every function works on the state block at `gS` (layout.ts); the batch runner points it at the
// working state, the explorer at a DFS stack frame. Per-trial counters that are not part of the
// state key (steps, syncs, wakeups, named counters) live in globals and in `gCounters`.

import {
  OP_NOP, OP_LI, OP_LIS, OP_LA, OP_MR, OP_ADDI, OP_ADDIS, OP_ADD, OP_SUBF, OP_NEG, OP_AND, OP_ANDC,
  OP_OR, OP_ORI, OP_XOR, OP_SLW, OP_SRW, OP_XORI, OP_ANDI_, OP_MULLI, OP_MULLW, OP_CMPW, OP_CMPWI,
  OP_CMPLW, OP_CMPLWI, OP_B, OP_BL, OP_BLR, OP_BEQ, OP_BNE, OP_BLT, OP_BGT, OP_BLE, OP_BGE, OP_MTCTR,
  OP_MFCTR, OP_BCTR, OP_BCTRL, OP_MFLR, OP_MTLR, OP_BDNZ, OP_LWZ, OP_LWZX, OP_STW, OP_STWX, OP_STWU,
  OP_LWARX, OP_STWCX_, OP_SYNC, OP_LWSYNC, OP_ISYNC, OP_NAP, OP_MSGSND, OP_MSGCLR, OP_WRTEEI,
  OP_MTMSRD, OP_MFMSR, OP_RFID, OP_MFSPR, OP_MTSPR, OP_MFTB, OP_IPI, OP_EOI, OP_AWAIT_EQ, OP_AWAIT_NE,
  OP_HALT, OP_LOST, OP_ASSERT_EQ, OP_ASSERT_NE, OP_COUNT, OP_MARK, OP_WORK, OP_CHOOSE,
  STATUS_RUNNING, STATUS_NAPPING, STATUS_HALTED, STATUS_LOST, PEND_DBELL, PEND_EXT, PEND_DEC,
  LPCR_PECE0, LPCR_PECE1, LPCR_PECEDH, SRR1_WAKEEE, SRR1_WAKEDEC, SRR1_WAKEHDBELL, DEC_DISARMED,
  CR_LT, CR_GT, CR_EQ, MSR_EE, SPR_DEC, SPR_SRR0, SPR_SRR1, SPR_LPCR, SPR_LPID, SPR_PIR, SPR_LR,
  SPR_CTR, LOST_BAD_ADDRESS, LOST_NO_VECTOR, LOST_BAD_JUMP, LOST_BAD_CPU,
} from './opcodes.generated';
import {
  T_PC, T_STATUS, T_GPR, T_CR, T_LR, T_CTR, T_SRR0, T_SRR1, T_LPCR, T_LPID, T_DEC, T_DEC_ARMED, T_EE,
  T_PENDING, T_RESV, T_RESV_ADDR, T_SB_LEN, T_SB, BLK_NEVER, BLK_STORE, BLK_DRAINED, BLK_AWAIT_EQ,
  gN, gNInstr, gMemSize, gCode, gStrideB, gMemOffB, gBudgetOffB, gLostOffB, gSbCap, gNEvents,
  gEventTab, gCounters, gSymTab, gNSymbols, gThreadTab, gScratch, ensure, gMemEnd, gActs2,
  gStartCounters,
} from './layout';
import {
  EV_KIND, EV_CPU, EV_WHEN_NAPPING, EV_WORDS, SY_ADDR, SY_SIZE, SY_HAS_CPU, SY_CPU, SY_WORDS,
  TI_MUSTHALT, TI_WORDS, OUT_OK, OUT_LOCKUP, OUT_LOST,
} from './abi';
import { rngBelow } from './rng';
import {
  gPower, powerEnumerate, powerActionEnabled, powerApplyStep, powerApplyAction, normalize, atAwait,
} from './power';

// ---- machine configuration, set by loadImage() ----
/** the state block being stepped */
export let gS: usize = 0;
/** block-class table of the current memory model (gBlkSc or gBlkTso) */
export let gBlk: usize = 0;
export let gTso: bool = false;
export let gVecSR: i32 = -1;
export let gVecExt: i32 = -1;
export let gVecDec: i32 = -1;
export let gVecDb: i32 = -1;
/** does any instruction arm the decrementer (`mtspr DEC`)? If not, no fire-decrementer action exists */
export let gHasDec: bool = false;
/** does any instruction take a reservation (`lwarx`)? If not, stores need not clear any */
export let gHasResv: bool = false;

// ---- per-trial counters (not part of the state key) ----
export let gSteps: i32 = 0;
export let gSyncs: i32 = 0;
export let gWakeups: i32 = 0;
export let gWake0: i32 = 0;
export let gWake1: i32 = 0;
export let gWake2: i32 = 0;

// ---- the end of a step ----
/** set by a failing assert */
export let gAssertFailed: bool = false;
export let gAssertCpu: i32 = 0;
export let gAssertPc: i32 = 0;
export let gAssertMsg: i32 = 0;

// ---- choose: where values come from ----
// @ts-ignore: decorator
@inline export const CHOOSE_RNG: i32 = 0;
// @ts-ignore: decorator
@inline export const CHOOSE_REPLAY: i32 = 1;
// @ts-ignore: decorator
@inline export const CHOOSE_GIVEN: i32 = 2;
export let gChooseMode: i32 = CHOOSE_RNG;
/** CHOOSE_GIVEN: the value to use; after any choose step: N of that step (0 if none) */
export let gChoice: i32 = 0;
export let gChooseN: i32 = 0;
/** replay schedule cursor (CHOOSE_REPLAY) */
export let gSchedPtr: usize = 0;
export let gSchedLen: i32 = 0;
export let gSchedPos: i32 = 0;
/** replay: decision index where the schedule diverged, or -1 */
export let gDiverged: i32 = -1;
/** recording: next free word of the schedule being recorded, and the end of its room */
export let gRecording: bool = false;
export let gRecPtr: usize = 0;
export let gRecEnd: usize = 0;
/** set when the schedule could not be recorded for want of memory */
export let gRecOverflow: bool = false;

export function setMachineConfig(tso: bool, blk: usize): void {
  gTso = tso;
  gBlk = blk;
}
export function setVectors(sr: i32, ext: i32, dec: i32, db: i32): void {
  gVecSR = sr;
  gVecExt = ext;
  gVecDec = dec;
  gVecDb = db;
}
export function setImageFlags(hasDec: bool, hasResv: bool): void {
  gHasDec = hasDec;
  gHasResv = hasResv;
}
export function setState(p: usize): void {
  gS = p;
}
export function setChooseMode(mode: i32, given: i32): void {
  gChooseMode = mode;
  gChoice = given;
}
export function setReplay(ptr: usize, len: i32): void {
  gSchedPtr = ptr;
  gSchedLen = len;
  gSchedPos = 0;
  gDiverged = -1;
}
export function setRecording(on: bool, ptr: usize, end: usize): void {
  gRecording = on;
  gRecPtr = ptr;
  gRecEnd = end;
  gRecOverflow = false;
}
export function setSteps(steps: i32): void {
  gSteps = steps;
}
/** Clear the per-step end flags (the explorer applies actions outside a trial). */
export function resetStepFlags(): void {
  gAssertFailed = false;
  gChooseN = 0;
}
export function resetTrialCounters(nCounters: i32): void {
  gSteps = 0;
  gSyncs = 0;
  gWakeups = 0;
  gWake0 = 0;
  gWake1 = 0;
  gWake2 = 0;
  gAssertFailed = false;
  gChooseN = 0;
  memory.fill(gCounters, 0, <usize>nCounters << 2);
  if (gPower) {
    // power: the start state was normalized at load, which may have counted (syncs, count)
    gSyncs = gStartSyncs;
    memory.copy(gCounters, gStartCounters, <usize>nCounters << 2);
  }
}

/** power: the syncs counted while normalizing the start state (its counters are at gStartCounters) */
let gStartSyncs: i32 = 0;
/** power: forget the previous image's start counts (loadImage, before normalizing the start state). */
export function clearStartCounts(nCounters: i32): void {
  gStartSyncs = 0;
  memory.fill(gStartCounters, 0, <usize>nCounters << 2);
}
/** power: remember the counts of the start state's normalization (loadImage). */
export function saveStartCounts(nCounters: i32): void {
  gStartSyncs = gSyncs;
  memory.copy(gStartCounters, gCounters, <usize>nCounters << 2);
}
/** power.ts counts committed syncs. */
export function addSyncs(k: i32): void {
  gSyncs += k;
}

// ---- state access ----
// @ts-ignore: decorator
@inline export function threadPtr(t: i32): usize {
  return gS + <usize>t * gStrideB;
}
// @ts-ignore: decorator
@inline function gpr(p: usize, r: i32): i32 {
  return load<i32>(p + (<usize>r << 2), (T_GPR << 2));
}
// @ts-ignore: decorator
@inline function setGpr(p: usize, r: i32, v: i32): void {
  store<i32>(p + (<usize>r << 2), v, (T_GPR << 2));
}
/** (rA|0): 0 for register field 0 */
// @ts-ignore: decorator
@inline function base0(p: usize, r: i32): i32 {
  return r == 0 ? 0 : gpr(p, r);
}
// @ts-ignore: decorator
@inline function setCr(p: usize, f: i32, v: i32): void {
  store<i32>(p + (<usize>f << 2), v, (T_CR << 2));
}
// @ts-ignore: decorator
@inline function cr(p: usize, f: i32): i32 {
  return load<i32>(p + (<usize>f << 2), (T_CR << 2));
}
// @ts-ignore: decorator
@inline export function memPtr(ea: i32): usize {
  return gS + gMemOffB + (<usize>ea << 2);
}
// @ts-ignore: decorator
@inline function validEa(ea: i32): bool {
  return ea >= 1 && ea < gMemSize;
}
// @ts-ignore: decorator
@inline function scmp(x: i32, y: i32): i32 {
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}
// @ts-ignore: decorator
@inline function ucmp(x: u32, y: u32): i32 {
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}
// @ts-ignore: decorator
@inline export function lostReasonPtr(t: i32): usize {
  return gS + gLostOffB + (<usize>t << 2);
}
// @ts-ignore: decorator
@inline function makeLost(p: usize, t: i32, reason: i32): void {
  store<i32>(p, STATUS_LOST, (T_STATUS << 2));
  store<i32>(lostReasonPtr(t), reason);
}

/** View read: the thread's newest buffered store to `ea` (tso), else memory. */
// @ts-ignore: decorator
@inline function viewRead(p: usize, ea: i32): i32 {
  if (gTso) {
    let i = load<i32>(p, (T_SB_LEN << 2));
    while (i > 0) {
      i--;
      const e = p + (<usize>i << 3);
      if (load<i32>(e, (T_SB << 2)) == ea) return load<i32>(e, ((T_SB + 1) << 2));
    }
  }
  return load<i32>(memPtr(ea));
}

/** Clear every other thread's reservation on `ea` (resvAddr stays, SEMANTICS.md 10.4). */
function clearOtherResv(t: i32, ea: i32): void {
  for (let u = 0; u < gN; u++) {
    if (u == t) continue;
    const q = threadPtr(u);
    if (load<i32>(q, (T_RESV << 2)) != 0 && load<i32>(q, (T_RESV_ADDR << 2)) == ea) store<i32>(q, 0, (T_RESV << 2));
  }
}

/** A store by thread t (its step is enabled, so under tso the buffer has room). */
// @ts-ignore: decorator
@inline function doStore(p: usize, t: i32, ea: i32, v: i32): void {
  if (gTso) {
    const len = load<i32>(p, (T_SB_LEN << 2));
    const e = p + (<usize>len << 3);
    store<i32>(e, ea, (T_SB << 2));
    store<i32>(e, v, ((T_SB + 1) << 2));
    store<i32>(p, len + 1, (T_SB_LEN << 2));
  } else {
    store<i32>(memPtr(ea), v);
    gMemWritten = true;
    if (gHasResv) clearOtherResv(t, ea);
  }
}

// @ts-ignore: decorator
@inline function wakeMask(lpcr: i32): i32 {
  return ((lpcr & LPCR_PECEDH) != 0 ? PEND_DBELL : 0) |
    ((lpcr & LPCR_PECE0) != 0 ? PEND_EXT : 0) |
    ((lpcr & LPCR_PECE1) != 0 ? PEND_DEC : 0);
}

/** Is `step t` enabled (SEMANTICS.md section 3)? `p` is the thread's block. */
// @ts-ignore: decorator
@inline function stepEnabledAt(p: usize): bool {
  const status = load<i32>(p, (T_STATUS << 2));
  if (status == STATUS_RUNNING) {
    if (load<i32>(p, (T_PENDING << 2)) != 0 && load<i32>(p, (T_EE << 2)) != 0) return true;
    const pc = load<i32>(p, (T_PC << 2));
    if (<u32>pc >= <u32>gNInstr) return true;
    const blk = load<u8>(gBlk + <usize>pc);
    if (blk == BLK_NEVER) return true;
    return blockedStepEnabled(p, pc, blk);
  }
  if (status == STATUS_NAPPING) {
    return (load<i32>(p, (T_PENDING << 2)) & wakeMask(load<i32>(p, (T_LPCR << 2)))) != 0;
  }
  return false;
}

/** The rarer half of stepEnabledAt: instructions that may wait (stores, barriers, awaits). */
function blockedStepEnabled(p: usize, pc: i32, blk: u8): bool {
  if (blk == BLK_STORE) return load<i32>(p, (T_SB_LEN << 2)) < gSbCap;
  if (blk == BLK_DRAINED) return load<i32>(p, (T_SB_LEN << 2)) == 0;
  // await.eq / await.ne: D(rA) in c / b, imm in a
  const ip = gCode + (<usize>pc << 4);
  const ea = base0(p, load<i32>(ip, 8)) + load<i32>(ip, 12);
  if (!validEa(ea)) return true; // stepping it makes the thread LOST (10.2)
  const v = viewRead(p, ea);
  const imm = load<i32>(ip, 4);
  return blk == BLK_AWAIT_EQ ? v == imm : v != imm;
}

export function stepEnabled(t: i32): bool {
  return stepEnabledAt(threadPtr(t));
}

/**
 * List the enabled actions in canonical order (section 2) at `list`; returns how many. One pass
 * over the thread blocks collects the steps and (as a bit mask) the drains.
 */
export function enumerate(list: usize): i32 {
  if (gPower) return powerEnumerate(list);
  let k = 0;
  const n = gN;
  let drains: u64 = 0;
  let p = gS;
  const stride = gStrideB;
  for (let t = 0; t < n; t++) {
    if (stepEnabledAt(p)) {
      store<i32>(list + (<usize>k << 2), t);
      k++;
    }
    if (load<i32>(p, (T_SB_LEN << 2)) != 0) drains |= (<u64>1) << <u64>t;
    p += stride;
  }
  while (drains != 0) {
    store<i32>(list + (<usize>k << 2), n + <i32>ctz<u64>(drains));
    k++;
    drains &= drains - 1;
  }
  if (gHasDec) {
    for (let t = 0; t < n; t++) {
      const q = threadPtr(t);
      if (load<i32>(q, (T_DEC_ARMED << 2)) != 0 && load<i32>(q, (T_STATUS << 2)) <= STATUS_NAPPING) {
        store<i32>(list + (<usize>k << 2), 2 * n + t);
        k++;
      }
    }
  }
  const m = gNEvents;
  for (let e = 0; e < m; e++) {
    if (load<i32>(gS + gBudgetOffB + (<usize>e << 2)) > 0) {
      const ev = gEventTab + <usize>e * (EV_WORDS << 2);
      const st = load<i32>(threadPtr(load<i32>(ev, (EV_CPU << 2))), (T_STATUS << 2));
      if (st <= STATUS_NAPPING && (load<i32>(ev, (EV_WHEN_NAPPING << 2)) == 0 || st == STATUS_NAPPING)) {
        store<i32>(list + (<usize>k << 2), 3 * n + e);
        k++;
      }
    }
  }
  return k;
}

// ---- incremental enabled sets (the uniform scheduler's fast path) ----
//
// Instead of listing the enabled actions from scratch after every action (enumerate), the uniform
// loop keeps them as bit masks over threads (n <= MAX_THREADS = 64) and after an action re-checks
// only the threads whose enabledness it can have changed:
//   * the thread that stepped, drained or got its decrementer fired (its own state changed);
//   * a msgsnd / ipi target (its pending bits changed), an event's target;
//   * when memory was written (sc store, stwcx., drain): the threads waiting at an await, the only
//     ones whose enabledness depends on memory written by someone else.
// Event actions are few and listed afresh at each point. The canonical order (steps, drains,
// decrementers, events) is preserved, so the k-th enabled action is the same as in enumerate().
// test/diff.test.ts holds this path to the reference engine trial by trial.

/** threads whose step / drain / fire-decrementer action is enabled */
export let gStepMask: u64 = 0;
export let gDrainMask: u64 = 0;
export let gDecMask: u64 = 0;
/** enabled events (images with at most 64 events; more are listed afresh at each point) */
export let gEventMask: u64 = 0;
export let gEventsInMask: bool = false;
/** threads some event targets: an event's enabledness changes only when its target does */
let gEventTargets: u64 = 0;
/** RUNNING threads at an await instruction */
let gAwaitMask: u64 = 0;
/** threads to re-check after the current action, and whether it wrote memory */
export let gDirty: u64 = 0;
export let gMemWritten: bool = false;

/** Re-check thread t's bits in the masks. */
function refreshThread(t: i32): void {
  const p = threadPtr(t);
  const bit = (<u64>1) << <u64>t;
  const keep = ~bit;
  const status = load<i32>(p, (T_STATUS << 2));
  gStepMask = (gStepMask & keep) | select<u64>(bit, 0, stepEnabledAt(p));
  let awaiting = false;
  if (status == STATUS_RUNNING) {
    const pc = load<i32>(p, (T_PC << 2));
    if (<u32>pc < <u32>gNInstr) awaiting = load<u8>(gBlk + <usize>pc) >= BLK_AWAIT_EQ;
  }
  gAwaitMask = (gAwaitMask & keep) | select<u64>(bit, 0, awaiting);
  gDrainMask = (gDrainMask & keep) | select<u64>(bit, 0, load<i32>(p, (T_SB_LEN << 2)) != 0);
  const armed = load<i32>(p, (T_DEC_ARMED << 2)) != 0 && status <= STATUS_NAPPING;
  gDecMask = (gDecMask & keep) | select<u64>(bit, 0, armed);
}

/** Is event e enabled (budget left, target running or napping, napping if it must be)? */
// @ts-ignore: decorator
@inline function eventEnabled(e: i32): bool {
  if (load<i32>(gS + gBudgetOffB + (<usize>e << 2)) <= 0) return false;
  const ev = gEventTab + <usize>e * (EV_WORDS << 2);
  const st = load<i32>(threadPtr(load<i32>(ev, (EV_CPU << 2))), (T_STATUS << 2));
  return st <= STATUS_NAPPING && (load<i32>(ev, (EV_WHEN_NAPPING << 2)) == 0 || st == STATUS_NAPPING);
}

function refreshEvents(): void {
  let m: u64 = 0;
  for (let e = 0; e < gNEvents; e++) if (eventEnabled(e)) m |= (<u64>1) << <u64>e;
  gEventMask = m;
}

/** Compute every mask from scratch (start of a trial). */
export function initMasks(): void {
  gStepMask = 0;
  gDrainMask = 0;
  gDecMask = 0;
  gAwaitMask = 0;
  // other schedulers (replay, explore) leave marks behind; they may name threads of another image
  gDirty = 0;
  gMemWritten = false;
  for (let t = 0; t < gN; t++) refreshThread(t);
  gEventsInMask = gNEvents <= 64;
  gEventTargets = 0;
  gEventMask = 0;
  if (gEventsInMask) {
    for (let e = 0; e < gNEvents; e++) {
      gEventTargets |= (<u64>1) << <u64>load<i32>(gEventTab + <usize>e * (EV_WORDS << 2), (EV_CPU << 2));
    }
    refreshEvents();
  }
}

// the masks of the start state, computed once per batch (every uniform trial starts there)
let gStartStepMask: u64 = 0;
let gStartDrainMask: u64 = 0;
let gStartDecMask: u64 = 0;
let gStartAwaitMask: u64 = 0;
let gStartEventMask: u64 = 0;

/** Compute the masks of the state at gS (the start state) and remember them. */
export function saveStartMasks(): void {
  initMasks();
  gStartStepMask = gStepMask;
  gStartDrainMask = gDrainMask;
  gStartDecMask = gDecMask;
  gStartAwaitMask = gAwaitMask;
  gStartEventMask = gEventMask;
}

/** The masks of the start state (after saveStartMasks), for a trial that starts there. */
export function restoreStartMasks(): void {
  gStepMask = gStartStepMask;
  gDrainMask = gStartDrainMask;
  gDecMask = gStartDecMask;
  gAwaitMask = gStartAwaitMask;
  gEventMask = gStartEventMask;
  gDirty = 0;
  gMemWritten = false;
}

/** Re-check what the last action can have changed (see above). */
export function refreshMasks(): void {
  let d = gDirty;
  if (gMemWritten) d |= gAwaitMask;
  if ((d & gEventTargets) != 0) refreshEvents();
  while (d != 0) {
    refreshThread(<i32>ctz<u64>(d));
    d &= d - 1;
  }
  gDirty = 0;
  gMemWritten = false;
}

/** List the enabled events at `list`; returns how many (images with more than 64 events). */
export function enabledEvents(list: usize): i32 {
  let k = 0;
  for (let e = 0; e < gNEvents; e++) {
    if (eventEnabled(e)) {
      store<i32>(list + (<usize>k << 2), 3 * gN + e);
      k++;
    }
  }
  return k;
}

/** The index of the k-th set bit of m (k < popcnt(m)). */
// @ts-ignore: decorator
@inline export function nthBit(m: u64, k: i32): i32 {
  while (k > 0) {
    m &= m - 1;
    k--;
  }
  return <i32>ctz<u64>(m);
}

/** Thread t must be re-checked after the current action. */
// @ts-ignore: decorator
@inline export function markDirty(t: i32): void {
  gDirty |= (<u64>1) << <u64>t;
}

/** Mark what action `a` changes directly (the thread it acts on); apply() adds the rest. */
export function markActed(a: i32): void {
  const n = gN;
  let t = a;
  if (a >= 3 * n) t = load<i32>(gEventTab + <usize>(a - 3 * n) * (EV_WORDS << 2), (EV_CPU << 2));
  else if (a >= 2 * n) t = a - 2 * n;
  else if (a >= n) t = a - n;
  gDirty |= (<u64>1) << <u64>t;
}

/** Is action `a` enabled? (replay checks each decision with this) */
export function actionEnabled(a: i32): bool {
  if (gPower) return powerActionEnabled(a, gActs2);
  const n = gN;
  if (a < 0 || a >= 3 * n + gNEvents) return false;
  if (a < n) return stepEnabled(a);
  if (a < 2 * n) return gTso && load<i32>(threadPtr(a - n), (T_SB_LEN << 2)) != 0;
  if (a < 3 * n) {
    const p = threadPtr(a - 2 * n);
    return load<i32>(p, (T_DEC_ARMED << 2)) != 0 && load<i32>(p, (T_STATUS << 2)) <= STATUS_NAPPING;
  }
  const e = a - 3 * n;
  if (load<i32>(gS + gBudgetOffB + (<usize>e << 2)) <= 0) return false;
  const ev = gEventTab + <usize>e * (EV_WORDS << 2);
  const st = load<i32>(threadPtr(load<i32>(ev, (EV_CPU << 2))), (T_STATUS << 2));
  return st <= STATUS_NAPPING && (load<i32>(ev, (EV_WHEN_NAPPING << 2)) == 0 || st == STATUS_NAPPING);
}

/** Append a decision to the schedule being recorded. */
// @ts-ignore: decorator
@inline export function recordDecision(v: i32): void {
  if (gRecording) {
    if (gRecPtr >= gRecEnd && !growRecording()) return;
    store<i32>(gRecPtr, v);
    gRecPtr += 4;
  }
}

/** Make room for more recorded decisions; false (and gRecOverflow) when memory is exhausted. */
function growRecording(): bool {
  if (!ensure(<u64>gRecPtr + (1 << 20))) {
    gRecOverflow = true;
    return false;
  }
  gRecEnd = <usize>gMemEnd;
  return true;
}

/** The value of `choose rD,N`: drawn, replayed, or given (explore). */
function chooseValue(nChoices: i32): i32 {
  gChooseN = nChoices;
  let v: i32 = 0;
  if (gChooseMode == CHOOSE_RNG) {
    v = <i32>rngBelow(<u32>nChoices);
  } else if (gChooseMode == CHOOSE_REPLAY) {
    if (gSchedPos >= gSchedLen) {
      if (gDiverged < 0) gDiverged = gSchedLen;
      return 0;
    }
    v = load<i32>(gSchedPtr + (<usize>gSchedPos << 2));
    if (v < 0 || v >= nChoices) {
      if (gDiverged < 0) gDiverged = gSchedPos;
      return 0;
    }
    gSchedPos++;
  } else {
    v = gChoice;
  }
  recordDecision(v);
  return v;
}

/** Apply action `a` (known to be enabled). `gSteps` is the number of actions taken before it. */
export function apply(a: i32): void {
  const n = gN;
  if (a < n) {
    if (gPower) powerApplyStep(a);
    else execStep(a);
  } else if (a < 2 * n) {
    drain(a - n);
  } else if (a < 3 * n) {
    fireDec(a - 2 * n);
  } else if (a < 3 * n + gNEvents) {
    const e = a - 3 * n;
    const bp = gS + gBudgetOffB + (<usize>e << 2);
    store<i32>(bp, load<i32>(bp) - 1);
    const ev = gEventTab + <usize>e * (EV_WORDS << 2);
    const p = threadPtr(load<i32>(ev, (EV_CPU << 2)));
    store<i32>(p, load<i32>(p, (T_PENDING << 2)) | load<i32>(ev, (EV_KIND << 2)), (T_PENDING << 2));
  } else {
    powerApplyAction(a);
  }
  // power: every action is followed by the eager steps (SEMANTICS.md 13.4)
  if (gPower) normalize();
}

/** fire decrementer t: the decrementer interrupt becomes pending, the decrementer disarms. */
export function fireDec(t: i32): void {
  const p = threadPtr(t);
  store<i32>(p, load<i32>(p, (T_PENDING << 2)) | PEND_DEC, (T_PENDING << 2));
  store<i32>(p, 0, (T_DEC_ARMED << 2));
}

/** drain t: write the oldest buffered store to memory. */
export function drain(t: i32): void {
  const p = threadPtr(t);
  const len = load<i32>(p, (T_SB_LEN << 2));
  const ea = load<i32>(p, (T_SB << 2));
  store<i32>(memPtr(ea), load<i32>(p, ((T_SB + 1) << 2)));
  gMemWritten = true;
  if (gHasResv) clearOtherResv(t, ea);
  // shift the FIFO down one entry and keep the vacated slot zero (the state key relies on it)
  const sb = p + (<usize>T_SB << 2);
  memory.copy(sb, sb + 8, <usize>(len - 1) << 3);
  store<i64>(sb + (<usize>(len - 1) << 3), 0);
  store<i32>(p, len - 1, (T_SB_LEN << 2));
}

/** step t (section 3): wake, take an interrupt, or execute the instruction at pc. */
export function execStep(t: i32): void {
  const p = threadPtr(t);
  const status = load<i32>(p, (T_STATUS << 2));
  const pend = load<i32>(p, (T_PENDING << 2));
  if (status == STATUS_NAPPING) {
    const wake = pend & wakeMask(load<i32>(p, (T_LPCR << 2)));
    if (gVecSR < 0) {
      makeLost(p, t, LOST_NO_VECTOR);
      return;
    }
    let code = SRR1_WAKEDEC;
    if ((wake & PEND_DBELL) != 0) {
      code = SRR1_WAKEHDBELL;
      gWake0++;
    } else if ((wake & PEND_EXT) != 0) {
      code = SRR1_WAKEEE;
      gWake1++;
    } else {
      gWake2++;
    }
    gWakeups++;
    store<i32>(p, code, (T_SRR1 << 2));
    store<i32>(p, 0, (T_SRR0 << 2));
    store<i32>(p, 0, (T_EE << 2));
    store<i32>(p, STATUS_RUNNING, (T_STATUS << 2));
    store<i32>(p, gVecSR, (T_PC << 2));
    return;
  }
  const pc = load<i32>(p, (T_PC << 2));
  if (pend != 0 && load<i32>(p, (T_EE << 2)) != 0) {
    let bit = PEND_DEC;
    let code = SRR1_WAKEDEC;
    let vec = gVecDec;
    if ((pend & PEND_DBELL) != 0) {
      bit = PEND_DBELL;
      code = SRR1_WAKEHDBELL;
      vec = gVecDb;
    } else if ((pend & PEND_EXT) != 0) {
      bit = PEND_EXT;
      code = SRR1_WAKEEE;
      vec = gVecExt;
    }
    if (vec < 0) {
      makeLost(p, t, LOST_NO_VECTOR);
      return;
    }
    store<i32>(p, pc, (T_SRR0 << 2));
    store<i32>(p, code, (T_SRR1 << 2));
    store<i32>(p, 0, (T_EE << 2));
    store<i32>(p, pend & ~bit, (T_PENDING << 2));
    store<i32>(p, vec, (T_PC << 2));
    return;
  }
  if (<u32>pc >= <u32>gNInstr) {
    makeLost(p, t, LOST_BAD_JUMP);
    return;
  }
  execInstr(t, pc);
}

/** Execute the instruction at `pc` (in the code) of running thread t (section 4); power.ts retires with it. */
export function execInstr(t: i32, pc: i32): void {
  const p = threadPtr(t);
  const ip = gCode + (<usize>pc << 4);
  const op = load<i32>(ip);
  const a = load<i32>(ip, 4);
  const b = load<i32>(ip, 8);
  const c = load<i32>(ip, 12);
  let npc = pc + 1;
  switch (op) {
    case OP_NOP:
    case OP_MARK:
    case OP_WORK:
    case OP_LWSYNC:
    case OP_ISYNC:
      break;
    case OP_LI:
      setGpr(p, a, c);
      break;
    case OP_LIS:
      setGpr(p, a, c << 16);
      break;
    case OP_LA:
    case OP_ADDI:
      setGpr(p, a, base0(p, b) + c);
      break;
    case OP_ADDIS:
      setGpr(p, a, base0(p, b) + (c << 16));
      break;
    case OP_MR:
      setGpr(p, a, gpr(p, b));
      break;
    case OP_ADD:
      setGpr(p, a, gpr(p, b) + gpr(p, c));
      break;
    case OP_SUBF:
      setGpr(p, a, gpr(p, c) - gpr(p, b));
      break;
    case OP_NEG:
      setGpr(p, a, 0 - gpr(p, b));
      break;
    case OP_AND:
      setGpr(p, a, gpr(p, b) & gpr(p, c));
      break;
    case OP_ANDC:
      setGpr(p, a, gpr(p, b) & ~gpr(p, c));
      break;
    case OP_OR:
      setGpr(p, a, gpr(p, b) | gpr(p, c));
      break;
    case OP_XOR:
      setGpr(p, a, gpr(p, b) ^ gpr(p, c));
      break;
    case OP_ORI:
      setGpr(p, a, gpr(p, b) | (c & 0xffff));
      break;
    case OP_XORI:
      setGpr(p, a, gpr(p, b) ^ (c & 0xffff));
      break;
    case OP_ANDI_: {
      const v = gpr(p, b) & (c & 0xffff);
      setGpr(p, a, v);
      setCr(p, 0, scmp(v, 0));
      break;
    }
    case OP_SLW: {
      const sh = gpr(p, c) & 63;
      setGpr(p, a, sh >= 32 ? 0 : gpr(p, b) << sh);
      break;
    }
    case OP_SRW: {
      const sh = gpr(p, c) & 63;
      setGpr(p, a, sh >= 32 ? 0 : <i32>(<u32>gpr(p, b) >>> sh));
      break;
    }
    case OP_MULLI:
      setGpr(p, a, gpr(p, b) * c);
      break;
    case OP_MULLW:
      setGpr(p, a, gpr(p, b) * gpr(p, c));
      break;
    case OP_CMPW:
      setCr(p, a, scmp(gpr(p, b), gpr(p, c)));
      break;
    case OP_CMPWI:
      setCr(p, a, scmp(gpr(p, b), c));
      break;
    case OP_CMPLW:
      setCr(p, a, ucmp(<u32>gpr(p, b), <u32>gpr(p, c)));
      break;
    case OP_CMPLWI:
      setCr(p, a, ucmp(<u32>gpr(p, b), <u32>c));
      break;
    case OP_B:
      npc = b;
      break;
    case OP_BL:
      store<i32>(p, pc + 1, (T_LR << 2));
      npc = b;
      break;
    case OP_BLR:
      npc = load<i32>(p, (T_LR << 2));
      break;
    case OP_BEQ:
      if ((cr(p, a) & CR_EQ) != 0) npc = b;
      break;
    case OP_BNE:
      if ((cr(p, a) & CR_EQ) == 0) npc = b;
      break;
    case OP_BLT:
      if ((cr(p, a) & CR_LT) != 0) npc = b;
      break;
    case OP_BGT:
      if ((cr(p, a) & CR_GT) != 0) npc = b;
      break;
    case OP_BLE:
      if ((cr(p, a) & CR_GT) == 0) npc = b;
      break;
    case OP_BGE:
      if ((cr(p, a) & CR_LT) == 0) npc = b;
      break;
    case OP_MTCTR:
      store<i32>(p, gpr(p, a), (T_CTR << 2));
      break;
    case OP_MFCTR:
      setGpr(p, a, load<i32>(p, (T_CTR << 2)));
      break;
    case OP_BCTR:
      npc = load<i32>(p, (T_CTR << 2));
      break;
    case OP_BCTRL:
      store<i32>(p, pc + 1, (T_LR << 2));
      npc = load<i32>(p, (T_CTR << 2));
      break;
    case OP_MFLR:
      setGpr(p, a, load<i32>(p, (T_LR << 2)));
      break;
    case OP_MTLR:
      store<i32>(p, gpr(p, a), (T_LR << 2));
      break;
    case OP_BDNZ: {
      const ctr = load<i32>(p, (T_CTR << 2)) - 1;
      store<i32>(p, ctr, (T_CTR << 2));
      if (ctr != 0) npc = b;
      break;
    }
    case OP_LWZ: {
      const ea = base0(p, b) + c;
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      setGpr(p, a, viewRead(p, ea));
      break;
    }
    case OP_LWZX: {
      const ea = base0(p, b) + gpr(p, c);
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      setGpr(p, a, viewRead(p, ea));
      break;
    }
    case OP_STW: {
      const ea = base0(p, b) + c;
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      doStore(p, t, ea, gpr(p, a));
      break;
    }
    case OP_STWX: {
      const ea = base0(p, b) + gpr(p, c);
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      doStore(p, t, ea, gpr(p, a));
      break;
    }
    case OP_STWU: {
      const ea = gpr(p, b) + c;
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      doStore(p, t, ea, gpr(p, a));
      setGpr(p, b, ea);
      break;
    }
    case OP_LWARX: {
      const ea = base0(p, b) + gpr(p, c);
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      setGpr(p, a, load<i32>(memPtr(ea)));
      store<i32>(p, 1, (T_RESV << 2));
      store<i32>(p, ea, (T_RESV_ADDR << 2));
      break;
    }
    case OP_STWCX_: {
      const ea = base0(p, b) + gpr(p, c);
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      if (load<i32>(p, (T_RESV << 2)) != 0 && load<i32>(p, (T_RESV_ADDR << 2)) == ea) {
        store<i32>(memPtr(ea), gpr(p, a));
        gMemWritten = true;
        clearOtherResv(t, ea);
        setCr(p, 0, CR_EQ);
      } else {
        setCr(p, 0, 0);
      }
      store<i32>(p, 0, (T_RESV << 2));
      break;
    }
    case OP_SYNC:
      gSyncs++;
      break;
    case OP_NAP:
      store<i32>(p, STATUS_NAPPING, (T_STATUS << 2));
      break;
    case OP_MSGSND:
    case OP_IPI: {
      const target = gpr(p, a);
      if (<u32>target >= <u32>gN) {
        makeLost(p, t, LOST_BAD_CPU);
        return;
      }
      const q = threadPtr(target);
      store<i32>(q, load<i32>(q, (T_PENDING << 2)) | (op == OP_MSGSND ? PEND_DBELL : PEND_EXT), (T_PENDING << 2));
      gDirty |= (<u64>1) << <u64>target;
      break;
    }
    case OP_MSGCLR:
      store<i32>(p, load<i32>(p, (T_PENDING << 2)) & ~PEND_DBELL, (T_PENDING << 2));
      break;
    case OP_EOI:
      store<i32>(p, load<i32>(p, (T_PENDING << 2)) & ~PEND_EXT, (T_PENDING << 2));
      break;
    case OP_WRTEEI:
      store<i32>(p, a & 1, (T_EE << 2));
      break;
    case OP_MTMSRD:
      store<i32>(p, (gpr(p, a) & MSR_EE) != 0 ? 1 : 0, (T_EE << 2));
      break;
    case OP_MFMSR:
      setGpr(p, a, load<i32>(p, (T_EE << 2)) != 0 ? MSR_EE : 0);
      break;
    case OP_RFID:
      npc = load<i32>(p, (T_SRR0 << 2));
      store<i32>(p, 1, (T_EE << 2));
      break;
    case OP_MFSPR:
      setGpr(p, a, readSpr(p, t, b));
      break;
    case OP_MTSPR:
      writeSpr(p, b, gpr(p, a));
      break;
    case OP_MFTB:
      setGpr(p, a, gSteps);
      break;
    case OP_AWAIT_EQ:
    case OP_AWAIT_NE: {
      const ea = base0(p, b) + c;
      if (!validEa(ea)) {
        makeLost(p, t, LOST_BAD_ADDRESS);
        return;
      }
      break;
    }
    case OP_HALT:
      store<i32>(p, STATUS_HALTED, (T_STATUS << 2));
      break;
    case OP_LOST:
      makeLost(p, t, a);
      break;
    case OP_ASSERT_EQ:
    case OP_ASSERT_NE: {
      const eq = gpr(p, a) == b;
      if (eq != (op == OP_ASSERT_EQ)) {
        gAssertFailed = true;
        gAssertCpu = t;
        gAssertPc = pc;
        gAssertMsg = c;
        return;
      }
      break;
    }
    case OP_COUNT: {
      const cp = gCounters + (<usize>a << 2);
      store<i32>(cp, load<i32>(cp) + 1);
      break;
    }
    case OP_CHOOSE:
      setGpr(p, a, chooseValue(b));
      break;
    default:
      // loadImage() refuses unknown opcodes, so this cannot happen
      unreachable();
  }
  store<i32>(p, npc, (T_PC << 2));
}

function readSpr(p: usize, t: i32, spr: i32): i32 {
  switch (spr) {
    case SPR_DEC:
      return load<i32>(p, (T_DEC << 2));
    case SPR_SRR0:
      return load<i32>(p, (T_SRR0 << 2));
    case SPR_SRR1:
      return load<i32>(p, (T_SRR1 << 2));
    case SPR_LPCR:
      return load<i32>(p, (T_LPCR << 2));
    case SPR_LPID:
      return load<i32>(p, (T_LPID << 2));
    case SPR_PIR:
      return t;
    case SPR_LR:
      return load<i32>(p, (T_LR << 2));
    case SPR_CTR:
      return load<i32>(p, (T_CTR << 2));
    default:
      return 0;
  }
}

function writeSpr(p: usize, spr: i32, v: i32): void {
  switch (spr) {
    case SPR_DEC:
      store<i32>(p, v, (T_DEC << 2));
      store<i32>(p, v != DEC_DISARMED ? 1 : 0, (T_DEC_ARMED << 2));
      break;
    case SPR_SRR0:
      store<i32>(p, v, (T_SRR0 << 2));
      break;
    case SPR_SRR1:
      store<i32>(p, v, (T_SRR1 << 2));
      break;
    case SPR_LPCR:
      store<i32>(p, v, (T_LPCR << 2));
      break;
    case SPR_LPID:
      store<i32>(p, v, (T_LPID << 2));
      break;
    case SPR_LR:
      store<i32>(p, v, (T_LR << 2));
      break;
    case SPR_CTR:
      store<i32>(p, v, (T_CTR << 2));
      break;
    default:
      // PIR is read-only; unknown SPRs ignore writes (10.5)
      break;
  }
}

// ---- terminal classification (section 6) ----
export let gDetailCpu: i32 = 0;
export let gDetailArg: i32 = 0;
export let gDetailText: i32 = 0;
/** stuck cpus (ascending, distinct) at gScratch, and how many */
export let gNStuck: i32 = 0;

function addStuck(cpu: i32): void {
  // insertion into the ascending distinct list at gScratch
  let i = 0;
  while (i < gNStuck && load<i32>(gScratch + (<usize>i << 2)) < cpu) i++;
  if (i < gNStuck && load<i32>(gScratch + (<usize>i << 2)) == cpu) return;
  for (let j = gNStuck; j > i; j--) store<i32>(gScratch + (<usize>j << 2), load<i32>(gScratch + (<usize>(j - 1) << 2)));
  store<i32>(gScratch + (<usize>i << 2), cpu);
  gNStuck++;
}

/** Owner cpu of a cell: the first symbol containing it that has a cpu (10.10), or -1 meaning none. */
function ownerOf(ea: i32, found: usize): bool {
  for (let s = 0; s < gNSymbols; s++) {
    const sp = gSymTab + <usize>s * (SY_WORDS << 2);
    if (load<i32>(sp, (SY_HAS_CPU << 2)) == 0) continue;
    const lo = <i64>load<i32>(sp, (SY_ADDR << 2));
    const hi = lo + <i64>load<i32>(sp, (SY_SIZE << 2));
    if (<i64>ea >= lo && <i64>ea < hi) {
      store<i32>(found, load<i32>(sp, (SY_CPU << 2)));
      return true;
    }
  }
  return false;
}

/** Classify a state in which no action is enabled; fills gDetail* and the stuck list. */
export function classify(): i32 {
  gNStuck = 0;
  const n = gN;
  let waiting = -1;
  for (let t = 0; t < n; t++) {
    // (under sc and tso a RUNNING thread with nothing enabled is always at an await; under power
    // it may be stuck with instructions in flight, which is not waiting: section 6 rule 1)
    if (load<i32>(threadPtr(t), (T_STATUS << 2)) == STATUS_RUNNING && (!gPower || atAwait(t))) {
      waiting = t;
      break;
    }
  }
  if (waiting >= 0) {
    // rule 1: every RUNNING thread sits at a disabled await (buffers are empty when nothing is enabled)
    const found = gScratch + (<usize>n << 2); // second half of gScratch: one word
    for (let t = waiting; t < n; t++) {
      const p = threadPtr(t);
      if (load<i32>(p, (T_STATUS << 2)) != STATUS_RUNNING || (gPower && !atAwait(t))) continue;
      const pc = load<i32>(p, (T_PC << 2));
      const ip = gCode + (<usize>pc << 4);
      const ea = base0(p, load<i32>(ip, 8)) + load<i32>(ip, 12);
      if (ownerOf(ea, found)) addStuck(load<i32>(found));
    }
    if (gNStuck == 0) {
      for (let t = 0; t < n; t++) if (load<i32>(threadPtr(t), (T_STATUS << 2)) == STATUS_LOST) addStuck(t);
    }
    if (gNStuck == 0) {
      for (let t = 0; t < n; t++) if (load<i32>(threadPtr(t), (T_STATUS << 2)) == STATUS_NAPPING) addStuck(t);
    }
    gDetailCpu = waiting;
    gDetailArg = 0;
    gDetailText = 1;
    return OUT_LOCKUP;
  }
  for (let t = 0; t < n; t++) {
    if (load<i32>(threadPtr(t), (T_STATUS << 2)) == STATUS_LOST) {
      gDetailCpu = t;
      gDetailArg = load<i32>(lostReasonPtr(t));
      gDetailText = 0;
      return OUT_LOST;
    }
  }
  for (let t = 0; t < n; t++) {
    if (
      load<i32>(gThreadTab + <usize>t * (TI_WORDS << 2), (TI_MUSTHALT << 2)) != 0 &&
      load<i32>(threadPtr(t), (T_STATUS << 2)) != STATUS_HALTED
    ) {
      addStuck(t);
    }
  }
  if (gNStuck > 0) {
    gDetailCpu = -1;
    gDetailArg = 0;
    gDetailText = 3;
    return OUT_LOCKUP;
  }
  gDetailCpu = 0;
  gDetailArg = 0;
  gDetailText = 0;
  return OUT_OK;
}
