/**
 * Fixture images for the engine tests: the shared litmus tests (assembled by @naplab/asm), small
 * programs that exercise every corner of the machine, and random valid images for fast-check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { linkImage, litmusToImage, parseLitmus } from '@naplab/asm';
import {
  DEFAULT_LIMITS,
  IMAGE_FORMAT,
  IMAGE_VERSION,
  type Image,
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  OPCODES,
  type OpcodeDef,
  PEND_DBELL,
  PEND_DEC,
  PEND_EXT,
  SPR,
} from '@naplab/isa';
import fc from 'fast-check';

export const LITMUS_DIR = new URL('../../../litmus/', import.meta.url);

/** The 28 shared litmus tests, as images. */
export function litmusImages(): { name: string; image: Image }[] {
  return readdirSync(LITMUS_DIR)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.litmus$/, ''),
      image: litmusToImage(parseLitmus(f, readFileSync(new URL(f, LITMUS_DIR), 'utf8'))),
    }));
}

const ALL_WAKE = LPCR_PECE0 | LPCR_PECE1 | LPCR_PECEDH;

/** Small programs covering interrupts, nap/wake, doorbells, the decrementer, events, reservations, every outcome and choose. */
export function programImages(): { name: string; image: Image }[] {
  const out: { name: string; image: Image }[] = [];

  // A primary thread publishes work and wakes a napping secondary with a doorbell; the
  // secondary resumes at the system-reset vector, reads SRR1 and acknowledges.
  out.push({
    name: 'doorbell-wakeup',
    image: linkImage({
      name: 'doorbell-wakeup',
      sources: [
        {
          file: 'wake.S',
          text: `
primary:
        li      r3,42
        stw     r3,work(0)
        sync
        li      r4,1
        msgsnd  r4
        await.eq ack(0),1
        lwz     r5,ack(0)
        halt
sreset:
        msgclr  r0
        mfspr   r6,SRR1
        count   wakes
        lwz     r7,work(0)
        cmpwi   r7,42
        bne     0f
        li      r8,1
        stw     r8,ack(0)
        halt
0:      lost    "woke up too early"
`,
        },
      ],
      globals: [{ name: 'work' }, { name: 'ack', cpu: 1 }],
      threads: [
        { name: 'primary', entry: 'primary' },
        { name: 'secondary', status: 'napping', lpcr: LPCR_PECEDH },
      ],
      vectors: { systemReset: 'sreset' },
      observe: [{ mem: 'ack' }, { cpu: 1, reg: 6 }, { cpu: 1, reg: 7 }],
    }),
  });

  // Interrupts taken by running threads: an IPI (external), a doorbell and the decrementer, each
  // with its own vector that counts, clears and returns with rfid.
  out.push({
    name: 'interrupts',
    image: linkImage({
      name: 'interrupts',
      sources: [
        {
          file: 'irq.S',
          text: `
t0:
        li      r4,1
        ipi     r4
        li      r4,2
        msgsnd  r4
        li      r3,3
        mtspr   DEC,r3
        li      r5,0
        mtctr   r5
1:      mfctr   r5
        addi    r5,r5,1
        mtctr   r5
        cmpwi   r5,4
        blt     1b
        wrteei  0
        halt
t1:
        wrteei  1
        nop
        nop
        mfmsr   r9
        halt
t2:
        li      r3,1
        mtmsrd  r3
        li      r3,0x7fff
        ori     r3,r3,0x8000
        mtmsrd  r3
        mfmsr   r9
        halt
ext:
        count   external
        eoi
        mfspr   r10,SRR0
        rfid
dec:
        count   decrementer
        mfspr   r11,DEC
        li      r12,0x7fff
        lis     r12,0x7fff
        ori     r12,r12,0xffff
        mtspr   DEC,r12
        rfid
db:
        count   doorbell
        msgclr  r0
        rfid
`,
        },
      ],
      threads: [
        { name: 't0', entry: 't0', msrEE: 1 },
        { name: 't1', entry: 't1' },
        { name: 't2', entry: 't2' },
      ],
      vectors: { external: 'ext', decrementer: 'dec', doorbell: 'db' },
      observe: [
        { cpu: 1, reg: 9 },
        { cpu: 1, reg: 10 },
        { cpu: 2, reg: 9 },
        { cpu: 0, reg: 11 },
      ],
      limits: { maxSteps: 200 },
    }),
  });

  // Environment events offered to the scheduler: stray doorbells, IPIs and decrementer
  // interrupts to a napping thread (some only while it naps), and to a running one.
  out.push({
    name: 'events',
    image: linkImage({
      name: 'events',
      sources: [
        {
          file: 'ev.S',
          text: `
sleeper:
        nap
sreset:
        mfspr   r3,SRR1
        count   woke
        msgclr  r0
        eoi
        lwz     r4,done(0)
        cmpwi   r4,1
        beq     2f
        nap
2:      halt
runner:
        wrteei  1
        li      r5,1
        stw     r5,done(0)
        wrteei  0
        halt
irq:
        count   irq
        eoi
        msgclr  r0
        rfid
`,
        },
      ],
      globals: [{ name: 'done' }],
      threads: [
        { name: 'sleeper', entry: 'sleeper', lpcr: ALL_WAKE, mustHalt: false },
        { name: 'runner', entry: 'runner' },
      ],
      vectors: { systemReset: 'sreset', external: 'irq', doorbell: 'irq', decrementer: 'irq' },
      events: [
        { kind: 'doorbell', cpu: 0, count: 2, whenNapping: true },
        { kind: 'external', cpu: 0, count: 1 },
        { kind: 'decrementer', cpu: 0, count: 1, whenNapping: true },
        { kind: 'external', cpu: 1, count: 1 },
      ],
      observe: [{ cpu: 0, reg: 3 }, { mem: 'done' }],
      limits: { maxSteps: 60 },
    }),
  });

  // lwarx / stwcx. atomic increments by three threads, then an assert on the total.
  out.push({
    name: 'atomic-inc',
    image: linkImage({
      name: 'atomic-inc',
      sources: [
        {
          file: 'atomic.S',
          text: `
inc:
        li      r4,0
1:      lwarx   r3,r4,r2
        addi    r3,r3,1
        stwcx.  r3,r4,r2
        bne     1b
        count   incremented
        li      r5,1
        stwx    r5,r6,r7
        halt
check:
        await.eq done+0(0),1
        await.eq done+1(0),1
        lwz     r3,0(r2)
        assert.eq r3,2,"lost an atomic increment"
        halt
`,
        },
      ],
      globals: [{ name: 'counter' }, { name: 'done', size: 2 }],
      threads: [
        { name: 'a', entry: 'inc', regs: { 2: 'counter', 6: 'done', 7: 0 } },
        { name: 'b', entry: 'inc', regs: { 2: 'counter', 6: 'done', 7: 1 } },
        { name: 'checker', entry: 'check', regs: { 2: 'counter' } },
      ],
      observe: [{ mem: 'counter' }],
    }),
  });

  // The same with a plain load/add/store: the assert can fail.
  out.push({
    name: 'racy-inc',
    image: linkImage({
      name: 'racy-inc',
      sources: [
        {
          file: 'racy.S',
          text: `
inc:
        lwz     r3,0(r2)
        addi    r3,r3,1
        stw     r3,0(r2)
        li      r5,1
        stwu    r5,1(r6)
        halt
check:
        await.ne done+0(0),0
        await.ne done+1(0),0
        lwz     r3,0(r2)
        assert.eq r3,2,"lost an increment"
        halt
`,
        },
      ],
      globals: [{ name: 'counter' }, { name: 'done', size: 2 }],
      threads: [
        { name: 'a', entry: 'inc', regs: { 2: 'counter', 6: 'counter' } },
        { name: 'b', entry: 'inc', regs: { 2: 'counter', 6: 'done' } },
        { name: 'checker', entry: 'check', regs: { 2: 'counter' } },
      ],
      observe: [{ mem: 'counter' }, { cpu: 0, reg: 6 }],
    }),
  });

  // choose decides whether a thread gets lost; a waiter on the lost thread's flag locks up.
  out.push({
    name: 'lost-lockup',
    image: linkImage({
      name: 'lost-lockup',
      sources: [
        {
          file: 'lost.S',
          text: `
victim:
        choose  r3,3
        cmpwi   r3,0
        beq     1f
        cmpwi   r3,1
        beq     2f
        li      r4,1
        stw     r4,CALL_DONE(r13)
        halt
1:      lost    "returned through a stale frame"
2:      li      r4,1
        stw     r4,CALL_DONE(r13)
        lost    "lost after signalling"
waiter:
        await.eq CALL_DONE@cpu0(0),1
        halt
`,
        },
      ],
      perThread: [{ name: 'CALL_DONE' }],
      threads: [
        { name: 'victim', entry: 'victim' },
        { name: 'waiter', entry: 'waiter' },
      ],
      observe: [{ cpu: 0, reg: 3 }],
    }),
  });

  // A must-halt thread naps with nothing to wake it: lockup by rule 3; another awaits a cell
  // nobody owns while one thread is lost: rule 1 falls back to the lost cpus.
  out.push({
    name: 'sleepers',
    image: linkImage({
      name: 'sleepers',
      sources: [
        {
          file: 'sleep.S',
          text: `
a:      choose  r3,2
        cmpwi   r3,0
        beq     1f
        nap
1:      halt
b:      choose  r3,2
        cmpwi   r3,0
        beq     1f
        lost    "b gave up"
1:      halt
c:      choose  r3,2
        cmpwi   r3,0
        beq     1f
        await.eq flag(0),1
1:      halt
`,
        },
      ],
      globals: [{ name: 'flag' }],
      threads: [
        { name: 'a', entry: 'a' },
        { name: 'b', entry: 'b' },
        { name: 'c', entry: 'c' },
      ],
      observe: [
        { cpu: 0, reg: 3 },
        { cpu: 1, reg: 3 },
        { cpu: 2, reg: 3 },
      ],
    }),
  });

  // A spinning loop that never ends: every trial hits the step limit.
  out.push({
    name: 'spin-limit',
    image: linkImage({
      name: 'spin-limit',
      sources: [
        {
          file: 'spin.S',
          text: `
spin:   lwz     r3,flag(0)
        cmpwi   r3,0
        beq     spin
        halt
setter: mftb    r4
        cmpwi   r4,1000
        blt     setter
        li      r5,1
        stw     r5,flag(0)
        halt
`,
        },
      ],
      globals: [{ name: 'flag' }],
      threads: [
        { name: 'spin', entry: 'spin' },
        { name: 'setter', entry: 'setter' },
      ],
      observe: [{ mem: 'flag' }, { cpu: 1, reg: 4 }],
      limits: { maxSteps: 40 },
    }),
  });

  // Built-in lost reasons: a bad address, a jump outside the code, msgsnd to a cpu that does
  // not exist, an interrupt without a vector; and the SPR, CR and shift instructions.
  const faults = linkImage({
    name: 'faults-and-sprs',
    sources: [
      {
        file: 'faults.S',
        text: `
f0:     choose  r3,4
        cmpwi   cr3,r3,1
        blt     cr3,1f
        beq     cr3,2f
        cmpwi   r3,2
        beq     3f
        li      r4,0
        lwz     r5,0(r4)
        halt
1:      li      r4,99
        msgsnd  r4
        halt
2:      li      r4,1000
        mtctr   r4
        bctr
3:      li      r4,1
        ipi     r4
        halt
f1:     wrteei  1
        li      r3,-5
        li      r4,3
        slw     r5,r3,r4
        srw     r6,r3,r4
        li      r4,40
        slw     r7,r3,r4
        andi.   r8,r3,0xff
        cmplwi  cr1,r3,7
        cmplw   cr2,r4,r3
        mullw   r9,r3,r4
        mulli   r10,r3,-7
        neg     r11,r3
        subf    r12,r3,r4
        andc    r14,r3,r4
        xori    r15,r3,0x1234
        addis   r16,r3,2
        la      r17,5(r3)
        mfspr   r18,PIR
        mtspr   PIR,r3
        mfspr   r19,PIR
        mtspr   LPID,r3
        mfspr   r20,LPID
        mtspr   SRR0,r4
        mfspr   r21,SRR0
unk1:   mtspr   LPCR,r4
unk2:   mfspr   r22,LPCR
        bl      4f
        mflr    r23
        li      r24,3
        mtctr   r24
5:      addi    r25,r25,1
        bdnz    5b
        mfctr   r26
        mflr    r27
        halt
4:      mflr    r28
        mtlr    r28
        blr
`,
      },
    ],
    threads: [
      { name: 'f0', entry: 'f0' },
      { name: 'f1', entry: 'f1' },
    ],
    observe: Array.from({ length: 29 }, (_, i) => ({ cpu: 1, reg: i })),
  });
  // an SPR number that is not modelled (the assembler refuses to write one): mtspr ignores it,
  // mfspr reads 0
  for (const label of ['unk1', 'unk2']) faults.code[faults.labels[label]! * 4 + 2] = 999;
  out.push({ name: 'faults-and-sprs', image: faults });

  // Under tso, stores wait in small buffers; sync, nap, lwarx wait for them to drain; the
  // decrementer armed before a nap wakes the thread.
  out.push({
    name: 'buffers-and-dec',
    image: linkImage({
      name: 'buffers-and-dec',
      sources: [
        {
          file: 'buf.S',
          text: `
w:      li      r3,1
        stw     r3,a(0)
        stw     r3,b(0)
        stw     r3,c(0)
        li      r3,2
        stw     r3,a(0)
        lwz     r4,a(0)
        lwz     r5,b(0)
        li      r6,5
        mtspr   DEC,r6
        nap
sreset: mfspr   r7,SRR1
        li      r9,0
        lwarx   r8,r9,r10
        addi    r8,r8,1
        stwcx.  r8,r9,r10
        sync
        halt
r:      lwz     r4,c(0)
        lwz     r5,a(0)
        halt
`,
        },
      ],
      globals: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      threads: [
        { name: 'w', entry: 'w', lpcr: LPCR_PECE1, regs: { 10: 'c' } },
        { name: 'r', entry: 'r' },
      ],
      vectors: { systemReset: 'sreset' },
      observe: [
        { cpu: 0, reg: 4 },
        { cpu: 0, reg: 5 },
        { cpu: 0, reg: 7 },
        { cpu: 1, reg: 4 },
        { cpu: 1, reg: 5 },
        { mem: 'c' },
      ],
      limits: { storeBuffer: 2 },
    }),
  });

  // A wakeup with no system-reset vector, and an interrupt with no vector: lost with reason -2.
  out.push({
    name: 'no-vectors',
    image: linkImage({
      name: 'no-vectors',
      sources: [{ file: 'nv.S', text: `t0: li r3,1\n msgsnd r3\n li r3,0\n ipi r3\n wrteei 1\n halt\n` }],
      threads: [
        { name: 't0', entry: 't0' },
        { name: 't1', status: 'napping', lpcr: LPCR_PECEDH },
      ],
    }),
  });

  // More than 64 environment events (the uniform loop lists them instead of keeping a mask).
  out.push({
    name: 'many-events',
    image: linkImage({
      name: 'many-events',
      sources: [
        {
          file: 'many.S',
          text: `
a:      wrteei  1
        li      r3,0
1:      addi    r3,r3,1
        cmpwi   r3,6
        blt     1b
        wrteei  0
        halt
b:      nap
sreset: msgclr  r0
        eoi
        count   woke
        lwz     r4,stop(0)
        cmpwi   r4,0
        bne     2f
        nap
2:      halt
irq:    count   irq
        eoi
        msgclr  r0
        li      r5,1
        stw     r5,stop(0)
        rfid
`,
        },
      ],
      globals: [{ name: 'stop' }],
      threads: [
        { name: 'a', entry: 'a' },
        { name: 'b', entry: 'b', lpcr: ALL_WAKE, mustHalt: false },
      ],
      vectors: { systemReset: 'sreset', external: 'irq', doorbell: 'irq', decrementer: 'irq' },
      events: Array.from({ length: 70 }, (_, i) => ({
        kind: (['doorbell', 'external', 'decrementer'] as const)[i % 3]!,
        cpu: i % 2,
        count: 1,
        whenNapping: i % 5 === 0,
      })),
      observe: [{ cpu: 0, reg: 3 }, { mem: 'stop' }],
      limits: { maxSteps: 80 },
    }),
  });

  return out;
}

