// The core's linear memory: regions, the machine-state block, and the allocator.
//
// Everything the core touches lives in one flat region list laid out by `configure()` from the
// image's sizes. There is no managed heap (the module is built with the stub runtime and never
// allocates objects): regions are byte ranges, state is i32 words, pointers are byte offsets.
//
// Regions, from `__heap_base` upwards (each start 16-byte aligned):
//
//   ┌───────────────────────┐ gHeader      HEADER_WORDS i32          (abi.ts)
//   ├───────────────────────┤ gCode        nInstr x [op, a, b, c]    host-written
//   ├───────────────────────┤ gThreadTab   n x TI_WORDS              host-written
//   ├───────────────────────┤ gInitTab     nInit x (addr, value)     host-written
//   ├───────────────────────┤ gSymTab      nSymbols x SY_WORDS       host-written
//   ├───────────────────────┤ gEventTab    nEvents x EV_WORDS        host-written
//   ├───────────────────────┤ gObsTab      nObserve x OB_WORDS       host-written
//   ├───────────────────────┤ gBlkSc       nInstr u8: when may the instruction block (BLK_*), sc
//   ├───────────────────────┤ gBlkTso      nInstr u8: the same under tso
//   ├───────────────────────┤ gLocSc       nInstr u8: 1 if the instruction is a local step (SEMANTICS 17), sc
//   ├───────────────────────┤ gLocTso      nInstr u8: the same under tso
//   ├───────────────────────┤ gStart       one state block: the image's start state
//   ├───────────────────────┤ gWork        one state block: the trial being run
//   ├───────────────────────┤ gActs        gNActions i32: the enabled actions (3n + nEvents, plus
//   │                       │              the power-only ids under power)
//   ├───────────────────────┤ gActs2       gNActions i32: a second list (replay under power)
//   ├───────────────────────┤ gStartCounters nCounters i32: power's start-state counts
//   ├───────────────────────┤ gCounters    nCounters i32: this trial's named counters
//   ├───────────────────────┤ gAggCounters nCounters i64: their sums over a runBatch() call
//   ├───────────────────────┤ gScratch     2n i32: lockup classification
//   ├───────────────────────┤ gDyn         dynamic, per call: replay schedule + records, or the
//   │          ...          │              explorer's visited table, finals and DFS stack
//   └───────────────────────┘ memory.size() grows on demand (ensure)
//
// A state block (i32 words) is the state key of SEMANTICS.md section 7 followed by what is per
// path but not part of the key:
//
//   ┌──────────┬──────────┬───┬────────────────┬─────────────┬───────┬─────┬────────────────┐
//   │ thread 0 │ thread 1 │ … │ mem[0..size-1] │ budget[0..m) │ power │ pad │ lostReason[n] │
//   └──────────┴──────────┴───┴────────────────┴─────────────┴───────┴─────┴────────────────┘
//   └─────────────── key: gKeyWords (multiple of 4), hashed by explore ─────────────┘
//
// `power` (power.ts) is present only under the power model: windows, storage events and views.
//
// mem[0] (the null cell) is never written, so keeping it in the key changes nothing. Unused store
// buffer slots are kept zero, so equal blocks <=> equal section 7 keys.
//
// Thread block, i32 word offsets (stride 55 + 2 * storeBuffer words). Code reads a field with
// the offset as a constant byte displacement, `load<i32>(p, T_PC << 2)`, which AssemblyScript
// folds into the load instruction's immediate offset.
//
//   | word | field        | word | field      | word | field            |
//   |------|--------------|------|------------|------|------------------|
//   | 0    | pc           | 44   | srr0       | 50   | ee               |
//   | 1    | status       | 45   | srr1       | 51   | pending          |
//   | 2-33 | gpr[0..31]   | 46   | lpcr       | 52   | resv             |
//   | 34-41| cr[0..7]     | 47   | lpid       | 53   | resvAddr         |
//   | 42   | lr           | 48   | dec        | 54   | store-buffer len |
//   | 43   | ctr          | 49   | decArmed   | 55.. | (addr, value) x cap, oldest first |

