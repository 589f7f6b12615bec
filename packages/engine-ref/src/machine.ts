/**
 * The reference machine: state, enabled actions, and the effect of one action, exactly as
 * `@naplab/isa` SEMANTICS.md sections 1-4, 6 and 7 (and the clarifications of section 10) say.
 *
 * Per-thread registers live in flat typed arrays indexed by thread (`gpr` and `cr` by
 * `t * 32 + r` and `t * 8 + f`), so cloning a machine for exhaustive search is a handful of
 * `slice()` calls. Clarity wins over speed wherever the two disagree, but the uniform scheduler's
 * hot path (`enabledActionsInto`, `applyAction`) allocates nothing unless a trace hook is set.
 */
import {
  CR_EQ,
  CR_GT,
  CR_LT,
  DEC_DISARMED,
  type Image,
  INSTR_WORDS,
  LOST_BAD_ADDRESS,
  LOST_BAD_CPU,
  LOST_BAD_JUMP,
  LOST_NO_VECTOR,
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  type MemoryModel,
  MSR_EE,
  type Outcome,
  PEND_DBELL,
  PEND_DEC,
  PEND_EXT,
  SPR,
  SRR1_WAKEDEC,
  SRR1_WAKEEE,
  SRR1_WAKEHDBELL,
  STATUS_HALTED,
  STATUS_LOST,
  STATUS_NAPPING,
  STATUS_RUNNING,
  type TrialDetail,
} from '@naplab/isa';
import {
  OP_ADD,
  OP_ADDI,
  OP_ADDIS,
  OP_AND,
  OP_ANDC,
  OP_ANDI_,
  OP_ASSERT_EQ,
  OP_ASSERT_NE,
  OP_AWAIT_EQ,
  OP_AWAIT_NE,
  OP_B,
  OP_BCTR,
  OP_BCTRL,
  OP_BDNZ,
  OP_BEQ,
  OP_BGE,
  OP_BGT,
  OP_BL,
  OP_BLE,
  OP_BLR,
  OP_BLT,
  OP_BNE,
  OP_CHOOSE,
  OP_CMPLW,
  OP_CMPLWI,
  OP_CMPW,
  OP_CMPWI,
  OP_COUNT,
  OP_EOI,
  OP_HALT,
  OP_IPI,
  OP_ISYNC,
  OP_LA,
  OP_LI,
  OP_LIS,
  OP_LOST,
  OP_LWARX,
  OP_LWSYNC,
  OP_LWZ,
  OP_LWZX,
  OP_MARK,
  OP_MFCTR,
  OP_MFLR,
  OP_MFMSR,
  OP_MFSPR,
  OP_MFTB,
  OP_MR,
  OP_MSGCLR,
  OP_MSGSND,
  OP_MTCTR,
  OP_MTLR,
  OP_MTMSRD,
  OP_MTSPR,
  OP_MULLI,
  OP_MULLW,
  OP_NAP,
  OP_NEG,
  OP_NOP,
  OP_OR,
  OP_ORI,
  OP_RFID,
  OP_SLW,
  OP_SRW,
  OP_STW,
  OP_STWCX_,
  OP_STWU,
  OP_STWX,
  OP_SUBF,
  OP_SYNC,
  OP_WORK,
  OP_WRTEEI,
  OP_XOR,
  OP_XORI,
} from './ops.js';
import {
  drained,
  normalize,
  POWER_EVENTS,
  type PowerLayout,
  powerAck,
  powerActionCount,
  powerApply,
  powerDropWindow,
  powerEnabledInto,
  powerHeldAck,
  powerImplicitSync,
  powerLayout,
  powerResume,
  powerStalled,
  powerStateVector,
  powerStepReady,
  powerStoreConditional,
  powerStrongAt,
  powerTableRoom,
  powerViewRead,
} from './power.js';

/** Wake / interrupt reasons by priority index: 0 doorbell, 1 external, 2 decrementer. */
export type WakeReason = 'doorbell' | 'external' | 'decrementer';
const REASON_NAMES: readonly WakeReason[] = ['doorbell', 'external', 'decrementer'];
const REASON_BITS = [PEND_DBELL, PEND_EXT, PEND_DEC] as const;
const REASON_SRR1 = [SRR1_WAKEHDBELL, SRR1_WAKEEE, SRR1_WAKEDEC] as const;

/** What one action did, for traces and timelines. */
export type TraceEffect =
  /** an instruction whose only effect is on registers (or nothing: nop, work, lwsync...) */
  | { kind: 'exec' }
  | { kind: 'load'; addr: number; value: number; reserve: boolean }
  /** `buffered`: went into the tso store buffer rather than memory */
  | { kind: 'store'; addr: number; value: number; buffered: boolean }
  | { kind: 'stwcx'; addr: number; value: number; success: boolean }
  | { kind: 'drain'; addr: number; value: number }
  | { kind: 'sync' }
  | { kind: 'nap' }
  | { kind: 'wake'; reason: WakeReason; vector: number }
  | { kind: 'interrupt'; reason: WakeReason; vector: number }
  | { kind: 'doorbell'; target: number }
  | { kind: 'ipi'; target: number }
  | { kind: 'msgclr' }
  | { kind: 'eoi' }
  /** an environment action set a pending bit on `cpu` (event: index into image.events) */
  | { kind: 'pending'; source: 'decrementer' | 'event'; reason: WakeReason; event: number }
  | { kind: 'lost'; reason: number }
  | { kind: 'halt' }
  | { kind: 'assert'; passed: boolean; message: string }
  | { kind: 'await-passed'; addr: number; value: number }
  /** reported (with action -1) when an await is first seen blocked since the thread last stepped */
  | { kind: 'await-blocked'; addr: number; value: number }
  | { kind: 'mark'; text: string }
  | { kind: 'count'; counter: number; name: string }
  | { kind: 'choose'; value: number };

