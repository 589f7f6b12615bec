/**
 * The engine on its own: exact counts for tiny programs (computed by hand), batch splitting,
 * recording, replay round trips and divergence, limits and options. Both builds.
 */
import { referenceEngine } from '@naplab/engine-ref';
import { type Image, LPCR_PECEDH, mergeAggregates, Rng, type RunOptions, SRR1_WAKEHDBELL } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import * as abi from '../src/abi.js';
import { emptyExact, exactToAggregates, flattenImage, WasmCore } from '../src/core.js';
import { createWasmEngine, ScheduleDivergedError } from '../src/index.js';
import { tinyImage } from './build.js';
import { litmusImages, programImages } from './fixtures.js';

const sb = litmusImages().find((f) => f.name === 'SB')!.image;

/**
 * A stores x = 1 and halts; B loads x into r3 and halts (sc). Positions (i, j) = instructions done
 * by A and B; r3 splits the states where B has loaded:
 *   i=0: (0,0) (0,1)r3=0 (0,2)r3=0                       3 states
 *   i=1: (1,0) (1,1)r3∈{0,1} (1,2)r3∈{0,1}               5 states
 *   i=2: (2,0) (2,1)r3∈{0,1} (2,2)r3∈{0,1}               5 states   -> 13 states
 * Enabled actions summed over the states: 2+2+1 + 2+2·2+2·1 + 1+2·1+2·0 = 16 transitions; the
 * longest path is 4 actions; the final r3 is 0 (B first) or 1 (A stored first).
 */
const storeLoad = tinyImage({
  code: ['a:', ['stw', 1, 0, 1], ['halt'], 'b:', ['lwz', 3, 0, 1], ['halt']],
  threads: [{ start: 'a', regs: [[1, 1]] }, { start: 'b' }],
  observe: [{ kind: 'reg', cpu: 1, reg: 3 }],
});

/**
 * One thread: `stw` then `halt` under tso. States: s0 start; s1 stored (buffered); s2a halted
 * with the store buffered; s2b drained, not halted; s3 halted and drained. Transitions: s0->s1,
 * s1->s2a (halt), s1->s2b (drain), s2a->s3 (drain), s2b->s3 (halt, already visited) = 5; depth 3.
 */
const storeTso = tinyImage({
  code: [['stw', 1, 0, 1], ['halt']],
  threads: [{ regs: [[1, 7]] }],
  observe: [{ kind: 'mem', addr: 1 }],
});

const uniform = (
  memory: 'sc' | 'tso',
  from: number,
  to: number,
  extra: Partial<RunOptions> = {},
): RunOptions => ({
  memory,
  scheduler: { kind: 'uniform' },
  seed: 12345,
  from,
  to,
  ...extra,
});

