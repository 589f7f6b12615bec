// The host <-> core interface: header words, host-written tables, per-trial records, error codes.
//
// Every constant here must match src/abi.ts (the TypeScript loader's copy); test/abi.test.ts parses
// this file and checks that both agree, so change them together.
//
// The header is a block of i32 words at `headerPtr()` (i64 fields sit at even word indices and are
// read as i64). The host fills the "sizes" words, calls `configure()`, writes its tables at the
// byte offsets configure() returns in the "table pointers" words, then calls `loadImage()`.
//
//   word  0 ┌──────────────────────────┐
//           │ image sizes and limits   │  written by the host (H_NTHREADS .. H_VERSION)
//   word 20 ├──────────────────────────┤
//           │ table pointers           │  written by configure() (H_P_*)
//   word 28 ├──────────────────────────┤
//           │ error code and argument  │  written by every entry point
//   word 32 ├──────────────────────────┤
//           │ run / explore outputs    │  record area, finals, counts
//   word 64 ├──────────────────────────┤
//           │ aggregates, 15 x i64     │  per runBatch() call (A_* indices)
//  word 100 └──────────────────────────┘

// ---- header: sizes written by the host ----
// @ts-ignore: decorator
@inline export const H_NTHREADS: i32 = 0;
// @ts-ignore: decorator
@inline export const H_NINSTR: i32 = 1;
// @ts-ignore: decorator
@inline export const H_MEMSIZE: i32 = 2;
// @ts-ignore: decorator
@inline export const H_NINIT: i32 = 3;
// @ts-ignore: decorator
@inline export const H_NSYMBOLS: i32 = 4;
// @ts-ignore: decorator
@inline export const H_NEVENTS: i32 = 5;
// @ts-ignore: decorator
@inline export const H_NOBSERVE: i32 = 6;
// @ts-ignore: decorator
@inline export const H_NCOUNTERS: i32 = 7;
// @ts-ignore: decorator
@inline export const H_NSTRINGS: i32 = 8;
// @ts-ignore: decorator
@inline export const H_SBCAP: i32 = 9;
// @ts-ignore: decorator
@inline export const H_MAXSTEPS: i32 = 10;
/** maxStates as f64 (words 12-13), since images may ask for more than 2^31 */
// @ts-ignore: decorator
@inline export const H_MAXSTATES_F64: i32 = 12;
// @ts-ignore: decorator
@inline export const H_VEC_SR: i32 = 14;
// @ts-ignore: decorator
@inline export const H_VEC_EXT: i32 = 15;
// @ts-ignore: decorator
@inline export const H_VEC_DEC: i32 = 16;
// @ts-ignore: decorator
@inline export const H_VEC_DB: i32 = 17;
// @ts-ignore: decorator
@inline export const H_VERSION: i32 = 18;

// ---- header: table pointers (byte offsets) returned by configure() ----
// @ts-ignore: decorator
@inline export const H_P_CODE: i32 = 20;
// @ts-ignore: decorator
@inline export const H_P_THREADS: i32 = 21;
// @ts-ignore: decorator
@inline export const H_P_INIT: i32 = 22;
// @ts-ignore: decorator
@inline export const H_P_SYMBOLS: i32 = 23;
// @ts-ignore: decorator
@inline export const H_P_EVENTS: i32 = 24;
// @ts-ignore: decorator
@inline export const H_P_OBSERVE: i32 = 25;

// ---- header: errors ----
// @ts-ignore: decorator
@inline export const H_ERROR: i32 = 28;
/** the index (instruction, thread, event...) the error is about, or a decision index */
// @ts-ignore: decorator
@inline export const H_ERROR_ARG: i32 = 29;

// ---- header: run outputs ----
/** byte offset of the first record written by the last runBatch() / explore() */
// @ts-ignore: decorator
@inline export const H_REC_PTR: i32 = 32;
// @ts-ignore: decorator
@inline export const H_REC_COUNT: i32 = 33;
/** byte offset of the finals list written by explore(): entries of 1 + nObserve words */
// @ts-ignore: decorator
@inline export const H_FINALS_PTR: i32 = 34;
// @ts-ignore: decorator
@inline export const H_FINALS_COUNT: i32 = 35;
/**
 * byte offset of the aggregate counters of the last runBatch(), i64 words: Σc per named counter,
 * then Σc² per counter, then Σc·wakeups per counter, then (nCounters <= CROSS_MAX_COUNTERS only)
 * Σa·b per counter pair a < b in the order (0,1), (0,2), ..., (1,2), ...
 */
// @ts-ignore: decorator
@inline export const H_P_AGG_COUNTERS: i32 = 36;
// @ts-ignore: decorator
@inline export const H_X_CUT: i32 = 37;
// @ts-ignore: decorator
@inline export const H_X_MAXDEPTH: i32 = 38;
/** explore: states, transitions as f64 (words 40-41, 42-43) */
// @ts-ignore: decorator
@inline export const H_X_STATES_F64: i32 = 40;
// @ts-ignore: decorator
@inline export const H_X_TRANSITIONS_F64: i32 = 42;

