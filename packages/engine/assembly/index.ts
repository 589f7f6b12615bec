// The core's exports. Protocol (see abi.ts for the words and tables):
//
//   headerPtr()  -> where the header is
//   host writes the sizes into the header, then configure() -> 0 or an error code
//   host writes the tables at the H_P_* offsets, then loadImage() -> 0 or an error code
//   beginRun(replayLen) -> byte offset for the replay schedule (host writes it), or -1
//   runBatch(...) -> next trial index, or -1 on error; aggregates and records in the header
//   explore(model) -> 0 or an error code; results in the header
//   shortest(model, reduce, maxStates) -> 0 or an error code; the shortest violation in the header (shortest.ts)
//
// `configure(model)` fixes the memory model (MODEL_SC 0, MODEL_TSO 1, MODEL_POWER 2): power's state
// block and start state differ from sc/tso's, so runBatch/explore/shortest must name the same family.
//
// loadImage() re-checks everything the core will ever index with (opcodes, register and cr fields,
// branch targets, string and counter indices, thread, vector, event and observation fields), so a
// malformed image that bypassed the host's validateImage() is refused, never run: after loadImage(), the
// only run-time checks left are the ones the semantics asks for (data addresses, jump targets,
// msgsnd targets).

import {
  H_NTHREADS, H_NINSTR, H_MEMSIZE, H_NINIT, H_NSYMBOLS, H_NEVENTS, H_NOBSERVE, H_NCOUNTERS,
  H_NSTRINGS, H_SBCAP, H_MAXSTEPS, H_MAXSTATES_F64, H_VEC_SR, H_VEC_EXT, H_VEC_DEC, H_VEC_DB,
  H_VERSION, H_P_CODE, H_P_THREADS, H_P_INIT, H_P_SYMBOLS, H_P_EVENTS, H_P_OBSERVE, TI_PC, TI_STATUS,
  TI_EE, TI_LPCR, TI_LPID, TI_PENDING, TI_MUSTHALT, TI_REGS, TI_WORDS, EV_KIND, EV_CPU, EV_COUNT,
  EV_WHEN_NAPPING, EV_WORDS, OB_KIND, OB_A, OB_B, OB_WORDS, OB_REG, OB_MEM, E_OK, E_SIZES,
  E_OUT_OF_MEMORY, E_VERSION, E_OPCODE, E_OPERAND, E_THREAD, E_VECTOR, E_MEM_INIT, E_EVENT,
  E_OBSERVE, E_NOT_LOADED, E_ARGS, SCHED_UNIFORM, SCHED_REPLAY, SCHED_PCT, SCHED_TIMED, RECORD_NONE,
  RECORD_ALL, MODEL_SC, MODEL_TSO, MODEL_POWER,
} from './abi';
import { rngReset, rngNext, rngBelow, rngInit } from './rng';
import {
  OP_AWAIT_EQ, OP_AWAIT_NE, OP_STW, OP_STWX, OP_STWU, OP_LWARX, OP_STWCX_, OP_SYNC, OP_NAP, OP_MTSPR,
  OP_CHOOSE, SPR_DEC, IMAGE_VERSION, MAX_THREADS, MAX_MEMORY, MAX_CODE, DEC_DISARMED, FK_REG, FK_CRF,
  FK_TARGET, FK_STR, FK_COUNTER, opFieldKinds, opLocalClass, OP_ASSERT_EQ, OP_ASSERT_NE, OP_MSGSND, OP_IPI, OP_MFTB,
} from './opcodes.generated';
import { setReductionFacts, setReduce } from './reduce';
import {
  gHeader, gCode, gThreadTab, gInitTab, gSymTab, gEventTab, gObsTab, gBlkSc, gBlkTso, gLocSc, gLocTso, gStart,
  gStateBytes, gStrideB, gMemOffB, gBudgetOffB, gN, gNInstr, gMemSize, gNInit, gNEvents, gNObserve,
  gNCounters, gNStrings, hdr, setHdr, initHeader, setSizes, layoutRegions, alloc, resetDynamic,
  T_PC, T_STATUS, T_GPR, T_LPCR, T_LPID, T_DEC, T_EE, T_PENDING, BLK_NEVER, BLK_STORE, BLK_DRAINED,
  BLK_AWAIT_EQ, BLK_AWAIT_NE, gBump, gFootTab,
} from './layout';
import { setMachineConfig, setVectors, setImageFlags, setReplay, setState, resetTrialCounters, saveStartCounts, clearStartCounts } from './machine';
import { gPower, setPower, initPowerTables, powerInitState, gFootEscape, gFootReason, setFootprintMode, FOOT_OFF } from './power';
export { setFootprintMode } from './power';
import { runTrialsImpl, setRecordBase, setMaxSteps, gMaxSteps } from './batch';
import { timedSetup } from './timed';

