import {
  LOST_BAD_ADDRESS,
  LOST_BAD_CPU,
  LOST_BAD_JUMP,
  LOST_NO_VECTOR,
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  PEND_DBELL,
  PEND_EXT,
  SPR,
  SRR1_WAKEDEC,
  SRR1_WAKEEE,
  SRR1_WAKEHDBELL,
  STATUS_HALTED,
  STATUS_LOST,
  STATUS_NAPPING,
  STATUS_RUNNING,
} from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  classify,
  cloneMachine,
  createMachine,
  enabledActions,
  needsChoice,
  referenceEngine,
  replayTrial,
  runTrial,
  stateKey,
  type TraceEvent,
} from './index.js';
import { cell, makeImage, reg } from './test/build.js';

/** Apply a list of actions, checking each is enabled first. */
function run(m: ReturnType<typeof createMachine>, actions: number[]) {
  for (const a of actions) {
    expect(enabledActions(m)).toContain(a);
    applyAction(m, a);
  }
}

describe('interrupts and wakeups', () => {
  /** P0 naps (LPCR from the caller); P1 sends it a doorbell or an IPI; the reset vector reads SRR1. */
  const napper = (lpcr: number, send: 'msgsnd' | 'ipi') =>
    makeImage({
      code: [
        'p0:',
        ['nap'],
        'p1:',
        ['li', 5, 0],
        [send, 5],
        ['halt'],
        'sreset:',
        ['mfspr', 3, SPR.SRR1],
        ['mfspr', 4, SPR.SRR0],
        ['halt'],
      ],
      threads: [{ start: 'p0', lpcr, regs: { 4: 77 } }, { start: 'p1' }],
      vectors: { systemReset: 'sreset' },
      observe: [reg(0, 3), reg(0, 4)],
    });

  it('a doorbell (msgsnd) wakes a napping thread at the system-reset vector with SRR1 = WAKEHDBELL', () => {
    const img = napper(LPCR_PECEDH, 'msgsnd');
    const m = createMachine(img, 'sc');
    run(m, [0]); // P0 naps
    expect(m.status[0]).toBe(STATUS_NAPPING);
    expect(enabledActions(m)).toEqual([1]); // a napping thread with nothing pending cannot step
    run(m, [1, 1]); // li, msgsnd
    expect(m.pending[0]).toBe(PEND_DBELL);
    expect(enabledActions(m)).toEqual([0, 1]);
    run(m, [0]); // the wakeup
    expect([m.status[0], m.pc[0], m.srr1[0], m.srr0[0], m.ee[0]]).toEqual([
      STATUS_RUNNING,
      img.labels.sreset,
      SRR1_WAKEHDBELL,
      0,
      0,
    ]);
    expect(m.pending[0]).toBe(PEND_DBELL); // a wakeup does not clear the pending bit
    expect([m.wakeups, m.wakeupsByReason]).toEqual([1, [1, 0, 0]]);

    const r = referenceEngine.explore(img, { memory: 'sc' });
    expect(r.finals).toEqual([{ outcome: 'ok', final: [SRR1_WAKEHDBELL, 0] }]);
    expect(r.holds).toBe(true);
  });

  it('LPCR gates wakeups: a doorbell with only PECE0 set leaves the thread asleep forever', () => {
    const r = referenceEngine.explore(napper(LPCR_PECE0, 'msgsnd'), { memory: 'sc' });
    expect(r.finals).toEqual([{ outcome: 'lockup', final: [0, 77] }]);
    expect(r.violation!.detail).toEqual({
      waiting: -1,
      stuck: [0],
      message: 'watchdog: CPUs 0 never woke up',
    });
    // the same LPCR accepts an IPI, reported as an external wakeup
    const ipi = referenceEngine.explore(napper(LPCR_PECE0, 'ipi'), { memory: 'sc' });
    expect(ipi.finals).toEqual([{ outcome: 'ok', final: [SRR1_WAKEEE, 0] }]);
    const t = runTrial(napper(LPCR_PECE0, 'ipi'), 'sc', 1, 0);
    expect(t.wakeupsByReason).toEqual([0, 1, 0]);
  });

  it('a missing system-reset vector loses the woken thread without touching SRR0/SRR1', () => {
    const img = napper(LPCR_PECEDH, 'msgsnd');
    img.vectors.systemReset = -1;
    const t = replayTrial(img, 'sc', [0, 1, 1, 0, 1]);
    expect(t.outcome).toBe('lost');
    expect(t.detail).toEqual({ cpu: 0, reason: LOST_NO_VECTOR });
    expect(t.wakeups).toBe(0);
    expect(t.final).toEqual([0, 77]);
  });

  it('EE=1 delivers a doorbell to its vector with SRR0/SRR1, and rfid returns', () => {
    /*
     * P0 (EE=1) runs three li; P1 rings it once. The handler records SRR0/SRR1, counts in r8,
     * and returns. Wherever the interrupt lands, the main line still completes, and SRR0 is the
     * pc of the instruction it interrupted (0, 1, 2 or 3 = halt).
     */
    const img = makeImage({
      code: [
        'p0:',
        ['li', 3, 1],
        ['li', 4, 2],
        ['li', 5, 3],
        ['halt'],
        'p1:',
        ['msgsnd', 9],
        ['halt'],
        'dbell:',
        ['mfspr', 6, SPR.SRR0],
        ['mfspr', 7, SPR.SRR1],
        ['addi', 8, 8, 1],
        ['rfid'],
      ],
      threads: [
        { start: 'p0', msrEE: 1 },
        { start: 'p1', regs: { 9: 0 } },
      ],
      vectors: { doorbell: 'dbell' },
      observe: [reg(0, 3), reg(0, 4), reg(0, 5), reg(0, 6), reg(0, 7), reg(0, 8)],
    });
    const r = referenceEngine.explore(img, { memory: 'sc' });
    // taken before pc 0, 1, 2 or 3; if P0 halts first the doorbell stays pending, never taken
    expect(r.finals).toEqual([
      { outcome: 'ok', final: [1, 2, 3, 0, 0, 0] },
      { outcome: 'ok', final: [1, 2, 3, 0, SRR1_WAKEHDBELL, 1] },
      { outcome: 'ok', final: [1, 2, 3, 1, SRR1_WAKEHDBELL, 1] },
      { outcome: 'ok', final: [1, 2, 3, 2, SRR1_WAKEHDBELL, 1] },
      { outcome: 'ok', final: [1, 2, 3, 3, SRR1_WAKEHDBELL, 1] },
    ]);
    // step by step: li, then the doorbell, then the interrupt is taken before pc 1
    const m = createMachine(img, 'sc');
    run(m, [0, 1]);
    expect(m.pending[0]).toBe(PEND_DBELL);
    run(m, [0]);
    expect([m.pc[0], m.srr0[0], m.srr1[0], m.ee[0], m.pending[0]]).toEqual([
      img.labels.dbell,
      1,
      SRR1_WAKEHDBELL,
      0,
      0,
    ]);
    run(m, [0, 0, 0, 0]);
    expect([m.pc[0], m.ee[0], m.gpr[8]]).toEqual([1, 1, 1]);
  });

  it('mtspr DEC arms the decrementer; firing it wakes a thread with PECE1; 0x7fffffff disarms', () => {
    const dec = (value: number) =>
      makeImage({
        code: [
          ['li', 3, value],
          ['mtspr', SPR.DEC, 3],
          ['nap'],
          'sreset:',
          ['mfspr', 4, SPR.SRR1],
          ['mfspr', 5, SPR.DEC],
          ['halt'],
        ],
        threads: [{ lpcr: LPCR_PECE1 }],
        vectors: { systemReset: 'sreset' },
        observe: [reg(0, 4), reg(0, 5)],
      });
    const m = createMachine(dec(100), 'sc');
    run(m, [0, 0]);
    expect([m.dec[0], m.decArmed[0]]).toEqual([100, 1]);
    expect(enabledActions(m)).toEqual([0, 2]); // step 0, fire decrementer 0 (id 2n + 0, n = 1)
    run(m, [0]); // nap
    expect(enabledActions(m)).toEqual([2]);
    run(m, [2]);
    expect([m.pending[0], m.decArmed[0]]).toEqual([4, 0]);
    run(m, [0]);
    expect([m.srr1[0], m.wakeupsByReason]).toEqual([SRR1_WAKEDEC, [0, 0, 1]]);
    expect(referenceEngine.explore(dec(100), { memory: 'sc' }).finals).toEqual([
      { outcome: 'ok', final: [SRR1_WAKEDEC, 100] },
    ]);

    // li takes a 32-bit immediate here, so 0x7fffffff is the disarming value
    const off = referenceEngine.explore(dec(0x7fffffff), { memory: 'sc' });
    expect(off.finals).toEqual([{ outcome: 'lockup', final: [0, 0] }]);
    expect(off.states).toBe(4); // start, after li, after mtspr, napping: nothing can fire
  });

  it('a decrementer interrupt with EE=1 runs the handler, which releases the main line', () => {
    const img = makeImage({
      code: [
        ['li', 3, 5],
        ['mtspr', SPR.DEC, 3],
        ['await.eq', 1, 0, 1], // wait for flag (cell 1) == 1
        ['halt'],
        'decv:',
        ['li', 4, 1],
        ['stw', 4, 1, 0],
        ['rfid'],
      ],
      threads: [{ msrEE: 1 }],
      vectors: { decrementer: 'decv' },
      memSize: 2,
      observe: [cell(1)],
    });
    for (const memory of ['sc', 'tso'] as const) {
      const r = referenceEngine.explore(img, { memory });
      expect(r.finals).toEqual([{ outcome: 'ok', final: [1] }]);
    }
  });

  it('environment events: budget and whenNapping', () => {
    const img = makeImage({
      code: ['p0:', ['nop'], ['nap'], 'dbell:', ['addi', 9, 9, 1], ['rfid'], 'sreset:', ['halt']],
      threads: [{ start: 'p0', msrEE: 1, lpcr: LPCR_PECEDH }],
      vectors: { doorbell: 'dbell', systemReset: 'sreset' },
      events: [
        { kind: PEND_DBELL, cpu: 0, count: 2, whenNapping: false },
        { kind: PEND_EXT, cpu: 0, count: 1, whenNapping: true },
      ],
      observe: [reg(0, 9)],
    });
    const m = createMachine(img, 'sc');
    // ids: step 0 = 0, drain 0 = 1, fire dec 0 = 2, event 0 = 3, event 1 = 4
    expect(enabledActions(m)).toEqual([0, 3]); // event 1 waits for a napping target
    run(m, [3]); // doorbell pending, EE = 1: the next step takes the interrupt
    expect(m.budget[0]).toBe(1);
    run(m, [0, 0, 0]); // interrupt, addi, rfid
    expect([m.pc[0], m.gpr[9], m.ee[0]]).toEqual([0, 1, 1]);
    run(m, [3]);
    expect(enabledActions(m)).toEqual([0]); // budget spent
    run(m, [0, 0, 0, 0, 0]); // interrupt, addi, rfid, nop, nap
    expect(m.status[0]).toBe(STATUS_NAPPING);
    expect(enabledActions(m)).toEqual([4]); // only the whenNapping event; PECE0 is off anyway
    run(m, [4]);
    expect(enabledActions(m)).toEqual([]); // EXT is pending but LPCR does not let it wake
    expect(classify(m)).toEqual({
      outcome: 'lockup',
      detail: { waiting: -1, stuck: [0], message: 'watchdog: CPUs 0 never woke up' },
    });
  });
});

