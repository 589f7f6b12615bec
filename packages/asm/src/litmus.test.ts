import { Op, validateImage } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { AsmError } from './diagnostics.js';
import {
  evalCondition,
  formatFinalState,
  litmusAddresses,
  litmusToImage,
  parseLitmus,
  verdictOf,
} from './litmus.js';

const MP = `PPC MP+sync+ctrl (MPx)
"SyncdWW Rfe DpCtrldR Fre"
Cycle=Rfe DpCtrldR Fre SyncdWW
{
0:r2=x; 0:r4=y;
1:r2=y; 1:r4=x;
}
 P0           | P1           ;
 li r1,1      | lwz r1,0(r2) ;
 stw r1,0(r2) | cmpw r1,r1   ;
 sync         | beq  LC00    ;
 li r3,1      | LC00:        ;
 stw r3,0(r4) | lwz r3,0(r4) ;
exists
(1:r1=1 /\\ 1:r3=0)
`;

describe('parseLitmus', () => {
  const t = parseLitmus('MP.litmus', MP);

  it('reads header, doc, keys, init, threads and condition', () => {
    expect(t.name).toBe('MP+sync+ctrl');
    expect(t.alias).toBe('MPx');
    expect(t.doc).toBe('SyncdWW Rfe DpCtrldR Fre');
    expect(t.info).toEqual({ Cycle: 'Rfe DpCtrldR Fre SyncdWW' });
    expect(t.init.map((e) => (e.kind === 'reg' ? [e.thread, e.reg, e.value] : [e.loc, e.value]))).toEqual([
      [0, 2, { kind: 'loc', name: 'x' }],
      [0, 4, { kind: 'loc', name: 'y' }],
      [1, 2, { kind: 'loc', name: 'y' }],
      [1, 4, { kind: 'loc', name: 'x' }],
    ]);
    expect(t.threads.map((th) => th.name)).toEqual(['P0', 'P1']);
    expect(
      t.threads[1]!.code.map((s) =>
        s.kind === 'instr' ? s.mnemonic : `${s.kind}:${'name' in s ? s.name : ''}`,
      ),
    ).toEqual(['lwz', 'cmpw', 'beq', 'label:LC00', 'lwz']);
    expect(t.quantifier).toBe('exists');
    expect(t.conditionText).toBe('exists (1:r1=1 /\\ 1:r3=0)');
    expect(t.symbols).toEqual(['x', 'y']);
    expect(t.observe).toEqual([
      { kind: 'reg', thread: 1, reg: 1 },
      { kind: 'reg', thread: 1, reg: 3 },
    ]);
  });

  it('keeps cell positions in the litmus file', () => {
    const lwz = t.threads[1]!.code[4]!;
    expect(lwz.span).toEqual({ file: 'MP.litmus', line: 13, col: 17, endCol: 20 });
  });

  it('parses condition precedence: ~ over /\\ over \\/', () => {
    const c = parseLitmus('c', MP.replace('(1:r1=1 /\\ 1:r3=0)', '~x=1 \\/ [y]=2 /\\ 0:r1=x')).condition;
    expect(c).toEqual({
      kind: 'or',
      left: {
        kind: 'not',
        arg: { kind: 'eq', lhs: { kind: 'mem', loc: 'x' }, rhs: { kind: 'int', value: 1 } },
      },
      right: {
        kind: 'and',
        left: { kind: 'eq', lhs: { kind: 'mem', loc: 'y' }, rhs: { kind: 'int', value: 2 } },
        right: { kind: 'eq', lhs: { kind: 'reg', thread: 0, reg: 1 }, rhs: { kind: 'loc', name: 'x' } },
      },
    });
  });

  it('reports all problems of a test at once, pointing into the file', () => {
    const bad = MP.replace('1:r2=y;', '1:r2=y; 3:r1=0;').replace('lwz r1,0(r2) ;', 'lwzz r1,0(r2) ;');
    try {
      parseLitmus('bad.litmus', bad);
      expect.unreachable();
    } catch (e) {
      expect((e as AsmError).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(['6:9 NAP205']);
    }
    // the assembly error inside a cell surfaces when the image is built
    const typo = parseLitmus('typo.litmus', MP.replace('lwz r1,0(r2) ;', 'lwzz r1,0(r2) ;'));
    expect(() => litmusToImage(typo)).toThrow(AsmError);
    try {
      litmusToImage(typo);
    } catch (e) {
      expect((e as AsmError).diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
        'typo.litmus:9:17 NAP101',
      ]);
    }
  });
});

