import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  buildCompareReport,
  parseCompareReport,
  renderTable,
  reportToJSON,
  WARNING_CODES,
} from '../src/index.js';
import { docInput } from './fixture.js';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'compare-report.md');

/** The fenced block between `<!-- name:begin -->` and `<!-- name:end -->`. */
function block(doc: string, name: string): { start: number; end: number; body: string } {
  const begin = `<!-- ${name}:begin -->\n`;
  const start = doc.indexOf(begin) + begin.length;
  const end = doc.indexOf(`<!-- ${name}:end -->`);
  if (start < begin.length || end < start)
    throw new Error(`docs/compare-report.md lacks the ${name} markers`);
  const m = doc.slice(start, end).match(/^```[a-z]*\n([\s\S]*)```\n$/);
  if (!m) throw new Error(`the ${name} block is not one fenced code block`);
  return { start, end, body: m[1]! };
}

function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      if (k !== 'counters' && k !== 'outcomes') keysOf(x, out);
    }
  return out;
}

describe('docs/compare-report.md', () => {
  const report = buildCompareReport(docInput());
  const expected = {
    'example-json': `\`\`\`json\n${reportToJSON(report)}\`\`\`\n`,
    'example-table': `\`\`\`\n${renderTable(report)}\`\`\`\n`,
  };

  test('its example is what reportToJSON and renderTable print (UPDATE_GOLDEN=1 rewrites it)', () => {
    let doc = readFileSync(DOC, 'utf8');
    if (process.env.UPDATE_GOLDEN === '1') {
      for (const [name, text] of Object.entries(expected)) {
        const b = block(doc, name);
        doc = doc.slice(0, b.start) + text + doc.slice(b.end);
      }
      writeFileSync(DOC, doc);
    }
    for (const [name, text] of Object.entries(expected)) {
      const b = block(doc, name);
      expect(doc.slice(b.start, b.end)).toBe(text);
    }
    expect(parseCompareReport(block(doc, 'example-json').body)).toEqual(report);
  });

  test('every field of the example, every warning code and every error code is documented', () => {
    const doc = readFileSync(DOC, 'utf8');
    // the names in the first column of the field tables: `a`, `b` and `scenario.name` count too
    const documented = new Set(
      doc
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .flatMap((l) =>
          [...l.split(' | ')[0]!.matchAll(/`([A-Za-z_.]+)`/g)].flatMap((m) => m[1]!.split('.')),
        ),
    );
    const missing = [...keysOf(report)].filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
    for (const code of Object.keys(WARNING_CODES)) expect(doc).toContain(`| \`${code}\` |`);
    for (const code of [
      'E_REPORT_CORRUPT',
      'E_REPORT_FORMAT',
      'E_REPORT_VERSION',
      'E_REPORT_INVALID',
      'E_REPORT_INPUT',
      'E_REPORT_WRITE',
    ])
      expect(doc).toContain(`| \`${code}\` |`);
  });
});
