/**
 * The image: a self-contained, versioned, engine-independent compiled program.
 * It is the contract between the assembler / scenario compiler and the engines.
 *
 * Addresses are cell indices (one cell per named location, MACHINE.md section 2); cell 0 is the
 * null page and is never a valid address. Code addresses are instruction indices.
 */
import { INSTR_WORDS, opcodeByNumber } from './opcodes.js';

export const IMAGE_FORMAT = 'naplab-image';
export const IMAGE_VERSION = 1;

/** A named memory location (or a per-thread field block). */
export interface MemSymbol {
  name: string;
  addr: number;
  /** number of cells (1 for a scalar) */
  size: number;
  /** the cpu that owns this cell range (per-thread PACA fields), if any */
  cpu?: number;
}

/** Initial state of one hardware thread. */
export interface ThreadInit {
  /** cpu number = core * threadsPerCore + thread */
  cpu: number;
  /** display name (e.g. `P0`, `primary`, `ksmd`) */
  name: string;
  /** start pc (instruction index); ignored when the thread starts napping or halted */
  pc: number;
  /** 0 running, 1 napping, 2 halted (see STATUS_*) */
  status: number;
  /** initial GPR values, sparse: `[reg, value]` pairs */
  regs: [number, number][];
  msrEE: 0 | 1;
  lpcr: number;
  lpid: number;
  /** initial pending-interrupt bits (PEND_*) */
  pending: number;
  /** must this thread halt for the trial to be `ok`? */
  mustHalt: boolean;
}

export interface Vectors {
  /** system reset (nap wakeup) vector pc, -1 when absent */
  systemReset: number;
  external: number;
  decrementer: number;
  doorbell: number;
}

/** An environment event source: stray interrupts offered to the scheduler as actions. */
export interface EnvEvent {
  /** PEND_DBELL, PEND_EXT or PEND_DEC */
  kind: number;
  cpu: number;
  /** how many times it may fire in one trial */
  count: number;
  /** offered only while the target thread is napping */
  whenNapping: boolean;
}

/** What a final state shows: the registers and cells a litmus condition (or a report) observes. */
export type Observation = { kind: 'reg'; cpu: number; reg: number } | { kind: 'mem'; addr: number };

export interface Limits {
  /** a trial that takes this many scheduler actions ends as `limit` */
  maxSteps: number;
  /** store-buffer capacity per thread (tso); a store to a full buffer waits */
  storeBuffer: number;
  /** exhaustive search: stop (cut) after this many distinct states */
  maxStates: number;
}

/** Per-instruction source location, for listings, traces and timelines. */
export interface SourceLoc {
  file: number;
  line: number;
  col: number;
}

export interface Image {
  format: typeof IMAGE_FORMAT;
  version: number;
  name: string;
  /** encoded instructions, `INSTR_WORDS` words each: `[op, a, b, c]` */
  code: number[];
  /** code labels -> instruction index */
  labels: Record<string, number>;
  /** string table (mark / lost / assert texts) */
  strings: string[];
  /** counter names, indexed by `count`'s operand */
  counters: string[];
  memory: {
    /** number of cells, including the null cell 0 */
    size: number;
    /** initial values, sparse: `[addr, value]` pairs; every other cell starts at 0 */
    init: [number, number][];
    symbols: MemSymbol[];
  };
  threadsPerCore: number;
  threads: ThreadInit[];
  vectors: Vectors;
  events: EnvEvent[];
  observe: Observation[];
  limits: Limits;
  /** source files and per-instruction locations (optional debug info) */
  source?: { files: string[]; locs: SourceLoc[] };
  /** free-form description: scenario, variant, litmus condition... never read by engines */
  meta?: Record<string, unknown>;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 100_000, storeBuffer: 4, maxStates: 2_000_000 };

export const MAX_THREADS = 64;
export const MAX_MEMORY = 1 << 20;
export const MAX_CODE = 1 << 20;
/** Events per image (a scheduler action each: action ids stay below 2^15, as the engines' shortest pass needs). */
export const MAX_EVENTS = 16384;

