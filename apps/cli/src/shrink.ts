/**
 * Shrinking a random-mode failure for printing (SEMANTICS.md 16.6, `shrinkSchedule` of the
 * reference engine): the shrunk schedule, its length before and after, and a replay token.
 */
import { shrinkSchedule } from '@naplab/engine-ref';
import { type Image, imageHash, type MemoryModel, type TrialResult } from '@naplab/isa';
import type { OptSpec } from './args.js';
import { command } from './common.js';
import { encodeToken } from './token.js';

export const SHRINK_OPT: OptSpec = {
  name: 'shrink-runs',
  type: 'int',
  min: 0,
  arg: 'N',
  default: 5000,
  desc: 'replays spent shrinking the shortest failure kept (0: do not shrink)',
};

export interface ShrunkFailure {
  trial: number;
  outcome: string;
  stepsBefore: number;
  steps: number;
  lengthBefore: number;
  length: number;
  runs: number;
  schedule: number[];
  token: string;
  replay: string;
}

/** Shrink the shortest non-limit failure among `failures`; undefined when there is none. */
export function shrinkShortest(
  image: Image,
  memory: MemoryModel,
  failures: readonly TrialResult[],
  ctx: {
    scenario: string;
    variant: string;
    wakeup?: string;
    maxRuns: number;
    /** the hash the token names, when `image` carries a search bound the scenario's own lacks */
    imageHash?: string;
  },
): ShrunkFailure | undefined {
  if (ctx.maxRuns <= 0) return undefined;
  const real = failures.filter((f) => f.outcome !== 'ok' && f.outcome !== 'limit');
  if (real.length === 0) return undefined;
  const best = real.reduce((b, f) => (f.steps < b.steps ? f : b));
  const s = shrinkSchedule(image, memory, best.schedule, { maxRuns: ctx.maxRuns });
  const token = encodeToken({
    scenario: ctx.scenario,
    variant: ctx.variant,
    ...(ctx.variant === 'custom' && ctx.wakeup !== undefined ? { wakeup: ctx.wakeup } : {}),
    memory,
    engine: 'reference',
    image: ctx.imageHash ?? imageHash(image),
    decisions: s.schedule,
  });
  return {
    trial: best.index,
    outcome: best.outcome,
    stepsBefore: s.stepsBefore,
    steps: s.stepsAfter,
    lengthBefore: s.lengthBefore,
    length: s.lengthAfter,
    runs: s.runs,
    schedule: s.schedule,
    token,
    replay: command(['replay', token]),
  };
}

/** `shrunk: trial 29 (lockup) 150 -> 145 steps (152 -> 147 decisions, 8073 replays)` */
export function shrunkLine(s: ShrunkFailure): string {
  return `shrunk: trial ${s.trial} (${s.outcome}) ${s.stepsBefore} -> ${s.steps} steps (${s.lengthBefore} -> ${s.length} decisions, ${s.runs} replays)`;
}
