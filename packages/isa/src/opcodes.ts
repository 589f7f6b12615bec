/**
 * The instruction set: THE single source of truth for opcodes.
 *
 * Every instruction is encoded as four signed 32-bit words `[op, a, b, c]` (see `INSTR_WORDS`).
 * The WebAssembly engine generates its opcode constants from `OPCODES` at build time
 * (`packages/engine/scripts/gen-opcodes.mjs`), and a test checks the generated file still agrees.
 * The numeric values are part of the image format: never renumber, only append.
 *
 * Semantics of each opcode are written in `SEMANTICS.md` beside this package; the `doc` field is
 * the one-line summary used in listings and error hints.
 */

/** Operand kinds understood by the assembler and the printer. */
export type OperandKind =
  /** general purpose register r0..r31, into `field` */
  | 'reg'
  /** immediate expression (signed 32-bit after evaluation), into `field` */
  | 'imm'
  /** displacement form `D(rA)`: D into `field`, rA into `base` */
  | 'disp'
  /** optional condition register field `crN` (defaults to cr0), into `field` */
  | 'crf?'
  /** code label (absolute instruction index after assembly), into `field` */
  | 'target'
  /** special purpose register by name or number, into `field` (see `SPR`) */
  | 'spr'
  /** quoted string, interned into the image string table, index into `field` */
  | 'str'
  /** counter name (bare identifier), interned into the image counter table, index into `field` */
  | 'counter';

export type Field = 'a' | 'b' | 'c';

export interface OperandSpec {
  kind: OperandKind;
  field: Field;
  /** for `disp`: the field that receives the base register */
  base?: Field;
}

export type OpClass =
  | 'int'
  | 'compare'
  | 'branch'
  | 'load'
  | 'store'
  | 'atomic'
  | 'barrier'
  | 'system'
  | 'sim';

export interface OpcodeDef {
  /** numeric opcode (stable, part of the image format) */
  op: number;
  /** canonical mnemonic, as printed in listings */
  name: string;
  /** other accepted spellings (real POWER aliases) */
  aliases?: string[];
  operands: OperandSpec[];
  cls: OpClass;
  doc: string;
}

const r = (field: Field): OperandSpec => ({ kind: 'reg', field });
const imm = (field: Field): OperandSpec => ({ kind: 'imm', field });
const disp: OperandSpec = { kind: 'disp', field: 'c', base: 'b' };
const crf: OperandSpec = { kind: 'crf?', field: 'a' };
const target = (field: Field): OperandSpec => ({ kind: 'target', field });

/** D-form / X-form memory operands: rD/rS in a, rA in b, D or rB in c. */
const dForm = [r('a'), disp];
const xForm = [r('a'), r('b'), r('c')];

