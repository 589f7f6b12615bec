/**
 * Syncs per wakeup with trials as clusters (`method: 'ratio-cluster'`): used when the input has
 * per-trial second moments, with the binomial interval as the fallback; the comparison's
 * `syncsPerWakeupDifference` likewise.
 */
import { clusterProportion, tQuantile, wilson } from '@naplab/stats';
import { describe, expect, test } from 'vitest';
import {
  buildCompareReport,
  type CompareInput,
  parseCompareReport,
  ReportError,
  renderMarkdown,
  reportToJSON,
  type WakeupMoments,
} from '../src/index.js';
import { smallInput } from './fixture.js';

// smallInput: 10,000 trials per variant, 20,000 wakeups each; baseline syncs at all of them,
// buggy at 15,000. Here every trial has exactly 2 wakeups.

/** buggy, correlated: 7,500 trials sync at both wakeups, 2,500 at neither. */
const CORRELATED: WakeupMoments = {
  wakeupsSq: 4 * 10_000,
  syncsSq: 4 * 7_500,
  syncsWakeups: 4 * 7_500,
  skipsSq: 4 * 2_500,
  skipsWakeups: 4 * 2_500,
};
/** buggy, independent (each wakeup syncs with probability 3/4): 5,625 (2 syncs), 3,750 (1), 625 (0). */
const INDEPENDENT: WakeupMoments = {
  wakeupsSq: 40_000,
  syncsSq: 4 * 5_625 + 3_750,
  syncsWakeups: 2 * 15_000,
  skipsSq: 3_750 + 4 * 625,
  skipsWakeups: 2 * 5_000,
};
/** baseline: both wakeups of every trial sync */
const ALL_SYNC: WakeupMoments = {
  wakeupsSq: 40_000,
  syncsSq: 40_000,
  syncsWakeups: 40_000,
  skipsSq: 0,
  skipsWakeups: 0,
};

function input(buggy: WakeupMoments | undefined, baseline: WakeupMoments | null = ALL_SYNC): CompareInput {
  const i = smallInput();
  const [b, g] = i.variants;
  if (baseline) b!.wakeupMoments = baseline;
  if (buggy) g!.wakeupMoments = buggy;
  return i;
}

const width = (r: { lower: number; upper: number }) => r.upper - r.lower;

