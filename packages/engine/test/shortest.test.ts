/**
 * The shortest-violation pass (SEMANTICS.md section 16) agrees with the reference engine: same
 * schedule, same counts, on the fixture images and on random ones; and what it returns really is
 * a violation of that length (replay).
 */
import { referenceEngine, replayTrial } from '@naplab/engine-ref';
import type { Engine, ExploreResult, Image, MemoryModel } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmEngine } from '../src/index.js';
import { tinyImage } from './build.js';
import { imageArb, kvmLikeImage, litmusImages, programImages } from './fixtures.js';

const builds = [createWasmEngine({ build: 'debug' }), createWasmEngine({ build: 'release' })];

function agree(f: (e: Engine) => ExploreResult): ExploreResult {
  const want = f(referenceEngine);
  for (const engine of builds) expect(f(engine)).toStrictEqual(want);
  return want;
}

/**
 * Four threads, each storing 1 to `cells` cells of its own and then waiting for a flag nobody
 * sets: (cells + 1)^4 states, a lockup at depth 4 (cells + 1).
 */
function storersThenWait(cells: number): Image {
  type Ins = [string, number, number, number];
  const thread = (t: number) => [
    `p${t}:`,
    ['li', 1, 0, 1] as Ins,
    ...Array.from({ length: cells }, (_, i) => ['stw', 1, 0, 100 + (cells + 10) * t + i] as Ins),
    ['await.eq', 1, 0, 1] as Ins,
  ];
  return tinyImage({
    code: [0, 1, 2, 3].flatMap(thread),
    threads: [0, 1, 2, 3].map((t) => ({ start: `p${t}` })),
    memSize: 100 + 4 * (cells + 10),
  });
}

function capped(image: Image, maxStates: number): Image {
  return { ...image, limits: { ...image.limits, maxStates } };
}

/** The violation replays to its outcome in exactly `steps` actions. */
function replays(image: Image, memory: MemoryModel, r: ExploreResult): void {
  const v = r.violation;
  if (!v || v.shortest === undefined) return;
  const t = replayTrial(image, memory, v.schedule);
  expect([t.outcome, t.detail, t.final]).toEqual([v.outcome, v.detail, v.final]);
  if (v.shortest) expect(t.steps).toBe(v.steps);
}