export interface TraceEvent {
  /** `steps` before the action (the action's 0-based position in the trial) */
  step: number;
  /** action id (section 2), or -1 for `await-blocked` notices */
  action: number;
  /** the thread stepped, drained, or targeted by a fired event */
  cpu: number;
  /** that thread's pc before the action */
  pc: number;
  /** the encoded instruction `[op, a, b, c]` when an instruction executed, else null */
  instr: [number, number, number, number] | null;
  effect: TraceEffect;
}

export type TraceHook = (e: TraceEvent) => void;

export interface AssertFailure {
  cpu: number;
  pc: number;
  message: string;
}

const NO_LAYOUT: PowerLayout = powerLayout(0, 0);
const NO_POWER_STATE = new Int32Array(0);

/**
 * The footprint abstraction of a power search (SEMANTICS.md 18): `cells[u * memSize + a]` is 1 when
 * thread `u` may access cell `a`; `escape` is the first access found outside it
 * (`u * memSize + a`), or -1.
 */
import type { FootprintEscapeReason } from '@naplab/isa';

export interface Footprint {
  readonly cells: Uint8Array;
  /** per thread: something can raise an interrupt there (`footprintFacts`) */
  readonly interruptible: Uint8Array;
  escape: number;
  /** why (SEMANTICS.md 18.2): an access outside, timing, or the event table (escape = threads * memSize) */
  reason: FootprintEscapeReason;
}

/**
 * Machine state. Fields mirror SEMANTICS.md section 1; everything except `steps`, the statistics,
 * `lostReason`, `onEvent` and `blockedNoted` is part of the explored state (section 7).
 */
export class Machine {
  readonly image: Image;
  readonly model: MemoryModel;
  readonly tso: boolean;
  /** the `power` model (SEMANTICS.md section 13; `power.ts`) */
  readonly power: boolean;
  /** number of hardware threads */
  readonly n: number;
  /** number of environment events */
  readonly nEvents: number;
  readonly nInstr: number;
  readonly memSize: number;
  readonly sbCap: number;
  /** shared, immutable: the image's code as `[op, a, b, c]` words */
  readonly code: Int32Array;

  pc: Int32Array;
  status: Int32Array;
  gpr: Int32Array;
  cr: Int32Array;
  lr: Int32Array;
  ctr: Int32Array;
  srr0: Int32Array;
  srr1: Int32Array;
  lpcr: Int32Array;
  lpid: Int32Array;
  dec: Int32Array;
  decArmed: Int32Array;
  ee: Int32Array;
  pending: Int32Array;
  resv: Int32Array;
  resvAddr: Int32Array;
  /** store buffers: thread t's FIFO occupies `[t * sbCap, t * sbCap + sbLen[t])`, oldest first */
  sbAddr: Int32Array;
  sbVal: Int32Array;
  sbLen: Int32Array;
  mem: Int32Array;
  /** remaining budget per environment event */
  budget: Int32Array;

  /**
   * power only: the window, the storage subsystem and the views, packed in one array laid out
   * by `L` (power.ts, SEMANTICS.md section 13); an empty array under sc and tso
   */
  P: Int32Array;
  readonly L: PowerLayout;
  /**
   * power only, outside the explored state: each live event's identity, `origin * 2^16 + k` for
   * the k-th event its thread accepted (`evSeq`: how many each thread has); used to follow one
   * event across two machines (concretize.ts)
   */
  evTag: Int32Array;
  evSeq: Int32Array;

  lostReason: Int32Array;
  steps = 0;
  syncs = 0;
  wakeups = 0;
  wakeupsByReason: [number, number, number] = [0, 0, 0];
  counters: number[];
  failed: AssertFailure | null = null;

  /**
   * power only: the footprint abstraction (SEMANTICS.md 18), shared by a machine and its copies;
   * null for the plain model
   */
  readonly foot: Footprint | null;

  onEvent: TraceHook | undefined = undefined;
  /** trace bookkeeping only: an await-blocked notice was sent since the thread last stepped */
  blockedNoted: Uint8Array;

  /** A blank machine for `image`, or (with `from`) a deep copy of `from`'s state and statistics. */
  constructor(image: Image, model: MemoryModel, code: Int32Array, from?: Machine, foot?: Footprint | null) {
    this.image = image;
    this.foot = from ? from.foot : (foot ?? null);
    this.model = model;
    this.tso = model === 'tso';
    this.power = model === 'power';
    const n = image.threads.length;
    this.n = n;
    this.nEvents = image.events.length;
    this.code = code;
    this.nInstr = code.length / INSTR_WORDS;
    this.memSize = image.memory.size;
    this.sbCap = image.limits.storeBuffer;
    const arr = (len: number, src: Int32Array | undefined) => (src ? src.slice() : new Int32Array(len));
    this.pc = arr(n, from?.pc);
    this.status = arr(n, from?.status);
    this.gpr = arr(n * 32, from?.gpr);
    this.cr = arr(n * 8, from?.cr);
    this.lr = arr(n, from?.lr);
    this.ctr = arr(n, from?.ctr);
    this.srr0 = arr(n, from?.srr0);
    this.srr1 = arr(n, from?.srr1);
    this.lpcr = arr(n, from?.lpcr);
    this.lpid = arr(n, from?.lpid);
    this.dec = arr(n, from?.dec);
    this.decArmed = arr(n, from?.decArmed);
    this.ee = arr(n, from?.ee);
    this.pending = arr(n, from?.pending);
    this.resv = arr(n, from?.resv);
    this.resvAddr = arr(n, from?.resvAddr);
    this.sbAddr = arr(n * this.sbCap, from?.sbAddr);
    this.sbVal = arr(n * this.sbCap, from?.sbVal);
    this.sbLen = arr(n, from?.sbLen);
    this.mem = arr(this.memSize, from?.mem);
    this.budget = arr(this.nEvents, from?.budget);
    this.L = from ? from.L : this.power ? powerLayout(n, this.memSize) : NO_LAYOUT;
    this.P = this.power ? arr(this.L.size, from?.P) : NO_POWER_STATE;
    this.evTag = this.power ? arr(POWER_EVENTS, from?.evTag) : NO_POWER_STATE;
    this.evSeq = this.power ? arr(n, from?.evSeq) : NO_POWER_STATE;
    this.lostReason = arr(n, from?.lostReason);
    this.counters = from ? [...from.counters] : new Array(image.counters.length).fill(0);
    this.blockedNoted = new Uint8Array(n);
    if (from) {
      this.steps = from.steps;
      this.syncs = from.syncs;
      this.wakeups = from.wakeups;
      this.wakeupsByReason = [...from.wakeupsByReason];
      this.failed = from.failed;
    }
  }
}

