/**
 * @naplab/asm: POWER assembly and PPC litmus front ends. Text -> AST -> encoded instructions ->
 * `Image` (via `linkImage` / `litmusToImage`), with coded diagnostics and a printer/listing.
 */

export {
  type AsmUnit,
  type AssembledCode,
  assemble,
  EXTENDED_MNEMONICS,
  type SymbolEnv,
  syntaxOf,
} from './assembler.js';
export type { AsmFile, BinaryOp, Expr, Operand, RelocOp, Statement, UnaryOp } from './ast.js';
export * as ast from './ast.js';
export {
  AsmError,
  closest,
  DIAGNOSTIC_CODES,
  type Diagnostic,
  editDistance,
  renderDiagnostic,
  type Severity,
  type Span,
} from './diagnostics.js';
export { linkImage } from './linker.js';
export {
  evalCondition,
  formatFinalState,
  type LitmusInit,
  type LitmusObservation,
  type LitmusTest,
  type LitmusThread,
  type LitmusValue,
  litmusAddresses,
  litmusToImage,
  type Prop,
  parseLitmus,
  type Quantifier,
  verdictOf,
} from './litmus.js';
export { parseAssembly, parseExpression, registerNumber } from './parser.js';
export { listing, printInstruction, printProgram, quoteString } from './printer.js';
export type { GlobalVar, ImageSpec, PerThreadField, SourceFile, ThreadSpec } from './spec.js';