/**
 * A longer program with interrupts for the benchmark: a KVM-like host/guest handshake on 4
 * threads (2 cores). The primary wakes three napping secondaries with doorbells, each grabs work
 * items with lwarx/stwcx. and takes stray IPIs, naps again when the work is done, and halts when
 * the primary, once everyone is idle, sets `shutdown` and rings the doorbells again.
 * The program is benchmarks/programs/kvm-like.S itself, so the benchmark measures what this tests.
 */
export function kvmLikeImage(): Image {
  return linkImage({
    name: 'kvm-like',
    sources: [
      {
        file: 'kvm-like.S',
        text: readFileSync(new URL('../../../benchmarks/programs/kvm-like.S', import.meta.url), 'utf8'),
      },
    ],
    globals: [{ name: 'items' }, { name: 'active' }, { name: 'shutdown' }],
    threadsPerCore: 2,
    threads: [
      { name: 'primary', entry: 'primary' },
      {
        name: 's1',
        status: 'napping',
        lpcr: LPCR_PECEDH,
        regs: { 9: 0, 10: 'items', 11: 'active' },
        mustHalt: false,
      },
      {
        name: 's2',
        status: 'napping',
        lpcr: LPCR_PECEDH,
        regs: { 9: 0, 10: 'items', 11: 'active' },
        mustHalt: false,
      },
      {
        name: 's3',
        status: 'napping',
        lpcr: LPCR_PECEDH,
        regs: { 9: 0, 10: 'items', 11: 'active' },
        mustHalt: false,
      },
    ],
    vectors: { systemReset: 'sreset', external: 'ipi' },
    events: [
      { kind: 'external', cpu: 1, count: 2 },
      { kind: 'external', cpu: 2, count: 2 },
    ],
    observe: [{ mem: 'items' }, { mem: 'active' }],
    limits: { maxSteps: 2000 },
  });
}