/** beginTimed() has set up the timed scheduler for this run */
let gTimedReady: bool = false;
import { exploreImpl, resumeBeginImpl } from './explore';
export {
  setCheckpointEvery, checkpointInfo, exploreResumeInsert, exploreResumeFinish,
} from './explore';
export { setPct } from './pct';
import { pctReady } from './pct';
import { shortestImpl } from './shortest';
import { setError } from './errors';

let gConfigured: bool = false;
let gLoaded: bool = false;
let gMaxStatesF: f64 = 0;

/** Byte offset of the footprint bitmap (power only, after configure(); the host fills it and calls
 *  setFootprintMode(2) before loadImage(), which normalizes the start state), or 0. */
export function footprintPtr(): usize {
  return gFootTab;
}

/** The first escape from the footprint (1 + thread * memSize + cell), or 0. */
export function footprintEscape(): i32 {
  return gFootEscape;
}

/** Why (power.ts): 0 an access outside, 1 the event table, 2 a held acknowledgement an interrupt could tell. */
export function footprintEscapeReason(): i32 {
  return gFootReason;
}

/** Byte offset of the header (abi.ts). */
export function headerPtr(): usize {
  initHeader();
  rngInit();
  return gHeader;
}

/**
 * Lay out memory for the sizes in the header, for memory model `model` (MODEL_*: the state block
 * of `power` is larger, and its start state differs); returns 0 or an error code.
 */
export function configure(model: i32): i32 {
  initHeader();
  rngInit();
  gConfigured = false;
  gLoaded = false;
  setError(E_OK, 0);
  if (model < MODEL_SC || model > MODEL_POWER) return err(E_ARGS, 0);
  setPower(model == MODEL_POWER);
  setFootprintMode(FOOT_OFF);
  if (hdr(H_VERSION) != IMAGE_VERSION) return err(E_VERSION, hdr(H_VERSION));
  const n = hdr(H_NTHREADS);
  const nInstr = hdr(H_NINSTR);
  const memSize = hdr(H_MEMSIZE);
  const nInit = hdr(H_NINIT);
  const nSym = hdr(H_NSYMBOLS);
  const nEv = hdr(H_NEVENTS);
  const nObs = hdr(H_NOBSERVE);
  const nC = hdr(H_NCOUNTERS);
  const nStr = hdr(H_NSTRINGS);
  const cap = hdr(H_SBCAP);
  const maxSteps = hdr(H_MAXSTEPS);
  const maxStates = load<f64>(gHeader + (<usize>H_MAXSTATES_F64 << 2));
  if (n < 1 || n > MAX_THREADS) return err(E_SIZES, H_NTHREADS);
  if (nInstr < 0 || nInstr > MAX_CODE) return err(E_SIZES, H_NINSTR);
  if (memSize < 1 || memSize > MAX_MEMORY) return err(E_SIZES, H_MEMSIZE);
  if (nInit < 0 || nInit > MAX_MEMORY) return err(E_SIZES, H_NINIT);
  if (nSym < 0 || nSym > MAX_MEMORY) return err(E_SIZES, H_NSYMBOLS);
  if (nEv < 0 || nEv > MAX_MEMORY) return err(E_SIZES, H_NEVENTS);
  if (nObs < 0 || nObs > MAX_MEMORY) return err(E_SIZES, H_NOBSERVE);
  if (nC < 0 || nC > MAX_MEMORY) return err(E_SIZES, H_NCOUNTERS);
  if (nStr < 0) return err(E_SIZES, H_NSTRINGS);
  if (cap < 1 || cap > 64) return err(E_SIZES, H_SBCAP);
  if (maxSteps < 1 || maxSteps > 1000000000) return err(E_SIZES, H_MAXSTEPS);
  if (!(maxStates >= 1)) return err(E_SIZES, H_MAXSTATES_F64);
  setSizes(n, nInstr, memSize, nInit, nSym, nEv, nObs, nC, nStr, cap);
  setMaxSteps(maxSteps);
  gMaxStatesF = maxStates;
  if (!layoutRegions()) return err(E_OUT_OF_MEMORY, 0);
  setHdr(H_P_CODE, <i32>gCode);
  setHdr(H_P_THREADS, <i32>gThreadTab);
  setHdr(H_P_INIT, <i32>gInitTab);
  setHdr(H_P_SYMBOLS, <i32>gSymTab);
  setHdr(H_P_EVENTS, <i32>gEventTab);
  setHdr(H_P_OBSERVE, <i32>gObsTab);
  gConfigured = true;
  return E_OK;
}

