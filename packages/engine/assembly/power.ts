// The `power` memory model (packages/isa/SEMANTICS.md section 13), a port of the reference engine's
// packages/engine-ref/src/power.ts: the same state, the same action ids in the same order, the same
// eager normalization, function by function, so that both engines agree trial for trial and state
// for state (test/diff.test.ts).
//
// The power state lives in the state block right after the event budgets (layout.ts): one flat run
// of i32 words with the fields of the reference engine's `Machine.P` (powerLayout), arranged so that
// what is live is contiguous (see "the layout of the power words" below). Unused slots and fields are
// kept at 0 (views of no live write at -1), so equal blocks <=> equal section 13.8 keys; the
// explorer hashes only the live runs (`powerHashRuns`).
//
// Hooks: machine.ts asks `gPower` in enumerate/actionEnabled/apply/classify and resetTrialCounters;
// batch.ts runs power's uniform trials with the generic enumerate-pick-apply loop (no incremental
// masks); explore.ts hashes power states with `powerHashRuns`; layout.ts sizes the power words and
// the power-only action ids.

import {
  OP_LI, OP_LIS, OP_LA, OP_MR, OP_ADDI, OP_ADDIS, OP_ADD, OP_SUBF, OP_NEG, OP_AND, OP_ANDC, OP_OR,
  OP_ORI, OP_XOR, OP_SLW, OP_SRW, OP_XORI, OP_ANDI_, OP_MULLI, OP_MULLW, OP_CMPW, OP_CMPWI, OP_CMPLW,
  OP_CMPLWI, OP_B, OP_BL, OP_BLR, OP_BEQ, OP_BNE, OP_BLT, OP_BGT, OP_BLE, OP_BGE, OP_MTCTR, OP_MFCTR,
  OP_BCTR, OP_BCTRL, OP_MFLR, OP_MTLR, OP_BDNZ, OP_LWZ, OP_LWZX, OP_STW, OP_STWX, OP_STWU, OP_LWARX,
  OP_STWCX_, OP_SYNC, OP_LWSYNC, OP_ISYNC, OP_NAP, OP_AWAIT_EQ, OP_AWAIT_NE, OP_NOP, OP_WORK, OP_MARK,
  OP_COUNT, STATUS_RUNNING, STATUS_NAPPING, STATUS_HALTED, STATUS_LOST, PEND_DBELL, PEND_EXT,
  PEND_DEC, LPCR_PECE0, LPCR_PECE1, LPCR_PECEDH, CR_LT, CR_GT, CR_EQ, LOST_BAD_ADDRESS,
} from './opcodes.generated';
import {
  T_PC, T_STATUS, T_GPR, T_CR, T_LR, T_CTR, T_EE, T_PENDING, T_RESV, T_RESV_ADDR, T_LPCR,
  T_DEC_ARMED, gN, gNInstr, gMemSize, gCode, gNEvents, gEventTab, gBudgetOffB, gFootTab,
} from './layout';
import { EV_CPU, EV_WHEN_NAPPING, EV_WORDS } from './abi';
import { gS, threadPtr, memPtr, lostReasonPtr, execStep, execInstr, addSyncs } from './machine';

// ---- configuration ----
/** the loaded image runs under `power` (set by configure(), before the layout is made) */
export let gPower: bool = false;
/** byte offset of the power words inside a state block (layout.ts) */
export let gPOffB: usize = 0;

// ---- footprints (SEMANTICS.md 18) ----
/** FOOT_OFF: the plain model. FOOT_ABSTRACT: the footprint abstraction: a write to a cell outside
 *  a thread's footprint (bitmap gFootTab, bit u * memSize + a) counts as at that thread and never
 *  propagates there; every access is checked against the bitmap. configure() sets FOOT_OFF. */
// @ts-ignore: decorator
@inline export const FOOT_OFF: i32 = 0;
// @ts-ignore: decorator
@inline export const FOOT_ABSTRACT: i32 = 2;
export let gFootMode: i32 = FOOT_OFF;
/** the first access outside the footprint under FOOT_ABSTRACT: 1 + thread * memSize + cell, or 0 */
export let gFootEscape: i32 = 0;
/** why: FOOT_ACCESS (an access outside), FOOT_TABLE (31 live events; the escape is then
 *  1 + threads * memSize) */
export let gFootReason: i32 = 0;
// @ts-ignore: decorator
@inline const FOOT_ACCESS: i32 = 0;
// @ts-ignore: decorator
@inline const FOOT_TABLE: i32 = 1;
// @ts-ignore: decorator
@inline const FOOT_STALL: i32 = 2;

export function setFootprintMode(mode: i32): void {
  gFootMode = gPower && mode == FOOT_ABSTRACT ? FOOT_ABSTRACT : FOOT_OFF;
  gFootEscape = 0;
  gFootReason = FOOT_ACCESS;
}

// @ts-ignore: decorator
@inline function inFootprint(u: i32, a: i32): bool {
  const i = <usize>u * <usize>gMemSize + <usize>a;
  return ((<i32>load<u8>(gFootTab + (i >> 3)) >> <i32>(i & 7)) & 1) != 0;
}

/** Thread t reads its view of cell a, or accepts a write to it: check the footprint. */
// @ts-ignore: decorator
@inline function touch(t: i32, a: i32): void {
  if (gFootMode == FOOT_ABSTRACT && gFootEscape == 0 && !inFootprint(t, a))
    gFootEscape = t * gMemSize + a + 1;
}

/** Can something raise an interrupt at thread t (the bit after the footprint's, SEMANTICS.md 18.2)? */
function interruptible(t: i32): bool {
  const i = <usize>gN * <usize>gMemSize + <usize>t;
  return ((<i32>load<u8>(gFootTab + (i >> 3)) >> <i32>(i & 7)) & 1) != 0;
}

/** Under the abstraction, does thread u ignore cell a (every write to it counts as at u)? */
// @ts-ignore: decorator
@inline function outside(u: i32, a: i32): bool {
  return gFootMode == FOOT_ABSTRACT && !inFootprint(u, a);
}

export function setPower(on: bool): void {
  gPower = on;
}
export function setPowerOffset(offB: usize): void {
  gPOffB = offB;
}

/** In-flight instructions per thread (the window). */
// @ts-ignore: decorator
@inline const PW: i32 = 16;
/** Live storage events (writes and barriers) at once. */
// @ts-ignore: decorator
@inline const PE: i32 = 32;
/** Instructions a thread may retire in one normalization before it stalls until `step t`. */
// @ts-ignore: decorator
@inline const RETIRE_BOUND: i32 = 64;

// @ts-ignore: decorator
@inline const EV_WRITE: i32 = 0;
// @ts-ignore: decorator
@inline const EV_LWSYNC: i32 = 1;

// ---- the layout of the power words (word offsets) ----
//
// The same fields as engine-ref's powerLayout, arranged so that what is live is contiguous: per
// thread small fields, then each thread's window slot-major (slot k = [pc sat fwd addr val done]),
// then the event table event-major (event e = [kind origin addr val wdeps bdeps bsep coSucc,
// prop[0..n-1]]), then the views. Slots k >= wLen and events e >= evCount are kept all-zero, so the
// state hash (`powerHash`) covers only the live prefixes.
let L_WLEN: i32 = 0;
let L_SYNCPEND: i32 = 0;
let L_SYNCDEPS: i32 = 0;
let L_PREBAR: i32 = 0;
let L_STALL: i32 = 0;
let L_EVCOUNT: i32 = 0;
/** per-thread small fields and evCount: words [0, L_SMALL) */
let L_SMALL: i32 = 0;
let L_WIN: i32 = 0;
let L_EV: i32 = 0;
/** words per event record: 8 + n */
let EVS: i32 = 0;
let L_VIEW: i32 = 0;
let L_SIZE: i32 = 0;

// @ts-ignore: decorator
@inline const SLOT_WORDS: i32 = 6;