describe('shortest violation: the WebAssembly engine agrees with the reference engine', () => {
  it('finds the one-action violation that depth-first order passes by', () => {
    // P0: five li then a failing assert; P1: a failing assert at once
    const img = tinyImage({
      code: [
        'p0:',
        ['li', 1, 0, 1],
        ['li', 1, 0, 2],
        ['li', 1, 0, 3],
        ['li', 1, 0, 4],
        ['li', 1, 0, 5],
        ['assert.eq', 0, 1, 0],
        ['halt'],
        'p1:',
        ['assert.eq', 0, 1, 1],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      strings: ['p0 fails', 'p1 fails'],
      observe: [{ kind: 'reg', cpu: 0, reg: 1 }],
    });
    for (const engine of builds) {
      const dfs = engine.explore(img, { memory: 'sc' });
      expect(dfs.violation?.schedule).toEqual([0, 0, 0, 0, 0, 0]);
    }
    const r = agree((e) => e.explore(img, { memory: 'sc', shortest: true }));
    expect(r.violation).toMatchObject({
      outcome: 'assert',
      schedule: [1],
      shortest: true,
      steps: 1,
      dfsLength: 6,
    });
    expect(r.violation?.detail).toEqual({ cpu: 1, pc: 7, message: 'p1 fails' });
    // cut before any violation: only 'also-if-cut' searches breadth-first
    const cut = { ...img, limits: { ...img.limits, maxStates: 5 } };
    expect(agree((e) => e.explore(cut, { memory: 'sc', shortest: true })).violation).toBeUndefined();
    const c = agree((e) => e.explore(cut, { memory: 'sc', shortest: 'also-if-cut' }));
    expect(c.violation).toMatchObject({ schedule: [1], shortest: true, steps: 1 });
    expect(c.shortestSearch).toEqual({ states: 3, transitions: 2, cut: false, depth: 1 });
  });

  it('gives the breadth-first pass its own state bound (shortestMaxStates)', () => {
    // kvm-like: the depth-first search cut at 2,000 states; the pass bounded at 500 and 5,000
    const image = capped(kvmLikeImage(), 2_000);
    for (const memory of ['sc', 'tso'] as const) {
      const depths: number[] = [];
      for (const shortestMaxStates of [500, 5_000]) {
        const r = agree((e) => e.explore(image, { memory, shortest: 'also-if-cut', shortestMaxStates }));
        expect(r.states).toBe(2_000);
        const s = r.shortestSearch!;
        if (s.cut) expect(s.states).toBe(shortestMaxStates);
        else expect(s.states).toBeLessThanOrEqual(shortestMaxStates);
        depths.push(s.depth);
      }
      // more states, a deeper bound (or the answer)
      expect(depths[1]).toBeGreaterThan(depths[0]!);
    }
    for (const bad of [0, -1, 1.5, Number.NaN])
      for (const e of [referenceEngine, ...builds])
        expect(() => e.explore(image, { memory: 'sc', shortest: true, shortestMaxStates: bad })).toThrow(
          /shortestMaxStates must be a positive integer/,
        );
  });

  const fixtures = [
    ...litmusImages().map((f) => ({ ...f, cap: 200_000 })),
    ...programImages().map((f) => ({ ...f, cap: 20_000 })),
    { name: 'kvm-like', image: kvmLikeImage(), cap: 20_000 },
  ];
  for (const memory of ['sc', 'tso'] as const) {
    it(`fixture images (${memory})`, () => {
      let shortened = 0;
      for (const f of fixtures) {
        const image = capped(f.image, f.cap);
        const r = agree((e) => e.explore(image, { memory, shortest: true }));
        replays(image, memory, r);
        if (r.violation?.shortest) shortened++;
      }
      // some fixtures must exercise the pass (programs with lockups, lost threads, asserts)
      expect(shortened).toBeGreaterThan(0);
    });
  }

  it('fixture programs under power (the pass runs the power storage subsystem too)', () => {
    let shortened = 0;
    let bounded = 0;
    for (const f of [...programImages(), { name: 'kvm-like', image: kvmLikeImage() }]) {
      const image = capped(f.image, 5_000);
      const r = agree((e) => e.explore(image, { memory: 'power', shortest: 'also-if-cut' }));
      replays(image, 'power', r);
      if (r.violation?.shortest) shortened++;
      else if (r.shortestSearch?.cut) bounded++;
    }
    // some programs fail under power (the pass found their shortest), some are cut (a bound)
    expect(shortened).toBeGreaterThan(0);
    expect(shortened + bounded).toBeGreaterThan(1);
  });

  it('random valid images (fast-check, both models)', () => {
    fc.assert(
      fc.property(
        imageArb({ maxThreads: 4, maxSegment: 8, maxSteps: 200, maxStates: 3000 }),
        fc.constantFrom<MemoryModel>('sc', 'tso'),
        (image, memory) => {
          replays(
            image,
            memory,
            agree((e) => e.explore(image, { memory, shortest: true })),
          );
        },
      ),
      { numRuns: 80, seed: 16 },
    );
  });
});

describe('shortest violation: the WebAssembly engine out of memory (SEMANTICS.md 16.4)', () => {
  // Four threads, each storing to 30 cells of its own and then waiting for a flag nobody sets: a
  // lockup at depth 124 in a graph of 31^4 = 923,521 states. The depth-first search, cut at 1,000
  // states (its first path is a lockup), needs little; the breadth-first pass, given its own bound, needs about 30 MB (the
  // visited table and one path record per state), more than the 16 MiB the capped engine may use.
  const img = storersThenWait(30);
  const dfsCut = { ...img, limits: { ...img.limits, maxStates: 1000 } };
  const opts = { memory: 'sc', shortest: 'also-if-cut', shortestMaxStates: 5_000_000 } as const;

  it('keeps what it proved: a lower bound from the levels it finished, marked out of memory', () => {
    const full = createWasmEngine().explore(dfsCut, opts);
    expect(full.cut).toBe(true);
    expect(full.violation).toMatchObject({ outcome: 'lockup', shortest: true, steps: 124 });
    const capped = createWasmEngine({ maxMemoryMiB: 16 });
    const r = capped.explore(dfsCut, opts);
    expect(r.states).toBe(full.states);
    // the depth-first violation stays, not proven shortest
    expect(r.violation).toMatchObject({ outcome: 'lockup', shortest: false, dfsLength: 124 });
    const s = r.shortestSearch!;
    expect(s.outOfMemory).toBe(true);
    expect(s.cut).toBe(true);
    // it got somewhere, not to the end: the bound it gives is true and short of the answer
    expect(s.states).toBeGreaterThan(100_000);
    expect(s.states).toBeLessThan(full.shortestSearch!.states);
    expect(s.depth).toBeGreaterThan(40);
    expect(s.depth + 1).toBeLessThanOrEqual(124);
    // the same bound as an uncapped pass stopped at the same number of states
    const same = createWasmEngine().explore(dfsCut, { ...opts, shortestMaxStates: s.states });
    expect(same.shortestSearch).toMatchObject({ cut: true, depth: s.depth, states: s.states });
    // the engine stays usable: a search that fits runs normally afterwards
    expect(capped.explore(dfsCut, { ...opts, shortestMaxStates: 10_000 }).shortestSearch).toMatchObject({
      cut: true,
      states: 10_000,
    });
  });

  it('refuses a memory cap that is not a number of MiB from 1 to 4096', () => {
    for (const bad of [0, 5000, Number.NaN])
      expect(() => createWasmEngine({ maxMemoryMiB: bad })).toThrow(/maxMemoryMiB/);
  });
});

describe('exhaustive search: the WebAssembly engine out of memory keeps what it found', () => {
  it('reports the partial search as cut, with outOfMemory, its finals and its violation', () => {
    // two threads each choosing one of 3,000 values, then waiting for a flag nobody sets:
    // about 9 million states, far more than a 24 MiB engine can hold
    const body = (t: number) => [`p${t}:`, ['choose', 1, 3000], ['await.eq', 1, 0, 1]] as const;
    const img = tinyImage({
      code: [...body(0), ...body(1)] as never,
      threads: [{ start: 'p0' }, { start: 'p1' }],
      memSize: 2,
      limits: { maxStates: 100_000_000 },
    });
    const capped = createWasmEngine({ maxMemoryMiB: 24 });
    const r = capped.explore(img, { memory: 'sc' });
    expect(r.outOfMemory).toBe(true);
    expect(r.cut).toBe(true);
    expect(r.holds).toBe(false);
    expect(r.states).toBeGreaterThan(100_000);
    expect(r.states).toBeLessThan(3001 * 3001);
    // the first depth-first path (both choose 0) already locks up: that violation is kept
    expect(r.violation).toMatchObject({ outcome: 'lockup', schedule: [0, 0, 1, 0] });
    expect(r.finals).toEqual([{ outcome: 'lockup', final: [] }]);
    // the same search with a bound below the memory cap: the same counts up to that bound
    const bounded = capped.explore(
      { ...img, limits: { ...img.limits, maxStates: 50_000 } },
      { memory: 'sc' },
    );
    expect([bounded.cut, bounded.outOfMemory, bounded.states]).toEqual([true, undefined, 50_000]);
  });
});

describe('exhaustive search: a bound above 2^25 states gets its visited table at once', () => {
  it('gives the same result as a small bound, and falls back to growing the table under a memory cap', () => {
    // 11^4 = 14,641 states
    const image = storersThenWait(10);
    const small = createWasmEngine().explore(capped(image, 1_000_000), { memory: 'sc', shortest: true });
    expect(small.cut).toBe(false);
    expect(small.violation).toMatchObject({ outcome: 'lockup', shortest: true, steps: 44 });
    // 40 million: a 512 MiB table up front (2^26 slots)
    const big = createWasmEngine().explore(capped(image, 40_000_000), { memory: 'sc', shortest: true });
    expect(big).toStrictEqual(small);
    // under a 64 MiB cap that table does not fit: the search grows its table as before
    const cappedEngine = createWasmEngine({ maxMemoryMiB: 64 });
    expect(cappedEngine.explore(capped(image, 40_000_000), { memory: 'sc', shortest: true })).toStrictEqual(
      small,
    );
  });
});
