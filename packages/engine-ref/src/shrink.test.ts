import { describe, expect, it } from 'vitest';
import { replayTrial, sameFailure, shrinkSchedule } from './index.js';
import { longAndShortImage as longAndShort, makeImage, reg } from './test/build.js';

describe('shrinkSchedule', () => {
  it("removes the decisions the failure does not need (P1's assert needs none of P0's steps)", () => {
    const img = longAndShort();
    const s = shrinkSchedule(img, 'sc', [0, 0, 0, 0, 0, 1]);
    expect(s.schedule).toEqual([1]);
    expect([s.stepsBefore, s.stepsAfter, s.lengthBefore, s.lengthAfter]).toEqual([6, 1, 6, 1]);
    const t = replayTrial(img, 'sc', s.schedule);
    expect([t.outcome, t.detail]).toEqual(['assert', { cpu: 1, pc: 7, message: 'p1 fails' }]);
  });

  it("keeps the failure's identity: P0's assert needs all six of P0's steps", () => {
    const img = longAndShort();
    const s = shrinkSchedule(img, 'sc', [0, 0, 0, 0, 0, 0]);
    expect(s.schedule).toEqual([0, 0, 0, 0, 0, 0]);
    expect(s.result.detail).toEqual({ cpu: 0, pc: 5, message: 'p0 fails' });
  });

  it('keeps choose values and drops the decisions before them that do not matter', () => {
    // P0: choose r3,3 ; assert.ne r3,2 ; P1: three li. Failing schedule: P1, P1, choose 2, P1, assert
    const img = makeImage({
      code: [
        'p0:',
        ['choose', 3, 3],
        ['assert.ne', 3, 2, 0],
        ['halt'],
        'p1:',
        ['li', 1, 1],
        ['li', 1, 2],
        ['li', 1, 3],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      strings: ['two'],
      observe: [reg(0, 3)],
    });
    const s = shrinkSchedule(img, 'sc', [1, 1, 0, 2, 1, 0]);
    expect(s.schedule).toEqual([0, 2, 0]);
    expect(s.stepsAfter).toBe(2);
  });

  it('refuses a schedule that does not fail, or does not fit', () => {
    const ok = makeImage({ code: [['li', 1, 1], ['halt']], threads: [{}], observe: [] });
    expect(() => shrinkSchedule(ok, 'sc', [0, 0])).toThrow(/does not fail/);
    expect(() => shrinkSchedule(longAndShort(), 'sc', [5])).toThrow(/diverged at decision 0/);
  });

  it('sameFailure compares the lockup cpus, not only the outcome', () => {
    const base = {
      index: 0,
      steps: 1,
      syncs: 0,
      wakeups: 0,
      wakeupsByReason: [0, 0, 0] as [number, number, number],
      counters: [],
      final: [],
      schedule: [],
    };
    const a = { ...base, outcome: 'lockup' as const, detail: { waiting: 0, stuck: [2], message: '' } };
    expect(sameFailure(a, { ...a, steps: 9 })).toBe(true);
    expect(sameFailure(a, { ...a, detail: { waiting: 0, stuck: [2, 3], message: '' } })).toBe(false);
    expect(sameFailure(a, { ...a, outcome: 'lost', detail: {} })).toBe(false);
  });
});