// ---------------------------------------------------------------------------------------------
// Random valid images for fast-check

const ops = OPCODES;
const SPR_NUMBERS = [...Object.values(SPR), 999];

/**
 * Registers in random images: r1-r4 hold cell addresses, r5 a cpu number, r6-r9 data. Operands
 * mostly follow that convention, so programs mostly run (and interact through memory) instead of
 * faulting at once; sometimes they do not, so that faults are covered too.
 */
const ADDR_REG = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  fc.integer({ min: 0, max: 31 }),
);
const CPU_REG = fc.oneof({ weight: 6, arbitrary: fc.constant(5) }, fc.integer({ min: 0, max: 31 }));
const DATA_REG = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 6, max: 9 }) },
  fc.integer({ min: 0, max: 31 }),
);
const HALT = OPCODES.find((d) => d.name === 'halt')!.op;
const RFID = OPCODES.find((d) => d.name === 'rfid')!.op;
const MEM_OPS = new Set(['lwzx', 'stwx', 'lwarx', 'stwcx.']);

/** Operand values for one instruction. */
function operandArb(def: OpcodeDef, nInstr: number, memSize: number, nStrings: number, nCounters: number) {
  const fields: Record<'a' | 'b' | 'c', fc.Arbitrary<number>> = {
    a: fc.constant(0),
    b: fc.constant(0),
    c: fc.constant(0),
  };
  const imm = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -1, max: 3 }) },
    fc.integer({ min: -0x8000, max: 0xffff }),
    fc.constantFrom(0x7fffffff, -0x80000000, 0x8000, 63, 32),
  );
  def.operands.forEach((o, i) => {
    switch (o.kind) {
      case 'reg':
        if (MEM_OPS.has(def.name)) fields[o.field] = i === 0 ? DATA_REG : i === 1 ? fc.constant(0) : ADDR_REG;
        else if (def.name === 'msgsnd' || def.name === 'ipi') fields[o.field] = CPU_REG;
        else fields[o.field] = DATA_REG;
        break;
      case 'imm':
        fields[o.field] = def.name === 'choose' ? fc.integer({ min: 1, max: 3 }) : imm;
        break;
      case 'disp':
        fields[o.field] = fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min: 1, max: memSize - 1 }) },
          fc.integer({ min: -1, max: memSize }),
        );
        fields[o.base!] = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, ADDR_REG);
        break;
      case 'crf?':
        fields[o.field] = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 7 }));
        break;
      case 'target':
        fields[o.field] = fc.integer({ min: 0, max: nInstr - 1 });
        break;
      case 'spr':
        fields[o.field] = fc.constantFrom(...SPR_NUMBERS);
        break;
      case 'str':
        fields[o.field] = fc.integer({ min: 0, max: nStrings - 1 });
        break;
      case 'counter':
        fields[o.field] = fc.integer({ min: 0, max: nCounters - 1 });
        break;
    }
  });
  return fc.tuple(fc.constant(def.op), fields.a, fields.b, fields.c);
}

