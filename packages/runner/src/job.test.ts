import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunnerError } from './errors.js';
import { parseShard, shardRange } from './job.js';

describe('shards', () => {
  it('splits trials as [floor(i*T/N), floor((i+1)*T/N))', () => {
    expect([0, 1, 2].map((index) => shardRange(10, { index, count: 3 }))).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(shardRange(10)).toEqual([0, 10]);
  });

  it('shards are disjoint and cover the job (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 64 }), (trials, count) => {
        let at = 0;
        for (let index = 0; index < count; index++) {
          const [a, b] = shardRange(trials, { index, count });
          expect(a).toBe(at);
          expect(b).toBeGreaterThanOrEqual(a);
          at = b;
        }
        expect(at).toBe(trials);
      }),
    );
  });

  it('parses the 1-based CLI form', () => {
    expect(parseShard('1/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2']) {
      expect(() => parseShard(bad)).toThrow(RunnerError);
    }
  });
});
