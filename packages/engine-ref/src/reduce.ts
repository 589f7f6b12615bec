/**
 * The reduced exhaustive search (SEMANTICS.md section 17): at a state where some thread's next
 * step is local (`@naplab/isa` `reduce.ts`), only that thread's step is explored (the lowest such
 * thread, with every `choose` value). That one-step set is *persistent* (Godefroid 1996): no
 * sequence of other actions can touch what the step reads or writes, or disable it. A selective
 * search that explores a persistent set at every state reaches every terminal state of the full
 * search, along a path of the same length (17.4), so the verdict, the set of finals and the length
 * of the shortest violation are those of the plain search; the state and transition counts are
 * the reduced search's own.
 */
import { isLocalInstr, type ReductionFacts, reductionFacts, STATUS_RUNNING } from '@naplab/isa';
import { enabledActions, type Machine } from './machine.js';

const factsCache = new WeakMap<Machine['code'], { sc: ReductionFacts; tso: ReductionFacts }>();

function facts(m: Machine): ReductionFacts {
  let f = factsCache.get(m.code);
  if (f === undefined) {
    f = { sc: reductionFacts(m.code, 'sc'), tso: reductionFacts(m.code, 'tso') };
    factsCache.set(m.code, f);
  }
  return m.tso ? f.tso : f.sc;
}

/** Can something other than thread `t` set one of t's pending bits from here on (17.2)? */
function mayBeInterrupted(m: Machine, t: number, sends: boolean): boolean {
  if (sends || m.decArmed[t] !== 0 || m.pending[t] !== 0) return true;
  const events = m.image.events;
  for (let e = 0; e < m.nEvents; e++) {
    if (m.budget[e] > 0 && events[e]!.cpu === t && !events[e]!.whenNapping) return true;
  }
  return false;
}

/** The lowest thread whose step is local here (SEMANTICS.md 17.2), or -1. */
export function localThread(m: Machine): number {
  if (m.power || m.failed) return -1;
  const f = facts(m);
  if (!f.applies) return -1;
  for (let t = 0; t < m.n; t++) {
    if (m.status[t] !== STATUS_RUNNING) continue;
    const pc = m.pc[t];
    if (pc < 0 || pc >= m.nInstr) continue;
    if (m.ee[t] !== 0 && mayBeInterrupted(m, t, f.sends)) continue;
    const i = pc * 4;
    if (isLocalInstr(m.code[i]!, m.code[i + 2]!, m.model)) return t;
  }
  return -1;
}

/**
 * The actions the search explores from `m`: `[t]` for the thread of `localThread`, else every
 * enabled action (section 2 order). With `reduce` false, always every enabled action.
 */
export function exploredActions(m: Machine, reduce: boolean): number[] {
  if (reduce) {
    const t = localThread(m);
    if (t >= 0) return [t];
  }
  return enabledActions(m);
}
