import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, ratioOfSums } from './means.js';
import { mergeCounts, mergeExposure, mergeMoments, mergeRatioMoments } from './merge.js';
import { poissonRateInterval } from './poisson.js';
import { rateSummary } from './proportion.js';

describe('merge helpers', () => {
  it('sum the raw aggregates field by field', () => {
    expect(
      mergeCounts([
        { k: 1, n: 100 },
        { k: 2, n: 300 },
      ]),
    ).toEqual({ k: 3, n: 400 });
    expect(
      mergeExposure([
        { events: 4, exposure: 1.5 },
        { events: 6, exposure: 2.5 },
      ]),
    ).toEqual({ events: 10, exposure: 4 });
    expect(
      mergeMoments([
        { n: 2, sum: 3, sumSq: 5 },
        { n: 3, sum: 12, sumSq: 50 },
      ]),
    ).toEqual({ n: 5, sum: 15, sumSq: 55 });
    expect(mergeCounts([])).toEqual({ k: 0, n: 0 });
  });

  it('drop a second-order sum that some shard lacks, rather than understate the variance', () => {
    const merged = mergeRatioMoments([
      { n: 2, sumX: 3, sumY: 2, sumXX: 5, sumYY: 2, sumXY: 3 },
      { n: 1, sumX: 3, sumY: 2, sumXX: 9, sumYY: 4 },
    ]);
    expect(merged).toEqual({ n: 3, sumX: 6, sumY: 4, sumXX: 14, sumYY: 6 });
    expect(ratioOfSums(merged).method).toBe('point-estimate');
  });

  it('recomputing from merged counts equals computing on the whole run; averaging intervals does not', () => {
    // Shards 0/1000 and 10/1000: the whole run is 10/2000.
    const whole = rateSummary(10, 2000);
    const { k, n } = mergeCounts([
      { k: 0, n: 1000 },
      { k: 10, n: 1000 },
    ]);
    expect(rateSummary(k, n)).toEqual(whole);
    const a = rateSummary(0, 1000).wilson;
    const b = rateSummary(10, 1000).wilson;
    // The average of the shard intervals is a different (and wrong) interval.
    expect((a.upper + b.upper) / 2).not.toBeCloseTo(whole.wilson.upper, 4);
  });

  it('shard-then-merge equals one pass over all trials, for any split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 })), {
          minLength: 2,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 59 }),
        (trials, cut) => {
          const aggregate = (ts: typeof trials) => ({
            n: ts.length,
            sumX: ts.reduce((s, [x]) => s + x, 0),
            sumY: ts.reduce((s, [, y]) => s + y, 0),
            sumXX: ts.reduce((s, [x]) => s + x * x, 0),
            sumYY: ts.reduce((s, [, y]) => s + y * y, 0),
            sumXY: ts.reduce((s, [x, y]) => s + x * y, 0),
          });
          const split = Math.min(cut, trials.length - 1);
          const merged = mergeRatioMoments([
            aggregate(trials.slice(0, split)),
            aggregate(trials.slice(split)),
          ]);
          expect(ratioOfSums(merged)).toEqual(ratioOfSums(aggregate(trials)));
          const moments = (ts: typeof trials) => ({
            n: ts.length,
            sum: ts.reduce((s, [x]) => s + x, 0),
            sumSq: ts.reduce((s, [x]) => s + x * x, 0),
          });
          expect(
            meanInterval(mergeMoments([moments(trials.slice(0, split)), moments(trials.slice(split))])),
          ).toEqual(meanInterval(moments(trials)));
          const events = mergeExposure([
            { events: split, exposure: 1 },
            { events: trials.length - split, exposure: 2 },
          ]);
          expect(poissonRateInterval(events.events, events.exposure)).toEqual(
            poissonRateInterval(trials.length, 3),
          );
        },
      ),
    );
  });

  it('reject merged counts that cannot be a proportion', () => {
    expect(() =>
      mergeCounts([
        { k: 5, n: 3 },
        { k: 0, n: 1 },
      ]),
    ).toThrow(RangeError);
  });
});
