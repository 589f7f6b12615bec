/**
 * The cost model of the `timed` scheduler (SEMANTICS.md section 15; the figures and where they come
 * from: COST-MODEL.md next to this file). Every figure is an integer number of processor cycles,
 * and every latency is a uniform integer distribution `[min, max]`, so both engines compute the
 * same times bit for bit (no floating point, no logarithms).
 *
 * Engines never read an instruction's class themselves: `instructionCosts` turns the model and an
 * image into one cost per instruction, which the host hands to either engine.
 */
import type { Image } from './image.js';
import { INSTR_WORDS, opcodeByNumber } from './opcodes.js';

/** A latency: an integer drawn uniformly from `[min, max]` cycles (`min == max`: fixed). */
export interface Latency {
  min: number;
  max: number;
}

/** Cycles per instruction class (COST-MODEL.md table 1). */
export interface InstructionCosts {
  /** integer, compare, move-to/from LR/CTR, nop */
  alu: number;
  branch: number;
  /** lwz / lwzx, and an await's last (successful) poll */
  load: number;
  /** stw / stwx / stwu */
  store: number;
  /** hwsync (`sync`, `ptesync`): the parameter this project is about; no public POWER8 figure */
  sync: number;
  lwsync: number;
  isync: number;
  /** lwarx / stwcx. */
  atomic: number;
  /** mfspr / mtspr / mftb / mfmsr / mtmsrd / wrteei */
  spr: number;
  /** msgsnd / msgclr / ipi / eoi */
  msg: number;
  /** rfid */
  rfid: number;
  /** entering nap (the exit is `latency.napWakeup`) */
  nap: number;
  /** simulation-only instructions: count, mark, halt, lost, assert, choose (`work N` costs N) */
  sim: number;
}

export interface CostModel {
  /** free-form name shown in reports, e.g. `power8` */
  name: string;
  /** cycles per microsecond (the clock frequency in MHz): converts cycles to simulated time */
  cyclesPerUs: number;
  instr: InstructionCosts;
  /** cycles from taking an interrupt to the first instruction of its vector */
  interruptEntry: number;
  latency: {
    /** msgsnd doorbell: from the interrupt becoming pending to its being taken or waking nap */
    doorbell: Latency;
    /** external interrupt (IPI through the interrupt controller, `ipi`, environment events) */
    external: Latency;
    /** decrementer: the exception itself (the period is `decrementerPeriod`) */
    decrementer: Latency;
    /** nap exit: from the wake condition (after delivery) to the system-reset vector */
    napWakeup: Latency;
    /** from a decrementer being armed (its fire action becoming enabled) to its firing */
    decrementerPeriod: Latency;
    /** from an environment event becoming enabled to its firing (stray interrupts) */
    strayEvent: Latency;
    /** from a store entering the store buffer (tso) to its drain */
    drain: Latency;
    /**
     * the time a `choose` stands for: the model's nondeterministic choices are its environment's
     * (in the KVM model, a vcpu's run in the guest before it cedes or exits), drawn per choose
     */
    choose: Latency;
  };
}

/**
 * The default figures (COST-MODEL.md gives the source or the reasoning for each). POWER8 at
 * 3.5 GHz; the sync cost of 100 cycles is a placeholder to be swept (`--sync-cost`).
 */
export const POWER8_COST_MODEL: CostModel = {
  name: 'power8',
  cyclesPerUs: 3500,
  instr: {
    alu: 1,
    branch: 1,
    load: 3,
    store: 1,
    sync: 100,
    lwsync: 20,
    isync: 10,
    atomic: 20,
    spr: 5,
    msg: 20,
    rfid: 20,
    nap: 0,
    sim: 0,
  },
  interruptEntry: 50,
  latency: {
    doorbell: { min: 100, max: 300 },
    external: { min: 1750, max: 7000 },
    decrementer: { min: 0, max: 0 },
    napWakeup: { min: 3500, max: 14000 },
    decrementerPeriod: { min: 3500, max: 14_000_000 },
    strayEvent: { min: 3500, max: 3_500_000 },
    drain: { min: 10, max: 100 },
    choose: { min: 3500, max: 350_000 },
  },
};