/** word of field f (0 pc, 1 sat, 2 fwd, 3 addr, 4 val, 5 done) of window slot s = t * PW + k */
// @ts-ignore: decorator
@inline function WI(s: i32, f: i32): i32 {
  return L_WIN + s * SLOT_WORDS + f;
}
/** word of field f (0 kind, 1 origin, 2 addr, 3 val, 4 wdeps, 5 bdeps, 6 bsep, 7 coSucc) of event e */
// @ts-ignore: decorator
@inline function EI(e: i32, f: i32): i32 {
  return L_EV + e * EVS + f;
}
/** word of prop[u] of event e */
// @ts-ignore: decorator
@inline function PROP(e: i32, u: i32): i32 {
  return L_EV + e * EVS + 8 + u;
}

/** Lay out the power words for n threads and memSize cells; returns how many words they take. */
export function powerLayoutWords(n: i32, memSize: i32): i32 {
  let at = 0;
  L_WLEN = at; at += n;
  L_SYNCPEND = at; at += n;
  L_SYNCDEPS = at; at += n;
  L_PREBAR = at; at += n;
  L_STALL = at; at += n;
  L_EVCOUNT = at; at += 1;
  L_SMALL = at;
  L_WIN = at; at += n * PW * SLOT_WORDS;
  EVS = 8 + n;
  L_EV = at; at += PE * EVS;
  L_VIEW = at; at += n * memSize;
  L_SIZE = at;
  return at;
}

/** (pointer, words) pairs of the hash input, filled by powerHashRuns */
const RUNS: usize = memory.data((3 + 64) * 8);

/**
 * The hash input of the power words of the state block at p, as runs of i32 words written at
 * RUNS (returned: how many): the small per-thread fields and evCount, each thread's live window
 * slots, the live events, the views. The rest of the power words is zero, so hashing these runs
 * is a function of the 13.8 key (the lengths are among the hashed fields).
 */
export function powerHashRuns(p: usize): i32 {
  const base = p + gPOffB;
  let k = 0;
  store<u32>(RUNS, <u32>base);
  store<u32>(RUNS, <u32>L_SMALL, 4);
  k++;
  for (let t = 0; t < gN; t++) {
    const len = load<i32>(base + (<usize>(L_WLEN + t) << 2));
    if (len > 0) {
      store<u32>(RUNS + (<usize>k << 3), <u32>(base + (<usize>WI(t * PW, 0) << 2)));
      store<u32>(RUNS + (<usize>k << 3), <u32>(len * SLOT_WORDS), 4);
      k++;
    }
  }
  const cnt = load<i32>(base + (<usize>L_EVCOUNT << 2));
  if (cnt > 0) {
    store<u32>(RUNS + (<usize>k << 3), <u32>(base + (<usize>EI(0, 0) << 2)));
    store<u32>(RUNS + (<usize>k << 3), <u32>(cnt * EVS), 4);
    k++;
  }
  store<u32>(RUNS + (<usize>k << 3), <u32>(base + (<usize>L_VIEW << 2)));
  store<u32>(RUNS + (<usize>k << 3), <u32>(gN * gMemSize), 4);
  return k + 1;
}

/** Run i of the last powerHashRuns: its pointer and its length in words. */
export function powerRunPtr(i: i32): usize {
  return <usize>load<u32>(RUNS + (<usize>i << 3));
}
export function powerRunWords(i: i32): i32 {
  return load<i32>(RUNS + (<usize>i << 3), 4);
}

/** Number of power-only action ids: satisfy (16n), predict (2n), propagate (32n), cohere (32 * 32). */
export function powerActionCount(n: i32): i32 {
  return n * PW + 2 * n + PE * n + PE * PE;
}

// ---- the power words of the state at gS ----
// @ts-ignore: decorator
@inline function P(w: i32): i32 {
  return load<i32>(gS + gPOffB + (<usize>w << 2));
}
// @ts-ignore: decorator
@inline function setP(w: i32, v: i32): void {
  store<i32>(gS + gPOffB + (<usize>w << 2), v);
}

/** The start state's power words (in the state block at gS): views at -1, then normalize. */
export function powerInitState(): void {
  const base = gS + gPOffB;
  memory.fill(base, 0, <usize>L_SIZE << 2);
  const vb = base + (<usize>L_VIEW << 2);
  const cnt = gN * gMemSize;
  for (let i = 0; i < cnt; i++) store<i32>(vb + (<usize>i << 2), -1);
  normalize();
}

// ---- instruction classes ----
// @ts-ignore: decorator
@inline const K_ALU: i32 = 0;
// @ts-ignore: decorator
@inline const K_LOAD: i32 = 1;
// @ts-ignore: decorator
@inline const K_STORE: i32 = 2;
// @ts-ignore: decorator
@inline const K_BRANCH: i32 = 3;
// @ts-ignore: decorator
@inline const K_SYNC: i32 = 4;
// @ts-ignore: decorator
@inline const K_LWSYNC: i32 = 5;
// @ts-ignore: decorator
@inline const K_ISYNC: i32 = 6;
/** executed in order by `step t` with an empty window (SEMANTICS.md 13.6) */
// @ts-ignore: decorator
@inline const K_STRONG: i32 = 7;

/** The class of an opcode under power (SEMANTICS.md 13.1). */
function opClass(op: i32): i32 {
  switch (op) {
    case OP_NOP: case OP_LI: case OP_LIS: case OP_LA: case OP_MR: case OP_ADDI: case OP_ADDIS:
    case OP_ADD: case OP_SUBF: case OP_NEG: case OP_AND: case OP_ANDC: case OP_OR: case OP_ORI:
    case OP_XOR: case OP_SLW: case OP_SRW: case OP_XORI: case OP_ANDI_: case OP_MULLI: case OP_MULLW:
    case OP_CMPW: case OP_CMPWI: case OP_CMPLW: case OP_CMPLWI: case OP_MTCTR: case OP_MFCTR:
    case OP_MTLR: case OP_MFLR: case OP_WORK: case OP_MARK: case OP_COUNT:
      return K_ALU;
    case OP_LWZ: case OP_LWZX:
      return K_LOAD;
    case OP_STW: case OP_STWX: case OP_STWU:
      return K_STORE;
    case OP_B: case OP_BL: case OP_BLR: case OP_BCTR: case OP_BCTRL: case OP_BEQ: case OP_BNE:
    case OP_BLT: case OP_BGT: case OP_BLE: case OP_BGE: case OP_BDNZ:
      return K_BRANCH;
    case OP_SYNC:
      return K_SYNC;
    case OP_LWSYNC:
      return K_LWSYNC;
    case OP_ISYNC:
      return K_ISYNC;
    default:
      return K_STRONG;
  }
}

/** class of every opcode 0..255, filled on first use */
const CLASS: usize = memory.data(256);
let gClassReady: bool = false;

export function initPowerTables(): void {
  if (gClassReady) return;
  for (let op = 0; op < 256; op++) store<u8>(CLASS + <usize>op, <u8>opClass(op));
  gClassReady = true;
}

// @ts-ignore: decorator
@inline function classOf(op: i32): i32 {
  return <i32>load<u8>(CLASS + <usize>(op & 255));
}
// @ts-ignore: decorator
@inline function codeOp(pc: i32): i32 {
  return load<i32>(gCode + (<usize>pc << 4));
}
// @ts-ignore: decorator
@inline function codeA(pc: i32): i32 {
  return load<i32>(gCode + (<usize>pc << 4), 4);
}
// @ts-ignore: decorator
@inline function codeB(pc: i32): i32 {
  return load<i32>(gCode + (<usize>pc << 4), 8);
}
// @ts-ignore: decorator
@inline function codeC(pc: i32): i32 {
  return load<i32>(gCode + (<usize>pc << 4), 12);
}
// @ts-ignore: decorator
@inline function isCondBranch(op: i32): bool {
  return (op >= OP_BEQ && op <= OP_BGE) || op == OP_BDNZ;
}

// ---- architected thread state ----
// @ts-ignore: decorator
@inline function tget(t: i32, field: i32): i32 {
  return load<i32>(threadPtr(t) + (<usize>field << 2));
}
// @ts-ignore: decorator
@inline function tset(t: i32, field: i32, v: i32): void {
  store<i32>(threadPtr(t) + (<usize>field << 2), v);
}

