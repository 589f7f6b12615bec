import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken } from './token.js';

describe('replay tokens', () => {
  it('round-trip any schedule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(5000), { maxLength: 300 }),
        fc.constantFrom('sc', 'tso'),
        (decisions, memory) => {
          const t = {
            scenario: 'power8-cede-small',
            variant: 'buggy',
            memory,
            engine: 'wasm',
            image: '0123456789abcdef',
            decisions,
          };
          const tok = encodeToken(t);
          expect(tok).toMatch(/^np1_[A-Za-z0-9_-]+$/);
          expect(decodeToken(tok)).toEqual({ ...t, v: 1 });
        },
      ),
    );
  });
  it('keeps the wakeup file of a custom variant', () => {
    const t = {
      scenario: 's.json',
      variant: 'custom',
      wakeup: 'my wakeup.s',
      memory: 'tso',
      engine: 'reference',
      image: 'ff',
      decisions: [3, 1, 4],
    };
    expect(decodeToken(encodeToken(t))).toEqual({ ...t, v: 1 });
  });
  it('refuses damaged tokens and other versions with a coded error', () => {
    expect(() => decodeToken('np1_!!!')).toThrow(/not a valid replay token/);
    const v2 = `np1_${Buffer.from(JSON.stringify({ v: 2 })).toString('base64url')}`;
    expect(() => decodeToken(v2)).toThrow(/version 2 is not supported/);
    const noImage = `np1_${Buffer.from(JSON.stringify({ v: 1, scenario: 'x', variant: 'y', memory: 'sc', engine: 'wasm', decisions: '1' })).toString('base64url')}`;
    expect(() => decodeToken(noImage)).toThrow(/field 'image' is missing/);
  });
});
