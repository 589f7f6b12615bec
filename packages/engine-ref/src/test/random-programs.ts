/**
 * Random programs for property tests (fast-check): up to three threads over cells 1 and 2
 * (r6 -> 1, r7 -> 2, r8 -> 9: a bad address), with doorbells to the next cpu (r9), naps woken at a
 * reset vector, EE on or off with a doorbell handler, choose, reservations, awaits (which can lock
 * up) and asserts, so every outcome can occur. With `power`, also `isync`, compares and a
 * conditional branch, so control dependencies and speculation past branches occur.
 */
import { DEFAULT_LIMITS, type Image, type Limits, LPCR_PECEDH, PEND_DBELL } from '@naplab/isa';
import fc from 'fast-check';
import { type Line, makeImage, reg } from './build.js';

export interface RandomProgram {
  threads: { code: Line[]; ee: 0 | 1 }[];
  event: boolean;
  storeBuffer: number;
}

function instr(power: boolean): fc.Arbitrary<Line> {
  const r = fc.integer({ min: 1, max: 5 });
  const base = fc.constantFrom(6, 7, 6, 7, 8);
  const simple: Line[] = [
    ['sync'],
    ['lwsync'],
    ['msgsnd', 9],
    ['nap'],
    ['msgclr', 0],
    ['mftb', 5],
    ['count', 0],
  ];
  if (power) simple.push(['isync'], ['beq', 0, 'sreset']);
  const arbitraries: fc.Arbitrary<Line>[] = [
    fc.tuple(fc.constant('li'), r, fc.integer({ min: 0, max: 3 })),
    fc.tuple(fc.constant('stw'), r, fc.constant(0), base),
    fc.tuple(fc.constant('lwz'), r, fc.constant(0), base),
    fc.tuple(fc.constant('lwarx'), r, fc.constant(0), base),
    fc.tuple(fc.constant('stwcx.'), r, fc.constant(0), base),
    fc.tuple(fc.constant('await.eq'), fc.constant(0), base, fc.integer({ min: 0, max: 1 })),
    fc.tuple(fc.constant('choose'), r, fc.integer({ min: 1, max: 3 })),
    fc.tuple(fc.constant('assert.ne'), r, fc.constant(3), fc.constant(0)),
  ] as fc.Arbitrary<Line>[];
  if (power)
    arbitraries.push(fc.tuple(fc.constant('cmpwi'), fc.constant(0), r, fc.integer({ min: 0, max: 2 })));
  return fc.oneof(...arbitraries, fc.constantFrom<Line>(...simple));
}

export function randomProgram(opts: { power?: boolean } = {}): fc.Arbitrary<RandomProgram> {
  return fc.record({
    threads: fc.array(
      fc.record({
        code: fc.array(instr(opts.power ?? false), { minLength: 1, maxLength: 5 }),
        ee: fc.constantFrom<0 | 1>(0, 1),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    event: fc.boolean(),
    storeBuffer: fc.integer({ min: 1, max: 2 }),
  });
}

export function randomProgramImage(p: RandomProgram, limits: Partial<Limits>): Image {
  const n = p.threads.length;
  const code: Line[] = [];
  p.threads.forEach((t, i) => {
    code.push(`t${i}:`, ...t.code, ['halt']);
  });
  code.push('sreset:', ['halt'], 'dbell:', ['addi', 10, 10, 1], ['rfid']);
  return makeImage({
    code,
    threads: p.threads.map((t, i) => ({
      start: `t${i}`,
      regs: { 6: 1, 7: 2, 8: 9, 9: (i + 1) % n },
      msrEE: t.ee,
      lpcr: LPCR_PECEDH,
    })),
    memSize: 3,
    strings: ['three'],
    counters: ['c'],
    vectors: { systemReset: 'sreset', doorbell: 'dbell' },
    events: p.event ? [{ kind: PEND_DBELL, cpu: 0, count: 1, whenNapping: false }] : [],
    observe: [reg(0, 1), reg(n - 1, 2), { kind: 'mem', addr: 1 }, { kind: 'mem', addr: 2 }],
    limits: { ...DEFAULT_LIMITS, storeBuffer: p.storeBuffer, ...limits },
  });
}
