/** Tiny image builder for unit tests: instruction tuples by mnemonic, labels resolved by name. */
import { DEFAULT_LIMITS, IMAGE_FORMAT, IMAGE_VERSION, type Image, Op, type ThreadInit } from '@naplab/isa';

/** `[mnemonic, a, b, c]` (fields as encoded, see OPCODES) or a `'label:'` string. */
export type Line = string | [string, (number | string)?, (number | string)?, (number | string)?];

export interface TinySpec {
  code: Line[];
  threads: (Partial<ThreadInit> & { start?: string })[];
  memSize?: number;
  init?: [number, number][];
  symbols?: Image['memory']['symbols'];
  observe?: Image['observe'];
  strings?: string[];
  counters?: string[];
  /** vector pcs or label names */
  vectors?: Partial<Record<keyof Image['vectors'], number | string>>;
  events?: Image['events'];
  limits?: Partial<Image['limits']>;
}

export function tinyImage(spec: TinySpec): Image {
  const labels: Record<string, number> = {};
  let pc = 0;
  for (const l of spec.code) {
    if (typeof l === 'string') labels[l.replace(/:$/, '')] = pc;
    else pc++;
  }
  const field = (v: number | string | undefined) => {
    if (v === undefined) return 0;
    if (typeof v === 'number') return v;
    if (!(v in labels)) throw new Error(`no label ${v}`);
    return labels[v]!;
  };
  const code: number[] = [];
  for (const l of spec.code) {
    if (typeof l === 'string') continue;
    const op = Op[l[0]];
    if (op === undefined) throw new Error(`no opcode ${l[0]}`);
    code.push(op, field(l[1]), field(l[2]), field(l[3]));
  }
  const vec = (k: keyof Image['vectors']) => {
    const v = spec.vectors?.[k];
    return v === undefined ? -1 : field(v);
  };
  return {
    format: IMAGE_FORMAT,
    version: IMAGE_VERSION,
    name: 'tiny',
    code,
    labels,
    strings: spec.strings ?? [],
    counters: spec.counters ?? [],
    memory: { size: spec.memSize ?? 4, init: spec.init ?? [], symbols: spec.symbols ?? [] },
    threadsPerCore: 1,
    threads: spec.threads.map((t, cpu) => ({
      cpu,
      name: `P${cpu}`,
      pc: t.start !== undefined ? labels[t.start]! : (t.pc ?? 0),
      status: t.status ?? 0,
      regs: t.regs ?? [],
      msrEE: t.msrEE ?? 0,
      lpcr: t.lpcr ?? 0,
      lpid: t.lpid ?? 0,
      pending: t.pending ?? 0,
      mustHalt: t.mustHalt ?? true,
    })),
    vectors: {
      systemReset: vec('systemReset'),
      external: vec('external'),
      decrementer: vec('decrementer'),
      doorbell: vec('doorbell'),
    },
    events: spec.events ?? [],
    observe: spec.observe ?? [],
    limits: { ...DEFAULT_LIMITS, ...spec.limits },
  };
}
