/**
 * The PPC litmus front end (herd7 / ppcmem format):
 * ```
 * PPC MP+syncs (alias)           header
 * "doc"                          optional doc line, then Key=value lines
 * { 0:r2=x; 1:r4=y; x=1; }       init: registers (a location name = its address), locations
 *  P0           | P1           ; thread table: header, then rows of cells ending with ';'
 *  li r1,1      | lwz r1,0(r2) ;
 * locations [x; y;]              optional extra observed locations
 * exists (1:r1=1 /\ 1:r3=0)      condition: exists | ~exists | forall
 * ```
 * Each cell is parsed by the assembly parser in place, so diagnostics point into the litmus file.
 *
 * Verdicts (`verdictOf`): for `exists P` and `~exists P` the verdict is `allowed` iff P holds in
 * some reachable final state (for `~exists` the condition is the forbidden pattern, as in
 * `expected.tsv`); for `forall P` it is `allowed` iff P holds in every reachable final state.
 */
import type { Image } from '@naplab/isa';
import type { Statement } from './ast.js';
import * as A from './ast.js';
import { AsmError, type Diagnostic, diag, type Span, sortDiagnostics, throwIfErrors } from './diagnostics.js';
import { linkUnits } from './linker.js';
import { parseAssemblyRecover } from './parser.js';
import type { ImageSpec } from './spec.js';

export type LitmusValue = { kind: 'int'; value: number } | { kind: 'loc'; name: string };

/** A register of a thread, or a memory location, as the condition and `locations` name them. */
export type LitmusObservation = { kind: 'reg'; thread: number; reg: number } | { kind: 'mem'; loc: string };

export type LitmusInit =
  | { kind: 'reg'; thread: number; reg: number; value: LitmusValue; span: Span }
  | { kind: 'mem'; loc: string; value: LitmusValue; span: Span };

export type Prop =
  | { kind: 'and' | 'or'; left: Prop; right: Prop }
  | { kind: 'not'; arg: Prop }
  | { kind: 'const'; value: boolean }
  | { kind: 'eq'; lhs: LitmusObservation; rhs: LitmusValue };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface LitmusThread {
  name: string;
  /** where the header names this thread (the implicit final `halt` points here) */
  span: Span;
  /** the thread's statements, from all its cells in row order */
  code: Statement[];
}

export interface LitmusTest {
  file: string;
  name: string;
  alias?: string;
  doc?: string;
  /** `Key=value` lines (e.g. `Cycle`) */
  info: Record<string, string>;
  init: LitmusInit[];
  threads: LitmusThread[];
  /** the `locations [...]` clause */
  locations: LitmusObservation[];
  quantifier: Quantifier;
  condition: Prop;
  /** the condition as written, whitespace collapsed: `exists (1:r1=1 /\ 1:r3=0)` */
  conditionText: string;
  /** every location mentioned anywhere, in first-mention order: location i lives at cell i + 1 */
  symbols: string[];
  /** what the image observes: the condition's registers and locations, then `locations`, without repeats */
  observe: LitmusObservation[];
}

const TYPE_PREFIX = /^(?:int|long|uint32_t|int32_t|uint64_t|int64_t|intptr_t)\s+/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?(?:0x[0-9a-fA-F]+|[0-9]+)$/;

class Src {
  readonly lineStarts: number[] = [0];
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }
  pos(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lineStarts[lo]! + 1 };
  }
  span(from: number, to: number): Span {
    const p = this.pos(from);
    const q = this.pos(Math.max(from, to - 1));
    return { file: this.file, line: p.line, col: p.col, endCol: q.line === p.line ? q.col + 1 : p.col + 1 };
  }
  lineEnd(offset: number): number {
    const e = this.text.indexOf('\n', offset);
    return e < 0 ? this.text.length : e;
  }
}

/** Blank out `(* ... *)` comments, keeping offsets and newlines. */
function stripComments(text: string): string {
  return text.replace(/\(\*[\s\S]*?\*\)/g, (m) => m.replace(/[^\n]/g, ' '));
}

const obsKey = (o: LitmusObservation) => (o.kind === 'reg' ? `${o.thread}:r${o.reg}` : `[${o.loc}]`);

