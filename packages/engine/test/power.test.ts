/**
 * The `power` memory model on the WebAssembly engine (SEMANTICS.md section 13), beyond the
 * trial-for-trial differential tests of diff.test.ts:
 *
 * * the 28 shared litmus tests, exhaustively, on both builds: herd7's verdict (`expected.tsv`),
 *   exactly herd7's final states (`power-final-states.json`) and the exhaustive state counts the
 *   reference engine pins (engine-ref/test/power.test.ts);
 * * the reference engine's own litmus tests (engine-ref/test/litmus, litmus-known): every field of
 *   the exhaustive result equal to the reference engine's;
 * * the core refuses a run under a model the image was not loaded for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { formatFinalState, type LitmusTest, litmusToImage, parseLitmus, verdictOf } from '@naplab/asm';
import { referenceEngine } from '@naplab/engine-ref';
import { describe, expect, it } from 'vitest';
import { expectedPower, herdFinals, POWER_STATES } from '../../../test-support/litmus-power.js';
import * as abi from '../src/abi.js';
import { emptyExact, flattenImage, WasmCore } from '../src/core.js';
import { createWasmEngine } from '../src/index.js';
import { LITMUS_DIR } from './fixtures.js';

const engines = [
  { build: 'debug' as const, engine: createWasmEngine({ build: 'debug' }) },
  { build: 'release' as const, engine: createWasmEngine({ build: 'release' }) },
];

function load(dir: URL, file: string): { test: LitmusTest; image: ReturnType<typeof litmusToImage> } {
  const test = parseLitmus(file, readFileSync(new URL(file, dir), 'utf8'));
  return { test, image: litmusToImage(test) };
}

const finalSet = (test: LitmusTest, finals: number[][]) =>
  [...new Set(finals.map((f) => formatFinalState(test, f)))].sort();

describe('power on the WebAssembly engine: the 28 shared litmus tests', () => {
  it('covers every shared test', () => {
    const files = readdirSync(LITMUS_DIR)
      .filter((f) => f.endsWith('.litmus'))
      .map((f) => f.slice(0, -'.litmus'.length))
      .sort();
    expect(Object.keys(POWER_STATES).sort()).toEqual(files);
    expect(Object.keys(herdFinals).sort()).toEqual(files);
  });

  for (const name of Object.keys(POWER_STATES)) {
    it(`${name}: ${expectedPower.get(name)}, herd7's final states, ${POWER_STATES[name]} states`, () => {
      const { test, image } = load(LITMUS_DIR, `${name}.litmus`);
      for (const { engine } of engines) {
        const r = engine.explore(image, { memory: 'power' });
        expect(r.cut).toBe(false);
        expect(r.holds).toBe(true);
        expect(r.finals.every((f) => f.outcome === 'ok')).toBe(true);
        const finals = r.finals.map((f) => f.final);
        expect(verdictOf(test, finals)).toBe(expectedPower.get(name));
        expect(finalSet(test, finals)).toEqual([...herdFinals[name]!].sort());
        expect(r.states).toBe(POWER_STATES[name]);
      }
    }, 120_000);
  }
});

describe('power on the WebAssembly engine: the reference engine own litmus tests', () => {
  const dirs = [
    new URL('../../engine-ref/test/litmus/', import.meta.url),
    new URL('../../engine-ref/test/litmus-known/', import.meta.url),
  ];
  const files = dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.litmus'))
      .map((f) => ({ dir: d, file: f })),
  );
  it('there are at least 9', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });
  for (const { dir, file } of files) {
    it(`${file}: the exhaustive search equals the reference engine's`, () => {
      const { image } = load(dir, file);
      const want = referenceEngine.explore(image, { memory: 'power' });
      expect(want.cut).toBe(false);
      for (const { engine } of engines)
        expect(engine.explore(image, { memory: 'power' })).toStrictEqual(want);
    }, 120_000);
  }
});

describe('power: the core keeps the model the image was loaded for', () => {
  it('refuses sc/tso runs of an image loaded for power, and power runs of one loaded for sc', () => {
    const { image } = load(LITMUS_DIR, 'MP.litmus');
    const core = new WasmCore('debug');
    core.load(flattenImage(image), image.strings, 'power');
    core.beginRun(null);
    expect(() =>
      core.runBatch(1, 0, 10, 'sc', abi.SCHED_UNIFORM, abi.RECORD_NONE, 0, 1e9, emptyExact(0)),
    ).toThrow(/memory model the image was not loaded for/);
    expect(core.ex.explore(abi.MODEL_TSO)).toBe(abi.E_ARGS);
    const ok = core.runBatch(1, 0, 10, 'power', abi.SCHED_UNIFORM, abi.RECORD_NONE, 0, 1e9, emptyExact(0));
    expect(ok.next).toBe(10);
    core.load(flattenImage(image), image.strings, 'sc');
    core.beginRun(null);
    expect(core.ex.explore(abi.MODEL_POWER)).toBe(abi.E_ARGS);
    expect(core.ex.configure(7)).toBe(abi.E_ARGS);
  });
});