/**
 * The start state of `image` under `memory`. The image must already be valid (`validateImage`);
 * the machine trusts every index in it.
 */
export function createMachine(image: Image, memory: MemoryModel, foot?: Footprint | null): Machine {
  const m = new Machine(
    image,
    memory,
    Int32Array.from(image.code),
    undefined,
    memory === 'power' ? foot : null,
  );
  image.threads.forEach((th, t) => {
    m.pc[t] = th.pc;
    m.status[t] = th.status;
    for (const [r, v] of th.regs) m.gpr[t * 32 + r] = v;
    m.lpcr[t] = th.lpcr;
    m.lpid[t] = th.lpid;
    m.dec[t] = DEC_DISARMED;
    m.ee[t] = th.msrEE;
    m.pending[t] = th.pending;
  });
  for (const [a, v] of image.memory.init) m.mem[a] = v;
  image.events.forEach((e, i) => {
    m.budget[i] = e.count;
  });
  if (m.power) {
    m.P.fill(-1, m.L.view, m.L.view + m.n * m.memSize);
    normalize(m, -1);
  }
  return m;
}

/** A deep copy of the state and statistics. The trace hook is not carried over. */
export function cloneMachine(m: Machine): Machine {
  return new Machine(m.image, m.model, m.code, m);
}

/** Number of distinct action ids for this machine: `3n + events` (plus the power-only ids). */
export function actionCount(m: Machine): number {
  return 3 * m.n + m.nEvents + (m.power ? powerActionCount(m) : 0);
}

// ---- helpers shared by enabling and execution -------------------------------------------------

/** Pending bits that LPCR lets wake a napping thread. */
function wakeMask(lpcr: number): number {
  return (
    (lpcr & LPCR_PECEDH ? PEND_DBELL : 0) |
    (lpcr & LPCR_PECE0 ? PEND_EXT : 0) |
    (lpcr & LPCR_PECE1 ? PEND_DEC : 0)
  );
}

/** Priority index (0 doorbell > 1 external > 2 decrementer) of the highest pending bit in `bits`. */
function topReason(bits: number): number {
  return bits & PEND_DBELL ? 0 : bits & PEND_EXT ? 1 : 2;
}

function validAddr(m: Machine, ea: number): boolean {
  return ea >= 1 && ea < m.memSize;
}

/** `(rA|0)`: register 0 reads as zero in base-register position. */
function baseReg(m: Machine, t: number, r: number): number {
  return r === 0 ? 0 : m.gpr[t * 32 + r];
}

/** The thread's view of a cell: its newest buffered store to it (tso), else memory. */
function viewRead(m: Machine, t: number, ea: number): number {
  if (m.power) return powerViewRead(m, t, ea);
  if (m.tso) {
    const base = t * m.sbCap;
    for (let k = m.sbLen[t] - 1; k >= 0; k--) if (m.sbAddr[base + k] === ea) return m.sbVal[base + k];
  }
  return m.mem[ea];
}

/** A store reaching memory kills every other thread's reservation on that cell. */
function clearOtherReservations(m: Machine, t: number, ea: number): void {
  for (let u = 0; u < m.n; u++) if (u !== t && m.resvAddr[u] === ea) m.resv[u] = 0;
}

function awaitAddr(m: Machine, t: number, i: number): number {
  return (baseReg(m, t, m.code[i + 2]) + m.code[i + 3]) | 0;
}

function instrAt(m: Machine, pc: number): [number, number, number, number] | null {
  if (pc < 0 || pc >= m.nInstr) return null;
  const i = pc * INSTR_WORDS;
  return [m.code[i], m.code[i + 1], m.code[i + 2], m.code[i + 3]];
}

/** Trace hook plumbing shared with power.ts (`m.onEvent` must be set). */
export function emitEvent(
  m: Machine,
  action: number,
  cpu: number,
  pc: number,
  instr: boolean,
  effect: TraceEffect,
): void {
  emit(m, action, cpu, pc, instr, effect);
}

function emit(
  m: Machine,
  action: number,
  cpu: number,
  pc: number,
  instr: boolean,
  effect: TraceEffect,
): void {
  m.onEvent!({ step: m.steps, action, cpu, pc, instr: instr ? instrAt(m, pc) : null, effect });
}

// ---- enabling (sections 2 and 3) ------------------------------------------------------------

