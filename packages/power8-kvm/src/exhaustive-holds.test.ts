/**
 * power8-cede-small, exhaustively: the wakeup sections before the bug (baseline) and after its fix
 * (fixed) hold under sc and tso. Counts: see README.md.
 */
import { describe, expect, it } from 'vitest';
import { EXPLORE_TIMEOUT, explored } from './trace.test-helpers.js';

const EXPECTED: Record<
  'baseline' | 'fixed',
  Record<'sc' | 'tso', { states: number; transitions: number }>
> = {
  baseline: { sc: { states: 251092, transitions: 699938 }, tso: { states: 612428, transitions: 2080974 } },
  fixed: { sc: { states: 256336, transitions: 714512 }, tso: { states: 621560, transitions: 2110656 } },
};

describe.each(['baseline', 'fixed'] as const)('%s', (variant) => {
  it.each(['sc', 'tso'] as const)(
    'holds under %s: every reachable end state is ok',
    (memory) => {
      const { result } = explored(variant, memory);
      expect(result.cut).toBe(false);
      expect(result.violation).toBeUndefined();
      expect(result.holds).toBe(true);
      expect(result.finals).toEqual([{ outcome: 'ok', final: [] }]);
      expect({ states: result.states, transitions: result.transitions }).toEqual(EXPECTED[variant][memory]);
    },
    EXPLORE_TIMEOUT,
  );
});
