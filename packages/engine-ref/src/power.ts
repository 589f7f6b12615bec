/**
 * The `power` memory model (`@naplab/isa` SEMANTICS.md section 13): an operational POWER model
 * in the style of Sarkar, Sewell, Alglave, Maranget and Williams, "Understanding POWER
 * Multiprocessors" (PLDI 2011), simplified as section 13 lists.
 *
 * * Thread subsystem: per thread a bounded **window** of in-flight instructions, fetched in
 *   program order (speculatively past unresolved branches, with an explicit prediction where the
 *   two targets differ). Register values are never stored in the window: they are *derived* from
 *   the architected registers and the values of the window's satisfied loads (`analyze`), so a
 *   restarted load takes everything computed from it along. Loads are **satisfied** out of order
 *   by a scheduler action (from the thread's view of memory, or forwarded from an older store);
 *   everything else (commit, branch resolution, barrier acceptance, retirement, fetch, restarts)
 *   happens eagerly in `normalize`, in a fixed order, as soon as its preconditions hold.
 * * Storage subsystem: the PLDI 2011 one, kept flat: a table of live events (writes and
 *   barriers, in acceptance order) with the threads each has been propagated to, a coherence
 *   order (transitively closed successor masks) that grows as writes propagate, the
 *   barrier-separated write pairs whose union with coherence must stay acyclic, per-thread views
 *   (the coherence-latest write of each cell propagated to the thread), and the cumulativity
 *   snapshots taken when an event is accepted. Events leave the table once they can no longer
 *   matter; a cell's value in `mem` is that of its coherence-latest retired write.
 *
 * Everything is deterministic: the only choices are the scheduler's actions (section 13.3).
 */
import { CR_EQ, CR_GT, CR_LT, INSTR_WORDS, LOST_BAD_ADDRESS, Op, STATUS_RUNNING } from '@naplab/isa';
import { emitEvent, executeInstr, loseThread, type Machine } from './machine.js';
import {
  OP_ADD,
  OP_ADDI,
  OP_ADDIS,
  OP_AND,
  OP_ANDC,
  OP_ANDI_,
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
  OP_CMPLW,
  OP_CMPLWI,
  OP_CMPW,
  OP_CMPWI,
  OP_LA,
  OP_LI,
  OP_LIS,
  OP_LWZ,
  OP_MFCTR,
  OP_MFLR,
  OP_MR,
  OP_MTCTR,
  OP_MTLR,
  OP_MULLI,
  OP_MULLW,
  OP_NEG,
  OP_OR,
  OP_ORI,
  OP_SLW,
  OP_SRW,
  OP_STW,
  OP_STWU,
  OP_SUBF,
  OP_XOR,
  OP_XORI,
} from './ops.js';

/**
 * Where each part of the power state lives in `Machine.P` (one flat `Int32Array`, so that a
 * clone is one copy). Unused slots are kept at 0, so equal states have equal arrays.
 */
export interface PowerLayout {
  /** per thread: window length */
  wLen: number;
  /** per window slot `t * POWER_WINDOW + k`: pc, satisfied, forward distance, address, value, done */
  wPc: number;
  wSat: number;
  wFwd: number;
  wAddr: number;
  wVal: number;
  wDone: number;
  /** per thread: a committed sync waits for its acknowledgement; the events it waits for */
  syncPend: number;
  syncDeps: number;
  /** per thread: the writes ordered before its future stores by a barrier (SEMANTICS.md 13.5) */
  preBar: number;
  /** per thread: it retired `POWER_RETIRE_BOUND` instructions in one normalization; `step t` resumes it */
  stall: number;
  /** number of live storage events, then per event (table of `POWER_EVENTS`) */
  evCount: number;
  evKind: number;
  evOrigin: number;
  evAddr: number;
  evVal: number;
  /** write: the barriers in its thread's list when it was accepted */
  evWdeps: number;
  /** lwsync: the events in its thread's list when it was accepted */
  evBdeps: number;
  /** write: the writes before a barrier in its thread's list when it was accepted */
  evBsep: number;
  /** write: the writes coherence-after it (transitively closed) */
  evCoSucc: number;
  /** `[e * n + u]`: event e is in thread u's list (propagated to u) */
  evProp: number;
  /** `[t * memSize + a]`: the live write thread t sees for cell a, or -1 for `mem[a]` */
  view: number;
  size: number;
}

/** The layout for `n` threads and `memSize` cells (all zero-sized when `n` is 0). */
export function powerLayout(n: number, memSize: number): PowerLayout {
  let at = 0;
  const take = (len: number): number => {
    const o = at;
    at += len;
    return o;
  };
  const pe = n === 0 ? 0 : POWER_EVENTS;
  const wn = n * POWER_WINDOW;
  const lay: PowerLayout = {
    wLen: take(n),
    wPc: take(wn),
    wSat: take(wn),
    wFwd: take(wn),
    wAddr: take(wn),
    wVal: take(wn),
    wDone: take(wn),
    syncPend: take(n),
    syncDeps: take(n),
    preBar: take(n),
    stall: take(n),
    evCount: take(n === 0 ? 0 : 1),
    evKind: take(pe),
    evOrigin: take(pe),
    evAddr: take(pe),
    evVal: take(pe),
    evWdeps: take(pe),
    evBdeps: take(pe),
    evBsep: take(pe),
    evCoSucc: take(pe),
    evProp: take(pe * n),
    view: take(n * memSize),
    size: 0,
  };
  lay.size = at;
  return lay;
}

/** In-flight instructions per thread (the window). */
export const POWER_WINDOW = 16;
/** Live storage events (writes and barriers) at once; a commit waits while the table is full. */
export const POWER_EVENTS = 32;
/** Instructions a thread may retire in one normalization before it stalls until `step t`. */
export const POWER_RETIRE_BOUND = 64;

export const EV_WRITE = 0;
export const EV_LWSYNC = 1;

const PW = POWER_WINDOW;
const PE = POWER_EVENTS;

// ---- instruction classes ----------------------------------------------------------------------

/** register-only (and no-effect) instructions: done once their inputs are known */
export const K_ALU = 0;
export const K_LOAD = 1;
export const K_STORE = 2;
export const K_BRANCH = 3;
export const K_SYNC = 4;
export const K_LWSYNC = 5;
export const K_ISYNC = 6;
/** executed in order by `step t` with an empty window (SEMANTICS.md 13.6) */
export const K_STRONG = 7;

const CLASS = new Int8Array(256).fill(K_STRONG);
for (const name of [
  'nop',
  'li',
  'lis',
  'la',
  'mr',
  'addi',
  'addis',
  'add',
  'subf',
  'neg',
  'and',
  'andc',
  'or',
  'ori',
  'xor',
  'slw',
  'srw',
  'xori',
  'andi.',
  'mulli',
  'mullw',
  'cmpw',
  'cmpwi',
  'cmplw',
  'cmplwi',
  'mtctr',
  'mfctr',
  'mtlr',
  'mflr',
  'work',
  'mark',
  'count',
])
  CLASS[Op[name]!] = K_ALU;
