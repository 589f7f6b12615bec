/**
 * The assembly AST: discriminated unions with small constructor functions. Every node carries the
 * span it came from, so the assembler can point diagnostics at the exact operand.
 */
import type { Span } from './diagnostics.js';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';
export type UnaryOp = '-' | '+' | '~';
/** GNU-as relocation suffixes: `sym@l` (low half, sign-extended), `sym@h` (high half), `sym@ha` (high adjusted) */
export type RelocOp = 'l' | 'h' | 'ha';

export type Expr =
  | { kind: 'num'; value: number; span: Span }
  | { kind: 'sym'; name: string; span: Span }
  /** GNU-as local label reference `1f` / `1b` */
  | { kind: 'local'; label: number; dir: 'f' | 'b'; span: Span }
  /** `.`: the index of the current instruction */
  | { kind: 'dot'; span: Span }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'reloc'; op: RelocOp; arg: Expr; span: Span };

export type Operand =
  | { kind: 'reg'; reg: number; span: Span }
  | { kind: 'crf'; crf: number; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'expr'; expr: Expr; span: Span }
  /** `D(rA)`; the base is a register or an expression (GNU as accepts `0(3)`) */
  | { kind: 'disp'; disp: Expr; base: Operand; span: Span };

export type Statement =
  /** `name:` or a GNU-as local label `1:` (`local` set, `name` the digits) */
  | { kind: 'label'; name: string; local: boolean; span: Span }
  /** an instruction as written; `hint` is a branch-prediction suffix (`beq+`), accepted and ignored */
  | { kind: 'instr'; mnemonic: string; hint?: '+' | '-'; operands: Operand[]; span: Span }
  /** `.set NAME, expr`, `.equ NAME, expr` or `NAME = expr` */
  | { kind: 'equate'; name: string; expr: Expr; span: Span }
  /** a directive accepted and ignored (`.globl`, `.section`...) */
  | { kind: 'directive'; name: string; span: Span };

/** One parsed source file. */
export interface AsmFile {
  file: string;
  statements: Statement[];
}

export const num = (value: number, span: Span): Expr => ({ kind: 'num', value, span });
export const sym = (name: string, span: Span): Expr => ({ kind: 'sym', name, span });
export const localRef = (label: number, dir: 'f' | 'b', span: Span): Expr => ({
  kind: 'local',
  label,
  dir,
  span,
});
export const dot = (span: Span): Expr => ({ kind: 'dot', span });
export const unary = (op: UnaryOp, arg: Expr, span: Span): Expr => ({ kind: 'unary', op, arg, span });
export const binary = (op: BinaryOp, left: Expr, right: Expr, span: Span): Expr => ({
  kind: 'binary',
  op,
  left,
  right,
  span,
});
export const reloc = (op: RelocOp, arg: Expr, span: Span): Expr => ({ kind: 'reloc', op, arg, span });

export const regOp = (reg: number, span: Span): Operand => ({ kind: 'reg', reg, span });
export const crfOp = (crf: number, span: Span): Operand => ({ kind: 'crf', crf, span });
export const strOp = (value: string, span: Span): Operand => ({ kind: 'str', value, span });
export const exprOp = (expr: Expr, span: Span): Operand => ({ kind: 'expr', expr, span });
export const dispOp = (disp: Expr, base: Operand, span: Span): Operand => ({
  kind: 'disp',
  disp,
  base,
  span,
});

export const label = (name: string, local: boolean, span: Span): Statement => ({
  kind: 'label',
  name,
  local,
  span,
});
export const instr = (mnemonic: string, operands: Operand[], span: Span, hint?: '+' | '-'): Statement =>
  hint === undefined
    ? { kind: 'instr', mnemonic, operands, span }
    : { kind: 'instr', mnemonic, hint, operands, span };
export const equate = (name: string, expr: Expr, span: Span): Statement => ({
  kind: 'equate',
  name,
  expr,
  span,
});
export const directive = (name: string, span: Span): Statement => ({ kind: 'directive', name, span });

/** Join two spans on the same line into one covering both (falls back to the first). */
export function joinSpans(a: Span, b: Span): Span {
  if (a.line !== b.line) return a;
  return {
    file: a.file,
    line: a.line,
    col: a.col,
    endCol: Math.max(a.endCol ?? a.col + 1, b.endCol ?? b.col + 1),
  };
}
