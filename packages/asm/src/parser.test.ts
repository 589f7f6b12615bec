import { describe, expect, it } from 'vitest';
import type { Operand, Statement } from './ast.js';
import { AsmError } from './diagnostics.js';
import { parseAssembly, parseAssemblyRecover, parseExpression } from './parser.js';

const stmts = (text: string) => parseAssembly('t.s', text).statements;
const instrs = (text: string) =>
  stmts(text).filter((s): s is Extract<Statement, { kind: 'instr' }> => s.kind === 'instr');
const shape = (o: Operand): string => {
  switch (o.kind) {
    case 'reg':
      return `r${o.reg}`;
    case 'crf':
      return `cr${o.crf}`;
    case 'str':
      return JSON.stringify(o.value);
    case 'expr':
      return `expr:${o.expr.kind}`;
    case 'disp':
      return `disp(${shape(o.base)})`;
  }
};

describe('parseAssembly', () => {
  it('parses labels, local labels, several statements per line and all comment styles', () => {
    const s = stmts(
      [
        'start: 1:\tli r3,1 ; li r4,2 # comment',
        '/* a comment',
        '   over lines */ sync // trailing',
        'b 1b',
      ].join('\n'),
    );
    expect(
      s.map((x) =>
        x.kind === 'label'
          ? `${x.name}${x.local ? '(local)' : ''}:`
          : x.kind === 'instr'
            ? x.mnemonic
            : x.kind,
      ),
    ).toEqual(['start:', '1(local):', 'li', 'li', 'sync', 'b']);
    const sync = s[4]!;
    expect(sync.span).toEqual({ file: 't.s', line: 3, col: 18, endCol: 22 });
  });

  it('records operand shapes: registers in every spelling, crN, strings, expressions, displacements', () => {
    const [cmp, li, lwz, lwz2, mark, la] = instrs(
      'cmpw cr7,%r3,4\nli r3,-(1+2)\nlwz r0,FIELD(r13)\nlwz r0,8(13)\nmark "a \\"q\\"\\tb"\nla r3,x',
    );
    expect(cmp!.operands.map(shape)).toEqual(['cr7', 'r3', 'expr:num']);
    expect(li!.operands.map(shape)).toEqual(['r3', 'expr:unary']);
    expect(lwz!.operands.map(shape)).toEqual(['r0', 'disp(r13)']);
    expect(lwz2!.operands.map(shape)).toEqual(['r0', 'disp(expr:num)']);
    expect(mark!.operands.map(shape)).toEqual(['"a \\"q\\"\\tb"']);
    expect(la!.operands.map(shape)).toEqual(['r3', 'expr:sym']);
  });

  it('accepts branch prediction suffixes only when they touch the mnemonic', () => {
    const [a, b, c] = instrs('beq+ cr1,1f\nbne- 1f\nb -1\n1: nop');
    expect([a!.mnemonic, a!.hint]).toEqual(['beq', '+']);
    expect([b!.mnemonic, b!.hint]).toEqual(['bne', '-']);
    expect(c!.hint).toBeUndefined();
    expect(c!.operands.map(shape)).toEqual(['expr:unary']);
  });

  it('parses the three equate forms and ignores layout directives', () => {
    const s = stmts('.set A, 1\n.equ B, A+1\nC = B*2\n.globl foo\n.section .text,"ax"\n.type foo,@function');
    expect(
      s.map((x) => (x.kind === 'equate' ? `=${x.name}` : x.kind === 'directive' ? x.name : '?')),
    ).toEqual(['=A', '=B', '=C', '.globl', '.section', '.type']);
  });

  it('parses expressions with C precedence and relocation suffixes', () => {
    const e = parseExpression('e', '1 + 2 * 3 << 1 | x@ha').expr!;
    expect(e.kind).toBe('binary');
    if (e.kind !== 'binary') return;
    expect(e.op).toBe('|');
    expect(e.right).toMatchObject({ kind: 'reloc', op: 'ha', arg: { kind: 'sym', name: 'x' } });
    expect(e.left).toMatchObject({ kind: 'binary', op: '<<', left: { kind: 'binary', op: '+' } });
    expect(parseExpression('e', 'FIELD@cpu3').expr).toMatchObject({ kind: 'sym', name: 'FIELD@cpu3' });
    expect(parseExpression('e', '1 +').expr).toBeUndefined();
  });

  it('places text at an origin inside a larger file (litmus cells)', () => {
    const r = parseAssemblyRecover('m.litmus', ' lwzz r1,0(r2) ', { line: 8, col: 16 });
    expect(r.ast.statements[0]!.span).toEqual({ file: 'm.litmus', line: 8, col: 17, endCol: 21 });
    const bad = parseAssemblyRecover('m.litmus', ' li r1 1', { line: 8, col: 16 });
    expect(bad.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['NAP100', 8, 23]]);
  });

  it('reports every syntax error of a file, not only the first', () => {
    try {
      parseAssembly('t.s', 'li r3 5\nstw r1,0(r2\n"x"\nmark "open\n/* never closed');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AsmError);
      expect((e as AsmError).diagnostics.map((d) => [d.code, d.line])).toEqual([
        ['NAP100', 1],
        ['NAP100', 2],
        ['NAP100', 3],
        ['NAP106', 4],
        ['NAP106', 5],
      ]);
    }
  });

  it('flags C preprocessor lines but not ordinary # comments', () => {
    const r = parseAssemblyRecover('t.s', '# define is just a comment here\n#define X 1\n#ifdef CONFIG\n');
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['NAP109', 2],
      ['NAP109', 3],
    ]);
    expect(r.diagnostics[0]!.hint).toBe("write '.set X, 1' (or put X in ImageSpec.defines)");
  });
});