for (const name of ['lwz', 'lwzx']) CLASS[Op[name]!] = K_LOAD;
for (const name of ['stw', 'stwx', 'stwu']) CLASS[Op[name]!] = K_STORE;
for (const name of ['b', 'bl', 'blr', 'bctr', 'bctrl', 'beq', 'bne', 'blt', 'bgt', 'ble', 'bge', 'bdnz'])
  CLASS[Op[name]!] = K_BRANCH;
CLASS[Op.sync!] = K_SYNC;
CLASS[Op.lwsync!] = K_LWSYNC;
CLASS[Op.isync!] = K_ISYNC;

/** The class of an opcode under `power`. */
export function opClass(op: number): number {
  return op >= 0 && op < 256 ? CLASS[op]! : K_STRONG;
}

function isCondBranch(op: number): boolean {
  return (op >= OP_BEQ && op <= OP_BGE) || op === OP_BDNZ;
}

// ---- derived register state of a window (`analyze`) ---------------------------------------------

/** Register ids in the analysis: gpr 0..31, cr fields 32..39, LR 40, CTR 41. */
const R_CR = 32;
const R_LR = 40;
const R_CTR = 41;
const NREG = 42;

// Scratch filled by `analyze(m, t)` for one thread at a time (never part of the state).
const RK = new Uint8Array(NREG); // known
const RD = new Uint8Array(NREG); // determined (depends on no uncommitted load)
const RV = new Int32Array(NREG); // value
/** per window slot: effective address known / determined / value (loads and stores) */
const xAK = new Uint8Array(PW);
const xAD = new Uint8Array(PW);
const xA = new Int32Array(PW);
/** per slot: store data known / determined / value */
const xDK = new Uint8Array(PW);
const xDD = new Uint8Array(PW);
const xD = new Int32Array(PW);
/** per slot: branch successor known / determined / value (the next pc) */
const xBK = new Uint8Array(PW);
const xBD = new Uint8Array(PW);
const xBN = new Int32Array(PW);

function cmpS(x: number, y: number): number {
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}

function cmpU(x: number, y: number): number {
  return cmpS(x >>> 0, y >>> 0);
}

function setReg(r: number, k: number, d: number, v: number): void {
  RK[r] = k;
  RD[r] = d & k;
  RV[r] = v | 0;
}

/**
 * Derive, for thread `t`'s window, every slot's address, store data and branch successor, each
 * known (computable now, possibly from unsatisfied-then-satisfied speculative loads) or not, and
 * determined (computed only from architected registers and committed loads) or not.
 */
function analyze(m: Machine, t: number): void {
  const P = m.P;
  const L = m.L;
  const g = m.gpr;
  const gb = t * 32;
  for (let r = 0; r < 32; r++) {
    RK[r] = 1;
    RD[r] = 1;
    RV[r] = g[gb + r]!;
  }
  for (let f = 0; f < 8; f++) {
    RK[R_CR + f] = 1;
    RD[R_CR + f] = 1;
    RV[R_CR + f] = m.cr[t * 8 + f]!;
  }
  RK[R_LR] = 1;
  RD[R_LR] = 1;
  RV[R_LR] = m.lr[t]!;
  RK[R_CTR] = 1;
  RD[R_CTR] = 1;
  RV[R_CTR] = m.ctr[t]!;
  const code = m.code;
  const len = P[L.wLen + t]!;
  const base = t * PW;
  for (let k = 0; k < len; k++) {
    const s = base + k;
    const pc = P[L.wPc + s]!;
    const i = pc * INSTR_WORDS;
    const op = code[i]!;
    const a = code[i + 1]!;
    const b = code[i + 2]!;
    const c = code[i + 3]!;
    xAK[k] = 0;
    xAD[k] = 0;
    xA[k] = 0;
    xDK[k] = 0;
    xDD[k] = 0;
    xD[k] = 0;
    xBK[k] = 0;
    xBD[k] = 0;
    xBN[k] = 0;
    // (rA|0) in base position
    const bk = b === 0 ? 1 : RK[b]!;
    const bd = b === 0 ? 1 : RD[b]!;
    const bv = b === 0 ? 0 : RV[b]!;
    switch (CLASS[op]) {
      case K_ALU:
        switch (op) {
          case OP_LI:
            setReg(a, 1, 1, c);
            break;
          case OP_LIS:
            setReg(a, 1, 1, c << 16);
            break;
          case OP_LA:
          case OP_ADDI:
            setReg(a, bk, bd, bv + c);
            break;
          case OP_ADDIS:
            setReg(a, bk, bd, bv + (c << 16));
            break;
          case OP_MR:
            setReg(a, RK[b]!, RD[b]!, RV[b]!);
            break;
          case OP_ADD:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[b]! + RV[c]!);
            break;
          case OP_SUBF:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[c]! - RV[b]!);
            break;
          case OP_NEG:
            setReg(a, RK[b]!, RD[b]!, -RV[b]!);
            break;
          case OP_MULLW:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, Math.imul(RV[b]!, RV[c]!));
            break;
          case OP_MULLI:
            setReg(a, RK[b]!, RD[b]!, Math.imul(RV[b]!, c));
            break;
          case OP_AND:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[b]! & RV[c]!);
            break;
          case OP_ANDC:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[b]! & ~RV[c]!);
            break;
          case OP_OR:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[b]! | RV[c]!);
            break;
          case OP_XOR:
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, RV[b]! ^ RV[c]!);
            break;
          case OP_ORI:
            setReg(a, RK[b]!, RD[b]!, RV[b]! | (c & 0xffff));
            break;
          case OP_XORI:
            setReg(a, RK[b]!, RD[b]!, RV[b]! ^ (c & 0xffff));
            break;
          case OP_ANDI_: {
            const v = RV[b]! & (c & 0xffff);
            const kk = RK[b]!;
            const dd = RD[b]!;
            setReg(a, kk, dd, v);
            setReg(R_CR, kk, dd, cmpS(v, 0));
            break;
          }
          case OP_SLW:
          case OP_SRW: {
            const sh = RV[c]! & 63;
            const v = sh >= 32 ? 0 : op === OP_SLW ? RV[b]! << sh : RV[b]! >>> sh;
            setReg(a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, v);
            break;
          }
          case OP_CMPW:
            setReg(R_CR + a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, cmpS(RV[b]!, RV[c]!));
            break;
          case OP_CMPWI:
            setReg(R_CR + a, RK[b]!, RD[b]!, cmpS(RV[b]!, c));
            break;
          case OP_CMPLW:
            setReg(R_CR + a, RK[b]! & RK[c]!, RD[b]! & RD[c]!, cmpU(RV[b]!, RV[c]!));
            break;
          case OP_CMPLWI:
            setReg(R_CR + a, RK[b]!, RD[b]!, cmpU(RV[b]!, c));
            break;
          case OP_MTCTR:
            setReg(R_CTR, RK[a]!, RD[a]!, RV[a]!);
            break;
          case OP_MFCTR:
            setReg(a, RK[R_CTR]!, RD[R_CTR]!, RV[R_CTR]!);
            break;
          case OP_MTLR:
            setReg(R_LR, RK[a]!, RD[a]!, RV[a]!);
            break;
          case OP_MFLR:
            setReg(a, RK[R_LR]!, RD[R_LR]!, RV[R_LR]!);
            break;
          default:
            break; // nop, work, mark, count
        }
        break;
      case K_LOAD: {
        // lwz: (rA|0) + D; lwzx: (rA|0) + rB
        const ik = op === OP_LWZ ? 1 : RK[c]!;
        const id = op === OP_LWZ ? 1 : RD[c]!;
        const iv = op === OP_LWZ ? c : RV[c]!;
        xAK[k] = bk & ik;
        xAD[k] = bd & id & ik & bk;
        xA[k] = (bv + iv) | 0;
        const sat = P[L.wSat + s]!;
        setReg(a, sat, sat & P[L.wDone + s]!, P[L.wVal + s]!);
        break;
      }
      case K_STORE: {
        if (op === OP_STWU) {
          // EA = rA + D (no r0 special case), rA = EA after the store
          xAK[k] = RK[b]!;
          xAD[k] = RD[b]! & RK[b]!;
          xA[k] = (RV[b]! + c) | 0;
        } else {
          const ik = op === OP_STW ? 1 : RK[c]!;
          const id = op === OP_STW ? 1 : RD[c]!;
          const iv = op === OP_STW ? c : RV[c]!;
          xAK[k] = bk & ik;
          xAD[k] = bd & id & ik & bk;
          xA[k] = (bv + iv) | 0;
        }
        xDK[k] = RK[a]!;
        xDD[k] = RD[a]! & RK[a]!;
        xD[k] = RV[a]!;
        if (op === OP_STWU) setReg(b, xAK[k]!, xAD[k]!, xA[k]!);
        break;
      }
      case K_BRANCH:
        switch (op) {
          case OP_B:
            xBK[k] = 1;
            xBD[k] = 1;
            xBN[k] = b;
            break;
          case OP_BL:
            xBK[k] = 1;
            xBD[k] = 1;
            xBN[k] = b;
            setReg(R_LR, 1, 1, pc + 1);
            break;
          case OP_BLR:
            xBK[k] = RK[R_LR]!;
            xBD[k] = RD[R_LR]! & RK[R_LR]!;
            xBN[k] = RV[R_LR]!;
            break;
          case OP_BCTR:
          case OP_BCTRL:
            xBK[k] = RK[R_CTR]!;
            xBD[k] = RD[R_CTR]! & RK[R_CTR]!;
            xBN[k] = RV[R_CTR]!;
            if (op === OP_BCTRL) setReg(R_LR, 1, 1, pc + 1);
            break;
          case OP_BDNZ: {
            const nc = (RV[R_CTR]! - 1) | 0;
            xBK[k] = RK[R_CTR]!;
            xBD[k] = RD[R_CTR]! & RK[R_CTR]!;
            xBN[k] = nc !== 0 ? b : pc + 1;
            setReg(R_CTR, RK[R_CTR]!, RD[R_CTR]!, nc);
            break;
          }
          default: {
            // beq bne blt bgt ble bge crN,target
            const f = RV[R_CR + a]!;
            const taken =
              op === OP_BEQ
                ? (f & CR_EQ) !== 0
                : op === OP_BNE
                  ? (f & CR_EQ) === 0
                  : op === OP_BLT
                    ? (f & CR_LT) !== 0
                    : op === OP_BGT
                      ? (f & CR_GT) !== 0
                      : op === OP_BLE
                        ? (f & CR_GT) === 0
                        : (f & CR_LT) === 0;
            xBK[k] = RK[R_CR + a]!;
            xBD[k] = RD[R_CR + a]! & RK[R_CR + a]!;
            xBN[k] = taken ? b : pc + 1;
            break;
          }
        }
        break;
      default:
        break; // sync, lwsync, isync
    }
  }
}

