import { Op, SPR } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { type AsmUnit, assemble, type SymbolEnv } from './assembler.js';
import { AsmError } from './diagnostics.js';
import { parseAssembly } from './parser.js';

const unit = (text: string, file = 't.s', scope?: string): AsmUnit => ({
  ...parseAssembly(file, text),
  scope,
});
const words = (text: string, env?: SymbolEnv) => {
  const code = assemble([unit(text)], env).code;
  const out: number[][] = [];
  for (let i = 0; i < code.length; i += 4) out.push(code.slice(i, i + 4));
  return out;
};
const errors = (text: string, env?: SymbolEnv, units?: AsmUnit[]) => {
  try {
    assemble(units ?? [unit(text)], env);
  } catch (e) {
    if (e instanceof AsmError) return e.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    throw e;
  }
  return [];
};

const KERNEL_ENV: SymbolEnv = {
  defines: { KVM_HWTHREAD_IN_KERNEL: 0 },
  fields: { HSTATE_HWTHREAD_STATE: 0, HSTATE_HWTHREAD_REQ: 1 },
};

describe('assemble', () => {
  it('assembles the kernel wakeup snippet', () => {
    const text = `pnv_powersave_wakeup:
	lbz	r0,HSTATE_HWTHREAD_STATE(r13)
	cmpwi	r0,KVM_HWTHREAD_IN_KERNEL
	beq	1f
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	sync
1:	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	bne	kvm_start_guest
	b	pnv_wakeup_noloss
kvm_start_guest:
	halt
pnv_wakeup_noloss:
	halt`;
    const out = assemble([unit(text)], KERNEL_ENV);
    expect(out.labels).toEqual({ pnv_powersave_wakeup: 0, kvm_start_guest: 10, pnv_wakeup_noloss: 11 });
    const w = [];
    for (let i = 0; i < out.code.length; i += 4) w.push(out.code.slice(i, i + 4));
    expect(w).toEqual([
      [Op.lwz, 0, 13, 0],
      [Op.cmpwi, 0, 0, 0],
      [Op.beq, 0, 6, 0],
      [Op.li, 0, 0, 0],
      [Op.stw, 0, 13, 0],
      [Op.sync, 0, 0, 0],
      [Op.lwz, 0, 13, 1],
      [Op.cmpwi, 0, 0, 0],
      [Op.bne, 0, 10, 0],
      [Op.b, 0, 11, 0],
      [Op.halt, 0, 0, 0],
      [Op.halt, 0, 0, 0],
    ]);
    expect(out.locs.map((l) => l.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15]);
    expect(out.locs[6]).toEqual({ file: 0, line: 8, col: 4 });
  });

  it('rewrites extended mnemonics', () => {
    expect(
      words(
        'subi r3,r4,5\nsub r3,r4,r5\nsync 0\nsync 1\nsync 2\nhwsync\nptesync\nmfsrr0 r1\nmfsrr1 r1\nmtsrr0 r2\nmtsrr1 r2\nmflpcr r3\nmtlpcr r3\nmfdec r4\nmtdec r4\nmfpir r5\nmflpid r6\nmtlpid r6',
      ),
    ).toEqual([
      [Op.addi, 3, 4, -5],
      [Op.subf, 3, 5, 4],
      [Op.sync, 0, 0, 0],
      [Op.lwsync, 0, 0, 0],
      [Op.sync, 0, 0, 0],
      [Op.sync, 0, 0, 0],
      [Op.sync, 0, 0, 0],
      [Op.mfspr, 1, SPR.SRR0, 0],
      [Op.mfspr, 1, SPR.SRR1, 0],
      [Op.mtspr, 2, SPR.SRR0, 0],
      [Op.mtspr, 2, SPR.SRR1, 0],
      [Op.mfspr, 3, SPR.LPCR, 0],
      [Op.mtspr, 3, SPR.LPCR, 0],
      [Op.mfspr, 4, SPR.DEC, 0],
      [Op.mtspr, 4, SPR.DEC, 0],
      [Op.mfspr, 5, SPR.PIR, 0],
      [Op.mfspr, 6, SPR.LPID, 0],
      [Op.mtspr, 6, SPR.LPID, 0],
    ]);
  });

  it('accepts aliases, upper case, SPR names, SPRN_ names and SPR numbers', () => {
    expect(
      words(
        'LBZ r3,0(r4)\nstd r3,1(r4)\nstdcx. r1,r2,r3\ncmpdi cr1,r3,-1\nmfspr r3,SPRN_LPCR\nmfspr r3,lr\nmtspr 26,r3\nrvwinkle\nhrfid',
      ),
    ).toEqual([
      [Op.lwz, 3, 4, 0],
      [Op.stw, 3, 4, 1],
      [Op['stwcx.'], 1, 2, 3],
      [Op.cmpwi, 1, 3, -1],
      [Op.mfspr, 3, 318, 0],
      [Op.mfspr, 3, 8, 0],
      [Op.mtspr, 3, 26, 0],
      [Op.nap, 0, 0, 0],
      [Op.rfid, 0, 0, 0],
    ]);
  });

  it('places operands in the fields the opcode table names', () => {
    expect(
      words(
        'await.ne 3(r13),7\nassert.eq r4,-2,"msg"\nchoose r9,4\nwrteei 1\nla r3,-4(r1)\nstwu r1,-1(r1)\nmsgsnd r7',
      ),
    ).toEqual([
      [Op['await.ne'], 7, 13, 3],
      [Op['assert.eq'], 4, -2, 0],
      [Op.choose, 9, 4, 0],
      [Op.wrteei, 1, 0, 0],
      [Op.la, 3, 1, -4],
      [Op.stwu, 1, 1, -1],
      [Op.msgsnd, 7, 0, 0],
    ]);
  });

  it('checks immediate ranges per instruction', () => {
    expect(
      words('li r3,-32768\nli r3,32767\nori r3,r3,0xffff\nlis r3,-32768\nlis r3,0xffff\nchoose r3,65536'),
    ).toEqual([
      [Op.li, 3, 0, -32768],
      [Op.li, 3, 0, 32767],
      [Op.ori, 3, 3, 0xffff],
      [Op.lis, 3, 0, -32768],
      [Op.lis, 3, 0, 0xffff],
      [Op.choose, 3, 65536, 0],
    ]);
    expect(
      errors(
        'li r3,32768\nli r3,-32769\nori r3,r3,0x10000\nandi. r3,r3,-1\nlis r3,65536\ncmplwi r3,-1\nchoose r3,0\nsubi r3,r3,-32768',
      ),
    ).toEqual([
      "1:7 NAP105 immediate out of range for 'li'",
      "2:7 NAP105 immediate out of range for 'li'",
      "3:11 NAP105 immediate out of range for 'ori'",
      "4:13 NAP105 immediate out of range for 'andi.'",
      "5:8 NAP105 immediate out of range for 'lis'",
      "6:11 NAP105 immediate out of range for 'cmplwi'",
      "7:11 NAP105 immediate out of range for 'choose'",
      "8:12 NAP105 immediate out of range for 'subi'",
    ]);
  });

  it('takes any 32-bit displacement (addresses are cell indices) and wraps unsigned values', () => {
    expect(
      words(
        'lwz r3,0x7fffffff(r4)\nlwz r3,0xffffffff(r4)\nstw r3,-0x80000000(r4)\nassert.ne r3,0x80000000,"w"',
      ),
    ).toEqual([
      [Op.lwz, 3, 4, 0x7fffffff],
      [Op.lwz, 3, 4, -1],
      [Op.stw, 3, 4, -0x80000000],
      [Op['assert.ne'], 3, -0x80000000, 0],
    ]);
    expect(errors('lwz r3,0x100000000(r4)')).toEqual(["1:8 NAP105 immediate out of range for 'lwz'"]);
  });

  it('evaluates expressions: operators, equates, relocations, the current instruction', () => {
    const text = `.set V, 0x12348765
	A = (7 % 4) ^ 1 | 8
	.equ B, A << 2 >> 1
	li r1,A
	li r2,B
	li r3,-(2+3)*4/3
	lis r4,V@ha
	addi r4,r4,V@l
	lis r5,V@h
	li r6,~0 & 0xff
	b .
	b .-1`;
    expect(words(text)).toEqual([
      [Op.li, 1, 0, 10],
      [Op.li, 2, 0, 20],
      [Op.li, 3, 0, -6],
      [Op.lis, 4, 0, 0x1235],
      [Op.addi, 4, 4, 0x8765 - 0x10000],
      [Op.lis, 5, 0, 0x1234],
      [Op.li, 6, 0, 255],
      [Op.b, 0, 7, 0],
      [Op.b, 0, 7, 0],
    ]);
    // lis + addi with @ha/@l rebuilds the value
    expect(((0x1235 << 16) + (0x8765 - 0x10000)) >>> 0).toBe(0x12348765);
  });

  it('resolves local labels to the nearest definition in the right direction', () => {
    const text = `1:	nop
	b 1b
	b 1f
1:	b 1b
	b 1f
	b 2f
1:	nop
2:	nop`;
    expect(words(text).map((w) => w[2])).toEqual([0, 0, 3, 3, 6, 7, 0, 0]);
  });

  it('interns strings and counters in order of first use', () => {
    const out = assemble([unit('mark "a"\ncount x\nlost "b"\nmark "a"\ncount y\ncount x')]);
    expect(out.strings).toEqual(['a', 'b']);
    expect(out.counters).toEqual(['x', 'y']);
    expect(out.code.filter((_, i) => i % 4 === 1)).toEqual([0, 0, 1, 0, 1, 0]);
  });

  it('resolves symbols in order: labels, equates, defines, per-thread fields, memory', () => {
    const env: SymbolEnv = { defines: { D: 100, F: 101 }, fields: { F: 2, M: 3 }, memory: { M: 50, G: 60 } };
    expect(
      words('L: li r3,L\n.set L2, 7\nli r4,L2\nli r5,D\nli r6,F\nli r7,M\nli r8,G', env).map((w) => w[3]),
    ).toEqual([0, 7, 100, 101, 3, 60]);
    // file equates shadow defines
    expect(words('.set D, 5\nli r3,D', env)[0]).toEqual([Op.li, 3, 0, 5]);
  });

  it('collects many errors per file with the right codes', () => {
    expect(
      errors(
        'lwzz r3,0(r4)\nli r3\nadd r3,r4,cr2\nb nowhere\nli r3,UNDEF\nmfspr r3,SRR9\n.set A, A\nli r3,A\nlabel:\nlabel: nop',
      ),
    ).toEqual(
      [
        "3:11 NAP102 bad operand for 'add'",
        "1:1 NAP101 unknown mnemonic 'lwzz'",
        "2:1 NAP107 wrong number of operands for 'li'",
        "4:3 NAP103 undefined label 'nowhere'",
        "5:7 NAP103 undefined symbol 'UNDEF'",
        "6:10 NAP102 unknown special purpose register 'SRR9'",
        "7:9 NAP111 equate 'A' depends on itself",
        "10:1 NAP104 duplicate label 'label'",
      ].sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0])),
    );
  });

  it('keeps global labels unique across files, local labels and equates per file', () => {
    expect(errors('', {}, [unit('f: nop', 'a.s'), unit('f: nop', 'b.s')])).toEqual([
      "1:1 NAP104 duplicate label 'f'",
    ]);
    expect(errors('', {}, [unit('1: nop\n.set K, 1', 'a.s'), unit('b 1b\nli r3,K', 'b.s')])).toEqual([
      "1:3 NAP103 undefined local label '1b'",
      "2:7 NAP103 undefined symbol 'K'",
    ]);
    // scoped units (litmus threads) keep labels private and expose them as scope.name
    const out = assemble([unit('LC00: b LC00', 'm', 'P0'), unit('nop\nLC00: b LC00', 'm', 'P1')]);
    expect(out.labels).toEqual({ P0: 0, 'P0.LC00': 0, P1: 1, 'P1.LC00': 2 });
    expect(out.code[2 * 4 + 2]).toBe(2);
  });

  it('suggests a colon for a lone word that is no mnemonic', () => {
    try {
      assemble([unit('kvm_start_guest\n\thalt')]);
      expect.unreachable();
    } catch (e) {
      expect((e as AsmError).diagnostics.map((d) => d.hint)).toEqual([
        "if 'kvm_start_guest' is a label, end it with a colon: 'kvm_start_guest:'",
      ]);
    }
  });

  it('accepts bare register numbers and rejects out-of-range registers', () => {
    expect(words('li 3,1\nadd 3,4,5\nlwz 3,8(4)')).toEqual([
      [Op.li, 3, 0, 1],
      [Op.add, 3, 4, 5],
      [Op.lwz, 3, 4, 8],
    ]);
    expect(errors('li 32,1\nmr r3,r32\ncmpw cr8,r3,r4')).toEqual([
      "1:4 NAP102 bad operand for 'li'",
      "2:7 NAP102 bad operand for 'mr'",
      "3:6 NAP103 undefined symbol 'cr8'",
    ]);
  });
});
