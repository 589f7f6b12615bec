/**
 * Test-only image builder. Instructions are written in assembly operand order, e.g.
 * `['stw', 1, 0, 2]` for `stw r1,0(r2)` (a `D(rA)` operand takes two arguments, D then rA), and
 * `['beq', 0, 'done']` for `beq cr0,done` (the `crN` of compares and branches is never optional
 * here). A string where a branch target is expected names a label; a line `'name:'` defines one.
 * Operand-to-field mapping comes from `OPCODES`, so these tests exercise the real encoding.
 */
import {
  DEFAULT_LIMITS,
  type EnvEvent,
  IMAGE_FORMAT,
  IMAGE_VERSION,
  type Image,
  type Limits,
  type MemSymbol,
  type Observation,
  opcodeByMnemonic,
  validateImage,
} from '@naplab/isa';

export type Line = string | [string, ...(number | string)[]];

export function encode(lines: Line[]): { code: number[]; labels: Record<string, number> } {
  const labels: Record<string, number> = {};
  let pc = 0;
  for (const l of lines) {
    if (typeof l === 'string') labels[l.replace(/:$/, '')] = pc;
    else pc++;
  }
  const code: number[] = [];
  for (const l of lines) {
    if (typeof l === 'string') continue;
    const [mnemonic, ...args] = l;
    const def = opcodeByMnemonic(mnemonic);
    if (!def) throw new Error(`unknown mnemonic ${mnemonic}`);
    const f = { a: 0, b: 0, c: 0 };
    let k = 0;
    const next = (): number => {
      const v = args[k++];
      if (v === undefined) throw new Error(`${mnemonic}: missing operand ${k}`);
      if (typeof v === 'string') {
        if (!(v in labels)) throw new Error(`${mnemonic}: undefined label ${v}`);
        return labels[v]!;
      }
      return v;
    };
    for (const o of def.operands) {
      f[o.field] = next();
      if (o.kind === 'disp') f[o.base!] = next();
    }
    if (k !== args.length) throw new Error(`${mnemonic}: too many operands`);
    code.push(def.op, f.a, f.b, f.c);
  }
  return { code, labels };
}

export interface ThreadSpec {
  /** start label (or pc) */
  start?: string | number;
  regs?: Record<number, number>;
  status?: number;
  msrEE?: 0 | 1;
  lpcr?: number;
  lpid?: number;
  pending?: number;
  mustHalt?: boolean;
}

export interface ImageSpec {
  code: Line[];
  threads: ThreadSpec[];
  memSize?: number;
  init?: [number, number][];
  symbols?: MemSymbol[];
  observe?: Observation[];
  vectors?: { systemReset?: string; external?: string; decrementer?: string; doorbell?: string };
  events?: EnvEvent[];
  limits?: Partial<Limits>;
  strings?: string[];
  counters?: string[];
  threadsPerCore?: number;
}

export function makeImage(spec: ImageSpec): Image {
  const { code, labels } = encode(spec.code);
  const at = (x: string | number | undefined): number => {
    if (x === undefined) return 0;
    if (typeof x === 'number') return x;
    if (!(x in labels)) throw new Error(`undefined label ${x}`);
    return labels[x]!;
  };
  const vec = (x: string | undefined) => (x === undefined ? -1 : at(x));
  const img: Image = {
    format: IMAGE_FORMAT,
    version: IMAGE_VERSION,
    name: 'test',
    code,
    labels,
    strings: spec.strings ?? [],
    counters: spec.counters ?? [],
    memory: { size: spec.memSize ?? 8, init: spec.init ?? [], symbols: spec.symbols ?? [] },
    threadsPerCore: spec.threadsPerCore ?? 1,
    threads: spec.threads.map((t, i) => ({
      cpu: i,
      name: `P${i}`,
      pc: at(t.start),
      status: t.status ?? 0,
      regs: Object.entries(t.regs ?? {}).map(([r, v]): [number, number] => [Number(r), v]),
      msrEE: t.msrEE ?? 0,
      lpcr: t.lpcr ?? 0,
      lpid: t.lpid ?? 0,
      pending: t.pending ?? 0,
      mustHalt: t.mustHalt ?? true,
    })),
    vectors: {
      systemReset: vec(spec.vectors?.systemReset),
      external: vec(spec.vectors?.external),
      decrementer: vec(spec.vectors?.decrementer),
      doorbell: vec(spec.vectors?.doorbell),
    },
    events: spec.events ?? [],
    observe: spec.observe ?? [],
    limits: { ...DEFAULT_LIMITS, ...spec.limits },
  };
  validateImage(img);
  return img;
}