/** Is `step t` enabled (section 3, with the tso wait conditions of section 4)? */
export function stepEnabled(m: Machine, t: number): boolean {
  const st = m.status[t];
  if (st === STATUS_HALTED || st === STATUS_LOST) return false;
  if (st === STATUS_NAPPING) return (m.pending[t] & wakeMask(m.lpcr[t])) !== 0;
  // power: step t resumes a stalled thread, or takes an interrupt or runs a strong instruction
  // with an empty window (SEMANTICS.md 13.6)
  if (m.power && powerStalled(m, t)) return true;
  if (m.power && powerHeldAck(m, t)) return true;
  if (m.power && !powerStepReady(m, t)) return false;
  if (m.ee[t] !== 0 && m.pending[t] !== 0) return true;
  const pc = m.pc[t];
  if (pc < 0 || pc >= m.nInstr) return true;
  if (m.power && !powerStrongAt(m, pc)) return false;
  const i = pc * INSTR_WORDS;
  const op = m.code[i];
  switch (op) {
    case OP_STW:
    case OP_STWX:
    case OP_STWU:
      return !(m.tso && m.sbLen[t] >= m.sbCap);
    case OP_LWARX:
    case OP_STWCX_:
    case OP_SYNC:
    case OP_NAP:
      // power: as if a sync preceded them (SEMANTICS.md 13.6); stwcx. may need a table slot
      if (m.power) return drained(m, t) && powerTableRoom(m, op === OP_STWCX_ ? 2 : 1);
      return !(m.tso && m.sbLen[t] > 0);
    case OP_AWAIT_EQ:
    case OP_AWAIT_NE: {
      const ea = awaitAddr(m, t, i);
      // an await on a bad address is enabled so that stepping it can make the thread LOST
      if (!validAddr(m, ea)) return true;
      const v = viewRead(m, t, ea);
      const ok = op === OP_AWAIT_EQ ? v === m.code[i + 1] : v !== m.code[i + 1];
      if (!ok && m.onEvent && !m.blockedNoted[t]) {
        m.blockedNoted[t] = 1;
        emit(m, -1, t, pc, true, { kind: 'await-blocked', addr: ea, value: v });
      }
      return ok;
    }
    default:
      return true;
  }
}

/**
 * Write the enabled action ids, in canonical order (section 2), into `out`; return how many.
 * `out` needs room for `actionCount(m)` entries. A machine whose assert failed has none.
 */
export function enabledActionsInto(m: Machine, out: Int32Array | number[]): number {
  if (m.failed) return 0;
  const n = m.n;
  let k = 0;
  for (let t = 0; t < n; t++) if (stepEnabled(m, t)) out[k++] = t;
  if (m.tso) for (let t = 0; t < n; t++) if (m.sbLen[t] > 0) out[k++] = n + t;
  for (let t = 0; t < n; t++) {
    const st = m.status[t];
    if (m.decArmed[t] !== 0 && (st === STATUS_RUNNING || st === STATUS_NAPPING)) out[k++] = 2 * n + t;
  }
  const events = m.image.events;
  for (let e = 0; e < m.nEvents; e++) {
    if (m.budget[e] <= 0) continue;
    const st = m.status[events[e]!.cpu];
    if (st !== STATUS_RUNNING && st !== STATUS_NAPPING) continue;
    if (events[e]!.whenNapping && st !== STATUS_NAPPING) continue;
    out[k++] = 3 * n + e;
  }
  if (m.power) k = powerEnabledInto(m, out, k);
  return k;
}

/** The enabled action ids in canonical order (section 2). */
export function enabledActions(m: Machine): number[] {
  const out: number[] = [];
  enabledActionsInto(m, out);
  return out;
}

/**
 * If taking `action` executes `choose rD,N`, return N (the caller must supply a value in
 * `0..N-1`); else 0. Only meaningful for an enabled action.
 */
export function needsChoice(m: Machine, action: number): number {
  if (action < 0 || action >= m.n) return 0;
  const t = action;
  if (m.status[t] !== STATUS_RUNNING) return 0;
  if (m.power && (powerStalled(m, t) || powerHeldAck(m, t))) return 0;
  if (m.ee[t] !== 0 && m.pending[t] !== 0) return 0;
  const pc = m.pc[t];
  if (pc < 0 || pc >= m.nInstr) return 0;
  const i = pc * INSTR_WORDS;
  return m.code[i] === OP_CHOOSE ? m.code[i + 2] : 0;
}

// ---- effects ----------------------------------------------------------------------------------

/**
 * Apply one action. The action must be enabled (the schedulers check); `chooseValue` is required
 * when `needsChoice(m, action)` is non-zero. Increments `steps`.
 */
export function applyAction(m: Machine, action: number, chooseValue?: number): void {
  const n = m.n;
  const count = actionCount(m);
  if (!Number.isInteger(action) || action < 0 || action >= count) {
    throw new RangeError(`action ${action} does not exist (this machine has ${count} action ids)`);
  }
  if (action < n) step(m, action, chooseValue);
  else if (action < 2 * n) drain(m, action - n, action);
  else if (action < 3 * n) fireDecrementer(m, action - 2 * n, action);
  else if (action < 3 * n + m.nEvents) fireEvent(m, action - 3 * n, action);
  else powerApply(m, action);
  if (m.power) normalize(m, action);
  m.steps++;
}

function drain(m: Machine, t: number, action: number): void {
  const base = t * m.sbCap;
  const len = m.sbLen[t];
  if (len === 0) throw new Error(`drain ${t}: the store buffer is empty (action not enabled)`);
  const ea = m.sbAddr[base];
  const v = m.sbVal[base];
  m.mem[ea] = v;
  clearOtherReservations(m, t, ea);
  m.sbAddr.copyWithin(base, base + 1, base + len);
  m.sbVal.copyWithin(base, base + 1, base + len);
  m.sbLen[t] = len - 1;
  if (m.onEvent) emit(m, action, t, m.pc[t], false, { kind: 'drain', addr: ea, value: v });
}