function err(code: i32, arg: i32): i32 {
  setError(code, arg);
  return code;
}

/** For entry points whose result is an offset: report the error, return -1. */
function fail(code: i32): i32 {
  setError(code, 0);
  return -1;
}

function fieldOk(kind: i32, v: i32): bool {
  if (kind == FK_REG) return v >= 0 && v < 32;
  if (kind == FK_CRF) return v >= 0 && v < 8;
  if (kind == FK_TARGET) return v >= 0 && v < gNInstr;
  if (kind == FK_STR) return v >= 0 && v < gNStrings;
  if (kind == FK_COUNTER) return v >= 0 && v < gNCounters;
  return true;
}

/** Check the host-written tables and build the start state; returns 0 or an error code. */
export function loadImage(): i32 {
  gLoaded = false;
  setError(E_OK, 0);
  if (!gConfigured) return err(E_NOT_LOADED, 0);
  const n = gN;
  // code
  let hasDec = false;
  let hasResv = false;
  let blocksReduction = false;
  let hasSend = false;
  for (let pc = 0; pc < gNInstr; pc++) {
    const ip = gCode + (<usize>pc << 4);
    const op = load<i32>(ip);
    const kinds = opFieldKinds(op);
    if (kinds < 0) return err(E_OPCODE, pc);
    const a = load<i32>(ip, 4);
    const b = load<i32>(ip, 8);
    const c = load<i32>(ip, 12);
    if (!fieldOk(kinds & 15, a) || !fieldOk((kinds >> 4) & 15, b) || !fieldOk((kinds >> 8) & 15, c)) {
      return err(E_OPERAND, pc);
    }
    if (op == OP_CHOOSE && (b < 1 || b > 1 << 16)) return err(E_OPERAND, pc);
    if (op == OP_MTSPR && b == SPR_DEC) hasDec = true;
    if (op == OP_LWARX) hasResv = true;
    let sc = BLK_NEVER;
    let tso = BLK_NEVER;
    if (op == OP_AWAIT_EQ) {
      sc = BLK_AWAIT_EQ;
      tso = BLK_AWAIT_EQ;
    } else if (op == OP_AWAIT_NE) {
      sc = BLK_AWAIT_NE;
      tso = BLK_AWAIT_NE;
    } else if (op == OP_STW || op == OP_STWX || op == OP_STWU) {
      tso = BLK_STORE;
    } else if (op == OP_LWARX || op == OP_STWCX_ || op == OP_SYNC || op == OP_NAP) {
      tso = BLK_DRAINED;
    }
    store<u8>(gBlkSc + <usize>pc, sc);
    store<u8>(gBlkTso + <usize>pc, tso);
    // the reduced search (SEMANTICS.md 17): 1 local under sc and tso, 2 sc only, 3 unless DEC
    const lc = opLocalClass(op);
    // SEMANTICS.md 17.1: an assert ends a trial at once; mftb reads the step count
    if (op == OP_ASSERT_EQ || op == OP_ASSERT_NE || op == OP_MFTB) blocksReduction = true;
    if (op == OP_MSGSND || op == OP_IPI) hasSend = true;
    const locSc = lc == 1 || lc == 2 || (lc == 3 && b != SPR_DEC);
    const locTso = lc == 1 || (lc == 3 && b != SPR_DEC);
    store<u8>(gLocSc + <usize>pc, locSc ? 1 : 0);
    store<u8>(gLocTso + <usize>pc, locTso ? 1 : 0);
  }
  setReductionFacts(blocksReduction, hasSend);
  // vectors
  const vsr = hdr(H_VEC_SR);
  const vext = hdr(H_VEC_EXT);
  const vdec = hdr(H_VEC_DEC);
  const vdb = hdr(H_VEC_DB);
  if (vsr < -1 || vsr >= gNInstr) return err(E_VECTOR, 0);
  if (vext < -1 || vext >= gNInstr) return err(E_VECTOR, 1);
  if (vdec < -1 || vdec >= gNInstr) return err(E_VECTOR, 2);
  if (vdb < -1 || vdb >= gNInstr) return err(E_VECTOR, 3);
  setVectors(vsr, vext, vdec, vdb);
  setImageFlags(hasDec, hasResv);
  // start state
  memory.fill(gStart, 0, gStateBytes);
  for (let t = 0; t < n; t++) {
    const ti = gThreadTab + <usize>t * (TI_WORDS << 2);
    const pc = load<i32>(ti, (TI_PC << 2));
    const status = load<i32>(ti, (TI_STATUS << 2));
    const ee = load<i32>(ti, (TI_EE << 2));
    const pending = load<i32>(ti, (TI_PENDING << 2));
    const mustHalt = load<i32>(ti, (TI_MUSTHALT << 2));
    if (pc < 0 || status < 0 || status > 2 || (status == 0 && pc >= gNInstr)) return err(E_THREAD, t);
    if (ee < 0 || ee > 1 || pending < 0 || pending > 7 || mustHalt < 0 || mustHalt > 1) return err(E_THREAD, t);
    const p = gStart + <usize>t * gStrideB;
    store<i32>(p, pc, (T_PC << 2));
    store<i32>(p, status, (T_STATUS << 2));
    memory.copy(p + (<usize>T_GPR << 2), ti + (<usize>TI_REGS << 2), 32 << 2);
    store<i32>(p, load<i32>(ti, (TI_LPCR << 2)), (T_LPCR << 2));
    store<i32>(p, load<i32>(ti, (TI_LPID << 2)), (T_LPID << 2));
    store<i32>(p, DEC_DISARMED, (T_DEC << 2));
    store<i32>(p, ee, (T_EE << 2));
    store<i32>(p, pending, (T_PENDING << 2));
  }
  for (let i = 0; i < gNInit; i++) {
    const addr = load<i32>(gInitTab + (<usize>i << 3));
    if (addr < 1 || addr >= gMemSize) return err(E_MEM_INIT, i);
    store<i32>(gStart + gMemOffB + (<usize>addr << 2), load<i32>(gInitTab + (<usize>i << 3), 4));
  }
  for (let e = 0; e < gNEvents; e++) {
    const ev = gEventTab + <usize>e * (EV_WORDS << 2);
    const kind = load<i32>(ev, (EV_KIND << 2));
    const cpu = load<i32>(ev, (EV_CPU << 2));
    const count = load<i32>(ev, (EV_COUNT << 2));
    const wn = load<i32>(ev, (EV_WHEN_NAPPING << 2));
    if (kind != 1 && kind != 2 && kind != 4) return err(E_EVENT, e);
    if (cpu < 0 || cpu >= n || count < 0 || count > 1000 || wn < 0 || wn > 1) return err(E_EVENT, e);
    store<i32>(gStart + gBudgetOffB + (<usize>e << 2), count);
  }
  for (let i = 0; i < gNObserve; i++) {
    const ob = gObsTab + <usize>i * (OB_WORDS << 2);
    const kind = load<i32>(ob, (OB_KIND << 2));
    const x = load<i32>(ob, (OB_A << 2));
    const y = load<i32>(ob, (OB_B << 2));
    if (kind == OB_REG) {
      if (x < 0 || x >= n || y < 0 || y > 31) return err(E_OBSERVE, i);
    } else if (kind == OB_MEM) {
      if (x < 1 || x >= gMemSize) return err(E_OBSERVE, i);
    } else {
      return err(E_OBSERVE, i);
    }
  }
  if (gPower) {
    // the power start state is normalized (SEMANTICS.md 13.3): instructions may already retire,
    // count and commit syncs; those counts start every trial
    initPowerTables();
    setMachineConfig(false, gBlkSc);
    setState(gStart);
    clearStartCounts(gNCounters);
    resetTrialCounters(gNCounters);
    powerInitState();
    saveStartCounts(gNCounters);
  }
  gLoaded = true;
  return E_OK;
}

