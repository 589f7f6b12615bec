/**
 * The replay scheduler (SEMANTICS.md section 5 and 10.9): follow a recorded schedule exactly.
 * Every other scheduler's failures are reproduced through this one, so it refuses to guess: any
 * decision that does not fit the machine is a `ReplayDivergence`, never a silent best effort.
 */
import type { Image, MemoryModel, TrialResult } from '@naplab/isa';
import {
  actionCount,
  applyAction,
  createMachine,
  enabledActionsInto,
  type Machine,
  needsChoice,
  type TraceHook,
} from './machine.js';
import { trialResult } from './trial.js';

/** The schedule does not fit the machine: decision `decision` (a schedule array index) is wrong. */
export class ReplayDivergence extends Error {
  constructor(
    readonly decision: number,
    readonly why: string,
  ) {
    super(`schedule diverged at decision ${decision}: ${why}`);
    this.name = 'ReplayDivergence';
  }
}

/** Run machine `m` along `schedule`; the result's `schedule` is the part actually taken. */
export function runReplay(m: Machine, schedule: readonly number[], index: number): TrialResult {
  const enabled = new Int32Array(actionCount(m));
  const taken: number[] = [];
  const maxSteps = m.image.limits.maxSteps;
  let i = 0;
  for (;;) {
    const k = enabledActionsInto(m, enabled);
    if (k === 0) {
      if (i < schedule.length) {
        const end = m.failed ? 'an assert failed' : 'no action is enabled';
        throw new ReplayDivergence(i, `the trial already ended (${end}) but the schedule goes on`);
      }
      break;
    }
    // a limit ends the trial whatever the schedule still holds (SEMANTICS.md 10.9)
    if (m.steps >= maxSteps || i >= schedule.length) break;
    const action = schedule[i]!;
    let ok = false;
    for (let j = 0; j < k && !ok; j++) ok = enabled[j] === action;
    if (!ok) {
      throw new ReplayDivergence(
        i,
        `action ${action} is not enabled (enabled: ${Array.from(enabled.subarray(0, k)).join(' ')})`,
      );
    }
    taken.push(action);
    i++;
    const n = needsChoice(m, action);
    if (n > 0) {
      if (i >= schedule.length)
        throw new ReplayDivergence(i, `action ${action} executes choose and needs a value`);
      const v = schedule[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new ReplayDivergence(i, `choose value ${v} is out of range 0..${n - 1}`);
      }
      taken.push(v);
      i++;
      applyAction(m, action, v);
    } else {
      applyAction(m, action);
    }
  }
  return trialResult(m, index, taken);
}

/** Replay `schedule` on a fresh machine for a (valid) image. */
export function replaySchedule(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
  index = 0,
  onEvent?: TraceHook,
): TrialResult {
  const m = createMachine(image, memory);
  m.onEvent = onEvent;
  return runReplay(m, schedule, index);
}
