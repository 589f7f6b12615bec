/**
 * POWER assembly parser: tokens -> `AsmFile` (statements). Operand *meaning* (register, immediate,
 * target...) is decided later by the assembler from the opcode table; the parser only records the
 * shape of each operand, so one grammar serves every mnemonic.
 */

import type { AsmFile, Expr, Operand, Statement } from './ast.js';
import * as A from './ast.js';
import { AsmError, type Diagnostic, diag, type Span, sortDiagnostics } from './diagnostics.js';
import { type Origin, type Token, tokenize } from './lexer.js';

/** Directives accepted and ignored: they only matter to a real linker. */
export const IGNORED_DIRECTIVES = [
  '.globl',
  '.global',
  '.text',
  '.section',
  '.align',
  '.balign',
  '.p2align',
  '.type',
  '.size',
  '.machine',
  '.abiversion',
  '.file',
  '.ident',
  '.previous',
  '.weak',
  '.hidden',
  '.local',
];
export const EQUATE_DIRECTIVES = ['.set', '.equ'];

const REG = /^%?r([0-9]|[12][0-9]|3[01])$/i;
/** `r40` is still a register operand, so the assembler can say it is out of range */
const REG_LIKE = /^%?r([0-9]+)$/i;
const CRF = /^%?cr([0-7])$/i;

/** `r3`, `%r3` -> 3; anything else -> undefined. */
export function registerNumber(name: string): number | undefined {
  const m = REG.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function crfNumber(name: string): number | undefined {
  const m = CRF.exec(name);
  return m ? Number(m[1]) : undefined;
}

class ParseFail extends Error {}

class Parser {
  private pos = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly toks: Token[],
  ) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private span(t: Token): Span {
    return { file: this.file, line: t.line, col: t.col, endCol: t.endCol };
  }
  private spanFrom(first: Token, last: Token): Span {
    if (first.line !== last.line) return this.span(first);
    return { file: this.file, line: first.line, col: first.col, endCol: last.endCol };
  }
  private atEnd(t = this.peek()): boolean {
    return t.kind === 'sep' || t.kind === 'eof';
  }
  private isPunct(text: string, t = this.peek()): boolean {
    return t.kind === 'punct' && t.text === text;
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'sep') return t.text === ';' ? "';'" : 'end of line';
    if (t.kind === 'str') return 'a string';
    return `'${t.text}'`;
  }
  private fail(t: Token, message: string, expected?: string, hint?: string): never {
    this.diagnostics.push(diag.syntax(this.span(t), message, expected, this.describe(t), hint));
    throw new ParseFail();
  }
  private skipStatement(): void {
    while (!this.atEnd()) this.next();
  }

  parseFile(): Statement[] {
    const out: Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'sep') {
        this.next();
        continue;
      }
      try {
        this.parseStatement(out);
        if (!this.atEnd()) this.fail(this.peek(), 'unexpected text after the statement', 'end of statement');
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e;
        this.skipStatement();
      }
    }
    return out;
  }

  private parseStatement(out: Statement[]): void {
    // labels: `name:` and `1:`, several may precede one statement
    for (;;) {
      const t = this.peek();
      if ((t.kind === 'ident' || t.kind === 'num') && this.isPunct(':', this.peek(1))) {
        this.next();
        this.next();
        if (t.kind === 'num') out.push(A.label(String(t.value), true, this.span(t)));
        else out.push(A.label(t.text, false, this.span(t)));
        continue;
      }
      break;
    }
    if (this.atEnd()) return;
    const t = this.peek();
    if (t.kind !== 'ident') {
      this.fail(t, 'expected an instruction, a label or a directive', 'a mnemonic');
    }
    if (this.isPunct('=', this.peek(1))) {
      this.next();
      this.next();
      out.push(A.equate(t.text, this.parseExpr(), this.span(t)));
      return;
    }
    if (t.text.startsWith('.') && t.text.length > 1) {
      this.next();
      const name = t.text.toLowerCase();
      if (EQUATE_DIRECTIVES.includes(name)) {
        const n = this.next();
        if (n.kind !== 'ident') this.fail(n, `expected a symbol name after ${name}`, 'a name');
        if (!this.isPunct(',')) this.fail(this.peek(), `expected ',' after the name in ${name}`, "','");
        this.next();
        out.push(A.equate(n.text, this.parseExpr(), this.span(n)));
        return;
      }
      if (IGNORED_DIRECTIVES.includes(name)) {
        this.skipStatement();
        out.push(A.directive(name, this.span(t)));
        return;
      }
      this.diagnostics.push(
        diag.unknownDirective(this.span(t), t.text, [...IGNORED_DIRECTIVES, ...EQUATE_DIRECTIVES]),
      );
      throw new ParseFail();
    }
    this.next();
    let hint: '+' | '-' | undefined;
    let mnemonicEnd = t;
    const h = this.peek();
    // `beq+ label`: a prediction suffix touches the mnemonic and is followed by a space
    if (
      h.kind === 'punct' &&
      (h.text === '+' || h.text === '-') &&
      !h.space &&
      (this.peek(1).space || this.atEnd(this.peek(1)))
    ) {
      hint = h.text;
      mnemonicEnd = this.next();
    }
    const operands: Operand[] = [];
    if (!this.atEnd()) {
      for (;;) {
        operands.push(this.parseOperand());
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        if (this.atEnd()) break;
        this.fail(this.peek(), 'expected a comma between operands', "',' or end of statement");
      }
    }
    out.push(A.instr(t.text, operands, this.spanFrom(t, mnemonicEnd), hint));
  }

  private parseOperand(): Operand {
    const t = this.peek();
    if (t.kind === 'str') {
      this.next();
      return A.strOp(t.text, this.span(t));
    }
    const follow = this.peek(1);
    const standalone = this.atEnd(follow) || this.isPunct(',', follow);
    if (t.kind === 'ident' && standalone) {
      const r = REG_LIKE.exec(t.text);
      if (r !== null) {
        this.next();
        return A.regOp(Number(r[1]), this.span(t));
      }
      const c = crfNumber(t.text);
      if (c !== undefined) {
        this.next();
        return A.crfOp(c, this.span(t));
      }
    }
    if (this.atEnd(t) || this.isPunct(',', t)) this.fail(t, 'missing operand', 'an operand');
    const first = t;
    const expr = this.parseExpr();
    if (this.isPunct('(')) {
      this.next();
      const b = this.peek();
      let base: Operand;
      const r = b.kind === 'ident' ? REG_LIKE.exec(b.text) : null;
      if (r !== null) {
        this.next();
        base = A.regOp(Number(r[1]), this.span(b));
      } else {
        const e = this.parseExpr();
        base = A.exprOp(e, e.span);
      }
      const close = this.peek();
      if (!this.isPunct(')')) this.fail(close, "expected ')' after the base register", "')'");
      this.next();
      return A.dispOp(expr, base, this.spanFrom(first, close));
    }
    return A.exprOp(expr, this.spanFrom(first, this.toks[this.pos - 1]!));
  }

  parseExpr(): Expr {
    return this.binaryLevel(0);
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof')
      this.fail(this.peek(), 'unexpected text after the expression', 'end of text');
  }

  private static readonly LEVELS: string[][] = [
    ['|'],
    ['^'],
    ['&'],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binaryLevel(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unaryExpr();
    let left = this.binaryLevel(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !Parser.LEVELS[level]!.includes(t.text)) return left;
      this.next();
      const right = this.binaryLevel(level + 1);
      left = A.binary(t.text as A.BinaryOp, left, right, A.joinSpans(left.span, right.span));
    }
  }

  private unaryExpr(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '~')) {
      this.next();
      const arg = this.unaryExpr();
      return A.unary(t.text as A.UnaryOp, arg, A.joinSpans(this.span(t), arg.span));
    }
    const p = this.primary();
    if (this.isPunct('@')) {
      this.next();
      const r = this.next();
      const op = r.text.toLowerCase();
      if (r.kind !== 'ident' || !['l', 'h', 'ha'].includes(op)) {
        this.fail(r, 'unknown relocation suffix', "'@l', '@h' or '@ha'");
      }
      return A.reloc(op as A.RelocOp, p, A.joinSpans(p.span, this.span(r)));
    }
    return p;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return A.num(t.value, this.span(t));
    }
    if (t.kind === 'local') {
      this.next();
      return A.localRef(t.value, t.text.endsWith('f') ? 'f' : 'b', this.span(t));
    }
    if (t.kind === 'ident') {
      this.next();
      if (t.text === '.') return A.dot(this.span(t));
      return A.sym(t.text, this.span(t));
    }
    if (this.isPunct('(')) {
      this.next();
      const e = this.parseExpr();
      const close = this.peek();
      if (!this.isPunct(')')) this.fail(close, "expected ')'", "')'");
      this.next();
      return { ...e, span: A.joinSpans(this.span(t), this.span(close)) };
    }
    if (t.kind === 'str') this.fail(t, 'a string cannot be used in an expression', 'a number or a symbol');
    return this.fail(t, 'expected an expression', 'a number, a symbol or a label');
  }
}

