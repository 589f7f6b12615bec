/**
 * The linker: `ImageSpec` -> `Image`. Lays out memory, assembles every source against that layout,
 * resolves the spec's symbolic fields and checks everything an engine would refuse.
 *
 * Memory layout (cell indices):
 * ```
 *   0                null page (never a valid address)
 *   1 ..             globals, in spec order (each `size` cells)
 *   G + t*F + i      per-thread field i of thread t (F = perThread.length)
 * ```
 * Per-thread fields appear in `memory.symbols` as `FIELD@cpuN` (size 1, `cpu: N`). In assembly,
 * `FIELD` alone is the field's offset inside a block (use it as a displacement from r13),
 * `FIELD@cpuN` is the absolute address of cpu N's field and `paca@cpuN` the base of cpu N's
 * block. When there is at least one per-thread field, every thread's r13 starts at the base of its
 * own block (unless `ThreadSpec.regs` sets r13).
 */
import {
  DEFAULT_LIMITS,
  type EnvEvent,
  IMAGE_FORMAT,
  IMAGE_VERSION,
  type Image,
  type Limits,
  MAX_CODE,
  MAX_MEMORY,
  MAX_THREADS,
  type MemSymbol,
  type Observation,
  PEND_DBELL,
  PEND_DEC,
  PEND_EXT,
  type ThreadInit,
  type Vectors,
  validateImage,
} from '@naplab/isa';
import { type AsmUnit, Assembler, type EvalContext } from './assembler.js';
import type { Expr } from './ast.js';
import { type Diagnostic, diag, throwIfErrors } from './diagnostics.js';
import { parseAssemblyRecover, parseExpression } from './parser.js';
import type { ImageSpec } from './spec.js';

const EVENT_KINDS: Record<string, number> = {
  doorbell: PEND_DBELL,
  external: PEND_EXT,
  decrementer: PEND_DEC,
};
const STATUS: Record<string, number> = { running: 0, napping: 1, halted: 2 };
const VECTOR_KEYS = ['systemReset', 'external', 'decrementer', 'doorbell'] as const;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const in32 = (v: number) => v >= -0x80000000 && v <= 0xffffffff;

/** Assemble every source of the spec and lay out its memory. Throws `AsmError` with every problem found. */
export function linkImage(spec: ImageSpec): Image {
  const diags: Diagnostic[] = [];
  const units: AsmUnit[] = spec.sources.map((src) => {
    const r = parseAssemblyRecover(src.file, src.text);
    diags.push(...r.diagnostics);
    return r.ast;
  });
  return linkUnits(spec, units, diags);
}