// ---- storage subsystem --------------------------------------------------------------------------

const bit = (e: number): number => 1 << e;
const has = (mask: number, e: number): boolean => ((mask >>> e) & 1) !== 0;
/** index of the lowest set bit of a non-zero mask */
const low = (mask: number): number => 31 - Math.clz32(mask & -mask);

/** Under the footprint abstraction (SEMANTICS.md 18), does thread u ignore cell a? */
function outside(m: Machine, u: number, a: number): boolean {
  return m.foot !== null && m.foot.cells[u * m.memSize + a] === 0;
}

/** Thread t reads its view of cell a, or accepts a write to it: check the footprint. */
function touch(m: Machine, t: number, a: number): void {
  if (m.foot !== null && m.foot.escape < 0 && m.foot.cells[t * m.memSize + a] === 0) {
    m.foot.escape = t * m.memSize + a;
    m.foot.reason = 'access';
  }
}

/** Has every event thread t's sync waits for reached every thread? */
function ackReady(m: Machine, t: number): boolean {
  let deps = m.P[m.L.syncDeps + t]!;
  while (deps !== 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (!eventEverywhere(m, d)) return false;
  }
  return true;
}

/**
 * `step t` acknowledges t's sync (a held acknowledgement)? Under the footprint abstraction
 * (SEMANTICS.md 18.1) no sync is acknowledged eagerly: the model may hold the thread longer for the
 * propagations the abstraction leaves out, and another thread's `stwcx.` or an interrupt could
 * tell. Its acknowledgement is `step t` instead, which the scheduler may take at any later point.
 */
export function powerHeldAck(m: Machine, t: number): boolean {
  return m.foot !== null && m.P[m.L.syncPend + t] !== 0 && ackReady(m, t);
}

/** Acknowledge t's sync. */
export function powerAck(m: Machine, t: number): void {
  // a held acknowledgement: an interrupt could tell where the 64-retirement stall now falls
  const foot = m.foot;
  if (
    foot !== null &&
    foot.escape < 0 &&
    m.ee[t] !== 0 &&
    m.pending[t] === 0 &&
    foot.interruptible[t] !== 0
  ) {
    foot.escape = t * m.memSize;
    foot.reason = 'stall';
  }
  m.P[m.L.syncPend + t] = 0;
  m.P[m.L.syncDeps + t] = 0;
}

function validAddr(m: Machine, ea: number): boolean {
  return ea >= 1 && ea < m.memSize;
}

/** Is write `w` in thread `u`'s list, or superseded there (a coherence successor is)? */
function covered(m: Machine, w: number, u: number): boolean {
  const P = m.P;
  const L = m.L;
  const a = P[L.evAddr + w]!;
  if (outside(m, u, a)) return true;
  const v = P[L.view + u * m.memSize + a]!;
  return v === w || (v >= 0 && has(P[L.evCoSucc + w]!, v));
}

function coveredAll(m: Machine, w: number): boolean {
  for (let u = 0; u < m.n; u++) if (!covered(m, w, u)) return false;
  return true;
}

function inList(m: Machine, e: number, u: number): boolean {
  return m.P[m.L.evProp + e * m.n + u] !== 0;
}

/**
 * Could lwsync `b` be in thread `u`'s list now: it is, or everything it orders (its cumulativity
 * snapshot) is at `u`, so that it may arrive there (lwsyncs arrive lazily, SEMANTICS.md 13.5).
 */
function barrierCanArrive(m: Machine, b: number, u: number): boolean {
  if (inList(m, b, u)) return true;
  let deps = m.P[m.L.evBdeps + b]!;
  while (deps !== 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (!eventAt(m, d, u)) return false;
  }
  return true;
}