// The table. `op` values are explicit so that reordering lines never changes the format.
export const OPCODES: readonly OpcodeDef[] = [
  // integer
  { op: 0, name: 'nop', operands: [], cls: 'int', doc: 'no operation' },
  { op: 1, name: 'li', operands: [r('a'), imm('c')], cls: 'int', doc: 'rD = imm' },
  { op: 2, name: 'lis', operands: [r('a'), imm('c')], cls: 'int', doc: 'rD = imm << 16' },
  { op: 3, name: 'la', operands: [r('a'), disp], cls: 'int', doc: 'rD = (rA|0) + D' },
  { op: 4, name: 'mr', operands: [r('a'), r('b')], cls: 'int', doc: 'rD = rS' },
  {
    op: 5,
    name: 'addi',
    aliases: ['subi'],
    operands: [r('a'), r('b'), imm('c')],
    cls: 'int',
    doc: 'rD = (rA|0) + imm',
  },
  {
    op: 6,
    name: 'addis',
    operands: [r('a'), r('b'), imm('c')],
    cls: 'int',
    doc: 'rD = (rA|0) + (imm << 16)',
  },
  { op: 7, name: 'add', operands: xForm, cls: 'int', doc: 'rD = rA + rB' },
  { op: 8, name: 'subf', operands: xForm, cls: 'int', doc: 'rD = rB - rA' },
  { op: 9, name: 'neg', operands: [r('a'), r('b')], cls: 'int', doc: 'rD = -rA' },
  { op: 10, name: 'and', operands: xForm, cls: 'int', doc: 'rA = rS & rB' },
  { op: 11, name: 'andc', operands: xForm, cls: 'int', doc: 'rA = rS & ~rB' },
  { op: 12, name: 'or', operands: xForm, cls: 'int', doc: 'rA = rS | rB' },
  { op: 13, name: 'ori', operands: [r('a'), r('b'), imm('c')], cls: 'int', doc: 'rA = rS | uimm' },
  { op: 14, name: 'xor', operands: xForm, cls: 'int', doc: 'rA = rS ^ rB' },
  { op: 15, name: 'slw', operands: xForm, cls: 'int', doc: 'rA = rS << (rB & 63), 0 if >= 32' },
  { op: 16, name: 'srw', operands: xForm, cls: 'int', doc: 'rA = rS >>> (rB & 63), 0 if >= 32' },
  { op: 17, name: 'xori', operands: [r('a'), r('b'), imm('c')], cls: 'int', doc: 'rA = rS ^ uimm' },
  {
    op: 18,
    name: 'andi.',
    operands: [r('a'), r('b'), imm('c')],
    cls: 'int',
    doc: 'rA = rS & uimm; cr0 = compare(rA, 0)',
  },
  { op: 19, name: 'mulli', operands: [r('a'), r('b'), imm('c')], cls: 'int', doc: 'rD = rA * imm' },
  { op: 20, name: 'mullw', operands: xForm, cls: 'int', doc: 'rD = rA * rB' },
  // compare
  {
    op: 24,
    name: 'cmpw',
    aliases: ['cmpd'],
    operands: [crf, r('b'), r('c')],
    cls: 'compare',
    doc: 'crN = signed compare(rA, rB)',
  },
  {
    op: 25,
    name: 'cmpwi',
    aliases: ['cmpdi'],
    operands: [crf, r('b'), imm('c')],
    cls: 'compare',
    doc: 'crN = signed compare(rA, imm)',
  },
  {
    op: 26,
    name: 'cmplw',
    aliases: ['cmpld'],
    operands: [crf, r('b'), r('c')],
    cls: 'compare',
    doc: 'crN = unsigned compare(rA, rB)',
  },
  {
    op: 27,
    name: 'cmplwi',
    aliases: ['cmpldi'],
    operands: [crf, r('b'), imm('c')],
    cls: 'compare',
    doc: 'crN = unsigned compare(rA, uimm)',
  },
  // branch
  { op: 32, name: 'b', operands: [target('b')], cls: 'branch', doc: 'pc = target' },
  { op: 33, name: 'bl', operands: [target('b')], cls: 'branch', doc: 'LR = pc + 1; pc = target' },
  { op: 34, name: 'blr', operands: [], cls: 'branch', doc: 'pc = LR' },
  { op: 35, name: 'beq', operands: [crf, target('b')], cls: 'branch', doc: 'if crN.eq: pc = target' },
  { op: 36, name: 'bne', operands: [crf, target('b')], cls: 'branch', doc: 'if !crN.eq: pc = target' },
  { op: 37, name: 'blt', operands: [crf, target('b')], cls: 'branch', doc: 'if crN.lt: pc = target' },
  { op: 38, name: 'bgt', operands: [crf, target('b')], cls: 'branch', doc: 'if crN.gt: pc = target' },
  { op: 39, name: 'ble', operands: [crf, target('b')], cls: 'branch', doc: 'if !crN.gt: pc = target' },
  { op: 40, name: 'bge', operands: [crf, target('b')], cls: 'branch', doc: 'if !crN.lt: pc = target' },
  { op: 41, name: 'mtctr', operands: [r('a')], cls: 'branch', doc: 'CTR = rS' },
  { op: 42, name: 'mfctr', operands: [r('a')], cls: 'branch', doc: 'rD = CTR' },
  { op: 43, name: 'bctr', operands: [], cls: 'branch', doc: 'pc = CTR' },
  { op: 44, name: 'bctrl', operands: [], cls: 'branch', doc: 'LR = pc + 1; pc = CTR' },
  { op: 45, name: 'mflr', operands: [r('a')], cls: 'branch', doc: 'rD = LR' },
  { op: 46, name: 'mtlr', operands: [r('a')], cls: 'branch', doc: 'LR = rS' },
  { op: 47, name: 'bdnz', operands: [target('b')], cls: 'branch', doc: 'CTR -= 1; if CTR != 0: pc = target' },
  // memory: every width reads or writes one whole cell
  {
    op: 48,
    name: 'lwz',
    aliases: ['lbz', 'lhz', 'ld', 'lwa', 'lha'],
    operands: dForm,
    cls: 'load',
    doc: 'rD = mem[(rA|0) + D]',
  },
  {
    op: 49,
    name: 'lwzx',
    aliases: ['lbzx', 'lhzx', 'ldx', 'lwax', 'lhax'],
    operands: xForm,
    cls: 'load',
    doc: 'rD = mem[(rA|0) + rB]',
  },
  {
    op: 50,
    name: 'stw',
    aliases: ['stb', 'sth', 'std'],
    operands: dForm,
    cls: 'store',
    doc: 'mem[(rA|0) + D] = rS',
  },
  {
    op: 51,
    name: 'stwx',
    aliases: ['stbx', 'sthx', 'stdx'],
    operands: xForm,
    cls: 'store',
    doc: 'mem[(rA|0) + rB] = rS',
  },
  {
    op: 52,
    name: 'stwu',
    aliases: ['stdu'],
    operands: dForm,
    cls: 'store',
    doc: 'EA = rA + D; mem[EA] = rS; rA = EA',
  },
  {
    op: 53,
    name: 'lwarx',
    aliases: ['ldarx', 'lbarx', 'lharx'],
    operands: xForm,
    cls: 'atomic',
    doc: 'rD = mem[(rA|0) + rB]; reserve',
  },
  {
    op: 54,
    name: 'stwcx.',
    aliases: ['stdcx.', 'stbcx.', 'sthcx.'],
    operands: xForm,
    cls: 'atomic',
    doc: 'if reserved: mem[EA] = rS, cr0.eq = 1; else cr0.eq = 0',
  },
  // barriers
  {
    op: 56,
    name: 'sync',
    aliases: ['hwsync', 'ptesync'],
    operands: [],
    cls: 'barrier',
    doc: 'full barrier (hwsync)',
  },
  {
    op: 57,
    name: 'lwsync',
    operands: [],
    cls: 'barrier',
    doc: 'lightweight barrier: orders all but store -> load',
  },
  {
    op: 58,
    name: 'isync',
    operands: [],
    cls: 'barrier',
    doc: 'context synchronisation (with a control dependency: load -> load)',
  },
  // system
  {
    op: 64,
    name: 'nap',
    aliases: ['stop', 'sleep', 'rvwinkle'],
    operands: [],
    cls: 'system',
    doc: 'enter nap; wakeup resumes at the system-reset vector',
  },
  {
    op: 65,
    name: 'msgsnd',
    operands: [r('a')],
    cls: 'system',
    doc: 'send a hypervisor doorbell to the cpu in rB',
  },
  { op: 66, name: 'msgclr', operands: [r('a')], cls: 'system', doc: "clear this thread's pending doorbell" },
  { op: 67, name: 'wrteei', operands: [imm('a')], cls: 'system', doc: 'MSR[EE] = imm (0 or 1)' },
  { op: 68, name: 'mtmsrd', operands: [r('a')], cls: 'system', doc: 'MSR[EE] = (rS & MSR_EE) != 0' },
  { op: 69, name: 'mfmsr', operands: [r('a')], cls: 'system', doc: 'rD = MSR[EE] ? MSR_EE : 0' },
  { op: 70, name: 'rfid', aliases: ['hrfid'], operands: [], cls: 'system', doc: 'pc = SRR0; MSR[EE] = 1' },
  { op: 71, name: 'mfspr', operands: [r('a'), { kind: 'spr', field: 'b' }], cls: 'system', doc: 'rD = SPR' },
  { op: 72, name: 'mtspr', operands: [{ kind: 'spr', field: 'b' }, r('a')], cls: 'system', doc: 'SPR = rS' },
  {
    op: 73,
    name: 'mftb',
    operands: [r('a')],
    cls: 'system',
    doc: 'rD = time base (steps taken so far in untimed runs)',
  },
  {
    op: 74,
    name: 'ipi',
    operands: [r('a')],
    cls: 'system',
    doc: 'raise an external interrupt (XICS IPI) on the cpu in rB',
  },
  {
    op: 75,
    name: 'eoi',
    operands: [],
    cls: 'system',
    doc: "flush this thread's pending external interrupt (XIRR read + EOI)",
  },
  // simulation
  {
    op: 80,
    name: 'await.eq',
    operands: [disp, imm('a')],
    cls: 'sim',
    doc: 'block until mem[(rA|0) + D] == imm',
  },
  {
    op: 81,
    name: 'await.ne',
    operands: [disp, imm('a')],
    cls: 'sim',
    doc: 'block until mem[(rA|0) + D] != imm',
  },
  { op: 82, name: 'halt', operands: [], cls: 'sim', doc: 'this thread is finished' },
  {
    op: 83,
    name: 'lost',
    operands: [{ kind: 'str', field: 'a' }],
    cls: 'sim',
    doc: 'this thread is lost: it stops forever and takes no interrupts',
  },
  {
    op: 84,
    name: 'assert.eq',
    operands: [r('a'), imm('b'), { kind: 'str', field: 'c' }],
    cls: 'sim',
    doc: 'the trial fails unless rA == imm',
  },
  {
    op: 85,
    name: 'assert.ne',
    operands: [r('a'), imm('b'), { kind: 'str', field: 'c' }],
    cls: 'sim',
    doc: 'the trial fails unless rA != imm',
  },
  {
    op: 86,
    name: 'count',
    operands: [{ kind: 'counter', field: 'a' }],
    cls: 'sim',
    doc: 'increment a named counter',
  },
  { op: 87, name: 'mark', operands: [{ kind: 'str', field: 'a' }], cls: 'sim', doc: 'trace only' },
  {
    op: 88,
    name: 'work',
    operands: [imm('a')],
    cls: 'sim',
    doc: 'N cycles of work in timed runs, one step otherwise',
  },
  {
    op: 89,
    name: 'choose',
    operands: [r('a'), imm('b')],
    cls: 'sim',
    doc: 'rD = a value in 0..N-1 chosen by the scheduler',
  },
];