export const reg = (cpu: number, r: number): Observation => ({ kind: 'reg', cpu, reg: r });
export const cell = (addr: number): Observation => ({ kind: 'mem', addr });

/** Two threads, each storing 1 to its own cell then loading the other's: store buffering. */
export function sbImage(opts: { sync?: boolean } = {}): Image {
  const body = (me: string): Line[] => [
    `${me}:`,
    ['li', 1, 1],
    ['stw', 1, 0, 2],
    ...(opts.sync ? [['sync'] as Line] : []),
    ['lwz', 3, 0, 4],
    ['halt'],
  ];
  return makeImage({
    code: [...body('p0'), ...body('p1')],
    threads: [
      { start: 'p0', regs: { 2: 1, 4: 2 } },
      { start: 'p1', regs: { 2: 2, 4: 1 } },
    ],
    memSize: 3,
    symbols: [
      { name: 'x', addr: 1, size: 1 },
      { name: 'y', addr: 2, size: 1 },
    ],
    observe: [reg(0, 3), reg(1, 3)],
  });
}

/** Message passing: P0 writes data then flag; P1 reads flag then data. */
export function mpImage(opts: { sync?: boolean } = {}): Image {
  return makeImage({
    code: [
      'p0:',
      ['li', 1, 1],
      ['stw', 1, 0, 2],
      ...(opts.sync ? [['sync'] as Line] : []),
      ['li', 3, 1],
      ['stw', 3, 0, 4],
      ['halt'],
      'p1:',
      ['lwz', 1, 0, 2],
      ...(opts.sync ? [['sync'] as Line] : []),
      ['lwz', 3, 0, 4],
      ['halt'],
    ],
    threads: [
      { start: 'p0', regs: { 2: 1, 4: 2 } },
      { start: 'p1', regs: { 2: 2, 4: 1 } },
    ],
    memSize: 3,
    symbols: [
      { name: 'x', addr: 1, size: 1 },
      { name: 'y', addr: 2, size: 1 },
    ],
    observe: [reg(1, 1), reg(1, 3)],
  });
}

/**
 * P0: five `li` then a failing assert (6 actions); P1: a failing assert at once (1 action)
 * (the shortest-violation and shrinking tests).
 * Depth-first order steps P0 first, so its first violation is P0's failure after 6 actions:
 * schedule [0,0,0,0,0,0]. Breadth-first: depth 1 has {step P0 -> not terminal, step P1 -> P1's
 * assert fails}: the shortest violation is [1], one action. States entered by the breadth-first
 * pass: the start and its two children = 3; transitions 2.
 */
export function longAndShortImage(): Image {
  return makeImage({
    code: [
      'p0:',
      ['li', 1, 1],
      ['li', 1, 2],
      ['li', 1, 3],
      ['li', 1, 4],
      ['li', 1, 5],
      ['assert.eq', 0, 1, 0],
      ['halt'],
      'p1:',
      ['assert.eq', 0, 1, 1],
      ['halt'],
    ],
    threads: [{ start: 'p0' }, { start: 'p1' }],
    strings: ['p0 fails', 'p1 fails'],
    observe: [reg(0, 1)],
  });
}
