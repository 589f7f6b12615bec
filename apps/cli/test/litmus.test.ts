import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, expectedTable, FIXTURES, LITMUS_DIR, litmusFiles } from './helpers.js';

const ENGINES = ['reference', 'wasm'] as const;

type Row = { test: string; verdict: string; finalStates: string[]; statesExplored: number };

async function runJson(engine: string, memory: string, files: string[]): Promise<Map<string, Row>> {
  const r = await cli('litmus', ...files, '--memory', memory, '--engine', engine, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.out) as Row[];
  return new Map(rows.map((x) => [x.test, x]));
}

const powerFinals: Record<string, string[]> = JSON.parse(
  readFileSync(`${LITMUS_DIR}power-final-states.json`, 'utf8'),
);

describe.each(ENGINES)('naplab litmus on the shared POWER tests (%s engine)', (engine) => {
  const expected = expectedTable();

  it('the shipped litmus tests are the shared ones, unchanged', () => {
    const names = litmusFiles().map((f) => f.slice(LITMUS_DIR.length, -'.litmus'.length));
    expect(names.sort()).toEqual([...expected.keys()].sort());
  });

  it('tso gives the tso column of expected.tsv on all 28 tests, within the POWER final states', async () => {
    const tso = await runJson(engine, 'tso', litmusFiles());
    expect(tso.size).toBe(28);
    for (const [name, row] of expected) {
      const got = tso.get(name)!;
      expect({ name, verdict: got.verdict }).toEqual({ name, verdict: row.tso });
      // POWER is weaker than TSO: every TSO final state is a POWER final state
      for (const s of got.finalStates) expect(powerFinals[name], `${name}: ${s}`).toContain(s);
    }
  });

  it('sc final states are a subset of tso final states, and SB, SB+lwsyncs, R, RWC flip to forbidden', async () => {
    const sc = await runJson(engine, 'sc', litmusFiles());
    const tso = await runJson(engine, 'tso', litmusFiles());
    for (const [name, row] of expected) {
      const s = sc.get(name)!;
      expect(s.verdict, name).toBe(row.sc);
      expect(s.verdict, name).toBe('forbidden');
      for (const st of s.finalStates) expect(tso.get(name)!.finalStates, `${name}: ${st}`).toContain(st);
    }
    for (const name of ['SB', 'SB+lwsyncs', 'R', 'RWC']) {
      expect(tso.get(name)!.verdict).toBe('allowed');
      expect(sc.get(name)!.verdict).toBe('forbidden');
    }
  });
});

describe('naplab litmus on our own tests', () => {
  it('gives the verdicts reasoned out by hand', async () => {
    const files = ['MP+syncs-own', 'SB+po-own', 'CoRW-own'].map((n) => `${FIXTURES}${n}.litmus`);
    const sc = await runJson('reference', 'sc', files);
    const tso = await runJson('reference', 'tso', files);
    // fenced message passing: forbidden in both
    expect(sc.get('MP+syncs-own')!.verdict).toBe('forbidden');
    expect(tso.get('MP+syncs-own')!.verdict).toBe('forbidden');
    // SB with an extra reader: the store-buffer outcome appears under tso only
    expect(sc.get('SB+po-own')!.verdict).toBe('forbidden');
    expect(tso.get('SB+po-own')!.verdict).toBe('allowed');
    // reading one's own later store is impossible (coherence), and under sc r1 is 0 or 2
    expect(tso.get('CoRW-own')!.verdict).toBe('forbidden');
    expect(sc.get('CoRW-own')!.finalStates).toEqual(['0:r1=0;', '0:r1=2;']);
    // sc, MP+syncs-own: r1=1 forces r3=42, and r1=0 leaves r3 either value
    expect(sc.get('MP+syncs-own')!.finalStates).toEqual([
      '1:r1=0; 1:r3=0;',
      '1:r1=0; 1:r3=42;',
      '1:r1=1; 1:r3=42;',
    ]);
  });

  it('text output lists the verdict, the condition and the sorted final states', async () => {
    const r = await cli('litmus', `${LITMUS_DIR}SB.litmus`, '--memory', 'tso', '--engine', 'reference');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SB\s+tso\s+allowed\s+\d+ states/);
    expect(r.out).toContain('exists (0:r3=0 /\\ 1:r3=0)');
    expect(r.out).toContain(
      '    0:r3=0; 1:r3=0;\n    0:r3=0; 1:r3=1;\n    0:r3=1; 1:r3=0;\n    0:r3=1; 1:r3=1;\n',
    );
  });
});

