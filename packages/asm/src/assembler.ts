/**
 * The assembler: parsed units -> encoded instructions `[op, a, b, c]`, labels, string and counter
 * tables and per-instruction source locations. Two passes: the first numbers instructions and
 * collects labels and equates, the second evaluates operands and encodes.
 *
 * Symbol resolution (spec.ts): code labels (the unit's own scoped labels first), then equates (the
 * unit's `.set`/`.equ`/`=`, then `SymbolEnv.defines`), then per-thread field offsets, then memory
 * addresses.
 */
import {
  allMnemonics,
  INSTR_WORDS,
  type OpcodeDef,
  type OperandSpec,
  opcodeByMnemonic,
  type SourceLoc,
  SPR,
} from '@naplab/isa';
import type { AsmFile, Expr, Operand, Statement } from './ast.js';
import { closest, type Diagnostic, diag, type Span, sortDiagnostics, throwIfErrors } from './diagnostics.js';

/** A unit of assembly. With `scope`, its labels are private: registered as `scope.name`, and `scope` labels its first instruction. */
export interface AsmUnit extends AsmFile {
  scope?: string;
}

/** Symbols from outside the sources (the linker's memory layout). */
export interface SymbolEnv {
  /** equates visible to every unit */
  defines?: Record<string, number>;
  /** per-thread field -> cell offset inside a thread's block */
  fields?: Record<string, number>;
  /** memory symbol -> address (cell index) */
  memory?: Record<string, number>;
}

export interface AssembledCode {
  code: number[];
  /** global and scoped labels -> instruction index, in definition order */
  labels: Record<string, number>;
  strings: string[];
  counters: string[];
  files: string[];
  locs: SourceLoc[];
}

/** Extended mnemonics for SPR moves: the kernel's `mfsrr1 r3` etc. */
const SPR_MOVES: Record<string, { op: 'mfspr' | 'mtspr'; spr: keyof typeof SPR }> = {
  mfsrr0: { op: 'mfspr', spr: 'SRR0' },
  mfsrr1: { op: 'mfspr', spr: 'SRR1' },
  mtsrr0: { op: 'mtspr', spr: 'SRR0' },
  mtsrr1: { op: 'mtspr', spr: 'SRR1' },
  mflpcr: { op: 'mfspr', spr: 'LPCR' },
  mtlpcr: { op: 'mtspr', spr: 'LPCR' },
  mfdec: { op: 'mfspr', spr: 'DEC' },
  mtdec: { op: 'mtspr', spr: 'DEC' },
  mfpir: { op: 'mfspr', spr: 'PIR' },
  mflpid: { op: 'mfspr', spr: 'LPID' },
  mtlpid: { op: 'mtspr', spr: 'LPID' },
};

/** Extended mnemonics the assembler rewrites (besides the aliases in `OPCODES`). */
export const EXTENDED_MNEMONICS = ['subi', 'sub', ...Object.keys(SPR_MOVES)];

