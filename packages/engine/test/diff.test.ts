/**
 * Differential tests: the WebAssembly engine (debug and release builds) against the reference
 * engine, trial for trial (`record: 'all'`, every field of every TrialResult and the aggregates),
 * replay of recorded schedules, and exhaustive search (every field of ExploreResult).
 */
import { referenceEngine } from '@naplab/engine-ref';
import type { BatchResult, Engine, ExploreResult, Image, MemoryModel, RunOptions } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [
  { build: 'debug' as const, engine: createWasmEngine({ build: 'debug' }) },
  { build: 'release' as const, engine: createWasmEngine({ build: 'release' }) },
];
const MODELS: MemoryModel[] = ['sc', 'tso', 'power'];
const TRIALS = 1000;
/** per-test timeouts: the reference engine runs power about 10x slower than sc and tso */
const SLOW: Record<MemoryModel, number | undefined> = { sc: undefined, tso: undefined, power: 300_000 };

/** Exhaustive search over big images is capped so the reference engine stays quick (cut searches must agree too). */
function capped(image: Image, maxStates: number): Image {
  return { ...image, limits: { ...image.limits, maxStates: Math.min(image.limits.maxStates, maxStates) } };
}

function uniform(memory: MemoryModel, seed: number, from = 0, to = TRIALS): RunOptions {
  return { memory, scheduler: { kind: 'uniform' }, seed, from, to, record: 'all' };
}

/** Run `f` on the reference once, then on both builds, and require identical results. */
function agree<T>(f: (e: Engine) => T): T {
  const want = f(referenceEngine);
  for (const { engine } of builds) expect(f(engine)).toStrictEqual(want);
  return want;
}

/** Replay a few recorded schedules (every non-ok one, and some ok ones) on every engine. */
function replayAgrees(image: Image, memory: MemoryModel, batch: BatchResult): void {
  const picks = [
    ...batch.trials.filter((t) => t.outcome !== 'ok').slice(0, 5),
    ...batch.trials.filter((t) => t.outcome === 'ok').slice(0, 3),
  ];
  for (const t of picks) {
    const opts: RunOptions = {
      memory,
      scheduler: { kind: 'replay', schedule: t.schedule },
      seed: 0,
      from: t.index,
      to: t.index + 1,
      record: 'all',
    };
    const r = agree((e) => e.runTrials(image, opts));
    // the replay reproduces the recorded trial exactly
    expect(r.trials).toEqual([t]);
  }
}

const fixtures = [
  ...litmusImages().map((f) => ({ ...f, kind: 'litmus', cap: 2_000_000 })),
  ...programImages().map((f) => ({ ...f, kind: 'program', cap: 20_000 })),
  { name: 'kvm-like', image: kvmLikeImage(), kind: 'program', cap: 20_000 },
];

describe('fixture images: uniform, replay and exhaustive agree with the reference engine', () => {
  it('has all 28 shared litmus tests and the own programs', () => {
    expect(fixtures.filter((f) => f.kind === 'litmus')).toHaveLength(28);
    expect(fixtures.filter((f) => f.kind === 'program').length).toBeGreaterThanOrEqual(12);
  });

  for (const f of fixtures) {
    for (const memory of MODELS) {
      it(
        `${f.kind} ${f.name} (${memory})`,
        () => {
          const batch = agree((e) => e.runTrials(f.image, uniform(memory, 20240611)));
          expect(batch.trials).toHaveLength(TRIALS);
          expect(batch.aggregates.trials).toBe(TRIALS);
          replayAgrees(f.image, memory, batch);
          // a run with the default recording (failures only) agrees as well, aggregates included
          agree((e) => e.runTrials(f.image, { ...uniform(memory, 7, 5000, 6000), record: undefined }));
          agree((e) => e.explore(capped(f.image, f.cap), { memory }));
        },
        SLOW[memory],
      );
    }
  }

  it(
    'the fixtures reach every outcome, under every model',
    () => {
      for (const memory of MODELS) {
        const seen = new Set<string>();
        for (const f of fixtures) {
          const r = referenceEngine.runTrials(f.image, { ...uniform(memory, 1, 0, 200), record: 'none' });
          for (const [o, n] of Object.entries(r.aggregates.outcomes)) if (n > 0) seen.add(o);
        }
        expect([...seen].sort()).toEqual(['assert', 'limit', 'lockup', 'lost', 'ok']);
      }
    },
    SLOW.power,
  );
});

describe('random valid images (fast-check)', () => {
  for (const memory of MODELS) {
    it(
      `uniform over ${TRIALS} trials, replay and exhaustive agree (${memory})`,
      () => {
        fc.assert(
          fc.property(imageArb(), fc.integer({ min: 0, max: 0xffffffff }), (image, seed) => {
            const batch = agree((e) => e.runTrials(image, uniform(memory, seed)));
            replayAgrees(image, memory, batch);
            agree((e): ExploreResult => e.explore(image, { memory }));
          }),
          { numRuns: memory === 'power' ? 30 : 60, seed: memory === 'sc' ? 1 : memory === 'tso' ? 2 : 4 },
        );
      },
      SLOW[memory],
    );
  }

  it(
    'random images with more threads and longer runs agree (every model)',
    () => {
      fc.assert(
        fc.property(
          imageArb({ maxThreads: 5, maxSegment: 10, maxSteps: 300, maxStates: 4000 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.constantFrom<MemoryModel>('sc', 'tso', 'power'),
          (image, seed, memory) => {
            agree((e) => e.runTrials(image, uniform(memory, seed, 0, 200)));
            agree((e) => e.explore(image, { memory }));
          },
        ),
        { numRuns: 60, seed: 3 },
      );
    },
    SLOW.power,
  );
});
