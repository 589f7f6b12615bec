/**
 * Diagnostics: the one module that constructs every error the front ends report.
 *
 * Each code is stable (users search for it; `docs/errors.md` documents it with an example and a
 * fix). Ranges are 1-based: `line`, `col`, and `endCol` (exclusive) on the same line. A diagnostic
 * about an `ImageSpec` field, not about source text, has `line = 0` and names the field in its
 * message.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
  /** exclusive end column on `line` (defaults to `col + 1`) */
  endCol?: number;
  expected?: string;
  found?: string;
  hint?: string;
}

/** A source position (or range on one line) that a diagnostic points at. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endCol?: number;
}

/** Every code with a title and the fix users need; `docs/errors.md` is generated from this table. */
export const DIAGNOSTIC_CODES: Readonly<Record<string, { title: string; fix: string }>> = {
  NAP100: {
    title: 'syntax error',
    fix: 'Check the statement against the syntax `label: mnemonic op1,op2 # comment`. Separate operands with commas and statements with `;` or a newline.',
  },
  NAP101: {
    title: 'unknown mnemonic',
    fix: 'Use a mnemonic from the instruction table (`OPCODES` in `@naplab/isa`, summarised in MACHINE.md section 3). The hint names the closest one, or says how to express an unmodelled real POWER instruction.',
  },
  NAP102: {
    title: 'bad operand',
    fix: 'Give the operand the instruction expects: a register `r3`, an immediate expression, a displacement `D(rA)`, a condition field `crN`, a code label, an SPR name, a quoted string or a counter name.',
  },
  NAP103: {
    title: 'undefined label or symbol',
    fix: 'Define the label (`name:`), the equate (`.set NAME, value` or `ImageSpec.defines`), the per-thread field (`ImageSpec.perThread`) or the global (`ImageSpec.globals`); local labels `1f`/`1b` need a `1:` after/before the reference in the same file.',
  },
  NAP104: {
    title: 'duplicate label or symbol',
    fix: 'Rename one of the two definitions. Code labels are global across all sources of an image; use GNU-as local labels (`1:`, `1f`, `1b`) for branch targets that repeat.',
  },
  NAP105: {
    title: 'value out of range',
    fix: 'Keep immediates inside the instruction field (signed 16-bit for `li addi cmpwi mulli`, unsigned 16-bit for `ori xori andi. cmplwi`, either for `lis addis`) and branch targets inside the code. Build a 32-bit constant with `lis` + `ori`.',
  },
  NAP106: {
    title: 'unterminated comment or string',
    fix: 'Close the `/*` comment with `*/`, or the string with a `"` on the same line.',
  },
  NAP107: {
    title: 'wrong number of operands',
    fix: 'Give exactly the operands shown in the expected syntax (an optional `crN` first operand is allowed for compares and conditional branches).',
  },
  NAP108: {
    title: 'unknown directive',
    fix: 'Only `.set`, `.equ`, `NAME = expr` and the ignored layout directives (`.globl .global .text .section .align .balign .p2align .type .size .machine .abiversion .file .ident .previous .weak .hidden .local`) are understood. Data lives in `ImageSpec.globals` and `ImageSpec.perThread`, not in `.long`.',
  },
  NAP109: {
    title: 'C preprocessor line',
    fix: 'The assembler does not run cpp. Replace `#define NAME value` with `.set NAME, value` (or put the constant in `ImageSpec.defines`) and drop `#include`/`#if` lines.',
  },
  NAP110: {
    title: 'invalid expression value',
    fix: 'Avoid dividing by zero and shifting by negative amounts in expressions.',
  },
  NAP111: {
    title: 'circular equate',
    fix: 'An equate may not depend on itself; define one of the names with a literal value.',
  },
  NAP201: {
    title: 'missing or malformed litmus header',
    fix: 'The first line of a litmus test is `PPC NAME` (optionally followed by an alias in parentheses, e.g. `PPC MP+syncs (MP1)`). naplab reads PPC tests only.',
  },
  NAP202: {
    title: 'bad init block',
    fix: 'Write the init block as `{ 0:r2=x; 1:r4=y; x=1; }`: thread registers `P:rN=value` (a location name gives its address), locations `x=value` or `[x]=value`, each ended by `;`.',
  },
  NAP203: {
    title: 'thread table row has the wrong number of columns',
    fix: 'Every row of the thread table has one cell per thread, cells separated by `|`, and ends with `;`. Leave a cell empty (spaces) when a thread has no instruction on that row.',
  },
  NAP204: {
    title: 'bad condition',
    fix: 'Write the final condition as `exists (...)`, `~exists (...)` or `forall (...)` over `P:rN=v`, `x=v` or `[x]=v`, combined with `/\\`, `\\/`, `~` and parentheses.',
  },
  NAP205: {
    title: 'unknown thread',
    fix: 'Thread numbers in the init block and the condition must name a column of the thread table (`P0` is thread 0).',
  },
  NAP206: {
    title: 'bad thread table header',
    fix: 'After the init block comes the header `P0 | P1 | ... ;` naming the threads in order, from `P0`.',
  },
  NAP207: {
    title: 'missing condition',
    fix: 'End the test with a final condition: `exists (...)`, `~exists (...)` or `forall (...)`.',
  },
  NAP208: {
    title: 'bad locations clause',
    fix: 'Write `locations [x; y;]`: location names, each followed by `;`.',
  },
  NAP209: {
    title: 'bad register',
    fix: 'Registers in the init block and the condition are general purpose registers `r0` .. `r31`.',
  },
  NAP210: {
    title: 'duplicate initialisation',
    fix: 'Initialise each register and location once in the init block.',
  },
  NAP301: {
    title: 'unknown label or symbol in the image spec',
    fix: 'Name a label defined in one of the sources (thread entries, vectors), or a symbol (register initial values, `init` strings, `observe`).',
  },
  NAP302: {
    title: 'invalid thread in the image spec',
    fix: 'A running thread needs an `entry` label; registers are 0..31; `pending` is a mask of PEND_* bits (0..7); an image has 1..64 threads and `threadsPerCore` is 1..8.',
  },
  NAP303: {
    title: 'invalid event in the image spec',
    fix: 'An event has `kind` `doorbell`, `external` or `decrementer`, a `cpu` that is one of the threads, and a `count` of 0..1000.',
  },
  NAP304: {
    title: 'duplicate memory symbol',
    fix: 'Give every global and every per-thread field a distinct name.',
  },
  NAP305: {
    title: 'invalid value in the image spec',
    fix: 'Initial values are 32-bit integers; a global has a positive integer size and at most `size` initial values; `observe` names a register 0..31 of an existing thread or a memory symbol; limits are positive integers.',
  },
  NAP306: {
    title: 'image too large',
    fix: 'An image holds at most 2^20 memory cells and 2^20 instructions; shrink the globals or the code.',
  },
};