import { HEADER_WORDS, TI_WORDS, MI_WORDS, SY_WORDS, EV_WORDS, OB_WORDS, CROSS_MAX_COUNTERS } from './abi';
import { gPower, powerLayoutWords, powerActionCount, setPowerOffset } from './power';

// @ts-ignore: decorator
@inline export const T_PC: i32 = 0;
// @ts-ignore: decorator
@inline export const T_STATUS: i32 = 1;
// @ts-ignore: decorator
@inline export const T_GPR: i32 = 2;
// @ts-ignore: decorator
@inline export const T_CR: i32 = 34;
// @ts-ignore: decorator
@inline export const T_LR: i32 = 42;
// @ts-ignore: decorator
@inline export const T_CTR: i32 = 43;
// @ts-ignore: decorator
@inline export const T_SRR0: i32 = 44;
// @ts-ignore: decorator
@inline export const T_SRR1: i32 = 45;
// @ts-ignore: decorator
@inline export const T_LPCR: i32 = 46;
// @ts-ignore: decorator
@inline export const T_LPID: i32 = 47;
// @ts-ignore: decorator
@inline export const T_DEC: i32 = 48;
// @ts-ignore: decorator
@inline export const T_DEC_ARMED: i32 = 49;
// @ts-ignore: decorator
@inline export const T_EE: i32 = 50;
// @ts-ignore: decorator
@inline export const T_PENDING: i32 = 51;
// @ts-ignore: decorator
@inline export const T_RESV: i32 = 52;
// @ts-ignore: decorator
@inline export const T_RESV_ADDR: i32 = 53;
// @ts-ignore: decorator
@inline export const T_SB_LEN: i32 = 54;
// @ts-ignore: decorator
@inline export const T_SB: i32 = 55;
/** thread block words before the store buffer */
// @ts-ignore: decorator
@inline export const T_FIXED_WORDS: i32 = 55;

// Block classes: when an instruction may be disabled (SEMANTICS.md sections 3-4).
/** always enabled */
// @ts-ignore: decorator
@inline export const BLK_NEVER: u8 = 0;
/** a store: waits while the store buffer is full (tso) */
// @ts-ignore: decorator
@inline export const BLK_STORE: u8 = 1;
/** lwarx / stwcx. / sync / nap: waits until the store buffer is empty (tso) */
// @ts-ignore: decorator
@inline export const BLK_DRAINED: u8 = 2;
// @ts-ignore: decorator
@inline export const BLK_AWAIT_EQ: u8 = 3;
// @ts-ignore: decorator
@inline export const BLK_AWAIT_NE: u8 = 4;

// ---- region pointers (byte offsets), set by configure() ----
export let gHeader: usize = 0;
export let gCode: usize = 0;
export let gThreadTab: usize = 0;
export let gInitTab: usize = 0;
export let gSymTab: usize = 0;
export let gEventTab: usize = 0;
export let gObsTab: usize = 0;
export let gBlkSc: usize = 0;
export let gBlkTso: usize = 0;
export let gLocSc: usize = 0;
export let gLocTso: usize = 0;
export let gStart: usize = 0;
export let gWork: usize = 0;
export let gActs: usize = 0;
/** a second action list (replay's enabled check under power) */
export let gActs2: usize = 0;
/** power: the start state's named counters (its normalization may count) */
export let gStartCounters: usize = 0;
export let gCounters: usize = 0;
export let gAggCounters: usize = 0;
export let gScratch: usize = 0;
export let gDyn: usize = 0;

