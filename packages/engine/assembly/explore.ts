// Exhaustive depth-first search (SEMANTICS.md section 5 "exhaustive", clarifications 10.6 and 10.11).
//
// The DFS stack is an array of frames in the dynamic area; each frame holds a whole state block,
// so a transition is: copy the parent's block into the next frame, apply one action there, hash it.
//
//   frame: ┌ F_HDR words ─────────────────────┬ acts[nActions] ┬ pad ┬ state block ┐
//          │ depth nActs idx curN nextV inAct inVal │ enabled ids    │     │ (layout.ts) │
//
// Visited states are kept as 64-bit hashes only, in an open-addressing table (linear probing,
// load factor <= 1/2, 0 = empty). Two distinct states are merged only if their hashes collide.
// Treating the hash as a random function, the probability that a search over S distinct states
// merges any two of them is at most S(S-1)/2^65: about 1.2e-7 for S = 2 million (the default
// `maxStates`), 3e-5 for 32 million. A collision could only make the search skip a state (and its
// subtree), never report a state that does not exist.
//
// Distinct terminal (outcome, final values) pairs are kept exactly (hashed, then compared word by
// word) in a growing list that the host sorts.

import {
  H_REC_PTR, H_REC_COUNT, H_FINALS_PTR, H_FINALS_COUNT, H_X_CUT, H_X_MAXDEPTH, H_X_STATES_F64,
  H_X_TRANSITIONS_F64, R_INDEX_LO, R_INDEX_HI, R_OUTCOME, R_STEPS, R_SYNCS, R_WAKEUPS,
  R_WAKEUPS_BY_REASON, R_D_CPU, R_D_ARG, R_D_TEXT, R_NSTUCK, R_SCHED_LEN, R_HDR, OUT_OK, OUT_ASSERT,
  OUT_LIMIT, E_OUT_OF_MEMORY,
} from './abi';
import {
  gStart, gStateBytes, gKeyWords, gNActions, gNObserve, gNCounters, gScratch, gHeader, alloc,
  resetDynamic,
} from './layout';
import { probe64, grow64 } from './hashset';
import {
  gAssertFailed, gAssertCpu, gAssertPc, gAssertMsg, gChooseN, gDetailCpu, gDetailArg, gDetailText,
  gNStuck, apply, classify, setState, setSteps, setChooseMode, setRecording, resetStepFlags,
  CHOOSE_GIVEN,
} from './machine';
import { writeFinal } from './batch';
import { gPower, gPOffB, powerHashRuns, powerRunPtr, powerRunWords } from './power';
import { setError } from './errors';
import { expandable } from './reduce';
import { progress, PHASE_DFS } from './progress';
import { gFootEscape } from './power';

// @ts-ignore: decorator
@inline const F_DEPTH: i32 = 0;
// @ts-ignore: decorator
@inline const F_NACTS: i32 = 1;
// @ts-ignore: decorator
@inline const F_IDX: i32 = 2;
// @ts-ignore: decorator
@inline const F_CURN: i32 = 3;
// @ts-ignore: decorator
@inline const F_NEXTV: i32 = 4;
// @ts-ignore: decorator
@inline const F_INACT: i32 = 5;
// @ts-ignore: decorator
@inline const F_INVAL: i32 = 6;
// @ts-ignore: decorator
@inline const F_HDR: i32 = 8;

// xxHash64 primes
// @ts-ignore: decorator
@inline const P1: u64 = 0x9e3779b185ebca87;
// @ts-ignore: decorator
@inline const P2: u64 = 0xc2b2ae3d27d4eb4f;
// @ts-ignore: decorator
@inline const P3: u64 = 0x165667b19e3779f9;
// @ts-ignore: decorator
@inline const P5: u64 = 0x27d4eb2f165667c5;

// @ts-ignore: decorator
@inline const INITIAL_TABLE: i32 = 1 << 14;
// @ts-ignore: decorator
@inline const INITIAL_FRAMES: i32 = 64;
// @ts-ignore: decorator
@inline const INITIAL_FINALS: i32 = 64;

