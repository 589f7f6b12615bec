/**
 * Checkpoints of the depth-first search (ExploreOptions.checkpoint / resume, SEMANTICS.md 12.6): a
 * search interrupted at any checkpoint and resumed, however many times, or cut by its state bound
 * and continued under a higher one, gives exactly the result of the uninterrupted search (states,
 * transitions, depth, finals, violation, and the shortest pass after it). A checkpoint of another
 * search is refused.
 */
import { referenceEngine } from '@naplab/engine-ref';
import type {
  Engine,
  ExploreCheckpoint,
  ExploreOptions,
  ExploreResult,
  Image,
  MemoryModel,
} from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [createWasmEngine({ build: 'debug' }), createWasmEngine({ build: 'release' })];
const release = builds[1]!;

class Killed extends Error {}

const capped = (image: Image, maxStates: number): Image => ({
  ...image,
  limits: { ...image.limits, maxStates },
});

/**
 * Run the search, killing it at the `at`-th checkpoint offer (after copying the checkpoint), then
 * resume; repeat until it finishes. Returns the result and how many times it was killed.
 */
function interrupted(
  engine: Engine,
  image: Image,
  opts: ExploreOptions,
  every: number,
  at: number,
): { result: ExploreResult; kills: number } {
  let saved: ExploreCheckpoint | undefined;
  let kills = 0;
  for (;;) {
    let offers = 0;
    let got: ExploreCheckpoint | undefined;
    try {
      const result = engine.explore(image, {
        ...opts,
        ...(saved ? { resume: saved } : {}),
        checkpoint: {
          everyStates: every,
          offer: (where, read) => {
            // the offer at the bound comes as the search stops: killing it there would repeat forever
            if (where.atBound || ++offers < at) return;
            got = read();
            throw new Killed();
          },
        },
      });
      return { result, kills };
    } catch (e) {
      if (!(e instanceof Killed)) throw e;
      saved = got;
      kills++;
    }
  }
}

describe('checkpoints: an interrupted search resumes to the uninterrupted result', () => {
  const programs = programImages().filter((p) => p.name !== 'many-events');
  const cases: { name: string; image: Image; memory: MemoryModel; reduce?: boolean }[] = [
    // cut by the state bound
    { name: 'kvm-like sc, 30,000 states', image: capped(kvmLikeImage(), 30_000), memory: 'sc' },
    {
      name: 'kvm-like tso, reduced, 30,000 states',
      image: capped(kvmLikeImage(), 30_000),
      memory: 'tso',
      reduce: true,
    },
    ...programs.map(({ name, image }) => ({ name: `${name} power`, image, memory: 'power' as const })),
    // 'events' ends at the step limit (a cut search without a state bound)
    ...programs
      .filter((p) => p.name !== 'interrupts')
      .map(({ name, image }) => ({ name: `${name} sc`, image, memory: 'sc' as const })),
    ...litmusImages()
      .slice(0, 6)
      .map(({ name, image }) => ({ name: `${name} power`, image, memory: 'power' as const })),
  ];
  for (const c of cases) {
    it(c.name, () => {
      const opts: ExploreOptions = {
        memory: c.memory,
        shortest: true,
        ...(c.reduce ? { reduce: true } : {}),
      };
      const want = release.explore(c.image, opts);
      for (const engine of builds) {
        // killed at every checkpoint, about 8 times in all; and at every third of checkpoints
        // twice as frequent
        const every = Math.max(3, Math.ceil(want.states / 8));
        const a = interrupted(engine, c.image, opts, every, 1);
        expect(a.result).toStrictEqual(want);
        if (want.states > 2 * every) expect(a.kills).toBeGreaterThan(0);
        const b = interrupted(engine, c.image, opts, Math.max(1, every >> 1), 3);
        expect(b.result).toStrictEqual(want);
      }
    });
  }

  it('random images under sc, tso and power: killed and resumed, the same result', () => {
    fc.assert(
      fc.property(
        imageArb(),
        fc.constantFrom<MemoryModel>('sc', 'tso', 'power'),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (image, memory, every, at) => {
          const opts: ExploreOptions = { memory, shortest: true };
          const want = release.explore(image, opts);
          expect(interrupted(release, image, opts, every, at).result).toStrictEqual(want);
        },
      ),
      { numRuns: 150, seed: 61 },
    );
  });
});