/**
 * Start a run: forget the previous call's dynamic data and make room for a replay schedule of
 * `replayLen` decisions. Returns its byte offset (the host writes the schedule there), or -1.
 */
export function beginRun(replayLen: i32): i32 {
  setError(E_OK, 0);
  if (!gLoaded) return fail(E_NOT_LOADED);
  if (replayLen < 0) return fail(E_ARGS);
  resetDynamic();
  gTimedReady = false;
  const p = alloc((<u64>replayLen << 2) + 16);
  if (p == 0) return fail(E_OUT_OF_MEMORY);
  setReplay(p, replayLen);
  setRecordBase(<usize>((<u64>p + (<u64>replayLen << 2) + 16 + 15) & ~(<u64>15)));
  return <i32>p;
}

/**
 * Run trials [from, to) of `seed` (or a prefix of them, bounded by `stepBudget` steps) under the
 * memory model (`tso` 0/1), scheduler (SCHED_*) and recording mode (RECORD_*); `maxFailures` is how
 * many failing trials may still be recorded. Returns the next trial index, or -1 on error.
 */
export function runBatch(
  seed: u32,
  from: f64,
  to: f64,
  model: i32,
  scheduler: i32,
  record: i32,
  maxFailures: i32,
  stepBudget: f64,
): f64 {
  setError(E_OK, 0);
  if (!gLoaded) {
    setError(E_NOT_LOADED, 0);
    return -1;
  }
  if (
    !(from >= 0) || !(to >= from) || to > 9007199254740992 ||
    (scheduler != SCHED_UNIFORM && scheduler != SCHED_REPLAY && scheduler != SCHED_PCT &&
      !(scheduler == SCHED_TIMED && gTimedReady)) ||
    (scheduler == SCHED_PCT && !pctReady()) || record < RECORD_NONE || record > RECORD_ALL ||
    !modelOk(model) ||
    // PCT and timed are defined for sc and tso only (SEMANTICS.md 14.7, 15)
    (model == MODEL_POWER && (scheduler == SCHED_PCT || scheduler == SCHED_TIMED))
  ) {
    setError(E_ARGS, 0);
    return -1;
  }
  setMachineConfig(model == MODEL_TSO, model == MODEL_TSO ? gBlkTso : gBlkSc);
  return runTrialsImpl(seed, from, to, scheduler, record, maxFailures, stepBudget);
}