/** Is event `e` at thread `u` for cumulativity (a write: covered there; an lwsync: can arrive)? */
function eventAt(m: Machine, e: number, u: number): boolean {
  return m.P[m.L.evKind + e] === EV_WRITE ? covered(m, e, u) : barrierCanArrive(m, e, u);
}

/** Is event `e` at every thread? */
function eventEverywhere(m: Machine, e: number): boolean {
  for (let u = 0; u < m.n; u++) if (!eventAt(m, e, u)) return false;
  return true;
}

function evCount(m: Machine): number {
  return m.P[m.L.evCount]!;
}

/** The live writes coherence-before write `w`. */
function coPreds(m: Machine, w: number): number {
  const P = m.P;
  const o = m.L.evCoSucc;
  const cnt = evCount(m);
  let mask = 0;
  for (let x = 0; x < cnt; x++) if (has(P[o + x]!, w)) mask |= bit(x);
  return mask;
}

const KINDS_WRITE = 1 << EV_WRITE;
const KINDS_LWSYNC = 1 << EV_LWSYNC;
const KINDS_ALL = KINDS_WRITE | KINDS_LWSYNC;

/** The live events of the kinds in `kinds` (a bit per kind) that are in thread `u`'s list. */
function eventsIn(m: Machine, u: number, kinds: number): number {
  const P = m.P;
  const L = m.L;
  const cnt = evCount(m);
  const n = m.n;
  let mask = 0;
  for (let e = 0; e < cnt; e++)
    if (P[L.evProp + e * n + u] !== 0 && ((kinds >> P[L.evKind + e]!) & 1) !== 0) mask |= bit(e);
  return mask;
}

/** Is there a path from write `from` to write `to` in coherence ∪ barrier-separated pairs? */
function reaches(m: Machine, from: number, to: number): boolean {
  const P = m.P;
  const L = m.L;
  const cnt = evCount(m);
  let seen = bit(from);
  let frontier = bit(from);
  while (frontier !== 0) {
    const x = low(frontier);
    frontier &= ~bit(x);
    let succ = P[L.evCoSucc + x]!;
    for (let y = 0; y < cnt; y++)
      if (P[L.evKind + y] === EV_WRITE && has(P[L.evBsep + y]!, x)) succ |= bit(y);
    succ &= ~seen;
    seen |= succ;
    frontier |= succ;
  }
  return has(seen, to);
}

/** Order every write in `preds` coherence-before every write in `succs`. */
function addCoherence(m: Machine, preds: number, succs: number): void {
  const P = m.P;
  const o = m.L.evCoSucc;
  const cnt = evCount(m);
  for (let p = 0; p < cnt; p++) if (has(preds, p)) P[o + p]! |= succs;
}

/** Does thread `t` have a committed `sync` waiting for its acknowledgement? */
export function hasPendingSync(m: Machine, t: number): boolean {
  return m.P[m.L.syncPend + t] !== 0;
}

/**
 * Has every event in thread `t`'s list reached every thread? That is what an acknowledged `sync`
 * committed now would guarantee; `nap`, `lwarx` and `stwcx.` wait for it (SEMANTICS.md 13.6).
 */
export function drained(m: Machine, t: number): boolean {
  const cnt = evCount(m);
  for (let e = 0; e < cnt; e++) if (inList(m, e, t) && !eventEverywhere(m, e)) return false;
  return true;
}

/** Add a new event accepted from thread `t` to the table; returns its index. */
function newEvent(m: Machine, t: number, kind: number, addr: number, val: number): number {
  const P = m.P;
  const L = m.L;
  const e = evCount(m);
  if (e >= PE) throw new Error(`power: the storage event table is full (${PE})`);
  const n = m.n;
  P[L.evCount] = e + 1;
  // the abstraction is not defined where the table could block it (SEMANTICS.md 18.3)
  if (m.foot !== null && e + 1 >= PE - 1 && m.foot.escape < 0) {
    m.foot.escape = n * m.memSize;
    m.foot.reason = 'table';
  }
  P[L.evKind + e] = kind;
  P[L.evOrigin + e] = t;
  P[L.evAddr + e] = addr;
  P[L.evVal + e] = val;
  P[L.evWdeps + e] = 0;
  P[L.evBdeps + e] = 0;
  P[L.evBsep + e] = 0;
  P[L.evCoSucc + e] = 0;
  for (let u = 0; u < n; u++) P[L.evProp + e * n + u] = 0;
  P[L.evProp + e * n + t] = 1;
  m.evTag[e] = t * 65536 + m.evSeq[t]!++;
  return e;
}

/** "Accept write request" (PLDI 2011): the write enters the storage subsystem at its own thread. */
function acceptWrite(m: Machine, t: number, ea: number, v: number): number {
  touch(m, t, ea);
  const P = m.P;
  const L = m.L;
  const wdeps = eventsIn(m, t, KINDS_LWSYNC);
  const e = newEvent(m, t, EV_WRITE, ea, v);
  P[L.evWdeps + e] = wdeps;
  P[L.evBsep + e] = P[L.preBar + t]!;
  const vi = L.view + t * m.memSize + ea;
  const pv = P[vi]!;
  if (pv >= 0) addCoherence(m, coPreds(m, pv) | bit(pv), bit(e));
  P[vi] = e;
  return e;
}

/** "Accept barrier request" for an lwsync or a sync (a barrier event, kind 1). */
function acceptBarrier(m: Machine, t: number): void {
  const P = m.P;
  const L = m.L;
  const deps = eventsIn(m, t, KINDS_ALL);
  const e = newEvent(m, t, EV_LWSYNC, 0, 0);
  P[L.evBdeps + e] = deps;
  P[L.preBar + t]! |= eventsIn(m, t, KINDS_WRITE);
}

/** The writes lwsync `b` orders before what follows it: those in its cumulativity snapshot. */
function barrierWrites(m: Machine, b: number): number {
  const P = m.P;
  const L = m.L;
  let deps = P[L.evBdeps + b]!;
  let mask = 0;
  while (deps !== 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (P[L.evKind + d] === EV_WRITE) mask |= bit(d);
  }
  return mask;
}

/**
 * lwsync `b` arrives at thread `u` (`barrierCanArrive` holds), after the lwsyncs it orders: it
 * joins u's list, and the writes it orders now precede u's future stores across a barrier.
 */
function arriveBarrier(m: Machine, b: number, u: number): void {
  if (inList(m, b, u)) return;
  const P = m.P;
  const L = m.L;
  let deps = P[L.evBdeps + b]!;
  while (deps !== 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (P[L.evKind + d] !== EV_WRITE) arriveBarrier(m, d, u);
  }
  P[L.evProp + b * m.n + u] = 1;
  P[L.preBar + u]! |= barrierWrites(m, b);
}

/** May write `w` be propagated to thread `u` now? (lwsyncs are never propagated on their own) */
function propagateEnabled(m: Machine, w: number, u: number): boolean {
  const P = m.P;
  const L = m.L;
  if (P[L.evKind + w] !== EV_WRITE || inList(m, w, u) || covered(m, w, u)) return false;
  let deps = P[L.evWdeps + w]!;
  while (deps !== 0) {
    const b = low(deps);
    deps &= ~bit(b);
    if (!barrierCanArrive(m, b, u)) return false;
  }
  const v = P[L.view + u * m.memSize + P[L.evAddr + w]!]!;
  return !(v >= 0 && reaches(m, w, v));
}

