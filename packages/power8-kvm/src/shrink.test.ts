/**
 * Shrinking a random-mode lockup of `buggy` on power8-cede (issue #8: at most twice the
 * exhaustive shortest). Seed 18's first failing trial shrank to 315 steps with removals and
 * single moves alone; swapping whole runs of one thread's steps (engine-ref shrink.ts) takes it
 * to the 274 steps most seeds reach. The breadth-first pass proves no violation has fewer than
 * 159 steps (benchmarks/shrink.mjs, benchmarks/RESULTS.md), so 274 is at most 1.73 times the
 * shortest.
 */
import { referenceEngine, replayTrial, shrinkSchedule } from '@naplab/engine-ref';
import { describe, expect, it } from 'vitest';
import { compileScenario, getBuiltinScenario } from './index.js';

describe('shrinking a power8-cede lockup (buggy, sc)', () => {
  it("seed 18's first lockup shrinks to 274 steps, 1-minimal, and replays to the same lockup", () => {
    const image = compileScenario({ ...getBuiltinScenario('power8-cede'), variant: 'buggy' });
    const [t] = referenceEngine.runTrials(image, {
      memory: 'sc',
      scheduler: { kind: 'uniform' },
      seed: 18,
      from: 1,
      to: 2,
      record: 'failures',
    }).trials;
    expect(t?.outcome).toBe('lockup');
    expect(t!.steps).toBe(454);
    const s = shrinkSchedule(image, 'sc', t!.schedule);
    expect(s.minimal).toBe(true);
    expect(s.stepsAfter).toBe(274);
    const r = replayTrial(image, 'sc', s.schedule);
    expect([r.outcome, r.steps, r.detail.message]).toEqual(['lockup', 274, t!.detail.message]);
  });
});