function fireDecrementer(m: Machine, t: number, action: number): void {
  m.pending[t] |= PEND_DEC;
  m.decArmed[t] = 0;
  if (m.onEvent) {
    emit(m, action, t, m.pc[t], false, {
      kind: 'pending',
      source: 'decrementer',
      reason: 'decrementer',
      event: -1,
    });
  }
}

function fireEvent(m: Machine, e: number, action: number): void {
  const ev = m.image.events[e]!;
  m.pending[ev.cpu] |= ev.kind;
  m.budget[e]--;
  if (m.onEvent) {
    const reason = REASON_NAMES[topReason(ev.kind)]!;
    emit(m, action, ev.cpu, m.pc[ev.cpu], false, { kind: 'pending', source: 'event', reason, event: e });
  }
}

function lose(m: Machine, t: number, reason: number): void {
  m.status[t] = STATUS_LOST;
  m.lostReason[t] = reason;
  if (m.power) powerDropWindow(m, t);
}

/** `lose` for power.ts. */
export function loseThread(m: Machine, t: number, reason: number): void {
  lose(m, t, reason);
}

/** Run the instruction at `pc` of thread `t` with sc semantics on the architected state (power.ts). */
export function executeInstr(m: Machine, t: number, pc: number): void {
  execute(m, t, pc, undefined);
}

/** A bad data address loses the thread at the faulting pc. */
function fault(m: Machine, t: number, pc: number): void {
  lose(m, t, LOST_BAD_ADDRESS);
  if (m.onEvent) emit(m, t, t, pc, true, { kind: 'lost', reason: LOST_BAD_ADDRESS });
}

/** "Store" of section 4: into the store buffer under tso (the caller checked it has room). */
function storeWord(m: Machine, t: number, ea: number, v: number): void {
  if (m.tso) {
    const k = t * m.sbCap + m.sbLen[t];
    m.sbAddr[k] = ea;
    m.sbVal[k] = v;
    m.sbLen[t]++;
  } else {
    m.mem[ea] = v;
    clearOtherReservations(m, t, ea);
  }
}

function step(m: Machine, t: number, chooseValue: number | undefined): void {
  const st = m.status[t];
  const pc = m.pc[t];
  m.blockedNoted[t] = 0;
  if (st === STATUS_NAPPING) {
    const r = topReason(m.pending[t] & wakeMask(m.lpcr[t]));
    const vector = m.image.vectors.systemReset;
    if (vector < 0) {
      lose(m, t, LOST_NO_VECTOR);
      if (m.onEvent) emit(m, t, t, pc, false, { kind: 'lost', reason: LOST_NO_VECTOR });
      return;
    }
    m.srr1[t] = REASON_SRR1[r]!;
    m.srr0[t] = 0;
    m.ee[t] = 0;
    m.status[t] = STATUS_RUNNING;
    m.pc[t] = vector;
    m.wakeups++;
    m.wakeupsByReason[r]!++;
    if (m.onEvent) emit(m, t, t, pc, false, { kind: 'wake', reason: REASON_NAMES[r]!, vector });
    return;
  }
  if (st !== STATUS_RUNNING) throw new Error(`step ${t}: thread is halted or lost (action not enabled)`);
  if (m.power && powerStalled(m, t)) {
    powerResume(m, t);
    return;
  }
  if (m.power && powerHeldAck(m, t)) {
    powerAck(m, t);
    return;
  }
  if (m.ee[t] !== 0 && m.pending[t] !== 0) {
    const r = topReason(m.pending[t]);
    const v = m.image.vectors;
    const vector = r === 0 ? v.doorbell : r === 1 ? v.external : v.decrementer;
    if (vector < 0) {
      lose(m, t, LOST_NO_VECTOR);
      if (m.onEvent) emit(m, t, t, pc, false, { kind: 'lost', reason: LOST_NO_VECTOR });
      return;
    }
    m.srr0[t] = pc;
    m.srr1[t] = REASON_SRR1[r]!;
    m.ee[t] = 0;
    m.pending[t] &= ~REASON_BITS[r]!;
    m.pc[t] = vector;
    if (m.onEvent) emit(m, t, t, pc, false, { kind: 'interrupt', reason: REASON_NAMES[r]!, vector });
    return;
  }
  if (pc < 0 || pc >= m.nInstr) {
    lose(m, t, LOST_BAD_JUMP);
    if (m.onEvent) emit(m, t, t, pc, false, { kind: 'lost', reason: LOST_BAD_JUMP });
    return;
  }
  execute(m, t, pc, chooseValue);
}

/** Signed compare into a CR field value: exactly one of LT, GT, EQ. */
function cmpS(x: number, y: number): number {
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}

function cmpU(x: number, y: number): number {
  return cmpS(x >>> 0, y >>> 0);
}

function readSpr(m: Machine, t: number, spr: number): number {
  switch (spr) {
    case SPR.DEC:
      return m.dec[t];
    case SPR.SRR0:
      return m.srr0[t];
    case SPR.SRR1:
      return m.srr1[t];
    case SPR.LPCR:
      return m.lpcr[t];
    case SPR.LPID:
      return m.lpid[t];
    case SPR.PIR:
      return t;
    case SPR.LR:
      return m.lr[t];
    case SPR.CTR:
      return m.ctr[t];
    default:
      return 0; // SEMANTICS.md 10.5
  }
}