// ---- sizes, set by configure() ----
export let gN: i32 = 0;
export let gNInstr: i32 = 0;
export let gMemSize: i32 = 0;
export let gNInit: i32 = 0;
export let gNSymbols: i32 = 0;
export let gNEvents: i32 = 0;
export let gNObserve: i32 = 0;
export let gNCounters: i32 = 0;
export let gNStrings: i32 = 0;
export let gSbCap: i32 = 0;
/** thread block stride in bytes */
export let gStrideB: usize = 0;
/** byte offset of mem[0] inside a state block */
export let gMemOffB: usize = 0;
/** byte offset of the event budgets inside a state block */
export let gBudgetOffB: usize = 0;
/** byte offset of the lost reasons inside a state block */
export let gLostOffB: usize = 0;
/** words of the state key (multiple of 4) */
export let gKeyWords: i32 = 0;
/** bytes of a whole state block (multiple of 16) */
export let gStateBytes: usize = 0;
/** number of action ids: 3n + nEvents */
export let gNActions: i32 = 0;

export function setSizes(
  n: i32,
  nInstr: i32,
  memSize: i32,
  nInit: i32,
  nSymbols: i32,
  nEvents: i32,
  nObserve: i32,
  nCounters: i32,
  nStrings: i32,
  sbCap: i32,
): void {
  gN = n;
  gNInstr = nInstr;
  gMemSize = memSize;
  gNInit = nInit;
  gNSymbols = nSymbols;
  gNEvents = nEvents;
  gNObserve = nObserve;
  gNCounters = nCounters;
  gNStrings = nStrings;
  gSbCap = sbCap;
}

// ---- the allocator for the dynamic area ----
/** first free byte of the dynamic area */
export let gBump: usize = 0;
/** bytes of linear memory currently available */
export let gMemEnd: u64 = 0;

// @ts-ignore: decorator
@inline function align16(x: u64): u64 {
  return (x + 15) & ~(<u64>15);
}

/** Make sure bytes [0, end) exist, growing the memory if needed. False when it cannot. */
/** The most 64 KiB pages the core may use (setMemoryLimit; 65536 = 4 GiB, wasm32's limit). */
let gMaxPages: i32 = 65536;

/**
 * Cap the core's memory at `pages` 64 KiB pages (1 .. 65536). A search or run that would need more
 * fails with E_OUT_OF_MEMORY as it would at 4 GiB; memory already grown is kept but not used
 * beyond the cap.
 */
export function setMemoryLimit(pages: i32): void {
  gMaxPages = pages < 1 ? 1 : pages > 65536 ? 65536 : pages;
}

export function ensure(end: u64): bool {
  gMemEnd = (<u64>memory.size()) << 16;
  if (end > (<u64>gMaxPages) << 16) return false;
  if (end <= gMemEnd) return true;
  const need = <i32>((end - gMemEnd + 0xffff) >> 16);
  // grow geometrically (by a quarter of the current size at least) to keep grow calls rare
  let want = need;
  const quarter = memory.size() >> 2;
  if (want < quarter) want = quarter;
  if (memory.size() + want > gMaxPages) want = gMaxPages - memory.size();
  if (want < need || memory.grow(want) < 0) {
    if (memory.grow(need) < 0) return false;
  }
  gMemEnd = (<u64>memory.size()) << 16;
  return true;
}

/**
 * i64 words of the aggregate counters (abi.ts, H_P_AGG_COUNTERS): Σc, Σc², Σc·wakeups per counter,
 * then Σa·b per counter pair a < b when there are at most CROSS_MAX_COUNTERS counters.
 */
export function aggCounterWords(nCounters: i32): i32 {
  const pairs = nCounters <= CROSS_MAX_COUNTERS ? (nCounters * (nCounters - 1)) >> 1 : 0;
  return 3 * nCounters + pairs;
}

/** Allocate `bytes` (16-byte aligned) in the dynamic area; 0 when memory cannot grow. */
export function alloc(bytes: u64): usize {
  const start = align16(<u64>gBump);
  const end = start + bytes;
  if (!ensure(end)) return 0;
  gBump = <usize>align16(end);
  return <usize>start;
}

/** Forget every dynamic allocation (start of each runBatch() / explore() call). */
export function resetDynamic(): void {
  gBump = gDyn;
}

