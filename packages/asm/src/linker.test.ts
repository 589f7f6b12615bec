import { DEFAULT_LIMITS, Op, PEND_DBELL, PEND_EXT, validateImage } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { AsmError } from './diagnostics.js';
import { linkImage } from './linker.js';
import type { ImageSpec } from './spec.js';

const WAKE = `pnv_powersave_wakeup:
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
`;
const TAIL = `kvm_start_guest:
	li	r3,1
	halt
pnv_wakeup_noloss:
	ld	r1,PACAR1(r13)
	mtlr	r1
	blr
idle:	nap
`;

const base = (): ImageSpec => ({
  name: 'kvm',
  sources: [
    { file: 'wake.s', text: WAKE },
    { file: 'tail.s', text: TAIL },
  ],
  defines: { KVM_HWTHREAD_IN_KERNEL: 0, KVM_HWTHREAD_IN_IDLE: 1 },
  globals: [
    { name: 'ksm_done', cpu: 1 },
    { name: 'frames', size: 3, init: [5, 'idle', 'idle+1'] },
  ],
  perThread: [
    { name: 'HSTATE_HWTHREAD_STATE', init: (cpu) => (cpu === 0 ? 0 : 'KVM_HWTHREAD_IN_IDLE') },
    { name: 'HSTATE_HWTHREAD_REQ' },
    { name: 'PACAR1', init: 'idle' },
  ],
  threadsPerCore: 2,
  threads: [
    { name: 'primary', entry: 'pnv_powersave_wakeup', regs: { 4: 'HSTATE_HWTHREAD_REQ@cpu1', 5: 7 } },
    { name: 'secondary', status: 'napping', lpcr: 0x1000, mustHalt: false, pending: PEND_DBELL },
  ],
  vectors: { systemReset: 'pnv_powersave_wakeup', doorbell: 'idle' },
  events: [{ kind: 'external', cpu: 1, count: 2, whenNapping: true }],
  observe: [{ cpu: 0, reg: 3 }, { mem: 'ksm_done' }, { mem: 'HSTATE_HWTHREAD_REQ@cpu1' }],
  limits: { maxSteps: 1000 },
  meta: { variant: 'fixed' },
});

function codes(spec: ImageSpec): string[] {
  try {
    linkImage(spec);
  } catch (e) {
    if (e instanceof AsmError) return e.diagnostics.map((d) => `${d.code} ${d.message}`);
    throw e;
  }
  return [];
}