/**
 * Set up the timed scheduler for the next runBatch calls (after beginRun): allocates its region
 * before the records. Returns the byte offset where the host writes the nInstr i32 instruction
 * costs; the 18 i64 latency words go at timedLatPtr(), the nCounters i32 dispatch flags at
 * timedDispatchPtr(). -1 on error.
 */
export function beginTimed(cyclesPerUs: i32, thresh: i32): i32 {
  setError(E_OK, 0);
  if (!gLoaded) return fail(E_NOT_LOADED);
  if (cyclesPerUs < 1 || thresh < 1 || thresh > 60) return fail(E_ARGS);
  const p = timedSetup(cyclesPerUs, thresh);
  if (p == 0) return fail(E_OUT_OF_MEMORY);
  setRecordBase(<usize>((<u64>gBump + 15) & ~(<u64>15)));
  gTimedReady = true;
  return <i32>p;
}
export { timedLatPtr, timedAggPtr, timedDispatchPtr } from './timed';

/**
 * A run's model must be the one the image was configured for when either is `power` (sc and tso
 * share a layout and a start state).
 */
function modelOk(model: i32): bool {
  if (model < MODEL_SC || model > MODEL_POWER) return false;
  return (model == MODEL_POWER) == gPower;
}

/** Exhaustive search under the memory model (MODEL_*); returns 0 or an error code. */
export function explore(model: i32, reduce: i32): i32 {
  setError(E_OK, 0);
  if (!gLoaded) return err(E_NOT_LOADED, 0);
  if (!modelOk(model)) return err(E_ARGS, 0);
  setReduce(reduce != 0);
  setMachineConfig(model == MODEL_TSO, model == MODEL_TSO ? gBlkTso : gBlkSc);
  return exploreImpl(gMaxSteps, gMaxStatesF);
}