describe('bad input', () => {
  it('a malformed file gets a located, coded diagnostic and exit 2; the other files are still checked', async () => {
    const r = await cli(
      'litmus',
      `${FIXTURES}broken.litmus`,
      `${LITMUS_DIR}SB.litmus`,
      '--engine',
      'reference',
      '--memory',
      'tso',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.litmus:7:2: error\[NAP\d+\]/);
    expect(r.err).toContain('frob');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.out).toMatch(/^SB\s+tso\s+allowed/m);
    expect(r.out).toContain('1 file(s) could not be checked');
  });

  it('an unreadable file says which and why', async () => {
    const r = await cli('litmus', '/nonexistent/x.litmus', '--engine', 'reference');
    expect(r.code).toBe(2);
    expect(r.err).toContain("cannot read '/nonexistent/x.litmus': ENOENT");
  });

  it('an unknown option is refused with a suggestion', async () => {
    const r = await cli('litmus', 'x.litmus', '--memroy', 'tso');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown option '--memroy'");
    expect(r.err).toContain("did you mean '--memory'?");
  });

  it('an unknown memory model lists the valid ones', async () => {
    const r = await cli('litmus', 'x.litmus', '--memory', 'arm');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'arm' is not a valid value for '--memory'; valid: sc, tso/);
  });

  it('an unknown command suggests the closest', async () => {
    const r = await cli('litmsu');
    expect(r.code).toBe(2);
    expect(r.err).toContain("did you mean 'naplab litmus'?");
  });
});

describe('naplab litmus --memory power (reference engine)', () => {
  it('gives herd7 verdicts and exactly herd7 final-state sets on all 28 shared tests', async () => {
    const expected = expectedTable();
    const power = await runJson('reference', 'power', litmusFiles());
    for (const [name, row] of expected) {
      const got = power.get(name)!;
      expect({ name, verdict: got.verdict }).toEqual({ name, verdict: row.power });
      expect({ name, finals: got.finalStates }).toEqual({ name, finals: [...powerFinals[name]!].sort() });
    }
  });
});

describe('naplab litmus --memory power (WebAssembly engine, the default)', () => {
  it('gives herd7 verdicts, exactly herd7 final-state sets and the reference state counts on all 28 tests', async () => {
    const expected = expectedTable();
    const wasm = await runJson('wasm', 'power', litmusFiles());
    const ref = await runJson('reference', 'power', litmusFiles());
    expect(wasm.size).toBe(28);
    for (const [name, row] of expected) {
      const got = wasm.get(name)!;
      expect({ name, verdict: got.verdict }).toEqual({ name, verdict: row.power });
      expect({ name, finals: got.finalStates }).toEqual({ name, finals: [...powerFinals[name]!].sort() });
      expect({ name, states: got.statesExplored }).toEqual({ name, states: ref.get(name)!.statesExplored });
    }
  });
});

type Sample = {
  test: string;
  trials: number;
  seed: number;
  histogram: { state: string; count: number; satisfies: boolean }[];
  positive: number;
  negative: number;
  observation: string;
  validated: boolean;
  notOk: Record<string, number>;
};