interface Range {
  lo: number;
  hi: number;
  text: string;
}
const S16: Range = { lo: -32768, hi: 32767, text: 'a signed 16-bit value (-32768..32767)' };
const U16: Range = { lo: 0, hi: 65535, text: 'an unsigned 16-bit value (0..65535 or 0..0xffff)' };
const E16: Range = { lo: -32768, hi: 65535, text: 'a 16-bit value (-32768..65535)' };
const I32: Range = { lo: -0x80000000, hi: 0xffffffff, text: 'a 32-bit value' };
const IMM_RANGES: Record<string, Range> = {
  li: S16,
  addi: S16,
  cmpwi: S16,
  mulli: S16,
  ori: U16,
  xori: U16,
  'andi.': U16,
  cmplwi: U16,
  lis: E16,
  addis: E16,
  wrteei: { lo: 0, hi: 1, text: '0 or 1' },
  choose: { lo: 1, hi: 65536, text: 'a count 1..65536' },
  work: { lo: 0, hi: 0x7fffffff, text: 'a cycle count 0..2147483647' },
};
/** Which register form to suggest when a register is given where an immediate belongs, and back. */
const IMM_TO_REG: Record<string, string> = {
  li: 'mr',
  addi: 'add',
  cmpwi: 'cmpw',
  cmplwi: 'cmplw',
  ori: 'or',
  xori: 'xor',
  'andi.': 'and',
  mulli: 'mullw',
};
const REG_TO_IMM: Record<string, string> = Object.fromEntries(
  Object.entries(IMM_TO_REG).map(([k, v]) => [v, k]),
);

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/** Human syntax of an instruction, e.g. `lwz rD,D(rA)` or `cmpw [crN,]rA,rB`. */
export function syntaxOf(def: OpcodeDef, mnemonic = def.name): string {
  const regNames = ['rD', 'rA', 'rB'];
  const shown: Record<Exclude<OperandSpec['kind'], 'reg'>, string> = {
    imm: 'imm',
    disp: 'D(rA)',
    'crf?': '[crN,]',
    target: 'label',
    spr: 'SPR',
    str: '"text"',
    counter: 'NAME',
  };
  let r = 0;
  const parts = def.operands.map((o) => (o.kind === 'reg' ? (regNames[r++] ?? 'rX') : shown[o.kind]));
  let text = '';
  parts.forEach((p, i) => {
    text += p;
    if (i < parts.length - 1 && p !== '[crN,]') text += ',';
  });
  return parts.length === 0 ? `${mnemonic} (no operands)` : `${mnemonic} ${text}`;
}

interface LabelDef {
  index: number;
  span: Span;
}
interface EquateDef {
  expr: Expr;
  pos: number;
  pc: number;
  span: Span;
  value?: number;
  busy?: boolean;
}
interface UnitState {
  unit: AsmUnit;
  fileIndex: number;
  scoped: Map<string, LabelDef>;
  locals: Map<number, { pos: number; index: number }[]>;
  equates: Map<string, EquateDef>;
  instrs: { stmt: Extract<Statement, { kind: 'instr' }>; pos: number; pc: number }[];
}

/** Where an expression is evaluated: a statement of a unit, or (unit null) an `ImageSpec` field. */
export interface EvalContext {
  unit: UnitState | null;
  pos: number;
  pc: number;
}

type Category = 'label' | 'equate' | 'field' | 'memory';

export class Assembler {
  readonly diagnostics: Diagnostic[] = [];
  private readonly units: UnitState[] = [];
  private readonly globalLabels = new Map<string, LabelDef>();
  private readonly labelOrder: [string, number][] = [];
  private readonly files: string[] = [];
  private nInstr = 0;
  private readonly strings = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  private readonly defines: Map<string, number>;
  private readonly fields: Map<string, number>;
  private readonly memory: Map<string, number>;

  constructor(units: AsmUnit[], env: SymbolEnv = {}) {
    this.defines = new Map(Object.entries(env.defines ?? {}));
    this.fields = new Map(Object.entries(env.fields ?? {}));
    this.memory = new Map(Object.entries(env.memory ?? {}));
    for (const u of units) this.pass1(u);
  }

  private pass1(unit: AsmUnit): void {
    let fileIndex = this.files.indexOf(unit.file);
    if (fileIndex < 0) fileIndex = this.files.push(unit.file) - 1;
    const st: UnitState = {
      unit,
      fileIndex,
      scoped: new Map(),
      locals: new Map(),
      equates: new Map(),
      instrs: [],
    };
    this.units.push(st);
    if (unit.scope !== undefined) {
      const span = unit.statements[0]?.span ?? { file: unit.file, line: 1, col: 1 };
      this.defineGlobal(unit.scope, this.nInstr, span);
    }
    unit.statements.forEach((s, pos) => {
      switch (s.kind) {
        case 'label': {
          if (s.local) {
            const n = Number(s.name);
            const list = st.locals.get(n) ?? [];
            list.push({ pos, index: this.nInstr });
            st.locals.set(n, list);
          } else if (unit.scope !== undefined) {
            const prev = st.scoped.get(s.name);
            if (prev) this.diagnostics.push(diag.duplicate(s.span, s.name, 'label', prev.span));
            else {
              st.scoped.set(s.name, { index: this.nInstr, span: s.span });
              this.labelOrder.push([`${unit.scope}.${s.name}`, this.nInstr]);
            }
          } else this.defineGlobal(s.name, this.nInstr, s.span);
          break;
        }
        case 'equate': {
          const prev = st.equates.get(s.name);
          if (prev) this.diagnostics.push(diag.duplicate(s.span, s.name, 'symbol', prev.span));
          else st.equates.set(s.name, { expr: s.expr, pos, pc: this.nInstr, span: s.span });
          break;
        }
        case 'instr':
          st.instrs.push({ stmt: s, pos, pc: this.nInstr++ });
          break;
        case 'directive':
          break;
      }
    });
  }

