/**
 * The engine refuses corrupt images before running anything: through `validateImage` at the public
 * entry, and through the core's own checks when the low-level loader is called directly with tables
 * that never went through validation. Large images and deep searches make the memory grow.
 */
import { referenceEngine } from '@naplab/engine-ref';
import { type Image, ImageError, MAX_MEMORY, MAX_THREADS, Op } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import * as abi from '../src/abi.js';
import { emptyExact, flattenImage, type RawImage, WasmCore } from '../src/core.js';
import { createWasmEngine } from '../src/index.js';
import { tinyImage } from './build.js';
import { programImages } from './fixtures.js';

const good = tinyImage({
  code: [
    'p0:',
    ['choose', 3, 2],
    ['lwz', 4, 0, 1],
    ['stw', 3, 0, 2],
    ['count', 0],
    ['assert.ne', 3, 5, 0],
    ['beq', 1, 'p0'],
    ['halt'],
  ],
  threads: [{ start: 'p0' }, { start: 'p0', status: 1, lpcr: 0x1000 }],
  memSize: 3,
  counters: ['c'],
  strings: ['five'],
  vectors: { systemReset: 'p0' },
  events: [{ kind: 1, cpu: 1, count: 1, whenNapping: true }],
  observe: [
    { kind: 'reg', cpu: 0, reg: 3 },
    { kind: 'mem', addr: 2 },
  ],
});

type Mutation = [string, (raw: RawImage) => void];

const code = (raw: RawImage) => raw.code as number[];
const words = (a: ArrayLike<number>) => a as unknown as number[];

/** Each turns the valid image's tables into something the core must refuse. */
const MUTATIONS: Mutation[] = [
  [
    'unknown opcode',
    (r) => {
      code(r)[0] = 999;
    },
  ],
  [
    'negative opcode',
    (r) => {
      code(r)[4] = -1;
    },
  ],
  [
    'register 32',
    (r) => {
      code(r)[4 + 1] = 32;
    },
  ],
  [
    'negative register',
    (r) => {
      code(r)[4 + 1] = -1;
    },
  ],
  [
    'base register 40',
    (r) => {
      code(r)[4 + 2] = 40;
    },
  ],
  [
    'cr field 8',
    (r) => {
      code(r)[5 * 4 + 1] = 8;
    },
  ],
  [
    'branch target past the code',
    (r) => {
      code(r)[5 * 4 + 2] = 7;
    },
  ],
  [
    'negative branch target',
    (r) => {
      code(r)[5 * 4 + 2] = -1;
    },
  ],
  [
    'counter index out of range',
    (r) => {
      code(r)[3 * 4 + 1] = 1;
    },
  ],
  [
    'string index out of range',
    (r) => {
      code(r)[4 * 4 + 3] = 1;
    },
  ],
  [
    'choose 0 values',
    (r) => {
      code(r)[2] = 0;
    },
  ],
  [
    'choose 65537 values',
    (r) => {
      code(r)[2] = 65537;
    },
  ],
  [
    'start pc past the code',
    (r) => {
      words(r.threads)[abi.TI_PC] = 7;
    },
  ],
  [
    'negative start pc',
    (r) => {
      words(r.threads)[abi.TI_PC] = -3;
    },
  ],
  [
    'thread status 3',
    (r) => {
      words(r.threads)[abi.TI_STATUS] = 3;
    },
  ],
  [
    'msrEE 2',
    (r) => {
      words(r.threads)[abi.TI_EE] = 2;
    },
  ],
  [
    'pending 8',
    (r) => {
      words(r.threads)[abi.TI_PENDING] = 8;
    },
  ],
  [
    'memory init at the null cell',
    (r) => {
      r.init = [0, 5];
    },
  ],
  [
    'memory init past the end',
    (r) => {
      r.init = [3, 5];
    },
  ],
  [
    'event for a cpu that does not exist',
    (r) => {
      words(r.events)[abi.EV_CPU] = 2;
    },
  ],
  [
    'event kind 3',
    (r) => {
      words(r.events)[abi.EV_KIND] = 3;
    },
  ],
  [
    'event count 1001',
    (r) => {
      words(r.events)[abi.EV_COUNT] = 1001;
    },
  ],
  [
    'observed register of a missing cpu',
    (r) => {
      words(r.observe)[abi.OB_A] = 2;
    },
  ],
  [
    'observed register 32',
    (r) => {
      words(r.observe)[abi.OB_B] = 32;
    },
  ],
  [
    'observed cell 0',
    (r) => {
      words(r.observe)[abi.OB_WORDS + abi.OB_A] = 0;
    },
  ],
  [
    'observed cell past the end',
    (r) => {
      words(r.observe)[abi.OB_WORDS + abi.OB_A] = 3;
    },
  ],
  [
    'observation kind 7',
    (r) => {
      words(r.observe)[abi.OB_KIND] = 7;
    },
  ],
  [
    'system-reset vector past the code',
    (r) => {
      r.vectors[0] = 7;
    },
  ],
  [
    'doorbell vector -2',
    (r) => {
      r.vectors[3] = -2;
    },
  ],
  [
    'version 2',
    (r) => {
      r.version = 2;
    },
  ],
  [
    'no threads',
    (r) => {
      r.nThreads = 0;
      r.threads = [];
    },
  ],
  [
    '65 threads',
    (r) => {
      r.nThreads = 65;
      r.threads = new Int32Array(65 * abi.TI_WORDS);
    },
  ],
  [
    'no memory at all',
    (r) => {
      r.memSize = 0;
    },
  ],
  [
    'memory larger than MAX_MEMORY',
    (r) => {
      r.memSize = MAX_MEMORY + 1;
    },
  ],
  [
    'store buffer 0',
    (r) => {
      r.storeBuffer = 0;
    },
  ],
  [
    'store buffer 65',
    (r) => {
      r.storeBuffer = 65;
    },
  ],
  [
    'maxSteps 0',
    (r) => {
      r.maxSteps = 0;
    },
  ],
  [
    'maxSteps above 1e9',
    (r) => {
      r.maxSteps = 1e9 + 1;
    },
  ],
  [
    'maxStates 0',
    (r) => {
      r.maxStates = 0;
    },
  ],
  [
    'maxStates NaN',
    (r) => {
      r.maxStates = Number.NaN;
    },
  ],
];

