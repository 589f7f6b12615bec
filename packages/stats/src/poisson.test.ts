import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';
import { poissonRateInterval } from './poisson.js';
import { expectClose } from './test-util.js';

describe('poissonRateInterval (Garwood)', () => {
  it('gives [0, 3.689] for 0 events and [4.795, 18.39] for 10 events per unit exposure', () => {
    // 0 events: upper = -ln(0.025) = ln 40 (Garwood 1936; Ulm 1990 table).
    const zero = poissonRateInterval(0, 1);
    expect(zero.lower).toBe(0);
    expectClose(zero.upper, Math.log(40), 1e-15);
    expect(zero.meanTimeBetweenEvents.upper).toBe(Number.POSITIVE_INFINITY);
    // 10 events: χ²(0.025; 20)/2 and χ²(0.975; 22)/2; table 4.795, 18.390.
    const ten = poissonRateInterval(10, 1);
    expectClose(ten.lower, 9.590777392264867 / 2, 1e-14);
    expectClose(ten.upper, 36.780712084035557 / 2, 1e-14);
  });

  it('scales with exposure and reports the mean time between events', () => {
    // 10 lockups in 2 simulated hours: 5 per hour, [2.398, 9.195] per hour.
    const r = poissonRateInterval(10, 2);
    expect(r.rate).toBe(5);
    expectClose(r.lower, 9.590777392264867 / 4, 1e-14);
    expectClose(r.upper, 36.780712084035557 / 4, 1e-14);
    expect(r.meanTimeBetweenEvents.estimate).toBe(0.2);
    expectClose(r.meanTimeBetweenEvents.lower, 1 / r.upper, 1e-15);
    expectClose(r.meanTimeBetweenEvents.upper, 1 / r.lower, 1e-15);
  });

  it('is exact for large counts', () => {
    // Gamma quantiles solved in 40-digit arithmetic (mpmath).
    const r = poissonRateInterval(1_000_000, 1);
    expectClose(r.lower, 998040.9833402939, 1e-14);
    expectClose(r.upper, 1001961.9119454322, 1e-14);
    const k = 1000;
    const s = poissonRateInterval(k, 1);
    expectClose(s.lower, 938.9730184076952, 1e-14);
    expectClose(s.upper, 1063.952136016302, 1e-14);
    // Byar's approximation (Rothman & Boice 1979) agrees to O(k^-3/2) at k = 1e3.
    const z = normalQuantile(0.975);
    expectClose(s.lower, k * (1 - 1 / (9 * k) - z / (3 * Math.sqrt(k))) ** 3, 1e-4);
    expectClose(s.upper, (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * Math.sqrt(k + 1))) ** 3, 1e-4);
  });

  it('contains the rate and nests by confidence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (events, exposure, c) => {
          const r = poissonRateInterval(events, exposure, c);
          expect(r.lower).toBeLessThanOrEqual(r.rate);
          expect(r.upper).toBeGreaterThanOrEqual(r.rate);
          const wider = poissonRateInterval(events, exposure, (c + 1) / 2);
          expect(wider.lower).toBeLessThanOrEqual(r.lower);
          expect(wider.upper).toBeGreaterThanOrEqual(r.upper);
        },
      ),
    );
  });

  it('rejects a non-positive exposure', () => {
    expect(() => poissonRateInterval(1, 0)).toThrow(RangeError);
    expect(() => poissonRateInterval(1.5, 1)).toThrow(RangeError);
  });
});