// ---- derived register state of a window (`analyze`) ----
// Register ids: gpr 0..31, cr fields 32..39, LR 40, CTR 41.
// @ts-ignore: decorator
@inline const R_CR: i32 = 32;
// @ts-ignore: decorator
@inline const R_LR: i32 = 40;
// @ts-ignore: decorator
@inline const R_CTR: i32 = 41;
// @ts-ignore: decorator
@inline const NREG: i32 = 42;

// scratch filled by analyze(t) (never part of the state); i32 words
const RK: usize = memory.data(NREG * 4);
const RD: usize = memory.data(NREG * 4);
const RV: usize = memory.data(NREG * 4);
const XAK: usize = memory.data(PW * 4);
const XAD: usize = memory.data(PW * 4);
const XA: usize = memory.data(PW * 4);
const XDK: usize = memory.data(PW * 4);
const XDD: usize = memory.data(PW * 4);
const XD: usize = memory.data(PW * 4);
const XBK: usize = memory.data(PW * 4);
const XBD: usize = memory.data(PW * 4);
const XBN: usize = memory.data(PW * 4);
/** per thread (n <= 64): retirements in this normalization; predictions */
const RETIRED: usize = memory.data(64 * 4);
const PRED: usize = memory.data(64 * 4);

// @ts-ignore: decorator
@inline function rd(arr: usize, i: i32): i32 {
  return load<i32>(arr + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function wr(arr: usize, i: i32, v: i32): void {
  store<i32>(arr + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline function cmpS(x: i32, y: i32): i32 {
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}
// @ts-ignore: decorator
@inline function cmpU(x: i32, y: i32): i32 {
  return <u32>x < <u32>y ? CR_LT : <u32>x > <u32>y ? CR_GT : CR_EQ;
}

function setReg(r: i32, k: i32, d: i32, v: i32): void {
  wr(RK, r, k);
  wr(RD, r, d & k);
  wr(RV, r, v);
}

// @ts-ignore: decorator
@inline function rk(r: i32): i32 {
  return rd(RK, r);
}
// @ts-ignore: decorator
@inline function rdt(r: i32): i32 {
  return rd(RD, r);
}
// @ts-ignore: decorator
@inline function rv(r: i32): i32 {
  return rd(RV, r);
}

/** Derive every slot's address, store data and branch successor for thread t's window (13.2). */
function analyze(t: i32): void {
  const tp = threadPtr(t);
  for (let r = 0; r < 32; r++) {
    wr(RK, r, 1);
    wr(RD, r, 1);
    wr(RV, r, load<i32>(tp + (<usize>(T_GPR + r) << 2)));
  }
  for (let f = 0; f < 8; f++) {
    wr(RK, R_CR + f, 1);
    wr(RD, R_CR + f, 1);
    wr(RV, R_CR + f, load<i32>(tp + (<usize>(T_CR + f) << 2)));
  }
  wr(RK, R_LR, 1);
  wr(RD, R_LR, 1);
  wr(RV, R_LR, load<i32>(tp, T_LR << 2));
  wr(RK, R_CTR, 1);
  wr(RD, R_CTR, 1);
  wr(RV, R_CTR, load<i32>(tp, T_CTR << 2));
  analyzeSlots(t, 0, P(L_WLEN + t));
}

/**
 * Continue the analysis of thread t's window with slots [from, to), the registers as the slots
 * before `from` left them (a window that only grew since the last analysis needs only its new slots).
 */
function analyzeSlots(t: i32, from: i32, to: i32): void {
  const base = t * PW;
  for (let k = from; k < to; k++) {
    const s = base + k;
    const pc = P(WI(s, 0));
    const op = codeOp(pc);
    const a = codeA(pc);
    const b = codeB(pc);
    const c = codeC(pc);
    wr(XAK, k, 0);
    wr(XAD, k, 0);
    wr(XA, k, 0);
    wr(XDK, k, 0);
    wr(XDD, k, 0);
    wr(XD, k, 0);
    wr(XBK, k, 0);
    wr(XBD, k, 0);
    wr(XBN, k, 0);
    // (rA|0) in base position
    const bk = b == 0 ? 1 : rk(b);
    const bd = b == 0 ? 1 : rdt(b);
    const bv = b == 0 ? 0 : rv(b);
    const cls = classOf(op);
    if (cls == K_ALU) {
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
          setReg(a, rk(b), rdt(b), rv(b));
          break;
        case OP_ADD:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) + rv(c));
          break;
        case OP_SUBF:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(c) - rv(b));
          break;
        case OP_NEG:
          setReg(a, rk(b), rdt(b), 0 - rv(b));
          break;
        case OP_MULLW:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) * rv(c));
          break;
        case OP_MULLI:
          setReg(a, rk(b), rdt(b), rv(b) * c);
          break;
        case OP_AND:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) & rv(c));
          break;
        case OP_ANDC:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) & ~rv(c));
          break;
        case OP_OR:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) | rv(c));
          break;
        case OP_XOR:
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), rv(b) ^ rv(c));
          break;
        case OP_ORI:
          setReg(a, rk(b), rdt(b), rv(b) | (c & 0xffff));
          break;
        case OP_XORI:
          setReg(a, rk(b), rdt(b), rv(b) ^ (c & 0xffff));
          break;
        case OP_ANDI_: {
          const v = rv(b) & (c & 0xffff);
          const kk = rk(b);
          const dd = rdt(b);
          setReg(a, kk, dd, v);
          setReg(R_CR, kk, dd, cmpS(v, 0));
          break;
        }
        case OP_SLW:
        case OP_SRW: {
          const sh = rv(c) & 63;
          const v = sh >= 32 ? 0 : op == OP_SLW ? rv(b) << sh : <i32>(<u32>rv(b) >>> sh);
          setReg(a, rk(b) & rk(c), rdt(b) & rdt(c), v);
          break;
        }
        case OP_CMPW:
          setReg(R_CR + a, rk(b) & rk(c), rdt(b) & rdt(c), cmpS(rv(b), rv(c)));
          break;
        case OP_CMPWI:
          setReg(R_CR + a, rk(b), rdt(b), cmpS(rv(b), c));
          break;
        case OP_CMPLW:
          setReg(R_CR + a, rk(b) & rk(c), rdt(b) & rdt(c), cmpU(rv(b), rv(c)));
          break;
        case OP_CMPLWI:
          setReg(R_CR + a, rk(b), rdt(b), cmpU(rv(b), c));
          break;
        case OP_MTCTR:
          setReg(R_CTR, rk(a), rdt(a), rv(a));
          break;
        case OP_MFCTR:
          setReg(a, rk(R_CTR), rdt(R_CTR), rv(R_CTR));
          break;
        case OP_MTLR:
          setReg(R_LR, rk(a), rdt(a), rv(a));
          break;
        case OP_MFLR:
          setReg(a, rk(R_LR), rdt(R_LR), rv(R_LR));
          break;
        default:
          break; // nop, work, mark, count
      }
    } else if (cls == K_LOAD) {
      // lwz: (rA|0) + D; lwzx: (rA|0) + rB
      const ik = op == OP_LWZ ? 1 : rk(c);
      const id = op == OP_LWZ ? 1 : rdt(c);
      const iv = op == OP_LWZ ? c : rv(c);
      wr(XAK, k, bk & ik);
      wr(XAD, k, bd & id & ik & bk);
      wr(XA, k, bv + iv);
      const sat = P(WI(s, 1));
      setReg(a, sat, sat & P(WI(s, 5)), P(WI(s, 4)));
    } else if (cls == K_STORE) {
      if (op == OP_STWU) {
        // EA = rA + D (no r0 special case), rA = EA after the store
        wr(XAK, k, rk(b));
        wr(XAD, k, rdt(b) & rk(b));
        wr(XA, k, rv(b) + c);
      } else {
        const ik = op == OP_STW ? 1 : rk(c);
        const id = op == OP_STW ? 1 : rdt(c);
        const iv = op == OP_STW ? c : rv(c);
        wr(XAK, k, bk & ik);
        wr(XAD, k, bd & id & ik & bk);
        wr(XA, k, bv + iv);
      }
      wr(XDK, k, rk(a));
      wr(XDD, k, rdt(a) & rk(a));
      wr(XD, k, rv(a));
      if (op == OP_STWU) setReg(b, rd(XAK, k), rd(XAD, k), rd(XA, k));
    } else if (cls == K_BRANCH) {
      switch (op) {
        case OP_B:
          wr(XBK, k, 1);
          wr(XBD, k, 1);
          wr(XBN, k, b);
          break;
        case OP_BL:
          wr(XBK, k, 1);
          wr(XBD, k, 1);
          wr(XBN, k, b);
          setReg(R_LR, 1, 1, pc + 1);
          break;
        case OP_BLR:
          wr(XBK, k, rk(R_LR));
          wr(XBD, k, rdt(R_LR) & rk(R_LR));
          wr(XBN, k, rv(R_LR));
          break;
        case OP_BCTR:
        case OP_BCTRL:
          wr(XBK, k, rk(R_CTR));
          wr(XBD, k, rdt(R_CTR) & rk(R_CTR));
          wr(XBN, k, rv(R_CTR));
          if (op == OP_BCTRL) setReg(R_LR, 1, 1, pc + 1);
          break;
        case OP_BDNZ: {
          const nc = rv(R_CTR) - 1;
          wr(XBK, k, rk(R_CTR));
          wr(XBD, k, rdt(R_CTR) & rk(R_CTR));
          wr(XBN, k, nc != 0 ? b : pc + 1);
          setReg(R_CTR, rk(R_CTR), rdt(R_CTR), nc);
          break;
        }
        default: {
          // beq bne blt bgt ble bge crN,target
          const f = rv(R_CR + a);
          let taken: bool;
          if (op == OP_BEQ) taken = (f & CR_EQ) != 0;
          else if (op == OP_BNE) taken = (f & CR_EQ) == 0;
          else if (op == OP_BLT) taken = (f & CR_LT) != 0;
          else if (op == OP_BGT) taken = (f & CR_GT) != 0;
          else if (op == OP_BLE) taken = (f & CR_GT) == 0;
          else taken = (f & CR_LT) == 0;
          wr(XBK, k, rk(R_CR + a));
          wr(XBD, k, rdt(R_CR + a) & rk(R_CR + a));
          wr(XBN, k, taken ? b : pc + 1);
          break;
        }
      }
    }
    // sync, lwsync, isync: nothing to derive
  }
}