describe('litmusToImage', () => {
  const t = parseLitmus('MP.litmus', MP);
  const img = litmusToImage(t);

  it('makes one cpu per thread, code followed by halt, thread-private labels', () => {
    validateImage(img);
    expect(img.threadsPerCore).toBe(2);
    expect(img.labels).toEqual({ P0: 0, P1: 6, 'P1.LC00': 9 });
    expect(img.threads.map((th) => [th.name, th.pc, th.regs])).toEqual([
      [
        'P0',
        0,
        [
          [2, 1],
          [4, 2],
        ],
      ],
      [
        'P1',
        6,
        [
          [2, 2],
          [4, 1],
        ],
      ],
    ]);
    expect(img.code.slice(5 * 4, 6 * 4)).toEqual([Op.halt, 0, 0, 0]);
    expect(img.code.slice(8 * 4, 9 * 4)).toEqual([Op.beq, 0, 9, 0]);
    expect(img.code.slice(10 * 4)).toEqual([Op.halt, 0, 0, 0]);
  });

  it('gives every location a cell and observes what the condition mentions', () => {
    expect(img.memory).toEqual({
      size: 3,
      init: [],
      symbols: [
        { name: 'x', addr: 1, size: 1 },
        { name: 'y', addr: 2, size: 1 },
      ],
    });
    expect(img.observe).toEqual([
      { kind: 'reg', cpu: 1, reg: 1 },
      { kind: 'reg', cpu: 1, reg: 3 },
    ]);
    expect(img.meta).toEqual({
      litmus: {
        file: 'MP.litmus',
        name: 'MP+sync+ctrl',
        alias: 'MPx',
        doc: 'SyncdWW Rfe DpCtrldR Fre',
        info: { Cycle: 'Rfe DpCtrldR Fre SyncdWW' },
        quantifier: 'exists',
        condition: 'exists (1:r1=1 /\\ 1:r3=0)',
        locations: [],
        observe: ['1:r1', '1:r3'],
      },
    });
  });
});

describe('conditions, final states and verdicts', () => {
  const SRC = `PPC T
{ x=1; 0:r2=x; }
 P0           | P1 ;
 lwz r1,0(r2) |    ;
locations [y; 1:r9;]
`;
  const exists = parseLitmus('t', `${SRC}exists (0:r1=1 /\\ [x]=1 \\/ y=x)`);
  const notExists = parseLitmus('t', `${SRC}~exists (0:r1=1)`);
  const forall = parseLitmus('t', `${SRC}forall (0:r1=1 \\/ 0:r1=2)`);

  it('observes condition items then locations, without repeats', () => {
    expect(exists.observe).toEqual([
      { kind: 'reg', thread: 0, reg: 1 },
      { kind: 'mem', loc: 'x' },
      { kind: 'mem', loc: 'y' },
      { kind: 'reg', thread: 1, reg: 9 },
    ]);
    expect(litmusAddresses(exists)).toEqual(
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
  });

  it('evaluates the proposition on final values aligned with observe', () => {
    // [0:r1, [x], [y], 1:r9]
    expect(evalCondition(exists, [1, 1, 0, 0])).toBe(true);
    expect(evalCondition(exists, [1, 0, 0, 0])).toBe(false);
    // y=x compares with the address of x (cell 1)
    expect(evalCondition(exists, [0, 0, 1, 0])).toBe(true);
    expect(evalCondition(exists, [0, 0, 2, 0])).toBe(false);
  });

  it("formats herd7's final-state line", () => {
    expect(formatFinalState(exists, [1, 1, 0, -4])).toBe('0:r1=1; 1:r9=-4; [x]=1; [y]=0;');
  });

  it('decides verdicts: exists and ~exists by some state, forall by every state', () => {
    expect(
      verdictOf(exists, [
        [0, 0, 0, 0],
        [1, 1, 0, 0],
      ]),
    ).toBe('allowed');
    expect(verdictOf(exists, [[0, 0, 0, 0]])).toBe('forbidden');
    expect(verdictOf(notExists, [[1], [0]])).toBe('allowed');
    expect(verdictOf(notExists, [[0]])).toBe('forbidden');
    expect(verdictOf(forall, [[1], [2]])).toBe('allowed');
    expect(verdictOf(forall, [[1], [3]])).toBe('forbidden');
    expect(verdictOf(forall, [])).toBe('allowed');
    expect(verdictOf(exists, [])).toBe('forbidden');
  });
});
