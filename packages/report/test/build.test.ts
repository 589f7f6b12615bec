import { fisherExact, rateDifference, wilson } from '@naplab/stats';
import { describe, expect, test } from 'vitest';
import { buildCompareReport, lockupsForFactorTwo, ReportError } from '../src/index.js';
import { sampleInput, sampleReport, smallInput } from './fixture.js';

const Z = 1.959963984540054; // z_{0.975}

/** The Wilson score bounds, written out (Wilson 1927). */
function wilsonByHand(k: number, n: number): [number, number] {
  const centre = k + (Z * Z) / 2;
  const half = Z * Math.sqrt((k * (n - k)) / n + (Z * Z) / 4);
  return [(centre - half) / (n + Z * Z), (centre + half) / (n + Z * Z)];
}

describe('buildCompareReport: statistics', () => {
  const report = sampleReport();
  const [baseline, buggy, fixed, nosync] = report.variants;

  test('no lockups: Wilson upper bound z²/(n + z²) and the rule-of-three bound -ln(0.05)/n', () => {
    expect(baseline!.lockupRate).toEqual({
      k: 0,
      n: 200_000,
      estimate: 0,
      lower: 0,
      upper: expect.closeTo((Z * Z) / (200_000 + Z * Z), 15),
      method: 'wilson',
      ruleOfThreeUpper: expect.closeTo(2.995732273553991 / 200_000, 15),
    });
    expect(baseline!.lockupRate.upper).toBeCloseTo(1.9207e-5, 8);
    expect(baseline!.lockupRate.ruleOfThreeUpper).toBeCloseTo(1.4979e-5, 8);
  });

  test('82 lockups in 200,000: the Wilson interval, by hand and from @naplab/stats', () => {
    const [lo, hi] = wilsonByHand(82, 200_000);
    expect(buggy!.lockupRate.estimate).toBe(0.00041);
    expect(buggy!.lockupRate.lower).toBeCloseTo(lo, 12);
    expect(buggy!.lockupRate.upper).toBeCloseTo(hi, 12);
    expect(buggy!.lockupRate.lower).toBeCloseTo(3.3039e-4, 7);
    expect(buggy!.lockupRate.upper).toBeCloseTo(5.0883e-4, 7);
    expect(buggy!.lockupRate.ruleOfThreeUpper).toBeUndefined();
    const w = wilson(82, 200_000);
    expect([buggy!.lockupRate.lower, buggy!.lockupRate.upper]).toEqual([w.lower, w.upper]);
  });

  test('failure rate counts every non-ok outcome; lockup rate only lockups', () => {
    expect(nosync!.lockupRate.k).toBe(3);
    expect(nosync!.failureRate.k).toBe(12);
    expect(nosync!.failureRate.estimate).toBe(12 / 200_000);
  });

  test('syncs per wakeup and skip-sync rate are proportions of wakeups', () => {
    expect(buggy!.syncsPerWakeup).toMatchObject({ k: 360_000, n: 480_000, estimate: 0.75 });
    expect(buggy!.skipSyncRate).toMatchObject({ k: 120_000, n: 480_000, estimate: 0.25 });
    const [lo, hi] = wilsonByHand(360_000, 480_000);
    expect(buggy!.syncsPerWakeup!.lower).toBeCloseTo(lo, 12);
    expect(buggy!.syncsPerWakeup!.upper).toBeCloseTo(hi, 12);
    expect(baseline!.syncsPerWakeup).toMatchObject({ k: 500_000, estimate: 1, upper: 1 });
    expect(nosync!.syncsPerWakeup).toMatchObject({ k: 0, estimate: 0, lower: 0 });
    expect(fixed!.syncsTotal).toBe(1_050_000);
    expect(fixed!.counters).toEqual({ wakeup_sync: 367_500, wakeup_skip_sync: 122_500 });
    // wakeupSkips defaults to wakeups - wakeupSyncs
    const small = buildCompareReport(smallInput());
    expect(small.variants[1]!.skipSyncRate).toMatchObject({ k: 5_000, n: 20_000, estimate: 0.25 });
  });

  test('steps per trial: mean, sample sd and Student-t interval from Σx and Σx²', () => {
    // Σx = 30,640,000 and Σx² = 4.7e9 over 200,000 trials: mean 153.2,
    // s² = (4.7e9 - 30,640,000²/200,000) / 199,999 = 5,952,000 / 199,999
    const sd = Math.sqrt(5_952_000 / 199_999);
    expect(baseline!.stepsPerTrial.mean).toBe(153.2);
    expect(baseline!.stepsPerTrial.sd).toBeCloseTo(sd, 12);
    expect(baseline!.stepsPerTrial.sd).toBeCloseTo(5.455286, 6);
    // t_{0.975, 199999} ≈ z + (z³ + z)/(4·df) (Cornish-Fisher, first term) = 1.9599759
    const half = (Z + (Z ** 3 + Z) / (4 * 199_999)) * (sd / Math.sqrt(200_000));
    expect(baseline!.stepsPerTrial.lower).toBeCloseTo(153.2 - half, 9);
    expect(baseline!.stepsPerTrial.upper).toBeCloseTo(153.2 + half, 9);
    expect(baseline!.stepsPerTrial.max).toBe(412);
    // one trial: no spread, so no interval (null, never Infinity)
    const input = smallInput();
    input.variants = [
      {
        ...input.variants[0]!,
        outcomes: { ok: 1, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 7,
        stepsSq: 49,
      },
    ];
    expect(buildCompareReport(input).variants[0]!.stepsPerTrial).toEqual({
      n: 1,
      mean: 7,
      lower: null,
      upper: null,
      sd: null,
      method: 'student-t',
    });
  });

  test('comparisons: every variant against baseline, Newcombe difference and Fisher p', () => {
    expect(report.comparisons.map((c) => [c.a, c.b, c.direction])).toEqual([
      ['buggy', 'baseline', 'a-higher'],
      ['fixed', 'baseline', 'none'],
      ['nosync', 'baseline', 'none'],
    ]);
    const [vsBuggy, vsFixed, vsNosync] = report.comparisons;
    const d = rateDifference(82, 200_000, 0, 200_000);
    expect(vsBuggy!.difference).toEqual({
      estimate: 0.00041,
      lower: d.lower,
      upper: d.upper,
      method: 'newcombe',
    });
    expect(vsBuggy!.fisherP).toBe(fisherExact(82, 200_000, 0, 200_000).pValue);
    expect(vsBuggy!.fisherP).toBeLessThan(1e-20);
    expect(vsBuggy!.verdict).toBe('buggy locks up more often than baseline (p < 0.001)');
    expect(vsFixed!.fisherP).toBe(1);
    expect(vsFixed!.verdict).toBe('no lockups in either');
    // 3 vs 0 in equal arms: P(X = 3) = C(n,3)/C(2n,3) = (n-2)/(4(2n-1)); X = 0 is as likely
    const n = 200_000;
    expect(vsNosync!.fisherP).toBeCloseTo((2 * (n - 2)) / (4 * (2 * n - 1)), 12);
    expect(vsNosync!.verdict).toBe('no significant difference at 95% (p = 0.25)');
    expect(vsBuggy!.syncsPerWakeupDifference!.estimate).toBeCloseTo(-0.25, 15);
    expect(vsNosync!.syncsPerWakeupDifference!.estimate).toBe(-1);
  });

  test('comparisons: a chosen reference, or explicit pairs', () => {
    const byRef = buildCompareReport({ ...sampleInput(), reference: 'fixed' });
    expect(byRef.comparisons.map((c) => `${c.a}-${c.b}`)).toEqual([
      'baseline-fixed',
      'buggy-fixed',
      'nosync-fixed',
    ]);
    const pairs = buildCompareReport({ ...sampleInput(), comparisons: [['fixed', 'buggy']] });
    expect(pairs.comparisons).toHaveLength(1);
    expect(pairs.comparisons[0]!.direction).toBe('b-higher');
    expect(pairs.comparisons[0]!.verdict).toBe('fixed locks up less often than buggy (p < 0.001)');
    expect(() => buildCompareReport({ ...sampleInput(), comparisons: [['fixed', 'ghost']] })).toThrow(
      'comparison names unknown variant "ghost"',
    );
  });
});

describe('buildCompareReport: warnings', () => {
  test('the sample raises exactly these, each aimed at a field', () => {
    expect(sampleReport().warnings.map((w) => [w.code, w.variants, w.field])).toEqual([
      ['W_LIMIT', ['nosync'], 'outcomes.limit'],
      ['W_WIDE_INTERVAL', ['nosync'], 'lockupRate'],
      ['W_NO_COUNTEREXAMPLE', ['nosync'], 'failure'],
      ['W_INCONCLUSIVE_COMPARISON', ['nosync', 'baseline'], 'comparisons'],
    ]);
    const wide = sampleReport().warnings[1]!;
    // 3 lockups: the interval spans a factor 4.49e-5/5.1e-6 ≈ 8.6; 32 lockups would take 200,000 × 32/3
    expect(wide.message).toBe('nosync: only 3 lockups; the lockup rate is known only within a factor of 8.6');
    expect(wide.remedy).toBe(
      'run about 2,200,000 trials per variant: about 32 lockups pin the rate down within a factor of 2',
    );
  });

  test('partial runs, no wakeups, and the caller’s own warnings', () => {
    const input = sampleInput();
    input.variants[2] = {
      ...input.variants[2]!,
      outcomes: { ok: 150_000, lockup: 0, lost: 0, assert: 0, limit: 0 },
      wakeups: 0,
      wakeupSyncs: 0,
      wakeupSkips: 0,
    };
    input.warnings = [{ code: 'X_MINE', message: 'm', remedy: 'r' }];
    const r = buildCompareReport(input);
    const fixed = r.warnings.filter((w) => w.variants?.[0] === 'fixed');
    expect(fixed.map((w) => w.code)).toEqual(['W_PARTIAL', 'W_NO_WAKEUPS']);
    expect(fixed[0]!.message).toBe('fixed ran 150,000 of the 200,000 trials requested');
    expect(r.variants[2]!.syncsPerWakeup).toBeNull();
    expect(r.variants[2]!.skipSyncRate).toBeNull();
    expect(r.warnings.at(-1)).toEqual({ code: 'X_MINE', message: 'm', remedy: 'r' });
  });

  test('a well-measured comparison raises none', () => {
    expect(buildCompareReport(smallInput()).warnings).toEqual([]);
  });

  test('lockups needed for a factor-2 interval', () => {
    expect(lockupsForFactorTwo(0.95)).toBe(32);
    const w = wilson(32, 1e9);
    expect(w.upper / w.lower).toBeLessThan(2);
    const v = wilson(31, 1e9);
    expect(v.upper / v.lower).toBeGreaterThan(2);
    expect(lockupsForFactorTwo(0.99)).toBeGreaterThan(32);
  });
});

describe('buildCompareReport: input checks and shape', () => {
  const bad = (edit: (i: ReturnType<typeof sampleInput>) => void, message: string) => {
    const input = sampleInput();
    edit(input);
    let err: unknown;
    try {
      buildCompareReport(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe('E_REPORT_INPUT');
    expect((err as ReportError).message).toBe(message);
  };

  test('inconsistent input is refused with the field named', () => {
    bad((i) => (i.variants[1]!.variant = 'baseline'), 'variant "baseline" appears twice');
    bad(
      (i) => (i.variants[0]!.outcomes.ok = -1),
      'variants[0] ("baseline").outcomes.ok must be a non-negative integer, got -1',
    );
    bad(
      (i) => (i.variants[1]!.wakeupSyncs = 480_001),
      'variants[1] ("buggy"): wakeupSyncs (480001) and wakeupSkips (120000) cannot exceed wakeups (480000)',
    );
    bad(
      (i) => (i.variants[1]!.failure!.scheduleLength = 3),
      'variants[1] ("buggy").failure.scheduleLength is 3 but the schedule has 11 decisions',
    );
    bad((i) => (i.confidence = 1), 'confidence must be in (0, 1), got 1');
    bad((i) => (i.variants = []), 'a comparison needs at least one variant');
  });

  test('key order, optional fields absent rather than undefined, the schedule copied', () => {
    const input = sampleInput();
    input.createdAt = '2026-11-26T20:00:00.000Z';
    const r = buildCompareReport(input);
    expect(Object.keys(r).slice(0, 5)).toEqual([
      'format',
      'version',
      'naplabVersion',
      'createdAt',
      'scenario',
    ]);
    expect('createdAt' in sampleReport()).toBe(false);
    expect(Object.keys(r.variants[0]!)).not.toContain('failure');
    expect(r.variants[1]!.failure!.scheduleLength).toBe(11);
    input.variants[1]!.failure!.schedule.push(9);
    expect(r.variants[1]!.failure!.schedule).toHaveLength(11);
    expect(r.variants[1]!.label).toBe('buggy');
    expect(buildCompareReport(smallInput()).variants[1]!.label).toBe('buggy (8c1c7fb0b5ec)');
  });
});

describe('buildCompareReport: small n', () => {
  test('the rule-of-three bound is capped at 1 below n = 3', () => {
    const input = smallInput();
    input.variants = [
      {
        ...input.variants[0]!,
        outcomes: { ok: 2, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 10,
        stepsSq: 52,
      },
    ];
    const r = buildCompareReport(input).variants[0]!;
    expect(r.lockupRate.ruleOfThreeUpper).toBe(1);
    input.variants[0]!.outcomes.ok = 3;
    input.variants[0]!.steps = 15;
    input.variants[0]!.stepsSq = 77;
    expect(buildCompareReport(input).variants[0]!.lockupRate.ruleOfThreeUpper).toBeCloseTo(
      2.995732273553991 / 3,
      15,
    );
  });
});
