import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJson } from './json-text.js';

describe('formatJson', () => {
  it('keeps lists of numbers and short objects on one line', () => {
    const long = Array.from({ length: 100 }, (_, i) => i);
    const text = formatJson({ name: 'x', schedule: long, nested: { a: 1 }, gone: undefined });
    expect(text).toBe(`{\n  "name": "x",\n  "schedule": ${JSON.stringify(long)},\n  "nested": {"a":1}\n}\n`);
  });

  it('breaks long objects and lists of objects over lines, two spaces deep', () => {
    const rows = [
      { label: 'a'.repeat(40), n: 1 },
      { label: 'b'.repeat(40), n: 2 },
    ];
    expect(formatJson({ rows })).toBe(
      `{\n  "rows": [\n    ${JSON.stringify(rows[0])},\n    ${JSON.stringify(rows[1])}\n  ]\n}\n`,
    );
  });

  it('parses back to the same value as JSON.stringify', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(formatJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