// ---- storage subsystem ----
// @ts-ignore: decorator
@inline function bit(e: i32): i32 {
  return 1 << e;
}
// @ts-ignore: decorator
@inline function has(mask: i32, e: i32): bool {
  return ((<u32>mask >>> <u32>e) & 1) != 0;
}
// @ts-ignore: decorator
@inline function low(mask: i32): i32 {
  return ctz<i32>(mask);
}
// @ts-ignore: decorator
@inline function validAddr(ea: i32): bool {
  return ea >= 1 && ea < gMemSize;
}
// @ts-ignore: decorator
@inline function evCount(): i32 {
  return P(L_EVCOUNT);
}
// @ts-ignore: decorator
@inline function viewIdx(u: i32, a: i32): i32 {
  return L_VIEW + u * gMemSize + a;
}

/** Is write w in thread u's list, or superseded there (a coherence successor is)? */
function covered(w: i32, u: i32): bool {
  const a = P(EI(w, 2));
  if (outside(u, a)) return true;
  const v = P(viewIdx(u, a));
  return v == w || (v >= 0 && has(P(EI(w, 7)), v));
}

function coveredAll(w: i32): bool {
  for (let u = 0; u < gN; u++) if (!covered(w, u)) return false;
  return true;
}

// @ts-ignore: decorator
@inline function inList(e: i32, u: i32): bool {
  return P(PROP(e, u)) != 0;
}

/** Could barrier b be in thread u's list now (it is, or everything it orders is at u)? */
function barrierCanArrive(b: i32, u: i32): bool {
  if (inList(b, u)) return true;
  let deps = P(EI(b, 5));
  while (deps != 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (!eventAt(d, u)) return false;
  }
  return true;
}

/** Is event e at thread u for cumulativity (a write: covered there; a barrier: can arrive)? */
function eventAt(e: i32, u: i32): bool {
  return P(EI(e, 0)) == EV_WRITE ? covered(e, u) : barrierCanArrive(e, u);
}

function eventEverywhere(e: i32): bool {
  for (let u = 0; u < gN; u++) if (!eventAt(e, u)) return false;
  return true;
}

/** The live writes coherence-before write w. */
function coPreds(w: i32): i32 {
  const cnt = evCount();
  let mask = 0;
  for (let x = 0; x < cnt; x++) if (has(P(EI(x, 7)), w)) mask |= bit(x);
  return mask;
}

// @ts-ignore: decorator
@inline const KINDS_WRITE: i32 = 1;
// @ts-ignore: decorator
@inline const KINDS_LWSYNC: i32 = 2;
// @ts-ignore: decorator
@inline const KINDS_ALL: i32 = 3;

/** The live events of the kinds in `kinds` that are in thread u's list. */
function eventsIn(u: i32, kinds: i32): i32 {
  const cnt = evCount();
  const n = gN;
  let mask = 0;
  for (let e = 0; e < cnt; e++)
    if (P(PROP(e, u)) != 0 && ((kinds >> P(EI(e, 0))) & 1) != 0) mask |= bit(e);
  return mask;
}

/** Is there a path from write `from` to write `to` in coherence ∪ barrier-separated pairs? */
function reaches(from: i32, to: i32): bool {
  const cnt = evCount();
  let seen = bit(from);
  let frontier = bit(from);
  while (frontier != 0) {
    const x = low(frontier);
    frontier &= ~bit(x);
    let succ = P(EI(x, 7));
    for (let y = 0; y < cnt; y++) if (P(EI(y, 0)) == EV_WRITE && has(P(EI(y, 6)), x)) succ |= bit(y);
    succ &= ~seen;
    seen |= succ;
    frontier |= succ;
  }
  return has(seen, to);
}

/** Order every write in `preds` coherence-before every write in `succs`. */
function addCoherence(preds: i32, succs: i32): void {
  const cnt = evCount();
  for (let p = 0; p < cnt; p++) if (has(preds, p)) setP(EI(p, 7), P(EI(p, 7)) | succs);
}

/** Has every event in thread t's list reached every thread? (nap, lwarx, stwcx. wait for it) */
function drained(t: i32): bool {
  const cnt = evCount();
  for (let e = 0; e < cnt; e++) if (inList(e, t) && !eventEverywhere(e)) return false;
  return true;
}

/** Add a new event accepted from thread t to the table; returns its index. */
function newEvent(t: i32, kind: i32, addr: i32, val: i32): i32 {
  const e = evCount();
  // the callers check room first (commit conditions, step enabling)
  assert(e < PE);
  const n = gN;
  setP(L_EVCOUNT, e + 1);
  // the abstraction is not defined where the table could block it (SEMANTICS.md 18.3)
  if (gFootMode == FOOT_ABSTRACT && e + 1 >= PE - 1 && gFootEscape == 0) {
    gFootEscape = gN * gMemSize + 1;
    gFootReason = FOOT_TABLE;
  }
  setP(EI(e, 0), kind);
  setP(EI(e, 1), t);
  setP(EI(e, 2), addr);
  setP(EI(e, 3), val);
  setP(EI(e, 4), 0);
  setP(EI(e, 5), 0);
  setP(EI(e, 6), 0);
  setP(EI(e, 7), 0);
  for (let u = 0; u < n; u++) setP(PROP(e, u), 0);
  setP(PROP(e, t), 1);
  return e;
}