/** Latency fields in the order of the engines' latency table (SEMANTICS.md 15.1). */
export const LATENCY_ORDER = [
  'doorbell',
  'external',
  'decrementer',
  'napWakeup',
  'decrementerPeriod',
  'strayEvent',
  'drain',
  'choose',
] as const;
export type LatencyName = (typeof LATENCY_ORDER)[number];

export const INSTRUCTION_CLASSES = [
  'alu',
  'branch',
  'load',
  'store',
  'sync',
  'lwsync',
  'isync',
  'atomic',
  'spr',
  'msg',
  'rfid',
  'nap',
  'sim',
] as const satisfies readonly (keyof InstructionCosts)[];

/** The cost class of each mnemonic (`work` is special: N cycles). */
const CLASS_OF: Record<string, keyof InstructionCosts> = {};
for (const m of 'nop li lis la mr addi addis add subf neg and andc or ori xor slw srw xori andi. mulli mullw cmpw cmpwi cmplw cmplwi mtctr mfctr mflr mtlr'.split(
  ' ',
))
  CLASS_OF[m] = 'alu';
for (const m of 'b bl blr beq bne blt bgt ble bge bctr bctrl bdnz'.split(' ')) CLASS_OF[m] = 'branch';
for (const m of 'lwz lwzx await.eq await.ne'.split(' ')) CLASS_OF[m] = 'load';
for (const m of 'stw stwx stwu'.split(' ')) CLASS_OF[m] = 'store';
for (const m of 'lwarx stwcx.'.split(' ')) CLASS_OF[m] = 'atomic';
for (const m of 'mfspr mtspr mftb mfmsr mtmsrd wrteei'.split(' ')) CLASS_OF[m] = 'spr';
for (const m of 'msgsnd msgclr ipi eoi'.split(' ')) CLASS_OF[m] = 'msg';
for (const m of 'halt lost assert.eq assert.ne count mark choose'.split(' ')) CLASS_OF[m] = 'sim';
CLASS_OF.sync = 'sync';
CLASS_OF.lwsync = 'lwsync';
CLASS_OF.isync = 'isync';
CLASS_OF.rfid = 'rfid';
CLASS_OF.nap = 'nap';

/** The cost class of a mnemonic, or `work` (N cycles). */
export function costClassOf(mnemonic: string): keyof InstructionCosts | 'work' {
  if (mnemonic === 'work') return 'work';
  const c = CLASS_OF[mnemonic];
  if (!c) throw new Error(`cost model: no cost class for instruction ${mnemonic}`);
  return c;
}

/** Cycles of each instruction of `image` under `model` (`work N`: N). */
export function instructionCosts(image: Image, model: CostModel): number[] {
  const n = image.code.length / INSTR_WORDS;
  const out = new Array<number>(n);
  for (let pc = 0; pc < n; pc++) {
    const def = opcodeByNumber(image.code[pc * INSTR_WORDS]!)!;
    const cls = costClassOf(def.name);
    out[pc] = cls === 'work' ? image.code[pc * INSTR_WORDS + 1]! : model.instr[cls];
  }
  return out;
}

/** The latency table `[min, max]` pairs in LATENCY_ORDER, then interruptEntry (both engines). */
export function latencyTable(model: CostModel): number[] {
  const out: number[] = [];
  for (const k of LATENCY_ORDER) out.push(model.latency[k].min, model.latency[k].max);
  out.push(model.interruptEntry);
  return out;
}

/** Largest cost or latency bound accepted (cycles): 2^40, about 5 minutes at 3.5 GHz. */
export const MAX_CYCLES = 2 ** 40;

