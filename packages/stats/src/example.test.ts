// Keeps the README and examples/compare-variants.mjs true: the same calls, the printed values.
import { describe, expect, it } from 'vitest';
import {
  fisherExact,
  mergeCounts,
  poissonRateInterval,
  rateDifference,
  rateSummary,
  ratioOfSums,
} from './index.js';

describe('README example', () => {
  it('prints the documented numbers', () => {
    const unfixed = mergeCounts([
      { k: 21, n: 1_000_000 },
      { k: 16, n: 1_000_000 },
    ]);
    expect(rateSummary(unfixed.k, unfixed.n).text).toBe('1.85e-5 [1.3e-5, 2.6e-5]');
    const fixed = rateSummary(0, 5_000_000);
    expect(fixed.text).toBe('0 [0, 7.7e-7]');
    expect(fixed.ruleOfThree?.upper.toExponential(2)).toBe('5.99e-7');
    const d = rateDifference(37, 2_000_000, 0, 5_000_000);
    expect([d.difference, d.lower, d.upper].map((v) => v.toExponential(2))).toEqual([
      '1.85e-5',
      '1.34e-5',
      '2.55e-5',
    ]);
    // All 37 lockups in the first group: (2/7)^37 = 7.40e-21 to first order.
    expect(fisherExact(37, 2_000_000, 0, 5_000_000).pValue.toExponential(2)).toBe('7.40e-21');
    const perHour = poissonRateInterval(37, 120);
    expect([perHour.rate, perHour.lower, perHour.upper].map((v) => v.toFixed(3))).toEqual([
      '0.308',
      '0.217',
      '0.425',
    ]);
    const mttl = perHour.meanTimeBetweenEvents;
    expect([mttl.estimate, mttl.lower, mttl.upper].map((v) => v.toFixed(2))).toEqual([
      '3.24',
      '2.35',
      '4.61',
    ]);
    const syncs = ratioOfSums({ n: 1000, sumX: 5230, sumY: 2000, sumXX: 30100, sumYY: 4200, sumXY: 11000 });
    expect([syncs.estimate, syncs.lower ?? 0, syncs.upper ?? 0].map((v) => v.toFixed(4))).toEqual([
      '2.6150',
      '2.5797',
      '2.6503',
    ]);
  });
});
