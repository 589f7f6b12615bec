/**
 * Tokenizer for POWER assembly (GNU as dialect). Comments (`#` and `//` to end of line, `/* *\/`
 * across lines) are dropped; newlines and `;` come out as statement separators.
 */
import { type Diagnostic, diag, type Span } from './diagnostics.js';

export type TokenKind = 'ident' | 'num' | 'local' | 'str' | 'punct' | 'sep' | 'eof';

export interface Token {
  kind: TokenKind;
  /** the text as written (for `str`: the decoded value; for `sep`: `\n` or `;`) */
  text: string;
  /** `num`: its value; `local`: the label number */
  value: number;
  line: number;
  col: number;
  endCol: number;
  /** whitespace (or a line start) precedes this token */
  space: boolean;
}

/** Where the text starts inside its file (litmus cells are parsed in place). */
export interface Origin {
  line: number;
  col: number;
}

const PREPROCESSOR = /^#(define|include|if|ifdef|ifndef|endif|else|elif|undef|error|pragma)\b/;
const IDENT_START = /[A-Za-z_.$]/;
const IDENT_CHAR = /[A-Za-z0-9_.$]/;
const PUNCT2 = ['<<', '>>'];
const PUNCT1 = ',()[]:=+-*/%&|^~@';

export function tokenize(
  file: string,
  text: string,
  origin: Origin = { line: 1, col: 1 },
): {
  tokens: Token[];
  diagnostics: Diagnostic[];
} {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  let line = origin.line;
  // column of text[i] is i - lineStart + colBase
  let lineStart = 0;
  let colBase = origin.col;
  let space = true;
  const col = (at: number) => at - lineStart + colBase;
  const span = (from: number, to: number): Span => ({ file, line, col: col(from), endCol: col(to) });
  const push = (kind: TokenKind, txt: string, from: number, to: number, value = 0) => {
    tokens.push({ kind, text: txt, value, line, col: col(from), endCol: col(to), space });
    space = false;
  };
  const newline = () => {
    line++;
    lineStart = i;
    colBase = 1;
    space = true;
  };
  const lineEnd = (from: number) => {
    const e = text.indexOf('\n', from);
    return e < 0 ? text.length : e;
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      push('sep', '\n', i, i + 1);
      i++;
      newline();
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
      space = true;
      continue;
    }
    if (ch === '#') {
      const end = lineEnd(i);
      const rest = text.slice(i, end).replace(/\r$/, '');
      if (PREPROCESSOR.test(rest)) diagnostics.push(diag.preprocessor(span(i, i + rest.length), rest));
      i = end;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      i = lineEnd(i);
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const startSpan = span(i, i + 2);
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? text.length : close + 2;
      // a comment spanning lines still separates statements, as a newline would
      let sawNewline = false;
      for (let k = i; k < stop; k++) {
        if (text[k] === '\n') {
          i = k + 1;
          newline();
          sawNewline = true;
        }
      }
      if (sawNewline) {
        const last = tokens[tokens.length - 1];
        if (last === undefined || last.kind !== 'sep') {
          tokens.push({ kind: 'sep', text: '\n', value: 0, line, col: col(i), endCol: col(i), space: true });
        }
      }
      i = stop;
      space = true;
      if (close < 0) diagnostics.push(diag.unterminated(startSpan, 'comment'));
      continue;
    }
    if (ch === ';') {
      push('sep', ';', i, i + 1);
      i++;
      space = true;
      continue;
    }
    if (ch === '"') {
      const start = i;
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length && text[j] !== '\n') {
        const c = text[j]!;
        if (c === '"') {
          closed = true;
          j++;
          break;
        }
        if (c === '\\' && j + 1 < text.length && text[j + 1] !== '\n') {
          const e = text[j + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      // an unterminated string still becomes a token, so the statement parses without a second error
      if (!closed) diagnostics.push(diag.unterminated(span(start, start + 1), 'string'));
      push('str', value, start, j);
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const start = i;
      let j = i;
      let value: number;
      if (
        ch === '0' &&
        (text[i + 1] === 'x' || text[i + 1] === 'X') &&
        /[0-9a-fA-F]/.test(text[i + 2] ?? '')
      ) {
        j = i + 2;
        while (j < text.length && /[0-9a-fA-F]/.test(text[j]!)) j++;
        value = Number.parseInt(text.slice(i + 2, j), 16);
      } else {
        while (j < text.length && /[0-9]/.test(text[j]!)) j++;
        value = Number.parseInt(text.slice(i, j), 10);
        const suffix = text[j];
        if ((suffix === 'f' || suffix === 'b') && !IDENT_CHAR.test(text[j + 1] ?? '')) {
          push('local', text.slice(i, j + 1), start, j + 1, value);
          i = j + 1;
          continue;
        }
      }
      if (IDENT_CHAR.test(text[j] ?? '')) {
        let k = j;
        while (k < text.length && IDENT_CHAR.test(text[k]!)) k++;
        diagnostics.push(
          diag.syntax(
            span(start, k),
            'malformed number',
            'a decimal or 0x hex number',
            `'${text.slice(start, k)}'`,
          ),
        );
        i = k;
        space = false;
        continue;
      }
      if (!Number.isSafeInteger(value)) {
        diagnostics.push(
          diag.syntax(span(start, j), 'number too large', 'a 32-bit value', text.slice(start, j)),
        );
        value = 0;
      }
      push('num', text.slice(start, j), start, j, value);
      i = j;
      continue;
    }
    // `%r3` / `%cr7`: GNU as register prefix; otherwise `%` is the remainder operator
    if (ch === '%' && /^%(r\d+|cr\d)\b/i.test(text.slice(i, i + 5))) {
      const start = i;
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j]!)) j++;
      push('ident', text.slice(start, j), start, j);
      i = j;
      continue;
    }
    if (IDENT_START.test(ch)) {
      const start = i;
      let j = i;
      while (j < text.length && IDENT_CHAR.test(text[j]!)) j++;
      // per-thread symbols are named `FIELD@cpuN`; any other `@` is a relocation suffix
      const at = /^@cpu\d+/.exec(text.slice(j, j + 12));
      if (at !== null && !IDENT_CHAR.test(text[j + at[0].length] ?? '')) j += at[0].length;
      push('ident', text.slice(start, j), start, j);
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push('punct', two, i, i + 2);
      i += 2;
      continue;
    }
    if (PUNCT1.includes(ch)) {
      push('punct', ch, i, i + 1);
      i++;
      continue;
    }
    diagnostics.push(diag.syntax(span(i, i + 1), `unexpected character '${ch}'`));
    i++;
    space = false;
  }
  tokens.push({ kind: 'eof', text: '', value: 0, line, col: col(i), endCol: col(i) + 1, space: true });
  return { tokens, diagnostics };
}