  private defineGlobal(name: string, index: number, span: Span): void {
    const prev = this.globalLabels.get(name);
    if (prev) {
      this.diagnostics.push(diag.duplicate(span, name, 'label', prev.span));
      return;
    }
    this.globalLabels.set(name, { index, span });
    this.labelOrder.push([name, index]);
  }

  /** Encode every instruction. Diagnostics accumulate in `this.diagnostics`. */
  assemble(): AssembledCode {
    const code = new Array<number>(this.nInstr * INSTR_WORDS).fill(0);
    const locs: SourceLoc[] = [];
    for (const st of this.units) {
      for (const it of st.instrs) {
        const words = this.encode(it.stmt, { unit: st, pos: it.pos, pc: it.pc });
        if (words) for (let k = 0; k < INSTR_WORDS; k++) code[it.pc * INSTR_WORDS + k] = words[k]!;
        locs[it.pc] = { file: st.fileIndex, line: it.stmt.span.line, col: it.stmt.span.col };
      }
    }
    return {
      code,
      labels: Object.fromEntries(this.labelOrder),
      strings: [...this.strings.keys()],
      counters: [...this.counters.keys()],
      files: [...this.files],
      locs,
    };
  }

  get codeLength(): number {
    return this.nInstr;
  }

  /** Every name a symbol could resolve to, for "did you mean" hints. */
  knownNames(ctx: EvalContext): string[] {
    const names = [
      ...this.globalLabels.keys(),
      ...this.defines.keys(),
      ...this.fields.keys(),
      ...this.memory.keys(),
    ];
    if (ctx.unit) names.push(...ctx.unit.scoped.keys(), ...ctx.unit.equates.keys());
    return names;
  }

  labelNames(): string[] {
    return [...this.globalLabels.keys()];
  }

  /** Look a symbol up, without diagnostics. */
  lookup(name: string, ctx: EvalContext): { value: number; category: Category } | 'cycle' | undefined {
    const scoped = ctx.unit?.scoped.get(name);
    if (scoped) return { value: scoped.index, category: 'label' };
    const g = this.globalLabels.get(name);
    if (g) return { value: g.index, category: 'label' };
    const eq = ctx.unit?.equates.get(name);
    if (eq) {
      if (eq.value !== undefined) return { value: eq.value, category: 'equate' };
      if (eq.busy) return 'cycle';
      eq.busy = true;
      const v = this.evaluate(eq.expr, { unit: ctx.unit, pos: eq.pos, pc: eq.pc });
      eq.busy = false;
      // a failed equate was reported once; 0 keeps later uses from repeating the error
      eq.value = v ?? 0;
      return { value: eq.value, category: 'equate' };
    }
    const d = this.defines.get(name);
    if (d !== undefined) return { value: d, category: 'equate' };
    const f = this.fields.get(name);
    if (f !== undefined) return { value: f, category: 'field' };
    const m = this.memory.get(name);
    if (m !== undefined) return { value: m, category: 'memory' };
    return undefined;
  }

