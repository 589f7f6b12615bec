import { ImageError, mergeAggregates, Rng, type TrialResult } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  classify,
  createMachine,
  enabledActions,
  finalValues,
  needsChoice,
  ReplayDivergence,
  referenceEngine,
  replayTrial,
  runTrial,
} from './index.js';
import { makeImage, reg, sbImage } from './test/build.js';
import { type RandomProgram, randomProgram, randomProgramImage } from './test/random-programs.js';

describe('uniform', () => {
  it('draws the pick, then the choose value, from Rng(seed, index)', () => {
    // one thread, one enabled action at each point: below(1) consumes nothing, so the only draw
    // is the choose value
    const img = makeImage({ code: [['choose', 3, 5], ['halt']], threads: [{}], observe: [reg(0, 3)] });
    for (const [seed, index] of [
      [1, 0],
      [42, 7],
      [4294967295, 123456789],
    ]) {
      const t = runTrial(img, 'sc', seed!, index!);
      const want = new Rng(seed!, index!).below(5);
      expect(t.final).toEqual([want]);
      expect(t.schedule).toEqual([0, want, 0]);
    }
    // two threads: the pick among 2 enabled actions comes first
    const two = makeImage({
      code: ['p0:', ['choose', 3, 3], ['halt'], 'p1:', ['halt']],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      observe: [reg(0, 3)],
    });
    const rng = new Rng(5, 9);
    const first = rng.below(2);
    const t = runTrial(two, 'sc', 5, 9);
    expect(t.schedule[0]).toBe(first);
    if (first === 0) expect(t.schedule[1]).toBe(rng.below(3));
  });

  it('same (seed, index) gives the same trial; a trial alone equals the same trial in a batch', () => {
    const img = sbImage();
    expect(runTrial(img, 'tso', 7, 3)).toEqual(runTrial(img, 'tso', 7, 3));
    const batch = referenceEngine.runTrials(img, {
      memory: 'tso',
      scheduler: { kind: 'uniform' },
      seed: 7,
      from: 0,
      to: 40,
      record: 'all',
    });
    expect(batch.trials.map((t) => t.index)).toEqual([...Array(40).keys()]);
    for (const t of batch.trials) expect(t).toEqual(runTrial(img, 'tso', 7, t.index));
    // different trials of one run do differ (the generator is keyed by the index)
    expect(new Set(batch.trials.map((t) => t.schedule.join())).size).toBeGreaterThan(5);
  });

  it('batches split anywhere add up to the whole run', () => {
    const img = sbImage();
    const opts = {
      memory: 'tso' as const,
      scheduler: { kind: 'uniform' as const },
      seed: 99,
      record: 'none' as const,
    };
    const whole = referenceEngine.runTrials(img, { ...opts, from: 0, to: 300 });
    const a = referenceEngine.runTrials(img, { ...opts, from: 0, to: 123 });
    const b = referenceEngine.runTrials(img, { ...opts, from: 123, to: 300 });
    expect(mergeAggregates(a.aggregates, b.aggregates)).toEqual(whole.aggregates);
    expect(whole.trials).toEqual([]);
    expect(whole.aggregates.trials).toBe(300);
    // SB under tso: every trial takes 4 steps per thread plus 2 drains = 10 actions
    expect([whole.aggregates.steps, whole.aggregates.stepsSq, whole.aggregates.maxSteps]).toEqual([
      3000, 30000, 10,
    ]);
    expect(whole.aggregates.outcomes).toEqual({ ok: 300, lockup: 0, lost: 0, assert: 0, limit: 0 });
  });

  it('records failures up to maxFailures, in index order, and aggregates counters and wakeups', () => {
    const img = makeImage({
      code: [['choose', 3, 2], ['count', 0], ['assert.eq', 3, 0, 0], ['halt']],
      threads: [{}],
      strings: ['chose 1'],
      counters: ['c'],
    });
    const base = {
      memory: 'sc' as const,
      scheduler: { kind: 'uniform' as const },
      seed: 3,
      from: 0,
      to: 100,
    };
    const all = referenceEngine.runTrials(img, { ...base, record: 'all' });
    const failing = all.trials.filter((t) => t.outcome !== 'ok');
    expect(failing.length).toBe(all.aggregates.outcomes.assert);
    expect(all.aggregates.counters).toEqual([100]);
    const def = referenceEngine.runTrials(img, base);
    expect(def.trials).toEqual(failing.slice(0, 10));
    const three = referenceEngine.runTrials(img, { ...base, record: 'failures', maxFailures: 3 });
    expect(three.trials).toEqual(failing.slice(0, 3));
    expect(three.aggregates).toEqual(all.aggregates);
  });

  it('refuses invalid images and bad options', () => {
    const img = sbImage();
    const bad = { ...img, code: [...img.code, 250, 0, 0, 0] };
    const opts = { memory: 'sc' as const, scheduler: { kind: 'uniform' as const }, seed: 1, from: 0, to: 1 };
    expect(() => referenceEngine.runTrials(bad, opts)).toThrow(ImageError);
    expect(() => referenceEngine.runTrials(bad, opts)).toThrow(/unknown opcode 250/);
    expect(() => referenceEngine.explore(bad, { memory: 'sc' })).toThrow(ImageError);
    expect(() => referenceEngine.runTrials(img, { ...opts, from: 5, to: 2 })).toThrow(/trial range/);
    expect(() => referenceEngine.runTrials(img, { ...opts, memory: 'arm' as never })).toThrow(
      /memory model "arm"/,
    );
  });
});