/** "Accept write request": the write enters the storage subsystem at its own thread. */
function acceptWrite(t: i32, ea: i32, v: i32): i32 {
  touch(t, ea);
  const wdeps = eventsIn(t, KINDS_LWSYNC);
  const e = newEvent(t, EV_WRITE, ea, v);
  setP(EI(e, 4), wdeps);
  setP(EI(e, 6), P(L_PREBAR + t));
  const vi = viewIdx(t, ea);
  const pv = P(vi);
  if (pv >= 0) addCoherence(coPreds(pv) | bit(pv), bit(e));
  setP(vi, e);
  return e;
}

/** "Accept barrier request" for an lwsync or a sync (a barrier event, kind 1). */
function acceptBarrier(t: i32): void {
  const deps = eventsIn(t, KINDS_ALL);
  const e = newEvent(t, EV_LWSYNC, 0, 0);
  setP(EI(e, 5), deps);
  setP(L_PREBAR + t, P(L_PREBAR + t) | eventsIn(t, KINDS_WRITE));
}

/** The writes barrier b orders before what follows it: those in its cumulativity snapshot. */
function barrierWrites(b: i32): i32 {
  let deps = P(EI(b, 5));
  let mask = 0;
  while (deps != 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (P(EI(d, 0)) == EV_WRITE) mask |= bit(d);
  }
  return mask;
}

/** Barrier b arrives at thread u, after the barriers it orders. */
function arriveBarrier(b: i32, u: i32): void {
  if (inList(b, u)) return;
  let deps = P(EI(b, 5));
  while (deps != 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (P(EI(d, 0)) != EV_WRITE) arriveBarrier(d, u);
  }
  setP(PROP(b, u), 1);
  setP(L_PREBAR + u, P(L_PREBAR + u) | barrierWrites(b));
}

/** May write w be propagated to thread u now? */
function propagateEnabled(w: i32, u: i32): bool {
  if (P(EI(w, 0)) != EV_WRITE || inList(w, u) || covered(w, u)) return false;
  let deps = P(EI(w, 4));
  while (deps != 0) {
    const b = low(deps);
    deps &= ~bit(b);
    if (!barrierCanArrive(b, u)) return false;
  }
  const v = P(viewIdx(u, P(EI(w, 2))));
  return !(v >= 0 && reaches(w, v));
}

/** Propagate write w to thread u, the barriers ordered before it arriving there first. */
function propagate(w: i32, u: i32): void {
  let deps = P(EI(w, 4));
  while (deps != 0) {
    const b = low(deps);
    deps &= ~bit(b);
    arriveBarrier(b, u);
  }
  setP(PROP(w, u), 1);
  const a = P(EI(w, 2));
  const vi = viewIdx(u, a);
  const v = P(vi);
  if (v >= 0) addCoherence(coPreds(v) | bit(v), P(EI(w, 7)) | bit(w));
  setP(vi, w);
  if (u != P(EI(w, 1)) && tget(u, T_RESV_ADDR) == a) tset(u, T_RESV, 0);
}

/** May the storage subsystem commit write w1 coherence-before write w2 now? */
function coherenceEnabled(w1: i32, w2: i32): bool {
  if (w1 == w2 || P(EI(w1, 0)) != EV_WRITE || P(EI(w2, 0)) != EV_WRITE) return false;
  if (P(EI(w1, 2)) != P(EI(w2, 2))) return false;
  if (has(P(EI(w1, 7)), w2) || has(P(EI(w2, 7)), w1)) return false;
  return !reaches(w2, w1);
}

function commitCoherence(w1: i32, w2: i32): void {
  addCoherence(coPreds(w1) | bit(w1), P(EI(w2, 7)) | bit(w2));
}

/** Remove bit i from mask, moving the bits above it down by one. */
function dropBit(mask: i32, i: i32): i32 {
  const lo = i == 0 ? 0 : mask & <i32>(<u32>0xffffffff >>> <u32>(32 - i));
  const hi = i == 31 ? 0 : <i32>((<u32>mask >>> <u32>(i + 1)) << <u32>i);
  return lo | hi;
}

/** Remove event i from the table, renumbering the later ones. */
function removeEvent(i: i32): void {
  const n = gN;
  const cnt = evCount();
  // events are records of EVS words: move the later ones down one record, zero the freed one
  const base = gS + gPOffB;
  const rec = <usize>EVS << 2;
  const at = base + (<usize>EI(i, 0) << 2);
  memory.copy(at, at + rec, <usize>(cnt - 1 - i) * rec);
  memory.fill(base + (<usize>EI(cnt - 1, 0) << 2), 0, rec);
  setP(L_EVCOUNT, cnt - 1);
  for (let e = 0; e < cnt - 1; e++) {
    setP(EI(e, 4), dropBit(P(EI(e, 4)), i));
    setP(EI(e, 5), dropBit(P(EI(e, 5)), i));
    setP(EI(e, 6), dropBit(P(EI(e, 6)), i));
    setP(EI(e, 7), dropBit(P(EI(e, 7)), i));
  }
  for (let u = 0; u < n; u++) {
    setP(L_PREBAR + u, dropBit(P(L_PREBAR + u), i));
    setP(L_SYNCDEPS + u, dropBit(P(L_SYNCDEPS + u), i));
  }
  const end = L_VIEW + n * gMemSize;
  for (let x = L_VIEW; x < end; x++) {
    const v = P(x);
    if (v > i) setP(x, v - 1);
  }
}

/** Has every event thread t's sync waits for reached every thread? */
function ackReady(t: i32): bool {
  let deps = P(L_SYNCDEPS + t);
  while (deps != 0) {
    const d = low(deps);
    deps &= ~bit(d);
    if (!eventEverywhere(d)) return false;
  }
  return true;
}

/**
 * Is `step t` a held acknowledgement of t's sync? Under the abstraction (SEMANTICS.md 18.1) no sync
 * is acknowledged eagerly: `step t` acknowledges it, at any later point the scheduler picks, since
 * the model may hold t longer for the propagations the abstraction leaves out. engine-ref powerHeldAck.
 */
function heldAck(t: i32): bool {
  return gFootMode == FOOT_ABSTRACT && P(L_SYNCPEND + t) != 0 && ackReady(t);
}

/** Storage housekeeping to a fixpoint (SEMANTICS.md 13.5). Returns whether anything changed. */
function settleStorage(): bool {
  let changed = false;
  while (true) {
    let step = false;
    for (let t = 0; t < gN; t++) {
      if (P(L_SYNCPEND + t) == 0 || gFootMode == FOOT_ABSTRACT || !ackReady(t)) continue;
      setP(L_SYNCPEND + t, 0);
      setP(L_SYNCDEPS + t, 0);
      step = true;
    }
    const cnt = evCount();
    for (let e = 0; e < cnt && !step; e++) {
      if (P(EI(e, 0)) == EV_WRITE) {
        if (P(EI(e, 6)) != 0 || !coveredAll(e) || coPreds(e) != 0) continue;
        const a = P(EI(e, 2));
        for (let u = 0; u < gN; u++) {
          const vi = viewIdx(u, a);
          if (P(vi) == e) {
            setP(vi, -1);
            store<i32>(memPtr(a), P(EI(e, 3)));
          }
        }
      } else if (P(EI(e, 5)) != 0) continue;
      removeEvent(e);
      step = true;
    }
    if (!step) return changed;
    changed = true;
  }
}

// ---- thread subsystem ----
// @ts-ignore: decorator
@inline function slotClass(s: i32): i32 {
  return classOf(codeOp(P(WI(s, 0))));
}

/** (after analyze) Nearest older store whose address is known and equal to ea, or -1. */
function forwardSource(t: i32, k: i32, ea: i32): i32 {
  const base = t * PW;
  for (let j = k - 1; j >= 0; j--)
    if (slotClass(base + j) == K_STORE && rd(XAK, j) != 0 && rd(XA, j) == ea) return j;
  return -1;
}

