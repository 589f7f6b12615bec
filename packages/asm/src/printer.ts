/**
 * Printer: encoded instructions -> canonical assembly text, a re-assemblable program, and a
 * listing. Canonical means: the table's canonical mnemonic (`lbz` prints as `lwz`, `subi` as
 * `addi` with a negative immediate, `sync 1` as `lwsync`), `rN` registers, `crN` only when not
 * cr0, labels for branch targets (a synthesized `.L<pc>` where the image has none), SPR names and
 * quoted strings.
 */
import { type Image, INSTR_WORDS, opcodeByNumber, SPR } from '@naplab/isa';
import { registerNumber } from './parser.js';

const SPR_NAMES = new Map<number, string>(Object.entries(SPR).map(([k, v]) => [v, k]));
/** Logical immediates read better in hex. */
const HEX_IMM = new Set(['ori', 'xori', 'andi.', 'lis', 'addis', 'cmplwi']);
const IDENT = /^[A-Za-z_.$][A-Za-z0-9_.$]*(@cpu\d+)?$/;

function usableLabel(name: string): boolean {
  return IDENT.test(name) && name !== '.' && registerNumber(name) === undefined && !/^%?cr[0-7]$/i.test(name);
}

/** pc -> label names usable in assembly text, in the image's definition order. */
function labelsByPc(image: Image): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const [name, pc] of Object.entries(image.labels)) {
    if (!usableLabel(name)) continue;
    const list = m.get(pc) ?? [];
    list.push(name);
    m.set(pc, list);
  }
  return m;
}

const cache = new WeakMap<Image, Map<number, string[]>>();
function labelsOf(image: Image): Map<number, string[]> {
  let m = cache.get(image);
  if (!m) {
    m = labelsByPc(image);
    cache.set(image, m);
  }
  return m;
}

export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

function targetName(image: Image, pc: number): string {
  return labelsOf(image).get(pc)?.[0] ?? `.L${pc}`;
}

/** Canonical assembly text of the instruction at `pc`, e.g. `lwz r0,1(r13)` or `beq cr7,loop`. */
export function printInstruction(image: Image, pc: number): string {
  const w = image.code.slice(pc * INSTR_WORDS, pc * INSTR_WORDS + INSTR_WORDS);
  const def = opcodeByNumber(w[0]!);
  if (!def) return `.long ${w.join(',')}`;
  const f = { a: w[1]!, b: w[2]!, c: w[3]! };
  const parts: string[] = [];
  for (const o of def.operands) {
    const v = f[o.field];
    switch (o.kind) {
      case 'reg':
        parts.push(`r${v}`);
        break;
      case 'crf?':
        if (v !== 0) parts.push(`cr${v}`);
        break;
      case 'imm':
        parts.push(HEX_IMM.has(def.name) && v >= 10 ? `0x${v.toString(16)}` : String(v));
        break;
      case 'disp':
        parts.push(`${v}(r${f[o.base!]})`);
        break;
      case 'target':
        parts.push(targetName(image, v));
        break;
      case 'spr':
        parts.push(SPR_NAMES.get(v) ?? String(v));
        break;
      case 'str':
        parts.push(quoteString(image.strings[v] ?? ''));
        break;
      case 'counter':
        parts.push(image.counters[v] ?? `counter${v}`);
        break;
    }
  }
  return parts.length === 0 ? def.name : `${def.name} ${parts.join(',')}`;
}

function branchTargets(image: Image): Set<number> {
  const s = new Set<number>();
  const n = image.code.length / INSTR_WORDS;
  for (let pc = 0; pc < n; pc++) {
    const def = opcodeByNumber(image.code[pc * INSTR_WORDS]!);
    for (const o of def?.operands ?? []) {
      if (o.kind === 'target') s.add(image.code[pc * INSTR_WORDS + { a: 1, b: 2, c: 3 }[o.field]]!);
    }
  }
  return s;
}

/** The whole code as assembly text that assembles back to the same words (given the same string and counter order). */
export function printProgram(image: Image): string {
  const labels = labelsOf(image);
  const targets = branchTargets(image);
  const n = image.code.length / INSTR_WORDS;
  const lines: string[] = [];
  for (let pc = 0; pc <= n; pc++) {
    const names = labels.get(pc) ?? [];
    for (const l of names) lines.push(`${l}:`);
    if (names.length === 0 && targets.has(pc)) lines.push(`.L${pc}:`);
    if (pc < n) lines.push(`\t${printInstruction(image, pc)}`);
  }
  return `${lines.join('\n')}\n`;
}

