/**
 * The uniform scheduler (SEMANTICS.md section 5): at each point pick one enabled action uniformly
 * with the trial's own generator `Rng(seed, index)`; a `choose` value is drawn right after the pick.
 * This is the naive random walk, not PCT: every enabled action is equally likely at every point,
 * which biases towards short thread interleavings but needs no parameters.
 */
import { type Image, type MemoryModel, Rng, type TrialResult } from '@naplab/isa';
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

/** Run machine `m` to the end of its trial under the uniform scheduler, drawing from `rng`. */
export function runUniform(m: Machine, rng: Rng, index: number): TrialResult {
  const enabled = new Int32Array(actionCount(m));
  const schedule: number[] = [];
  const maxSteps = m.image.limits.maxSteps;
  for (;;) {
    const k = enabledActionsInto(m, enabled);
    if (k === 0 || m.steps >= maxSteps) break;
    const action = enabled[rng.below(k)]!;
    schedule.push(action);
    const n = needsChoice(m, action);
    if (n > 0) {
      const v = rng.below(n);
      schedule.push(v);
      applyAction(m, action, v);
    } else {
      applyAction(m, action);
    }
  }
  return trialResult(m, index, schedule);
}

/** One uniform trial of a (valid) image: trial `index` of the run keyed by `seed`. */
export function uniformTrial(
  image: Image,
  memory: MemoryModel,
  seed: number,
  index: number,
  onEvent?: TraceHook,
): TrialResult {
  const m = createMachine(image, memory);
  m.onEvent = onEvent;
  return runUniform(m, new Rng(seed, index), index);
}