describe('replay', () => {
  const img = makeImage({
    code: ['p0:', ['choose', 3, 3], ['assert.ne', 3, 2, 0], ['halt'], 'p1:', ['halt']],
    threads: [{ start: 'p0' }, { start: 'p1' }],
    strings: ['two'],
    observe: [reg(0, 3)],
  });

  it('follows a schedule, choose values included', () => {
    const t = replayTrial(img, 'sc', [1, 0, 1, 0, 0]);
    expect([t.outcome, t.final, t.schedule, t.steps]).toEqual(['ok', [1], [1, 0, 1, 0, 0], 4]);
  });

  it('diverges with the decision index when the schedule does not fit', () => {
    const diverge = (schedule: number[]) => {
      try {
        replayTrial(img, 'sc', schedule);
      } catch (e) {
        expect(e).toBeInstanceOf(ReplayDivergence);
        return [(e as ReplayDivergence).decision, (e as Error).message];
      }
      throw new Error('expected a divergence');
    };
    expect(diverge([1, 1])).toEqual([
      1,
      'schedule diverged at decision 1: action 1 is not enabled (enabled: 0)',
    ]);
    expect(diverge([0, 3])).toEqual([
      1,
      'schedule diverged at decision 1: choose value 3 is out of range 0..2',
    ]);
    expect(diverge([0])).toEqual([
      1,
      'schedule diverged at decision 1: action 0 executes choose and needs a value',
    ]);
    expect(diverge([7])[0]).toBe(0);
    expect(diverge([0, 2, 0, 1])).toEqual([
      3,
      'schedule diverged at decision 3: the trial already ended (an assert failed) but the schedule goes on',
    ]);
    expect(diverge([1, 0, 1, 0, 0, 0])[1]).toMatch(
      /decision 5: the trial already ended \(no action is enabled\)/,
    );
  });

  it('ends as limit when the schedule runs out, or at maxSteps whatever is left', () => {
    const t = replayTrial(img, 'sc', [0, 1]);
    expect([t.outcome, t.steps, t.schedule]).toEqual(['limit', 1, [0, 1]]);
    const short = { ...img, limits: { ...img.limits, maxSteps: 2 } };
    const u = replayTrial(short, 'sc', [1, 0, 1, 0, 0]);
    expect([u.outcome, u.steps, u.schedule]).toEqual(['limit', 2, [1, 0, 1]]);
  });

  it('runTrials with a replay scheduler replays the schedule for every index', () => {
    const r = referenceEngine.runTrials(img, {
      memory: 'sc',
      scheduler: { kind: 'replay', schedule: [0, 2, 0] },
      seed: 0,
      from: 10,
      to: 13,
      record: 'all',
    });
    expect(r.trials.map((t) => [t.index, t.outcome, t.detail])).toEqual([
      [10, 'assert', { cpu: 0, pc: 1, message: 'two' }],
      [11, 'assert', { cpu: 0, pc: 1, message: 'two' }],
      [12, 'assert', { cpu: 0, pc: 1, message: 'two' }],
    ]);
  });
});

// ---- property: random small programs ----------------------------------------------------------

const program = randomProgram();
const buildRandom = (p: RandomProgram) => randomProgramImage(p, { maxSteps: 60, maxStates: 20_000 });

describe('properties (fast-check)', () => {
  const memory = fc.constantFrom<'sc' | 'tso'>('sc', 'tso');
  const seedIndex = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 40 }));

  it('uniform only ever picks enabled actions, and replaying its schedule reproduces the trial', () => {
    fc.assert(
      fc.property(program, memory, seedIndex, (p, mem, [seed, index]) => {
        const img = buildRandom(p);
        const t: TrialResult = runTrial(img, mem, seed, index);
        // walk the schedule independently of the replay scheduler
        const m = createMachine(img, mem);
        for (let i = 0; i < t.schedule.length; i++) {
          const a = t.schedule[i]!;
          expect(enabledActions(m)).toContain(a);
          const n = needsChoice(m, a);
          if (n > 0) {
            const v = t.schedule[++i]!;
            expect(v >= 0 && v < n).toBe(true);
            applyAction(m, a, v);
          } else applyAction(m, a);
        }
        expect(classify(m).outcome).toBe(t.outcome);
        expect(finalValues(m)).toEqual(t.final);
        expect(replayTrial(img, mem, t.schedule)).toEqual({ ...t, index: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it("a uniform trial's outcome and final state are among the exhaustive finals", () => {
    fc.assert(
      fc.property(program, memory, seedIndex, (p, mem, [seed, index]) => {
        const img = buildRandom(p);
        const r = referenceEngine.explore(img, { memory: mem });
        fc.pre(!r.cut);
        const t = runTrial(img, mem, seed, index);
        expect(r.finals).toContainEqual({ outcome: t.outcome, final: t.final });
        expect(r.holds).toBe(r.finals.every((f) => f.outcome === 'ok'));
        if (r.violation) {
          const v = replayTrial(img, mem, r.violation.schedule);
          expect([v.outcome, v.detail, v.final]).toEqual([
            r.violation.outcome,
            r.violation.detail,
            r.violation.final,
          ]);
        }
      }),
      { numRuns: 120 },
    );
  });
});