/** Parse a PPC litmus test. Throws `AsmError` with every problem found. */
export function parseLitmus(file: string, text: string): LitmusTest {
  const src = new Src(file, stripComments(text));
  const t = src.text;
  const diags: Diagnostic[] = [];
  const fatal = (d: Diagnostic): never => {
    diags.push(d);
    throw new AsmError(sortDiagnostics(diags));
  };
  let at = 0;
  /** the next non-blank line from `at`: [start, end) trimmed of surrounding spaces */
  const nextLine = (): { start: number; end: number; text: string } | undefined => {
    while (at < t.length) {
      const end = src.lineEnd(at);
      const raw = t.slice(at, end);
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      const start = at + lead;
      at = end + 1;
      if (body !== '') return { start, end: start + body.length, text: body };
    }
    return undefined;
  };

  // ---- header
  const head = nextLine();
  if (!head) return fatal(diag.litmusHeader(src.span(0, 1), ''));
  const hm = /^PPC\s+([^\s()]+)(?:\s+\(([^()]*)\))?\s*$/.exec(head.text);
  if (!hm) return fatal(diag.litmusHeader(src.span(head.start, head.end), head.text));
  const name = hm[1]!;
  const alias = hm[2]?.trim() || undefined;

  // ---- doc and Key=value lines, up to '{'
  let doc: string | undefined;
  const info: Record<string, string> = {};
  let initOpen = -1;
  for (;;) {
    const save = at;
    const l = nextLine();
    if (!l)
      return fatal(
        diag.litmusInit(src.span(t.length - 1, t.length), "missing init block: expected '{'", 'end of file'),
      );
    if (l.text.startsWith('{')) {
      initOpen = l.start;
      at = save;
      break;
    }
    const dm = /^"(.*)"$/.exec(l.text);
    const km = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(l.text);
    if (dm && doc === undefined) doc = dm[1];
    else if (km) info[km[1]!] = km[2]!.trim();
    else
      return fatal(
        diag.litmusInit(src.span(l.start, l.end), "expected '{' to open the init block", `'${l.text}'`),
      );
  }

  // ---- init block
  const close = t.indexOf('}', initOpen);
  if (close < 0) {
    return fatal(
      diag.litmusInit(
        src.span(initOpen, initOpen + 1),
        "unterminated init block: expected '}'",
        'end of file',
      ),
    );
  }
  const init: LitmusInit[] = [];
  const initSeen = new Map<string, Span>();
  let itemStart = initOpen + 1;
  for (let i = initOpen + 1; i <= close; i++) {
    if (t[i] !== ';' && i !== close) continue;
    const raw = t.slice(itemStart, i);
    const lead = raw.length - raw.trimStart().length;
    const item = raw.trim();
    const from = itemStart + lead;
    itemStart = i + 1;
    if (item === '') continue;
    const span = src.span(from, from + item.length);
    const body = item.replace(TYPE_PREFIX, '');
    const rm = /^(\d+)\s*:\s*([A-Za-z%][\w]*)\s*=\s*(\S+)$/.exec(body);
    const mm = /^(\[\s*([A-Za-z_]\w*)\s*\]|([A-Za-z_]\w*))\s*=\s*(\S+)$/.exec(body);
    let entry: LitmusInit | undefined;
    if (rm) {
      const reg = regNumber(rm[2]!);
      const value = litmusValue(rm[3]!);
      if (reg === undefined) diags.push(diag.litmusRegister(span, rm[2]!));
      else if (!value)
        diags.push(
          diag.litmusInit(
            span,
            'bad initial value',
            `'${rm[3]}'`,
            'a value is an integer or a location name',
          ),
        );
      else entry = { kind: 'reg', thread: Number(rm[1]), reg, value, span };
    } else if (mm) {
      const value = litmusValue(mm[4]!);
      if (!value)
        diags.push(
          diag.litmusInit(
            span,
            'bad initial value',
            `'${mm[4]}'`,
            'a value is an integer or a location name',
          ),
        );
      else entry = { kind: 'mem', loc: mm[2] ?? mm[3]!, value, span };
    } else {
      diags.push(
        diag.litmusInit(
          span,
          'cannot read this init item',
          `'${item}'`,
          "write 'P:rN=value', 'x=value' or '[x]=value'",
        ),
      );
    }
    if (entry) {
      const key = entry.kind === 'reg' ? `${entry.thread}:r${entry.reg}` : entry.loc;
      const first = initSeen.get(key);
      if (first) diags.push(diag.litmusDuplicateInit(span, key, first));
      else {
        initSeen.set(key, span);
        init.push(entry);
      }
    }
  }
  at = close + 1;

  // ---- thread table header
  const hdr = nextLine();
  if (!hdr)
    return fatal(diag.litmusThreadHeader(src.span(t.length - 1, t.length), "'P0 | P1 ... ;'", 'end of file'));
  if (!hdr.text.endsWith(';')) {
    return fatal(diag.litmusThreadHeader(src.span(hdr.start, hdr.end), "'P0 | P1 ... ;'", `'${hdr.text}'`));
  }
  const threads: LitmusThread[] = [];
  {
    let cellStart = hdr.start;
    const body = hdr.end - 1;
    for (let i = hdr.start; i <= body; i++) {
      if (i !== body && t[i] !== '|') continue;
      const raw = t.slice(cellStart, i);
      const lead = raw.length - raw.trimStart().length;
      const cell = raw.trim();
      const span = src.span(cellStart + lead, cellStart + lead + Math.max(cell.length, 1));
      const want = `P${threads.length}`;
      if (cell !== want)
        return fatal(diag.litmusThreadHeader(span, `'${want}'`, cell === '' ? 'an empty cell' : `'${cell}'`));
      threads.push({ name: cell, span, code: [] });
      cellStart = i + 1;
    }
  }
  const n = threads.length;
  for (const e of init) {
    if (e.kind === 'reg' && e.thread >= n) diags.push(diag.litmusUnknownThread(e.span, e.thread, n));
  }

  // ---- rows
  const KEYWORD = /^(locations\b|exists\b|~\s*exists\b|forall\b|~\s*forall\b|filter\b)/;
  for (;;) {
    const save = at;
    const l = nextLine();
    if (!l) break;
    if (KEYWORD.test(l.text)) {
      at = save;
      break;
    }
    if (!l.text.endsWith(';')) {
      diags.push(diag.litmusRowEnd(src.span(l.end, l.end + 1)));
      continue;
    }
    const cells: { from: number; to: number }[] = [];
    let cellStart = l.start;
    const body = l.end - 1;
    for (let i = l.start; i <= body; i++) {
      if (i !== body && t[i] !== '|') continue;
      cells.push({ from: cellStart, to: i });
      cellStart = i + 1;
    }
    if (cells.length !== n) {
      diags.push(diag.litmusColumns(src.span(l.start, l.end), n, cells.length));
      continue;
    }
    cells.forEach((c, k) => {
      const code = t.slice(c.from, c.to);
      if (code.trim() === '') return;
      const r = parseAssemblyRecover(file, code, src.pos(c.from));
      diags.push(...r.diagnostics);
      threads[k]!.code.push(...r.ast.statements);
    });
  }

  // ---- locations
  const locations: LitmusObservation[] = [];
  const symbols: string[] = [];
  const mention = (loc: string) => {
    if (!symbols.includes(loc)) symbols.push(loc);
  };
  for (const e of init) {
    if (e.kind === 'mem') mention(e.loc);
    if (e.value.kind === 'loc') mention(e.value.name);
  }
  {
    const save = at;
    const l = nextLine();
    if (l && /^locations\b/.test(l.text)) {
      const lm = /^locations\s*\[(.*)\]\s*;?$/.exec(l.text);
      if (!lm) diags.push(diag.litmusLocations(src.span(l.start, l.end), l.text));
      else {
        const inner = l.start + l.text.indexOf('[') + 1;
        let from = inner;
        const body = lm[1]!;
        for (let i = 0; i <= body.length; i++) {
          if (i !== body.length && body[i] !== ';') continue;
          const raw = body.slice(from - inner, i);
          const item = raw.trim();
          const start = from + (raw.length - raw.trimStart().length);
          from = inner + i + 1;
          if (item === '') continue;
          const span = src.span(start, start + item.length);
          const o = parseObservation(item);
          if (!o) diags.push(diag.litmusLocations(span, item));
          else if (o.kind === 'reg' && o.thread >= n) diags.push(diag.litmusUnknownThread(span, o.thread, n));
          else if (o.kind === 'reg' && o.reg < 0) diags.push(diag.litmusRegister(span, item.split(':')[1]!));
          else locations.push(o);
        }
      }
    } else at = save;
  }

  // ---- condition
  const condStart = (() => {
    while (at < t.length && /\s/.test(t[at]!)) at++;
    return at;
  })();
  let condEnd = t.length;
  while (condEnd > condStart && /\s/.test(t[condEnd - 1]!)) condEnd--;
  if (condStart >= condEnd) {
    diags.push(diag.litmusNoCondition(src.span(Math.max(0, t.length - 1), t.length)));
    throwIfErrors(diags);
  }
  const cond = new CondParser(src, condStart, condEnd, n, diags);
  const parsed = cond.parse();
  throwIfErrors(diags);
  const { quantifier, prop } = parsed!;

  const condAtoms: LitmusObservation[] = [];
  const walk = (p: Prop) => {
    if (p.kind === 'and' || p.kind === 'or') {
      walk(p.left);
      walk(p.right);
    } else if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'eq') {
      condAtoms.push(p.lhs);
      if (p.lhs.kind === 'mem') mention(p.lhs.loc);
      if (p.rhs.kind === 'loc') mention(p.rhs.name);
    }
  };
  walk(prop);
  for (const o of locations) if (o.kind === 'mem') mention(o.loc);
  const observe: LitmusObservation[] = [];
  const seen = new Set<string>();
  for (const o of [...condAtoms, ...locations]) {
    if (seen.has(obsKey(o))) continue;
    seen.add(obsKey(o));
    observe.push(o);
  }
  const test: LitmusTest = {
    file,
    name,
    info,
    init,
    threads,
    locations,
    quantifier,
    condition: prop,
    conditionText: t
      .slice(condStart, condEnd)
      .replace(/\s+/g, ' ')
      .replace(/^(~?\s*exists|forall)\s*/, (q) => `${q.replace(/\s+/g, '')} `)
      .trim(),
    symbols,
    observe,
  };
  if (alias !== undefined) test.alias = alias;
  if (doc !== undefined) test.doc = doc;
  return test;
}