/** (after analyze(t)) May the load in slot k of running thread t be satisfied now? */
function satisfyEnabled(t: i32, k: i32): bool {
  const base = t * PW;
  const s = base + k;
  if (slotClass(s) != K_LOAD || P(WI(s, 1)) != 0) return false;
  if (rd(XAK, k) == 0 || !validAddr(rd(XA, k))) return false;
  if (P(L_SYNCPEND + t) != 0) return false;
  for (let j = 0; j < k; j++) {
    const cls = slotClass(base + j);
    if ((cls == K_SYNC || cls == K_LWSYNC || cls == K_ISYNC) && P(WI(base + j, 5)) == 0) return false;
  }
  const j = forwardSource(t, k, rd(XA, k));
  return !(j >= 0 && P(WI(base + j, 5)) == 0 && rd(XDK, j) == 0);
}

/** The thread's view of a cell: its coherence-latest write in its list, else the retired value. */
export function powerViewRead(t: i32, ea: i32): i32 {
  touch(t, ea);
  const v = P(viewIdx(t, ea));
  return v < 0 ? load<i32>(memPtr(ea)) : P(EI(v, 3));
}

function clearSlot(s: i32): void {
  setP(WI(s, 0), 0);
  setP(WI(s, 1), 0);
  setP(WI(s, 2), 0);
  setP(WI(s, 3), 0);
  setP(WI(s, 4), 0);
  setP(WI(s, 5), 0);
}

function unsatisfy(s: i32): void {
  setP(WI(s, 1), 0);
  setP(WI(s, 2), 0);
  setP(WI(s, 3), 0);
  setP(WI(s, 4), 0);
}

function satisfy(t: i32, k: i32): void {
  const base = t * PW;
  const s = base + k;
  const ea = rd(XA, k);
  const j = forwardSource(t, k, ea);
  let v: i32;
  if (j >= 0 && P(WI(base + j, 5)) == 0) {
    v = rd(XD, j);
    setP(WI(s, 2), k - j);
  } else {
    v = powerViewRead(t, ea);
    setP(WI(s, 2), 0);
    // coherence of reads: a younger load of the same cell that read another value must read again
    const len = P(L_WLEN + t);
    for (let k2 = k + 1; k2 < len; k2++) {
      const s2 = base + k2;
      if (
        slotClass(s2) == K_LOAD &&
        P(WI(s2, 1)) != 0 &&
        P(WI(s2, 5)) == 0 &&
        P(WI(s2, 2)) == 0 &&
        P(WI(s2, 3)) == ea &&
        P(WI(s2, 4)) != v
      )
        unsatisfy(s2);
    }
  }
  setP(WI(s, 1), 1);
  setP(WI(s, 3), ea);
  setP(WI(s, 4), v);
}

/** (after analyze) Is the satisfied, uncommitted load in slot k still valid? */
function loadValid(t: i32, k: i32): bool {
  const base = t * PW;
  const s = base + k;
  const ea = P(WI(s, 3));
  if (rd(XAK, k) == 0 || rd(XA, k) != ea) return false;
  const j = forwardSource(t, k, ea);
  const fwd = P(WI(s, 2));
  if (fwd > 0) {
    const src = k - fwd;
    if (src < 0) return j < 0;
    return j == src && rd(XDK, j) != 0 && rd(XD, j) == P(WI(s, 4));
  }
  return j < 0 || P(WI(base + j, 5)) != 0;
}

function clearWindow(t: i32): void {
  const len = P(L_WLEN + t);
  for (let k = 0; k < len; k++) clearSlot(t * PW + k);
  setP(L_WLEN + t, 0);
}

/** (after analyze; every older address determined) Are the older same-cell accesses committed? */
function sameAddressOlderDone(t: i32, k: i32): bool {
  const base = t * PW;
  for (let j = 0; j < k; j++) {
    const cls = slotClass(base + j);
    if ((cls == K_LOAD || cls == K_STORE) && rd(XA, j) == rd(XA, k) && P(WI(base + j, 5)) == 0) return false;
  }
  return true;
}

/** (after analyze) The oldest slot of thread t that may commit now, or -1. */
function firstCommittable(t: i32): i32 {
  const base = t * PW;
  const len = P(L_WLEN + t);
  const pending = P(L_SYNCPEND + t) != 0;
  const room = evCount() < PE;
  let brDone = true;
  let addrDet = true;
  let allDone = true;
  let memDone = true;
  let barDone = true;
  for (let k = 0; k < len; k++) {
    const s = base + k;
    const cls = slotClass(s);
    const done = P(WI(s, 5)) != 0;
    if (!done) {
      let ok = false;
      switch (cls) {
        case K_BRANCH:
          ok = brDone && rd(XBD, k) != 0;
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
            P(WI(s, 1)) != 0 &&
            rd(XAD, k) != 0 &&
            brDone &&
            addrDet &&
            barDone &&
            !pending &&
            sameAddressOlderDone(t, k);
          break;
        case K_STORE:
          ok =
            rd(XAD, k) != 0 &&
            rd(XDD, k) != 0 &&
            validAddr(rd(XA, k)) &&
            brDone &&
            addrDet &&
            barDone &&
            !pending &&
            room &&
            sameAddressOlderDone(t, k);
          break;
        default:
          break;
      }
      if (ok) return k;
    }
    switch (cls) {
      case K_BRANCH:
        brDone = brDone && done;
        allDone = allDone && done;
        break;
      case K_LOAD:
      case K_STORE:
        addrDet = addrDet && rd(XAD, k) != 0;
        memDone = memDone && done;
        allDone = allDone && done;
        break;
      case K_SYNC:
      case K_LWSYNC:
      case K_ISYNC:
        barDone = barDone && done;
        allDone = allDone && done;
        break;
      default:
        break;
    }
  }
  return -1;
}

/** (after analyze) Commit slot k of thread t. */
function commit(t: i32, k: i32): void {
  const base = t * PW;
  const s = base + k;
  const cls = slotClass(s);
  if (cls == K_BRANCH) {
    // resolution: the younger instructions of a mispredicted path are discarded
    const len = P(L_WLEN + t);
    if (k + 1 < len && P(WI(s + 1, 0)) != rd(XBN, k)) {
      for (let j = k + 1; j < len; j++) clearSlot(base + j);
      setP(L_WLEN + t, k + 1);
    }
  } else if (cls == K_STORE) {
    acceptWrite(t, rd(XA, k), rd(XD, k));
  } else if (cls == K_LWSYNC) {
    acceptBarrier(t);
  } else if (cls == K_SYNC) {
    setP(L_SYNCPEND + t, 1);
    setP(L_SYNCDEPS + t, eventsIn(t, KINDS_ALL));
    acceptBarrier(t);
    addSyncs(1);
  }
  setP(WI(s, 5), 1);
}

/** Retire slot 0 of thread t, updating the architected state, and shift the window. */
function retire(t: i32): void {
  const base = t * PW;
  const pc = P(WI(base, 0));
  const op = codeOp(pc);
  const tp = threadPtr(t);
  store<i32>(tp, pc, T_PC << 2);
  const cls = classOf(op);
  if (cls == K_ALU || cls == K_BRANCH) {
    // the inputs are architected now: run the instruction's sc semantics (it sets pc)
    execInstr(t, pc);
  } else if (cls == K_LOAD) {
    store<i32>(tp + (<usize>(T_GPR + codeA(pc)) << 2), P(WI(base, 4)));
    store<i32>(tp, pc + 1, T_PC << 2);
  } else if (cls == K_STORE) {
    if (op == OP_STWU) {
      const rb = codeB(pc);
      const gp = tp + (<usize>(T_GPR + rb) << 2);
      store<i32>(gp, load<i32>(gp) + codeC(pc));
    }
    store<i32>(tp, pc + 1, T_PC << 2);
  } else {
    store<i32>(tp, pc + 1, T_PC << 2);
  }
  const len = P(L_WLEN + t);
  // slots are records of SLOT_WORDS words: move the window down one slot
  const at = gS + gPOffB + (<usize>WI(base, 0) << 2);
  memory.copy(at, at + (<usize>SLOT_WORDS << 2), <usize>(len - 1) * (<usize>SLOT_WORDS << 2));
  clearSlot(base + len - 1);
  setP(L_WLEN + t, len - 1);
}

