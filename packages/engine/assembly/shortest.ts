// The shortest violation (SEMANTICS.md section 16): breadth-first search over the explorer's state
// graph, run after the depth-first search (explore.ts) found a violation. It stops at the first
// violating terminal (lockup, lost, assert; not limit) it enters; breadth-first order makes that
// terminal one of least depth. Same child order as the DFS and the reference engine
// (@naplab/engine-ref shortest.ts), so both engines return the same schedule.
//
//   nodes:    [parent act val] i32 x 3 per entered state (to rebuild the path)
//   frontier: two arenas (this level, next level) of entries
//             ┌ node i32, pad to 16 bytes ┬ state block (layout.ts) ┐
//   visited:  64-bit hashes of the section 7 key (explore.ts stateHash), open addressing
//
// Only the start state's level and the next are kept as full states: memory is the widest two
// levels, not every state (a whole-graph arena would be states x stateBytes).

import {
  H_REC_PTR, H_REC_COUNT, H_X_CUT, H_X_MAXDEPTH, H_X_STATES_F64, H_X_TRANSITIONS_F64, R_INDEX_LO, R_INDEX_HI,
  R_OUTCOME, R_STEPS, R_SYNCS, R_WAKEUPS, R_WAKEUPS_BY_REASON, R_D_CPU, R_D_ARG, R_D_TEXT, R_NSTUCK,
  R_SCHED_LEN, R_HDR, OUT_OK, OUT_ASSERT, OUT_LIMIT, E_OUT_OF_MEMORY,
} from './abi';
import {
  gStart, gStateBytes, gNActions, gNObserve, gNCounters, gScratch, gHeader, alloc, resetDynamic,
} from './layout';
import {
  gAssertFailed, gAssertCpu, gAssertPc, gAssertMsg, gChooseN, gDetailCpu, gDetailArg, gDetailText,
  gNStuck, enumerate, apply, classify, setState, setSteps, setChooseMode, setRecording, resetStepFlags,
  CHOOSE_GIVEN,
} from './machine';
import { writeFinal } from './batch';
import { probe64, grow64 } from './hashset';
import { stateHash } from './explore';
import { setError } from './errors';
import { expandable } from './reduce';
import { progress, PHASE_BFS } from './progress';

// @ts-ignore: decorator
@inline const ENTRY_HDR: usize = 16;

let sTable: usize = 0;
let sMask: u32 = 0;
let sCount: i64 = 0;
let sNodes: usize = 0;
let sNodesCap: i32 = 0;
let sNodeCount: i32 = 0;
let sEntryBytes: usize = 0;
let sCur: usize = 0;
let sCurCap: i32 = 0;
let sCurLen: i32 = 0;
let sNext: usize = 0;
let sNextCap: i32 = 0;
let sNextLen: i32 = 0;
let sActs: usize = 0;
let sViolation: usize = 0;

function probe(h: u64): usize {
  return probe64(sTable, sMask, h);
}

function growTable(): bool {
  const p = grow64(sTable, sMask);
  if (p == 0) return false;
  sTable = p;
  sMask = sMask * 2 + 1;
  return true;
}

/** Record a new node; returns its index, or -1 when out of memory. */
function addNode(parent: i32, act: i32, val: i32): i32 {
  if (sNodeCount == sNodesCap) {
    const cap = sNodesCap * 2;
    const p = alloc(<u64>cap * 12);
    if (p == 0) return -1;
    memory.copy(p, sNodes, <usize>sNodeCount * 12);
    sNodes = p;
    sNodesCap = cap;
  }
  const q = sNodes + <usize>sNodeCount * 12;
  store<i32>(q, parent);
  store<i32>(q, act, 4);
  store<i32>(q, val, 8);
  return sNodeCount++;
}

/** Room for one more entry in the next level; returns its address or 0. */
function pushNext(): usize {
  if (sNextLen == sNextCap) {
    const cap = sNextCap * 2;
    const p = alloc(<u64>cap * <u64>sEntryBytes);
    if (p == 0) return 0;
    memory.copy(p, sNext, <usize>sNextLen * sEntryBytes);
    sNext = p;
    sNextCap = cap;
  }
  return sNext + <usize>(sNextLen++) * sEntryBytes;
}

