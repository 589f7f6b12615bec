/**
 * The step bound `k` of a PCT run when the user does not give one (SEMANTICS.md 14.5): the largest
 * step count of a pilot of uniform trials on the same image, memory model and seed. The pilot is
 * keyed by the run's seed alone, so every shard, worker and resumed session computes the same `k`;
 * the CLI computes it once anyway and stores the resulting `{ kind: 'pct', depth, k }` in the job.
 */
import type { Engine, Image, MemoryModel } from '@naplab/isa';

/** Uniform trials in the pilot that estimates PCT's `k`. */
export const PCT_PILOT_TRIALS = 200;

export interface PctEstimate {
  k: number;
  /** the pilot: uniform trials [0, trials) of `seed` */
  trials: number;
  seed: number;
  /** pilot trials that hit the image's step limit (their length says nothing about k) */
  limited: number;
}

/** `k` = max steps over uniform trials [0, PCT_PILOT_TRIALS) of `seed` (at least 1). */
export function estimatePctK(engine: Engine, image: Image, memory: MemoryModel, seed: number): PctEstimate {
  const r = engine.runTrials(image, {
    memory,
    scheduler: { kind: 'uniform' },
    seed,
    from: 0,
    to: PCT_PILOT_TRIALS,
    record: 'none',
  });
  return {
    k: Math.max(1, r.aggregates.maxSteps),
    trials: PCT_PILOT_TRIALS,
    seed,
    limited: r.aggregates.outcomes.limit,
  };
}