describe('linkImage', () => {
  const img = linkImage(base());

  it('lays out memory: null cell, globals, then one per-thread block per thread', () => {
    expect(img.memory.size).toBe(1 + 1 + 3 + 2 * 3);
    expect(img.memory.symbols).toEqual([
      { name: 'ksm_done', addr: 1, size: 1, cpu: 1 },
      { name: 'frames', addr: 2, size: 3 },
      { name: 'HSTATE_HWTHREAD_STATE@cpu0', addr: 5, size: 1, cpu: 0 },
      { name: 'HSTATE_HWTHREAD_REQ@cpu0', addr: 6, size: 1, cpu: 0 },
      { name: 'PACAR1@cpu0', addr: 7, size: 1, cpu: 0 },
      { name: 'HSTATE_HWTHREAD_STATE@cpu1', addr: 8, size: 1, cpu: 1 },
      { name: 'HSTATE_HWTHREAD_REQ@cpu1', addr: 9, size: 1, cpu: 1 },
      { name: 'PACAR1@cpu1', addr: 10, size: 1, cpu: 1 },
    ]);
    const idle = img.labels.idle!;
    expect(idle).toBe(15);
    // zero values are left out of the sparse init list
    expect(img.memory.init).toEqual([
      [2, 5],
      [3, idle],
      [4, idle + 1],
      [7, idle],
      [8, 1],
      [10, idle],
    ]);
  });

  it('assembles all sources into one code array with labels and source locations', () => {
    expect(img.labels).toEqual({
      pnv_powersave_wakeup: 0,
      kvm_start_guest: 10,
      pnv_wakeup_noloss: 12,
      idle: 15,
    });
    expect(img.code.length / 4).toBe(16);
    // per-thread fields are offsets from r13
    expect(img.code.slice(0, 4)).toEqual([Op.lwz, 0, 13, 0]);
    expect(img.code.slice(6 * 4, 7 * 4)).toEqual([Op.lwz, 0, 13, 1]);
    expect(img.code.slice(12 * 4, 13 * 4)).toEqual([Op.lwz, 1, 13, 2]);
    expect(img.source!.files).toEqual(['wake.s', 'tail.s']);
    expect(img.source!.locs[10]).toEqual({ file: 1, line: 2, col: 2 });
  });

  it('starts threads with r13 at their own block and resolves symbolic registers', () => {
    expect(img.threads).toEqual([
      {
        cpu: 0,
        name: 'primary',
        pc: 0,
        status: 0,
        regs: [
          [4, 9],
          [5, 7],
          [13, 5],
        ],
        msrEE: 0,
        lpcr: 0,
        lpid: 0,
        pending: 0,
        mustHalt: true,
      },
      {
        cpu: 1,
        name: 'secondary',
        pc: 0,
        status: 1,
        regs: [[13, 8]],
        msrEE: 0,
        lpcr: 0x1000,
        lpid: 0,
        pending: PEND_DBELL,
        mustHalt: false,
      },
    ]);
    expect(img.threadsPerCore).toBe(2);
  });

  it('resolves vectors, events, observations, limits and meta', () => {
    expect(img.vectors).toEqual({ systemReset: 0, external: -1, decrementer: -1, doorbell: 15 });
    expect(img.events).toEqual([{ kind: PEND_EXT, cpu: 1, count: 2, whenNapping: true }]);
    expect(img.observe).toEqual([
      { kind: 'reg', cpu: 0, reg: 3 },
      { kind: 'mem', addr: 1 },
      { kind: 'mem', addr: 9 },
    ]);
    expect(img.limits).toEqual({ ...DEFAULT_LIMITS, maxSteps: 1000 });
    expect(img.meta).toEqual({ variant: 'fixed' });
    expect(() => validateImage(JSON.parse(JSON.stringify(img)))).not.toThrow();
  });

  it('gives absolute per-thread addresses as FIELD@cpuN and block bases as paca@cpuN', () => {
    const spec = base();
    spec.sources.push({
      file: 'abs.s',
      text: 'abs: li r3,HSTATE_HWTHREAD_REQ@cpu1\n li r4,paca@cpu1\n lwz r5,HSTATE_HWTHREAD_REQ(r4)\n',
    });
    const i = linkImage(spec);
    const at = i.labels.abs!;
    expect(i.code.slice(at * 4, at * 4 + 12)).toEqual([Op.li, 3, 0, 9, Op.li, 4, 0, 8, Op.lwz, 5, 4, 1]);
  });

  it('does not touch r13 when there are no per-thread fields', () => {
    const i = linkImage({
      name: 'p',
      sources: [{ file: 'a.s', text: 'go: halt' }],
      threads: [{ name: 't', entry: 'go' }],
    });
    expect(i.threads[0]!.regs).toEqual([]);
    expect(i.memory).toEqual({ size: 1, init: [], symbols: [] });
    expect(i.threadsPerCore).toBe(1);
    expect(i.source).toEqual({ files: ['a.s'], locs: [{ file: 0, line: 1, col: 5 }] });
  });

  it('lets ThreadSpec.regs override r13', () => {
    const spec = base();
    spec.threads[0]!.regs = { 13: 'paca@cpu1' };
    expect(linkImage(spec).threads[0]!.regs).toEqual([[13, 8]]);
  });

  it('reports parse, assembly and spec errors together', () => {
    const spec = base();
    spec.sources.push({ file: 'bad.s', text: 'li r3 1\nb nowhere\npnv_powersave_wakeup: nop' });
    spec.threads[0]!.entry = 'pnv_powersave_wakeupp';
    spec.vectors = { systemReset: 'sreset' };
    spec.events = [{ kind: 'doorbell', cpu: 2, count: 1 }];
    spec.observe = [{ mem: 'ksm_don' }];
    spec.globals!.push({ name: 'frames' });
    expect(codes(spec)).toEqual([
      'NAP100 expected a comma between operands',
      "NAP103 undefined label 'nowhere'",
      "NAP104 duplicate label 'pnv_powersave_wakeup'",
      "NAP304 globals[2].name: duplicate memory symbol 'frames'",
      "NAP301 threads[0].entry: unknown label 'pnv_powersave_wakeupp'",
      "NAP301 vectors.systemReset: unknown label 'sreset'",
      'NAP303 events[0].cpu: cpu 2 is not one of the threads 0..1',
      "NAP301 observe[0].mem: unknown symbol 'ksm_don'",
    ]);
  });

  it('rejects bad spec values with named fields', () => {
    expect(
      codes({
        name: 'v',
        sources: [{ file: 'a.s', text: 'go: halt' }],
        globals: [
          { name: 'g', init: 0x100000000 },
          { name: 'h', init: 'go +' },
        ],
        threads: [{ name: 't', entry: 'go', msrEE: 2 as 0, regs: { 3: 'go/0' } }],
        limits: { maxSteps: 0, nonsense: 1 } as never,
      }),
    ).toEqual([
      "NAP305 threads[0].regs[3]: 'go/0': division by zero",
      'NAP302 threads[0].msrEE: must be 0 or 1, found 2',
      'NAP305 limits.maxSteps: must be an integer 1..1000000000, found 0',
      'NAP305 limits.nonsense: unknown limit',
      'NAP305 globals[0].init: 4294967296 is not a 32-bit integer',
      "NAP305 globals[1].init: cannot read 'go +' as a number or a symbol expression",
    ]);
    expect(codes({ name: 'none', sources: [], threads: [] })).toEqual([
      'NAP302 threads: an image has 1..64 threads, found 0',
    ]);
  });
});
