// The reduced exhaustive search (SEMANTICS.md section 17), as in @naplab/engine-ref reduce.ts: at
// a state where some thread's next step is local, the searches expand only that step (the lowest
// such thread). `loadImage` fills the per-instruction tables gLocSc / gLocTso and the image facts.

import {
  T_PC, T_STATUS, T_DEC_ARMED, T_EE, T_PENDING, gN, gNInstr, gBudgetOffB, gNEvents, gEventTab,
  gLocSc, gLocTso,
} from './layout';
import { EV_CPU, EV_WHEN_NAPPING, EV_WORDS } from './abi';
import { STATUS_RUNNING } from './opcodes.generated';
import { gS, gTso, threadPtr, enumerate } from './machine';
import { gPower } from './power';

/** the search in progress is the reduced one */
let gReduce: bool = false;
/** the image has no assert and no mftb (17.1: otherwise the reduction does not apply) */
let gReducible: bool = true;
/** the image has a msgsnd or an ipi */
let gSends: bool = false;

/** Image facts of 17.1, set by loadImage. */
export function setReductionFacts(blocks: bool, hasSend: bool): void {
  gReducible = !blocks;
  gSends = hasSend;
}

/** Turn the reduction on or off for the next explore / shortest call. */
export function setReduce(on: bool): void {
  gReduce = on;
}

/** Can something other than thread t set one of its pending bits from here on (17.2)? */
function mayBeInterrupted(t: i32, p: usize): bool {
  if (gSends || load<i32>(p, (T_DEC_ARMED << 2)) != 0 || load<i32>(p, (T_PENDING << 2)) != 0) return true;
  for (let e = 0; e < gNEvents; e++) {
    if (load<i32>(gS + gBudgetOffB + (<usize>e << 2)) <= 0) continue;
    const ev = gEventTab + <usize>e * (EV_WORDS << 2);
    if (load<i32>(ev, (EV_CPU << 2)) == t && load<i32>(ev, (EV_WHEN_NAPPING << 2)) == 0) return true;
  }
  return false;
}

/** The lowest thread whose step is local in the current state (17.2), or -1. */
function localThread(): i32 {
  const loc = gTso ? gLocTso : gLocSc;
  for (let t = 0; t < gN; t++) {
    const p = threadPtr(t);
    if (load<i32>(p, (T_STATUS << 2)) != STATUS_RUNNING) continue;
    const pc = load<i32>(p, (T_PC << 2));
    if (<u32>pc >= <u32>gNInstr) continue;
    if (load<u8>(loc + <usize>pc) == 0) continue;
    if (load<i32>(p, (T_EE << 2)) != 0 && mayBeInterrupted(t, p)) continue;
    return t;
  }
  return -1;
}

/**
 * The actions a search expands from the current state, at `list`: the one local step when the
 * reduction is on and applies, else every enabled action (`enumerate`). Returns how many.
 */
export function expandable(list: usize): i32 {
  if (gReduce && gReducible && !gPower) {
    const t = localThread();
    if (t >= 0) {
      store<i32>(list, t);
      return 1;
    }
  }
  return enumerate(list);
}