async function sampleJson(engine: string, memory: string, files: string[], trials: number, seed: number) {
  const r = await cli(
    'litmus',
    ...files,
    '--memory',
    memory,
    '--engine',
    engine,
    '--trials',
    String(trials),
    '--seed',
    String(seed),
    '--json',
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Sample[];
}

describe('naplab litmus --trials N (uniform sampling, litmus7-style histogram)', () => {
  it('counts every trial, only in reachable final states, the same on both engines and for the same seed', async () => {
    const files = ['SB', 'MP', 'IRIW', 'CoRR1'].map((n) => `${LITMUS_DIR}${n}.litmus`);
    const wasm = await sampleJson('wasm', 'power', files, 1500, 7);
    const ref = await sampleJson('reference', 'power', files, 1500, 7);
    expect(wasm).toEqual(ref.map((x) => ({ ...x, engine: 'wasm' })));
    expect(await sampleJson('wasm', 'power', files, 1500, 7)).toEqual(wasm);
    for (const s of wasm) {
      const total = s.histogram.reduce((a, e) => a + e.count, 0);
      expect(total + Object.values(s.notOk).reduce((a, n) => a + n, 0)).toBe(1500);
      expect(s.positive + s.negative).toBe(total);
      expect(s.positive).toBe(s.histogram.filter((e) => e.satisfies).reduce((a, e) => a + e.count, 0));
      for (const e of s.histogram) expect(powerFinals[s.test], `${s.test}: ${e.state}`).toContain(e.state);
      expect(s.histogram.map((e) => e.state)).toEqual(s.histogram.map((e) => e.state).sort());
    }
    // herd7 forbids CoRR1's condition: a sample can never see it
    expect(wasm.find((s) => s.test === 'CoRR1')!.observation).toBe('Never');
    // SB's relaxed outcome is frequent under power: 1500 trials see it
    const sb = wasm.find((s) => s.test === 'SB')!;
    expect(sb.observation).toBe('Sometimes');
    expect(sb.validated).toBe(true);
    // another seed gives another sample
    const other = await sampleJson('wasm', 'power', [files[0]!], 1500, 8);
    expect(other[0]!.histogram).not.toEqual(sb.histogram);
  });

  it('prints the histogram, the condition and the observation line like litmus7', async () => {
    const r = await cli(
      'litmus',
      `${LITMUS_DIR}SB.litmus`,
      '--memory',
      'tso',
      '--trials',
      '400',
      '--seed',
      '1',
    );
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const h = lines.findIndex((l) => /^Histogram \(\d+ states\)$/.test(l));
    expect(h).toBeGreaterThan(0);
    const n = Number(/\((\d+) states\)/.exec(lines[h]!)![1]);
    const rows = lines.slice(h + 1, h + 1 + n);
    for (const row of rows) expect(row).toMatch(/^\s*\d+ (\*>|:>) (\d:r\d+=-?\d+; ?)+$/);
    expect(rows.reduce((a, row) => a + Number(row.trim().split(' ')[0]), 0)).toBe(400);
    // 0:r3=0; 1:r3=0; is SB's condition: marked with *>
    expect(rows.some((row) => row.includes('*> 0:r3=0; 1:r3=0;'))).toBe(true);
    expect(r.out).toMatch(/^Condition exists .* is validated$/m);
    expect(r.out).toMatch(/^Observation SB Sometimes \d+ \d+$/m);
    expect(r.out).toMatch(
      /1 tests under tso, 400 uniform trials each \(seed 1\): 1 Sometimes, 0 Never, 0 Always/,
    );
  });

  it('refuses --trials with --expected, and --trials 0', async () => {
    const both = await cli(
      'litmus',
      `${LITMUS_DIR}SB.litmus`,
      '--trials',
      '10',
      '--expected',
      `${LITMUS_DIR}expected.tsv`,
    );
    expect(both.code).toBe(2);
    expect(both.err).toContain('error[NAP004]');
    const zero = await cli('litmus', `${LITMUS_DIR}SB.litmus`, '--trials', '0');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('error[NAP004]');
  });
});