function writeSpr(m: Machine, t: number, spr: number, v: number): void {
  switch (spr) {
    case SPR.DEC:
      m.dec[t] = v;
      m.decArmed[t] = v !== DEC_DISARMED ? 1 : 0;
      break;
    case SPR.SRR0:
      m.srr0[t] = v;
      break;
    case SPR.SRR1:
      m.srr1[t] = v;
      break;
    case SPR.LPCR:
      m.lpcr[t] = v;
      break;
    case SPR.LPID:
      m.lpid[t] = v;
      break;
    case SPR.LR:
      m.lr[t] = v;
      break;
    case SPR.CTR:
      m.ctr[t] = v;
      break;
    default:
      break; // PIR is read-only; unknown SPRs ignore writes (SEMANTICS.md 10.5)
  }
}

const EXEC: TraceEffect = { kind: 'exec' };

/** Execute the instruction at `pc` of running thread `t` (SEMANTICS.md section 4). */
function execute(m: Machine, t: number, pc: number, chooseValue: number | undefined): void {
  const code = m.code;
  const i = pc * INSTR_WORDS;
  const op = code[i];
  const a = code[i + 1];
  const b = code[i + 2];
  const c = code[i + 3];
  const g = m.gpr;
  const gb = t * 32;
  let next = pc + 1;
  let fx: TraceEffect | undefined;

  switch (op) {
    case OP_NOP:
    case OP_LWSYNC:
    case OP_ISYNC:
    case OP_WORK:
      break;
    case OP_LI:
      g[gb + a] = c;
      break;
    case OP_LIS:
      g[gb + a] = c << 16;
      break;
    case OP_LA:
    case OP_ADDI:
      g[gb + a] = baseReg(m, t, b) + c;
      break;
    case OP_ADDIS:
      g[gb + a] = baseReg(m, t, b) + (c << 16);
      break;
    case OP_MR:
      g[gb + a] = g[gb + b];
      break;
    case OP_ADD:
      g[gb + a] = g[gb + b] + g[gb + c];
      break;
    case OP_SUBF:
      g[gb + a] = g[gb + c] - g[gb + b];
      break;
    case OP_NEG:
      g[gb + a] = -g[gb + b];
      break;
    case OP_MULLW:
      g[gb + a] = Math.imul(g[gb + b], g[gb + c]);
      break;
    case OP_MULLI:
      g[gb + a] = Math.imul(g[gb + b], c);
      break;
    case OP_AND:
      g[gb + a] = g[gb + b] & g[gb + c];
      break;
    case OP_ANDC:
      g[gb + a] = g[gb + b] & ~g[gb + c];
      break;
    case OP_OR:
      g[gb + a] = g[gb + b] | g[gb + c];
      break;
    case OP_XOR:
      g[gb + a] = g[gb + b] ^ g[gb + c];
      break;
    case OP_ORI:
      g[gb + a] = g[gb + b] | (c & 0xffff);
      break;
    case OP_XORI:
      g[gb + a] = g[gb + b] ^ (c & 0xffff);
      break;
    case OP_ANDI_:
      g[gb + a] = g[gb + b] & (c & 0xffff);
      m.cr[t * 8] = cmpS(g[gb + a], 0);
      break;
    case OP_SLW: {
      const s = g[gb + c] & 63;
      g[gb + a] = s >= 32 ? 0 : g[gb + b] << s;
      break;
    }
    case OP_SRW: {
      const s = g[gb + c] & 63;
      g[gb + a] = s >= 32 ? 0 : g[gb + b] >>> s;
      break;
    }
    case OP_CMPW:
      m.cr[t * 8 + a] = cmpS(g[gb + b], g[gb + c]);
      break;
    case OP_CMPWI:
      m.cr[t * 8 + a] = cmpS(g[gb + b], c);
      break;
    case OP_CMPLW:
      m.cr[t * 8 + a] = cmpU(g[gb + b], g[gb + c]);
      break;
    case OP_CMPLWI:
      m.cr[t * 8 + a] = cmpU(g[gb + b], c);
      break;
    case OP_B:
      next = b;
      break;
    case OP_BL:
      m.lr[t] = pc + 1;
      next = b;
      break;
    case OP_BLR:
      next = m.lr[t];
      break;
    case OP_BCTR:
      next = m.ctr[t];
      break;
    case OP_BCTRL:
      m.lr[t] = pc + 1;
      next = m.ctr[t];
      break;
    case OP_BEQ:
      if (m.cr[t * 8 + a] & CR_EQ) next = b;
      break;
    case OP_BNE:
      if (!(m.cr[t * 8 + a] & CR_EQ)) next = b;
      break;
    case OP_BLT:
      if (m.cr[t * 8 + a] & CR_LT) next = b;
      break;
    case OP_BGT:
      if (m.cr[t * 8 + a] & CR_GT) next = b;
      break;
    case OP_BLE:
      if (!(m.cr[t * 8 + a] & CR_GT)) next = b;
      break;
    case OP_BGE:
      if (!(m.cr[t * 8 + a] & CR_LT)) next = b;
      break;
    case OP_BDNZ:
      m.ctr[t] = (m.ctr[t] - 1) | 0;
      if (m.ctr[t] !== 0) next = b;
      break;
    case OP_MTCTR:
      m.ctr[t] = g[gb + a];
      break;
    case OP_MFCTR:
      g[gb + a] = m.ctr[t];
      break;
    case OP_MTLR:
      m.lr[t] = g[gb + a];
      break;
    case OP_MFLR:
      g[gb + a] = m.lr[t];
      break;
    case OP_LWZ:
    case OP_LWZX: {
      const ea = (baseReg(m, t, b) + (op === OP_LWZ ? c : g[gb + c])) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      const v = viewRead(m, t, ea);
      g[gb + a] = v;
      if (m.onEvent) fx = { kind: 'load', addr: ea, value: v, reserve: false };
      break;
    }
    case OP_STW:
    case OP_STWX: {
      const ea = (baseReg(m, t, b) + (op === OP_STW ? c : g[gb + c])) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      storeWord(m, t, ea, g[gb + a]);
      if (m.onEvent) fx = { kind: 'store', addr: ea, value: g[gb + a], buffered: m.tso };
      break;
    }
    case OP_STWU: {
      const ea = (g[gb + b] + c) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      storeWord(m, t, ea, g[gb + a]);
      if (m.onEvent) fx = { kind: 'store', addr: ea, value: g[gb + a], buffered: m.tso };
      g[gb + b] = ea;
      break;
    }
    case OP_LWARX: {
      const ea = (baseReg(m, t, b) + g[gb + c]) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      if (m.power) powerImplicitSync(m, t);
      const v = m.power ? powerViewRead(m, t, ea) : m.mem[ea];
      g[gb + a] = v;
      m.resv[t] = 1;
      m.resvAddr[t] = ea;
      if (m.onEvent) fx = { kind: 'load', addr: ea, value: v, reserve: true };
      break;
    }
    case OP_STWCX_: {
      const ea = (baseReg(m, t, b) + g[gb + c]) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      const v = g[gb + a];
      let success: boolean;
      if (m.power) {
        powerImplicitSync(m, t);
        success = powerStoreConditional(m, t, ea, v);
      } else {
        success = m.resv[t] !== 0 && m.resvAddr[t] === ea;
        if (success) {
          m.mem[ea] = v;
          clearOtherReservations(m, t, ea);
        }
      }
      m.cr[t * 8] = success ? CR_EQ : 0;
      m.resv[t] = 0;
      if (m.onEvent) fx = { kind: 'stwcx', addr: ea, value: v, success };
      break;
    }
    case OP_SYNC:
      m.syncs++;
      if (m.onEvent) fx = { kind: 'sync' };
      break;
    case OP_NAP:
      if (m.power) powerImplicitSync(m, t);
      m.status[t] = STATUS_NAPPING;
      if (m.onEvent) fx = { kind: 'nap' };
      break;
    case OP_MSGSND:
    case OP_IPI: {
      const target = g[gb + a];
      if (!(target >= 0 && target < m.n)) {
        lose(m, t, LOST_BAD_CPU);
        if (m.onEvent) emit(m, t, t, pc, true, { kind: 'lost', reason: LOST_BAD_CPU });
        return;
      }
      m.pending[target] |= op === OP_MSGSND ? PEND_DBELL : PEND_EXT;
      if (m.onEvent) fx = op === OP_MSGSND ? { kind: 'doorbell', target } : { kind: 'ipi', target };
      break;
    }
    case OP_MSGCLR:
      m.pending[t] &= ~PEND_DBELL;
      if (m.onEvent) fx = { kind: 'msgclr' };
      break;
    case OP_EOI:
      m.pending[t] &= ~PEND_EXT;
      if (m.onEvent) fx = { kind: 'eoi' };
      break;
    case OP_WRTEEI:
      m.ee[t] = a & 1;
      break;
    case OP_MTMSRD:
      m.ee[t] = g[gb + a] & MSR_EE ? 1 : 0;
      break;
    case OP_MFMSR:
      g[gb + a] = m.ee[t] ? MSR_EE : 0;
      break;
    case OP_RFID:
      next = m.srr0[t];
      m.ee[t] = 1;
      break;
    case OP_MFSPR:
      g[gb + a] = readSpr(m, t, b);
      break;
    case OP_MTSPR:
      writeSpr(m, t, b, g[gb + a]);
      break;
    case OP_MFTB:
      g[gb + a] = m.steps;
      break;
    case OP_AWAIT_EQ:
    case OP_AWAIT_NE: {
      const ea = (baseReg(m, t, b) + c) | 0;
      if (!validAddr(m, ea)) {
        fault(m, t, pc);
        return;
      }
      if (m.onEvent) fx = { kind: 'await-passed', addr: ea, value: viewRead(m, t, ea) };
      break;
    }
    case OP_HALT:
      m.status[t] = STATUS_HALTED;
      if (m.onEvent) fx = { kind: 'halt' };
      break;
    case OP_LOST:
      lose(m, t, a);
      if (m.onEvent) fx = { kind: 'lost', reason: a };
      break;
    case OP_ASSERT_EQ:
    case OP_ASSERT_NE: {
      const passed = op === OP_ASSERT_EQ ? g[gb + a] === b : g[gb + a] !== b;
      const message = m.image.strings[c] ?? '';
      if (m.onEvent) emit(m, t, t, pc, true, { kind: 'assert', passed, message });
      if (!passed) {
        m.failed = { cpu: t, pc, message };
        return; // the trial ends here; pc stays at the assert (SEMANTICS.md 10.6)
      }
      m.pc[t] = next;
      return;
    }
    case OP_COUNT:
      m.counters[a]!++;
      if (m.onEvent) fx = { kind: 'count', counter: a, name: m.image.counters[a] ?? '' };
      break;
    case OP_MARK:
      if (m.onEvent) fx = { kind: 'mark', text: m.image.strings[a] ?? '' };
      break;
    case OP_CHOOSE: {
      if (
        chooseValue === undefined ||
        !Number.isInteger(chooseValue) ||
        chooseValue < 0 ||
        chooseValue >= b
      ) {
        throw new RangeError(
          `choose at pc ${pc} on cpu ${t} needs a value in 0..${b - 1}, got ${chooseValue}`,
        );
      }
      g[gb + a] = chooseValue;
      if (m.onEvent) fx = { kind: 'choose', value: chooseValue };
      break;
    }
    default:
      throw new Error(`opcode ${op} at pc ${pc} is not implemented (image not validated?)`);
  }
  m.pc[t] = next;
  if (m.onEvent) emit(m, t, t, pc, true, fx ?? EXEC);
}