// ---- header: aggregates, i64 each, from word H_AGG (A_* are i64 indices from there) ----
// @ts-ignore: decorator
@inline export const H_AGG: i32 = 64;
// @ts-ignore: decorator
@inline export const A_TRIALS: i32 = 0;
/** A_OUTCOMES + outcome code (OUT_*) */
// @ts-ignore: decorator
@inline export const A_OUTCOMES: i32 = 1;
// @ts-ignore: decorator
@inline export const A_STEPS: i32 = 6;
// @ts-ignore: decorator
@inline export const A_STEPS_SQ: i32 = 7;
// @ts-ignore: decorator
@inline export const A_MAX_STEPS: i32 = 8;
// @ts-ignore: decorator
@inline export const A_SYNCS: i32 = 9;
// @ts-ignore: decorator
@inline export const A_WAKEUPS: i32 = 10;
/** A_WAKEUPS_BY_REASON + 0 doorbell, 1 external, 2 decrementer */
// @ts-ignore: decorator
@inline export const A_WAKEUPS_BY_REASON: i32 = 11;
// @ts-ignore: decorator
@inline export const A_WAKEUPS_SQ: i32 = 14;
// @ts-ignore: decorator
@inline export const A_COUNT: i32 = 15;
/** counter pairs (Σa·b) are aggregated for images of at most this many counters (@naplab/isa) */
// @ts-ignore: decorator
@inline export const CROSS_MAX_COUNTERS: i32 = 32;
// @ts-ignore: decorator
@inline export const HEADER_WORDS: i32 = 100;

// ---- host-written tables (i32 words per entry) ----
/** thread table: pc, status, msrEE, lpcr, lpid, pending, mustHalt, then r0..r31 */
// @ts-ignore: decorator
@inline export const TI_PC: i32 = 0;
// @ts-ignore: decorator
@inline export const TI_STATUS: i32 = 1;
// @ts-ignore: decorator
@inline export const TI_EE: i32 = 2;
// @ts-ignore: decorator
@inline export const TI_LPCR: i32 = 3;
// @ts-ignore: decorator
@inline export const TI_LPID: i32 = 4;
// @ts-ignore: decorator
@inline export const TI_PENDING: i32 = 5;
// @ts-ignore: decorator
@inline export const TI_MUSTHALT: i32 = 6;
// @ts-ignore: decorator
@inline export const TI_REGS: i32 = 7;
// @ts-ignore: decorator
@inline export const TI_WORDS: i32 = 40;
/** memory init: (addr, value) pairs */
// @ts-ignore: decorator
@inline export const MI_WORDS: i32 = 2;
/** symbols: addr, size, hasCpu (0/1), cpu */
// @ts-ignore: decorator
@inline export const SY_ADDR: i32 = 0;
// @ts-ignore: decorator
@inline export const SY_SIZE: i32 = 1;
// @ts-ignore: decorator
@inline export const SY_HAS_CPU: i32 = 2;
// @ts-ignore: decorator
@inline export const SY_CPU: i32 = 3;
// @ts-ignore: decorator
@inline export const SY_WORDS: i32 = 4;
/** events: kind (PEND_*), cpu, count, whenNapping (0/1) */
// @ts-ignore: decorator
@inline export const EV_KIND: i32 = 0;
// @ts-ignore: decorator
@inline export const EV_CPU: i32 = 1;
// @ts-ignore: decorator
@inline export const EV_COUNT: i32 = 2;
// @ts-ignore: decorator
@inline export const EV_WHEN_NAPPING: i32 = 3;
// @ts-ignore: decorator
@inline export const EV_WORDS: i32 = 4;
/** observations: kind (OB_REG / OB_MEM), cpu or addr, reg */
// @ts-ignore: decorator
@inline export const OB_KIND: i32 = 0;
// @ts-ignore: decorator
@inline export const OB_A: i32 = 1;
// @ts-ignore: decorator
@inline export const OB_B: i32 = 2;
// @ts-ignore: decorator
@inline export const OB_WORDS: i32 = 3;
// @ts-ignore: decorator
@inline export const OB_REG: i32 = 0;
// @ts-ignore: decorator
@inline export const OB_MEM: i32 = 1;

