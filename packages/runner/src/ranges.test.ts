import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches, coalesce, findOverlap, missingRanges, type Range, rangesSize } from './ranges.js';

describe('ranges', () => {
  it('coalesces overlapping and touching ranges, drops empty ones', () => {
    expect(
      coalesce([
        [10, 20],
        [0, 5],
        [5, 7],
        [15, 30],
        [40, 40],
        [31, 35],
      ]),
    ).toEqual([
      [0, 7],
      [10, 30],
      [31, 35],
    ]);
  });

  it('lists the missing parts of a range', () => {
    expect(
      missingRanges(
        [100, 200],
        [
          [0, 110],
          [120, 130],
          [130, 150],
          [190, 300],
        ],
      ),
    ).toEqual([
      [110, 120],
      [150, 190],
    ]);
    expect(missingRanges([0, 10], [])).toEqual([[0, 10]]);
    expect(missingRanges([0, 10], [[0, 10]])).toEqual([]);
  });

  it('finds overlaps but not touching ranges', () => {
    const item = (range: Range, id: string) => ({ range, id });
    expect(findOverlap([item([0, 5], 'a'), item([5, 9], 'b')])).toBeUndefined();
    const hit = findOverlap([item([0, 5], 'a'), item([20, 30], 'b'), item([4, 6], 'c')]);
    expect(hit?.map((x) => x.id)).toEqual(['a', 'c']);
    // a long range hides behind a short one that starts later
    expect(
      findOverlap([item([0, 100], 'a'), item([10, 20], 'b'), item([50, 60], 'c')])?.map((x) => x.id),
    ).toEqual(['a', 'b']);
  });

  it('cuts ranges into batches in index order', () => {
    expect([
      ...batches(
        [
          [0, 5],
          [10, 12],
        ],
        2,
      ),
    ]).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
      [10, 12],
    ]);
  });

  it('done + missing partition the range (property)', () => {
    const arbRange = fc.tuple(fc.nat(1000), fc.nat(200)).map(([a, n]): Range => [a, a + n]);
    fc.assert(
      fc.property(arbRange, fc.array(arbRange, { maxLength: 12 }), (range, done) => {
        const missing = missingRanges(range, done);
        const inRange = coalesce(done.map(([a, b]): Range => [Math.max(a, range[0]), Math.min(b, range[1])]));
        expect(rangesSize(missing) + rangesSize(inRange)).toBe(range[1] - range[0]);
        expect(findOverlap([...missing, ...inRange].map((r) => ({ range: r })))).toBeUndefined();
        for (const [a, b] of missing) expect(a >= range[0] && b <= range[1] && a < b).toBe(true);
      }),
    );
  });
});
