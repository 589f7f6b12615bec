/**
 * The PCT scheduler (SEMANTICS.md section 14), after Burckhardt, Kothari, Musuvathi and
 * Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010),
 * Algorithm 1: random distinct priorities, `d - 1` random priority change points in `1..k`, and at
 * every point the enabled agent of highest priority acts.
 *
 * Where it differs from the paper: the paper schedules threads; here every action id of section 2
 * is its own agent (a thread's steps, its store buffer's drains, its decrementer, each event), so a
 * store buffer can hold its stores back, and an interrupt can come late, exactly as long as PCT
 * keeps a thread waiting. `choose` values are drawn uniformly, as under `uniform`. After `k` steps
 * (beyond which the paper promises nothing) the trial continues under the uniform scheduler: a
 * high-priority thread spinning in a polling loop would otherwise starve the thread it waits for
 * until the step limit.
 */
import type { Rng, TrialResult } from '@naplab/isa';
import { actionCount, applyAction, enabledActionsInto, type Machine, needsChoice } from './machine.js';
import { trialResult } from './trial.js';

/**
 * The per-trial PCT draws (section 14.2): `priority[a]` for every action id `a < slots` (a random
 * permutation of `depth..depth+slots-1`, Fisher-Yates from the top), then the change points
 * `change[i - 1]` for `i = 1..depth-1`, each `1 + rng.below(k)`.
 */
export function pctDraw(
  rng: Rng,
  slots: number,
  depth: number,
  k: number,
): { priority: Int32Array; change: Int32Array } {
  const priority = new Int32Array(slots);
  for (let a = 0; a < slots; a++) priority[a] = depth + a;
  for (let i = slots - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const x = priority[i]!;
    priority[i] = priority[j]!;
    priority[j] = x;
  }
  const change = new Int32Array(depth - 1);
  for (let i = 0; i < depth - 1; i++) change[i] = 1 + rng.below(k);
  return { priority, change };
}

/** Run machine `m` to the end of its trial under PCT with depth `depth` and step bound `k`. */
export function runPct(m: Machine, rng: Rng, index: number, depth: number, k: number): TrialResult {
  if (m.power) {
    throw new RangeError('the pct scheduler is defined for the sc and tso memory models (SEMANTICS.md 14.7)');
  }
  const slots = 3 * m.n + m.nEvents;
  const { priority, change } = pctDraw(rng, slots, depth, k);
  const enabled = new Int32Array(actionCount(m));
  const schedule: number[] = [];
  const maxSteps = m.image.limits.maxSteps;
  for (;;) {
    const count = enabledActionsInto(m, enabled);
    if (count === 0 || m.steps >= maxSteps) break;
    let action = enabled[0]!;
    if (m.steps >= k) {
      // past the step bound: the uniform scheduler's pick (section 14.3, livelocks)
      action = enabled[rng.below(count)]!;
    } else {
      for (let i = 1; i < count; i++) {
        const a = enabled[i]!;
        if (priority[a]! > priority[action]!) action = a;
      }
    }
    schedule.push(action);
    const n = needsChoice(m, action);
    if (n > 0) {
      const v = rng.below(n);
      schedule.push(v);
      applyAction(m, action, v);
    } else {
      applyAction(m, action);
    }
    // the agent that took step number change[i-1] drops to priority depth - i (the last i wins)
    for (let i = 1; i < depth; i++) if (m.steps === change[i - 1]) priority[action] = depth - i;
  }
  return trialResult(m, index, schedule);
}
