/**
 * The timed scheduler (SEMANTICS.md section 15): the WebAssembly engine (both builds) against the
 * reference engine, trial for trial (`record: 'all'`: simulated time, watchdog reports, schedules)
 * and aggregate for aggregate (latency moments and histograms), on the fixture programs and on
 * random images; totals independent of how a range is split into calls.
 */
import { referenceEngine } from '@naplab/engine-ref';
import {
  type BatchResult,
  type CostModel,
  type Engine,
  type Image,
  type MemoryModel,
  mergeAggregates,
  POWER8_COST_MODEL,
  type RunOptions,
} from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [createWasmEngine({ build: 'debug' }), createWasmEngine({ build: 'release' })];

/** Short latencies, so that decrementers and stray events interleave with the instructions. */
const BUSY: CostModel = {
  ...POWER8_COST_MODEL,
  name: 'busy',
  latency: {
    doorbell: { min: 0, max: 30 },
    external: { min: 5, max: 60 },
    decrementer: { min: 0, max: 3 },
    napWakeup: { min: 10, max: 40 },
    decrementerPeriod: { min: 1, max: 80 },
    strayEvent: { min: 0, max: 100 },
    drain: { min: 0, max: 5 },
    choose: { min: 0, max: 50 },
  },
};

function timed(
  memory: MemoryModel,
  seed: number,
  from: number,
  to: number,
  cost: CostModel = BUSY,
  record: RunOptions['record'] = 'all',
): RunOptions {
  return { memory, scheduler: { kind: 'timed', cost, watchdogThresh: 10 }, seed, from, to, record };
}

function agree(f: (e: Engine) => BatchResult): BatchResult {
  const want = f(referenceEngine);
  for (const e of builds) expect(f(e)).toStrictEqual(want);
  return want;
}

const fixtures: { name: string; image: Image }[] = [
  ...programImages(),
  { name: 'kvm-like', image: kvmLikeImage() },
  ...litmusImages().slice(0, 6),
];

describe('timed: the WebAssembly engine agrees with the reference trial for trial', () => {
  for (const f of fixtures) {
    for (const memory of ['sc', 'tso'] as MemoryModel[]) {
      it(`${f.name} (${memory})`, () => {
        const r = agree((e) => e.runTrials(f.image, timed(memory, 99, 0, 300)));
        expect(r.trials).toHaveLength(300);
        expect(r.trials.every((t) => t.timed !== undefined && t.timed.cycles >= 0)).toBe(true);
        expect(r.aggregates.timed!.cycles).toBe(r.trials.reduce((s, t) => s + t.timed!.cycles, 0));
        // default recording (failures only, re-run to record) counts every trial once
        agree((e) => e.runTrials(f.image, timed(memory, 5, 1000, 1400, POWER8_COST_MODEL, undefined)));
      });
    }
  }

  it('the fixtures include lockups the watchdog reports, and wakeup latencies', () => {
    let reports = 0;
    let samples = 0;
    for (const f of fixtures) {
      const r = referenceEngine.runTrials(f.image, timed('sc', 99, 0, 300, BUSY, 'none'));
      reports += r.aggregates.timed!.watchdog.reports;
      samples += r.aggregates.timed!.latency.reduce((s, l) => s + l.n, 0);
    }
    expect(reports).toBeGreaterThan(0);
    expect(samples).toBeGreaterThan(0);
  });

  it('totals do not depend on how the range is split', () => {
    const img = kvmLikeImage();
    for (const e of [referenceEngine, builds[1]!]) {
      const whole = e.runTrials(img, timed('tso', 3, 0, 600, BUSY, 'none')).aggregates;
      const a = e.runTrials(img, timed('tso', 3, 0, 250, BUSY, 'none')).aggregates;
      const b = e.runTrials(img, timed('tso', 3, 250, 600, BUSY, 'none')).aggregates;
      expect(mergeAggregates(a, b)).toStrictEqual(whole);
    }
  });

  it('random images agree (fast-check)', () => {
    fc.assert(
      fc.property(
        imageArb({ maxThreads: 4, maxSegment: 8, maxSteps: 300 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom<MemoryModel>('sc', 'tso'),
        (image, seed, memory) => {
          agree((e) => e.runTrials(image, timed(memory, seed, 0, 100)));
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  });
});