  /** Evaluate an expression; on error push a diagnostic and return undefined. */
  evaluate(e: Expr, ctx: EvalContext): number | undefined {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'dot':
        if (!ctx.unit) {
          this.diagnostics.push(diag.badValue(e.span, "'.' (the current instruction) has no meaning here"));
          return undefined;
        }
        return ctx.pc;
      case 'local': {
        const list = ctx.unit?.locals.get(e.label) ?? [];
        const hit =
          e.dir === 'f'
            ? list.find((l) => l.pos > ctx.pos)
            : [...list].reverse().find((l) => l.pos < ctx.pos);
        if (!hit) {
          this.diagnostics.push(diag.undefinedLocalLabel(e.span, `${e.label}${e.dir}`));
          return undefined;
        }
        return hit.index;
      }
      case 'sym': {
        const r = this.lookup(e.name, ctx);
        if (r === 'cycle') {
          this.diagnostics.push(diag.circularEquate(e.span, e.name));
          return undefined;
        }
        if (r === undefined) {
          const looksReg = /^%?(r([0-9]|[12][0-9]|3[01])|cr[0-7])$/i.test(e.name);
          this.diagnostics.push(
            diag.undefinedSymbol(
              e.span,
              e.name,
              this.knownNames(ctx),
              'symbol',
              looksReg ? `${e.name} is a register; registers cannot be used inside expressions` : undefined,
            ),
          );
          return undefined;
        }
        return r.value;
      }
      case 'unary': {
        const v = this.evaluate(e.arg, ctx);
        if (v === undefined) return undefined;
        return e.op === '-' ? -v : e.op === '~' ? ~v : v;
      }
      case 'reloc': {
        const v = this.evaluate(e.arg, ctx);
        if (v === undefined) return undefined;
        const w = v | 0;
        if (e.op === 'l') return (w << 16) >> 16;
        if (e.op === 'h') return w >> 16;
        return (w + 0x8000) >> 16;
      }
      case 'binary': {
        const a = this.evaluate(e.left, ctx);
        const b = this.evaluate(e.right, ctx);
        if (a === undefined || b === undefined) return undefined;
        switch (e.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
          case '%':
            if (b === 0) {
              this.diagnostics.push(diag.badValue(e.right.span, 'division by zero'));
              return undefined;
            }
            return e.op === '/' ? Math.trunc(a / b) : a % b;
          case '<<':
          case '>>':
            if (b < 0 || b > 31) {
              this.diagnostics.push(diag.badValue(e.right.span, `shift count ${b} is outside 0..31`));
              return undefined;
            }
            return e.op === '<<' ? (a << b) | 0 : (a | 0) >> b;
          case '&':
            return a & b;
          case '|':
            return a | b;
          case '^':
            return a ^ b;
        }
      }
    }
  }

  private intern(table: Map<string, number>, s: string): number {
    let i = table.get(s);
    if (i === undefined) {
      i = table.size;
      table.set(s, i);
    }
    return i;
  }

  private encode(stmt: Extract<Statement, { kind: 'instr' }>, ctx: EvalContext): number[] | undefined {
    const written = stmt.mnemonic;
    const m = written.toLowerCase();
    const ops = stmt.operands;
    const at = stmt.span;

    // extended mnemonics first: `subi` is listed as an alias of addi but negates its immediate
    if (m === 'subi') {
      const def = opcodeByMnemonic('addi')!;
      if (ops.length !== 3) return this.countError(at, written, 'subi rD,rA,imm', ops.length);
      const d = this.reg(ops[0]!, written, ctx);
      const a = this.reg(ops[1]!, written, ctx);
      const v = this.imm(ops[2]!, written, ctx, {
        lo: -32767,
        hi: 32768,
        text: 'a value -32767..32768 (negated into addi)',
      });
      return d === undefined || a === undefined || v === undefined ? undefined : [def.op, d, a, -v];
    }
    if (m === 'sub') {
      if (ops.length !== 3) return this.countError(at, written, 'sub rD,rA,rB', ops.length);
      const d = this.reg(ops[0]!, written, ctx);
      const a = this.reg(ops[1]!, written, ctx);
      const b = this.reg(ops[2]!, written, ctx);
      // sub rD,rA,rB = subf rD,rB,rA (rA - rB)
      return d === undefined || a === undefined || b === undefined
        ? undefined
        : [opcodeByMnemonic('subf')!.op, d, b, a];
    }
    const move = SPR_MOVES[m];
    if (move) {
      if (ops.length !== 1)
        return this.countError(at, written, `${m} ${move.op === 'mfspr' ? 'rD' : 'rS'}`, ops.length);
      const r = this.reg(ops[0]!, written, ctx);
      return r === undefined ? undefined : [opcodeByMnemonic(move.op)!.op, r, SPR[move.spr], 0];
    }
    const def = opcodeByMnemonic(m);
    if (!def || (stmt.hint !== undefined && !def.operands.some((o) => o.kind === 'target'))) {
      const shown = stmt.hint === undefined ? written : `${written}${stmt.hint}`;
      const d = diag.unknownMnemonic(at, shown, [...allMnemonics(), ...EXTENDED_MNEMONICS]);
      if (d.hint === undefined && ops.length === 0 && stmt.hint === undefined) {
        d.hint = `if '${written}' is a label, end it with a colon: '${written}:'`;
      }
      this.diagnostics.push(d);
      return undefined;
    }
    if ((def.name === 'sync' || m === 'hwsync') && ops.length === 1) {
      // `sync L`: L=0 hwsync, L=1 lwsync, L=2 ptesync (a full sync here)
      const l = this.imm(ops[0]!, written, ctx, {
        lo: 0,
        hi: 2,
        text: '0 (hwsync), 1 (lwsync) or 2 (ptesync)',
      });
      if (l === undefined) return undefined;
      return [l === 1 ? opcodeByMnemonic('lwsync')!.op : def.op, 0, 0, 0];
    }

    const specs = def.operands;
    const hasOptional = specs[0]?.kind === 'crf?';
    const full = specs.length;
    if (!(ops.length === full || (hasOptional && ops.length === full - 1))) {
      let hint: string | undefined;
      if (specs.some((s) => s.kind === 'disp') && ops.length === 3)
        hint = `for the indexed form rD,rA,rB use ${def.name}x`;
      return this.countError(at, written, syntaxOf(def, m), ops.length, hint);
    }
    const words = [def.op, 0, 0, 0];
    const field = { a: 1, b: 2, c: 3 } as const;
    let ok = true;
    const given = hasOptional && ops.length === full - 1 ? [undefined, ...ops] : ops;
    specs.forEach((spec, i) => {
      const op = given[i];
      const v = this.operand(spec, op, def, written, ctx, words, field);
      if (v === undefined) ok = false;
    });
    return ok ? words : undefined;
  }

  private countError(at: Span, mnemonic: string, syntax: string, found: number, hint?: string): undefined {
    const d = diag.operandCount(at, mnemonic, syntax, found);
    if (hint !== undefined) d.hint = hint;
    this.diagnostics.push(d);
    return undefined;
  }

  private operand(
    spec: OperandSpec,
    op: Operand | undefined,
    def: OpcodeDef,
    written: string,
    ctx: EvalContext,
    words: number[],
    field: { a: 1; b: 2; c: 3 },
  ): number | undefined {
    const put = (v: number | undefined, f = spec.field) => {
      if (v !== undefined) words[field[f]] = v;
      return v;
    };
    if (op === undefined) return put(0); // omitted crN: cr0
    switch (spec.kind) {
      case 'reg':
        return put(this.reg(op, written, ctx, REG_TO_IMM[def.name]));
      case 'crf?':
        return put(this.crf(op, written, ctx));
      case 'imm':
        return put(this.imm(op, written, ctx, IMM_RANGES[def.name] ?? I32, def.name));
      case 'disp':
        return this.disp(op, written, ctx, words, field, spec);
      case 'target':
        return put(this.target(op, written, ctx));
      case 'spr':
        return put(this.spr(op, written, ctx));
      case 'str':
        if (op.kind !== 'str') {
          this.diagnostics.push(diag.badOperand(op.span, written, 'a quoted string "..."', describe(op)));
          return undefined;
        }
        return put(this.intern(this.strings, op.value));
      case 'counter':
        if (op.kind !== 'expr' || op.expr.kind !== 'sym') {
          this.diagnostics.push(
            diag.badOperand(op.span, written, 'a counter name (an identifier)', describe(op)),
          );
          return undefined;
        }
        return put(this.intern(this.counters, op.expr.name));
    }
  }

  private reg(op: Operand, written: string, ctx: EvalContext, immForm?: string): number | undefined {
    if (op.kind === 'reg') {
      if (op.reg <= 31) return op.reg;
      this.diagnostics.push(diag.badOperand(op.span, written, 'a register r0..r31', `r${op.reg}`));
      return undefined;
    }
    if (op.kind === 'expr') {
      // GNU as accepts a bare register number (`li 3,1`)
      const v = this.evaluate(op.expr, ctx);
      if (v === undefined) return undefined;
      if (Number.isInteger(v) && v >= 0 && v <= 31) return v;
      this.diagnostics.push(
        diag.badOperand(
          op.span,
          written,
          'a register r0..r31',
          `the value ${v}`,
          immForm ? `for an immediate operand use ${immForm}` : undefined,
        ),
      );
      return undefined;
    }
    const hint =
      op.kind === 'disp'
        ? `${written} takes registers; for a memory operand D(rA) use the non-indexed form`
        : undefined;
    this.diagnostics.push(diag.badOperand(op.span, written, 'a register r0..r31', describe(op), hint));
    return undefined;
  }

  private crf(op: Operand, written: string, ctx: EvalContext): number | undefined {
    if (op.kind === 'crf') return op.crf;
    if (op.kind === 'expr') {
      const v = this.evaluate(op.expr, ctx);
      if (v === undefined) return undefined;
      if (Number.isInteger(v) && v >= 0 && v <= 7) return v;
      this.diagnostics.push(
        diag.badOperand(op.span, written, 'a condition register field cr0..cr7', `the value ${v}`),
      );
      return undefined;
    }
    this.diagnostics.push(
      diag.badOperand(op.span, written, 'a condition register field cr0..cr7', describe(op)),
    );
    return undefined;
  }

  private imm(
    op: Operand,
    written: string,
    ctx: EvalContext,
    range: Range,
    canonical?: string,
  ): number | undefined {
    if (op.kind !== 'expr') {
      const regForm = canonical ? IMM_TO_REG[canonical] : undefined;
      const hint =
        op.kind === 'reg' && regForm
          ? `${written} takes an immediate; the register form is ${regForm}`
          : undefined;
      this.diagnostics.push(diag.badOperand(op.span, written, 'an immediate value', describe(op), hint));
      return undefined;
    }
    const v = this.evaluate(op.expr, ctx);
    if (v === undefined) return undefined;
    if (v < range.lo || v > range.hi) {
      this.diagnostics.push(diag.immediateRange(op.span, written, v, range.text, rangeHint(canonical, v)));
      return undefined;
    }
    return range === I32 ? v | 0 : v;
  }

  private disp(
    op: Operand,
    written: string,
    ctx: EvalContext,
    words: number[],
    field: { a: 1; b: 2; c: 3 },
    spec: OperandSpec,
  ): number | undefined {
    let dExpr: Expr;
    let base: number | undefined = 0;
    if (op.kind === 'disp') {
      dExpr = op.disp;
      base = this.reg(op.base, written, ctx);
    } else if (op.kind === 'expr') {
      // a bare address means D(0): absolute addressing, as (rA|0) reads 0 for r0
      dExpr = op.expr;
    } else {
      const hint = op.kind === 'reg' ? `write 0(r${op.reg}) to use r${op.reg} as the address` : undefined;
      this.diagnostics.push(diag.badOperand(op.span, written, 'a memory operand D(rA)', describe(op), hint));
      return undefined;
    }
    const d = this.evaluate(dExpr, ctx);
    if (d === undefined || base === undefined) return undefined;
    if (d < I32.lo || d > I32.hi) {
      this.diagnostics.push(diag.immediateRange(dExpr.span, written, d, 'a 32-bit displacement'));
      return undefined;
    }
    words[field[spec.field]] = d | 0;
    words[field[spec.base!]] = base;
    return d;
  }

  private target(op: Operand, written: string, ctx: EvalContext): number | undefined {
    if (op.kind !== 'expr') {
      this.diagnostics.push(diag.badOperand(op.span, written, 'a code label', describe(op)));
      return undefined;
    }
    const e = op.expr;
    if (e.kind === 'sym') {
      const r = this.lookup(e.name, ctx);
      if (r !== undefined && r !== 'cycle' && (r.category === 'memory' || r.category === 'field')) {
        this.diagnostics.push(
          diag.notALabel(e.span, e.name, r.category === 'memory' ? 'memory symbol' : 'per-thread field'),
        );
        return undefined;
      }
      if (r === undefined) {
        const labels = [...this.globalLabels.keys(), ...(ctx.unit?.scoped.keys() ?? [])];
        this.diagnostics.push(diag.undefinedSymbol(e.span, e.name, labels, 'label'));
        return undefined;
      }
    }
    const v = this.evaluate(e, ctx);
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || v < 0 || v >= this.nInstr) {
      this.diagnostics.push(diag.branchRange(op.span, v, this.nInstr));
      return undefined;
    }
    return v;
  }

  private spr(op: Operand, written: string, ctx: EvalContext): number | undefined {
    const names = Object.keys(SPR);
    const expected = `an SPR (${names.join(' ')}, SPRN_name or number)`;
    if (op.kind !== 'expr') {
      this.diagnostics.push(diag.badOperand(op.span, written, expected, describe(op)));
      return undefined;
    }
    if (op.expr.kind === 'sym') {
      const key = op.expr.name.toUpperCase().replace(/^SPRN_/, '');
      if (key in SPR) return SPR[key as keyof typeof SPR];
      if (this.lookup(op.expr.name, ctx) === undefined) {
        const near = closest(key, names);
        const d = diag.badOperand(
          op.span,
          written,
          expected,
          `'${op.expr.name}'`,
          near ? `did you mean '${near}'?` : undefined,
        );
        d.message = `unknown special purpose register '${op.expr.name}'`;
        this.diagnostics.push(d);
        return undefined;
      }
    }
    const v = this.evaluate(op.expr, ctx);
    if (v === undefined) return undefined;
    if (!Object.values(SPR).includes(v as never)) {
      const d = diag.badOperand(
        op.span,
        written,
        expected,
        `SPR number ${v}`,
        'only the SPRs listed are modelled',
      );
      d.message = `special purpose register ${v} is not modelled`;
      this.diagnostics.push(d);
      return undefined;
    }
    return v;
  }
}

