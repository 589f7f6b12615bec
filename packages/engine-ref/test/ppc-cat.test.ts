/**
 * The test oracle (`ppc-cat.ts`, our own implementation of herd7's ppc.cat) must reproduce, for the
 * 28 shared tests, exactly the final-state sets herd7 printed (`litmus/power-final-states.json`)
 * before it is trusted to judge the operational model on other tests.
 */
import { readFileSync } from 'node:fs';
import { formatFinalState, litmusToImage, parseLitmus } from '@naplab/asm';
import { describe, expect, it } from 'vitest';
import { ppcCatFinals } from './ppc-cat.js';

const litmusDir = new URL('../../../litmus/', import.meta.url);
const herdFinals: Record<string, string[]> = JSON.parse(
  readFileSync(new URL('power-final-states.json', litmusDir), 'utf8'),
);

describe('ppc.cat oracle vs herd7 on the shared tests', () => {
  for (const name of Object.keys(herdFinals)) {
    it(name, () => {
      const test = parseLitmus(`${name}.litmus`, readFileSync(new URL(`${name}.litmus`, litmusDir), 'utf8'));
      const finals = ppcCatFinals(litmusToImage(test));
      const got = [...new Set(finals.map((f) => formatFinalState(test, f)))].sort();
      expect(got).toEqual([...herdFinals[name]!].sort());
    });
  }
});