/** Words per encoded instruction: `[op, a, b, c]`. */
export const INSTR_WORDS = 4;

/** Opcode number by canonical name, e.g. `Op.lwz === 48`. */
export const Op: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(OPCODES.map((d) => [d.name, d.op])),
);

const byOp = new Map<number, OpcodeDef>(OPCODES.map((d) => [d.op, d]));
const byMnemonic = new Map<string, OpcodeDef>();
for (const d of OPCODES) {
  byMnemonic.set(d.name, d);
  for (const a of d.aliases ?? []) byMnemonic.set(a, d);
}

export function opcodeByNumber(op: number): OpcodeDef | undefined {
  return byOp.get(op);
}

export function opcodeByMnemonic(mnemonic: string): OpcodeDef | undefined {
  return byMnemonic.get(mnemonic.toLowerCase());
}

export function allMnemonics(): string[] {
  return [...byMnemonic.keys()].sort();
}

/**
 * Identifier-safe constant name for an opcode, as used in the generated AssemblyScript table:
 * `stwcx.` -> `OP_STWCX_`, `await.eq` -> `OP_AWAIT_EQ`.
 */
export function opConstName(name: string): string {
  return `OP_${name.toUpperCase().replace(/\./g, '_')}`;
}

/** Special purpose registers, with their real POWER SPR numbers. */
export const SPR = {
  DEC: 22,
  SRR0: 26,
  SRR1: 27,
  LPCR: 318,
  LPID: 319,
  PIR: 1023,
  // LR and CTR are reachable through mfspr/mtspr too, as on POWER
  LR: 8,
  CTR: 9,
} as const;
export type SprName = keyof typeof SPR;