function describe(op: Operand): string {
  switch (op.kind) {
    case 'reg':
      return `register r${op.reg}`;
    case 'crf':
      return `condition field cr${op.crf}`;
    case 'str':
      return 'a string';
    case 'disp':
      return 'a memory operand D(rA)';
    case 'expr':
      return op.expr.kind === 'sym' ? `'${op.expr.name}'` : 'an expression';
  }
}

function rangeHint(canonical: string | undefined, v: number): string | undefined {
  const w = v | 0;
  const hi = (w >>> 16) & 0xffff;
  const lo = w & 0xffff;
  switch (canonical) {
    case 'li':
      return v >= -0x80000000 && v <= 0xffffffff
        ? lo === 0
          ? `to load this value use 'lis rD,${hex(hi)}'`
          : `to load a 32-bit value use 'lis rD,${hex(hi)}' then 'ori rD,rD,${hex(lo)}'`
        : undefined;
    case 'addi':
      return "add the high half with 'addis', or load the value (lis + ori) and use add";
    case 'cmpwi':
      return 'load the value into a register (lis + ori) and use cmpw';
    case 'mulli':
      return 'load the value into a register (lis + ori) and use mullw';
    case 'ori':
    case 'xori':
    case 'andi.':
    case 'cmplwi':
      if (v < 0 && v >= -0x8000)
        return `the immediate is unsigned: write ${hex(v & 0xffff)} for the low 16 bits`;
      return `load the value into a register (lis + ori) and use ${IMM_TO_REG[canonical]}`;
    case 'lis':
    case 'addis':
      return 'the immediate is the high 16 bits of the result';
    default:
      return undefined;
  }
}

/** Assemble units into code (throws `AsmError` with every diagnostic). */
export function assemble(units: AsmUnit[], env: SymbolEnv = {}): AssembledCode {
  const a = new Assembler(units, env);
  const out = a.assemble();
  throwIfErrors(sortDiagnostics(a.diagnostics));
  return out;
}