/** The header lives at the first 16-byte boundary of the heap. */
export function initHeader(): void {
  if (gHeader == 0) {
    gHeader = <usize>align16(<u64>__heap_base);
    ensure(<u64>gHeader + <u64>(HEADER_WORDS << 2));
  }
}

// @ts-ignore: decorator
@inline export function hdr(word: i32): i32 {
  return load<i32>(gHeader + (<usize>word << 2));
}

// @ts-ignore: decorator
@inline export function setHdr(word: i32, v: i32): void {
  store<i32>(gHeader + (<usize>word << 2), v);
}

/**
 * Lay out the regions for the sizes in the header (already range-checked by the caller). Returns
 * false when the memory cannot grow that far.
 */
/** power: the footprint bitmap (bit u * memSize + a: thread u may access cell a), or 0 */
export let gFootTab: usize = 0;

export function layoutRegions(): bool {
  const n = <u64>gN;
  const nInstr = <u64>gNInstr;
  let p = align16(<u64>gHeader + <u64>(HEADER_WORDS << 2));
  gCode = <usize>p;
  p = align16(p + nInstr * 16);
  gThreadTab = <usize>p;
  p = align16(p + n * <u64>(TI_WORDS << 2));
  gInitTab = <usize>p;
  p = align16(p + <u64>gNInit * <u64>(MI_WORDS << 2));
  gSymTab = <usize>p;
  p = align16(p + <u64>gNSymbols * <u64>(SY_WORDS << 2));
  gEventTab = <usize>p;
  p = align16(p + <u64>gNEvents * <u64>(EV_WORDS << 2));
  gObsTab = <usize>p;
  p = align16(p + <u64>gNObserve * <u64>(OB_WORDS << 2));
  gBlkSc = <usize>p;
  p = align16(p + nInstr);
  gBlkTso = <usize>p;
  p = align16(p + nInstr);
  gLocSc = <usize>p;
  p = align16(p + nInstr);
  gLocTso = <usize>p;
  p = align16(p + nInstr);

  const strideWords = <u64>(T_FIXED_WORDS + 2 * gSbCap);
  gStrideB = <usize>(strideWords << 2);
  gMemOffB = <usize>(n * strideWords << 2);
  gBudgetOffB = gMemOffB + (<usize>gMemSize << 2);
  // power: the model's words (power.ts) follow the budgets, inside the key
  const powerWords = gPower ? <u64>powerLayoutWords(gN, gMemSize) : 0;
  setPowerOffset(gBudgetOffB + (<usize>gNEvents << 2));
  const keyWords = (n * strideWords + <u64>gMemSize + <u64>gNEvents + powerWords + 3) & ~(<u64>3);
  gKeyWords = <i32>keyWords;
  gLostOffB = <usize>(keyWords << 2);
  gStateBytes = <usize>align16((keyWords + n) << 2);
  gNActions = 3 * gN + gNEvents + (gPower ? powerActionCount(gN) : 0);

  gStart = <usize>p;
  p = align16(p + <u64>gStateBytes);
  gWork = <usize>p;
  p = align16(p + <u64>gStateBytes);
  gActs = <usize>p;
  p = align16(p + (<u64>gNActions << 2));
  gActs2 = <usize>p;
  p = align16(p + (<u64>gNActions << 2));
  gStartCounters = <usize>p;
  p = align16(p + (<u64>gNCounters << 2));
  gCounters = <usize>p;
  p = align16(p + (<u64>gNCounters << 2));
  gAggCounters = <usize>p;
  p = align16(p + (<u64>aggCounterWords(gNCounters) << 3));
  gScratch = <usize>p;
  p = align16(p + (n << 3));
  // power: the footprint bitmap, bit u * memSize + a (power.ts, SEMANTICS.md 18)
  gFootTab = gPower ? <usize>p : 0;
  // (then one bit per thread: something can interrupt it)
  if (gPower) p = align16(p + ((n * <u64>gMemSize + n + 7) >> 3));
  gDyn = <usize>p;
  gBump = gDyn;
  return ensure(p + 65536);
}
