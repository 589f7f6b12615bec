import { describe, expect, test } from 'vitest';
import {
  decimalsFor,
  formatCount,
  formatFixedInterval,
  formatPValue,
  formatRate,
  formatRateDifference,
  formatTick,
  joinSplit,
} from './format.js';
import type { RateInterval } from './types.js';

const rate = (k: number, n: number, lower: number, upper: number, r3?: number): RateInterval => ({
  k,
  n,
  estimate: k / n,
  lower,
  upper,
  method: 'wilson',
  ...(r3 === undefined ? {} : { ruleOfThreeUpper: r3 }),
});

describe('format', () => {
  test('counts with thousands separators, whatever the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-20000)).toBe('-20,000');
  });

  test('rates: two significant digits, scientific below 1e-3, bounds rounded outwards', () => {
    expect(joinSplit(formatRate(rate(82, 200_000, 3.3039e-4, 5.0883e-4)))).toBe('4.1e-4 [3.3e-4, 5.1e-4]');
    // 3.2e-4 stays 3.2e-4 (no spurious rounding down), 5.31e-4 goes up to 5.4e-4
    expect(joinSplit(formatRate(rate(41, 100_000, 3.2e-4, 5.31e-4)))).toBe('4.1e-4 [3.2e-4, 5.4e-4]');
    expect(joinSplit(formatRate(rate(31, 100, 0.2296, 0.4046)))).toBe('0.31 [0.22, 0.41]');
    // one notation for all three: the lower bound drags the rest into scientific notation
    expect(joinSplit(formatRate(rate(2, 1000, 5.5e-4, 7.21e-3)))).toBe('2.0e-3 [5.5e-4, 7.3e-3]');
    expect(joinSplit(formatRate(rate(0, 200_000, 0, 1.92e-5, 1.4979e-5)))).toBe('0 (< 1.5e-5, rule of 3)');
    expect(joinSplit(formatRate(rate(0, 200_000, 0, 1.92e-5)))).toBe('0 (< 2.0e-5)');
  });

  test('differences are signed', () => {
    expect(joinSplit(formatRateDifference({ estimate: 4.1e-4, lower: 3.2e-4, upper: 5.1e-4 }))).toBe(
      '+4.1e-4 [+3.2e-4, +5.1e-4]',
    );
    expect(joinSplit(formatRateDifference({ estimate: 1.5e-5, lower: -6.7e-6, upper: 4.5e-5 }))).toBe(
      '+1.5e-5 [-6.7e-6, +4.5e-5]',
    );
    expect(joinSplit(formatRateDifference({ estimate: 0, lower: -0.02, upper: 0.02 }))).toBe(
      '0 [-0.020, +0.020]',
    );
  });

  test('fixed intervals: decimals from the width, exact 0 and 100% bare', () => {
    expect(decimalsFor(0.4)).toBe(1);
    expect(decimalsFor(0.004)).toBe(3);
    expect(decimalsFor(27)).toBe(0);
    expect(decimalsFor(1e-9)).toBe(4);
    expect(joinSplit(formatFixedInterval(0.75, 0.7488, 0.7512))).toBe('0.750 [0.748, 0.752]');
    expect(joinSplit(formatFixedInterval(0.25, 0.2488, 0.2512, 100))).toBe('25.0 [24.8, 25.2]');
    expect(joinSplit(formatFixedInterval(0, 0, 7.68e-6, 100))).toBe('0 [0, 0.0008]');
    expect(joinSplit(formatFixedInterval(1, 0.99999232, 1, 100))).toBe('100 [99.9992, 100]');
    expect(joinSplit(formatFixedInterval(153.2, 153.176, 153.224))).toBe('153.20 [153.17, 153.23]');
    expect(joinSplit(formatFixedInterval(-0.25, -0.2512, -0.2488, 1, true))).toBe('-0.250 [-0.252, -0.248]');
    expect(joinSplit(formatFixedInterval(0.1, 0.05, 0.15, 1, true))).toBe('+0.1 [0.0, +0.2]');
    expect(joinSplit(formatFixedInterval(7, null, null))).toBe('7.0');
  });

  test('p-values and axis ticks', () => {
    expect(formatPValue(1e-30)).toBe('< 0.001');
    expect(formatPValue(0.0421)).toBe('= 0.042');
    expect(formatPValue(1)).toBe('= 1.0');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(1e-5, true)).toBe('1e-5');
    expect(formatTick(2.5e-4, true)).toBe('2.5e-4');
    expect(formatTick(0.2)).toBe('0.2');
    expect(formatTick(1)).toBe('1');
    expect(formatTick(100)).toBe('100');
  });
});
