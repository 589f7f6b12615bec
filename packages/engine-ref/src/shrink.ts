/**
 * Shrinking a failing schedule (SEMANTICS.md section 16.6): remove and reorder scheduling
 * decisions while the trial keeps failing the same way, until no single removal keeps it.
 *
 * A candidate schedule is run *leniently*: a decision whose action is not enabled at that point
 * is skipped (removing one decision often disables a later one), a `choose` value out of range
 * becomes 0, and when the decisions run out while actions remain enabled the trial is completed
 * by always taking the first enabled action (choose value 0). The schedule actually taken is
 * recorded, so every accepted candidate is an exact, replayable schedule. A candidate is accepted
 * when its outcome is the target's (same outcome kind and, for a lockup, the same waiting and
 * stuck cpus; for lost the same cpu and reason; for assert the same cpu, pc and message) and it
 * takes fewer actions; a reordering is accepted when the outcome stays and the length does not
 * grow and the schedule gets lexicographically smaller (so the search terminates). Two kinds of
 * reordering: a run of equal actions (one thread's consecutive steps) swapped whole with the run
 * before it, and a single decision moved one place earlier.
 *
 * The removal passes follow delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating
 * Failure-Inducing Input", TSE 2002): chunks of half the schedule, then quarters, down to single
 * decisions; the reordering passes swap neighbouring runs of one thread's steps and move a
 * decision one place earlier, as QuickCheck-style shrinkers for schedules do (e.g. shuttle's and
 * Hypothesis's). On power8-cede the run swaps took the 20 seeds' shrunk lockups from 267–315
 * steps to 274–275 or less (benchmarks/RESULTS.md). Differences: no complement testing, and a
 * bounded number of replays (`maxRuns`).
 */
import type { Image, MemoryModel, TrialDetail, TrialResult } from '@naplab/isa';
import {
  actionCount,
  applyAction,
  createMachine,
  enabledActionsInto,
  type Machine,
  needsChoice,
} from './machine.js';
import { replaySchedule } from './replay.js';
import { trialResult } from './trial.js';

/** One scheduling decision: an action, and its choose value when it executed `choose`. */
interface Decision {
  action: number;
  value: number;
}

export interface ShrinkOptions {
  /** most candidate replays (default 20 000) */
  maxRuns?: number;
}

export interface ShrinkResult {
  /** the shrunk schedule, an exact schedule (replays with the replay scheduler) */
  schedule: number[];
  /** its trial result (same outcome as the original) */
  result: TrialResult;
  /** actions (steps) of the original and of the shrunk trial */
  stepsBefore: number;
  stepsAfter: number;
  /** schedule lengths (decisions, choose values included) before and after */
  lengthBefore: number;
  lengthAfter: number;
  /** candidate replays run */
  runs: number;
  /** no single removal keeps the failure (false when `maxRuns` stopped the search first) */
  minimal: boolean;
}

/** Is `t` the same failure as `target`? */
export function sameFailure(target: TrialResult, t: TrialResult): boolean {
  if (t.outcome !== target.outcome) return false;
  const a: TrialDetail = target.detail;
  const b: TrialDetail = t.detail;
  switch (t.outcome) {
    case 'lockup':
      return a.waiting === b.waiting && JSON.stringify(a.stuck ?? []) === JSON.stringify(b.stuck ?? []);
    case 'lost':
      return a.cpu === b.cpu && a.reason === b.reason;
    case 'assert':
      return a.cpu === b.cpu && a.pc === b.pc && a.message === b.message;
    default:
      return true;
  }
}

/**
 * Run `decisions` leniently (see the module comment); returns the trial and what was taken, or
 * undefined when the trial would take more than `bound` actions (no candidate that long can be
 * accepted, so the continuation past the decisions, which may spin up to the step limit, is cut).
 */
function runLenient(
  image: Image,
  memory: MemoryModel,
  decisions: readonly Decision[],
  bound = Number.POSITIVE_INFINITY,
): { result: TrialResult; taken: Decision[] } | undefined {
  const m: Machine = createMachine(image, memory);
  const enabled = new Int32Array(actionCount(m));
  const maxSteps = image.limits.maxSteps;
  const taken: Decision[] = [];
  const schedule: number[] = [];
  let i = 0;
  for (;;) {
    const k = enabledActionsInto(m, enabled);
    if (k === 0 || m.steps >= maxSteps) break;
    if (taken.length >= bound) return undefined;
    let action = -1;
    let value = 0;
    while (i < decisions.length && action < 0) {
      const d = decisions[i++]!;
      for (let j = 0; j < k; j++) {
        if (enabled[j] === d.action) {
          action = d.action;
          value = d.value;
          break;
        }
      }
    }
    if (action < 0) action = enabled[0]!;
    const n = needsChoice(m, action);
    schedule.push(action);
    if (n > 0) {
      if (!(value >= 0 && value < n)) value = 0;
      schedule.push(value);
      applyAction(m, action, value);
    } else {
      value = -1;
      applyAction(m, action);
    }
    taken.push({ action, value });
  }
  return { result: trialResult(m, 0, schedule), taken };
}

/** The decisions of an exact schedule (pairs an action with its choose value). */
function toDecisions(image: Image, memory: MemoryModel, schedule: readonly number[]): Decision[] {
  return runLenient(image, memory, splitNaive(image, memory, schedule))!.taken;
}