function regNumber(text: string): number | undefined {
  const m = /^%?r(\d+)$/i.exec(text);
  if (!m) return undefined;
  const r = Number(m[1]);
  return r <= 31 ? r : undefined;
}

function litmusValue(text: string): LitmusValue | undefined {
  if (NUMBER.test(text))
    return { kind: 'int', value: Number.parseInt(text, text.replace('-', '').startsWith('0x') ? 16 : 10) };
  if (IDENT.test(text)) return { kind: 'loc', name: text };
  return undefined;
}

/** `1:r3`, `x` or `[x]`; a bad register gives reg -1. */
function parseObservation(item: string): LitmusObservation | undefined {
  const rm = /^(\d+)\s*:\s*(\S+)$/.exec(item);
  if (rm) return { kind: 'reg', thread: Number(rm[1]), reg: regNumber(rm[2]!) ?? -1 };
  const mm = /^\[\s*([A-Za-z_]\w*)\s*\]$|^([A-Za-z_]\w*)$/.exec(item);
  if (mm) return { kind: 'mem', loc: mm[1] ?? mm[2]! };
  return undefined;
}

interface CondToken {
  text: string;
  from: number;
  to: number;
}

/** Recursive descent over the condition: `\/` binds looser than `/\`, `~` binds tightest. */
class CondParser {
  private toks: CondToken[] = [];
  private i = 0;
  constructor(
    private readonly src: Src,
    private readonly from: number,
    private readonly to: number,
    private readonly nThreads: number,
    private readonly diags: Diagnostic[],
  ) {
    // the final `.` alternative makes every position match, so the scan always advances
    const re = /\s+|\/\\|\\\/|[~()[\]=:]|-?[0-9]+(?:x[0-9a-fA-F]+)?|[A-Za-z_%][\w]*|./gy;
    const text = src.text.slice(0, to);
    re.lastIndex = from;
    while (re.lastIndex < to) {
      const m = re.exec(text)!;
      if (!/^\s+$/.test(m[0])) this.toks.push({ text: m[0], from: m.index, to: m.index + m[0].length });
    }
  }
  private peek(): CondToken | undefined {
    return this.toks[this.i];
  }
  private fail(message: string, expected: string): never {
    const t = this.peek();
    const span = t ? this.src.span(t.from, t.to) : this.src.span(this.to - 1, this.to);
    this.diags.push(diag.litmusCondition(span, message, expected, t ? `'${t.text}'` : 'end of file'));
    throw new CondFail();
  }
  private eat(text: string): boolean {
    if (this.peek()?.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  parse(): { quantifier: Quantifier; prop: Prop } | undefined {
    try {
      let quantifier: Quantifier;
      if (this.eat('exists')) quantifier = 'exists';
      else if (this.eat('forall')) quantifier = 'forall';
      else if (this.peek()?.text === '~' && this.toks[this.i + 1]?.text === 'exists') {
        this.i += 2;
        quantifier = '~exists';
      } else this.fail('expected a quantifier', "'exists', '~exists' or 'forall'");
      const prop = this.or();
      if (this.peek() !== undefined)
        this.fail('unexpected text after the condition', "'/\\', '\\/' or end of file");
      return { quantifier: quantifier!, prop };
    } catch (e) {
      if (e instanceof CondFail) return undefined;
      throw e;
    }
  }
  private or(): Prop {
    let left = this.and();
    while (this.eat('\\/')) left = { kind: 'or', left, right: this.and() };
    return left;
  }
  private and(): Prop {
    let left = this.unary();
    while (this.eat('/\\')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }
  private unary(): Prop {
    if (this.eat('~')) return { kind: 'not', arg: this.unary() };
    if (this.eat('(')) {
      const p = this.or();
      if (!this.eat(')')) this.fail("expected ')'", "')'");
      return p;
    }
    if (this.eat('true')) return { kind: 'const', value: true };
    if (this.eat('false')) return { kind: 'const', value: false };
    return this.atom();
  }
  private atom(): Prop {
    const t = this.peek();
    if (!t) return this.fail('expected a condition', "'P:rN=v', 'x=v' or '[x]=v'");
    let lhs: LitmusObservation;
    if (/^[0-9]+$/.test(t.text)) {
      this.i++;
      const thread = Number(t.text);
      if (!this.eat(':')) this.fail("expected ':' after the thread number", "':'");
      const r = this.peek();
      const reg = r ? regNumber(r.text) : undefined;
      if (!r || reg === undefined) {
        if (r && /^[A-Za-z_%]/.test(r.text)) {
          this.diags.push(diag.litmusRegister(this.src.span(r.from, r.to), r.text));
          throw new CondFail();
        }
        this.fail('expected a register', "'rN'");
      }
      this.i++;
      if (thread >= this.nThreads) {
        this.diags.push(diag.litmusUnknownThread(this.src.span(t.from, r!.to), thread, this.nThreads));
        throw new CondFail();
      }
      lhs = { kind: 'reg', thread, reg: reg! };
    } else if (t.text === '[') {
      this.i++;
      const l = this.peek();
      if (!l || !IDENT.test(l.text)) this.fail('expected a location name', 'a location');
      this.i++;
      if (!this.eat(']')) this.fail("expected ']'", "']'");
      lhs = { kind: 'mem', loc: l!.text };
    } else if (IDENT.test(t.text)) {
      this.i++;
      lhs = { kind: 'mem', loc: t.text };
    } else return this.fail('expected a condition', "'P:rN=v', 'x=v' or '[x]=v'");
    if (!this.eat('=')) this.fail("expected '='", "'='");
    const v = this.peek();
    const value = v ? litmusValue(v.text) : undefined;
    if (!value) this.fail('expected a value', 'an integer or a location name');
    this.i++;
    return { kind: 'eq', lhs, rhs: value! };
  }
}

class CondFail extends Error {}

/** Address of every location (cell index), as `litmusToImage` lays them out. */
export function litmusAddresses(test: LitmusTest): Map<string, number> {
  return new Map(test.symbols.map((s, i) => [s, i + 1]));
}

/**
 * The image of a litmus test: thread i = cpu i (`threadsPerCore` = number of threads, at most 8),
 * each thread's code followed by an implicit `halt`; every location a global cell (init 0 unless
 * set); `observe` = `test.observe`; `meta.litmus` = what a runner needs to print herd-style results.
 * Labels are private to each thread and appear in the image as `P1.LC00`; `P1` labels its entry.
 */
export function litmusToImage(test: LitmusTest): Image {
  const memInit = new Map<string, number | string>();
  const regs: Record<number, number | string>[] = test.threads.map(() => ({}));
  for (const e of test.init) {
    const v = e.value.kind === 'int' ? e.value.value : e.value.name;
    if (e.kind === 'mem') memInit.set(e.loc, v);
    else regs[e.thread]![e.reg] = v;
  }
  const spec: ImageSpec = {
    name: test.name,
    sources: [],
    globals: test.symbols.map((s) => (memInit.has(s) ? { name: s, init: memInit.get(s)! } : { name: s })),
    threadsPerCore: Math.min(test.threads.length, 8),
    threads: test.threads.map((t, i) => ({ name: t.name, entry: `P${i}`, regs: regs[i] })),
    observe: test.observe.map((o) => (o.kind === 'reg' ? { cpu: o.thread, reg: o.reg } : { mem: o.loc })),
    meta: {
      litmus: {
        file: test.file,
        name: test.name,
        alias: test.alias,
        doc: test.doc,
        info: test.info,
        quantifier: test.quantifier,
        condition: test.conditionText,
        locations: test.locations.map(obsKey),
        observe: test.observe.map(obsKey),
      },
    },
  };
  const units = test.threads.map((t, i) => ({
    file: test.file,
    scope: `P${i}`,
    statements: [...t.code, A.instr('halt', [], t.span)],
  }));
  return linkUnits(spec, units);
}

function conditionValue(test: LitmusTest, v: LitmusValue): number {
  return v.kind === 'int' ? v.value | 0 : (litmusAddresses(test).get(v.name) ?? 0);
}

/** Does the condition's proposition hold for these final values (aligned with `test.observe` = `image.observe`)? */
export function evalCondition(test: LitmusTest, finalValues: number[]): boolean {
  const index = new Map(test.observe.map((o, i) => [obsKey(o), i]));
  const ev = (p: Prop): boolean => {
    switch (p.kind) {
      case 'and':
        return ev(p.left) && ev(p.right);
      case 'or':
        return ev(p.left) || ev(p.right);
      case 'not':
        return !ev(p.arg);
      case 'const':
        return p.value;
      case 'eq':
        return finalValues[index.get(obsKey(p.lhs))!] === conditionValue(test, p.rhs);
    }
  };
  return ev(test.condition);
}

/** herd7's final-state line: `1:r1=0; [x]=1;` (items sorted as strings, each followed by `;`). */
export function formatFinalState(test: LitmusTest, finalValues: number[]): string {
  const items = test.observe.map((o, i) =>
    o.kind === 'reg' ? `${o.thread}:r${o.reg}=${finalValues[i]}` : `[${o.loc}]=${finalValues[i]}`,
  );
  items.sort();
  return items.map((s) => `${s};`).join(' ');
}

/**
 * `exists P` / `~exists P`: allowed iff P holds in some reachable final state. `forall P`: allowed
 * iff P holds in every reachable final state (vacuously so when there is none).
 */
export function verdictOf(test: LitmusTest, reachableFinals: number[][]): 'allowed' | 'forbidden' {
  const holds = reachableFinals.map((f) => evalCondition(test, f));
  const ok = test.quantifier === 'forall' ? holds.every(Boolean) : holds.some(Boolean);
  return ok ? 'allowed' : 'forbidden';
}
