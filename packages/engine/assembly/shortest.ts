// The shortest violation (SEMANTICS.md section 16): breadth-first search over the explorer's state
// graph, run after the depth-first search (explore.ts) found a violation. It stops at the first
// violating terminal (lockup, lost, assert; not limit) it enters; breadth-first order makes that
// terminal one of least depth. Same child order as the DFS and the reference engine
// (@naplab/engine-ref shortest.ts), so both engines return the same schedule.
//
//   nodes:    [parent i32, (val + 1) << 15 | act u32] per entered state (to rebuild the path; val is
//             -1 without a choice, act < 2^15), in chunks of 2^12
//   frontier: two levels (this one, the next), each a list of chunks of entries
//             ┌ node i32 ┬ payload bytes u32 ┬ payload: the state block's words XOR the start
//             │          │                   │ state's, (gap, value) LEB128 pairs for the nonzero ones
//   visited:  64-bit hashes of the section 7 key (explore.ts stateHash), open addressing, doubled
//             when three quarters full, as the depth-first table is
//
// Only two levels are kept, and as differences from the start state: most of a state block (the
// registers of CPUs that never ran, unchanged memory) is the start state's, so an entry takes a
// few hundred bytes where the block takes kilobytes. All chunks have one size and go back to a
// pool when their level is done (and the visited table's old storage joins the pool when it
// doubles), so the memory is the table, the records and the two widest levels, with no copies.

import { gFootEscape } from './power';
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
@inline const CHUNK_HDR: usize = 16;
/** The least chunk size (a level's entries and the path records come in chunks). */
// @ts-ignore: decorator
@inline const CHUNK_MIN: usize = 1 << 16;
/** Records per node chunk (2^NODE_SHIFT x 8 bytes = 32 KiB, within a chunk). */
// @ts-ignore: decorator
@inline const NODE_SHIFT: i32 = 12;
// @ts-ignore: decorator
@inline const NODE_MASK: i32 = (1 << NODE_SHIFT) - 1;

let sTable: usize = 0;
let sMask: u32 = 0;
let sCount: i64 = 0;
// nodes: chunks of 2^NODE_SHIFT records, found through a directory of chunk addresses
let sDir: usize = 0;
let sDirCap: i32 = 0;
let sNodeCount: i32 = 0;
// the chunk pool: every chunk is sChunkBytes; sFree lists the free ones (next address at offset 0)
let sChunkBytes: usize = 0;
let sFree: usize = 0;
/** the largest frontier entry: node, payload length, every word of a state changed (10 bytes each) */
let sMaxEntry: usize = 0;
// the levels: lists of chunks [next u32, used u32, pad to 16, entries...]; entry = node i32,
// payload bytes u32, payload (the state's words XOR the start state's, run-length coded)
let sCurHead: usize = 0;
let sNextHead: usize = 0;
let sNextTail: usize = 0;
let sNextLen: i32 = 0;
let sActs: usize = 0;
let sViolation: usize = 0;
let sVarPos: usize = 0;

/** A free chunk, or 0 when memory is exhausted. */
function chunkGet(): usize {
  if (sFree != 0) {
    const p = sFree;
    sFree = <usize>load<u32>(p);
    return p;
  }
  return alloc(<u64>sChunkBytes);
}

function chunkPut(p: usize): void {
  store<u32>(p, <u32>sFree);
  sFree = p;
}

/** Give the dead region [p, p + bytes) to the pool, as whole chunks. */
function recycle(p: usize, bytes: usize): void {
  let q = (p + 15) & ~(<usize>15);
  while (q + sChunkBytes <= p + bytes) {
    chunkPut(q);
    q += sChunkBytes;
  }
}

/** Return every chunk of the level starting at `head` to the pool. */
function freeLevel(head: usize): void {
  let c = head;
  while (c != 0) {
    const n = <usize>load<u32>(c);
    chunkPut(c);
    c = n;
  }
}

function probe(h: u64): usize {
  return probe64(sTable, sMask, h);
}

function growTable(): bool {
  const oldBytes = (<usize>sMask + 1) << 3;
  const p = grow64(sTable, sMask);
  if (p == 0) return false;
  recycle(sTable, oldBytes);
  sTable = p;
  sMask = sMask * 2 + 1;
  return true;
}

// @ts-ignore: decorator
@inline function nodeAt(i: i32): usize {
  return <usize>load<u32>(sDir + (<usize>(i >> NODE_SHIFT) << 2)) + (<usize>(i & NODE_MASK) << 3);
}