describe('outcomes', () => {
  it('lockup on a per-thread field owned by a lost cpu prints the kernel watchdog line', () => {
    const img = makeImage({
      code: ['p0:', ['await.eq', 0, 13, 1], ['halt'], 'p1:', ['lost', 0]],
      threads: [{ start: 'p0', regs: { 13: 2 } }, { start: 'p1' }],
      memSize: 4,
      strings: ['returned through a stale frame'],
      symbols: [
        { name: 'paca0', addr: 1, size: 1, cpu: 0 },
        { name: 'paca1', addr: 2, size: 2, cpu: 1 },
      ],
    });
    const t = runTrial(img, 'sc', 0, 0);
    expect(t.outcome).toBe('lockup');
    expect(t.detail).toEqual({
      waiting: 0,
      stuck: [1],
      message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 1',
    });
    expect(t.steps).toBe(1);
  });

  it('lockup without an owning symbol blames lost cpus, else napping ones', () => {
    const img = makeImage({
      code: ['p0:', ['await.ne', 1, 0, 0], ['halt'], 'p1:', ['nap'], 'p2:', ['lost', 0], 'p3:', ['nap']],
      threads: [{ start: 'p0' }, { start: 'p1' }, { start: 'p2' }, { start: 'p3' }],
      strings: ['gone'],
    });
    expect(runTrial(img, 'sc', 3, 0).detail).toEqual({
      waiting: 0,
      stuck: [2],
      message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 2',
    });
    img.code[4 * 3] = img.code[4 * 2]!; // P2 naps instead of being lost
    expect(runTrial(img, 'sc', 3, 0).detail).toEqual({
      waiting: 0,
      stuck: [1, 2, 3],
      message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 1,2,3',
    });
  });

  it('lost with the string-table reason of the lowest lost cpu', () => {
    const img = makeImage({
      code: ['p0:', ['halt'], 'p1:', ['lost', 1], 'p2:', ['lost', 0]],
      threads: [{ start: 'p0' }, { start: 'p1' }, { start: 'p2' }],
      strings: ['second', 'first'],
    });
    const t = runTrial(img, 'sc', 9, 4);
    expect([t.outcome, t.detail, t.index, t.steps]).toEqual(['lost', { cpu: 1, reason: 1 }, 4, 3]);
  });

  it('assert gives its message and pc and ends the trial at once', () => {
    const img = makeImage({
      code: [['li', 3, 4], ['assert.eq', 3, 5, 0], ['halt']],
      threads: [{}],
      strings: ['r3 is not 5'],
    });
    const t = runTrial(img, 'sc', 0, 0);
    expect([t.outcome, t.detail, t.steps, t.schedule]).toEqual([
      'assert',
      { cpu: 0, pc: 1, message: 'r3 is not 5' },
      2,
      [0, 0],
    ]);
  });

  it('limit when maxSteps actions were taken and actions remain', () => {
    const img = makeImage({
      code: ['top:', ['addi', 3, 3, 1], ['b', 'top']],
      threads: [{}],
      limits: { maxSteps: 51 },
    });
    const t = runTrial(img, 'sc', 0, 0);
    expect([t.outcome, t.steps, t.detail, t.schedule.length]).toEqual(['limit', 51, {}, 51]);
    // a program that ends exactly at the limit is classified normally
    const exact = makeImage({ code: [['nop'], ['halt']], threads: [{}], limits: { maxSteps: 2 } });
    expect(runTrial(exact, 'sc', 0, 0).outcome).toBe('ok');
  });

  it('faults: bad address, jump outside the code, msgsnd to a missing cpu, missing vector', () => {
    const one = (code: Parameters<typeof makeImage>[0]['code'], extra = {}) =>
      runTrial(makeImage({ code, threads: [{ ...extra }], memSize: 4 }), 'sc', 0, 0);
    const bad = one([['li', 2, 4], ['lwz', 3, 0, 2], ['halt']]);
    expect([bad.outcome, bad.detail]).toEqual(['lost', { cpu: 0, reason: LOST_BAD_ADDRESS }]);
    expect(one([['stw', 3, 0, 0], ['halt']]).detail).toEqual({ cpu: 0, reason: LOST_BAD_ADDRESS }); // the null cell
    expect(one([['await.eq', -1, 0, 0], ['halt']]).detail).toEqual({ cpu: 0, reason: LOST_BAD_ADDRESS });
    expect(one([['li', 3, 99], ['mtctr', 3], ['bctr']]).detail).toEqual({ cpu: 0, reason: LOST_BAD_JUMP });
    expect(one([['li', 3, 1], ['msgsnd', 3], ['halt']]).detail).toEqual({ cpu: 0, reason: LOST_BAD_CPU });
    expect(one([['nop'], ['halt']], { msrEE: 1, pending: PEND_EXT }).detail).toEqual({
      cpu: 0,
      reason: LOST_NO_VECTOR,
    });
    // a faulting thread keeps the pc of the faulting instruction
    const m = createMachine(
      makeImage({ code: [['nop'], ['lwz', 3, 0, 0]], threads: [{}], memSize: 2 }),
      'sc',
    );
    run(m, [0, 0]);
    expect([m.status[0], m.pc[0], m.lostReason[0]]).toEqual([STATUS_LOST, 1, LOST_BAD_ADDRESS]);
  });

  it('ok: every must-halt thread halted', () => {
    const img = makeImage({ code: [['halt']], threads: [{}, { start: 0 }] });
    const t = runTrial(img, 'sc', 0, 0);
    expect([t.outcome, t.detail, t.steps]).toEqual(['ok', {}, 2]);
  });
});