/**
 * Resuming a saved search (explore.ts, SEMANTICS.md 12.6), step 1 under the memory model: an empty
 * search with room for the saved one. Returns 0 or an error code.
 */
export function exploreResumeBegin(model: i32, reduce: i32, slots: f64, finals: i32, sp: i32, violationWords: i32): i32 {
  setError(E_OK, 0);
  if (!gLoaded) return err(E_NOT_LOADED, 0);
  if (!modelOk(model)) return err(E_ARGS, 0);
  setReduce(reduce != 0);
  setMachineConfig(model == MODEL_TSO, model == MODEL_TSO ? gBlkTso : gBlkSc);
  if (!resumeBeginImpl(gMaxStatesF, slots, finals, sp, violationWords)) return err(E_OUT_OF_MEMORY, 0);
  return E_OK;
}

/**
 * Breadth-first search for a shortest violation (SEMANTICS.md section 16) under the memory model,
 * entering at most `maxStates` states (0: the image's limit); returns 0 or an error code
 * (E_OUT_OF_MEMORY with argument 1: the header holds how far it got, as a cut search). Header: the violation record (H_REC_*), the pass's own state and
 * transition counts (H_X_STATES_F64, H_X_TRANSITIONS_F64) and H_X_CUT when maxStates stopped it.
 */
export function shortest(model: i32, reduce: i32, maxStates: f64): i32 {
  setError(E_OK, 0);
  if (!gLoaded) return err(E_NOT_LOADED, 0);
  if (!modelOk(model)) return err(E_ARGS, 0);
  setReduce(reduce != 0);
  setMachineConfig(model == MODEL_TSO, model == MODEL_TSO ? gBlkTso : gBlkSc);
  return shortestImpl(gMaxSteps, maxStates > 0 ? maxStates : gMaxStatesF);
}

// ---- test hooks: the generator, for bit-identity checks against @naplab/isa rng.ts ----
export function testRngReset(seed: u32, trial: f64): void {
  const t = <u64>trial;
  rngReset(seed, <u32>t, <u32>(t >> 32));
}
export function testRngNext(): u32 {
  return rngNext();
}
export function testRngBelow(n: u32): u32 {
  return rngBelow(n);
}

/** Cap the core's memory (64 KiB pages); see layout.ts setMemoryLimit. */
export { setMemoryLimit } from './layout';