/** Record a new node; returns its index, or -1 when out of memory. */
function addNode(parent: i32, act: i32, val: i32): i32 {
  if ((sNodeCount & NODE_MASK) == 0) {
    const k = sNodeCount >> NODE_SHIFT;
    if (k == sDirCap) {
      const cap = sDirCap * 2;
      const d = alloc(<u64>cap << 2);
      if (d == 0) return -1;
      memory.copy(d, sDir, <usize>sDirCap << 2);
      sDir = d;
      sDirCap = cap;
    }
    const c = chunkGet();
    if (c == 0) return -1;
    store<u32>(sDir + (<usize>k << 2), <u32>c);
  }
  const q = nodeAt(sNodeCount);
  store<i32>(q, parent);
  store<u32>(q, (<u32>(val + 1) << 15) | <u32>act, 4);
  return sNodeCount++;
}

// @ts-ignore: decorator
@inline function putVar(q: usize, x: u32): usize {
  while (x >= 0x80) {
    store<u8>(q++, <u8>(x | 0x80));
    x >>= 7;
  }
  store<u8>(q++, <u8>x);
  return q;
}

/** Read an unsigned LEB128 at sVarPos; advances sVarPos. */
// @ts-ignore: decorator
@inline function getVar(): u32 {
  let x: u32 = 0;
  let shift: u32 = 0;
  while (true) {
    const b = <u32>load<u8>(sVarPos++);
    x |= (b & 0x7f) << shift;
    if (b < 0x80) return x;
    shift += 7;
  }
}

/**
 * Append the state at `s` (node `node`) to the next level: its words XOR the start state's, as
 * (gap, value) pairs of LEB128 numbers for the nonzero ones. Returns false when out of memory.
 */
function pushNext(node: i32, s: usize): bool {
  let c = sNextTail;
  if (c == 0 || <usize>load<u32>(c, 4) + sMaxEntry > sChunkBytes) {
    const n = chunkGet();
    if (n == 0) return false;
    store<u32>(n, 0);
    store<u32>(n, <u32>CHUNK_HDR, 4);
    if (c == 0) sNextHead = n;
    else store<u32>(c, <u32>n);
    sNextTail = n;
    c = n;
  }
  const used = <usize>load<u32>(c, 4);
  const e = c + used;
  store<i32>(e, node);
  let q = e + 8;
  let last: i32 = -1;
  const words = <i32>(gStateBytes >> 2);
  for (let i = 0; i < words; i++) {
    const x = load<u32>(s + (<usize>i << 2)) ^ load<u32>(gStart + (<usize>i << 2));
    if (x == 0) continue;
    q = putVar(q, <u32>(i - last - 1));
    q = putVar(q, x);
    last = i;
  }
  store<u32>(e, <u32>(q - e - 8), 4);
  store<u32>(c, <u32>(q - c), 4);
  sNextLen++;
  return true;
}

/** Rebuild the state of the entry at `e` into `dst`; returns the address after the entry. */
function decodeEntry(e: usize, dst: usize): usize {
  memory.copy(dst, gStart, gStateBytes);
  const end = e + 8 + <usize>load<u32>(e, 4);
  sVarPos = e + 8;
  let i: i32 = -1;
  while (sVarPos < end) {
    i += <i32>getVar() + 1;
    const a = dst + (<usize>i << 2);
    store<u32>(a, load<u32>(a) ^ getVar());
  }
  return end;
}