/** Parse without throwing: the statements that parsed, and every diagnostic. */
export function parseAssemblyRecover(
  file: string,
  text: string,
  origin?: Origin,
): { ast: AsmFile; diagnostics: Diagnostic[] } {
  const lex = tokenize(file, text, origin);
  const p = new Parser(file, lex.tokens);
  const statements = p.parseFile();
  // a bad character or number already explains its line; the parser's complaint would only echo it
  const lexLines = new Set(lex.diagnostics.map((d) => d.line));
  const parseDiags = p.diagnostics.filter((d) => !lexLines.has(d.line));
  return { ast: { file, statements }, diagnostics: sortDiagnostics([...lex.diagnostics, ...parseDiags]) };
}

/**
 * Parse POWER assembly. `origin` places the text inside a larger file (litmus cells), so that
 * positions point into that file. Throws `AsmError` with every syntax error found.
 */
export function parseAssembly(file: string, text: string, origin?: Origin): AsmFile {
  const r = parseAssemblyRecover(file, text, origin);
  if (r.diagnostics.length > 0) throw new AsmError(r.diagnostics);
  return r.ast;
}

/** Parse one expression (used for symbolic values in an `ImageSpec`). */
export function parseExpression(file: string, text: string): { expr?: Expr; diagnostics: Diagnostic[] } {
  const lex = tokenize(file, text);
  const p = new Parser(file, lex.tokens);
  try {
    const expr = p.parseExpr();
    p.expectEnd();
    return { expr, diagnostics: [...lex.diagnostics, ...p.diagnostics] };
  } catch (e) {
    if (!(e instanceof ParseFail)) throw e;
    return { diagnostics: [...lex.diagnostics, ...p.diagnostics] };
  }
}