describe('instructions', () => {
  /** Run one thread to its halt under sc and return its registers. */
  const regsAfter = (code: Parameters<typeof makeImage>[0]['code'], regs: Record<number, number> = {}) => {
    const img = makeImage({ code: [...code, ['halt']], threads: [{ regs }], memSize: 4 });
    const m = createMachine(img, 'sc');
    while (m.status[0] !== STATUS_HALTED) applyAction(m, 0);
    return m;
  };

  it('arithmetic wraps to 32 bits and logical immediates take 16 bits', () => {
    const m = regsAfter(
      [
        ['lis', 3, 0x7fff],
        ['ori', 3, 3, 0xffff], // 0x7fffffff
        ['addi', 4, 3, 1], // wraps to -2^31
        ['neg', 5, 4], // -(-2^31) wraps to itself
        ['mullw', 6, 3, 3], // 0x7fffffff^2 mod 2^32 = 1
        ['subf', 7, 6, 3], // r3 - r6
        ['li', 8, -1],
        ['srw', 9, 8, 10], // r10 = 28: 0xffffffff >>> 28 = 15
        ['slw', 11, 8, 12], // r12 = 32: gives 0
        ['xori', 13, 8, -1], // -1 ^ 0xffff
        ['andc', 14, 8, 3], // -1 & ~0x7fffffff
        ['addis', 15, 0, -1], // (r0 reads 0) + (-1 << 16)
        ['mulli', 16, 3, 2],
      ],
      { 10: 28, 12: 32 },
    );
    const g = (r: number) => m.gpr[r];
    expect([g(3), g(4), g(5), g(6), g(7), g(9), g(11), g(13), g(14), g(15), g(16)]).toEqual([
      0x7fffffff, -0x80000000, -0x80000000, 1, 0x7ffffffe, 15, 0, -65536, -0x80000000, -65536, -2,
    ]);
  });

  it('compares set exactly one of LT/GT/EQ; cmplwi compares unsigned', () => {
    const m = regsAfter([
      ['li', 3, -1],
      ['cmpwi', 0, 3, 0],
      ['cmplwi', 1, 3, 0],
      ['cmpw', 2, 3, 3],
      ['andi.', 4, 3, 0],
    ]);
    expect(Array.from(m.cr.subarray(0, 3))).toEqual([2, 4, 2]); // andi. rewrote cr0 to EQ
    const n = regsAfter([
      ['li', 3, -1],
      ['cmpwi', 0, 3, 0],
      ['cmplwi', 1, 3, 0],
    ]);
    expect(Array.from(n.cr.subarray(0, 2))).toEqual([8, 4]);
  });

  it('branches, bdnz loops and calls', () => {
    const m = regsAfter([
      ['li', 3, 3],
      ['mtctr', 3],
      'loop:',
      ['addi', 4, 4, 10],
      ['bdnz', 'loop'],
      ['bl', 'fn'],
      ['b', 'end'],
      'fn:',
      ['mflr', 5],
      ['li', 6, 1],
      ['blr'],
      'end:',
    ]);
    expect([m.gpr[4], m.gpr[5], m.gpr[6], m.ctr[0]]).toEqual([30, 5, 1, 0]);
  });

  it('SPRs: PIR is the cpu and read-only, unknown SPRs read 0, mfmsr/mtmsrd/wrteei move EE', () => {
    const m = regsAfter([
      ['li', 3, 55],
      ['mtspr', SPR.PIR, 3],
      ['mfspr', 4, SPR.PIR],
      ['mtspr', 700, 3],
      ['mfspr', 5, 700],
      ['wrteei', 1],
      ['mfmsr', 6],
      ['mtmsrd', 5],
      ['mfmsr', 7],
      ['mtspr', SPR.LPCR, 3],
      ['mfspr', 8, SPR.LPCR],
    ]);
    expect([m.gpr[4], m.gpr[5], m.gpr[6], m.gpr[7], m.gpr[8], m.lpcr[0]]).toEqual([0, 0, 0x8000, 0, 55, 55]);
  });

  it('stwu updates the base; mftb reads the steps taken so far; count and choose', () => {
    const img = makeImage({
      code: [
        ['li', 2, 1],
        ['li', 3, 7],
        ['stwu', 3, 1, 2],
        ['mftb', 4],
        ['count', 0],
        ['count', 0],
        ['choose', 5, 4],
        ['halt'],
      ],
      threads: [{}],
      counters: ['hits'],
      memSize: 4,
    });
    const m = createMachine(img, 'sc');
    run(m, [0, 0, 0, 0, 0, 0]);
    expect(needsChoice(m, 0)).toBe(4);
    expect(() => applyAction(m, 0)).toThrow(/needs a value in 0..3/);
    applyAction(m, 0, 3);
    expect([m.gpr[2], m.mem[2], m.gpr[4], m.counters, m.gpr[5]]).toEqual([2, 7, 3, [2], 3]);
  });
});

