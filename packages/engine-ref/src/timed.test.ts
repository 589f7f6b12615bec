/**
 * The timed scheduler (SEMANTICS.md section 15) on hand-computed traces: exact cycles for a short
 * doorbell wakeup with fixed latencies, the wakeup-to-count latencies, and the watchdog's report
 * inside its documented window.
 */
import { linkImage } from '@naplab/asm';
import {
  type CostModel,
  type Image,
  LPCR_PECEDH,
  latencyQuantile,
  POWER8_COST_MODEL,
  Rng,
  type TimedSpec,
  watchdogReport,
} from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { referenceEngine } from './index.js';

const fixed = (v: number) => ({ min: v, max: v });

/** POWER8 defaults with every latency fixed, so a trace's times are hand-computable. */
const FIXED: CostModel = {
  ...POWER8_COST_MODEL,
  latency: {
    doorbell: fixed(200),
    external: fixed(2000),
    decrementer: fixed(0),
    napWakeup: fixed(1000),
    decrementerPeriod: fixed(50_000),
    strayEvent: fixed(70_000),
    drain: fixed(10),
    choose: fixed(500),
  },
};

function spec(cost: CostModel = FIXED, watchdogThresh = 10): TimedSpec {
  return { kind: 'timed', cost, watchdogThresh };
}

/**
 * cpu 0 wakes napping cpu 1 with a doorbell; cpu 1 counts `woke` at the system-reset vector,
 * loads, syncs and counts `dispatch`.
 */
function doorbellImage(): Image {
  return linkImage({
    name: 'timed-doorbell',
    sources: [
      {
        file: 'timed.S',
        text: `
primary:
        li      r3,1
        msgsnd  r3
        halt
sreset:
        count   woke
        lwz     r4,x(0)
        sync
        count   dispatch
        halt
`,
      },
    ],
    globals: [{ name: 'x' }],
    threads: [
      { name: 'primary', entry: 'primary' },
      { name: 'secondary', status: 'napping', lpcr: LPCR_PECEDH },
    ],
    vectors: { systemReset: 'sreset' },
  });
}

describe('timed scheduler: a hand-computed trace', () => {
  it('gives exactly the cycles of the cost model', () => {
    const img = doorbellImage();
    const r = referenceEngine.runTrials(img, {
      memory: 'sc',
      scheduler: spec(),
      seed: 1,
      from: 0,
      to: 1,
      record: 'all',
    });
    const t = r.trials[0]!;
    // li at 0 (1 cycle), msgsnd at 1 (20): cpu 1's wakeup becomes possible at 1 and happens after
    // the doorbell (200) and nap exit (1000) latencies, at 1201; halt of cpu 0 at 21.
    // cpu 1: count woke at 1201 (0 cycles), lwz at 1201 (3), sync at 1204 (100),
    // count dispatch at 1304, halt at 1304: the trial's last action.
    expect(t.outcome).toBe('ok');
    expect(t.schedule).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(t.timed).toEqual({ cycles: 1304 });
    const lat = r.aggregates.timed!.latency;
    const woke = img.counters.indexOf('woke');
    const dispatch = img.counters.indexOf('dispatch');
    expect(lat[woke]).toMatchObject({ n: 1, sum: 0, min: 0, max: 0 });
    expect(lat[dispatch]).toMatchObject({ n: 1, sum: 103, sumSq: 103 * 103, min: 103, max: 103 });
    expect(latencyQuantile(lat[dispatch]!, 0.5)).toBe(103);
    expect(r.aggregates.timed!.cycles).toBe(1304);
  });

  it('charges the sync cost once per sync: a sweep moves dispatch by exactly the difference', () => {
    const img = doorbellImage();
    const dispatch = img.counters.indexOf('dispatch');
    const at = (sync: number) =>
      referenceEngine.runTrials(img, {
        memory: 'sc',
        scheduler: spec({ ...FIXED, instr: { ...FIXED.instr, sync } }),
        seed: 1,
        from: 0,
        to: 3,
      }).aggregates.timed!;
    expect(at(400).latency[dispatch]!.sum - at(50).latency[dispatch]!.sum).toBe(3 * 350);
    expect(at(400).cycles - at(50).cycles).toBe(3 * 350);
  });

  it('draws latencies from the trial generator: same seed, same totals, any split', () => {
    const img = doorbellImage();
    const run = (from: number, to: number) =>
      referenceEngine.runTrials(img, {
        memory: 'tso',
        scheduler: spec(POWER8_COST_MODEL),
        seed: 7,
        from,
        to,
        record: 'none',
      }).aggregates;
    const whole = run(0, 40);
    const a = run(0, 17);
    const b = run(17, 40);
    expect(a.timed!.cycles + b.timed!.cycles).toBe(whole.timed!.cycles);
    // doorbell 100..300 + nap 3500..14000 + the short path: every trial's time is in that window
    expect(whole.timed!.cycles).toBeGreaterThanOrEqual(40 * (1 + 20 + 100 + 3500));
    expect(whole.timed!.cycles).toBeLessThanOrEqual(40 * (1 + 20 + 300 + 14000 + 3 + 100 + 100));
  });
});