describe.each(['debug', 'release'] as const)('bounds (%s build)', (build) => {
  it('the valid image loads and runs through the low-level loader', () => {
    const core = new WasmCore(build);
    core.load(flattenImage(good), good.strings);
    core.beginRun(null);
    const agg = emptyExact(1);
    const call = core.runBatch(1, 0, 100, false, abi.SCHED_UNIFORM, abi.RECORD_ALL, 0, 1e9, agg);
    const want = referenceEngine.runTrials(good, {
      memory: 'sc',
      scheduler: { kind: 'uniform' },
      seed: 1,
      from: 0,
      to: 100,
      record: 'all',
    });
    expect(call.records).toEqual(want.trials);
  });

  for (const [what, mutate] of MUTATIONS) {
    it(`the core refuses an image with ${what}, then runs nothing until a valid one is loaded`, () => {
      const core = new WasmCore(build);
      core.load(flattenImage(good), good.strings);
      const raw = flattenImage(structuredClone(good));
      raw.code = Array.from(raw.code);
      raw.threads = Array.from(raw.threads);
      raw.events = Array.from(raw.events);
      raw.observe = Array.from(raw.observe);
      mutate(raw);
      expect(() => core.load(raw)).toThrow(ImageError);
      // the previously loaded image is gone: nothing runs
      expect(core.ex.beginRun(0)).toBe(-1);
      expect(core.ex.runBatch(1, 0, 10, 0, 0, 0, 0, 1e6)).toBe(-1);
      expect(core.ex.explore(0)).toBe(abi.E_NOT_LOADED);
      // and a valid image still loads and runs afterwards
      core.load(flattenImage(good), good.strings);
      core.beginRun(null);
      const agg = emptyExact(1);
      expect(core.runBatch(1, 0, 10, true, abi.SCHED_UNIFORM, abi.RECORD_NONE, 0, 1e9, agg).next).toBe(10);
      expect(agg.trials).toBe(10n);
    });
  }

  it('the engine refuses corrupt and version-mismatched images with ImageError before running', () => {
    const engine = createWasmEngine({ build });
    const opts = { memory: 'sc' as const, scheduler: { kind: 'uniform' as const }, seed: 1, from: 0, to: 10 };
    const bad: Image = { ...good, code: [...good.code] };
    bad.code[0] = 999;
    expect(() => engine.runTrials(bad, opts)).toThrow(ImageError);
    expect(() => engine.explore(bad, { memory: 'sc' })).toThrow(ImageError);
    try {
      engine.runTrials({ ...good, version: 2 }, opts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ImageError);
      expect((e as ImageError).code).toBe('E_IMAGE_VERSION');
    }
    expect(() => engine.runTrials({ ...good, format: 'other' } as unknown as Image, opts)).toThrow(
      ImageError,
    );
    expect(() => engine.runTrials(null as unknown as Image, opts)).toThrow(ImageError);
  });

  it('data addresses outside memory make the thread lost, whatever their value', () => {
    const engine = createWasmEngine({ build });
    const eas = [-0x80000000, -1, 0, 3, 4, 0x7fffffff];
    for (const ea of eas) {
      for (const op of ['lwz', 'stw', 'await.eq', 'stwu'] as const) {
        const img = tinyImage({
          code: op === 'await.eq' ? [[op, 0, 0, ea], ['halt']] : [[op, 3, 0, ea], ['halt']],
          threads: [{ regs: [[3, 1]] }],
          memSize: 3,
        });
        if (op === 'stwu') img.code[2] = 5; // stwu uses gpr[rA] (r5 = 0) as its base
        for (const memory of ['sc', 'tso'] as const) {
          const r = engine.runTrials(img, {
            memory,
            scheduler: { kind: 'uniform' },
            seed: 0,
            from: 0,
            to: 1,
            record: 'all',
          });
          expect(r.trials[0]!.detail).toEqual({ cpu: 0, reason: -1 });
        }
      }
    }
  });

  it('grows its memory for the largest images (64 threads, 2^20 cells)', () => {
    const engine = createWasmEngine({ build });
    const last = MAX_MEMORY - 1;
    const img = tinyImage({
      code: [['stw', 5, 0, 0x7fff], ['lwzx', 6, 0, 7], ['stwx', 5, 0, 7], ['halt']],
      threads: Array.from({ length: MAX_THREADS }, (_, cpu) => ({
        regs: [
          [5, cpu + 1],
          [7, last - cpu],
        ] as [number, number][],
      })),
      memSize: MAX_MEMORY,
      init: [[last, 42]],
      observe: [
        { kind: 'mem', addr: last },
        { kind: 'mem', addr: 0x7fff },
        { kind: 'reg', cpu: 0, reg: 6 },
      ],
    });
    for (const memory of ['sc', 'tso'] as const) {
      const opts = {
        memory,
        scheduler: { kind: 'uniform' as const },
        seed: 3,
        from: 0,
        to: 3,
        record: 'all' as const,
      };
      const r = engine.runTrials(img, opts);
      expect(r.trials.every((t) => t.outcome === 'ok' && t.final[0] === 1)).toBe(true);
      expect(r).toEqual(referenceEngine.runTrials(img, opts));
    }
  });

  it('grows its DFS stack for deep searches (a 20,000-iteration loop)', () => {
    const engine = createWasmEngine({ build });
    const img = tinyImage({
      code: [['li', 3, 0, 20000], ['mtctr', 3], 'l:', ['addi', 4, 4, 1], ['bdnz', 0, 'l'], ['halt']],
      threads: [{}],
      observe: [{ kind: 'reg', cpu: 0, reg: 4 }],
    });
    const x = engine.explore(img, { memory: 'sc' });
    expect(x).toEqual({
      holds: true,
      states: 40004,
      transitions: 40003,
      maxDepth: 40003,
      cut: false,
      finals: [{ outcome: 'ok', final: [20000] }],
    });
  });

  it('a long recorded schedule grows the record area', () => {
    const engine = createWasmEngine({ build });
    const img = tinyImage({
      code: ['l:', ['b', 0, 'l']],
      threads: [{}, {}],
      limits: { maxSteps: 1_000_000 },
    });
    const r = engine.runTrials(img, {
      memory: 'sc',
      scheduler: { kind: 'uniform' },
      seed: 0,
      from: 0,
      to: 3,
    });
    expect(r.trials.map((t) => [t.outcome, t.schedule.length])).toEqual([
      ['limit', 1_000_000],
      ['limit', 1_000_000],
      ['limit', 1_000_000],
    ]);
    // the schedule is the uniform draw between the two threads, decision by decision
    expect(r.trials[1]!.schedule.slice(0, 64).every((a) => a === 0 || a === 1)).toBe(true);
  });
});

describe('fixture programs stay valid images', () => {
  it('every own program passes validateImage through the engine', () => {
    for (const { image } of programImages()) {
      expect(() =>
        createWasmEngine().explore(
          { ...image, limits: { ...image.limits, maxStates: 10 } },
          { memory: 'sc' },
        ),
      ).not.toThrow();
    }
  });
  it('opcodes used by the mutations exist', () => {
    expect(Op.choose).toBeDefined();
  });
});