/** Propagate write `w` to thread `u`, the lwsyncs ordered before it arriving there first. */
function propagate(m: Machine, w: number, u: number, action: number): void {
  const P = m.P;
  const L = m.L;
  let deps = P[L.evWdeps + w]!;
  while (deps !== 0) {
    const b = low(deps);
    deps &= ~bit(b);
    arriveBarrier(m, b, u);
  }
  P[L.evProp + w * m.n + u] = 1;
  const a = P[L.evAddr + w]!;
  const vi = L.view + u * m.memSize + a;
  const v = P[vi]!;
  if (v >= 0) addCoherence(m, coPreds(m, v) | bit(v), P[L.evCoSucc + w]! | bit(w));
  P[vi] = w;
  if (u !== P[L.evOrigin + w] && m.resvAddr[u] === a) m.resv[u] = 0;
  if (m.onEvent) emitEvent(m, action, u, m.pc[u]!, false, { kind: 'drain', addr: a, value: P[L.evVal + w]! });
}

/**
 * May the storage subsystem commit write `w1` coherence-before write `w2` now ("partial coherence
 * commitment", PLDI 2011)? Both live writes to one cell, not yet ordered, and the new edge keeps
 * coherence ∪ barrier-separated pairs acyclic.
 */
function coherenceEnabled(m: Machine, w1: number, w2: number): boolean {
  const P = m.P;
  const L = m.L;
  if (w1 === w2 || P[L.evKind + w1] !== EV_WRITE || P[L.evKind + w2] !== EV_WRITE) return false;
  if (P[L.evAddr + w1] !== P[L.evAddr + w2]) return false;
  if (has(P[L.evCoSucc + w1]!, w2) || has(P[L.evCoSucc + w2]!, w1)) return false;
  return !reaches(m, w2, w1);
}

function commitCoherence(m: Machine, w1: number, w2: number): void {
  addCoherence(m, coPreds(m, w1) | bit(w1), m.P[m.L.evCoSucc + w2]! | bit(w2));
}

/** Remove bit `i` from `mask`, moving the bits above it down by one. */
function dropBit(mask: number, i: number): number {
  const lo = i === 0 ? 0 : mask & (-1 >>> (32 - i));
  const hi = i === 31 ? 0 : (mask >>> (i + 1)) << i;
  return lo | hi;
}

/** Remove event `i` from the table, renumbering the later ones (acceptance order is kept). */
function removeEvent(m: Machine, i: number): void {
  const P = m.P;
  const L = m.L;
  const n = m.n;
  const cnt = evCount(m);
  const perEvent = [L.evKind, L.evOrigin, L.evAddr, L.evVal, L.evWdeps, L.evBdeps, L.evBsep, L.evCoSucc];
  for (const o of perEvent) {
    for (let e = i; e < cnt - 1; e++) P[o + e] = P[o + e + 1]!;
    P[o + cnt - 1] = 0;
  }
  m.evTag.copyWithin(i, i + 1, cnt);
  m.evTag[cnt - 1] = 0;
  for (let e = i; e < cnt - 1; e++)
    for (let u = 0; u < n; u++) P[L.evProp + e * n + u] = P[L.evProp + (e + 1) * n + u]!;
  for (let u = 0; u < n; u++) P[L.evProp + (cnt - 1) * n + u] = 0;
  P[L.evCount] = cnt - 1;
  for (const o of [L.evWdeps, L.evBdeps, L.evBsep, L.evCoSucc])
    for (let e = 0; e < cnt - 1; e++) P[o + e] = dropBit(P[o + e]!, i);
  for (let u = 0; u < n; u++) {
    P[L.preBar + u] = dropBit(P[L.preBar + u]!, i);
    P[L.syncDeps + u] = dropBit(P[L.syncDeps + u]!, i);
  }
  const end = L.view + n * m.memSize;
  for (let x = L.view; x < end; x++) {
    const v = P[x]!;
    if (v > i) P[x] = v - 1;
  }
}

/**
 * Storage housekeeping to a fixpoint (SEMANTICS.md 13.5): acknowledge every pending sync whose
 * events have all reached every thread; retire the first event (in table order) that can no
 * longer matter — an lwsync in every thread's list, or a write covered at every thread whose
 * coherence and barrier-order predecessors have all retired (a write still viewed by a thread
 * then becomes the cell's value in `mem`). Returns whether anything changed.
 */
function settleStorage(m: Machine): boolean {
  const P = m.P;
  const L = m.L;
  let changed = false;
  for (;;) {
    let step = false;
    for (let t = 0; t < m.n; t++) {
      if (P[L.syncPend + t] === 0 || m.foot !== null || !ackReady(m, t)) continue;
      powerAck(m, t);
      step = true;
    }
    const cnt = evCount(m);
    for (let e = 0; e < cnt && !step; e++) {
      if (P[L.evKind + e] === EV_WRITE) {
        if (P[L.evBsep + e] !== 0 || !coveredAll(m, e) || coPreds(m, e) !== 0) continue;
        const a = P[L.evAddr + e]!;
        for (let u = 0; u < m.n; u++) {
          const vi = L.view + u * m.memSize + a;
          if (P[vi] === e) {
            P[vi] = -1;
            m.mem[a] = P[L.evVal + e]!;
          }
        }
      } else if (P[L.evBdeps + e] !== 0) continue; // an lwsync goes once all it orders has retired
      removeEvent(m, e);
      step = true;
    }
    if (!step) return changed;
    changed = true;
  }
}

// ---- thread subsystem ---------------------------------------------------------------------------

function slotClass(m: Machine, s: number): number {
  return CLASS[m.code[m.P[m.L.wPc + s]! * INSTR_WORDS]!]!;
}

/** (after `analyze`) Nearest older store whose address is known and equal to `ea`, or -1. */
function forwardSource(m: Machine, t: number, k: number, ea: number): number {
  const base = t * PW;
  for (let j = k - 1; j >= 0; j--)
    if (slotClass(m, base + j) === K_STORE && xAK[j] !== 0 && xA[j] === ea) return j;
  return -1;
}

/** (after `analyze(m, t)`) May the load in slot `k` of running thread `t` be satisfied now? */
function satisfyEnabled(m: Machine, t: number, k: number): boolean {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const s = base + k;
  if (slotClass(m, s) !== K_LOAD || P[L.wSat + s] !== 0) return false;
  if (xAK[k] === 0 || !validAddr(m, xA[k]!)) return false;
  if (P[L.syncPend + t] !== 0) return false;
  for (let j = 0; j < k; j++) {
    const cls = slotClass(m, base + j);
    if ((cls === K_SYNC || cls === K_LWSYNC || cls === K_ISYNC) && P[L.wDone + base + j] === 0) return false;
  }
  const j = forwardSource(m, t, k, xA[k]!);
  return !(j >= 0 && P[L.wDone + base + j] === 0 && xDK[j] === 0);
}

/** The thread's view of a cell: its coherence-latest write in its list, else the retired value. */
export function powerViewRead(m: Machine, t: number, ea: number): number {
  touch(m, t, ea);
  const v = m.P[m.L.view + t * m.memSize + ea]!;
  return v < 0 ? m.mem[ea]! : m.P[m.L.evVal + v]!;
}