/** Can pc be fetched into a window (in the code, and not a strong instruction)? */
// @ts-ignore: decorator
@inline function fetchable(pc: i32): bool {
  return pc >= 0 && pc < gNInstr && classOf(codeOp(pc)) != K_STRONG;
}

/** Is fetching open for thread t (running, no interrupt to take, room in the window)? */
function fetchOpen(t: i32): bool {
  const tp = threadPtr(t);
  return (
    load<i32>(tp, T_STATUS << 2) == STATUS_RUNNING &&
    !(load<i32>(tp, T_EE << 2) != 0 && load<i32>(tp, T_PENDING << 2) != 0) &&
    P(L_WLEN + t) < PW
  );
}

/** (after analyze) The pc to fetch next without a prediction, or -1 when there is none. */
function nextFetchPc(t: i32): i32 {
  const len = P(L_WLEN + t);
  if (len == 0) return tget(t, T_PC);
  const last = len - 1;
  const pc = P(WI(t * PW + last, 0));
  const op = codeOp(pc);
  if (classOf(op) != K_BRANCH) return pc + 1;
  if (rd(XBK, last) != 0) return rd(XBN, last);
  if (isCondBranch(op) && codeB(pc) == pc + 1) return pc + 1;
  return -1;
}

function append(t: i32, pc: i32): void {
  const s = t * PW + P(L_WLEN + t);
  clearSlot(s);
  setP(WI(s, 0), pc);
  setP(L_WLEN + t, P(L_WLEN + t) + 1);
}

/** (after analyze) Possible predictions for thread t: bit 0 fall-through, bit 1 taken. */
function predictMask(t: i32): i32 {
  if (!fetchOpen(t)) return 0;
  const len = P(L_WLEN + t);
  if (len == 0) return 0;
  const last = len - 1;
  const pc = P(WI(t * PW + last, 0));
  const op = codeOp(pc);
  if (!isCondBranch(op) || rd(XBK, last) != 0) return 0;
  const target = codeB(pc);
  if (target == pc + 1) return 0;
  return (fetchable(pc + 1) ? 1 : 0) | (fetchable(target) ? 2 : 0);
}

/** Thread t's eager internal steps to a fixpoint (13.4). Returns whether anything changed. */
function settleThread(t: i32): bool {
  const base = t * PW;
  const tp = threadPtr(t);
  let changed = false;
  // slots of the window whose analysis is still valid (the last step only fetched), or -1
  let analyzed = -1;
  while (true) {
    if (load<i32>(tp, T_STATUS << 2) != STATUS_RUNNING || P(L_STALL + t) != 0) return changed;
    const len = P(L_WLEN + t);
    if (len == 0) {
      const pc = load<i32>(tp, T_PC << 2);
      if (!fetchOpen(t) || !fetchable(pc)) return changed;
      append(t, pc);
      changed = true;
      continue;
    }
    if (analyzed >= 0) analyzeSlots(t, analyzed, len);
    else analyze(t);
    analyzed = -1;
    // restart
    let restarted = false;
    for (let k = 0; k < len && !restarted; k++) {
      const s = base + k;
      if (P(WI(s, 1)) == 0 || P(WI(s, 5)) != 0 || slotClass(s) != K_LOAD) continue;
      if (!loadValid(t, k)) {
        unsatisfy(s);
        restarted = true;
      }
    }
    if (restarted) {
      changed = true;
      continue;
    }
    // fault: a determined invalid address on the oldest instruction
    const cls = slotClass(base);
    if ((cls == K_LOAD || cls == K_STORE) && rd(XAD, 0) != 0 && !validAddr(rd(XA, 0))) {
      const pc = P(WI(base, 0));
      clearWindow(t);
      store<i32>(tp, pc, T_PC << 2);
      store<i32>(tp, STATUS_LOST, T_STATUS << 2);
      store<i32>(lostReasonPtr(t), LOST_BAD_ADDRESS);
      return true;
    }
    const k = firstCommittable(t);
    if (k >= 0) {
      commit(t, k);
      changed = true;
      continue;
    }
    if (cls == K_ALU || P(WI(base, 5)) != 0) {
      retire(t);
      const r = rd(RETIRED, t) + 1;
      wr(RETIRED, t, r);
      if (r >= RETIRE_BOUND) setP(L_STALL + t, 1);
      changed = true;
      continue;
    }
    if (fetchOpen(t)) {
      const next = nextFetchPc(t);
      if (next >= 0 && fetchable(next)) {
        append(t, next);
        // nothing else changed since the analysis: only the new slot needs analyzing
        analyzed = len;
        changed = true;
        continue;
      }
    }
    return changed;
  }
}

/**
 * The eager part of the model (13.4), after every action and on the start state: settle thread
 * 0..n-1, then the storage subsystem, until a round changes nothing. A settled thread depends on
 * nothing another thread's settling changes (only on the room in the event table growing and on
 * its own sync being acknowledged, both the storage subsystem's doing), so once a storage pass
 * changes nothing, the next round would change nothing either: it is skipped. (The reference
 * engine runs that last, idle round; the states are the same.)
 */
export function normalize(): void {
  const n = gN;
  for (let t = 0; t < n; t++) wr(RETIRED, t, 0);
  while (true) {
    for (let t = 0; t < n; t++) settleThread(t);
    if (!settleStorage()) return;
  }
}

// ---- step t under power (13.6) ----

/** Pending bits that LPCR lets wake a napping thread. */
// @ts-ignore: decorator
@inline function wakeMask(lpcr: i32): i32 {
  return ((lpcr & LPCR_PECEDH) != 0 ? PEND_DBELL : 0) |
    ((lpcr & LPCR_PECE0) != 0 ? PEND_EXT : 0) |
    ((lpcr & LPCR_PECE1) != 0 ? PEND_DEC : 0);
}

/** Is `step t` enabled under power? */
export function powerStepEnabled(t: i32): bool {
  const tp = threadPtr(t);
  const st = load<i32>(tp, T_STATUS << 2);
  if (st == STATUS_HALTED || st == STATUS_LOST) return false;
  if (st == STATUS_NAPPING) return (load<i32>(tp, T_PENDING << 2) & wakeMask(load<i32>(tp, T_LPCR << 2))) != 0;
  if (P(L_STALL + t) != 0) return true;
  if (heldAck(t)) return true;
  if (!(P(L_WLEN + t) == 0 && P(L_SYNCPEND + t) == 0)) return false;
  if (load<i32>(tp, T_EE << 2) != 0 && load<i32>(tp, T_PENDING << 2) != 0) return true;
  const pc = load<i32>(tp, T_PC << 2);
  if (pc < 0 || pc >= gNInstr) return true;
  const op = codeOp(pc);
  if (classOf(op) != K_STRONG) return false;
  if (op == OP_LWARX || op == OP_STWCX_ || op == OP_NAP) {
    return drained(t) && evCount() + (op == OP_STWCX_ ? 2 : 1) <= PE;
  }
  if (op == OP_AWAIT_EQ || op == OP_AWAIT_NE) {
    const b = codeB(pc);
    const ea = (b == 0 ? 0 : load<i32>(tp + (<usize>(T_GPR + b) << 2))) + codeC(pc);
    if (!validAddr(ea)) return true;
    const v = powerViewRead(t, ea);
    return op == OP_AWAIT_EQ ? v == codeA(pc) : v != codeA(pc);
  }
  return true;
}

/** `stwcx.` under power (the thread is drained): returns whether it succeeded (13.6). */
function storeConditional(t: i32, ea: i32, v: i32): bool {
  if (!(tget(t, T_RESV) != 0 && tget(t, T_RESV_ADDR) == ea)) return false;
  const cnt = evCount();
  for (let w = 0; w < cnt; w++)
    if (P(EI(w, 0)) == EV_WRITE && P(EI(w, 2)) == ea && !covered(w, t)) return false;
  const e = acceptWrite(t, ea, v);
  const n = gN;
  for (let u = 0; u < n; u++) {
    if (u == t || outside(u, ea)) continue;
    const vi = viewIdx(u, ea);
    const pv = P(vi);
    if (pv >= 0 && pv != e) addCoherence(coPreds(pv) | bit(pv), bit(e));
    setP(PROP(e, u), 1);
    setP(vi, e);
    if (tget(u, T_RESV_ADDR) == ea) tset(u, T_RESV, 0);
  }
  return true;
}