// ---- state key (section 7) ------------------------------------------------------------------

/**
 * The explored state as numbers, in section 7 order; a failed assert appends its cpu and pc
 * (SEMANTICS.md 10.6). `stateKey` packs the same numbers into a string.
 */
export function stateVector(m: Machine, out: number[] = []): number[] {
  out.length = 0;
  for (let t = 0; t < m.n; t++) {
    out.push(m.pc[t], m.status[t]);
    for (let r = 0; r < 32; r++) out.push(m.gpr[t * 32 + r]);
    for (let f = 0; f < 8; f++) out.push(m.cr[t * 8 + f]);
    out.push(m.lr[t], m.ctr[t], m.srr0[t], m.srr1[t], m.lpcr[t], m.lpid[t], m.dec[t], m.decArmed[t]);
    out.push(m.ee[t], m.pending[t], m.resv[t], m.resvAddr[t], m.sbLen[t]);
    const base = t * m.sbCap;
    for (let k = 0; k < m.sbLen[t]; k++) out.push(m.sbAddr[base + k], m.sbVal[base + k]);
  }
  for (let a = 1; a < m.memSize; a++) out.push(m.mem[a]);
  for (let e = 0; e < m.nEvents; e++) out.push(m.budget[e]);
  if (m.power) powerStateVector(m, out);
  if (m.failed) out.push(m.failed.cpu, m.failed.pc);
  return out;
}