/** The linker proper, on already parsed units (the litmus front end parses cells in place). */
export function linkUnits(spec: ImageSpec, units: AsmUnit[], diags: Diagnostic[] = []): Image {
  const name = spec.name;
  const n = spec.threads.length;
  if (n < 1 || n > MAX_THREADS) {
    diags.push(diag.specThread(name, 'threads', `an image has 1..${MAX_THREADS} threads, found ${n}`));
  }

  // ---- memory layout
  const memory: Record<string, number> = {};
  const declaredBy = new Map<string, string>();
  const symbols: MemSymbol[] = [];
  const cellInit: { addr: number; value: number | string; field: string }[] = [];
  let addr = 1;
  (spec.globals ?? []).forEach((g, i) => {
    const f = `globals[${i}]`;
    let size = g.size ?? 1;
    if (!isInt(size) || size < 1) {
      diags.push(diag.specValue(name, `${f}.size`, `size must be a positive integer, found ${size}`));
      size = 1;
    }
    const first = declaredBy.get(g.name);
    if (first !== undefined) diags.push(diag.specDuplicate(name, `${f}.name`, g.name, first));
    else {
      declaredBy.set(g.name, f);
      memory[g.name] = addr;
    }
    const sym: MemSymbol = { name: g.name, addr, size };
    if (g.cpu !== undefined) {
      if (!isInt(g.cpu) || g.cpu < 0 || g.cpu >= n) {
        diags.push(
          diag.specValue(name, `${f}.cpu`, `owner cpu ${g.cpu} is not one of the threads 0..${n - 1}`),
        );
      } else sym.cpu = g.cpu;
    }
    symbols.push(sym);
    if (Array.isArray(g.init)) {
      if (g.init.length > size) {
        diags.push(diag.specValue(name, `${f}.init`, `${g.init.length} initial values for ${size} cell(s)`));
      }
      for (let k = 0; k < Math.min(size, g.init.length); k++) {
        cellInit.push({ addr: addr + k, value: g.init[k]!, field: `${f}.init[${k}]` });
      }
    } else if (g.init !== undefined) {
      for (let k = 0; k < size; k++) cellInit.push({ addr: addr + k, value: g.init, field: `${f}.init` });
    }
    addr += size;
  });
  const G = addr;
  const perThread = spec.perThread ?? [];
  const F = perThread.length;
  const fields: Record<string, number> = {};
  perThread.forEach((p, i) => {
    const f = `perThread[${i}]`;
    const first = declaredBy.get(p.name);
    if (first !== undefined) diags.push(diag.specDuplicate(name, `${f}.name`, p.name, first));
    else declaredBy.set(p.name, f);
    fields[p.name] = i;
  });
  for (let t = 0; t < n; t++) {
    const base = G + t * F;
    memory[`paca@cpu${t}`] = base;
    perThread.forEach((p, i) => {
      const symName = `${p.name}@cpu${t}`;
      memory[symName] = base + i;
      symbols.push({ name: symName, addr: base + i, size: 1, cpu: t });
      const v = typeof p.init === 'function' ? p.init(t) : p.init;
      if (v !== undefined)
        cellInit.push({ addr: base + i, value: v, field: `perThread[${i}].init (cpu ${t})` });
    });
  }
  const size = G + n * F;
  if (size > MAX_MEMORY) diags.push(diag.specTooLarge(name, 'memory cells', size, MAX_MEMORY));

  // ---- code
  const asm = new Assembler(units, { defines: spec.defines, fields, memory });
  const out = asm.assemble();
  diags.push(...asm.diagnostics);
  const nInstr = asm.codeLength;
  if (nInstr > MAX_CODE) diags.push(diag.specTooLarge(name, 'instructions', nInstr, MAX_CODE));

  const specCtx: EvalContext = { unit: null, pos: 0, pc: 0 };
  /** A number, or a symbol expression resolved like an operand (labels, defines, fields, memory). */
  const value = (field: string, v: number | string): number | undefined => {
    if (typeof v === 'number') {
      if (!isInt(v) || !in32(v)) {
        diags.push(diag.specValue(name, field, `${v} is not a 32-bit integer`));
        return undefined;
      }
      return v | 0;
    }
    const p = parseExpression(name, String(v));
    if (p.expr === undefined || p.diagnostics.length > 0) {
      diags.push(diag.specValue(name, field, `cannot read '${v}' as a number or a symbol expression`));
      return undefined;
    }
    const unknown = firstUnknown(p.expr, (s) => asm.lookup(s, specCtx) !== undefined);
    if (unknown !== undefined) {
      diags.push(diag.specUnknown(name, field, unknown, asm.knownNames(specCtx), 'symbol'));
      return undefined;
    }
    const before = asm.diagnostics.length;
    const r = asm.evaluate(p.expr, specCtx);
    const problems = asm.diagnostics.splice(before);
    if (r === undefined || problems.length > 0) {
      diags.push(diag.specValue(name, field, `'${v}': ${problems[0]?.message ?? 'cannot be evaluated'}`));
      return undefined;
    }
    if (!in32(r)) {
      diags.push(diag.specValue(name, field, `'${v}' = ${r} is not a 32-bit integer`));
      return undefined;
    }
    return r | 0;
  };
  const label = (field: string, l: string): number | undefined => {
    const pc = out.labels[l];
    if (pc === undefined) diags.push(diag.specUnknown(name, field, l, Object.keys(out.labels), 'label'));
    return pc;
  };

  // ---- threads
  const threadsPerCore = spec.threadsPerCore ?? 1;
  if (!isInt(threadsPerCore) || threadsPerCore < 1 || threadsPerCore > 8) {
    diags.push(diag.specThread(name, 'threadsPerCore', `must be 1..8, found ${threadsPerCore}`));
  }
  const threads: ThreadInit[] = spec.threads.map((t, i) => {
    const f = `threads[${i}]`;
    const statusName = t.status ?? 'running';
    const status = STATUS[statusName];
    if (status === undefined) {
      diags.push(
        diag.specThread(
          name,
          `${f}.status`,
          `unknown status '${statusName}'`,
          "use 'running', 'napping' or 'halted'",
        ),
      );
    }
    let pc = 0;
    if (t.entry !== undefined) pc = label(`${f}.entry`, t.entry) ?? 0;
    else if (status === 0) {
      diags.push(
        diag.specThread(
          name,
          `${f}.entry`,
          `running thread '${t.name}' has no entry label`,
          'set entry to a code label',
        ),
      );
    }
    const regs = new Map<number, number>();
    if (F > 0) regs.set(13, G + i * F);
    for (const [k, v] of Object.entries(t.regs ?? {})) {
      const r = Number(k);
      if (!isInt(r) || r < 0 || r > 31) {
        diags.push(diag.specThread(name, `${f}.regs`, `register '${k}' is not r0..r31`));
        continue;
      }
      const val = value(`${f}.regs[${k}]`, v);
      if (val !== undefined) regs.set(r, val);
    }
    const msrEE = t.msrEE ?? 0;
    if (msrEE !== 0 && msrEE !== 1)
      diags.push(diag.specThread(name, `${f}.msrEE`, `must be 0 or 1, found ${msrEE}`));
    const pending = t.pending ?? 0;
    if (!isInt(pending) || pending < 0 || pending > 7) {
      diags.push(
        diag.specThread(name, `${f}.pending`, `must be a mask of PEND_* bits (0..7), found ${pending}`),
      );
    }
    return {
      cpu: i,
      name: t.name,
      pc,
      status: status ?? 0,
      regs: [...regs.entries()].sort((x, y) => x[0] - y[0]),
      msrEE: msrEE === 1 ? 1 : 0,
      lpcr: value(`${f}.lpcr`, t.lpcr ?? 0) ?? 0,
      lpid: value(`${f}.lpid`, t.lpid ?? 0) ?? 0,
      pending,
      mustHalt: t.mustHalt ?? true,
    };
  });

  // ---- vectors, events, observations, limits
  const vectors: Vectors = { systemReset: -1, external: -1, decrementer: -1, doorbell: -1 };
  for (const [k, l] of Object.entries(spec.vectors ?? {})) {
    if (!(VECTOR_KEYS as readonly string[]).includes(k)) {
      diags.push(diag.specUnknown(name, 'vectors', k, VECTOR_KEYS, 'vector'));
      continue;
    }
    if (l !== undefined) vectors[k as keyof Vectors] = label(`vectors.${k}`, l) ?? -1;
  }
  const events: EnvEvent[] = (spec.events ?? []).map((e, i) => {
    const f = `events[${i}]`;
    const kind = EVENT_KINDS[e.kind];
    if (kind === undefined)
      diags.push(
        diag.specEvent(
          name,
          `${f}.kind`,
          `unknown event kind '${e.kind}' (doorbell, external or decrementer)`,
        ),
      );
    if (!isInt(e.cpu) || e.cpu < 0 || e.cpu >= n)
      diags.push(diag.specEvent(name, `${f}.cpu`, `cpu ${e.cpu} is not one of the threads 0..${n - 1}`));
    if (!isInt(e.count) || e.count < 0 || e.count > 1000)
      diags.push(diag.specEvent(name, `${f}.count`, `count must be 0..1000, found ${e.count}`));
    return { kind: kind ?? PEND_DBELL, cpu: e.cpu, count: e.count, whenNapping: e.whenNapping ?? false };
  });
  const observe: Observation[] = [];
  (spec.observe ?? []).forEach((o, i) => {
    const f = `observe[${i}]`;
    if ('mem' in o) {
      const a = value(`${f}.mem`, o.mem);
      if (a === undefined) return;
      if (a < 1 || a >= size)
        diags.push(diag.specValue(name, `${f}.mem`, `address ${a} is outside memory 1..${size - 1}`));
      else observe.push({ kind: 'mem', addr: a });
    } else if (!isInt(o.cpu) || o.cpu < 0 || o.cpu >= n || !isInt(o.reg) || o.reg < 0 || o.reg > 31) {
      diags.push(diag.specValue(name, f, `cpu ${o.cpu} register ${o.reg} does not exist`));
    } else observe.push({ kind: 'reg', cpu: o.cpu, reg: o.reg });
  });
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(spec.limits ?? {})) {
    if (!(k in DEFAULT_LIMITS)) {
      diags.push(
        diag.specValue(
          name,
          `limits.${k}`,
          'unknown limit',
          'limits are maxSteps, storeBuffer and maxStates',
        ),
      );
      continue;
    }
    if (v === undefined) continue;
    const max = k === 'storeBuffer' ? 64 : k === 'maxSteps' ? 1e9 : Number.MAX_SAFE_INTEGER;
    if (!isInt(v) || v < 1 || v > max)
      diags.push(diag.specValue(name, `limits.${k}`, `must be an integer 1..${max}, found ${v}`));
    else limits[k as keyof Limits] = v;
  }

  // ---- initial memory (after assembly: init strings may name code labels)
  const initMap = new Map<number, number>();
  for (const c of cellInit) {
    const v = value(c.field, c.value);
    if (v !== undefined) initMap.set(c.addr, v);
  }
  const init = [...initMap.entries()].filter(([, v]) => v !== 0).sort((x, y) => x[0] - y[0]);

  throwIfErrors(diags);
  const image: Image = {
    format: IMAGE_FORMAT,
    version: IMAGE_VERSION,
    name,
    code: out.code,
    labels: out.labels,
    strings: out.strings,
    counters: out.counters,
    memory: { size, init, symbols },
    threadsPerCore,
    threads,
    vectors,
    events,
    observe,
    limits,
    source: { files: out.files, locs: out.locs },
  };
  if (spec.meta !== undefined) image.meta = spec.meta;
  validateImage(image);
  return image;
}

function firstUnknown(e: Expr, known: (name: string) => boolean): string | undefined {
  switch (e.kind) {
    case 'sym':
      return known(e.name) ? undefined : e.name;
    case 'unary':
    case 'reloc':
      return firstUnknown(e.arg, known);
    case 'binary':
      return firstUnknown(e.left, known) ?? firstUnknown(e.right, known);
    default:
      return undefined;
  }
}