export interface RandomImageOptions {
  maxThreads?: number;
  /** instructions per thread segment, before its final `halt` */
  maxSegment?: number;
  maxSteps?: number;
  maxStates?: number;
}

/** Instructions that make threads interact, drawn more often than the rest. */
const COMMON = new Set([
  'lwz',
  'stw',
  'lwzx',
  'stwx',
  'lwarx',
  'stwcx.',
  'await.eq',
  'await.ne',
  'li',
  'addi',
  'bne',
  'beq',
  'cmpwi',
  'sync',
  'nap',
  'msgsnd',
  'ipi',
  'choose',
  'msgclr',
  'eoi',
]);

/**
 * Random valid images: 1-maxThreads threads, each with its own code segment ending in `halt`
 * (branches may leave it), a shared handler segment ending in `rfid` that the vectors mostly point
 * at, a few shared cells, random start states, events and observations.
 */
export function imageArb(opts: RandomImageOptions = {}): fc.Arbitrary<Image> {
  const maxThreads = opts.maxThreads ?? 3;
  const maxSegment = opts.maxSegment ?? 5;
  return fc
    .record({
      nThreads: fc.oneof(fc.constant(1), {
        weight: 4,
        arbitrary: fc.noBias(fc.integer({ min: 2, max: maxThreads })),
      }),
      memSize: fc.integer({ min: 2, max: 5 }),
      storeBuffer: fc.integer({ min: 1, max: 3 }),
      handlerLen: fc.integer({ min: 0, max: 3 }),
    })
    .chain(({ nThreads, memSize, storeBuffer, handlerLen }) =>
      fc
        .array(fc.noBias(fc.integer({ min: 1, max: maxSegment })), {
          minLength: nThreads,
          maxLength: nThreads,
        })
        .map((segs) => ({ nThreads, memSize, storeBuffer, handlerLen, segs })),
    )
    .chain(({ nThreads, memSize, storeBuffer, handlerLen, segs }) => {
      const nStrings = 2;
      const nCounters = 2;
      const starts: number[] = [];
      let nInstr = 0;
      for (const len of segs) {
        starts.push(nInstr);
        nInstr += len + 1;
      }
      const handler = nInstr;
      nInstr += handlerLen + 1;
      const common = ops.filter((d) => COMMON.has(d.name));
      const instr = fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .constantFrom(...common)
            .chain((d) => operandArb(d, nInstr, memSize, nStrings, nCounters)),
        },
        {
          weight: 2,
          arbitrary: fc
            .constantFrom(...ops)
            .chain((d) => operandArb(d, nInstr, memSize, nStrings, nCounters)),
        },
      );
      const segment = (len: number, last: number) =>
        fc.array(instr, { minLength: len, maxLength: len }).map((l) => [...l.flat(), last, 0, 0, 0]);
      const pcArb = fc.integer({ min: 0, max: nInstr - 1 });
      const vec = fc.oneof(fc.constant(-1), { weight: 3, arbitrary: fc.constant(handler) }, pcArb);
      const thread = (cpu: number) =>
        fc.record({
          cpu: fc.constant(cpu),
          name: fc.constant(`P${cpu}`),
          pc: fc.oneof({ weight: 6, arbitrary: fc.constant(starts[cpu]!) }, pcArb),
          status: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.constantFrom(1, 2)),
          regs: fc
            .tuple(
              fc.array(fc.integer({ min: 1, max: memSize - 1 }), { minLength: 4, maxLength: 4 }),
              fc.oneof(
                { weight: 6, arbitrary: fc.integer({ min: 0, max: nThreads - 1 }) },
                fc.constant(nThreads),
              ),
              fc.array(fc.tuple(fc.integer({ min: 10, max: 31 }), fc.integer()), { maxLength: 2 }),
            )
            .map(([addrs, target, extra]): [number, number][] => [
              ...addrs.map((a, i): [number, number] => [i + 1, a]),
              [5, target],
              // distinct data per thread, so that what a load sees tells which store it read
              ...[6, 7, 8, 9].map((r): [number, number] => [r, 10 * (cpu + 1) + r]),
              ...extra,
            ]),
          msrEE: fc.oneof({ weight: 2, arbitrary: fc.constant(0 as const) }, fc.constant(1 as const)),
          lpcr: fc.constantFrom(0, LPCR_PECEDH, ALL_WAKE, LPCR_PECE0 | LPCR_PECE1),
          lpid: fc.integer({ min: 0, max: 3 }),
          pending: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 7 })),
          mustHalt: fc.boolean(),
        });
      return fc
        .record({
          segments: fc.tuple(...segs.map((len) => segment(len, HALT))),
          handler: segment(handlerLen, RFID),
          threads: fc.tuple(...Array.from({ length: nThreads }, (_, i) => thread(i))),
          init: fc.array(
            fc.tuple(fc.integer({ min: 1, max: memSize - 1 }), fc.integer({ min: -2, max: 3 })),
            {
              maxLength: 3,
            },
          ),
          symbols: fc.array(
            fc.record({
              name: fc.constantFrom('x', 'y', 'z'),
              addr: fc.integer({ min: 0, max: memSize }),
              size: fc.integer({ min: 1, max: 3 }),
              cpu: fc.option(fc.integer({ min: 0, max: nThreads }), { nil: undefined }),
            }),
            { maxLength: 3 },
          ),
          vectors: fc.record({ systemReset: vec, external: vec, decrementer: vec, doorbell: vec }),
          events: fc.array(
            fc.record({
              kind: fc.constantFrom(PEND_DBELL, PEND_EXT, PEND_DEC),
              cpu: fc.integer({ min: 0, max: nThreads - 1 }),
              count: fc.integer({ min: 0, max: 2 }),
              whenNapping: fc.boolean(),
            }),
            { maxLength: 2 },
          ),
          observe: fc.array(
            fc.oneof(
              fc.record({
                kind: fc.constant('reg' as const),
                cpu: fc.integer({ min: 0, max: nThreads - 1 }),
                reg: fc.oneof(
                  { weight: 4, arbitrary: fc.integer({ min: 6, max: 9 }) },
                  fc.integer({ min: 0, max: 31 }),
                ),
              }),
              fc.record({
                kind: fc.constant('mem' as const),
                addr: fc.integer({ min: 1, max: memSize - 1 }),
              }),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          maxSteps: fc.oneof(fc.integer({ min: 1, max: 5 }), {
            weight: 5,
            arbitrary: fc.integer({ min: 10, max: opts.maxSteps ?? 60 }),
          }),
          maxStates: fc.oneof(fc.integer({ min: 1, max: 50 }), {
            weight: 5,
            arbitrary: fc.integer({ min: 100, max: opts.maxStates ?? 3000 }),
          }),
        })
        .map(
          (r): Image => ({
            format: IMAGE_FORMAT,
            version: IMAGE_VERSION,
            name: 'random',
            code: [...r.segments.flat(), ...r.handler],
            labels: {},
            strings: ['why', 'because'],
            counters: ['c0', 'c1'],
            memory: {
              size: memSize,
              init: r.init,
              symbols: r.symbols.map((s) =>
                s.cpu === undefined ? { name: s.name, addr: s.addr, size: s.size } : s,
              ),
            },
            threadsPerCore: 1,
            threads: r.threads,
            vectors: r.vectors,
            events: r.events,
            observe: r.observe,
            limits: { ...DEFAULT_LIMITS, maxSteps: r.maxSteps, storeBuffer, maxStates: r.maxStates },
          }),
        );
    });
}