/** Write the violation record for node `node` in state gS (same record as explore.ts terminal()). */
function record(outcome: i32, node: i32, depth: i32): bool {
  let pathLen = 0;
  for (let i = node; i > 0; i = load<i32>(nodeAt(i))) {
    pathLen += load<u32>(nodeAt(i), 4) >= 0x8000 ? 2 : 1;
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
  for (let i = node; i > 0; i = load<i32>(nodeAt(i))) {
    const q = nodeAt(i);
    const w = load<u32>(q, 4);
    const v = <i32>(w >> 15) - 1;
    if (v >= 0) {
      p -= 4;
      store<i32>(p, v);
    }
    p -= 4;
    store<i32>(p, <i32>(w & 0x7fff));
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

/**
 * Out of memory while building level depth + 1: what was proven stands (every state at depth <
 * `depth` expanded, no violation entered), reported as a cut search with E_OUT_OF_MEMORY argument 1.
 */
function partial(states: i64, transitions: i64, depth: i32): i32 {
  sViolation = 0;
  finish(states, transitions, true, depth);
  setError(E_OUT_OF_MEMORY, 1);
  return E_OUT_OF_MEMORY;
}

/**
 * Breadth-first search for a least-depth violating terminal; results go to the header.
 *
 * Memory: the visited table (8 bytes per slot, at most three quarters full), 8 bytes per state entered
 * (the path records) and two levels of frontier entries, each state stored as its difference from
 * the start state (a few hundred bytes where a state block is a few kilobytes). Records and
 * entries live in fixed-size chunks that are reused level after level, and the table's old
 * storage is reused as chunks when it doubles, so nothing grows by copying.
 */
export function shortestImpl(maxSteps: i32, maxStates: f64): i32 {
  resetDynamic();
  sViolation = 0;
  setRecording(false, 0, 0);
  setChooseMode(CHOOSE_GIVEN, 0);
  const words = <usize>gStateBytes >> 2;
  sMaxEntry = 8 + words * 10;
  sChunkBytes = CHUNK_MIN;
  if (sChunkBytes < CHUNK_HDR + sMaxEntry) sChunkBytes = (CHUNK_HDR + sMaxEntry + 15) & ~(<usize>15);
  sFree = 0;
  sTable = alloc(<u64>(1 << 14) << 3);
  sMask = (1 << 14) - 1;
  sCount = 0;
  sDirCap = 64;
  sDir = alloc(<u64>sDirCap << 2);
  sNodeCount = 0;
  sCurHead = 0;
  sNextHead = 0;
  sNextTail = 0;
  sNextLen = 0;
  sActs = alloc(<u64>(gNActions + 4) << 2);
  const acts = alloc(<u64>(gNActions + 4) << 2);
  const ps = alloc(<u64>gStateBytes + 16);
  const child = alloc(<u64>gStateBytes + 16);
  if (sTable == 0 || sDir == 0 || sActs == 0 || acts == 0 || ps == 0 || child == 0) return fail();
  if (gNActions > 0x8000) return fail(); // cannot happen within the image limits (isa image.ts)
  memory.fill(sTable, 0, <usize>(1 << 14) << 3);
  const limitStates = <i64>maxStates;
  let states: i64 = 1;
  let depth = 0;
  let transitions: i64 = 0;

  // the start state
  if (addNode(-1, -1, -1) < 0) return fail();
  memory.copy(ps, gStart, gStateBytes);
  setState(ps);
  const h0 = stateHash(ps, false, 0, 0);
  store<u64>(probe(h0), h0);
  sCount = 1;
  const o0 = violating(false);
  if (o0 != OUT_OK) {
    if (!record(o0, 0, 0)) return fail();
    return finish(states, transitions, false, 0);
  }
  if (!pushNext(0, ps)) return fail();
  let curLen = sNextLen;

  for (depth = 0; depth < maxSteps && curLen > 0; depth++) {
    // the level just built becomes the current one
    sCurHead = sNextHead;
    sNextHead = 0;
    sNextTail = 0;
    sNextLen = 0;
    let c = sCurHead;
    while (c != 0) {
      const used = c + <usize>load<u32>(c, 4);
      let e = c + CHUNK_HDR;
      while (e < used) {
        const node = load<i32>(e);
        e = decodeEntry(e, ps);
        setState(ps);
        const k = expandable(sActs);
        if (gFootEscape != 0) return finish(states, transitions, true, depth);
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
            if (gFootEscape != 0) return finish(states, transitions, true, depth);
            const failed = gAssertFailed;
            const h = stateHash(child, failed, gAssertCpu, gAssertPc);
            const slot = probe(h);
            if (load<u64>(slot) == h) continue;
            if (states >= limitStates) return finish(states, transitions, true, depth);
            store<u64>(slot, h);
            sCount++;
            if (<u64>sCount * 4 > (<u64>sMask + 1) * 3 && !growTable()) return partial(states, transitions, depth);
            states++;
            progress(PHASE_BFS, states, transitions, depth + 1);
            const id = addNode(node, a, chose ? v : -1);
            if (id < 0) return partial(states, transitions, depth);
            const o = violating(failed);
            if (o != OUT_OK) {
              if (!record(o, id, depth + 1)) return partial(states, transitions, depth);
              return finish(states, transitions, false, depth + 1);
            }
            if (failed) continue;
            if (!pushNext(id, child)) return partial(states, transitions, depth);
          }
        }
      }
      c = <usize>load<u32>(c);
    }
    freeLevel(sCurHead);
    sCurHead = 0;
    curLen = sNextLen;
  }
  return finish(states, transitions, false, depth);
}