describe('checkpoints: a search cut by its bound continues under a higher one', () => {
  it('the checkpoint at the bound, resumed without it, gives the whole search', () => {
    const byName = (n: string) => programImages().find((p) => p.name === n)!.image;
    for (const [image, memory] of [
      [byName('interrupts'), 'power'],
      [byName('racy-inc'), 'power'],
      [byName('events'), 'sc'],
    ] as const) {
      const want = release.explore(image, { memory });
      for (const bound of [1, 2, Math.floor(want.states / 3), want.states - 1]) {
        let atBound: ExploreCheckpoint | undefined;
        const cut = release.explore(capped(image, bound), {
          memory,
          checkpoint: {
            everyStates: 1 << 30,
            offer: (at, read) => {
              if (at.atBound) atBound = read();
            },
          },
        });
        expect(cut).toMatchObject({ cut: true, states: bound });
        expect(atBound).toMatchObject({ atBound: true, states: bound, memory, reduce: false });
        // in two steps: to twice the bound, then to the end
        let again: ExploreCheckpoint | undefined;
        const mid = release.explore(capped(image, Math.min(2 * bound, want.states)), {
          memory,
          resume: atBound!,
          checkpoint: {
            everyStates: 1 << 30,
            offer: (at, read) => {
              if (at.atBound) again = read();
            },
          },
        });
        const rest = again ? release.explore(image, { memory, resume: again }) : mid;
        expect(rest).toStrictEqual(want);
      }
    }
  });
});

describe('checkpoints: what is refused', () => {
  const image = kvmLikeImage();
  const save = (img: Image, memory: MemoryModel): ExploreCheckpoint => {
    let c: ExploreCheckpoint | undefined;
    try {
      release.explore(img, {
        memory,
        checkpoint: {
          everyStates: 100,
          offer: (_at, read) => {
            c = read();
            throw new Killed();
          },
        },
      });
    } catch (e) {
      if (!(e instanceof Killed)) throw e;
    }
    return c!;
  };

  it('another model, another reduction, another image, damaged data', () => {
    const c = save(image, 'sc');
    expect(() => release.explore(image, { memory: 'tso', resume: c })).toThrow(
      /not a checkpoint of this search/,
    );
    expect(() => release.explore(image, { memory: 'sc', reduce: true, resume: c })).toThrow(
      /not a checkpoint of this search/,
    );
    const other = programImages()[0]!.image;
    expect(() => release.explore(other, { memory: 'sc', resume: c })).toThrow(
      /not a checkpoint of this search/,
    );
    const repeated = { ...c, hashes: c.hashes.slice() };
    repeated.hashes.set(repeated.hashes.subarray(0, 2), 2);
    expect(() => release.explore(image, { memory: 'sc', resume: repeated })).toThrow(/zero or repeated/);
    const wrongPath = { ...c, frames: c.frames.slice() };
    // the incoming action of frame 1 (header word 5) changed: its state is not a visited one
    wrongPath.frames[c.frameWords + 5] = wrongPath.frames[c.frameWords + 5]! + 1;
    expect(() => release.explore(image, { memory: 'sc', resume: wrongPath })).toThrow(
      /does not lead to visited/,
    );
    // the engine is usable afterwards
    expect(release.explore(capped(image, 1000), { memory: 'sc' }).states).toBe(1000);
  });

  it('a bad period, and the reference engine', () => {
    const offer = () => {};
    expect(() => release.explore(image, { memory: 'sc', checkpoint: { everyStates: 0.5, offer } })).toThrow(
      RangeError,
    );
    expect(() =>
      referenceEngine.explore(image, { memory: 'sc', checkpoint: { everyStates: 10, offer } }),
    ).toThrow(/does not save or resume/);
  });
});