describe('tso store buffers', () => {
  it('a thread reads its own newest buffered store; others read memory until the drain', () => {
    const img = makeImage({
      code: [
        'p0:',
        ['li', 3, 1],
        ['stw', 3, 1, 0],
        ['li', 3, 2],
        ['stw', 3, 1, 0],
        ['lwz', 4, 1, 0],
        ['halt'],
        'p1:',
        ['lwz', 4, 1, 0],
        ['halt'],
      ],
      threads: [{ start: 'p0' }, { start: 'p1' }],
      memSize: 2,
      limits: { storeBuffer: 2 },
    });
    const m = createMachine(img, 'tso');
    run(m, [0, 0, 0, 0]);
    expect(Array.from(m.sbLen)).toEqual([2, 0]);
    expect(enabledActions(m)).toEqual([0, 1, 2]); // step 0, step 1, drain 0
    run(m, [0, 1]);
    expect([m.gpr[4], m.gpr[32 + 4], m.mem[1]]).toEqual([2, 0, 0]);
    run(m, [2]);
    expect([m.mem[1], m.sbLen[0]]).toEqual([1, 1]); // oldest first
    run(m, [2]);
    expect([m.mem[1], m.sbLen[0]]).toEqual([2, 0]);
  });

  it('a store waits while the buffer is full; sync, nap, lwarx and stwcx. wait for it to empty', () => {
    const img = makeImage({
      code: [['stw', 3, 1, 0], ['stw', 3, 1, 0], ['sync'], ['halt']],
      threads: [{}],
      memSize: 2,
      limits: { storeBuffer: 1 },
    });
    const m = createMachine(img, 'tso');
    run(m, [0]);
    expect(enabledActions(m)).toEqual([1]); // only drain
    run(m, [1, 0]);
    expect(enabledActions(m)).toEqual([1]); // sync waits
    run(m, [1, 0, 0]);
    expect([m.syncs, m.status[0]]).toEqual([1, STATUS_HALTED]);
  });

  it('buffered stores drain even from a lost thread, and the final cells are read without draining at an assert', () => {
    const img = makeImage({
      code: [
        ['li', 3, 5],
        ['stw', 3, 1, 0],
        ['lost', 0],
      ],
      threads: [{}],
      memSize: 2,
      strings: ['bye'],
      observe: [cell(1)],
    });
    const r = referenceEngine.explore(img, { memory: 'tso' });
    expect(r.finals).toEqual([{ outcome: 'lost', final: [5] }]);
  });
});

