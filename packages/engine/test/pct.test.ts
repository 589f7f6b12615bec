/**
 * The PCT scheduler (SEMANTICS.md section 14) on both engines: trial-for-trial agreement with the
 * reference engine under pct:1..3 (every field of every trial, aggregates included), replay of the
 * schedules PCT records, the probabilistic guarantee measured on tiny programs with a known
 * depth-2 bug, and the refusals.
 */

import { linkImage } from '@naplab/asm';
import { referenceEngine } from '@naplab/engine-ref';
import {
  type Engine,
  type Image,
  type MemoryModel,
  pctAgents,
  pctGuarantee,
  type RunOptions,
} from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [
  { build: 'debug' as const, engine: createWasmEngine({ build: 'debug' }) },
  { build: 'release' as const, engine: createWasmEngine({ build: 'release' }) },
];
const engines: Engine[] = [referenceEngine, ...builds.map((b) => b.engine)];

function pct(memory: MemoryModel, depth: number, k: number, seed: number, from = 0, to = 300): RunOptions {
  return { memory, scheduler: { kind: 'pct', depth, k }, seed, from, to, record: 'all' };
}

function agree<T>(f: (e: Engine) => T): T {
  const want = f(referenceEngine);
  for (const { engine } of builds) expect(f(engine)).toStrictEqual(want);
  return want;
}

const fixtures = [...litmusImages(), ...programImages(), { name: 'kvm-like', image: kvmLikeImage() }];