function clearSlot(m: Machine, s: number): void {
  const P = m.P;
  const L = m.L;
  P[L.wPc + s] = 0;
  P[L.wSat + s] = 0;
  P[L.wFwd + s] = 0;
  P[L.wAddr + s] = 0;
  P[L.wVal + s] = 0;
  P[L.wDone + s] = 0;
}

function unsatisfy(m: Machine, s: number): void {
  const P = m.P;
  const L = m.L;
  P[L.wSat + s] = 0;
  P[L.wFwd + s] = 0;
  P[L.wAddr + s] = 0;
  P[L.wVal + s] = 0;
}

function satisfy(m: Machine, t: number, k: number, action: number): void {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const s = base + k;
  const ea = xA[k]!;
  const j = forwardSource(m, t, k, ea);
  let v: number;
  if (j >= 0 && P[L.wDone + base + j] === 0) {
    v = xD[j]!;
    P[L.wFwd + s] = k - j;
  } else {
    v = powerViewRead(m, t, ea);
    P[L.wFwd + s] = 0;
    // coherence of reads: a younger load of the same cell that read an older write (another
    // value) from the storage subsystem must read again
    const len = P[L.wLen + t]!;
    for (let k2 = k + 1; k2 < len; k2++) {
      const s2 = base + k2;
      if (
        slotClass(m, s2) === K_LOAD &&
        P[L.wSat + s2] !== 0 &&
        P[L.wDone + s2] === 0 &&
        P[L.wFwd + s2] === 0 &&
        P[L.wAddr + s2] === ea &&
        P[L.wVal + s2] !== v
      )
        unsatisfy(m, s2);
    }
  }
  P[L.wSat + s] = 1;
  P[L.wAddr + s] = ea;
  P[L.wVal + s] = v;
  if (m.onEvent)
    emitEvent(m, action, t, P[L.wPc + s]!, true, { kind: 'load', addr: ea, value: v, reserve: false });
}

/** (after `analyze`) Is the satisfied, uncommitted load in slot `k` still valid? */
function loadValid(m: Machine, t: number, k: number): boolean {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const s = base + k;
  const ea = P[L.wAddr + s]!;
  if (xAK[k] === 0 || xA[k] !== ea) return false;
  const j = forwardSource(m, t, k, ea);
  const fwd = P[L.wFwd + s]!;
  if (fwd > 0) {
    const src = k - fwd;
    if (src < 0) return j < 0;
    return j === src && xDK[j] !== 0 && xD[j] === P[L.wVal + s];
  }
  return j < 0 || P[L.wDone + base + j] !== 0;
}

function clearWindow(m: Machine, t: number): void {
  const len = m.P[m.L.wLen + t]!;
  for (let k = 0; k < len; k++) clearSlot(m, t * PW + k);
  m.P[m.L.wLen + t] = 0;
}

/** (after `analyze`) The oldest slot of thread `t` that may commit now, or -1. */
function firstCommittable(m: Machine, t: number): number {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const len = P[L.wLen + t]!;
  const pending = P[L.syncPend + t] !== 0;
  const room = evCount(m) < PE;
  let brDone = true; // every older branch committed
  let addrDet = true; // every older load/store has a determined address
  let allDone = true; // every older instruction committed
  let memDone = true; // every older load/store committed
  let barDone = true; // every older sync/lwsync/isync committed
  for (let k = 0; k < len; k++) {
    const s = base + k;
    const cls = slotClass(m, s);
    const done = P[L.wDone + s] !== 0;
    if (!done) {
      let ok = false;
      switch (cls) {
        case K_BRANCH:
          ok = brDone && xBD[k] !== 0;
          break;
        case K_ISYNC:
          ok = brDone;
          break;
        case K_LWSYNC:
          ok = brDone && memDone && barDone && !pending && room;
          break;
        case K_SYNC:
          ok = allDone && !pending && room;
          break;
        case K_LOAD:
          ok =
            P[L.wSat + s] !== 0 &&
            xAD[k] !== 0 &&
            brDone &&
            addrDet &&
            barDone &&
            !pending &&
            sameAddressOlderDone(m, t, k);
          break;
        case K_STORE:
          ok =
            xAD[k] !== 0 &&
            xDD[k] !== 0 &&
            validAddr(m, xA[k]!) &&
            brDone &&
            addrDet &&
            barDone &&
            !pending &&
            room &&
            sameAddressOlderDone(m, t, k);
          break;
        default:
          break;
      }
      if (ok) return k;
    }
    switch (cls) {
      case K_BRANCH:
        brDone &&= done;
        allDone &&= done;
        break;
      case K_LOAD:
      case K_STORE:
        addrDet &&= xAD[k] !== 0;
        memDone &&= done;
        allDone &&= done;
        break;
      case K_SYNC:
      case K_LWSYNC:
      case K_ISYNC:
        barDone &&= done;
        allDone &&= done;
        break;
      default:
        break;
    }
  }
  return -1;
}

/** (after `analyze`; every older address determined) Are the older same-cell accesses committed? */
function sameAddressOlderDone(m: Machine, t: number, k: number): boolean {
  const base = t * PW;
  for (let j = 0; j < k; j++) {
    const cls = slotClass(m, base + j);
    if ((cls === K_LOAD || cls === K_STORE) && xA[j] === xA[k] && m.P[m.L.wDone + base + j] === 0)
      return false;
  }
  return true;
}

/** (after `analyze`) Commit slot `k` of thread `t`. */
function commit(m: Machine, t: number, k: number, action: number): void {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const s = base + k;
  const pc = P[L.wPc + s]!;
  switch (slotClass(m, s)) {
    case K_BRANCH: {
      // resolution: the younger instructions of a mispredicted path are discarded
      const len = P[L.wLen + t]!;
      if (k + 1 < len && P[L.wPc + s + 1] !== xBN[k]) {
        for (let j = k + 1; j < len; j++) clearSlot(m, base + j);
        P[L.wLen + t] = k + 1;
      }
      break;
    }
    case K_STORE:
      acceptWrite(m, t, xA[k]!, xD[k]!);
      if (m.onEvent)
        emitEvent(m, action, t, pc, true, { kind: 'store', addr: xA[k]!, value: xD[k]!, buffered: true });
      break;
    case K_LWSYNC:
      acceptBarrier(m, t);
      break;
    case K_SYNC:
      P[L.syncPend + t] = 1;
      P[L.syncDeps + t] = eventsIn(m, t, KINDS_ALL);
      acceptBarrier(m, t);
      m.syncs++;
      if (m.onEvent) emitEvent(m, action, t, pc, true, { kind: 'sync' });
      break;
    default:
      break; // load, isync
  }
  P[L.wDone + s] = 1;
}