/** Write the violation record for node `node` in state gS (same record as explore.ts terminal()). */
function record(outcome: i32, node: i32, depth: i32): bool {
  let pathLen = 0;
  for (let i = node; i > 0; i = load<i32>(sNodes + <usize>i * 12)) {
    pathLen += load<i32>(sNodes + <usize>i * 12, 8) >= 0 ? 2 : 1;
  }
  const words = <u64>R_HDR + <u64>pathLen + <u64>gNStuck + <u64>gNCounters + <u64>gNObserve;
  const r = alloc(words << 2);
  if (r == 0) return false;
  memory.fill(r, 0, <usize>(words << 2));
  store<i32>(r, 0, (R_INDEX_LO << 2));
  store<i32>(r, 0, (R_INDEX_HI << 2));
  store<i32>(r, outcome, (R_OUTCOME << 2));
  store<i32>(r, depth, (R_STEPS << 2));
  store<i32>(r, 0, (R_SYNCS << 2));
  store<i32>(r, 0, (R_WAKEUPS << 2));
  store<i32>(r, 0, (R_WAKEUPS_BY_REASON << 2));
  if (outcome == OUT_ASSERT) {
    store<i32>(r, gAssertCpu, (R_D_CPU << 2));
    store<i32>(r, gAssertPc, (R_D_ARG << 2));
    store<i32>(r, gAssertMsg, (R_D_TEXT << 2));
    store<i32>(r, 0, (R_NSTUCK << 2));
  } else {
    store<i32>(r, gDetailCpu, (R_D_CPU << 2));
    store<i32>(r, gDetailArg, (R_D_ARG << 2));
    store<i32>(r, gDetailText, (R_D_TEXT << 2));
    store<i32>(r, gNStuck, (R_NSTUCK << 2));
  }
  store<i32>(r, pathLen, (R_SCHED_LEN << 2));
  // the path, written backwards from its end
  let p = r + (<usize>R_HDR << 2) + (<usize>pathLen << 2);
  for (let i = node; i > 0; i = load<i32>(sNodes + <usize>i * 12)) {
    const q = sNodes + <usize>i * 12;
    const v = load<i32>(q, 8);
    if (v >= 0) {
      p -= 4;
      store<i32>(p, v);
    }
    p -= 4;
    store<i32>(p, load<i32>(q, 4));
  }
  p = r + (<usize>R_HDR << 2) + (<usize>pathLen << 2);
  if (outcome != OUT_ASSERT) {
    memory.copy(p, gScratch, <usize>gNStuck << 2);
    p += <usize>gNStuck << 2;
  }
  p += <usize>gNCounters << 2; // counters are not tracked by the explorer: zeros
  writeFinal(p);
  sViolation = r;
  return true;
}

/** A violating terminal? (state at gS, just entered; `failed` = an assert failed entering it) */
function violating(failed: bool): i32 {
  if (failed) return OUT_ASSERT;
  if (enumerate(sActs) > 0) return OUT_OK;
  const o = classify();
  return o == OUT_LIMIT ? OUT_OK : o;
}

/** `depth`: every state at depth < depth was expanded (no violation is shorter than that, unless found). */
function finish(states: i64, transitions: i64, cut: bool, depth: i32): i32 {
  store<i32>(gHeader + (<usize>H_X_MAXDEPTH << 2), depth);
  store<f64>(gHeader + (<usize>H_X_STATES_F64 << 2), <f64>states);
  store<f64>(gHeader + (<usize>H_X_TRANSITIONS_F64 << 2), <f64>transitions);
  store<i32>(gHeader + (<usize>H_X_CUT << 2), cut ? 1 : 0);
  store<i32>(gHeader + (<usize>H_REC_PTR << 2), <i32>sViolation);
  store<i32>(gHeader + (<usize>H_REC_COUNT << 2), sViolation != 0 ? 1 : 0);
  return 0;
}

function fail(): i32 {
  setError(E_OUT_OF_MEMORY, 0);
  return E_OUT_OF_MEMORY;
}