describe('pct: the WebAssembly engine agrees with the reference engine trial for trial', () => {
  for (const f of fixtures) {
    for (const memory of ['sc', 'tso'] as MemoryModel[]) {
      it(`${f.name} (${memory}), pct:1..3`, () => {
        // k below and above the runs' lengths: change points inside and past the end of a trial
        for (const [depth, k] of [
          [1, 1],
          [2, 7],
          [2, 400],
          [3, 25],
        ] as const) {
          const batch = agree((e) => e.runTrials(f.image, pct(memory, depth, k, 20261126)));
          expect(batch.trials).toHaveLength(300);
          // replay of recorded PCT schedules gives back the same trial (the first failures, one ok)
          const picks = [
            ...batch.trials.filter((t) => t.outcome !== 'ok').slice(0, 3),
            ...batch.trials.filter((t) => t.outcome === 'ok').slice(0, 1),
          ];
          for (const t of picks) {
            for (const e of engines) {
              const again = e.runTrials(f.image, {
                memory,
                scheduler: { kind: 'replay', schedule: t.schedule },
                seed: 0,
                from: t.index,
                to: t.index + 1,
                record: 'all',
              });
              expect(again.trials).toEqual([t]);
            }
          }
        }
        // the default recording (failures only, re-run with recording on) agrees too
        agree((e) => e.runTrials(f.image, { ...pct(memory, 2, 50, 9, 1000, 1600), record: undefined }));
      });
    }
  }

  it('random valid images (fast-check), both models, depths 1..3', () => {
    fc.assert(
      fc.property(
        imageArb({ maxThreads: 5, maxSegment: 10, maxSteps: 300, maxStates: 4000 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom<MemoryModel>('sc', 'tso'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 400 }),
        (image, seed, memory, depth, k) => {
          agree((e) => e.runTrials(image, pct(memory, depth, k, seed, 0, 100)));
        },
      ),
      { numRuns: 80, seed: 4 },
    );
  });

  it('any sub-range of trials gives the same trials as the whole run (shards)', () => {
    const image = kvmLikeImage();
    for (const e of engines) {
      const whole = e.runTrials(image, pct('tso', 3, 300, 5, 0, 200)).trials;
      const parts = [
        ...e.runTrials(image, pct('tso', 3, 300, 5, 0, 77)).trials,
        ...e.runTrials(image, pct('tso', 3, 300, 5, 77, 200)).trials,
      ];
      expect(parts).toEqual(whole);
    }
  });

  it('pct is not uniform: the same seed gives other schedules', () => {
    const image = kvmLikeImage();
    const u = referenceEngine.runTrials(image, {
      memory: 'tso',
      scheduler: { kind: 'uniform' },
      seed: 1,
      from: 0,
      to: 50,
      record: 'all',
    });
    const p = referenceEngine.runTrials(image, pct('tso', 2, 300, 1, 0, 50));
    const same = u.trials.filter((t, i) => t.schedule.join() === p.trials[i]!.schedule.join()).length;
    expect(same).toBeLessThan(5);
  });
});

// ---- the guarantee, measured ------------------------------------------------------------------
//
// Depth-2 bug (two ordering constraints: T1's load after T0's first store, before its second).
//
//   T0: li r1,1 / stw r1,x / nop x W / stw r0,x / halt        (4 + W steps)
//   T1: lwz r3,x / assert.eq r3,0 / halt                       (3 steps; the assert fails on x = 1)
//
// Under sc there are n = 2 agents (the threads' steps) and every trial takes at most
// k = 7 + W steps. With pct:2 (one change point c, uniform in 1..k):
//   * T1 first (probability 1/2): T1 loads x = 0 at step 1 and finishes its run or waits
//     behind T0 after a change point; the load already happened, never a hit;
//   * T0 first (1/2): T0 runs steps 1, 2, ...; the change point lowers T0 after step c and T1 runs.
//     T1 reads 1 exactly when T0 has done its first store and not its second: c in 2..2+W
//     (W + 1 values of c). So P(hit) = (W + 1) / (2k).
// W = 0: P = 1/14 = 1/(n k): the bound is tight. W = 2: P = 3/18 = 1/6, three times the bound 1/18.
// pct:1 (no change point) runs one thread to its end first: never a hit.

function depth2Image(window: number): Image {
  return linkImage({
    name: `depth2-w${window}`,
    sources: [
      {
        file: 'depth2.S',
        text: `
t0:     li      r1,1
        stw     r1,x(0)
${'        nop\n'.repeat(window)}        stw     r0,x(0)
        halt
t1:     lwz     r3,x(0)
        assert.eq r3,0,"read the intermediate value"
        halt
`,
      },
    ],
    globals: [{ name: 'x' }],
    threads: [
      { name: 't0', entry: 't0' },
      { name: 't1', entry: 't1' },
    ],
  });
}

const TRIALS = 20_000;

describe('pct: the probabilistic guarantee on a depth-2 bug', () => {
  for (const window of [0, 2]) {
    const image = depth2Image(window);
    const k = 7 + window;
    for (const e of engines) {
      const name = e.name === 'wasm' ? `wasm ${builds.find((b) => b.engine === e)!.build}` : 'reference';
      it(`window ${window}, ${name}: hit rate >= 1/(n k^(d-1)) for d = 2, 3, and none at d = 1`, () => {
        expect(pctAgents(image, 'sc')).toBe(2);
        const hits = (depth: number) => {
          const r = e.runTrials(image, { ...pct('sc', depth, k, 77, 0, TRIALS), record: 'none' });
          expect(r.aggregates.maxSteps).toBeLessThanOrEqual(k);
          expect(r.aggregates.outcomes.ok + r.aggregates.outcomes.assert).toBe(TRIALS);
          return r.aggregates.outcomes.assert;
        };
        expect(hits(1)).toBe(0);
        const h2 = hits(2);
        const exact = (window + 1) / (2 * k);
        const sd = Math.sqrt(TRIALS * exact * (1 - exact));
        // the measured count is the exact probability's, within 4.5 standard deviations
        expect(Math.abs(h2 - TRIALS * exact)).toBeLessThan(4.5 * sd);
        const bound = pctGuarantee(2, k, 2);
        if (window === 0) {
          // tight: the exact probability is the bound; the measurement must not fall below it by
          // more than sampling error
          expect(exact).toBeCloseTo(bound, 12);
          expect(h2).toBeGreaterThan(TRIALS * bound - 4.5 * sd);
        } else {
          expect(h2 / TRIALS).toBeGreaterThanOrEqual(bound);
        }
        expect(hits(3) / TRIALS).toBeGreaterThanOrEqual(pctGuarantee(2, k, 3));
      });
    }
  }

  it('the first PCT hit replays from its recorded schedule on every engine', () => {
    const image = depth2Image(2);
    const r = referenceEngine.runTrials(image, { ...pct('sc', 2, 9, 77, 0, 100), record: 'failures' });
    const t = r.trials[0]!;
    expect(t.outcome).toBe('assert');
    expect(t.detail.message).toBe('read the intermediate value');
    for (const e of engines) {
      const again = e.runTrials(image, {
        memory: 'sc',
        scheduler: { kind: 'replay', schedule: t.schedule },
        seed: 0,
        from: t.index,
        to: t.index + 1,
        record: 'all',
      });
      expect(again.trials).toEqual([t]);
    }
  });
});

describe('pct: refusals', () => {
  const image = depth2Image(0);
  for (const e of engines) {
    it(`${e.name}: bad depth or k`, () => {
      for (const [depth, k] of [
        [0, 5],
        [17, 5],
        [1.5, 5],
        [2, 0],
        [2, 2 ** 31],
        [2, Number.NaN],
      ]) {
        expect(() => e.runTrials(image, pct('sc', depth!, k!, 1, 0, 1))).toThrow(RangeError);
      }
    });
  }
  it('reference: power is refused (no agent policy for its internal actions yet)', () => {
    expect(() => referenceEngine.runTrials(image, pct('power', 2, 5, 1, 0, 1))).toThrow(/sc and tso/);
  });
});
