/**
 * Real assembly text through `@naplab/asm`: every shared litmus test must get the sc and tso
 * verdicts of `litmus/expected.tsv`, and a kernel-style lockup assembled from text must print the
 * watchdog line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { linkImage, litmusToImage, parseLitmus, verdictOf } from '@naplab/asm';
import { LPCR_PECE0 } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import { referenceEngine, replayTrial, runTrial } from './index.js';

const litmusDir = new URL('../../../litmus/', import.meta.url);

const expected = readFileSync(new URL('expected.tsv', litmusDir), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [test, , , , tso, sc] = line.split('\t');
    return { test: test!, tso: tso!, sc: sc! };
  });

describe('shared litmus tests (assembled by @naplab/asm)', () => {
  it('expected.tsv covers every litmus file', () => {
    const files = readdirSync(litmusDir)
      .filter((f) => f.endsWith('.litmus'))
      .map((f) => f.replace(/\.litmus$/, ''))
      .sort();
    expect(expected.map((e) => e.test).sort()).toEqual(files);
  });

  for (const e of expected) {
    it(`${e.test}: sc ${e.sc}, tso ${e.tso}`, () => {
      const test = parseLitmus(
        `${e.test}.litmus`,
        readFileSync(new URL(`${e.test}.litmus`, litmusDir), 'utf8'),
      );
      const image = litmusToImage(test);
      for (const memory of ['sc', 'tso'] as const) {
        const r = referenceEngine.explore(image, { memory });
        expect(r.cut).toBe(false);
        expect(r.finals.every((f) => f.outcome === 'ok')).toBe(true);
        expect(
          verdictOf(
            test,
            r.finals.map((f) => f.final),
          ),
        ).toBe(memory === 'sc' ? e.sc : e.tso);
      }
    });
  }

  it('SB under tso: a uniform trial reaching r3 = r3 = 0 replays from its schedule', () => {
    const text = readFileSync(new URL('SB.litmus', litmusDir), 'utf8');
    const image = litmusToImage(parseLitmus('SB.litmus', text));
    let found: ReturnType<typeof runTrial> | undefined;
    for (let i = 0; i < 200 && !found; i++) {
      const t = runTrial(image, 'tso', 2024, i);
      if (t.final.join() === '0,0') found = t;
    }
    expect(found).toBeDefined();
    expect(replayTrial(image, 'tso', found!.schedule)).toEqual({ ...found!, index: 0 });
  });
});

describe('assembled kernel-style scenario', () => {
  /*
   * CPU 0 (ksmd) sends an IPI to CPU 1 and waits for CPU 1's CALL_DONE field. CPU 1 naps; its
   * wakeup either runs the handler (sets its CALL_DONE) or, in the buggy variant, returns through
   * a stale frame and is lost, so CPU 0 waits forever.
   */
  const image = (buggy: boolean) =>
    linkImage({
      name: buggy ? 'stale-frame' : 'fixed',
      sources: [
        {
          file: 'k.S',
          text: `
ksmd:
        li      r4,1
        ipi     r4
        await.eq CALL_DONE@cpu1(0),1
        halt
primary:
        nap
sreset:
        eoi
${buggy ? '        lost    "returned through a stale frame"' : '        li      r5,1\n        stw     r5,CALL_DONE(r13)'}
        halt
`,
        },
      ],
      perThread: [{ name: 'CALL_DONE' }],
      threads: [
        { name: 'ksmd', entry: 'ksmd' },
        { name: 'primary', entry: 'primary', lpcr: LPCR_PECE0 },
      ],
      vectors: { systemReset: 'sreset' },
    });

  it('the fixed variant always completes; the buggy one locks up with the kernel message', () => {
    for (const memory of ['sc', 'tso', 'power'] as const) {
      expect(referenceEngine.explore(image(false), { memory }).holds).toBe(true);
      const r = referenceEngine.explore(image(true), { memory });
      expect(r.holds).toBe(false);
      expect(r.finals.map((f) => f.outcome)).toEqual(['lockup']);
      expect(r.violation!.detail).toEqual({
        waiting: 0,
        stuck: [1],
        message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 1',
      });
      const t = replayTrial(image(true), memory, r.violation!.schedule);
      expect([t.outcome, t.detail, t.wakeupsByReason]).toEqual(['lockup', r.violation!.detail, [0, 1, 0]]);
    }
  });
});
