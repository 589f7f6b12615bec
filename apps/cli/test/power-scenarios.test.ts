/**
 * `--memory power` on the scenario commands, on the WebAssembly engine (the default) and the
 * reference engine: the same trials, the same search, and replays of power counterexamples.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const runArgs = (engine: string, variant: string) => [
  'run',
  'power8-cede-small',
  '--variant',
  variant,
  '--memory',
  'power',
  '--trials',
  '300',
  '--seed',
  '3',
  '--workers',
  '1',
  '--engine',
  engine,
  // these tests compare engines and replays; shrinking (reference replays, slow under power) is
  // tested in counterexamples.test.ts
  '--shrink-runs',
  '0',
  '--json',
];

describe('scenario commands under --memory power', () => {
  it('run: buggy locks up under power, and both engines give identical trials', async () => {
    const wasm = await cli(...runArgs('wasm', 'buggy'));
    const ref = await cli(...runArgs('reference', 'buggy'));
    expect(wasm.code).toBe(0);
    expect(ref.code).toBe(0);
    const w = JSON.parse(wasm.out);
    const r = JSON.parse(ref.out);
    expect(w.outcomes).toEqual(r.outcomes);
    expect(w.outcomes.lockup).toBeGreaterThan(0);
    expect(w.failures.map((f: { trial: number }) => f.trial)).toEqual(
      r.failures.map((f: { trial: number }) => f.trial),
    );
    expect(w.failures[0].replay).toMatch(/--memory power --seed 3 --trial \d+$/);
  });

  it('replay: a power lockup found by run replays to the same lockup on both engines', async () => {
    const w = JSON.parse((await cli(...runArgs('wasm', 'buggy'))).out);
    const trial = String(w.failures[0].trial);
    const base = ['replay', 'power8-cede-small', '--variant', 'buggy', '--memory', 'power', '--seed', '3'];
    const a = await cli(...base, '--trial', trial, '--json');
    const b = await cli(...base, '--trial', trial, '--engine', 'reference', '--json');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ja = JSON.parse(a.out);
    const jb = JSON.parse(b.out);
    expect(ja.memory).toBe('power');
    expect(ja.trial.outcome).toBe('lockup');
    // the reference engine replays the wasm engine's trial exactly (schedule, counters, detail)
    expect(jb.trial).toEqual(ja.trial);
  });

  it('check --max-states: the same bounded search on both engines (inconclusive, exit 3)', async () => {
    const args = [
      'check',
      'power8-cede-small',
      '--variant',
      'fixed',
      '--memory',
      'power',
      '--max-states',
      '3000',
      '--json',
    ];
    const w = await cli(...args);
    const r = await cli(...args, '--engine', 'reference');
    expect(w.code).toBe(3);
    expect(r.code).toBe(3);
    const jw = JSON.parse(w.out);
    const jr = JSON.parse(r.out);
    for (const k of ['verdict', 'statesExplored', 'transitions', 'maxDepth', 'cut', 'outcomes'])
      expect(jw[k], k).toEqual(jr[k]);
    expect(jw.memory).toBe('power');
    expect(jw.statesExplored).toBe(3000);
  });
});

describe('power8-cede-core under --memory power, exhaustively (issue #6)', () => {
  it('buggy and nosync are violated, baseline and fixed hold: complete searches, shortest counterexamples', async () => {
    const want = {
      buggy: { verdict: 'violated', message: 'watchdog: CPU 1 detected hard LOCKUP on other CPUs 0' },
      nosync: { verdict: 'violated', message: 'watchdog: CPU 0 detected hard LOCKUP on other CPUs 1' },
      baseline: { verdict: 'holds' },
      fixed: { verdict: 'holds' },
    } as const;
    for (const [variant, w] of Object.entries(want)) {
      const r = await cli('check', 'power8-cede-core', '--variant', variant, '--memory', 'power', '--json');
      const j = JSON.parse(r.out);
      expect({ variant, verdict: j.verdict, cut: j.cut, code: r.code }).toEqual({
        variant,
        verdict: w.verdict,
        cut: false,
        code: w.verdict === 'holds' ? 0 : 1,
      });
      if ('message' in w) {
        expect(j.violation.message).toBe(w.message);
        expect(j.violation.shortest).toBe(true);
        // the shortest counterexample replays to the same lockup on the reference engine
        const rep = JSON.parse(
          (await cli('replay', j.violation.token, '--engine', 'reference', '--json')).out,
        );
        expect([rep.trial.outcome, rep.trial.steps]).toEqual(['lockup', j.violation.steps]);
      } else expect(j.outcomes).toEqual({ ok: 1, lockup: 0, lost: 0, assert: 0, limit: 0 });
    }
  });

  it('under sc nosync holds there, as on power8-cede-small: its race needs a weaker memory model', async () => {
    const j = JSON.parse((await cli('check', 'power8-cede-core', '--variant', 'nosync', '--json')).out);
    expect([j.verdict, j.cut]).toEqual(['holds', false]);
  });
});
