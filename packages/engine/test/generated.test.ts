/** One source of truth: the generated opcode table and the host/core interface must match their sources. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { GENERATED_PATH, generate } from '../scripts/gen-opcodes.mjs';
import * as abi from '../src/abi.js';

describe('assembly/opcodes.generated.ts', () => {
  it('equals a fresh generation from @naplab/isa', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generate());
  });
});

describe('the host/core interface (src/abi.ts vs assembly/abi.ts)', () => {
  const core = readFileSync(new URL('../assembly/abi.ts', import.meta.url), 'utf8');
  const constants = [...core.matchAll(/@inline export const (\w+): i32 = (-?\w+);/g)].map(
    ([, name, value]) => [name!, Number(value)] as const,
  );

  it('declares every core constant on the host side with the same value', () => {
    expect(constants.length).toBeGreaterThan(80);
    const host = abi as Record<string, unknown>;
    for (const [name, value] of constants) expect({ name, value: host[name] }).toEqual({ name, value });
  });

  it('declares nothing the core does not', () => {
    const names = new Set(constants.map(([n]) => n));
    expect(Object.keys(abi).filter((k) => !names.has(k))).toEqual([]);
  });
});
