import { describe, expect, it } from 'vitest';
import { referenceEngine, replayTrial } from './index.js';
import { makeImage, mpImage, reg, sbImage } from './test/build.js';

/**
 * Two threads, each with one store, one load and a halt (r1 = 1 preloaded):
 *   P0: S0 = stw r1,0(r2) [x=1]   L0 = lwz r3,0(r4) [r3=y]   H0 = halt
 *   P1: S1 = stw r1,0(r2) [y=1]   L1 = lwz r3,0(r4) [r3=x]   H1 = halt
 */
function tinyStoreLoad(limits = {}) {
  const body = (me: string) => [`${me}:`, ['stw', 1, 0, 2], ['lwz', 3, 0, 4], ['halt']] as const;
  return makeImage({
    code: [...body('p0'), ...body('p1')] as never,
    threads: [
      { start: 'p0', regs: { 1: 1, 2: 1, 4: 2 } },
      { start: 'p1', regs: { 1: 1, 2: 2, 4: 1 } },
    ],
    memSize: 3,
    observe: [reg(0, 3), reg(1, 3)],
    limits,
  });
}

describe('exhaustive: exact counts', () => {
  it('sc: two threads, store + load + halt each', () => {
    /*
     * Under sc the only actions are step 0 / step 1; a path is an interleaving of S0 L0 H0 with
     * S1 L1 H1 (C(6,3) = 20 paths). The finals depend only on the order of S and L:
     *   S0 L0 S1 L1 -> (0,1)   S0 S1 L0 L1 -> (1,1)   S0 S1 L1 L0 -> (1,1)
     *   S1 S0 L0 L1 -> (1,1)   S1 S0 L1 L0 -> (1,1)   S1 L1 S0 L0 -> (1,0)
     * (0,0) would need L0 < S1 and L1 < S0, a cycle with program order.
     * States, by progress (i, j) = instructions done by P0, P1 (r3 is only fixed once loaded):
     *   i,j < 2: 4 states;  i >= 2, j < 2: (2,0) (3,0) one each, (2,1) (3,1) two each (P0's
     *   load saw y = 0 or 1): 6;  symmetric: 6;  i,j >= 2: 4 points x 3 value pairs: 12.  = 28.
     * Transitions = sum of out-degrees (threads not yet halted) = 8 + 9 + 9 + 12 = 38.
     * maxDepth = 6 (every path to the end has six actions).
     */
    const r = referenceEngine.explore(tinyStoreLoad(), { memory: 'sc' });
    expect(r).toEqual({
      holds: true,
      states: 28,
      transitions: 38,
      maxDepth: 6,
      cut: false,
      finals: [
        { outcome: 'ok', final: [0, 1] },
        { outcome: 'ok', final: [1, 0] },
        { outcome: 'ok', final: [1, 1] },
      ],
    });
  });

  it('tso: the same program with store buffers', () => {
    /*
     * Actions: step 0/1 and drain 0/1 (Dt drains St, any time after it, even after the halt).
     * Per thread local states (progress, drained): A=(0), Bu Bd=(1,u/d), Cu Cd=(2,u/d), Eu Ed=(3,u/d).
     * P0's r3 is 1 only if D1 came before L0, so once P0 has loaded it has 2 possible values when
     * d1 = 1 now, else 1; likewise P1. With no program-order cycle through the drains, every
     * such pair is reachable, (0,0) included (S0 S1 L0 L1 D0 D1). Classes (loaded, drained) with
     * multiplicity: (0,0) x2 [A, Bu], (0,1) x1 [Bd], (1,0) x2 [Cu, Eu], (1,1) x2 [Cd, Ed].
     * Summing c0 * c1 over the 7 x 7 local pairs gives 14 + 11 + 20 + 32 = 77 states.
     * Out-degree of a local state: A 1, Bu 2, Bd 1, Cu 2, Cd 1, Eu 1, Ed 0; summed with the same
     * weights (7, 7, 11, 10, 16, 10, 16) gives 78 per thread, 156 transitions in all.
     * maxDepth = 8 (3 steps + 1 drain per thread).
     */
    const r = referenceEngine.explore(tinyStoreLoad(), { memory: 'tso' });
    expect(r).toEqual({
      holds: true,
      states: 77,
      transitions: 156,
      maxDepth: 8,
      cut: false,
      finals: [
        { outcome: 'ok', final: [0, 0] },
        { outcome: 'ok', final: [0, 1] },
        { outcome: 'ok', final: [1, 0] },
        { outcome: 'ok', final: [1, 1] },
      ],
    });
  });

  it('maxSteps cuts every path at that depth and reports limit terminals', () => {
    /*
     * maxSteps = 4 under sc: the states with i + j <= 4 are entered (4 + 6 + 6 + 3 = 19); those
     * with i + j = 4 ((3,1) x2, (1,3) x2, (2,2) x3) still have actions, so they are limit
     * terminals. Transitions: out-degrees of the states with i + j <= 3:
     * 2+2+2+2 (i,j<2) + 2+2 ((2,0),(0,2)) + 4+4 ((2,1),(1,2)) + 1+1 ((3,0),(0,3)) = 22.
     * DFS takes step 0 first: S0 L0 H0 then S1 reaches (3,1) with r3 = (0, 0) first.
     */
    const r = referenceEngine.explore(tinyStoreLoad({ maxSteps: 4 }), { memory: 'sc' });
    expect(r.states).toBe(19);
    expect(r.transitions).toBe(22);
    expect(r.maxDepth).toBe(4);
    expect(r.cut).toBe(true);
    expect(r.holds).toBe(false);
    expect(r.finals).toEqual([
      { outcome: 'limit', final: [0, 0] },
      { outcome: 'limit', final: [0, 1] },
      { outcome: 'limit', final: [1, 0] },
      { outcome: 'limit', final: [1, 1] },
    ]);
    expect(r.violation).toEqual({ outcome: 'limit', schedule: [0, 0, 0, 1], detail: {}, final: [0, 0] });
  });

  it('maxStates stops the search only when one more state would be entered', () => {
    const exact = referenceEngine.explore(tinyStoreLoad({ maxStates: 28 }), { memory: 'sc' });
    expect(exact.cut).toBe(false);
    expect(exact.states).toBe(28);
    expect(exact.holds).toBe(true);
    const cut = referenceEngine.explore(tinyStoreLoad({ maxStates: 27 }), { memory: 'sc' });
    expect(cut.cut).toBe(true);
    expect(cut.states).toBe(27);
    expect(cut.holds).toBe(false);
    const one = referenceEngine.explore(tinyStoreLoad({ maxStates: 1 }), { memory: 'sc' });
    // the start state, then the first child would be the second state: one transition, stop
    expect([one.states, one.transitions, one.maxDepth, one.cut]).toEqual([1, 1, 0, true]);
  });

  it('choose yields one child per value, recorded in the violation schedule', () => {
    /*
     * P0: choose r3,3 ; assert.ne r3,2,"two" ; halt. The start state has one action with three
     * children (values 0, 1, 2): values 0 and 1 continue to the halt, 2 fails the assert.
     * States: start; r3 = 0, 1, 2 at the assert; two passed-assert states and the failed one
     * (its key carries the failure, SEMANTICS.md 10.6); two halted: 1 + 3 + 3 + 2 = 9.
     * Transitions: 3 (choose) + 3 (assert) + 2 (halt) = 8.
     */
    const img = makeImage({
      code: [['choose', 3, 3], ['assert.ne', 3, 2, 0], ['halt']],
      threads: [{}],
      strings: ['two'],
      observe: [reg(0, 3)],
    });
    const r = referenceEngine.explore(img, { memory: 'sc' });
    expect(r.states).toBe(9);
    expect(r.transitions).toBe(8);
    expect(r.maxDepth).toBe(3);
    expect(r.finals).toEqual([
      { outcome: 'ok', final: [0] },
      { outcome: 'ok', final: [1] },
      { outcome: 'assert', final: [2] },
    ]);
    expect(r.violation).toEqual({
      outcome: 'assert',
      schedule: [0, 2, 0],
      detail: { cpu: 0, pc: 1, message: 'two' },
      final: [2],
    });
    // the violating schedule replays to the same failure
    const t = replayTrial(img, 'sc', r.violation!.schedule);
    expect([t.outcome, t.detail, t.final, t.steps]).toEqual(['assert', r.violation!.detail, [2], 2]);
  });
});

