import { describe, expect, it } from 'vitest';
import { OPCODES, Op, SPR } from './opcodes.js';
import {
  isLocalInstr,
  LOCAL_ALWAYS,
  LOCAL_SC_ONLY,
  LOCAL_UNLESS_DEC,
  localClass,
  reductionFacts,
} from './reduce.js';

describe('the locality table of the reduced search (SEMANTICS.md 17.2)', () => {
  it('classifies every opcode as the section lists', () => {
    const local = OPCODES.filter((d) => localClass(d.op) !== 0).map((d) => d.name);
    const never = OPCODES.filter((d) => localClass(d.op) === 0).map((d) => d.name);
    for (const d of OPCODES)
      if (d.cls === 'int' || d.cls === 'compare' || d.cls === 'branch') expect(local).toContain(d.name);
    expect(never.sort()).toEqual(
      [
        'lwz',
        'lwzx',
        'stw',
        'stwx',
        'stwu',
        'lwarx',
        'stwcx.',
        'nap',
        'msgsnd',
        'msgclr',
        'mftb',
        'ipi',
        'eoi',
        'await.eq',
        'await.ne',
        'halt',
        'lost',
        'assert.eq',
        'assert.ne',
      ].sort(),
    );
    expect(localClass(Op.sync!)).toBe(LOCAL_SC_ONLY);
    expect(localClass(Op.mtspr!)).toBe(LOCAL_UNLESS_DEC);
    expect(localClass(Op.lwsync!)).toBe(LOCAL_ALWAYS);
    expect(localClass(-1)).toBe(0);
  });

  it('depends on the memory model and, for mtspr, on the SPR', () => {
    expect(isLocalInstr(Op.sync!, 0, 'sc')).toBe(true);
    expect(isLocalInstr(Op.sync!, 0, 'tso')).toBe(false);
    expect(isLocalInstr(Op.mtspr!, SPR.LPCR, 'tso')).toBe(true);
    expect(isLocalInstr(Op.mtspr!, SPR.DEC, 'sc')).toBe(false);
    expect(isLocalInstr(Op.lwz!, 0, 'sc')).toBe(false);
  });

  it('applies under sc and tso to images without asserts or mftb', () => {
    const code = [Op.li!, 1, 0, 1, Op.msgsnd!, 0, 1, 0];
    expect(reductionFacts(code, 'sc')).toEqual({ applies: true, sends: true });
    expect(reductionFacts(code, 'power').applies).toBe(false);
    expect(reductionFacts([...code, Op['assert.ne']!, 1, 0, 0], 'tso').applies).toBe(false);
    expect(reductionFacts([...code, Op.mftb!, 9, 0, 0], 'sc').applies).toBe(false);
    expect(reductionFacts([Op.nop!, 0, 0, 0], 'tso')).toEqual({ applies: true, sends: false });
  });
});
