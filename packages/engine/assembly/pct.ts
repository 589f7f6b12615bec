// The PCT scheduler (SEMANTICS.md section 14; Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS
// 2010, Algorithm 1): random distinct priorities for every agent, depth - 1 random priority change
// points in 1..k, and at every point the enabled agent of highest priority acts. Every action id of
// section 2 is its own agent (thread steps, store-buffer drains, decrementers, events). Bit-identical
// to @naplab/engine-ref `src/pct.ts`; test/pct.test.ts holds the two to each other trial by trial.
//
// Per-run data lives in the run's host-sized buffer (the one beginRun() makes for a replay
// schedule, unused by PCT): the host calls beginRun(3n + m + depth) and setPct(depth, k).
//
//   ┌ priority[3n + m] i32 ┬ change[depth - 1] i32 ┐   at gSchedPtr (machine.ts)
//
// The enabled sets are the uniform loop's incremental masks (machine.ts), so a step costs one scan
// over the enabled agents for the highest priority.

import { gWork, gStart, gStateBytes, gActs, gNCounters, gN, gNEvents } from './layout';
import {
  gSteps, gAssertFailed, gSchedPtr, gSchedLen, gStepMask, gDrainMask, gDecMask, gEventMask, gEventsInMask,
  markDirty, markActed, execStep, drain, fireDec, apply, classify, recordDecision, resetTrialCounters,
  restoreStartMasks, refreshMasks, enabledEvents, nthBit,
} from './machine';
import { rngReset, rngBelow } from './rng';

let gDepth: i32 = 1;
let gK: i32 = 1;

/** Parameters of the next PCT run (checked by the host: 1 <= depth <= 16, 1 <= k < 2^31). */
export function setPct(depth: i32, k: i32): void {
  gDepth = depth;
  gK = k;
}

/** Are the parameters sane and is the run's buffer (beginRun) big enough for them? */
export function pctReady(): bool {
  return gDepth >= 1 && gDepth <= 16 && gK >= 1 && gSchedLen >= 3 * gN + gNEvents + gDepth;
}

// @ts-ignore: decorator
@inline function priPtr(a: i32): usize {
  return gSchedPtr + (<usize>a << 2);
}

/** The highest-priority enabled action among the ids of the set bits of `m` (offset by `base`). */
// @ts-ignore: decorator
@inline function best(m: u64, base: i32, a: i32, pa: i32): i64 {
  while (m != 0) {
    const id = base + <i32>ctz<u64>(m);
    const p = load<i32>(priPtr(id));
    if (p > pa) {
      pa = p;
      a = id;
    }
    m &= m - 1;
  }
  return (<i64>a << 32) | <i64><u32>pa;
}

/** pctTrial() ended by a failing assert / by the step limit: batch.ts fills in the details. */
// @ts-ignore: decorator
@inline export const PCT_END_ASSERT: i32 = -2;
// @ts-ignore: decorator
@inline export const PCT_END_LIMIT: i32 = -3;

/**
 * One PCT trial from the start state; returns its outcome when no action is enabled (classify()),
 * else PCT_END_ASSERT or PCT_END_LIMIT.
 */
export function pctTrial(seed: u32, lo: u32, hi: u32, maxSteps: i32): i32 {
  memory.copy(gWork, gStart, gStateBytes);
  resetTrialCounters(gNCounters);
  rngReset(seed, lo, hi);
  restoreStartMasks();
  const n = gN;
  const depth = gDepth;
  const slots = 3 * n + gNEvents;
  // priorities: a uniformly random permutation of depth..depth+slots-1 (Fisher-Yates from the top)
  for (let a = 0; a < slots; a++) store<i32>(priPtr(a), depth + a);
  for (let i = slots - 1; i > 0; i--) {
    const j = <i32>rngBelow(<u32>(i + 1));
    const x = load<i32>(priPtr(i));
    store<i32>(priPtr(i), load<i32>(priPtr(j)));
    store<i32>(priPtr(j), x);
  }
  const change = priPtr(slots);
  for (let i = 0; i < depth - 1; i++) store<i32>(change + (<usize>i << 2), 1 + <i32>rngBelow(<u32>gK));
  const acts = gActs;
  const listEvents = !gEventsInMask;
  const k = gK;
  while (true) {
    if (gSteps >= k) {
      // past the step bound: the uniform scheduler's pick (section 14.3, livelocks)
      const a = uniformPick(n, listEvents, acts);
      if (a < 0) return classify();
      if (gSteps >= maxSteps) return PCT_END_LIMIT;
      if (act(a, n, depth)) return PCT_END_ASSERT;
      continue;
    }
    let r = best(gStepMask, 0, -1, -1);
    r = best(gDrainMask, n, <i32>(r >> 32), <i32>r);
    r = best(gDecMask, 2 * n, <i32>(r >> 32), <i32>r);
    if (listEvents) {
      const ne = enabledEvents(acts);
      let a = <i32>(r >> 32);
      let pa = <i32>r;
      for (let i = 0; i < ne; i++) {
        const id = load<i32>(acts + (<usize>i << 2));
        const p = load<i32>(priPtr(id));
        if (p > pa) {
          pa = p;
          a = id;
        }
      }
      r = (<i64>a << 32) | <i64><u32>pa;
    } else {
      r = best(gEventMask, 3 * n, <i32>(r >> 32), <i32>r);
    }
    const a = <i32>(r >> 32);
    if (a < 0) return classify();
    if (gSteps >= maxSteps) return PCT_END_LIMIT;
    if (act(a, n, depth)) return PCT_END_ASSERT;
  }
}

/** Take action `a`, then apply the change points; true when an assert failed. */
function act(a: i32, n: i32, depth: i32): bool {
  recordDecision(a);
  if (a < n) {
    markDirty(a);
    execStep(a);
  } else if (a < 2 * n) {
    markDirty(a - n);
    drain(a - n);
  } else if (a < 3 * n) {
    markDirty(a - 2 * n);
    fireDec(a - 2 * n);
  } else {
    markActed(a);
    apply(a);
  }
  gSteps++;
  // the agent that took step number change[i-1] drops to priority depth - i (the last i wins)
  const change = priPtr(3 * n + gNEvents);
  for (let i = 1; i < depth; i++) {
    if (gSteps == load<i32>(change + (<usize>(i - 1) << 2))) store<i32>(priPtr(a), depth - i);
  }
  if (gAssertFailed) return true;
  refreshMasks();
  return false;
}

/** The uniform scheduler's pick (batch.ts uniformTrial): the i-th enabled action in canonical order, or -1. */
function uniformPick(n: i32, listEvents: bool, acts: usize): i32 {
  const nStep = <i32>popcnt<u64>(gStepMask);
  const nDrain = <i32>popcnt<u64>(gDrainMask);
  const nDec = <i32>popcnt<u64>(gDecMask);
  const nEvents = listEvents ? enabledEvents(acts) : <i32>popcnt<u64>(gEventMask);
  const count = nStep + nDrain + nDec + nEvents;
  if (count == 0) return -1;
  let i = <i32>rngBelow(<u32>count);
  if (i < nStep) return nthBit(gStepMask, i);
  if ((i -= nStep) < nDrain) return n + nthBit(gDrainMask, i);
  if ((i -= nDrain) < nDec) return 2 * n + nthBit(gDecMask, i);
  i -= nDec;
  return listEvents ? load<i32>(acts + (<usize>i << 2)) : 3 * n + nthBit(gEventMask, i);
}