function memName(image: Image, addr: number): string {
  for (const s of image.memory.symbols) {
    if (addr >= s.addr && addr < s.addr + s.size)
      return addr === s.addr ? s.name : `${s.name}+${addr - s.addr}`;
  }
  return `@${addr}`;
}

/**
 * A listing: the memory map, threads, vectors and observations as `#` comments, then one line per
 * instruction (pc, canonical text, `file:line`) under its labels.
 */
export function listing(image: Image): string {
  const out: string[] = [];
  const n = image.code.length / INSTR_WORDS;
  out.push(
    `# ${image.name}: ${n} instruction${n === 1 ? '' : 's'}, ${image.memory.size} memory cells, ${image.threads.length} thread${image.threads.length === 1 ? '' : 's'}`,
  );
  if (image.memory.symbols.length > 0) {
    out.push('# memory');
    const init = new Map(image.memory.init);
    for (const s of image.memory.symbols) {
      const vals = Array.from({ length: s.size }, (_, k) => init.get(s.addr + k) ?? 0);
      const initText = vals.some((v) => v !== 0) ? ` = ${vals.join(',')}` : '';
      const owner = s.cpu !== undefined ? `  (cpu ${s.cpu})` : '';
      out.push(
        `#   ${String(s.addr).padStart(4)}  ${s.name}${s.size > 1 ? `[${s.size}]` : ''}${initText}${owner}`,
      );
    }
  }
  out.push('# threads');
  const status = ['running', 'napping', 'halted'];
  for (const t of image.threads) {
    const regs = t.regs.map(([r, v]) => ` r${r}=${v}`).join('');
    const entry = t.status === 0 ? ` pc=${t.pc}` : '';
    const extra = [
      t.msrEE ? ' EE' : '',
      t.lpcr ? ` lpcr=0x${(t.lpcr >>> 0).toString(16)}` : '',
      t.lpid ? ` lpid=${t.lpid}` : '',
      t.pending ? ` pending=${t.pending}` : '',
      t.mustHalt ? '' : ' may-not-halt',
    ].join('');
    out.push(`#   ${String(t.cpu).padStart(4)}  ${t.name} ${status[t.status]}${entry}${regs}${extra}`);
  }
  const vec = Object.entries(image.vectors).filter(([, v]) => v >= 0);
  if (vec.length > 0) out.push(`# vectors ${vec.map(([k, v]) => `${k}=${targetName(image, v)}`).join(' ')}`);
  for (const e of image.events) {
    const kind = { 1: 'doorbell', 2: 'external', 4: 'decrementer' }[e.kind] ?? String(e.kind);
    out.push(`# event ${kind} -> cpu ${e.cpu} x${e.count}${e.whenNapping ? ' when napping' : ''}`);
  }
  if (image.observe.length > 0) {
    const obs = image.observe.map((o) =>
      o.kind === 'reg' ? `${o.cpu}:r${o.reg}` : `[${memName(image, o.addr)}]`,
    );
    out.push(`# observe ${obs.join(' ')}`);
  }
  const labels = labelsOf(image);
  const targets = branchTargets(image);
  const files = image.source?.files ?? [];
  const locs = image.source?.locs ?? [];
  for (let pc = 0; pc <= n; pc++) {
    const names = labels.get(pc) ?? [];
    for (const l of names) out.push(`${' '.repeat(7)}${l}:`);
    if (names.length === 0 && targets.has(pc)) out.push(`${' '.repeat(7)}.L${pc}:`);
    if (pc === n) break;
    const text = printInstruction(image, pc);
    const sp = text.indexOf(' ');
    const cols = sp < 0 ? text : `${text.slice(0, sp).padEnd(10)}${text.slice(sp + 1)}`;
    const loc = locs[pc];
    const where = loc ? `${files[loc.file] ?? '?'}:${loc.line}` : '';
    out.push(
      `${String(pc).padStart(5)}    ${cols}${' '.repeat(Math.max(2, 38 - cols.length))}${where}`.trimEnd(),
    );
  }
  return `${out.join('\n')}\n`;
}