describe('syncs per wakeup with trials as clusters', () => {
  test('correlated wakeups: ratio-cluster, √2 times wider than the binomial interval', () => {
    const buggy = buildCompareReport(input(CORRELATED)).variants[1]!;
    const binomial = buildCompareReport(input(undefined)).variants[1]!;
    expect(binomial.syncsPerWakeup!.method).toBe('wilson');
    expect(buggy.syncsPerWakeup).toEqual({
      k: 15_000,
      n: 20_000,
      estimate: 0.75,
      lower: expect.any(Number),
      upper: expect.any(Number),
      method: 'ratio-cluster',
    });
    // by hand: residuals 0.5 (7,500 trials) and -1.5 (2,500): Σ = 7,500; Var = 7,500 / (10⁴ · 9,999 · 2²)
    const se = Math.sqrt(7_500 / (10_000 * 9_999 * 4));
    const half = -tQuantile(0.025, 9_999) * se;
    expect(buggy.syncsPerWakeup!.lower).toBeCloseTo(0.75 - half, 12);
    expect(buggy.syncsPerWakeup!.upper).toBeCloseTo(0.75 + half, 12);
    const ratio = width(buggy.syncsPerWakeup!) / width(binomial.syncsPerWakeup!);
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(1.43);
    // the skip rate is the mirror image
    expect(buggy.skipSyncRate!.method).toBe('ratio-cluster');
    expect(buggy.skipSyncRate!.lower).toBeCloseTo(0.25 - half, 12);
  });

  test('independent wakeups: ratio-cluster, close to the binomial interval', () => {
    const buggy = buildCompareReport(input(INDEPENDENT)).variants[1]!;
    const c = clusterProportion({
      n: 10_000,
      sumX: 15_000,
      sumY: 20_000,
      sumXX: INDEPENDENT.syncsSq,
      sumYY: INDEPENDENT.wakeupsSq,
      sumXY: INDEPENDENT.syncsWakeups,
    })!;
    expect(buggy.syncsPerWakeup).toMatchObject({ method: 'ratio-cluster', lower: c.lower, upper: c.upper });
    const ratio = width(buggy.syncsPerWakeup!) / width(wilson(15_000, 20_000));
    expect(ratio).toBeGreaterThan(0.98);
    expect(ratio).toBeLessThan(1.02);
  });

  test('every wakeup synced (no spread between trials): the binomial interval, as without moments', () => {
    const r = buildCompareReport(input(CORRELATED));
    const plain = buildCompareReport(input(undefined, null));
    expect(r.variants[0]!.syncsPerWakeup).toEqual(plain.variants[0]!.syncsPerWakeup);
    expect(r.variants[0]!.syncsPerWakeup!.method).toBe('wilson');
    expect(r.variants[0]!.skipSyncRate!.ruleOfThreeUpper).toBeGreaterThan(0);
  });

  test('difference: ratio-cluster when both variants have moments, else Newcombe', () => {
    const r = buildCompareReport(input(CORRELATED));
    const d = r.comparisons[0]!.syncsPerWakeupDifference!;
    expect(Object.keys(d)).toEqual(['estimate', 'lower', 'upper', 'method']);
    expect(d.method).toBe('ratio-cluster');
    // baseline adds no variance: Welch-Satterthwaite df = 9,999, the buggy side's
    const se = Math.sqrt(7_500 / (10_000 * 9_999 * 4));
    const half = -tQuantile(0.025, 9_999) * se;
    expect(d.estimate).toBeCloseTo(-0.25, 15);
    expect(d.lower).toBeCloseTo(-0.25 - half, 12);
    expect(d.upper).toBeCloseTo(-0.25 + half, 12);
    const mixed = buildCompareReport(input(CORRELATED, null)).comparisons[0]!;
    expect(mixed.syncsPerWakeupDifference!.method).toBe('newcombe');
    expect(buildCompareReport(input(undefined)).comparisons[0]!.syncsPerWakeupDifference!.method).toBe(
      'newcombe',
    );
  });

  test('the JSON keeps the documented field order and validates; the notes name the method', () => {
    const r = buildCompareReport(input(CORRELATED));
    expect(Object.keys(r.variants[1]!.syncsPerWakeup!)).toEqual([
      'k',
      'n',
      'estimate',
      'lower',
      'upper',
      'method',
    ]);
    const text = reportToJSON(r);
    expect(parseCompareReport(text)).toEqual(r);
    const table = renderMarkdown(r);
    expect(table).toContain('ratio estimator with trials as clusters');
    expect(table).toContain("the two ratio estimators' variances added");
    // without moments, the old note
    expect(renderMarkdown(buildCompareReport(input(undefined, null)))).toContain(
      'treating wakeups as independent',
    );
  });

  test('a ratio-cluster method on the lockup rate is refused by the validator', () => {
    const r = JSON.parse(reportToJSON(buildCompareReport(input(CORRELATED))));
    r.variants[1].lockupRate.method = 'ratio-cluster';
    expect(() => parseCompareReport(JSON.stringify(r))).toThrow(/lockupRate.method/);
  });

  test('malformed moments are refused', () => {
    for (const bad of [-1, Number.NaN, '4' as unknown as number]) {
      const i = input({ ...CORRELATED, syncsSq: bad });
      expect(() => buildCompareReport(i)).toThrow(ReportError);
      expect(() => buildCompareReport(i)).toThrow(/variants\[1\] \("buggy"\)\.wakeupMoments\.syncsSq/);
    }
  });
});