/** Breadth-first search for a least-depth violating terminal; results go to the header. */
export function shortestImpl(maxSteps: i32, maxStates: f64): i32 {
  resetDynamic();
  sViolation = 0;
  setRecording(false, 0, 0);
  setChooseMode(CHOOSE_GIVEN, 0);
  sEntryBytes = ENTRY_HDR + ((<usize>gStateBytes + 15) & ~(<usize>15));
  sTable = alloc(<u64>(1 << 14) << 3);
  sMask = (1 << 14) - 1;
  sCount = 0;
  sNodesCap = 1024;
  sNodes = alloc(<u64>sNodesCap * 12);
  sNodeCount = 0;
  sCurCap = 64;
  sCur = alloc(<u64>sCurCap * <u64>sEntryBytes);
  sNextCap = 64;
  sNext = alloc(<u64>sNextCap * <u64>sEntryBytes);
  sActs = alloc(<u64>(gNActions + 4) << 2);
  const acts = alloc(<u64>(gNActions + 4) << 2);
  const child = alloc(<u64>gStateBytes + 16);
  if (sTable == 0 || sNodes == 0 || sCur == 0 || sNext == 0 || sActs == 0 || acts == 0 || child == 0)
    return fail();
  memory.fill(sTable, 0, <usize>(1 << 14) << 3);
  const limitStates = <i64>maxStates;
  let states: i64 = 1;
  let depth = 0;
  let transitions: i64 = 0;

  // the start state
  const e0 = sCur;
  store<i32>(e0, addNode(-1, -1, -1));
  memory.copy(e0 + ENTRY_HDR, gStart, gStateBytes);
  setState(e0 + ENTRY_HDR);
  const h0 = stateHash(e0 + ENTRY_HDR, false, 0, 0);
  store<u64>(probe(h0), h0);
  sCount = 1;
  sCurLen = 1;
  const o0 = violating(false);
  if (o0 != OUT_OK) {
    if (!record(o0, 0, 0)) return fail();
    return finish(states, transitions, false, 0);
  }

  for (depth = 0; depth < maxSteps && sCurLen > 0; depth++) {
    sNextLen = 0;
    for (let i = 0; i < sCurLen; i++) {
      const e = sCur + <usize>i * sEntryBytes;
      const node = load<i32>(e);
      const ps = e + ENTRY_HDR;
      setState(ps);
      const k = expandable(sActs);
      // keep the parent's list: violating() enumerates each child into sActs
      memory.copy(acts, sActs, <usize>k << 2);
      for (let j = 0; j < k; j++) {
        const a = load<i32>(acts + (<usize>j << 2));
        let n = 1;
        for (let v = 0; v < n; v++) {
          memory.copy(child, ps, gStateBytes);
          setState(child);
          setSteps(depth);
          setChooseMode(CHOOSE_GIVEN, v);
          resetStepFlags();
          apply(a);
          const chose = gChooseN > 0;
          if (chose && v == 0) n = gChooseN;
          transitions++;
          const failed = gAssertFailed;
          const h = stateHash(child, failed, gAssertCpu, gAssertPc);
          const slot = probe(h);
          if (load<u64>(slot) == h) continue;
          if (states >= limitStates) return finish(states, transitions, true, depth);
          store<u64>(slot, h);
          sCount++;
          if (<u64>sCount * 2 > <u64>sMask + 1 && !growTable()) return fail();
          states++;
          progress(PHASE_BFS, states, transitions, depth + 1);
          const id = addNode(node, a, chose ? v : -1);
          if (id < 0) return fail();
          const o = violating(failed);
          if (o != OUT_OK) {
            if (!record(o, id, depth + 1)) return fail();
            return finish(states, transitions, false, depth + 1);
          }
          if (failed) continue;
          const ne = pushNext();
          if (ne == 0) return fail();
          store<i32>(ne, id);
          memory.copy(ne + ENTRY_HDR, child, gStateBytes);
        }
      }
    }
    // swap the levels
    const t = sCur;
    const tc = sCurCap;
    sCur = sNext;
    sCurCap = sNextCap;
    sCurLen = sNextLen;
    sNext = t;
    sNextCap = tc;
  }
  return finish(states, transitions, false, depth);
}
