// Shared assertion for the tests: relative closeness, with an absolute floor for values near 0.
import { expect } from 'vitest';

export function expectClose(actual: number, expected: number, relTol: number, absTol = 0): void {
  const tolerance = Math.max(relTol * Math.abs(expected), absTol);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect(actual, `expected within ${tolerance} of ${expected}`).toBe(expected);
  }
}
