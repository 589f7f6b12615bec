import { readFileSync } from 'node:fs';
import {
  DEFAULT_LIMITS,
  IMAGE_FORMAT,
  IMAGE_VERSION,
  type Image,
  OPCODES,
  type OperandSpec,
  SPR,
} from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkImage } from './linker.js';
import { listing, printInstruction, printProgram } from './printer.js';

const one = (text: string) =>
  linkImage({
    name: 't',
    sources: [{ file: 't.s', text }],
    globals: [{ name: 'x' }],
    perThread: [{ name: 'F0' }, { name: 'F1' }],
    threads: [{ name: 'c', entry: 'start' }],
  });

describe('printInstruction', () => {
  it('prints canonical text: table names, registers, cr fields, labels, SPR names, quoted strings', () => {
    const img = one(`start:	lbz r0,F1(r13)
	subi r3,r3,1
	cmpwi cr7,r0,-1
	cmpw r1,r2
	beq cr7,start
	bne+ 1f
	mfsrr1 r4
	mtspr 318,r4
	sync 1
	lis r5,0xffff
	ori r5,r5,10
	andi. r6,r5,9
	mark "say \\"hi\\"\\n"
	count wakeups
1:	halt`);
    const text = Array.from({ length: img.code.length / 4 }, (_, pc) => printInstruction(img, pc));
    expect(text).toEqual([
      'lwz r0,1(r13)',
      'addi r3,r3,-1',
      'cmpwi cr7,r0,-1',
      'cmpw r1,r2',
      'beq cr7,start',
      'bne .L14',
      'mfspr r4,SRR1',
      'mtspr LPCR,r4',
      'lwsync',
      'lis r5,0xffff',
      'ori r5,r5,0xa',
      'andi. r6,r5,9',
      'mark "say \\"hi\\"\\n"',
      'count wakeups',
      'halt',
    ]);
  });

  it('re-assembles printProgram output of the golden syntax tour to the same code', () => {
    const text = readFileSync(new URL('../test/golden/syntax-tour.s', import.meta.url), 'utf8');
    const img = linkImage({
      name: 'tour',
      sources: [{ file: 'tour.s', text }],
      globals: [{ name: 'x' }, { name: 'y' }],
      perThread: [{ name: 'HSTATE_HWTHREAD_STATE' }, { name: 'HSTATE_HWTHREAD_REQ' }],
      threads: [{ name: 'c', status: 'halted' }],
    });
    const again = linkImage({
      name: 'again',
      sources: [{ file: 'p.s', text: printProgram(img) }],
      threads: [{ name: 'c', status: 'halted' }],
    });
    expect(again.code).toEqual(img.code);
    expect(again.strings).toEqual(img.strings);
    expect(again.counters).toEqual(img.counters);
  });
});

describe('listing', () => {
  it('shows labels, pcs, canonical text and file:line', () => {
    const img = one('start:\tli r3,1\n\tb start\n');
    expect(listing(img)).toBe(
      [
        '# t: 2 instructions, 4 memory cells, 1 thread',
        '# memory',
        '#      1  x',
        '#      2  F0@cpu0  (cpu 0)',
        '#      3  F1@cpu0  (cpu 0)',
        '# threads',
        '#      0  c running pc=0 r13=2',
        '       start:',
        '    0    li        r3,1                        t.s:1',
        '    1    b         start                       t.s:2',
        '',
      ].join('\n'),
    );
  });
});

// ---- property: assemble(print(x)) == x for generated instruction sequences

const IMM: Record<string, [number, number]> = {
  li: [-32768, 32767],
  addi: [-32768, 32767],
  cmpwi: [-32768, 32767],
  mulli: [-32768, 32767],
  ori: [0, 65535],
  xori: [0, 65535],
  'andi.': [0, 65535],
  cmplwi: [0, 65535],
  lis: [-32768, 65535],
  addis: [-32768, 65535],
  wrteei: [0, 1],
  choose: [1, 65536],
  work: [0, 0x7fffffff],
};
const STRINGS = ['', 'plain', 'with "quotes"', 'back\\slash', 'tab\tand\nnewline', 'lost: stale frame'];
const COUNTERS = ['wakeups', 'fast_path', 'a.b', 'x1'];
const LABELS = ['loop', 'kvm_start_guest', '.Lout', 'P1.LC00', 'x$y'];
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

