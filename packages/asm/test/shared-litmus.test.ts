/**
 * The 28 shared POWER litmus tests: they parse, their images validate, `observe` covers the
 * condition, and herd7's own final states round-trip through formatFinalState and give herd7's
 * verdict through verdictOf.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { validateImage } from '@naplab/isa';
import { describe, expect, it } from 'vitest';
import {
  formatFinalState,
  type LitmusTest,
  litmusToImage,
  type Prop,
  parseLitmus,
  verdictOf,
} from '../src/index.js';

// the repository's copy of shared/litmus (a fresh clone has it); the workspace's shared folder otherwise
const REPO_COPY = new URL('../../../litmus/', import.meta.url);
const DIR = existsSync(new URL('expected.tsv', REPO_COPY))
  ? REPO_COPY
  : new URL('../../../../shared/litmus/', import.meta.url);
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.litmus'))
  .sort();
const finals = JSON.parse(readFileSync(new URL('power-final-states.json', DIR), 'utf8')) as Record<
  string,
  string[]
>;
const expected = new Map(
  readFileSync(new URL('expected.tsv', DIR), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .map((c) => [c[0]!, c[1]!]),
);

const key = (o: LitmusTest['observe'][number]) => (o.kind === 'reg' ? `${o.thread}:r${o.reg}` : `[${o.loc}]`);

/** herd's `1:r1=0; [x]=1;` -> values aligned with test.observe */
function valuesOf(test: LitmusTest, line: string): number[] {
  const m = new Map(
    line
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => {
        const [k, v] = s.split('=');
        return [k!, Number(v)] as const;
      }),
  );
  expect(m.size).toBe(test.observe.length);
  return test.observe.map((o) => {
    const v = m.get(key(o));
    expect(v, `${test.name}: herd does not list ${key(o)}`).toBeDefined();
    return v!;
  });
}

function atoms(p: Prop): string[] {
  if (p.kind === 'and' || p.kind === 'or') return [...atoms(p.left), ...atoms(p.right)];
  if (p.kind === 'not') return atoms(p.arg);
  if (p.kind === 'eq') return [key(p.lhs)];
  return [];
}

describe('shared litmus tests', () => {
  it('has all 28', () => {
    expect(files).toHaveLength(28);
    expect(new Set(files.map((f) => f.replace(/\.litmus$/, '')))).toEqual(new Set(expected.keys()));
  });

  for (const f of files) {
    it(f, () => {
      const test = parseLitmus(f, readFileSync(new URL(f, DIR), 'utf8'));
      expect(`${test.name}.litmus`).toBe(f);
      const img = litmusToImage(test);
      validateImage(img);
      expect(img.threads).toHaveLength(test.threads.length);
      const observed = test.observe.map(key);
      for (const a of atoms(test.condition)) expect(observed).toContain(a);
      expect(img.observe).toHaveLength(observed.length);

      const lines = finals[test.name]!;
      const vectors = lines.map((l) => valuesOf(test, l));
      for (const [i, v] of vectors.entries()) expect(formatFinalState(test, v)).toBe(lines[i]);
      expect(verdictOf(test, vectors)).toBe(expected.get(test.name));
    });
  }
});