/** Split an exact schedule into decisions by replaying it (choose values follow their action). */
function splitNaive(image: Image, memory: MemoryModel, schedule: readonly number[]): Decision[] {
  const m = createMachine(image, memory);
  const out: Decision[] = [];
  for (let i = 0; i < schedule.length; i++) {
    const action = schedule[i]!;
    const n = needsChoice(m, action);
    if (n > 0) {
      const value = schedule[++i] ?? 0;
      out.push({ action, value });
      applyAction(m, action, value);
    } else {
      out.push({ action, value: -1 });
      applyAction(m, action);
    }
  }
  return out;
}

const lexLess = (a: readonly Decision[], b: readonly Decision[]): boolean => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]!.action !== b[i]!.action) return a[i]!.action < b[i]!.action;
    if (a[i]!.value !== b[i]!.value) return a[i]!.value < b[i]!.value;
  }
  return a.length < b.length;
};

/**
 * Shrink a failing schedule of a (valid) image. `schedule` must be an exact schedule of a trial
 * whose outcome is not `ok` (e.g. a uniform trial's recorded schedule).
 */
export function shrinkSchedule(
  image: Image,
  memory: MemoryModel,
  schedule: readonly number[],
  opts: ShrinkOptions = {},
): ShrinkResult {
  const maxRuns = opts.maxRuns ?? 20_000;
  // the original runs exactly (a schedule that does not fit throws ReplayDivergence)
  const target = replaySchedule(image, memory, schedule);
  if (target.outcome === 'ok')
    throw new RangeError('shrinkSchedule: the schedule does not fail (outcome ok)');
  let cur = toDecisions(image, memory, schedule);
  let curResult = target;
  let runs = 1;

  const tryCandidate = (cand: Decision[], accept: (taken: Decision[]) => boolean): boolean => {
    if (runs >= maxRuns) return false;
    runs++;
    // every acceptance needs at most as many actions as the current schedule
    const r = runLenient(image, memory, cand, cur.length);
    if (!r || !sameFailure(target, r.result) || !accept(r.taken)) return false;
    cur = r.taken;
    curResult = r.result;
    return true;
  };

  /** Removal passes (chunks n/2 .. 1) until none removes anything; true if any did. */
  const removals = (): boolean => {
    let any = false;
    for (let size = Math.max(1, cur.length >> 1); size >= 1 && runs < maxRuns; size = size >> 1) {
      let start = 0;
      while (start < cur.length && runs < maxRuns) {
        const before = cur.length;
        const cand = cur.slice(0, start).concat(cur.slice(start + size));
        if (tryCandidate(cand, (t) => t.length < before)) any = true;
        else start += size;
      }
    }
    return any;
  };
  /** A reordering is kept when the failure stays and the schedule gets shorter, or as long and lexicographically smaller. */
  const tryReorder = (cand: Decision[]): boolean => {
    const before = cur;
    return tryCandidate(
      cand,
      (t) => t.length < before.length || (t.length === before.length && lexLess(t, before)),
    );
  };
  /**
   * One block pass: for each run of equal actions (one thread stepping several times in a row),
   * try it before the run just ahead of it, both moved whole; true if any swap was kept. Single
   * moves (below) cannot do this when every intermediate order loses the failure or grows.
   */
  const blocks = (): boolean => {
    let any = false;
    const runsOf = (): [number, number][] => {
      const out: [number, number][] = [];
      for (let i = 0; i < cur.length; ) {
        let j = i + 1;
        while (j < cur.length && cur[j]!.action === cur[i]!.action) j++;
        out.push([i, j]);
        i = j;
      }
      return out;
    };
    for (let k = 1; runs < maxRuns; k++) {
      const rs = runsOf();
      if (k >= rs.length) break;
      const [a0, a1] = rs[k - 1]!;
      const [b0, b1] = rs[k]!;
      if (tryReorder(cur.slice(0, a0).concat(cur.slice(b0, b1), cur.slice(a0, a1), cur.slice(b1))))
        any = true;
    }
    return any;
  };
  /** One reordering pass: move a decision one place earlier; true if any move was kept. */
  const reorders = (): boolean => {
    let any = false;
    for (let i = 1; i < cur.length && runs < maxRuns; i++) {
      const a = cur[i - 1]!;
      const b = cur[i]!;
      if (a.action === b.action) continue;
      const cand = cur.slice();
      cand[i - 1] = b;
      cand[i] = a;
      if (tryReorder(cand)) any = true;
    }
    return any;
  };
  // Alternate until a removal pass removes nothing and then either the reordering passes (blocks,
  // then single moves) change nothing or two reordering rounds in a row changed the order without
  // making room for a removal (the schedule is then 1-minimal: no single removal keeps the failure).
  let idleRounds = 0;
  let minimal = false;
  for (;;) {
    if (removals()) {
      idleRounds = 0;
      continue;
    }
    if (runs >= maxRuns) break;
    if (idleRounds >= 2) {
      minimal = true;
      break;
    }
    const before = cur.length;
    const swapped = blocks();
    const moved = reorders();
    if (!swapped && !moved) {
      minimal = runs < maxRuns;
      break;
    }
    idleRounds = cur.length < before ? 0 : idleRounds + 1;
  }
  const out: number[] = [];
  for (const d of cur) {
    out.push(d.action);
    if (d.value >= 0) out.push(d.value);
  }
  return {
    schedule: out,
    result: { ...curResult, schedule: out },
    stepsBefore: target.steps,
    stepsAfter: curResult.steps,
    lengthBefore: schedule.length,
    lengthAfter: out.length,
    runs,
    minimal,
  };
}