// DFS stack
let gStack: usize = 0;
let gStackCap: i32 = 0;
let gFrameBytes: usize = 0;
let gStateOffB: usize = 0;
// visited table
let gTable: usize = 0;
let gTableMask: u32 = 0;
let gTableCount: i64 = 0;
// finals
let gFinals: usize = 0;
let gFinalsCap: i32 = 0;
let gFinalsCount: i32 = 0;
let gFinalsTable: usize = 0;
let gFinalsMask: u32 = 0;
let gFinalWords: i32 = 0;
let gCandidate: usize = 0;
// violation record (0 = none yet) and its length in words
let gViolation: usize = 0;
let gViolationWords: i32 = 0;
let gOom: bool = false;

// ---- checkpoints (the host saves a running search and resumes it later; SEMANTICS.md 12.6) ----
// @ts-ignore: decorator
@external("env", "checkpoint")
declare function hostCheckpoint(states: f64, transitions: f64, maxDepth: i32, cut: i32, sp: i32, last: i32): void;
/** offer a checkpoint every this many new states (0: never) */
let gCkptEvery: i64 = 0;
/** the next search continues the one the host restored (exploreResumeBegin ... Finish) */
let gResume: bool = false;
let gResStates: i64 = 0;
let gResTransitions: i64 = 0;
let gResMaxDepth: i32 = 0;
let gResCut: bool = false;
let gResSp: i32 = 0;
/** staging area for the saved hashes the host streams in (exploreResumeInsert) */
let gStaging: usize = 0;
// @ts-ignore: decorator
@inline const STAGING_HASHES: i32 = 1 << 17;
const CKPT_INFO: usize = memory.data(16 * 4);

// @ts-ignore: decorator
@inline function round(acc: u64, lane: u64): u64 {
  return rotl<u64>(acc + lane * P2, 31) * P1;
}

