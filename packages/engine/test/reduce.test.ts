/**
 * The reduced search (SEMANTICS.md section 17): both builds of the WebAssembly engine agree with
 * the reference engine on it (counts, finals, schedules), and it loses nothing: on every image
 * where neither search is cut, the reduced search gives the plain search's verdict, exactly its
 * finals, and a shortest violation of exactly the same length.
 */
import { referenceEngine, replayTrial } from '@naplab/engine-ref';
import { type Engine, type ExploreResult, type Image, type MemoryModel, Op } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { tinyImage } from './build.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [createWasmEngine({ build: 'debug' }), createWasmEngine({ build: 'release' })];
const release = builds[1]!;

function agree(f: (e: Engine) => ExploreResult): ExploreResult {
  const want = f(referenceEngine);
  for (const engine of builds) expect(f(engine)).toStrictEqual(want);
  return want;
}

const capped = (image: Image, maxStates: number): Image => ({
  ...image,
  limits: { ...image.limits, maxStates },
});

/** The image with every assert and mftb replaced by a nop (either turns the reduction off, 17.1). */
function withoutAsserts(image: Image): Image {
  const code = image.code.slice();
  const off = [Op['assert.eq'], Op['assert.ne'], Op.mftb];
  for (let i = 0; i < code.length; i += 4) if (off.includes(code[i])) code.splice(i, 4, Op.nop!, 0, 0, 0);
  return { ...image, code };
}

/**
 * Plain and reduced searches of `image` (on `engine`); when neither was cut, the reduced one has
 * the same verdict, finals and shortest length, and no more states. Returns whether it compared.
 */
function sameAnswers(engine: Engine, image: Image, memory: MemoryModel): boolean {
  const plain = engine.explore(image, { memory, shortest: true });
  const reduced = engine.explore(image, { memory, shortest: true, reduce: true });
  if (plain.cut || reduced.cut) return false;
  expect(reduced.holds).toBe(plain.holds);
  expect(reduced.finals).toEqual(plain.finals);
  expect(reduced.states).toBeLessThanOrEqual(plain.states);
  expect(reduced.transitions).toBeLessThanOrEqual(plain.transitions);
  expect(reduced.violation?.outcome).toBe(plain.violation?.outcome);
  if (plain.violation?.shortest && reduced.violation?.shortest) {
    expect(reduced.violation.steps).toBe(plain.violation.steps);
    // the reduced schedule is a real schedule of the plain machine, of that many actions
    const t = replayTrial(image, memory, reduced.violation.schedule);
    expect([t.outcome, t.steps]).toEqual([reduced.violation.outcome, reduced.violation.steps]);
  }
  return true;
}

describe('reduced search: both engines agree', () => {
  const fixtures = [
    ...litmusImages().map((f) => ({ ...f, cap: 200_000 })),
    ...programImages().map((f) => ({ ...f, image: withoutAsserts(f.image), cap: 20_000 })),
    { name: 'kvm-like', image: kvmLikeImage(), cap: 20_000 },
  ];
  for (const memory of ['sc', 'tso'] as const) {
    it(`fixture images (${memory}): counts, finals and shortest schedules`, () => {
      let smaller = 0;
      for (const f of fixtures) {
        const image = capped(f.image, f.cap);
        const r = agree((e) => e.explore(image, { memory, shortest: true, reduce: true }));
        if (r.states < release.explore(image, { memory }).states) smaller++;
      }
      // the reduction must really apply to some of them
      expect(smaller).toBeGreaterThan(fixtures.length / 2);
    });
  }

  it('random valid images (fast-check, both models)', () => {
    fc.assert(
      fc.property(
        imageArb({ maxThreads: 4, maxSegment: 8, maxSteps: 200, maxStates: 3000 }).map(withoutAsserts),
        fc.constantFrom<MemoryModel>('sc', 'tso'),
        (image, memory) => {
          agree((e) => e.explore(image, { memory, shortest: true, reduce: true }));
        },
      ),
      { numRuns: 80, seed: 17 },
    );
  });

  it('is the plain search for an image with an assert or an mftb, and under power', () => {
    const img = tinyImage({
      code: ['p0:', ['li', 1, 0, 1], ['assert.eq', 1, 1, 0], ['halt'], 'p1:', ['li', 2, 0, 2], ['halt']],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      strings: ['never'],
    });
    for (const memory of ['sc', 'tso', 'power'] as const) {
      const plain = agree((e) => e.explore(img, { memory }));
      expect(agree((e) => e.explore(img, { memory, reduce: true }))).toEqual(plain);
    }
    // mftb reads the step count, which a local step of another thread changes: no reduction either
    const mftb = tinyImage({
      code: [
        'p0:',
        ['li', 1, 0, 1],
        ['mftb', 2],
        ['stw', 2, 0, 1],
        ['halt'],
        'p1:',
        ['li', 2, 0, 2],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      observe: [{ kind: 'mem', addr: 1 }],
    });
    for (const memory of ['sc', 'tso'] as const) {
      const plain = agree((e) => e.explore(mftb, { memory }));
      expect(agree((e) => e.explore(mftb, { memory, reduce: true }))).toEqual(plain);
      // mftb reads 1 to 3: how many of p1's steps and p0's li came first
      expect(plain.finals.map((f) => f.final[0])).toEqual([1, 2, 3]);
    }
    const noAssert = withoutAsserts(img);
    const plain = agree((e) => e.explore(noAssert, { memory: 'sc' }));
    const reduced = agree((e) => e.explore(noAssert, { memory: 'sc', reduce: true }));
    // p0: li, nop (the assert), halt; p1: li, halt. Plain: 4 x 3 positions = 12 states. Reduced:
    // p0's li and nop, then p1's li, alone (3 states after the start); then both halts
    // interleave (3 more): 7
    expect([plain.states, reduced.states]).toEqual([12, 7]);
    expect(reduced.finals).toEqual(plain.finals);
  });
});

describe('reduced search: loses nothing', () => {
  it('fixture images: same verdict, finals and shortest length as the plain search', () => {
    let compared = 0;
    for (const memory of ['sc', 'tso'] as const) {
      for (const f of [...litmusImages(), ...programImages(), { name: 'kvm-like', image: kvmLikeImage() }]) {
        if (sameAnswers(release, capped(withoutAsserts(f.image), 200_000), memory)) compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('random images (fast-check, both models, interrupts, events and doorbells included)', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        imageArb({ maxThreads: 4, maxSegment: 10, maxSteps: 300, maxStates: 20_000 }).map(withoutAsserts),
        fc.constantFrom<MemoryModel>('sc', 'tso'),
        (image, memory) => {
          if (sameAnswers(release, image, memory)) compared++;
        },
      ),
      { numRuns: 3000, seed: 1717 },
    );
    // most random images finish within the bounds (about two in three)
    expect(compared).toBeGreaterThan(1500);
  });
});