/** A structural problem in an image; engines refuse such images before any trial runs. */
export class ImageError extends Error {
  constructor(
    message: string,
    readonly code: string = 'E_IMAGE',
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isI32 = (v: unknown): v is number => isInt(v) && v >= -0x80000000 && v <= 0x7fffffff;

/**
 * Check an image completely: version, shapes, every index in range. Everything an engine will
 * dereference is checked here, so a malformed image cannot make an engine read outside its memory.
 */
export function validateImage(img: unknown): asserts img is Image {
  const fail = (msg: string): never => {
    throw new ImageError(`invalid image: ${msg}`);
  };
  if (typeof img !== 'object' || img === null) fail('not an object');
  const m = img as Record<string, any>;
  if (m.format !== IMAGE_FORMAT) fail(`format is ${JSON.stringify(m.format)}, expected "${IMAGE_FORMAT}"`);
  if (m.version !== IMAGE_VERSION) {
    throw new ImageError(
      `image version ${m.version} is not supported (this naplab reads version ${IMAGE_VERSION}); rebuild the image from its source`,
      'E_IMAGE_VERSION',
    );
  }
  if (typeof m.name !== 'string') fail('name must be a string');
  if (!Array.isArray(m.code) || m.code.length % INSTR_WORDS !== 0)
    fail('code must be an array of 4-word instructions');
  if (m.code.length / INSTR_WORDS > MAX_CODE) fail('too much code');
  if (!m.code.every(isI32)) fail('code words must be 32-bit integers');
  if (!Array.isArray(m.strings) || !m.strings.every((s: unknown) => typeof s === 'string')) fail('strings');
  if (!Array.isArray(m.counters) || !m.counters.every((s: unknown) => typeof s === 'string'))
    fail('counters');
  const nInstr = m.code.length / INSTR_WORDS;
  for (let pc = 0; pc < nInstr; pc++) {
    const [op, a, b, c] = m.code.slice(pc * 4, pc * 4 + 4);
    const def = opcodeByNumber(op);
    if (!def) fail(`instruction ${pc}: unknown opcode ${op}`);
    for (const o of def!.operands) {
      const v = { a, b, c }[o.field];
      const chk = (ok: boolean, what: string) =>
        ok || fail(`instruction ${pc} (${def!.name}): ${what} ${v} out of range`);
      if (o.kind === 'reg') chk(v >= 0 && v < 32, 'register');
      if (o.kind === 'disp') {
        const base = { a, b, c }[o.base!];
        if (!(base >= 0 && base < 32))
          fail(`instruction ${pc} (${def!.name}): base register ${base} out of range`);
      }
      if (o.kind === 'crf?') chk(v >= 0 && v < 8, 'cr field');
      if (o.kind === 'target') chk(v >= 0 && v < nInstr, 'branch target');
      if (o.kind === 'str') chk(v >= 0 && v < m.strings.length, 'string index');
      if (o.kind === 'counter') chk(v >= 0 && v < m.counters.length, 'counter index');
    }
    if (def!.name === 'choose' && !(b >= 1 && b <= 1 << 16))
      fail(`instruction ${pc} (choose): N must be 1..65536`);
  }
  const mem = m.memory;
  if (typeof mem !== 'object' || mem === null) fail('memory');
  if (!isInt(mem.size) || mem.size < 1 || mem.size > MAX_MEMORY) fail(`memory.size ${mem.size}`);
  if (!Array.isArray(mem.init)) fail('memory.init');
  for (const e of mem.init) {
    if (!Array.isArray(e) || !isInt(e[0]) || e[0] < 1 || e[0] >= mem.size || !isI32(e[1]))
      fail(`memory.init entry ${JSON.stringify(e)}`);
  }
  if (!Array.isArray(mem.symbols)) fail('memory.symbols');
  if (!isInt(m.threadsPerCore) || m.threadsPerCore < 1 || m.threadsPerCore > 8)
    fail('threadsPerCore must be 1..8');
  if (!Array.isArray(m.threads) || m.threads.length < 1 || m.threads.length > MAX_THREADS)
    fail(`threads: 1..${MAX_THREADS}`);
  m.threads.forEach((t: any, i: number) => {
    if (t.cpu !== i) fail(`thread ${i}: cpu must equal its index`);
    if (!isInt(t.pc) || t.pc < 0 || (t.pc >= nInstr && t.status === 0)) fail(`thread ${i}: start pc ${t.pc}`);
    if (![0, 1, 2].includes(t.status)) fail(`thread ${i}: status ${t.status}`);
    if (!Array.isArray(t.regs)) fail(`thread ${i}: regs`);
    for (const [rg, v] of t.regs)
      if (!isInt(rg) || rg < 0 || rg > 31 || !isI32(v)) fail(`thread ${i}: reg init r${rg}=${v}`);
    if (t.msrEE !== 0 && t.msrEE !== 1) fail(`thread ${i}: msrEE`);
    if (!isI32(t.lpcr) || !isI32(t.lpid) || !isInt(t.pending) || t.pending < 0 || t.pending > 7)
      fail(`thread ${i}: spr init`);
    if (typeof t.mustHalt !== 'boolean') fail(`thread ${i}: mustHalt`);
  });
  const v = m.vectors;
  if (typeof v !== 'object' || v === null) fail('vectors');
  for (const k of ['systemReset', 'external', 'decrementer', 'doorbell']) {
    if (!isInt(v[k]) || v[k] < -1 || v[k] >= nInstr) fail(`vectors.${k} = ${v[k]}`);
  }
  if (!Array.isArray(m.events) || m.events.length > MAX_EVENTS) fail(`events: at most ${MAX_EVENTS}`);
  for (const e of m.events) {
    if (![1, 2, 4].includes(e.kind) || !isInt(e.cpu) || e.cpu < 0 || e.cpu >= m.threads.length)
      fail(`event ${JSON.stringify(e)}`);
    if (!isInt(e.count) || e.count < 0 || e.count > 1000 || typeof e.whenNapping !== 'boolean')
      fail(`event ${JSON.stringify(e)}`);
  }
  if (!Array.isArray(m.observe)) fail('observe');
  for (const o of m.observe) {
    if (o.kind === 'reg') {
      if (!isInt(o.cpu) || o.cpu < 0 || o.cpu >= m.threads.length || !isInt(o.reg) || o.reg < 0 || o.reg > 31)
        fail(`observe ${JSON.stringify(o)}`);
    } else if (o.kind === 'mem') {
      if (!isInt(o.addr) || o.addr < 1 || o.addr >= mem.size) fail(`observe ${JSON.stringify(o)}`);
    } else fail(`observe ${JSON.stringify(o)}`);
  }
  const l = m.limits;
  if (typeof l !== 'object' || l === null) fail('limits');
  if (!isInt(l.maxSteps) || l.maxSteps < 1 || l.maxSteps > 1e9) fail(`limits.maxSteps ${l.maxSteps}`);
  if (!isInt(l.storeBuffer) || l.storeBuffer < 1 || l.storeBuffer > 64)
    fail(`limits.storeBuffer ${l.storeBuffer}`);
  if (!isInt(l.maxStates) || l.maxStates < 1) fail(`limits.maxStates ${l.maxStates}`);
}

/** Serialize to JSON text (stable key order, so equal images give equal text). */
export function imageToJSON(img: Image): string {
  return JSON.stringify(img);
}

/** Parse and validate JSON text. Throws `ImageError` with a clear reason. */
export function imageFromJSON(text: string): Image {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ImageError(`image is not valid JSON: ${(e as Error).message}`, 'E_IMAGE_CORRUPT');
  }
  validateImage(v);
  return v;
}