// @ts-ignore: decorator
@inline function avalanche(h: u64): u64 {
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

/** 64-bit hash of `words` i32 words at p (words a multiple of 4). */
function hashWords(p: usize, words: i32): u64 {
  let a1: u64 = P1 + P2;
  let a2: u64 = P2;
  const end = p + (<usize>words << 2);
  while (p < end) {
    a1 = round(a1, load<u64>(p));
    a2 = round(a2, load<u64>(p, 8));
    p += 16;
  }
  return rotl<u64>(a1, 1) + rotl<u64>(a2, 7) + <u64>words;
}

/** Fold `words` i32 words at p (any count) into h. */
function hashRun(h: u64, p: usize, words: i32): u64 {
  let a1: u64 = h + P1 + P2;
  let a2: u64 = h ^ P2;
  const end16 = p + ((<usize>words >> 2) << 4);
  while (p < end16) {
    a1 = round(a1, load<u64>(p));
    a2 = round(a2, load<u64>(p, 8));
    p += 16;
  }
  const end = p + (<usize>(words & 3) << 2);
  while (p < end) {
    a1 = round(a1, <u64>load<u32>(p));
    p += 4;
  }
  return rotl<u64>(a1, 1) + rotl<u64>(a2, 7) + <u64>words;
}

/**
 * power: the key words before the power words, then only the live runs of the power words
 * (power.ts keeps the rest zero, so this is still a function of the section 13.8 key).
 */
function powerStateHash(p: usize): u64 {
  let h = hashRun(P5, p, <i32>(gPOffB >> 2));
  const runs = powerHashRuns(p);
  for (let i = 0; i < runs; i++) h = hashRun(h, powerRunPtr(i), powerRunWords(i));
  return h;
}

/** The visited key of the state at p: section 7 key, followed by (cpu, pc) after a failing assert. */
export function stateHash(p: usize, failedAssert: bool, cpu: i32, pc: i32): u64 {
  let h = gPower ? powerStateHash(p) : hashWords(p, gKeyWords);
  if (failedAssert) h = round(h ^ P5, ((<u64>(<u32>pc)) << 32) | <u64>(<u32>cpu));
  h = avalanche(h);
  return h == 0 ? 1 : h;
}

// @ts-ignore: decorator
@inline function framePtr(i: i32): usize {
  return gStack + <usize>i * gFrameBytes;
}

/** Make room for frames [0, frames); relocates the stack when it grows. */
function ensureFrames(frames: i32): bool {
  if (frames <= gStackCap) return true;
  let cap = gStackCap * 2;
  if (cap < frames) cap = frames;
  const p = alloc(<u64>cap * <u64>gFrameBytes);
  if (p == 0) return false;
  memory.copy(p, gStack, <usize>gStackCap * gFrameBytes);
  gStack = p;
  gStackCap = cap;
  return true;
}

/** Probe for h: returns the slot holding h, or the empty slot where it belongs. */
// @ts-ignore: decorator
@inline function probe(h: u64): usize {
  return probe64(gTable, gTableMask, h);
}

function growTable(): bool {
  const p = grow64(gTable, gTableMask);
  if (p == 0) return false;
  gTable = p;
  gTableMask = gTableMask * 2 + 1;
  return true;
}

/**
 * Enter hash h at its empty slot (from `probe`); the table doubles at three quarters full.
 * Returns false when it cannot (memory): h is in the table all the same.
 */
// @ts-ignore: decorator
@inline function enter(slot: usize, h: u64): bool {
  store<u64>(slot, h);
  gTableCount++;
  return <u64>gTableCount * 4 <= (<u64>gTableMask + 1) * 3 || growTable();
}

/** The hash of the (outcome, final) record of gFinalWords words at e. */
function finalHash(e: usize): u64 {
  const words = gFinalWords;
  let h: u64 = P5 + <u64>words;
  for (let i = 0; i < words; i++) h = round(h, <u64>(<u32>load<i32>(e + (<usize>i << 2))));
  return avalanche(h);
}

/** Index the distinct finals in gFinalsTable (empty, gFinalsMask + 1 slots). */
function indexFinals(): void {
  const t = gFinalsTable;
  for (let k = 0; k < gFinalsCount; k++) {
    let j = <u32>finalHash(gFinals + <usize>k * (<usize>gFinalWords << 2)) & gFinalsMask;
    while (load<i32>(t + (<usize>j << 2)) != 0) j = (j + 1) & gFinalsMask;
    store<i32>(t + (<usize>j << 2), k + 1);
  }
}

/** Add the (outcome, final) pair at gCandidate to the distinct finals. */
function addFinal(): bool {
  const words = gFinalWords;
  let i = <u32>finalHash(gCandidate) & gFinalsMask;
  while (true) {
    const slot = gFinalsTable + (<usize>i << 2);
    const idx = load<i32>(slot);
    if (idx == 0) break;
    const e = gFinals + <usize>(idx - 1) * (<usize>words << 2);
    if (memory.compare(e, gCandidate, <usize>words << 2) == 0) return true;
    i = (i + 1) & gFinalsMask;
  }
  // new entry
  if (gFinalsCount == gFinalsCap) {
    const cap = gFinalsCap * 2;
    const p = alloc(<u64>cap * <u64>(words << 2));
    if (p == 0) return false;
    memory.copy(p, gFinals, <usize>gFinalsCount * (<usize>words << 2));
    gFinals = p;
    gFinalsCap = cap;
  }
  memory.copy(gFinals + <usize>gFinalsCount * (<usize>words << 2), gCandidate, <usize>words << 2);
  gFinalsCount++;
  store<i32>(gFinalsTable + (<usize>i << 2), gFinalsCount);
  if (<u32>gFinalsCount * 2 > gFinalsMask + 1) {
    // rehash into a table twice as large
    const cap = (gFinalsMask + 1) * 2;
    const t = alloc(<u64>cap << 2);
    if (t == 0) return false;
    memory.fill(t, 0, <usize>cap << 2);
    gFinalsTable = t;
    gFinalsMask = cap - 1;
    indexFinals();
  }
  return true;
}

/**
 * Record a terminal: the state at the current gS, reached by the path stored in frames
 * 1..lastFrame (each frame's incoming decision).
 */
function terminal(outcome: i32, lastFrame: i32): bool {
  store<i32>(gCandidate, outcome);
  writeFinal(gCandidate + 4);
  if (!addFinal()) return false;
  if (outcome != OUT_OK && gViolation == 0) {
    let pathLen = 0;
    for (let i = 1; i <= lastFrame; i++) pathLen += load<i32>(framePtr(i), (F_INVAL << 2)) >= 0 ? 2 : 1;
    const words = <u64>R_HDR + <u64>pathLen + <u64>gNStuck + <u64>gNCounters + <u64>gNObserve;
    const r = alloc(words << 2);
    if (r == 0) return false;
    memory.fill(r, 0, <usize>(words << 2));
    store<i32>(r, 0, (R_INDEX_LO << 2));
    store<i32>(r, 0, (R_INDEX_HI << 2));
    store<i32>(r, outcome, (R_OUTCOME << 2));
    store<i32>(r, load<i32>(framePtr(lastFrame), (F_DEPTH << 2)), (R_STEPS << 2));
    store<i32>(r, 0, (R_SYNCS << 2));
    store<i32>(r, 0, (R_WAKEUPS << 2));
    store<i32>(r, 0, (R_WAKEUPS_BY_REASON << 2));
    if (outcome == OUT_ASSERT) {
      store<i32>(r, gAssertCpu, (R_D_CPU << 2));
      store<i32>(r, gAssertPc, (R_D_ARG << 2));
      store<i32>(r, gAssertMsg, (R_D_TEXT << 2));
      store<i32>(r, 0, (R_NSTUCK << 2));
    } else if (outcome == OUT_LIMIT) {
      store<i32>(r, 0, (R_NSTUCK << 2));
    } else {
      store<i32>(r, gDetailCpu, (R_D_CPU << 2));
      store<i32>(r, gDetailArg, (R_D_ARG << 2));
      store<i32>(r, gDetailText, (R_D_TEXT << 2));
      store<i32>(r, gNStuck, (R_NSTUCK << 2));
    }
    store<i32>(r, pathLen, (R_SCHED_LEN << 2));
    let p = r + (<usize>R_HDR << 2);
    for (let i = 1; i <= lastFrame; i++) {
      const f = framePtr(i);
      store<i32>(p, load<i32>(f, (F_INACT << 2)));
      p += 4;
      const v = load<i32>(f, (F_INVAL << 2));
      if (v >= 0) {
        store<i32>(p, v);
        p += 4;
      }
    }
    if (outcome != OUT_ASSERT && outcome != OUT_LIMIT) {
      memory.copy(p, gScratch, <usize>gNStuck << 2);
      p += <usize>gNStuck << 2;
    }
    p += <usize>gNCounters << 2; // counters are not tracked by the explorer: zeros
    writeFinal(p);
    gViolation = r;
    gViolationWords = <i32>words;
  }
  return true;
}

// @ts-ignore: decorator
@inline function statePtr(f: usize): usize {
  return f + gStateOffB;
}

/**
 * Set up an empty search: the frames, the finals, and a visited table of `slots` slots, or (0) of
 * the size the bound needs. Returns false when the memory cap leaves no room.
 */
function initSearch(maxStates: f64, slotsWanted: f64, finalsCap: i32): bool {
  resetDynamic();
  gOom = false;
  gViolation = 0;
  gViolationWords = 0;
  setRecording(false, 0, 0);
  setChooseMode(CHOOSE_GIVEN, 0);
  gStateOffB = ((<usize>(F_HDR + gNActions) << 2) + 15) & ~(<usize>15);
  gFrameBytes = gStateOffB + gStateBytes;
  gStack = 0;
  gStackCap = 0;
  gFinalWords = 1 + gNObserve;
  let fcap = INITIAL_FINALS;
  while (fcap < finalsCap) fcap <<= 1;
  gCandidate = alloc(<u64>gFinalWords << 2);
  gFinals = alloc(<u64>fcap * <u64>(gFinalWords << 2));
  gFinalsCap = fcap;
  gFinalsCount = 0;
  gFinalsTable = alloc(<u64>(fcap * 2) << 2);
  gFinalsMask = fcap * 2 - 1;
  // A bound above 2^25 states gets its table at once, at the size the bound needs (at most 2^28
  // slots, 2 GiB): doubling to it would leave the smaller tables behind in the bump allocator, and
  // the 4 GiB core would then stop at about 100 million states instead of 200 million.
  // `need`: the least power of two holding slotsWanted (a resumed search's table)
  let need: u64 = <u64>INITIAL_TABLE;
  while (<f64>need < slotsWanted) need <<= 1;
  let slots = need;
  if (maxStates > <f64>(1 << 25))
    while (slots < (<u64>1 << 28) && <f64>slots * 3 < maxStates * 4) slots <<= 1;
  gTable = alloc(slots << 3);
  if (gTable == 0 && slots > need) {
    // too big for the memory cap: grow as needed instead
    slots = need;
    gTable = alloc(slots << 3);
  }
  gTableMask = <u32>slots - 1;
  gTableCount = 0;
  if (gCandidate == 0 || gFinals == 0 || gFinalsTable == 0 || gTable == 0) return false;
  memory.fill(gFinalsTable, 0, <usize>(fcap * 2) << 2);
  memory.fill(gTable, 0, <usize>(slots << 3));
  return ensureFrames(INITIAL_FRAMES);
}

/** Offer a checkpoint every `states` new states (0: never); the host's env.checkpoint saves it. */
export function setCheckpointEvery(states: f64): void {
  gCkptEvery = <i64>states;
}

/**
 * Where a search's data lives, for the host to save or restore it: words [table, slots, finals,
 * finals count, words per final, violation record, its words, frames, bytes per frame, byte
 * offset of the state in a frame, words of a frame's header and actions, staging area, staging
 * capacity (hashes)].
 */
export function checkpointInfo(): usize {
  store<i32>(CKPT_INFO, <i32>gTable, 0);
  store<i32>(CKPT_INFO, <i32>(gTableMask + 1), 4);
  store<i32>(CKPT_INFO, <i32>gFinals, 8);
  store<i32>(CKPT_INFO, gFinalsCount, 12);
  store<i32>(CKPT_INFO, gFinalWords, 16);
  store<i32>(CKPT_INFO, <i32>gViolation, 20);
  store<i32>(CKPT_INFO, gViolationWords, 24);
  store<i32>(CKPT_INFO, <i32>gStack, 28);
  store<i32>(CKPT_INFO, <i32>gFrameBytes, 32);
  store<i32>(CKPT_INFO, <i32>gStateOffB, 36);
  store<i32>(CKPT_INFO, F_HDR + gNActions, 40);
  store<i32>(CKPT_INFO, <i32>gStaging, 44);
  store<i32>(CKPT_INFO, STAGING_HASHES, 48);
  return CKPT_INFO;
}

/**
 * Resuming, step 1 (after the image is loaded and the model configured): an empty search with
 * room for `slots` visited hashes, `finals` finals, frames 0..sp and a violation record of
 * `violationWords` words. The host then writes the finals, the record and the frames' headers
 * and actions where checkpointInfo() says, and streams the hashes through exploreResumeInsert.
 */
export function resumeBeginImpl(maxStates: f64, slots: f64, finals: i32, sp: i32, violationWords: i32): bool {
  gResume = false;
  if (!initSearch(maxStates, slots, finals)) return false;
  if (!ensureFrames(sp + 2)) return false;
  gStaging = alloc(<u64>STAGING_HASHES << 3);
  if (gStaging == 0) return false;
  if (violationWords > 0) {
    gViolation = alloc(<u64>violationWords << 2);
    if (gViolation == 0) return false;
    gViolationWords = violationWords;
  }
  gFinalsCount = finals;
  return true;
}

/** Resuming, step 2: insert the first n hashes of the staging area into the visited table. */
export function exploreResumeInsert(n: i32): bool {
  for (let i = 0; i < n; i++) {
    const h = load<u64>(gStaging + (<usize>i << 3));
    if (h == 0) return false;
    const slot = probe(h);
    if (load<u64>(slot) == h) return false; // a hash twice: not a checkpoint's table
    if (!enter(slot, h)) return false;
  }
  return true;
}

/**
 * Resuming, step 3: index the finals, rebuild the frames' states by replaying their path from the
 * start state (each must be a visited state), and arm the next explore() to continue from there.
 * Returns 0, or 1 when the data does not fit together (not a checkpoint of this image).
 */
export function exploreResumeFinish(states: f64, transitions: f64, maxDepth: i32, cut: i32, sp: i32): i32 {
  if (<i64>gTableCount != <i64>states) return 1;
  indexFinals();
  memory.copy(statePtr(framePtr(0)), gStart, gStateBytes);
  for (let i = 0; i <= sp; i++) {
    const f = framePtr(i);
    if (load<i32>(f, (F_DEPTH << 2)) != i) return 1;
    if (i > 0) {
      const p = framePtr(i - 1);
      memory.copy(statePtr(f), statePtr(p), gStateBytes);
      setState(statePtr(f));
      setSteps(i - 1);
      const v = load<i32>(f, (F_INVAL << 2));
      setChooseMode(CHOOSE_GIVEN, v < 0 ? 0 : v);
      resetStepFlags();
      apply(load<i32>(f, (F_INACT << 2)));
      if (gAssertFailed) return 1;
    }
    const h = stateHash(statePtr(f), false, 0, 0);
    if (load<u64>(probe(h)) != h) return 1;
  }
  gResStates = <i64>states;
  gResTransitions = <i64>transitions;
  gResMaxDepth = maxDepth;
  gResCut = cut != 0;
  gResSp = sp;
  gResume = true;
  return 0;
}

/** Run the search; results go to the header. Returns 0, or an error code. */
export function exploreImpl(maxSteps: i32, maxStates: f64): i32 {
  const resume = gResume;
  gResume = false;
  if (!resume && !initSearch(maxStates, 0, 0)) return fail();

  const limitStates = <i64>maxStates;
  let states: i64 = 0;
  let transitions: i64 = 0;
  let maxDepth: i32 = 0;
  let cut = false;
  // out of memory inside the search: the counts so far are still reported (as a cut search)
  let oom = false;

  let sp = -1;
  if (resume) {
    states = gResStates;
    transitions = gResTransitions;
    maxDepth = gResMaxDepth;
    cut = gResCut;
    sp = gResSp;
  } else {
    // the start state, depth 0
    let f0 = framePtr(0);
    memory.copy(statePtr(f0), gStart, gStateBytes);
    setState(statePtr(f0));
    store<u64>(probe(stateHash(statePtr(f0), false, 0, 0)), stateHash(statePtr(f0), false, 0, 0));
    gTableCount = 1;
    states = 1;
    store<i32>(f0, 0, (F_DEPTH << 2));
    store<i32>(f0, -1, (F_INACT << 2));
    store<i32>(f0, -1, (F_INVAL << 2));
    const k0 = expandable(f0 + (<usize>F_HDR << 2));
    if (gFootEscape != 0) {
      // an access outside the footprint (SEMANTICS.md 18): this search says nothing
      cut = true;
    } else if (k0 == 0) {
      if (!terminal(classify(), 0)) return fail();
    } else if (maxSteps <= 0) {
      if (!terminal(OUT_LIMIT, 0)) return fail();
      cut = true;
    } else {
      store<i32>(f0, k0, (F_NACTS << 2));
      store<i32>(f0, 0, (F_IDX << 2));
      store<i32>(f0, 0, (F_CURN << 2));
      store<i32>(f0, 0, (F_NEXTV << 2));
      sp = 0;
    }
  }
  let nextCkpt: i64 = gCkptEvery > 0 ? states + gCkptEvery : I64.MAX_VALUE;

  while (sp >= 0 && gFootEscape == 0) {
    if (states >= nextCkpt) {
      // frames 0..sp and their cursors, the table, the finals: a consistent search to resume
      hostCheckpoint(<f64>states, <f64>transitions, maxDepth, cut ? 1 : 0, sp, 0);
      nextCkpt = states + gCkptEvery;
    }
    if (!ensureFrames(sp + 2)) {
      oom = true;
      break;
    }
    const f = framePtr(sp);
    let a: i32;
    let v: i32 = 0;
    const curN = load<i32>(f, (F_CURN << 2));
    const nextV = load<i32>(f, (F_NEXTV << 2));
    if (curN > 0 && nextV < curN) {
      a = load<i32>(f + (<usize>(F_HDR + load<i32>(f, (F_IDX << 2)) - 1) << 2));
      v = nextV;
      store<i32>(f, nextV + 1, (F_NEXTV << 2));
    } else {
      const idx = load<i32>(f, (F_IDX << 2));
      if (idx >= load<i32>(f, (F_NACTS << 2))) {
        sp--;
        continue;
      }
      a = load<i32>(f + (<usize>(F_HDR + idx) << 2));
      store<i32>(f, idx + 1, (F_IDX << 2));
      store<i32>(f, 0, (F_CURN << 2));
    }
    const c = framePtr(sp + 1);
    const cs = statePtr(c);
    memory.copy(cs, statePtr(f), gStateBytes);
    setState(cs);
    const depth = load<i32>(f, (F_DEPTH << 2)) + 1;
    setSteps(depth - 1);
    setChooseMode(CHOOSE_GIVEN, v);
    resetStepFlags();
    apply(a);
    const chose = gChooseN > 0;
    if (chose && v == 0) {
      store<i32>(f, gChooseN, (F_CURN << 2));
      store<i32>(f, 1, (F_NEXTV << 2));
    }
    transitions++;
    if (gFootEscape != 0) {
      cut = true;
      break;
    }
    const failed = gAssertFailed;
    const h = stateHash(cs, failed, gAssertCpu, gAssertPc);
    const slot = probe(h);
    if (load<u64>(slot) == h) continue;
    if (states >= limitStates) {
      const limitCut = cut; // a step-limit terminal so far (the bound is the resumed search's own)
      cut = true;
      if (gCkptEvery > 0) {
        // the state just reached is not entered: put the cursor back on it, uncount the
        // transition, and offer the search as it stands, to continue under a higher bound
        if (curN > 0 && nextV < curN) store<i32>(f, nextV, (F_NEXTV << 2));
        else {
          store<i32>(f, load<i32>(f, (F_IDX << 2)) - 1, (F_IDX << 2));
          store<i32>(f, 0, (F_CURN << 2));
          store<i32>(f, 0, (F_NEXTV << 2));
        }
        hostCheckpoint(<f64>states, <f64>(transitions - 1), maxDepth, limitCut ? 1 : 0, sp, 1);
      }
      break;
    }
    if (!enter(slot, h)) {
      oom = true;
      break;
    }
    states++;
    if (depth > maxDepth) maxDepth = depth;
    progress(PHASE_DFS, states, transitions, maxDepth);
    store<i32>(c, depth, (F_DEPTH << 2));
    store<i32>(c, a, (F_INACT << 2));
    store<i32>(c, chose ? v : -1, (F_INVAL << 2));
    if (failed) {
      if (!terminal(OUT_ASSERT, sp + 1)) {
        oom = true;
        break;
      }
      continue;
    }
    const k = expandable(c + (<usize>F_HDR << 2));
    if (gFootEscape != 0) {
      cut = true;
      break;
    }
    if (k == 0) {
      if (!terminal(classify(), sp + 1)) {
        oom = true;
        break;
      }
      continue;
    }
    if (depth >= maxSteps) {
      if (!terminal(OUT_LIMIT, sp + 1)) {
        oom = true;
        break;
      }
      cut = true;
      continue;
    }
    store<i32>(c, k, (F_NACTS << 2));
    store<i32>(c, 0, (F_IDX << 2));
    store<i32>(c, 0, (F_CURN << 2));
    store<i32>(c, 0, (F_NEXTV << 2));
    sp++;
  }

  if (oom) cut = true;
  store<f64>(gHeader + (<usize>H_X_STATES_F64 << 2), <f64>states);
  store<f64>(gHeader + (<usize>H_X_TRANSITIONS_F64 << 2), <f64>transitions);
  store<i32>(gHeader + (<usize>H_X_MAXDEPTH << 2), maxDepth);
  store<i32>(gHeader + (<usize>H_X_CUT << 2), cut ? 1 : 0);
  store<i32>(gHeader + (<usize>H_FINALS_PTR << 2), <i32>gFinals);
  store<i32>(gHeader + (<usize>H_FINALS_COUNT << 2), gFinalsCount);
  store<i32>(gHeader + (<usize>H_REC_PTR << 2), <i32>gViolation);
  store<i32>(gHeader + (<usize>H_REC_COUNT << 2), gViolation != 0 ? 1 : 0);
  if (oom) {
    // E_OUT_OF_MEMORY with argument 1: the header holds the partial result
    setError(E_OUT_OF_MEMORY, 1);
    return E_OUT_OF_MEMORY;
  }
  return 0;
}

function fail(): i32 {
  setError(E_OUT_OF_MEMORY, 0);
  return E_OUT_OF_MEMORY;
}