/** step t under power: resume a stalled thread, or step as under sc with 13.6's strong rules. */
function powerStep(t: i32): void {
  const tp = threadPtr(t);
  const st = load<i32>(tp, T_STATUS << 2);
  if (st == STATUS_RUNNING) {
    if (P(L_STALL + t) != 0) {
      setP(L_STALL + t, 0);
      return;
    }
    if (heldAck(t)) {
      // an interrupt could tell where the 64-retirement stall now falls (SEMANTICS.md 18.2)
      if (tget(t, T_EE) != 0 && tget(t, T_PENDING) == 0 && interruptible(t) && gFootEscape == 0) {
        gFootEscape = t * gMemSize + 1;
        gFootReason = FOOT_STALL;
      }
      setP(L_SYNCPEND + t, 0);
      setP(L_SYNCDEPS + t, 0);
      return;
    }
    const pc = load<i32>(tp, T_PC << 2);
    const interrupt = load<i32>(tp, T_EE << 2) != 0 && load<i32>(tp, T_PENDING << 2) != 0;
    if (!interrupt && pc >= 0 && pc < gNInstr) {
      const op = codeOp(pc);
      if (op == OP_LWARX || op == OP_STWCX_) {
        const a = codeA(pc);
        const b = codeB(pc);
        const ea = (b == 0 ? 0 : load<i32>(tp + (<usize>(T_GPR + b) << 2))) +
          load<i32>(tp + (<usize>(T_GPR + codeC(pc)) << 2));
        if (!validAddr(ea)) {
          store<i32>(tp, STATUS_LOST, T_STATUS << 2);
          store<i32>(lostReasonPtr(t), LOST_BAD_ADDRESS);
          return;
        }
        // as if an acknowledged sync preceded it
        acceptBarrier(t);
        if (op == OP_LWARX) {
          store<i32>(tp + (<usize>(T_GPR + a) << 2), powerViewRead(t, ea));
          store<i32>(tp, 1, T_RESV << 2);
          store<i32>(tp, ea, T_RESV_ADDR << 2);
        } else {
          const ok = storeConditional(t, ea, load<i32>(tp + (<usize>(T_GPR + a) << 2)));
          store<i32>(tp, ok ? CR_EQ : 0, T_CR << 2);
          store<i32>(tp, 0, T_RESV << 2);
        }
        store<i32>(tp, pc + 1, T_PC << 2);
        return;
      }
      if (op == OP_NAP) acceptBarrier(t);
    }
  }
  execStep(t);
}

// ---- actions ----

/** Append the enabled power-only action ids, ascending, at list[k..]; returns the new k. */
function powerEnabledInto(list: usize, k: i32): i32 {
  const n = gN;
  const P0 = 3 * n + gNEvents;
  for (let t = 0; t < n; t++) {
    wr(PRED, t, 0);
    const len = P(L_WLEN + t);
    if (len == 0 || tget(t, T_STATUS) != STATUS_RUNNING) continue;
    // only an unsatisfied load can be satisfied and only a trailing conditional branch predicted:
    // a window with neither needs no analysis here
    const base = t * PW;
    let need = isCondBranch(codeOp(P(WI(base + len - 1, 0))));
    for (let s = 0; s < len && !need; s++) need = slotClass(base + s) == K_LOAD && P(WI(base + s, 1)) == 0;
    if (!need) continue;
    analyze(t);
    for (let s = 0; s < len; s++) {
      if (satisfyEnabled(t, s)) {
        store<i32>(list + (<usize>k << 2), P0 + t * PW + s);
        k++;
      }
    }
    wr(PRED, t, predictMask(t));
  }
  const P1 = P0 + n * PW;
  for (let t = 0; t < n; t++) {
    const mask = rd(PRED, t);
    if ((mask & 1) != 0) {
      store<i32>(list + (<usize>k << 2), P1 + 2 * t);
      k++;
    }
    if ((mask & 2) != 0) {
      store<i32>(list + (<usize>k << 2), P1 + 2 * t + 1);
      k++;
    }
  }
  const P2 = P1 + 2 * n;
  const cnt = evCount();
  for (let e = 0; e < cnt; e++) {
    for (let u = 0; u < n; u++) {
      if (propagateEnabled(e, u)) {
        store<i32>(list + (<usize>k << 2), P2 + e * n + u);
        k++;
      }
    }
  }
  const P3 = P2 + PE * n;
  for (let w1 = 0; w1 < cnt; w1++) {
    for (let w2 = 0; w2 < cnt; w2++) {
      if (coherenceEnabled(w1, w2)) {
        store<i32>(list + (<usize>k << 2), P3 + w1 * PE + w2);
        k++;
      }
    }
  }
  return k;
}

/** The enabled actions under power in canonical order (sections 2 and 13.3); returns how many. */
export function powerEnumerate(list: usize): i32 {
  let k = 0;
  const n = gN;
  for (let t = 0; t < n; t++) {
    if (powerStepEnabled(t)) {
      store<i32>(list + (<usize>k << 2), t);
      k++;
    }
  }
  for (let t = 0; t < n; t++) {
    const tp = threadPtr(t);
    if (load<i32>(tp, T_DEC_ARMED << 2) != 0 && load<i32>(tp, T_STATUS << 2) <= STATUS_NAPPING) {
      store<i32>(list + (<usize>k << 2), 2 * n + t);
      k++;
    }
  }
  for (let e = 0; e < gNEvents; e++) {
    if (load<i32>(gS + gBudgetOffB + (<usize>e << 2)) <= 0) continue;
    const ev = gEventTab + <usize>e * (EV_WORDS << 2);
    const st = tget(load<i32>(ev, EV_CPU << 2), T_STATUS);
    if (st <= STATUS_NAPPING && (load<i32>(ev, EV_WHEN_NAPPING << 2) == 0 || st == STATUS_NAPPING)) {
      store<i32>(list + (<usize>k << 2), 3 * n + e);
      k++;
    }
  }
  return powerEnabledInto(list, k);
}

/** Is action a enabled under power? (list: scratch room for every action id) */
export function powerActionEnabled(a: i32, list: usize): bool {
  const k = powerEnumerate(list);
  for (let i = 0; i < k; i++) if (load<i32>(list + (<usize>i << 2)) == a) return true;
  return false;
}

/**
 * Apply a step (a < n) or a power-only action (a >= 3n + events) under power; the decrementer
 * and event actions are machine.ts's. The caller normalizes afterwards (`normalize`).
 */
export function powerApplyStep(t: i32): void {
  powerStep(t);
}

export function powerApplyAction(a: i32): void {
  const n = gN;
  let x = a - (3 * n + gNEvents);
  if (x < n * PW) {
    const t = x / PW;
    const k = x - t * PW;
    analyze(t);
    satisfy(t, k);
    return;
  }
  x -= n * PW;
  if (x < 2 * n) {
    const t = x >> 1;
    const d = x & 1;
    const pc = P(WI(t * PW + P(L_WLEN + t) - 1, 0));
    append(t, d == 0 ? pc + 1 : codeB(pc));
    return;
  }
  x -= 2 * n;
  if (x < PE * n) {
    const e = x / n;
    propagate(e, x - e * n);
    return;
  }
  x -= PE * n;
  const w1 = x / PE;
  commitCoherence(w1, x - w1 * PE);
}

/** Is running thread t at an await instruction (its pc in the code)? (classification, 13.7) */
export function atAwait(t: i32): bool {
  const pc = tget(t, T_PC);
  if (pc < 0 || pc >= gNInstr) return false;
  const op = codeOp(pc);
  return op == OP_AWAIT_EQ || op == OP_AWAIT_NE;
}