/** Condition register field bits, POWER order within a 4-bit field. */
export const CR_LT = 8;
export const CR_GT = 4;
export const CR_EQ = 2;

/** MSR[EE] as seen by `mfmsr` / `mtmsrd`. */
export const MSR_EE = 0x8000;

/** Pending-interrupt bits (internal to the engines, also used in image events). */
export const PEND_DBELL = 1;
export const PEND_EXT = 2;
export const PEND_DEC = 4;

/**
 * LPCR wake-enable bits. PECE0 (external) and PECE1 (decrementer) are POWER8's values; the
 * hypervisor-doorbell enable (PECEDH) lives above bit 32 on real hardware, so it is moved to
 * 0x1000 (PECE2's slot) to fit a 32-bit register.
 */
export const LPCR_PECE0 = 0x4000;
export const LPCR_PECE1 = 0x2000;
export const LPCR_PECEDH = 0x1000;

/** SRR1 wake / interrupt reason codes: POWER8's SRR1 wake field values (low 32 bits). */
export const SRR1_WAKEEE = 0x00200000;
export const SRR1_WAKEDEC = 0x00180000;
export const SRR1_WAKEHDBELL = 0x000c0000;
export const SRR1_WAKEMASK = 0x003c0000;

/** The value that disarms the decrementer when written with `mtspr DEC` (its maximum). */
export const DEC_DISARMED = 0x7fffffff;

/** Thread status values (the engines' encoding). "Awaiting" is derived, not stored. */
export const STATUS_RUNNING = 0;
export const STATUS_NAPPING = 1;
export const STATUS_HALTED = 2;
export const STATUS_LOST = 3;