/** Retire slot 0 of thread `t` (complete), updating the architected state, and shift the window. */
function retire(m: Machine, t: number): void {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  const pc = P[L.wPc + base]!;
  const i = pc * INSTR_WORDS;
  const op = m.code[i]!;
  m.pc[t] = pc;
  switch (CLASS[op]) {
    case K_ALU:
    case K_BRANCH:
      // the inputs are architected now: run the instruction's sc semantics (it sets pc)
      executeInstr(m, t, pc);
      break;
    case K_LOAD:
      m.gpr[t * 32 + m.code[i + 1]!] = P[L.wVal + base]!;
      m.pc[t] = pc + 1;
      break;
    case K_STORE:
      if (op === OP_STWU) {
        const rb = m.code[i + 2]!;
        m.gpr[t * 32 + rb] = (m.gpr[t * 32 + rb]! + m.code[i + 3]!) | 0;
      }
      m.pc[t] = pc + 1;
      break;
    default:
      m.pc[t] = pc + 1;
      break;
  }
  const len = P[L.wLen + t]!;
  for (const o of [L.wPc, L.wSat, L.wFwd, L.wAddr, L.wVal, L.wDone]) {
    for (let k = 0; k < len - 1; k++) P[o + base + k] = P[o + base + k + 1]!;
  }
  clearSlot(m, base + len - 1);
  P[L.wLen + t] = len - 1;
}

/** Can `pc` be fetched into a window (in the code, and not a strong instruction)? */
function fetchable(m: Machine, pc: number): boolean {
  return pc >= 0 && pc < m.nInstr && CLASS[m.code[pc * INSTR_WORDS]!] !== K_STRONG;
}

/** Is fetching open for thread `t` (running, no interrupt to take, room in the window)? */
function fetchOpen(m: Machine, t: number): boolean {
  return m.status[t] === STATUS_RUNNING && !(m.ee[t] !== 0 && m.pending[t] !== 0) && m.P[m.L.wLen + t]! < PW;
}

/** (after `analyze`) The pc to fetch next without a prediction, or -1 when there is none. */
function nextFetchPc(m: Machine, t: number): number {
  const len = m.P[m.L.wLen + t]!;
  if (len === 0) return m.pc[t]!;
  const last = len - 1;
  const pc = m.P[m.L.wPc + t * PW + last]!;
  const i = pc * INSTR_WORDS;
  const op = m.code[i]!;
  if (CLASS[op] !== K_BRANCH) return pc + 1;
  if (xBK[last] !== 0) return xBN[last]!;
  if (isCondBranch(op) && m.code[i + 2] === pc + 1) return pc + 1;
  return -1;
}

function append(m: Machine, t: number, pc: number): void {
  const s = t * PW + m.P[m.L.wLen + t]!;
  clearSlot(m, s);
  m.P[m.L.wPc + s] = pc;
  m.P[m.L.wLen + t]! += 1;
}

/** (after `analyze`) Possible predictions for thread `t`: bit 0 fall-through, bit 1 taken. */
function predictMask(m: Machine, t: number): number {
  if (!fetchOpen(m, t)) return 0;
  const len = m.P[m.L.wLen + t]!;
  if (len === 0) return 0;
  const last = len - 1;
  const pc = m.P[m.L.wPc + t * PW + last]!;
  const i = pc * INSTR_WORDS;
  const op = m.code[i]!;
  if (!isCondBranch(op) || xBK[last] !== 0) return 0;
  const target = m.code[i + 2]!;
  if (target === pc + 1) return 0;
  return (fetchable(m, pc + 1) ? 1 : 0) | (fetchable(m, target) ? 2 : 0);
}

/**
 * Thread `t`'s eager internal steps to a fixpoint, one at a time, in this priority: restart the
 * oldest invalid satisfied load; fault on the oldest instruction; commit the oldest committable
 * instruction; retire the oldest instruction if complete; fetch one instruction. Returns whether
 * anything changed.
 */
function settleThread(m: Machine, t: number, action: number): boolean {
  const P = m.P;
  const L = m.L;
  const base = t * PW;
  let changed = false;
  for (;;) {
    if (m.status[t] !== STATUS_RUNNING || P[L.stall + t] !== 0) return changed;
    const len = P[L.wLen + t]!;
    if (len === 0) {
      // nothing in flight: only a fetch at pc can happen
      const pc = m.pc[t]!;
      if (!fetchOpen(m, t) || !fetchable(m, pc)) return changed;
      append(m, t, pc);
      changed = true;
      continue;
    }
    analyze(m, t);
    // restart
    let restarted = false;
    for (let k = 0; k < len && !restarted; k++) {
      const s = base + k;
      if (P[L.wSat + s] === 0 || P[L.wDone + s] !== 0 || slotClass(m, s) !== K_LOAD) continue;
      if (!loadValid(m, t, k)) {
        unsatisfy(m, s);
        restarted = true;
      }
    }
    if (restarted) {
      changed = true;
      continue;
    }
    if (len > 0) {
      // fault: a determined invalid address on the oldest instruction (a precise exception)
      const cls = slotClass(m, base);
      if ((cls === K_LOAD || cls === K_STORE) && xAD[0] !== 0 && !validAddr(m, xA[0]!)) {
        const pc = P[L.wPc + base]!;
        clearWindow(m, t);
        m.pc[t] = pc;
        loseThread(m, t, LOST_BAD_ADDRESS);
        if (m.onEvent) emitEvent(m, action, t, pc, true, { kind: 'lost', reason: LOST_BAD_ADDRESS });
        return true;
      }
      const k = firstCommittable(m, t);
      if (k >= 0) {
        commit(m, t, k, action);
        changed = true;
        continue;
      }
      if (cls === K_ALU || P[L.wDone + base] !== 0) {
        retire(m, t);
        // a loop of register-only instructions must not run forever inside one action
        if (++retiredScratch[t]! >= POWER_RETIRE_BOUND) P[L.stall + t] = 1;
        changed = true;
        continue;
      }
    }
    if (fetchOpen(m, t)) {
      const next = nextFetchPc(m, t);
      if (next >= 0 && fetchable(m, next)) {
        append(m, t, next);
        changed = true;
        continue;
      }
    }
    return changed;
  }
}

/**
 * The eager part of the model (SEMANTICS.md 13.4), run after every action and on the start
 * state: settle thread 0, 1, ..., n-1, then the storage subsystem; repeat until nothing changes.
 */
const retiredScratch: number[] = [];

export function normalize(m: Machine, action: number): void {
  for (let t = 0; t < m.n; t++) retiredScratch[t] = 0;
  for (;;) {
    let changed = false;
    for (let t = 0; t < m.n; t++) if (settleThread(m, t, action)) changed = true;
    if (settleStorage(m)) changed = true;
    if (!changed) return;
  }
}

// ---- actions ------------------------------------------------------------------------------------

/** First power-only action id: `3n + events`. */
export function powerActionBase(m: Machine): number {
  return 3 * m.n + m.nEvents;
}

/**
 * Number of power-only action ids: satisfy (n * window), predict (2n), propagate (events * n),
 * coherence commitment (events * events).
 */
export function powerActionCount(m: Machine): number {
  return m.n * PW + 2 * m.n + PE * m.n + PE * PE;
}

const predScratch: number[] = [];