// ---- per-trial record, written by runBatch() and (for the violation) explore() ----
//   ┌ R_HDR words ┬ schedule[R_SCHED_LEN] ┬ stuck[R_NSTUCK] ┬ counters[nCounters] ┬ final[nObserve] ┐
// @ts-ignore: decorator
@inline export const R_INDEX_LO: i32 = 0;
// @ts-ignore: decorator
@inline export const R_INDEX_HI: i32 = 1;
// @ts-ignore: decorator
@inline export const R_OUTCOME: i32 = 2;
// @ts-ignore: decorator
@inline export const R_STEPS: i32 = 3;
// @ts-ignore: decorator
@inline export const R_SYNCS: i32 = 4;
// @ts-ignore: decorator
@inline export const R_WAKEUPS: i32 = 5;
// @ts-ignore: decorator
@inline export const R_WAKEUPS_BY_REASON: i32 = 6;
/** lockup: waiting cpu (-1 for rule 3); lost / assert: the cpu */
// @ts-ignore: decorator
@inline export const R_D_CPU: i32 = 9;
/** lost: reason; assert: pc */
// @ts-ignore: decorator
@inline export const R_D_ARG: i32 = 10;
/** lockup: the rule of SEMANTICS.md section 6 (1 or 3); assert: the message string index */
// @ts-ignore: decorator
@inline export const R_D_TEXT: i32 = 11;
// @ts-ignore: decorator
@inline export const R_NSTUCK: i32 = 12;
// @ts-ignore: decorator
@inline export const R_SCHED_LEN: i32 = 13;
// @ts-ignore: decorator
@inline export const R_HDR: i32 = 14;
/**
 * timed scheduler only: words appended after final[]: end cycles (i64), watchdog time (i64, -1 for
 * none), watchdog cpu, reported cpus (u64 mask); see timed.ts
 */
// @ts-ignore: decorator
@inline export const TR_WORDS: i32 = 7;

// ---- outcomes, in OUTCOMES order (@naplab/isa engine-api.ts) ----
// @ts-ignore: decorator
@inline export const OUT_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const OUT_LOCKUP: i32 = 1;
// @ts-ignore: decorator
@inline export const OUT_LOST: i32 = 2;
// @ts-ignore: decorator
@inline export const OUT_ASSERT: i32 = 3;
// @ts-ignore: decorator
@inline export const OUT_LIMIT: i32 = 4;

// ---- runBatch() parameters ----
// @ts-ignore: decorator
@inline export const SCHED_UNIFORM: i32 = 0;
// @ts-ignore: decorator
@inline export const SCHED_REPLAY: i32 = 1;
/** PCT (pct.ts): setPct() and beginRun(3n + m + depth) first */
// @ts-ignore: decorator
@inline export const SCHED_PCT: i32 = 3;
/** the timed scheduler (SEMANTICS.md 15; assembly/timed.ts): beginTimed() first */
// @ts-ignore: decorator
@inline export const SCHED_TIMED: i32 = 4;
// @ts-ignore: decorator
@inline export const RECORD_NONE: i32 = 0;
// @ts-ignore: decorator
@inline export const RECORD_FAILURES: i32 = 1;
// @ts-ignore: decorator
@inline export const RECORD_ALL: i32 = 2;

// ---- configure() / runBatch() / explore(): the memory model ----
// @ts-ignore: decorator
@inline export const MODEL_SC: i32 = 0;
// @ts-ignore: decorator
@inline export const MODEL_TSO: i32 = 1;
// @ts-ignore: decorator
@inline export const MODEL_POWER: i32 = 2;

// ---- error codes (H_ERROR) ----
// @ts-ignore: decorator
@inline export const E_OK: i32 = 0;
/** sizes out of range in the header */
// @ts-ignore: decorator
@inline export const E_SIZES: i32 = 1;
/** the linear memory cannot grow any further */
// @ts-ignore: decorator
@inline export const E_OUT_OF_MEMORY: i32 = 2;
// @ts-ignore: decorator
@inline export const E_VERSION: i32 = 3;
/** unknown opcode at instruction H_ERROR_ARG */
// @ts-ignore: decorator
@inline export const E_OPCODE: i32 = 4;
/** operand out of range at instruction H_ERROR_ARG */
// @ts-ignore: decorator
@inline export const E_OPERAND: i32 = 5;
// @ts-ignore: decorator
@inline export const E_THREAD: i32 = 6;
// @ts-ignore: decorator
@inline export const E_VECTOR: i32 = 7;
// @ts-ignore: decorator
@inline export const E_MEM_INIT: i32 = 8;
// @ts-ignore: decorator
@inline export const E_EVENT: i32 = 9;
// @ts-ignore: decorator
@inline export const E_OBSERVE: i32 = 10;
/** an entry point other than configure() / loadImage() was called without a loaded image */
// @ts-ignore: decorator
@inline export const E_NOT_LOADED: i32 = 11;
/** replay: the schedule diverged at decision H_ERROR_ARG */
// @ts-ignore: decorator
@inline export const E_DIVERGED: i32 = 12;
/** bad runBatch() / explore() arguments */
// @ts-ignore: decorator
@inline export const E_ARGS: i32 = 13;
