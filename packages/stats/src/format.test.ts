import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInterval, formatValue } from './format.js';

describe('formatValue', () => {
  it('prints significant digits, exponential below 1e-3 and from 1e5', () => {
    expect(formatValue(1.234e-4)).toBe('1.23e-4');
    expect(formatValue(0.30798)).toBe('0.308');
    expect(formatValue(12345.6)).toBe('12300');
    expect(formatValue(123456)).toBe('1.23e5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-2.5e-7, 2)).toBe('-2.5e-7');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('inf');
  });

  it('rounds in the requested direction, carrying into the exponent', () => {
    expect(formatValue(1.64e-4, 2, 'down')).toBe('1.6e-4');
    expect(formatValue(1.61e-4, 2, 'up')).toBe('1.7e-4');
    expect(formatValue(9.96e-5, 2, 'up')).toBe('1.0e-4');
    expect(formatValue(9.96e-5, 2, 'nearest')).toBe('1.0e-4');
    expect(formatValue(-1.61e-4, 2, 'down')).toBe('-1.7e-4');
    // 1.6e-4 is stored as 1.5999999999999999e-4; rounding down must not print 1.5e-4.
    expect(formatValue(1.6e-4, 2, 'down')).toBe('1.6e-4');
    expect(formatValue(0.3, 2, 'up')).toBe('0.30');
  });
});

describe('formatInterval', () => {
  it('prints `estimate [lower, upper]` in one notation', () => {
    expect(formatInterval(1.23e-4, 9.14e-5, 1.58e-4)).toBe('1.23e-4 [9.1e-5, 1.6e-4]');
    expect(formatInterval(9.5e-4, 8.7e-4, 1.04e-3)).toBe('9.50e-4 [8.7e-4, 1.1e-3]');
    expect(formatInterval(0.308, 0.2553, 0.3662)).toBe('0.308 [0.25, 0.37]');
    expect(formatInterval(0, 0, 3.84e-4)).toBe('0 [0, 3.9e-4]');
  });

  it('never prints an interval narrower than the computed one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (upper, f, g) => {
          const lower = upper * f;
          const estimate = lower + (upper - lower) * g;
          const [est, lo, hi] = formatInterval(estimate, lower, upper)
            .replace(/[[\],]/g, ' ')
            .trim()
            .split(/\s+/)
            .map(Number);
          // Up to the few-ulp slack that lets 1.5999999999999999e-4 print as 1.6e-4.
          expect(lo).toBeLessThanOrEqual(lower * (1 + 1e-14));
          expect(hi).toBeGreaterThanOrEqual(upper * (1 - 1e-14));
          expect(Math.abs(est - estimate)).toBeLessThanOrEqual(Math.abs(estimate) * 5e-3);
        },
      ),
    );
  });
});
