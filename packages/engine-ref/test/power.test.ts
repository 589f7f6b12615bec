/**
 * The `power` memory model (`@naplab/isa` SEMANTICS.md section 13).
 *
 * * the 28 shared litmus tests: herd7's verdict (`expected.tsv`, column `power`) and exactly
 *   herd7's final states (`power-final-states.json`), with the exhaustive state counts pinned (the
 *   WebAssembly engine must reproduce them);
 * * our own litmus tests (`test/litmus/`): the verdict reasoned out in each file, and the final
 *   states of our ppc.cat oracle; the known difference with herd7 (`test/litmus-known/`);
 * * seeded random litmus tests against the oracle;
 * * the schedulers (uniform, replay, exhaustive) and the strong instructions under power.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { formatFinalState, type LitmusTest, litmusToImage, parseLitmus, verdictOf } from '@naplab/asm';
import { DEFAULT_LIMITS, type Image, LPCR_PECEDH, type TrialResult } from '@naplab/isa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedPower, herdFinals, POWER_STATES } from '../../../test-support/litmus-power.js';
import {
  actionCount,
  applyAction,
  classify,
  createMachine,
  enabledActions,
  finalValues,
  needsChoice,
  referenceEngine,
  replayTrial,
  runTrial,
} from '../src/index.js';
import { liveEvents, POWER_EVENTS, POWER_WINDOW } from '../src/power.js';
import { makeImage } from '../src/test/build.js';
import { type RandomProgram, randomProgram, randomProgramImage } from '../src/test/random-programs.js';
import { Gen, genLitmus } from './gen-litmus.js';
import { ppcCatFinals } from './ppc-cat.js';

const litmusDir = new URL('../../../litmus/', import.meta.url);
const ownDir = new URL('./litmus/', import.meta.url);
const knownDir = new URL('./litmus-known/', import.meta.url);

function load(dir: URL, file: string): { test: LitmusTest; image: Image } {
  const test = parseLitmus(file, readFileSync(new URL(file, dir), 'utf8'));
  return { test, image: litmusToImage(test) };
}

const finalSet = (test: LitmusTest, finals: number[][]) =>
  [...new Set(finals.map((f) => formatFinalState(test, f)))].sort();

/** The verdict a test file states in its `(* expected power: ... *)` comment. */
function statedVerdict(dir: URL, file: string): string {
  const m = /\(\*\s*expected power:\s*(allowed|forbidden)/.exec(readFileSync(new URL(file, dir), 'utf8'));
  if (!m) throw new Error(`${file}: no "(* expected power: allowed|forbidden" comment`);
  return m[1]!;
}

describe('power: the 28 shared litmus tests', () => {
  it('covers every shared test', () => {
    const files = readdirSync(litmusDir)
      .filter((f) => f.endsWith('.litmus'))
      .map((f) => f.slice(0, -'.litmus'.length))
      .sort();
    expect([...expectedPower.keys()].sort()).toEqual(files);
    expect(Object.keys(herdFinals).sort()).toEqual(files);
    expect(Object.keys(POWER_STATES).sort()).toEqual(files);
  });

  for (const name of Object.keys(POWER_STATES)) {
    it(`${name}: ${expectedPower.get(name)}, herd7's final states`, () => {
      const { test, image } = load(litmusDir, `${name}.litmus`);
      const r = referenceEngine.explore(image, { memory: 'power' });
      expect(r.cut).toBe(false);
      expect(r.finals.every((f) => f.outcome === 'ok')).toBe(true);
      const finals = r.finals.map((f) => f.final);
      expect(verdictOf(test, finals)).toBe(expectedPower.get(name));
      expect(finalSet(test, finals)).toEqual([...herdFinals[name]!].sort());
      expect(r.states).toBe(POWER_STATES[name]);
    });
  }
});

describe('power: our own litmus tests', () => {
  const files = readdirSync(ownDir).filter((f) => f.endsWith('.litmus'));

  it('there are at least 8', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    const stated = statedVerdict(ownDir, file);
    it(`${file}: ${stated}, and the ppc.cat oracle's final states`, () => {
      const { test, image } = load(ownDir, file);
      const r = referenceEngine.explore(image, { memory: 'power' });
      expect(r.cut).toBe(false);
      expect(r.finals.every((f) => f.outcome === 'ok')).toBe(true);
      const finals = r.finals.map((f) => f.final);
      expect(verdictOf(test, finals)).toBe(stated);
      let oracle: number[][] | undefined;
      try {
        oracle = ppcCatFinals(image);
      } catch (e) {
        // lwarx / stwcx. are outside the oracle's scope
        expect(String(e)).toMatch(/out of its scope/);
      }
      if (oracle) expect(finalSet(test, finals)).toEqual(finalSet(test, oracle));
    });
  }

  it('ATOMIC+inc: two lwarx/stwcx. increments always give 2', () => {
    const { test, image } = load(ownDir, 'ATOMIC+inc.litmus');
    const r = referenceEngine.explore(image, { memory: 'power' });
    expect(
      finalSet(
        test,
        r.finals.map((f) => f.final),
      ),
    ).toEqual(['[x]=2;']);
  });
});

describe('power: known differences with herd7', () => {
  for (const file of readdirSync(knownDir).filter((f) => f.endsWith('.litmus'))) {
    it(`${file}: the model's verdict as stated, and herd7's (our oracle's) the other`, () => {
      const { test, image } = load(knownDir, file);
      const stated = statedVerdict(knownDir, file);
      const r = referenceEngine.explore(image, { memory: 'power' });
      expect(r.cut).toBe(false);
      expect(
        verdictOf(
          test,
          r.finals.map((f) => f.final),
        ),
      ).toBe(stated);
      expect(verdictOf(test, ppcCatFinals(image))).not.toBe(stated);
    });
  }
});

describe('power: seeded random litmus tests against the ppc.cat oracle', () => {
  // bigger runs: N=500 SEED=7 npx vitest run test/power.test.ts -t random
  const count = Number(process.env.N ?? 24);
  const seed = Number(process.env.SEED ?? 2026);
  it(`${count} tests from seed ${seed}: the same final states`, () => {
    const g = new Gen(seed);
    for (let i = 0; i < count; i++) {
      const text = genLitmus(g, `random-${seed}-${i}`, { threads: [2, 3], accesses: [1, 3] });
      const test = parseLitmus('random.litmus', text);
      const image = litmusToImage(test);
      const r = referenceEngine.explore(image, { memory: 'power' });
      expect(r.cut, text).toBe(false);
      expect(r.finals.map((f) => `${f.outcome} ${formatFinalState(test, f.final)}`).sort(), text).toEqual(
        finalSet(test, ppcCatFinals(image)).map((s) => `ok ${s}`),
      );
    }
    // about 25 s on an idle machine; far more when the machine is shared
  }, 300_000);
});

describe('power: schedulers', () => {
  it('action ids: 3n + events, then satisfy, predict, propagate, cohere', () => {
    const { image } = load(litmusDir, 'MP.litmus');
    const m = createMachine(image, 'power');
    expect(actionCount(m)).toBe(3 * 2 + POWER_WINDOW * 2 + 2 * 2 + POWER_EVENTS * 2 + POWER_EVENTS ** 2);
    const ids = enabledActions(m);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(() => applyAction(m, actionCount(m))).toThrow(RangeError);
    // a satisfy of an empty slot, a propagation of a missing event
    expect(() => applyAction(m, 3 * 2 + POWER_WINDOW - 1)).toThrow(/no instruction in window slot/);
    expect(() => applyAction(m, 3 * 2 + POWER_WINDOW * 2 + 4 + 2 * 31)).toThrow(/cannot be propagated/);
  });

  it('uniform trials end in exhaustive final states with every event retired, and replay exactly', () => {
    for (const name of ['MP+lwsyncs', 'WRC+lwsync+addr', 'RWC+syncs', '2+2W', 'CoRR1', 'S']) {
      const { image } = load(litmusDir, `${name}.litmus`);
      const r = referenceEngine.explore(image, { memory: 'power' });
      const batch = referenceEngine.runTrials(image, {
        memory: 'power',
        scheduler: { kind: 'uniform' },
        seed: 99,
        from: 0,
        to: 150,
        record: 'all',
      });
      for (const t of batch.trials) {
        expect(r.finals).toContainEqual({ outcome: t.outcome, final: t.final });
        expect(replayTrial(image, 'power', t.schedule)).toEqual({ ...t, index: 0 });
        const m = createMachine(image, 'power');
        for (const a of t.schedule) applyAction(m, a);
        expect(liveEvents(m)).toBe(0);
      }
    }
  });

  it('uniform finds the relaxed outcome of MP (several trials, distinct seeds)', () => {
    const { test, image } = load(litmusDir, 'MP.litmus');
    const found = [];
    for (let i = 0; i < 400 && found.length === 0; i++) {
      const t = runTrial(image, 'power', 5, i);
      if (verdictOf(test, [t.final]) === 'allowed') found.push(t);
    }
    expect(found).toHaveLength(1);
  });
});

describe('power: strong instructions', () => {
  it('nap waits until everything the thread has seen has reached every thread', () => {
    const img = makeImage({
      code: ['p0:', ['li', 1, 1], ['stw', 1, 0, 6], ['nap'], 'p1:', ['halt'], 'sreset:', ['halt']],
      threads: [{ start: 'p0', regs: { 6: 1 }, lpcr: LPCR_PECEDH }, { start: 'p1' }],
      memSize: 2,
      vectors: { systemReset: 'sreset' },
      observe: [{ kind: 'mem', addr: 1 }],
    });
    const m = createMachine(img, 'power');
    // the store committed at once; nap (step 0) waits for its propagation to thread 1
    expect(enabledActions(m)).not.toContain(0);
    const propagate = enabledActions(m).find((a) => a >= 6);
    expect(propagate).toBeDefined();
    applyAction(m, propagate!);
    expect(enabledActions(m)).toContain(0);
  });

  it('a loop of register-only instructions stalls every 64 retirements instead of spinning inside one action', () => {
    const img = makeImage({
      code: [
        'p0:',
        ['li', 3, 200],
        ['mtctr', 3],
        'count:',
        ['addi', 4, 4, 1],
        ['bdnz', 'count'],
        ['stw', 4, 0, 6],
        ['halt'],
        'p1:',
        'spin:',
        ['b', 'spin'],
      ],
      threads: [{ start: 'p0', regs: { 6: 1 } }, { start: 'p1' }],
      memSize: 2,
      observe: [{ kind: 'mem', addr: 1 }],
      limits: { ...DEFAULT_LIMITS, maxSteps: 40 },
    });
    const t = runTrial(img, 'power', 1, 0);
    expect(t.outcome).toBe('limit');
    // thread 0 counts to 200 (a few resumes), its store reaches memory; thread 1 spins forever
    const done = runTrial({ ...img, threads: [img.threads[0]!] }, 'power', 1, 0);
    expect([done.outcome, done.final]).toEqual(['ok', [200]]);
    // the spinning thread only revisits its stalled state: the search ends, with no terminal
    const r = referenceEngine.explore(img, { memory: 'power' });
    expect([r.cut, r.finals]).toEqual([false, []]);
  });
  // the kernel-style stale-frame scenario runs under power too: src/asm.test.ts
});

// random programs with system instructions (src/test/random-programs.ts), under power; the
// store-buffer size is not used by power
const program = randomProgram({ power: true });
const buildRandom = (p: RandomProgram) => randomProgramImage(p, { maxSteps: 80, maxStates: 30_000 });

describe('power: properties (fast-check)', () => {
  const seedIndex = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 40 }));

  it('uniform picks enabled actions only, replay reproduces, and a trial ending with nothing enabled has retired every event', () => {
    fc.assert(
      fc.property(program, seedIndex, (p, [seed, index]) => {
        const img = buildRandom(p);
        const t: TrialResult = runTrial(img, 'power', seed, index);
        const m = createMachine(img, 'power');
        for (let i = 0; i < t.schedule.length; i++) {
          const a = t.schedule[i]!;
          expect(enabledActions(m)).toContain(a);
          const n = needsChoice(m, a);
          if (n > 0) applyAction(m, a, t.schedule[++i]!);
          else applyAction(m, a);
        }
        expect(classify(m).outcome).toBe(t.outcome);
        expect(finalValues(m)).toEqual(t.final);
        if (t.outcome !== 'limit' && t.outcome !== 'assert') expect(liveEvents(m)).toBe(0);
        expect(replayTrial(img, 'power', t.schedule)).toEqual({ ...t, index: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it("a uniform trial's outcome and final state are among the exhaustive finals", () => {
    fc.assert(
      fc.property(program, seedIndex, (p, [seed, index]) => {
        const img = buildRandom(p);
        const r = referenceEngine.explore(img, { memory: 'power' });
        fc.pre(!r.cut);
        const t = runTrial(img, 'power', seed, index);
        expect(r.finals).toContainEqual({ outcome: t.outcome, final: t.final });
        if (r.violation) {
          const v = replayTrial(img, 'power', r.violation.schedule);
          expect([v.outcome, v.detail, v.final]).toEqual([
            r.violation.outcome,
            r.violation.detail,
            r.violation.final,
          ]);
        }
      }),
      { numRuns: 80 },
    );
  });
});