export class AsmError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(summaryLine).join('\n'));
    this.name = 'AsmError';
    this.diagnostics = diagnostics;
  }
}

/** Throw an `AsmError` if any diagnostic is an error (sorted by file order of first appearance, line, column). */
export function throwIfErrors(diags: Diagnostic[]): void {
  if (diags.some((d) => d.severity === 'error')) throw new AsmError(sortDiagnostics(diags));
}

export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of diags) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  return [...diags].sort(
    (x, y) => fileOrder.get(x.file)! - fileOrder.get(y.file)! || x.line - y.line || x.col - y.col,
  );
}

function where(d: Diagnostic): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
}

function summaryLine(d: Diagnostic): string {
  return `${where(d)}: ${d.severity}[${d.code}]: ${d.message}`;
}

/**
 * Render with a code frame:
 * ```
 * k.s:3:2: error[NAP101]: unknown mnemonic 'lwzz'
 *     3 | 	lwzz r3,0(r4)
 *       | 	^~~~
 *       = expected an instruction mnemonic, found 'lwzz'
 *       = hint: did you mean 'lwz'?
 * ```
 * Tabs before the range are copied into the caret line so the caret lines up in any tab width.
 */
export function renderDiagnostic(d: Diagnostic, sourceText?: string): string {
  const out = [summaryLine(d)];
  const lines = sourceText === undefined ? [] : sourceText.split(/\r?\n/);
  const src = d.line > 0 ? lines[d.line - 1] : undefined;
  const num = d.line > 0 ? String(d.line) : '';
  const gutter = ' '.repeat(Math.max(num.length, 3) + 1);
  if (src !== undefined) {
    out.push(`${num.padStart(gutter.length - 1)} | ${src}`);
    const start = Math.min(d.col - 1, src.length);
    const width = Math.max(1, (d.endCol ?? d.col + 1) - d.col);
    const pad = src.slice(0, start).replace(/[^\t]/g, ' ');
    out.push(`${gutter}| ${pad}^${'~'.repeat(width - 1)}`);
  }
  const note = src !== undefined ? `${gutter}= ` : '  = ';
  if (d.expected !== undefined || d.found !== undefined) {
    const parts = [];
    if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
    if (d.found !== undefined) parts.push(`found ${d.found}`);
    out.push(`${note}${parts.join(', ')}`);
  }
  if (d.hint !== undefined) out.push(`${note}hint: ${d.hint}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Suggestions

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest candidate within a distance that scales with the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestD || (dist === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = dist;
    }
  }
  return bestD <= limit ? best : undefined;
}

// ---------------------------------------------------------------------------------------------
// Constructors: every diagnostic is made here.

function make(
  code: string,
  at: Span,
  message: string,
  extra: { expected?: string; found?: string; hint?: string } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, file: at.file, line: at.line, col: at.col };
  if (at.endCol !== undefined) d.endCol = at.endCol;
  if (extra.expected !== undefined) d.expected = extra.expected;
  if (extra.found !== undefined) d.found = extra.found;
  if (extra.hint !== undefined) d.hint = extra.hint;
  return d;
}

const q = (s: string) => `'${s}'`;

/** Real POWER instructions that naplab does not model, with what to write instead. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  eieio: 'eieio is not modelled (it only orders stores to caching-inhibited memory); use sync or lwsync',
  mbar: 'mbar is not modelled; use sync or lwsync',
  rlwinm:
    'rlwinm (rotate and mask) is not modelled; use andi. to mask low bits, or srw/slw with the shift count in a register',
  rlwimi: 'rlwimi is not modelled; combine andi./andc/or to insert bits',
  rlwnm: 'rlwnm is not modelled; use slw/srw and and',
  rldicl:
    'rldicl is not modelled (registers are 32-bit); use andi. to mask, or srw with the shift in a register',
  rldicr: 'rldicr is not modelled (registers are 32-bit); use andc/and to mask, or slw',
  srdi: 'srdi is not modelled; load the shift count into a register (li rT,n) and use srw',
  sldi: 'sldi is not modelled; load the shift count into a register (li rT,n) and use slw',
  srwi: 'srwi is an rlwinm form, not modelled; load the shift count into a register (li rT,n) and use srw',
  slwi: 'slwi is an rlwinm form, not modelled; load the shift count into a register (li rT,n) and use slw',
  clrldi: 'clrldi is not modelled; use andi. (or and with a mask in a register)',
  clrrdi: 'clrrdi is not modelled; use and/andc with a mask in a register',
  extsw: 'registers are 32-bit values, so extsw is a no-op here: delete it, or use mr for a copy',
  isel: 'isel is not modelled; use a conditional branch around an mr',
  mfcr: 'the condition register cannot be moved to a GPR; branch on the compare instead',
  mtcrf: 'the condition register cannot be written from a GPR; use a compare',
  beqlr: 'conditional branch to LR is not modelled; use "bne 1f; blr; 1:"',
  bnelr: 'conditional branch to LR is not modelled; use "beq 1f; blr; 1:"',
  mtmsr: 'use mtmsrd (only MSR[EE] is modelled) or wrteei',
  wrtee: 'use wrteei 0/1 or mtmsrd (only MSR[EE] is modelled)',
  stbcix: 'cache-inhibited stores are not modelled; use stb',
  ldcix: 'cache-inhibited loads are not modelled; use ld',
  lwbrx: 'byte-reversed accesses are not modelled; use lwzx',
  stwbrx: 'byte-reversed accesses are not modelled; use stwx',
};

export const diag = {
  syntax(at: Span, message: string, expected?: string, found?: string, hint?: string): Diagnostic {
    return make('NAP100', at, message, { expected, found, hint });
  },

  unknownMnemonic(at: Span, mnemonic: string, known: Iterable<string>): Diagnostic {
    const lower = mnemonic.toLowerCase();
    let hint = UNSUPPORTED_HINTS[lower];
    if (hint === undefined) {
      const near = closest(lower, known);
      if (near !== undefined) hint = `did you mean ${q(near)}?`;
    }
    return make('NAP101', at, `unknown mnemonic ${q(mnemonic)}`, {
      expected: 'an instruction mnemonic',
      found: q(mnemonic),
      hint,
    });
  },

  badOperand(at: Span, mnemonic: string, expected: string, found: string, hint?: string): Diagnostic {
    return make('NAP102', at, `bad operand for ${q(mnemonic)}`, { expected, found, hint });
  },

  undefinedSymbol(
    at: Span,
    name: string,
    known: Iterable<string>,
    what = 'symbol',
    hint?: string,
  ): Diagnostic {
    if (hint === undefined) {
      const near = closest(name, known);
      if (near !== undefined) hint = `did you mean ${q(near)}?`;
    }
    return make('NAP103', at, `undefined ${what} ${q(name)}`, { hint });
  },

  undefinedLocalLabel(at: Span, ref: string): Diagnostic {
    const n = ref.slice(0, -1);
    const fwd = ref.endsWith('f');
    return make('NAP103', at, `undefined local label ${q(ref)}`, {
      hint: fwd
        ? `'${ref}' refers to the next '${n}:' after this line in the same file, and there is none`
        : `'${ref}' refers to the last '${n}:' before this line in the same file, and there is none`,
    });
  },

  notALabel(at: Span, name: string, what: string): Diagnostic {
    return make('NAP103', at, `undefined label ${q(name)}`, {
      expected: 'a code label',
      found: `${what} ${q(name)}`,
      hint: 'branch targets are code labels; a memory location cannot be branched to',
    });
  },

  duplicate(at: Span, name: string, what: string, first: Span): Diagnostic {
    return make('NAP104', at, `duplicate ${what} ${q(name)}`, {
      hint: `first defined at ${first.file}:${first.line}:${first.col}`,
    });
  },

  immediateRange(at: Span, mnemonic: string, value: number, range: string, hint?: string): Diagnostic {
    return make('NAP105', at, `immediate out of range for ${q(mnemonic)}`, {
      expected: range,
      found: String(value),
      hint,
    });
  },

  branchRange(at: Span, target: number, codeLength: number, hint?: string): Diagnostic {
    return make('NAP105', at, 'branch target out of range', {
      expected:
        codeLength === 0 ? 'an instruction (the code is empty)' : `an instruction index 0..${codeLength - 1}`,
      found: String(target),
      hint:
        hint ?? 'a label at the very end of the code points past the last instruction; add one (e.g. halt)',
    });
  },

  unterminated(at: Span, what: 'comment' | 'string'): Diagnostic {
    return what === 'comment'
      ? make('NAP106', at, 'unterminated comment', { expected: "'*/'", found: 'end of file' })
      : make('NAP106', at, 'unterminated string', {
          expected: `'"'`,
          found: 'end of line',
          hint: 'strings end on the line they start; write \\n for a newline',
        });
  },

  operandCount(at: Span, mnemonic: string, syntax: string, found: number): Diagnostic {
    return make('NAP107', at, `wrong number of operands for ${q(mnemonic)}`, {
      expected: syntax,
      found: `${found} operand${found === 1 ? '' : 's'}`,
    });
  },

  unknownDirective(at: Span, name: string, known: Iterable<string>): Diagnostic {
    const near = closest(name, known);
    const data = ['.long', '.word', '.quad', '.byte', '.short', '.space', '.fill', '.zero', '.data'];
    const hint = data.includes(name.toLowerCase())
      ? 'data is not assembled: declare memory in ImageSpec.globals or ImageSpec.perThread'
      : near !== undefined
        ? `did you mean ${q(near)}?`
        : undefined;
    return make('NAP108', at, `unknown directive ${q(name)}`, { hint });
  },

  preprocessor(at: Span, line: string): Diagnostic {
    const m = /^#\s*define\s+(\w+)\s+(.*)$/.exec(line.trim());
    return make('NAP109', at, 'C preprocessor directives are not supported', {
      found: q(line.trim()),
      hint:
        m !== null
          ? `write '.set ${m[1]}, ${m[2]!.trim()}' (or put ${m[1]} in ImageSpec.defines)`
          : 'use .set for constants; the assembler does not run cpp',
    });
  },

  badValue(at: Span, message: string): Diagnostic {
    return make('NAP110', at, message);
  },

  circularEquate(at: Span, name: string): Diagnostic {
    return make('NAP111', at, `equate ${q(name)} depends on itself`);
  },

  // --- litmus ---------------------------------------------------------------------------------

  litmusHeader(at: Span, found: string): Diagnostic {
    const arch = /^(\S+)/.exec(found.trim())?.[1];
    const other = arch !== undefined && /^(X86|X86_64|ARM|AArch64|RISCV|MIPS|C|LISA|AARCH64)$/i.test(arch);
    return make('NAP201', at, 'expected a PPC litmus header', {
      expected: "'PPC NAME'",
      found: found.trim() === '' ? 'end of file' : q(found.trim()),
      hint: other ? `naplab reads PPC litmus tests only, not ${arch}` : undefined,
    });
  },

  litmusInit(at: Span, message: string, found?: string, hint?: string): Diagnostic {
    return make('NAP202', at, message, { expected: undefined, found, hint });
  },

  litmusColumns(at: Span, expected: number, found: number): Diagnostic {
    return make('NAP203', at, 'thread table row has the wrong number of columns', {
      expected: `${expected} cell${expected === 1 ? '' : 's'} separated by '|'`,
      found: String(found),
      hint: 'leave a cell empty (spaces) for a thread with no instruction on this row',
    });
  },

  litmusRowEnd(at: Span): Diagnostic {
    return make('NAP203', at, "thread table row does not end with ';'", {
      expected: "';' at the end of the row",
      found: 'end of line',
    });
  },

  litmusCondition(at: Span, message: string, expected?: string, found?: string): Diagnostic {
    return make('NAP204', at, message, { expected, found });
  },

  litmusUnknownThread(at: Span, thread: number, count: number): Diagnostic {
    return make('NAP205', at, `unknown thread ${thread}`, {
      expected: count === 1 ? 'thread 0' : `a thread 0..${count - 1}`,
      found: String(thread),
    });
  },

  litmusThreadHeader(at: Span, expected: string, found: string): Diagnostic {
    return make('NAP206', at, 'bad thread table header', { expected, found });
  },

  litmusNoCondition(at: Span): Diagnostic {
    return make('NAP207', at, 'missing final condition', {
      expected: "'exists', '~exists' or 'forall'",
      found: 'end of file',
    });
  },

  litmusLocations(at: Span, found: string): Diagnostic {
    return make('NAP208', at, 'bad locations clause', { expected: "'locations [x; y;]'", found: q(found) });
  },

  litmusRegister(at: Span, found: string): Diagnostic {
    return make('NAP209', at, `bad register ${q(found)}`, {
      expected: 'a register r0..r31',
      found: q(found),
    });
  },

  litmusDuplicateInit(at: Span, what: string, first: Span): Diagnostic {
    return make('NAP210', at, `${what} is initialised twice`, {
      hint: `first initialised at ${first.file}:${first.line}:${first.col}`,
    });
  },

  // --- image spec (no source position: line 0) -----------------------------------------------

  specUnknown(
    specName: string,
    field: string,
    name: string,
    known: Iterable<string>,
    what = 'label',
  ): Diagnostic {
    const near = closest(name, known);
    return make('NAP301', { file: specName, line: 0, col: 0 }, `${field}: unknown ${what} ${q(name)}`, {
      hint: near !== undefined ? `did you mean ${q(near)}?` : undefined,
    });
  },

  specThread(specName: string, field: string, message: string, hint?: string): Diagnostic {
    return make('NAP302', { file: specName, line: 0, col: 0 }, `${field}: ${message}`, { hint });
  },

  specEvent(specName: string, field: string, message: string): Diagnostic {
    return make('NAP303', { file: specName, line: 0, col: 0 }, `${field}: ${message}`);
  },

  specDuplicate(specName: string, field: string, name: string, firstField: string): Diagnostic {
    return make(
      'NAP304',
      { file: specName, line: 0, col: 0 },
      `${field}: duplicate memory symbol ${q(name)}`,
      {
        hint: `already declared by ${firstField}`,
      },
    );
  },

  specValue(specName: string, field: string, message: string, hint?: string): Diagnostic {
    return make('NAP305', { file: specName, line: 0, col: 0 }, `${field}: ${message}`, { hint });
  },

  specTooLarge(specName: string, what: string, size: number, max: number): Diagnostic {
    return make('NAP306', { file: specName, line: 0, col: 0 }, `image too large: ${size} ${what}`, {
      expected: `at most ${max}`,
      found: String(size),
    });
  },
};