const scratchVector: number[] = [];
const scratchChars: number[] = [];

/**
 * The visited-state key: `stateVector` with each 32-bit value packed as two UTF-16 code units.
 * The layout is self-delimiting (store-buffer lengths precede their entries), so equal keys
 * mean equal states.
 */
export function stateKey(m: Machine): string {
  const v = stateVector(m, scratchVector);
  scratchChars.length = 0;
  let key = '';
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    scratchChars.push(x & 0xffff, (x >>> 16) & 0xffff);
    if (scratchChars.length >= 8192) {
      key += String.fromCharCode.apply(null, scratchChars);
      scratchChars.length = 0;
    }
  }
  return key + String.fromCharCode.apply(null, scratchChars);
}

// ---- outcomes (section 6) ---------------------------------------------------------------------

export interface Classification {
  outcome: Outcome;
  detail: TrialDetail;
}

/** The cpu owning cell `ea`: the first symbol containing it that names a cpu, else -1. */
export function ownerOf(image: Image, ea: number): number {
  for (const s of image.memory.symbols) {
    if (s.cpu !== undefined && ea >= s.addr && ea < s.addr + s.size) return s.cpu;
  }
  return -1;
}

/**
 * Classify the state a trial ended in: a failed assert gives `assert`; a state with actions still
 * enabled gives `limit` (the caller stopped it); otherwise section 6's rules.
 */
export function classify(m: Machine): Classification {
  if (m.failed) {
    return { outcome: 'assert', detail: { cpu: m.failed.cpu, pc: m.failed.pc, message: m.failed.message } };
  }
  const buf = new Int32Array(actionCount(m));
  if (enabledActionsInto(m, buf) > 0) return { outcome: 'limit', detail: {} };

  const waiting: number[] = [];
  const owners = new Set<number>();
  for (let t = 0; t < m.n; t++) {
    if (m.status[t] !== STATUS_RUNNING) continue;
    const pc = m.pc[t];
    if (pc < 0 || pc >= m.nInstr) continue;
    const i = pc * INSTR_WORDS;
    const op = m.code[i];
    if (op !== OP_AWAIT_EQ && op !== OP_AWAIT_NE) continue;
    waiting.push(t);
    const owner = ownerOf(m.image, awaitAddr(m, t, i));
    if (owner >= 0) owners.add(owner);
  }
  const withStatus = (s: number): number[] => {
    const out: number[] = [];
    for (let t = 0; t < m.n; t++) if (m.status[t] === s) out.push(t);
    return out;
  };
  if (waiting.length > 0) {
    let stuck = [...owners].sort((x, y) => x - y);
    if (stuck.length === 0) stuck = withStatus(STATUS_LOST);
    if (stuck.length === 0) stuck = withStatus(STATUS_NAPPING);
    const w = waiting[0]!;
    return {
      outcome: 'lockup',
      detail: {
        waiting: w,
        stuck,
        message: `watchdog: CPU ${w} detected hard LOCKUP on other CPUs ${stuck.join(',')}`,
      },
    };
  }
  const lost = withStatus(STATUS_LOST);
  if (lost.length > 0) return { outcome: 'lost', detail: { cpu: lost[0]!, reason: m.lostReason[lost[0]!] } };
  const sleepers: number[] = [];
  m.image.threads.forEach((th, t) => {
    if (th.mustHalt && m.status[t] !== STATUS_HALTED) sleepers.push(t);
  });
  if (sleepers.length > 0) {
    return {
      outcome: 'lockup',
      detail: { waiting: -1, stuck: sleepers, message: `watchdog: CPUs ${sleepers.join(',')} never woke up` },
    };
  }
  return { outcome: 'ok', detail: {} };
}

/** The image's `observe` values (registers, and cells read from memory without draining). */
export function finalValues(m: Machine): number[] {
  return m.image.observe.map((o) => (o.kind === 'reg' ? m.gpr[o.cpu * 32 + o.reg] : m.mem[o.addr]));
}
