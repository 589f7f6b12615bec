import { describe, expect, it } from 'vitest';
import { referenceEngine, replayTrial, shortestViolation } from './index.js';
import { longAndShortImage as longAndShort, makeImage, reg } from './test/build.js';

describe('shortest violation (SEMANTICS.md section 16)', () => {
  it('breadth-first finds the one-action violation the depth-first search passes by', () => {
    const img = longAndShort();
    const dfs = referenceEngine.explore(img, { memory: 'sc' });
    expect(dfs.violation).toEqual({
      outcome: 'assert',
      schedule: [0, 0, 0, 0, 0, 0],
      detail: { cpu: 0, pc: 5, message: 'p0 fails' },
      final: [5],
    });
    const s = shortestViolation(img, 'sc');
    expect(s).toEqual({
      violation: {
        outcome: 'assert',
        schedule: [1],
        detail: { cpu: 1, pc: 7, message: 'p1 fails' },
        final: [0],
        steps: 1,
      },
      states: 3,
      transitions: 2,
      cut: false,
      depth: 1,
    });
    // through the engine: the DFS counts stay, the violation is replaced and says so
    const r = referenceEngine.explore(img, { memory: 'sc', shortest: true });
    expect([r.states, r.transitions, r.maxDepth, r.cut]).toEqual([
      dfs.states,
      dfs.transitions,
      dfs.maxDepth,
      false,
    ]);
    expect(r.shortestSearch).toEqual({ states: 3, transitions: 2, cut: false, depth: 1 });
    expect(r.violation).toEqual({
      outcome: 'assert',
      schedule: [1],
      detail: { cpu: 1, pc: 7, message: 'p1 fails' },
      final: [0],
      shortest: true,
      steps: 1,
      dfsLength: 6,
      shortestStates: 3,
    });
    const t = replayTrial(img, 'sc', r.violation!.schedule);
    expect([t.outcome, t.detail]).toEqual(['assert', r.violation!.detail]);
  });

  it('a choose value is part of the shortest schedule', () => {
    // choose r3,3 ; assert.ne r3,2 -> the shortest violation is [0, 2, 0]: choose 2, then the assert
    const img = makeImage({
      code: [['choose', 3, 3], ['assert.ne', 3, 2, 0], ['halt']],
      threads: [{}],
      strings: ['two'],
      observe: [reg(0, 3)],
    });
    const r = shortestViolation(img, 'sc');
    expect(r.violation?.schedule).toEqual([0, 2, 0]);
    expect(r.violation?.steps).toBe(2);
    // start; r3 = 0, 1, 2; then in BFS order the asserts of r3 = 0 and 1 pass, r3 = 2 fails
    expect(r.states).toBe(1 + 3 + 3);
  });

  it('holds: no violation, and a maxStates bound says cut', () => {
    // two threads running li; halt: progress (i, j) in 0..2 x 0..2 = 9 states; out-degree
    // (i < 2) + (j < 2): 4 states x 2 + 4 states x 1 = 12 transitions
    const ok = makeImage({ code: [['li', 1, 1], ['halt']], threads: [{}, {}], observe: [] });
    // every level expanded: depths 0..4 (the last level, both halted, has no children)
    expect(shortestViolation(ok, 'sc')).toEqual({ states: 9, transitions: 12, cut: false, depth: 5 });
    const img = longAndShort();
    img.limits = { ...img.limits, maxStates: 2 };
    // cut while expanding the start state: no violation has fewer than 1 step (trivially)
    expect(shortestViolation(img, 'sc')).toEqual({ states: 2, transitions: 2, cut: true, depth: 0 });
    // 7 states are enough for the depth-first violation (start, five li, the failed assert) and
    // for the breadth-first one (3): the depth-first search is cut, the shortest pass is not
    img.limits = { ...img.limits, maxStates: 7 };
    const r = referenceEngine.explore(img, { memory: 'sc', shortest: true });
    expect(r.cut).toBe(true);
    expect(r.violation?.schedule).toEqual([1]);
    expect(r.violation?.shortest).toBe(true);
  });

  it("'also-if-cut': a search cut before any violation looks breadth-first too", () => {
    // the depth-first order enters P0's five li first and is cut at 5 states; breadth-first
    // meets P1's failing assert at depth 1 (states: start, P0 stepped, P1 failed)
    const img = longAndShort();
    img.limits = { ...img.limits, maxStates: 5 };
    const plain = referenceEngine.explore(img, { memory: 'sc', shortest: true });
    expect([plain.cut, plain.violation, plain.shortestSearch]).toEqual([true, undefined, undefined]);
    const r = referenceEngine.explore(img, { memory: 'sc', shortest: 'also-if-cut' });
    expect(r.cut).toBe(true);
    expect(r.violation).toEqual({
      outcome: 'assert',
      schedule: [1],
      detail: { cpu: 1, pc: 7, message: 'p1 fails' },
      final: [0],
      shortest: true,
      steps: 1,
      shortestStates: 3,
    });
    expect(r.shortestSearch).toEqual({ states: 3, transitions: 2, cut: false, depth: 1 });
  });
});