describe('exhaustive: litmus verdicts', () => {
  const reachable = (img: ReturnType<typeof sbImage>, memory: 'sc' | 'tso', final: number[]) =>
    referenceEngine
      .explore(img, { memory })
      .finals.some((f) => f.outcome === 'ok' && f.final.join() === final.join());

  it('SB: r0 = r1 = 0 is reachable under tso only, and not with sync on both sides', () => {
    expect(reachable(sbImage(), 'tso', [0, 0])).toBe(true);
    expect(reachable(sbImage(), 'sc', [0, 0])).toBe(false);
    expect(reachable(sbImage({ sync: true }), 'tso', [0, 0])).toBe(false);
    expect(referenceEngine.explore(sbImage(), { memory: 'sc' }).finals.map((f) => f.final)).toEqual([
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });

  it('MP: flag = 1, data = 0 is reachable neither under sc nor under tso', () => {
    for (const memory of ['sc', 'tso'] as const) {
      const r = referenceEngine.explore(mpImage(), { memory });
      expect(r.finals.map((f) => f.final)).toEqual([
        [0, 0],
        [0, 1],
        [1, 1],
      ]);
      expect(reachable(mpImage(), memory, [1, 0])).toBe(false);
    }
  });

  it('holds is false and the violation replays when some terminal is not ok', () => {
    const img = makeImage({
      code: [
        'p0:',
        ['lwz', 3, 1, 0],
        ['assert.eq', 3, 0, 0],
        ['halt'],
        'p1:',
        ['li', 5, 9],
        ['stw', 5, 1, 0],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      memSize: 2,
      strings: ['saw the store'],
      observe: [reg(0, 3)],
    });
    const r = referenceEngine.explore(img, { memory: 'tso' });
    expect(r.holds).toBe(false);
    // Every path that starts with P0's load passes. DFS then takes P1's li and stw; from there
    // step 0 (load sees 0) comes first, then P1's halt, whose subtree again tries step 0 before
    // drain 1 (id 3); after the drain P0 loads 9 and fails.
    expect(r.violation).toEqual({
      outcome: 'assert',
      schedule: [1, 1, 1, 3, 0, 0],
      detail: { cpu: 0, pc: 1, message: 'saw the store' },
      final: [9],
    });
    expect(replayTrial(img, 'tso', r.violation!.schedule).outcome).toBe('assert');
  });
});

describe('exhaustive: progress reports (ExploreOptions.onProgress)', () => {
  it('reports every 2^16 new states, in both passes, without changing the result', () => {
    // two threads each choosing one of 300 values: 301 x 301 = 90,601 states, then a lockup
    // (each awaits a flag nobody sets) that the shortest pass looks for
    const body = (me: string) => [`${me}:`, ['choose', 1, 300], ['await.eq', 1, 0, 1]] as const;
    const img = makeImage({
      code: [...body('p0'), ...body('p1')] as never,
      threads: [{ start: 'p0' }, { start: 'p1' }],
      memSize: 2,
      limits: { maxStates: 200_000 },
    });
    const seen: { phase: string; states: number }[] = [];
    const r = referenceEngine.explore(img, {
      memory: 'sc',
      shortest: true,
      onProgress: (p) => seen.push({ phase: p.phase, states: p.states }),
    });
    expect(r.cut).toBe(false);
    expect(r.states).toBe(301 * 301);
    expect(r.violation).toMatchObject({ outcome: 'lockup', shortest: true, steps: 2 });
    expect(seen).toEqual([{ phase: 'dfs', states: 65_536 }]);
    expect(referenceEngine.explore(img, { memory: 'sc', shortest: true })).toEqual(r);
  });
});