/** Raw operand values for one instruction; `target` values are fractions, scaled once the length is known. */
const arbInstr = fc.constantFrom(...OPCODES).chain((def) =>
  fc.tuple(
    fc.constant(def),
    fc.tuple(
      ...def.operands.map((o: OperandSpec) => {
        switch (o.kind) {
          case 'reg':
            return fc.integer({ min: 0, max: 31 });
          case 'crf?':
            return fc.integer({ min: 0, max: 7 });
          case 'imm': {
            const r = IMM[def.name];
            return r ? fc.integer({ min: r[0], max: r[1] }) : i32;
          }
          case 'disp':
            return fc.tuple(i32, fc.integer({ min: 0, max: 31 }));
          case 'target':
            return fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
          case 'spr':
            return fc.constantFrom(...Object.values(SPR));
          case 'str':
            return fc.constantFrom(...STRINGS);
          default:
            return fc.constantFrom(...COUNTERS);
        }
      }),
    ),
  ),
);

function buildImage(instrs: [(typeof OPCODES)[number], unknown[]][], labelPcs: number[]): Image {
  const n = instrs.length;
  const strings: string[] = [];
  const counters: string[] = [];
  const intern = (t: string[], s: string) => (t.includes(s) ? t.indexOf(s) : t.push(s) - 1);
  const code: number[] = [];
  for (const [def, vals] of instrs) {
    const w = [def.op, 0, 0, 0];
    const at = { a: 1, b: 2, c: 3 } as const;
    def.operands.forEach((o, k) => {
      const v = vals[k];
      if (o.kind === 'disp') {
        const [d, base] = v as [number, number];
        w[at[o.field]] = d;
        w[at[o.base!]] = base;
      } else if (o.kind === 'target') w[at[o.field]] = Math.floor((v as number) * n);
      else if (o.kind === 'str') w[at[o.field]] = intern(strings, v as string);
      else if (o.kind === 'counter') w[at[o.field]] = intern(counters, v as string);
      else w[at[o.field]] = v as number;
    });
    code.push(...w);
  }
  const labels: Record<string, number> = {};
  labelPcs.forEach((pc, i) => {
    if (i < LABELS.length) labels[LABELS[i]!] = Math.floor(pc * (n + 1));
  });
  return {
    format: IMAGE_FORMAT,
    version: IMAGE_VERSION,
    name: 'gen',
    code,
    labels,
    strings,
    counters,
    memory: { size: 1, init: [], symbols: [] },
    threadsPerCore: 1,
    threads: [],
    vectors: { systemReset: -1, external: -1, decrementer: -1, doorbell: -1 },
    events: [],
    observe: [],
    limits: DEFAULT_LIMITS,
  };
}

describe('round trip (fast-check)', () => {
  it('assemble(printProgram(image)) gives the same words, strings, counters and labels', () => {
    fc.assert(
      fc.property(
        fc.array(arbInstr, { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: LABELS.length }),
        (instrs, labelPcs) => {
          const img = buildImage(instrs as never, labelPcs);
          const text = printProgram(img);
          const again = linkImage({
            name: 'rt',
            sources: [{ file: 'rt.s', text }],
            threads: [{ name: 't', status: 'halted' }],
          });
          expect(again.code).toEqual(img.code);
          expect(again.strings).toEqual(img.strings);
          expect(again.counters).toEqual(img.counters);
          for (const [name, pc] of Object.entries(img.labels)) expect(again.labels[name]).toBe(pc);
        },
      ),
      { numRuns: 300, seed: 20240607 },
    );
  });
});
