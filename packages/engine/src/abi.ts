/**
 * The host side of the core interface. Every value must match `assembly/abi.ts` (the core's copy,
 * which documents each word); `test/abi.test.ts` parses that file and checks both agree.
 */

// ---- header: sizes written by the host ----
export const H_NTHREADS = 0;
export const H_NINSTR = 1;
export const H_MEMSIZE = 2;
export const H_NINIT = 3;
export const H_NSYMBOLS = 4;
export const H_NEVENTS = 5;
export const H_NOBSERVE = 6;
export const H_NCOUNTERS = 7;
export const H_NSTRINGS = 8;
export const H_SBCAP = 9;
export const H_MAXSTEPS = 10;
export const H_MAXSTATES_F64 = 12;
export const H_VEC_SR = 14;
export const H_VEC_EXT = 15;
export const H_VEC_DEC = 16;
export const H_VEC_DB = 17;
export const H_VERSION = 18;

// ---- header: table pointers (byte offsets) returned by configure() ----
export const H_P_CODE = 20;
export const H_P_THREADS = 21;
export const H_P_INIT = 22;
export const H_P_SYMBOLS = 23;
export const H_P_EVENTS = 24;
export const H_P_OBSERVE = 25;

// ---- header: errors ----
export const H_ERROR = 28;
export const H_ERROR_ARG = 29;

// ---- header: run outputs ----
export const H_REC_PTR = 32;
export const H_REC_COUNT = 33;
export const H_FINALS_PTR = 34;
export const H_FINALS_COUNT = 35;
export const H_P_AGG_COUNTERS = 36;
export const H_X_CUT = 37;
export const H_X_MAXDEPTH = 38;
export const H_X_STATES_F64 = 40;
export const H_X_TRANSITIONS_F64 = 42;

// ---- header: aggregates, i64 each, from word H_AGG (A_* are i64 indices from there) ----
export const H_AGG = 64;
export const A_TRIALS = 0;
export const A_OUTCOMES = 1;
export const A_STEPS = 6;
export const A_STEPS_SQ = 7;
export const A_MAX_STEPS = 8;
export const A_SYNCS = 9;
export const A_WAKEUPS = 10;
export const A_WAKEUPS_BY_REASON = 11;
export const A_WAKEUPS_SQ = 14;
export const A_COUNT = 15;
export const CROSS_MAX_COUNTERS = 32;
export const HEADER_WORDS = 100;

// ---- host-written tables (i32 words per entry) ----
export const TI_PC = 0;
export const TI_STATUS = 1;
export const TI_EE = 2;
export const TI_LPCR = 3;
export const TI_LPID = 4;
export const TI_PENDING = 5;
export const TI_MUSTHALT = 6;
export const TI_REGS = 7;
export const TI_WORDS = 40;
export const MI_WORDS = 2;
export const SY_ADDR = 0;
export const SY_SIZE = 1;
export const SY_HAS_CPU = 2;
export const SY_CPU = 3;
export const SY_WORDS = 4;
export const EV_KIND = 0;
export const EV_CPU = 1;
export const EV_COUNT = 2;
export const EV_WHEN_NAPPING = 3;
export const EV_WORDS = 4;
export const OB_KIND = 0;
export const OB_A = 1;
export const OB_B = 2;
export const OB_WORDS = 3;
export const OB_REG = 0;
export const OB_MEM = 1;

// ---- per-trial record, written by runBatch() and (for the violation) explore() ----
export const R_INDEX_LO = 0;
export const R_INDEX_HI = 1;
export const R_OUTCOME = 2;
export const R_STEPS = 3;
export const R_SYNCS = 4;
export const R_WAKEUPS = 5;
export const R_WAKEUPS_BY_REASON = 6;
export const R_D_CPU = 9;
export const R_D_ARG = 10;
export const R_D_TEXT = 11;
export const R_NSTUCK = 12;
export const R_SCHED_LEN = 13;
export const R_HDR = 14;
/** timed scheduler only: words appended after final[] (assembly/abi.ts) */
export const TR_WORDS = 7;

// ---- outcomes, in OUTCOMES order (@naplab/isa engine-api.ts) ----
export const OUT_OK = 0;
export const OUT_LOCKUP = 1;
export const OUT_LOST = 2;
export const OUT_ASSERT = 3;
export const OUT_LIMIT = 4;

// ---- runBatch() parameters ----
export const SCHED_UNIFORM = 0;
export const SCHED_REPLAY = 1;
/** PCT: `setPct(depth, k)` and `beginRun(3n + m + depth)` before runBatch */
export const SCHED_PCT = 3;
/** the timed scheduler (SEMANTICS.md 15; assembly/timed.ts): `beginTimed` before runBatch */
export const SCHED_TIMED = 4;
export const RECORD_NONE = 0;
export const RECORD_FAILURES = 1;
export const RECORD_ALL = 2;

// ---- configure() / runBatch() / explore(): the memory model ----
export const MODEL_SC = 0;
export const MODEL_TSO = 1;
export const MODEL_POWER = 2;

// ---- error codes (H_ERROR) ----
export const E_OK = 0;
export const E_SIZES = 1;
export const E_OUT_OF_MEMORY = 2;
export const E_VERSION = 3;
export const E_OPCODE = 4;
export const E_OPERAND = 5;
export const E_THREAD = 6;
export const E_VECTOR = 7;
export const E_MEM_INIT = 8;
export const E_EVENT = 9;
export const E_OBSERVE = 10;
export const E_NOT_LOADED = 11;
export const E_DIVERGED = 12;
export const E_ARGS = 13;