describe('timed scheduler: spin parking', () => {
  it('skips the iterations of a pure spin loop until memory changes', () => {
    const img = linkImage({
      name: 'timed-spin',
      sources: [
        {
          file: 'spin.S',
          text: `
spinner:
0:      lwz     r3,flag(0)
        cmpwi   r3,0
        beq     0b
        halt
setter:
        work    100000
        li      r4,1
        stw     r4,flag(0)
        halt
`,
        },
      ],
      globals: [{ name: 'flag' }],
      threads: [
        { name: 'spinner', entry: 'spinner' },
        { name: 'setter', entry: 'setter' },
      ],
    });
    const r = referenceEngine.runTrials(img, {
      memory: 'sc',
      scheduler: spec(),
      seed: 1,
      from: 0,
      to: 1,
      record: 'all',
    });
    const t = r.trials[0]!;
    // spinner: two iterations (lwz 3 + cmpwi 1 + beq 1 each) reach the backward branch with the
    // same registers and no store in between: parked at cycle 10. setter: work 0..100000, li,
    // stw at 100001 unparks it; lwz at 100001 reads 1; setter halts at 100002; cmpwi 100004,
    // beq 100005, halt 100006. Without parking the spinner would take ~60000 steps meanwhile.
    expect(t.outcome).toBe('ok');
    expect(t.timed).toEqual({ cycles: 100006 });
    // ties at cycle 0 go to the lower cpu: spinner's lwz, then setter's work
    expect(t.schedule).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0]);
  });
});

describe('timed scheduler: the hard-lockup watchdog (PROTOCOL.md 3.8)', () => {
  /** cpu 0 waits for a flag cpu 1 never sets (cpu 1 is lost): a lockup the watchdog reports. */
  function lockupImage(): Image {
    return linkImage({
      name: 'timed-lockup',
      sources: [
        {
          file: 'lockup.S',
          text: `
waiter:
        work    5000
        await.eq done(0),1
        halt
victim:
        work    100
        lost    "gone"
bystander:
        work    10
        halt
`,
        },
      ],
      globals: [{ name: 'done', cpu: 1 }],
      threads: [
        { name: 'ksmd', entry: 'waiter' },
        { name: 'primary', entry: 'victim' },
        { name: 'other', entry: 'bystander' },
      ],
    });
  }

  it('reports after 1.5 thresholds less or more one heartbeat period, naming the stuck cpu', () => {
    const img = lockupImage();
    const thresh = 10;
    const us = FIXED.cyclesPerUs;
    const period = thresh * 400_000 * us;
    const panic = thresh * 1_500_000 * us;
    const r = referenceEngine.runTrials(img, {
      memory: 'sc',
      scheduler: spec(FIXED, thresh),
      seed: 3,
      from: 0,
      to: 200,
      record: 'all',
    });
    expect(r.aggregates.outcomes.lockup).toBe(200);
    for (const t of r.trials) {
      expect(t.timed!.cycles).toBe(5000);
      const w = t.timed!.watchdog!;
      expect(w.cpus).toEqual([1]);
      expect(w.cpu).not.toBe(1);
      const delay = w.at - t.timed!.cycles;
      expect(delay).toBeGreaterThan(panic - period);
      expect(delay).toBeLessThan(panic + period);
    }
    const wd = r.aggregates.timed!.watchdog;
    expect(wd.reports).toBe(200);
    expect(wd.delayMin).toBeGreaterThan(panic - period);
    expect(wd.delayMax).toBeLessThan(panic + period);
    // the phases are uniform, so over 200 trials both halves of the window are used
    expect(wd.delayMin).toBeLessThan(panic);
    expect(wd.delayMax).toBeGreaterThan(panic);
  });

  it('follows the kernel rounds exactly on a hand-computed case', () => {
    // Two cpus, thresh 1 s at 1 cycle/us: period 400000, panic 1500000. Draws give the phases;
    // we recompute the answer by hand from them.
    const rng = new Rng(11, 0);
    const probe = new Rng(11, 0);
    const p0 = probe.below(400_000);
    const p1 = probe.below(400_000);
    const end = 1_000_000;
    const w = watchdogReport(end, 2, [1], { cyclesPerUs: 1, watchdogThresh: 1 }, rng)!;
    // resets happen at the beats of the cpu with the larger phase; cpu 1 stops beating after `end`
    const m = p1 > p0 ? 1 : 0;
    const pm = m === 1 ? p1 : p0;
    let last = pm + Math.floor((end - pm) / 400_000) * 400_000;
    if (m === 0) {
      const b1 = p1 + (Math.floor((last - p1) / 400_000) + 1) * 400_000;
      if (b1 <= end) last += 400_000;
    }
    const due = last + 1_500_000;
    const at = p0 + Math.ceil((due - p0) / 400_000) * 400_000;
    expect(w).toEqual({ at, cpu: 0, cpus: [1] });
  });

  it('has nobody to report when every cpu is stuck', () => {
    expect(watchdogReport(10, 2, [0, 1], { cyclesPerUs: 1, watchdogThresh: 1 }, new Rng(1, 1))).toBe(
      undefined,
    );
  });
});