describe.each(['debug', 'release'] as const)('wasm engine (%s build)', (build) => {
  const engine = createWasmEngine({ build });

  it('counts the states of a store/load pair exactly (sc)', () => {
    expect(engine.explore(storeLoad, { memory: 'sc' })).toEqual({
      holds: true,
      states: 13,
      transitions: 16,
      maxDepth: 4,
      cut: false,
      finals: [
        { outcome: 'ok', final: [0] },
        { outcome: 'ok', final: [1] },
      ],
    });
  });

  it('counts the states of a buffered store exactly (tso)', () => {
    expect(engine.explore(storeTso, { memory: 'tso' })).toEqual({
      holds: true,
      states: 5,
      transitions: 5,
      maxDepth: 3,
      cut: false,
      finals: [{ outcome: 'ok', final: [7] }],
    });
    // every uniform trial takes the same 3 actions: stw, then halt and drain in either order
    const r = engine.runTrials(storeTso, uniform('tso', 0, 100, { record: 'all' }));
    expect(r.aggregates.steps).toBe(300);
    expect(new Set(r.trials.map((t) => t.schedule.join(' ')))).toEqual(new Set(['0 0 1', '0 1 0']));
  });

  it('cuts the search at maxStates (the state that would exceed it is not entered) and at maxSteps', () => {
    const capped = { ...storeLoad, limits: { ...storeLoad.limits, maxStates: 13 } };
    expect(engine.explore(capped, { memory: 'sc' }).cut).toBe(false);
    const cut = engine.explore(
      { ...storeLoad, limits: { ...storeLoad.limits, maxStates: 5 } },
      { memory: 'sc' },
    );
    expect([cut.cut, cut.holds, cut.states]).toEqual([true, false, 5]);
    const shallow = engine.explore(
      { ...storeLoad, limits: { ...storeLoad.limits, maxSteps: 2 } },
      { memory: 'sc' },
    );
    expect(shallow.cut).toBe(true);
    expect(shallow.maxDepth).toBe(2);
    expect(shallow.finals.map((f) => f.outcome)).toEqual(['limit', 'limit']);
    expect(shallow.violation!.outcome).toBe('limit');
    expect(shallow.violation!.schedule).toEqual([0, 0]);
  });

  it('SB: every tso trial takes 10 actions and sees one of the 4 outcomes; sc never sees 0/0', () => {
    const tso = engine.runTrials(sb, uniform('tso', 0, 2000, { record: 'all' }));
    expect([tso.aggregates.steps, tso.aggregates.stepsSq, tso.aggregates.maxSteps]).toEqual([
      20000, 200000, 10,
    ]);
    expect(new Set(tso.trials.map((t) => t.final.join()))).toEqual(new Set(['0,0', '0,1', '1,0', '1,1']));
    const sc = engine.runTrials(sb, uniform('sc', 0, 2000, { record: 'all' }));
    expect(sc.trials.some((t) => t.final.join() === '0,0')).toBe(false);
    expect(sc.aggregates.outcomes.ok).toBe(2000);
  });

  it('uniform picks are drawn from Rng(seed, index): the first pick of SB is below(2)', () => {
    const r = engine.runTrials(sb, uniform('sc', 1000, 1050, { record: 'all' }));
    for (const t of r.trials) expect(t.schedule[0]).toBe(new Rng(12345, t.index).below(2));
  });

  it('gives the same results however a range is split, across calls and inside the core', () => {
    const img = programImages().find((p) => p.name === 'racy-inc')!.image;
    const whole = engine.runTrials(img, uniform('tso', 0, 3000, { record: 'all' }));
    const a = engine.runTrials(img, uniform('tso', 0, 1234, { record: 'all' }));
    const b = engine.runTrials(img, uniform('tso', 1234, 3000, { record: 'all' }));
    expect(mergeAggregates(a.aggregates, b.aggregates)).toEqual(whole.aggregates);
    expect([...a.trials, ...b.trials]).toEqual(whole.trials);
    // the core itself, called with a budget of one step: one trial per call
    const core = new WasmCore(build);
    core.load(flattenImage(img), img.strings);
    core.beginRun(null);
    const agg = emptyExact(img.counters.length);
    const trials = [];
    let next = 0;
    let calls = 0;
    while (next < 3000) {
      const call = core.runBatch(12345, next, 3000, true, abi.SCHED_UNIFORM, abi.RECORD_ALL, 0, 1, agg);
      expect(call.next).toBe(next + 1);
      trials.push(...call.records);
      next = call.next;
      calls++;
    }
    expect(calls).toBe(3000);
    expect(exactToAggregates(agg)).toEqual(whole.aggregates);
    expect(trials).toEqual(whole.trials);
  });

  it('records the first maxFailures failing trials, exactly as record: all shows them', () => {
    const img = programImages().find((p) => p.name === 'racy-inc')!.image;
    const all = engine.runTrials(img, uniform('sc', 0, 500, { record: 'all' }));
    const failing = all.trials.filter((t) => t.outcome !== 'ok');
    expect(failing.length).toBeGreaterThan(20);
    expect(engine.runTrials(img, uniform('sc', 0, 500, { maxFailures: 7 })).trials).toEqual(
      failing.slice(0, 7),
    );
    expect(engine.runTrials(img, uniform('sc', 0, 500)).trials).toEqual(failing.slice(0, 10));
    expect(engine.runTrials(img, uniform('sc', 0, 500, { record: 'none' })).trials).toEqual([]);
    expect(engine.runTrials(img, uniform('sc', 0, 500, { maxFailures: 0 })).trials).toEqual([]);
  });

  it('replays a failing trial from its recorded schedule: fail -> capture -> replay -> same trial', () => {
    const img = programImages().find((p) => p.name === 'lost-lockup')!.image;
    const { trials } = engine.runTrials(img, uniform('tso', 0, 200));
    expect(trials.map((t) => t.outcome)).toContain('lockup');
    for (const t of trials) {
      const again = engine.runTrials(img, {
        memory: 'tso',
        scheduler: { kind: 'replay', schedule: t.schedule },
        seed: 0,
        from: t.index,
        to: t.index + 1,
        record: 'all',
      });
      expect(again.trials).toEqual([t]);
    }
  });

  it('refuses a schedule that diverges, saying at which decision', () => {
    // two threads: 0 runs `choose r3,2; halt`, 1 runs `halt`
    const img = tinyImage({
      code: ['p0:', ['choose', 3, 2], ['halt'], 'p1:', ['halt']],
      threads: [{ start: 'p0' }, { start: 'p1' }],
    });
    const replay = (schedule: number[]) =>
      engine.runTrials(img, {
        memory: 'sc',
        scheduler: { kind: 'replay', schedule },
        seed: 0,
        from: 0,
        to: 1,
      });
    const decision = (schedule: number[]) => {
      try {
        replay(schedule);
        return undefined;
      } catch (e) {
        expect(e).toBeInstanceOf(ScheduleDivergedError);
        return (e as ScheduleDivergedError).decision;
      }
    };
    expect(replay([0, 1, 1, 0]).trials).toEqual([]); // a complete, ok trial
    expect(decision([2])).toBe(0); // not an action
    expect(decision([0, 2])).toBe(1); // choose value out of range
    expect(decision([0, -1])).toBe(1);
    expect(decision([0])).toBe(1); // missing choose value
    expect(decision([0, 1, 1, 0, 0])).toBe(4); // the trial ended, decisions remain
    expect(decision([1, 1])).toBe(1); // thread 1 halted: step 1 no longer enabled
    expect(decision([0, 0.5])).toBe(1);
    // a schedule that runs out with actions enabled ends as a limit
    const cut = engine.runTrials(img, {
      memory: 'sc',
      scheduler: { kind: 'replay', schedule: [1] },
      seed: 0,
      from: 3,
      to: 5,
      record: 'all',
    });
    expect(cut.trials.map((t) => [t.index, t.outcome, t.steps, t.schedule])).toEqual([
      [3, 'limit', 1, [1]],
      [4, 'limit', 1, [1]],
    ]);
  });

  it('ends a trial at limits.maxSteps as limit, never as ok', () => {
    const img = tinyImage({ code: ['l:', ['b', 0, 'l']], threads: [{}], limits: { maxSteps: 17 } });
    const r = engine.runTrials(img, uniform('sc', 0, 10, { record: 'all' }));
    expect(r.aggregates.outcomes).toEqual({ ok: 0, lockup: 0, lost: 0, assert: 0, limit: 10 });
    expect(r.trials.every((t) => t.steps === 17 && t.detail && Object.keys(t.detail).length === 0)).toBe(
      true,
    );
  });

  it('wakes a napping thread with a doorbell at the system-reset vector and counts the wakeup', () => {
    const img = tinyImage({
      code: [
        'p0:',
        ['li', 4, 0, 1],
        ['msgsnd', 4],
        ['halt'],
        'sreset:',
        ['mfspr', 5, 27],
        ['msgclr', 0],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { status: 1, lpcr: LPCR_PECEDH }],
      vectors: { systemReset: 'sreset' },
      observe: [{ kind: 'reg', cpu: 1, reg: 5 }],
    });
    const r = engine.runTrials(img, uniform('sc', 0, 50, { record: 'all' }));
    expect(r.aggregates.outcomes.ok).toBe(50);
    expect([r.aggregates.wakeups, ...r.aggregates.wakeupsByReason]).toEqual([50, 50, 0, 0]);
    expect(r.trials.every((t) => t.final[0] === SRR1_WAKEHDBELL)).toBe(true);
  });

  it('reports a lockup in the kernel words, naming the owner of the awaited cell', () => {
    const img = tinyImage({
      code: ['w:', ['await.eq', 1, 0, 2], ['halt'], 'v:', ['lost', 0]],
      threads: [{ start: 'w' }, { start: 'v' }],
      strings: ['gone'],
      symbols: [
        { name: 'area', addr: 1, size: 3 },
        { name: 'flag', addr: 2, size: 1, cpu: 1 },
      ],
    });
    const x = engine.explore(img, { memory: 'sc' });
    expect(x.finals).toEqual([{ outcome: 'lockup', final: [] }]);
    expect(x.violation).toEqual({
      outcome: 'lockup',
      schedule: [1],
      detail: { waiting: 0, stuck: [1], message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 1' },
      final: [],
    });
  });

  it('runs trial indices up to 2^53 - 1 like the reference engine', () => {
    const to = Number.MAX_SAFE_INTEGER;
    const opts = uniform('tso', to - 40, to, { record: 'all' });
    const r = engine.runTrials(sb, opts);
    expect(r.trials[39]!.index).toBe(2 ** 53 - 2);
    expect(r).toEqual(referenceEngine.runTrials(sb, opts));
  });

  it('refuses unknown memory models, schedulers and bad ranges before running', () => {
    expect(() => engine.runTrials(sb, uniform('arm' as 'sc', 0, 1))).toThrow(/memory model/);
    expect(() => engine.runTrials(sb, uniform('sc', 5, 1))).toThrow(RangeError);
    expect(() => engine.runTrials(sb, uniform('sc', 0.5, 1))).toThrow(RangeError);
    expect(() => engine.runTrials(sb, uniform('sc', 0, 2 ** 53))).toThrow(RangeError);
    expect(() => engine.runTrials(sb, { ...uniform('sc', 0, 1), seed: -1 })).toThrow(RangeError);
    expect(() =>
      engine.runTrials(sb, {
        ...uniform('sc', 0, 1),
        scheduler: { kind: 'pct' } as unknown as RunOptions['scheduler'],
      }),
    ).toThrow(/scheduler/);
    expect(() => engine.explore(sb, { memory: 'x' as 'sc' })).toThrow(/memory model/);
  });

  it('results do not depend on what the engine ran before (images of other sizes, other schedulers)', () => {
    const programs = programImages();
    // 3 threads, thread 0 sends an IPI to cpu 1 and a doorbell to cpu 2 (then the 2-thread image)
    const irq = programs.find((p) => p.name === 'interrupts')!.image;
    const small = { ...irq, limits: { ...irq.limits, maxStates: 500 } };
    const ev = programs.find((p) => p.name === 'events')!.image;
    const fresh = createWasmEngine({ build }).runTrials(ev, uniform('sc', 0, 300, { record: 'all' }));
    engine.runTrials(small, uniform('tso', 0, 50, { record: 'all' }));
    engine.explore(small, { memory: 'sc' });
    engine.runTrials(small, {
      memory: 'sc',
      scheduler: { kind: 'replay', schedule: [0, 0, 0, 0] },
      seed: 0,
      from: 0,
      to: 1,
    });
    expect(engine.runTrials(ev, uniform('sc', 0, 300, { record: 'all' }))).toEqual(fresh);
  });

  it('odd but valid images agree with the reference: no code at all, symbols outside memory or with fractional ranges', () => {
    const images = [
      // a napping thread woken by a pending doorbell, with no system-reset vector: lost (-2)
      tinyImage({ code: [], threads: [{ status: 1, lpcr: LPCR_PECEDH, pending: 1 }, { status: 2 }] }),
      tinyImage({
        code: ['w:', ['await.eq', 1, 0, 2], ['halt']],
        threads: [{ start: 'w' }],
        symbols: [
          { name: 'huge', addr: -5, size: 2 ** 40, cpu: 7 },
          { name: 'frac', addr: 1.5, size: 1, cpu: 3 },
        ],
      }),
      tinyImage({
        code: ['w:', ['await.eq', 1, 0, 2], ['halt']],
        threads: [{ start: 'w' }],
        symbols: [
          { name: 'nan', addr: Number.NaN, size: 3, cpu: 9 },
          { name: 'frac', addr: 0.5, size: 1.2, cpu: 3 },
          { name: 'empty', addr: 2, size: -1, cpu: 4 },
        ],
      }),
    ];
    const details = [];
    for (const img of images) {
      for (const memory of ['sc', 'tso'] as const) {
        const opts = uniform(memory, 0, 20, { record: 'all' });
        const r = engine.runTrials(img, opts);
        expect(r).toEqual(referenceEngine.runTrials(img, opts));
        expect(engine.explore(img, { memory })).toEqual(referenceEngine.explore(img, { memory }));
        details.push(r.trials[0]!.detail);
      }
    }
    expect(details.map((d) => d.reason ?? d.stuck)).toEqual([-2, -2, [7], [7], [], []]);
  });

  it('an empty range runs nothing', () => {
    const r = engine.runTrials(sb, uniform('sc', 10, 10));
    expect(r.aggregates.trials).toBe(0);
    expect(r.trials).toEqual([]);
  });
});

describe('images are immutable inputs', () => {
  it('running does not modify the image', () => {
    const img: Image = structuredClone(sb);
    createWasmEngine().runTrials(img, uniform('tso', 0, 100));
    createWasmEngine().explore(img, { memory: 'tso' });
    expect(img).toEqual(sb);
  });
});
