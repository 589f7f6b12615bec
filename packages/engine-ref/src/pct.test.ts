/**
 * The PCT scheduler of the reference engine (SEMANTICS.md section 14): its draws, "the enabled
 * agent of highest priority acts", change points, the uniform tail past k, and choose values.
 */
import { Rng } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMachine, pctDraw, referenceEngine, runPct } from './index.js';
import { type Line, makeImage, reg } from './test/build.js';

const pct = (depth: number, k: number, from = 0, to = 1) =>
  ({ memory: 'sc', scheduler: { kind: 'pct', depth, k }, seed: 3, from, to, record: 'all' }) as const;

describe('pctDraw', () => {
  it('priorities are a permutation of d..d+S-1, change points are in 1..k; the draw order is fixed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 5000 }),
        (seed, index, slots, depth, k) => {
          const { priority, change } = pctDraw(new Rng(seed, index), slots, depth, k);
          expect([...priority].sort((a, b) => a - b)).toEqual(
            Array.from({ length: slots }, (_, i) => depth + i),
          );
          expect(change).toHaveLength(depth - 1);
          for (const c of change) expect(c >= 1 && c <= k).toBe(true);
          // Fisher-Yates from the top, then the change points, from the same generator
          const rng = new Rng(seed, index);
          const p = Array.from({ length: slots }, (_, a) => depth + a);
          for (let i = slots - 1; i > 0; i--) {
            const j = rng.below(i + 1);
            [p[i], p[j]] = [p[j]!, p[i]!];
          }
          expect([...priority]).toEqual(p);
          expect([...change]).toEqual(Array.from({ length: depth - 1 }, () => 1 + rng.below(k)));
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('every agent is first equally often (chi-square over 24,000 draws of 4 slots)', () => {
    const firsts = [0, 0, 0, 0];
    for (let i = 0; i < 24_000; i++) {
      const { priority } = pctDraw(new Rng(9, i), 4, 2, 10);
      firsts[priority.indexOf(5)]!++;
    }
    const chi = firsts.reduce((s, c) => s + (c - 6000) ** 2 / 6000, 0);
    expect(chi).toBeLessThan(16.27); // 3 degrees of freedom, p = 0.001
  });
});

// two threads that never interact: T0 runs 3 instructions, T1 runs 2
const lines: Line[] = ['p0:', ['li', 1, 1], ['li', 2, 2], ['halt'], 'p1:', ['li', 1, 1], ['halt']];
const two = makeImage({ code: lines, threads: [{ start: 'p0' }, { start: 'p1' }] });

describe('runPct', () => {
  it('pct:1 runs the higher-priority thread to its end, then the other', () => {
    const r = referenceEngine.runTrials(two, pct(1, 5, 0, 400));
    let t0First = 0;
    for (const t of r.trials) {
      const { priority } = pctDraw(new Rng(3, t.index), 6, 1, 5);
      const first = priority[0]! > priority[1]! ? 0 : 1;
      expect(t.schedule).toEqual(first === 0 ? [0, 0, 0, 1, 1] : [1, 1, 0, 0, 0]);
      if (first === 0) t0First++;
    }
    expect(t0First).toBeGreaterThan(150);
    expect(t0First).toBeLessThan(250);
  });

  it('pct:2: the agent that takes step change[1] drops below the other', () => {
    for (let index = 0; index < 200; index++) {
      const t = referenceEngine.runTrials(two, pct(2, 5, index, index + 1)).trials[0]!;
      const { priority, change } = pctDraw(new Rng(3, index), 6, 2, 5);
      let hi = priority[0]! > priority[1]! ? 0 : 1;
      const want: number[] = [];
      const left = [3, 2];
      for (let step = 1; left[0]! + left[1]! > 0; step++) {
        const a = left[hi]! > 0 ? hi : 1 - hi;
        want.push(a);
        left[a]!--;
        if (step === change[0]) hi = 1 - a; // a drops to priority 1, below every initial one
      }
      expect(t.schedule).toEqual(want);
    }
  });

  it('past k steps the pick is uniform: with k = 1 the schedules vary even at depth 1', () => {
    const r = referenceEngine.runTrials(two, pct(1, 1, 0, 300));
    const distinct = new Set(r.trials.map((t) => t.schedule.join()));
    expect(distinct.size).toBeGreaterThan(3);
    // and it is the uniform scheduler's pick: same draws after the PCT ones
    for (const t of r.trials.slice(0, 20)) {
      const m = createMachine(two, 'sc');
      expect(runPct(m, new Rng(3, t.index), t.index, 1, 1)).toEqual(t);
    }
  });

  it('choose values come from the same generator, after the PCT draws', () => {
    const img = makeImage({ code: [['choose', 3, 7], ['halt']], threads: [{}], observe: [reg(0, 3)] });
    for (let index = 0; index < 50; index++) {
      const t = referenceEngine.runTrials(img, pct(3, 4, index, index + 1)).trials[0]!;
      const rng = new Rng(3, index);
      pctDraw(rng, 3, 3, 4);
      const v = rng.below(7);
      expect(t.final).toEqual([v]);
      expect(t.schedule).toEqual([0, v, 0]);
    }
  });
});