/** Check a cost model; throws `RangeError` naming the field. */
export function validateCostModel(model: unknown): asserts model is CostModel {
  const fail = (field: string, msg: string): never => {
    throw new RangeError(`cost model: ${field} ${msg}`);
  };
  const cyc = (field: string, v: unknown, max = MAX_CYCLES) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max)
      fail(field, `must be an integer number of cycles in 0..${max} (got ${JSON.stringify(v)})`);
  };
  if (typeof model !== 'object' || model === null) fail('', 'is not an object');
  const m = model as Record<string, any>;
  if (typeof m.name !== 'string') fail('name', 'must be a string');
  cyc('cyclesPerUs', m.cyclesPerUs, 1_000_000);
  if (m.cyclesPerUs < 1) fail('cyclesPerUs', 'must be at least 1');
  if (typeof m.instr !== 'object' || m.instr === null) fail('instr', 'is missing');
  for (const k of INSTRUCTION_CLASSES) cyc(`instr.${k}`, m.instr[k], 1 << 30);
  cyc('interruptEntry', m.interruptEntry, 1 << 30);
  if (typeof m.latency !== 'object' || m.latency === null) fail('latency', 'is missing');
  for (const k of LATENCY_ORDER) {
    const l = m.latency[k];
    if (typeof l !== 'object' || l === null) fail(`latency.${k}`, 'is missing');
    cyc(`latency.${k}.min`, l.min);
    cyc(`latency.${k}.max`, l.max);
    if (l.max < l.min) fail(`latency.${k}`, `has max ${l.max} < min ${l.min}`);
    if (l.max - l.min >= 2 ** 32 * 2 ** 20)
      fail(`latency.${k}`, 'spans too wide a range (max - min must stay below 2^52)');
  }
}

/** A copy of `model` with another sync cost. */
export function withSyncCost(model: CostModel, sync: number): CostModel {
  return { ...model, name: `${model.name}, sync ${sync}`, instr: { ...model.instr, sync } };
}

// ---- latency histograms (SEMANTICS.md 15.5) ------------------------------------------------------

/** Histogram buckets: values 0..31 exactly, then 16 buckets per power of two up to 2^40. */
export const HIST_EXACT = 32;
export const HIST_SUB = 16;
export const HIST_BUCKETS = HIST_EXACT + (40 - 5) * HIST_SUB;

/** Bucket of a non-negative integer value (values >= 2^40 share the last bucket). */
export function histBucket(v: number): number {
  if (v < HIST_EXACT) return v;
  if (v >= MAX_CYCLES) return HIST_BUCKETS - 1;
  let e = 5;
  while (v >= 2 ** (e + 1)) e++;
  const sub = Math.floor(v / 2 ** (e - 4)) - HIST_SUB;
  return HIST_EXACT + (e - 5) * HIST_SUB + sub;
}

/** The smallest value of bucket `b`. */
export function histBucketLow(b: number): number {
  if (b < HIST_EXACT) return b;
  const e = 5 + Math.floor((b - HIST_EXACT) / HIST_SUB);
  const sub = (b - HIST_EXACT) % HIST_SUB;
  return (HIST_SUB + sub) * 2 ** (e - 4);
}

// ---- instruction flags for the timed scheduler's spin parking (SEMANTICS.md 15.2) -----------------

/** the instruction only reads registers and memory and moves the pc (alu, branch, load classes) */
export const TF_PURE = 1;
/** a branch */
export const TF_BRANCH = 2;
/** a store (`stw stwx stwu stwcx.`): memory may change */
export const TF_STORE = 4;

/** Per-instruction TF_* flags of `image` (both engines take them from the host). */
export function instructionFlags(image: Image): number[] {
  const n = image.code.length / INSTR_WORDS;
  const out = new Array<number>(n);
  for (let pc = 0; pc < n; pc++) {
    const name = opcodeByNumber(image.code[pc * INSTR_WORDS]!)!.name;
    const cls = costClassOf(name);
    out[pc] =
      (cls === 'alu' || cls === 'branch' || cls === 'load' ? TF_PURE : 0) |
      (cls === 'branch' ? TF_BRANCH : 0) |
      (cls === 'store' || name === 'stwcx.' ? TF_STORE : 0);
  }
  return out;
}
