import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error.js';

describe('locateJsonError', () => {
  it('points at the end of a truncated file', () => {
    const text = '{\n "a": [1, 2,\n  3';
    expect(locateJsonError(text)).toEqual({
      offset: text.length,
      byte: text.length,
      line: 3,
      column: 4,
      reason: "unexpected end of file (expected ',' or ']'): the text is truncated",
    });
  });

  it('points at a stray character, counting bytes in UTF-8', () => {
    const text = '{"é": 1 x}';
    const loc = locateJsonError(text)!;
    expect(loc.offset).toBe(8);
    expect(loc.byte).toBe(9);
    expect(loc.line).toBe(1);
    expect(loc.column).toBe(9);
    expect(loc.reason).toBe(`unexpected "x", expected ',' or '}'`);
  });

  it('reports an empty file as truncated at byte 0', () => {
    expect(locateJsonError('')).toMatchObject({ offset: 0, line: 1, column: 1 });
  });

  it('agrees with JSON.parse on what is valid (property)', () => {
    const valid = (t: string) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.string({ maxLength: 2 }), (v, cut, junk) => {
        const text = JSON.stringify(v, null, cut % 3);
        // cut the text and maybe splice in junk: whatever comes out, both must agree
        const k = cut % (text.length + 1);
        for (const t of [text, text.slice(0, k), text.slice(0, k) + junk + text.slice(k)]) {
          const loc = locateJsonError(t);
          expect(loc === undefined).toBe(valid(t));
          if (loc) expect(loc.offset).toBeLessThanOrEqual(t.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
