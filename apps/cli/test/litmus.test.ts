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

  it('the WebAssembly engine refuses power with a hint instead of failing later', async () => {
    const r = await cli('litmus', `${LITMUS_DIR}SB.litmus`, '--memory', 'power');
    expect(r.code).toBe(2);
    expect(r.err).toContain("add '--engine reference'");
  });
});