/** Append the enabled power-only action ids, ascending, to `out` from index `k`; returns the new k. */
export function powerEnabledInto(m: Machine, out: Int32Array | number[], k: number): number {
  const n = m.n;
  const P0 = powerActionBase(m);
  for (let t = 0; t < n; t++) {
    predScratch[t] = 0;
    const len = m.P[m.L.wLen + t]!;
    if (len === 0 || m.status[t] !== STATUS_RUNNING) continue;
    analyze(m, t);
    for (let s = 0; s < len; s++) if (satisfyEnabled(m, t, s)) out[k++] = P0 + t * PW + s;
    predScratch[t] = predictMask(m, t);
  }
  const P1 = P0 + n * PW;
  for (let t = 0; t < n; t++) {
    const mask = predScratch[t]!;
    if (mask & 1) out[k++] = P1 + 2 * t;
    if (mask & 2) out[k++] = P1 + 2 * t + 1;
  }
  const P2 = P1 + 2 * n;
  const cnt = evCount(m);
  for (let e = 0; e < cnt; e++)
    for (let u = 0; u < n; u++) if (propagateEnabled(m, e, u)) out[k++] = P2 + e * n + u;
  const P3 = P2 + PE * n;
  for (let w1 = 0; w1 < cnt; w1++)
    for (let w2 = 0; w2 < cnt; w2++) if (coherenceEnabled(m, w1, w2)) out[k++] = P3 + w1 * PE + w2;
  return k;
}

/** Apply a power-only action (`id >= powerActionBase(m)`); the caller normalizes afterwards. */
export function powerApply(m: Machine, action: number): void {
  const n = m.n;
  let x = action - powerActionBase(m);
  if (x < n * PW) {
    const t = Math.floor(x / PW);
    const k = x - t * PW;
    if (m.status[t] !== STATUS_RUNNING || k >= m.P[m.L.wLen + t]!)
      throw new Error(`action ${action}: thread ${t} has no instruction in window slot ${k}`);
    analyze(m, t);
    if (!satisfyEnabled(m, t, k))
      throw new Error(`action ${action}: the load in slot ${k} of thread ${t} cannot be satisfied now`);
    satisfy(m, t, k, action);
    return;
  }
  x -= n * PW;
  if (x < 2 * n) {
    const t = x >> 1;
    const d = x & 1;
    analyze(m, t);
    if ((predictMask(m, t) & (1 << d)) === 0)
      throw new Error(`action ${action}: thread ${t} has no branch to predict that way`);
    const pc = m.P[m.L.wPc + t * PW + m.P[m.L.wLen + t]! - 1]!;
    append(m, t, d === 0 ? pc + 1 : m.code[pc * INSTR_WORDS + 2]!);
    return;
  }
  x -= 2 * n;
  if (x < PE * n) {
    const e = Math.floor(x / n);
    const u = x - e * n;
    if (e >= evCount(m) || !propagateEnabled(m, e, u))
      throw new Error(`action ${action}: event ${e} cannot be propagated to thread ${u} now`);
    propagate(m, e, u, action);
    return;
  }
  x -= PE * n;
  const w1 = Math.floor(x / PE);
  const w2 = x - w1 * PE;
  if (w1 >= evCount(m) || w2 >= evCount(m) || !coherenceEnabled(m, w1, w2))
    throw new Error(`action ${action}: write ${w1} cannot be ordered before write ${w2} now`);
  commitCoherence(m, w1, w2);
}

/** `step t` under power needs an empty window and no pending sync (SEMANTICS.md 13.6). */
export function powerStepReady(m: Machine, t: number): boolean {
  return m.P[m.L.wLen + t] === 0 && m.P[m.L.syncPend + t] === 0;
}

/** Is running thread `t` stalled (SEMANTICS.md 13.4): `step t` then only resumes it. */
export function powerStalled(m: Machine, t: number): boolean {
  return m.P[m.L.stall + t] !== 0;
}

/** `step t` of a stalled thread: resume it (normalization goes on with it). */
export function powerResume(m: Machine, t: number): void {
  m.P[m.L.stall + t] = 0;
}

/** Is `pc` an instruction that `step t` executes under power (a strong one), or outside the code? */
export function powerStrongAt(m: Machine, pc: number): boolean {
  return pc < 0 || pc >= m.nInstr || CLASS[m.code[pc * INSTR_WORDS]!] === K_STRONG;
}

/** Room in the event table for `k` more events. */
export function powerTableRoom(m: Machine, k: number): boolean {
  return evCount(m) + k <= PE;
}

/**
 * The implicit sync before `nap`, `lwarx` and `stwcx.` (the thread is drained, so it is
 * acknowledged at once): its barrier event joins the storage subsystem (SEMANTICS.md 13.6).
 */
export function powerImplicitSync(m: Machine, t: number): void {
  acceptBarrier(m, t);
}

/**
 * `stwcx.` under power (the thread is drained): succeeds iff the reservation holds on `ea` and
 * every live write to `ea` is covered at `t`; the store is then coherence-last and enters every
 * thread's list at once. Returns whether it succeeded.
 */
export function powerStoreConditional(m: Machine, t: number, ea: number, v: number): boolean {
  if (!(m.resv[t] !== 0 && m.resvAddr[t] === ea)) return false;
  const P = m.P;
  const L = m.L;
  const cnt = evCount(m);
  for (let w = 0; w < cnt; w++)
    if (P[L.evKind + w] === EV_WRITE && P[L.evAddr + w] === ea && !covered(m, w, t)) return false;
  const e = acceptWrite(m, t, ea, v);
  const n = m.n;
  for (let u = 0; u < n; u++) {
    if (u === t || outside(m, u, ea)) continue;
    const vi = L.view + u * m.memSize + ea;
    const pv = P[vi]!;
    if (pv >= 0 && pv !== e) addCoherence(m, coPreds(m, pv) | bit(pv), bit(e));
    P[L.evProp + e * n + u] = 1;
    P[vi] = e;
    if (m.resvAddr[u] === ea) m.resv[u] = 0;
  }
  return true;
}

/** The power part of the explored state (SEMANTICS.md 13.8), appended to `out`. */
export function powerStateVector(m: Machine, out: number[]): void {
  const P = m.P;
  const L = m.L;
  const n = m.n;
  for (let t = 0; t < n; t++) {
    const len = P[L.wLen + t]!;
    out.push(len);
    for (let k = 0; k < len; k++) {
      const s = t * PW + k;
      out.push(
        P[L.wPc + s]!,
        P[L.wSat + s]!,
        P[L.wFwd + s]!,
        P[L.wAddr + s]!,
        P[L.wVal + s]!,
        P[L.wDone + s]!,
      );
    }
    out.push(P[L.syncPend + t]!, P[L.syncDeps + t]!, P[L.preBar + t]!, P[L.stall + t]!);
  }
  const cnt = evCount(m);
  out.push(cnt);
  for (let e = 0; e < cnt; e++) {
    out.push(P[L.evKind + e]!, P[L.evOrigin + e]!, P[L.evAddr + e]!, P[L.evVal + e]!);
    out.push(P[L.evWdeps + e]!, P[L.evBdeps + e]!, P[L.evBsep + e]!, P[L.evCoSucc + e]!);
    for (let u = 0; u < n; u++) out.push(P[L.evProp + e * n + u]!);
  }
  for (let t = 0; t < n; t++) {
    const vb = L.view + t * m.memSize;
    for (let a = 1; a < m.memSize; a++) out.push(P[vb + a]!);
  }
}

/** Number of live storage events (0 once a trial has run to completion). */
export function liveEvents(m: Machine): number {
  return evCount(m);
}

/** A thread that becomes `LOST` drops its in-flight instructions (they never happened). */
export function powerDropWindow(m: Machine, t: number): void {
  clearWindow(m, t);
}