describe('reservations (lwarx / stwcx.)', () => {
  /* P0: atomic increment of x with one attempt, r5 = 1 when stwcx. succeeded. P1: x = 10. */
  const img = makeImage({
    code: [
      'p0:',
      ['lwarx', 3, 0, 2],
      ['addi', 3, 3, 1],
      ['stwcx.', 3, 0, 2],
      ['beq', 0, 'ok'],
      ['li', 5, 0],
      ['halt'],
      'ok:',
      ['li', 5, 1],
      ['halt'],
      'p1:',
      ['li', 4, 10],
      ['stw', 4, 0, 2],
      ['halt'],
    ],
    threads: [
      { start: 'p0', regs: { 2: 1 } },
      { start: 'p1', regs: { 2: 1 } },
    ],
    memSize: 2,
    observe: [reg(0, 5), cell(1)],
  });

  it('a racing store between lwarx and stwcx. kills the reservation', () => {
    // lwarx; P1 li, stw (x = 10 clears P0's reservation); addi; stwcx. fails
    const t = replayTrial(img, 'sc', [0, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect([t.outcome, t.final]).toEqual(['ok', [0, 10]]);
    const m = createMachine(img, 'sc');
    run(m, [0]);
    expect([m.resv[0], m.resvAddr[0]]).toEqual([1, 1]);
    run(m, [1, 1]);
    expect([m.resv[0], m.resvAddr[0]]).toEqual([0, 1]);
  });

  it('every interleaving either increments atomically or fails the stwcx.', () => {
    for (const memory of ['sc', 'tso'] as const) {
      expect(referenceEngine.explore(img, { memory }).finals).toEqual([
        { outcome: 'ok', final: [0, 10] }, // store landed inside the lwarx/stwcx. window
        { outcome: 'ok', final: [1, 10] }, // increment of 0, then overwritten by P1
        { outcome: 'ok', final: [1, 11] }, // P1's store first, then the increment
      ]);
    }
  });

  it("a thread's own store keeps its reservation; stwcx. to another address fails", () => {
    const own = makeImage({
      code: [['lwarx', 3, 0, 2], ['stw', 3, 0, 2], ['stwcx.', 3, 0, 2], ['stwcx.', 3, 0, 2], ['halt']],
      threads: [{ regs: { 2: 1, 3: 0 } }],
      memSize: 2,
    });
    const m = createMachine(own, 'sc');
    run(m, [0, 0, 0]);
    expect([m.cr[0], m.resv[0]]).toEqual([2, 0]);
    run(m, [0]); // the reservation is gone after any stwcx.
    expect(m.cr[0]).toBe(0);
  });
});

describe('state keys and clones', () => {
  it('clones are independent and key-equal; a different state gives a different key', () => {
    const img = makeImage({ code: [['li', 3, 1], ['halt']], threads: [{}] });
    const a = createMachine(img, 'sc');
    const b = cloneMachine(a);
    expect(stateKey(b)).toBe(stateKey(a));
    applyAction(b, 0);
    expect(a.gpr[3]).toBe(0);
    expect(stateKey(b)).not.toBe(stateKey(a));
    // steps and statistics are not part of the state
    const c = cloneMachine(a);
    c.steps = 99;
    c.syncs = 3;
    expect(stateKey(c)).toBe(stateKey(a));
  });
});

describe('trace hook', () => {
  it('reports each action with cpu, pc, instruction and effect', () => {
    const img = makeImage({
      code: [
        'p0:',
        ['await.eq', 0, 2, 1],
        ['mark', 0],
        ['nap'],
        'p1:',
        ['li', 3, 1],
        ['stw', 3, 0, 2],
        ['msgsnd', 4],
        ['halt'],
        'sreset:',
        ['halt'],
      ],
      threads: [
        { start: 'p0', regs: { 2: 1 }, lpcr: LPCR_PECEDH },
        { start: 'p1', regs: { 2: 1, 4: 0 } },
      ],
      vectors: { systemReset: 'sreset' },
      strings: ['woke'],
      memSize: 2,
    });
    const events: TraceEvent[] = [];
    const t = replayTrial(img, 'tso', [1, 1, 3, 0, 0, 1, 0, 1, 0, 0], (e) => events.push(e));
    expect(t.outcome).toBe('ok');
    const brief = events.map((e) => [e.step, e.action, e.cpu, e.pc, e.effect]);
    expect(brief).toEqual([
      [0, -1, 0, 0, { kind: 'await-blocked', addr: 1, value: 0 }],
      [0, 1, 1, 3, { kind: 'exec' }],
      [1, 1, 1, 4, { kind: 'store', addr: 1, value: 1, buffered: true }],
      [2, 3, 1, 5, { kind: 'drain', addr: 1, value: 1 }],
      [3, 0, 0, 0, { kind: 'await-passed', addr: 1, value: 1 }],
      [4, 0, 0, 1, { kind: 'mark', text: 'woke' }],
      [5, 1, 1, 5, { kind: 'doorbell', target: 0 }],
      [6, 0, 0, 2, { kind: 'nap' }],
      [7, 1, 1, 6, { kind: 'halt' }],
      [8, 0, 0, 3, { kind: 'wake', reason: 'doorbell', vector: 7 }],
      [9, 0, 0, 7, { kind: 'halt' }],
    ]);
    expect(events[1]!.instr).toEqual([img.code[12], img.code[13], img.code[14], img.code[15]]);
    expect(events[3]!.instr).toBeNull();
  });
});
