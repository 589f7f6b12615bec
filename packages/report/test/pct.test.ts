/** PCT reports: every renderer says the rates are PCT rates and prints the guarantee; JSON checks it. */
import { describe, expect, it } from 'vitest';
import {
  buildCompareReport,
  parseCompareReport,
  renderHtml,
  renderMarkdown,
  renderTable,
  reportToJSON,
} from '../src/index.js';
import { sampleInput } from './fixture.js';

const note =
  'rates under pct:2:1200 are PCT rates, not the uniform rate: PCT steers trials toward rare orderings; compare them only with rates under the same scheduler. Guarantee: 1/(29·1200) = 2.9e-5 per trial';

function pctReport() {
  return buildCompareReport({
    ...sampleInput(),
    scheduler: 'pct:2:1200',
    pct: { depth: 2, k: 1200, agents: 29, guarantee: 1 / (29 * 1200), note },
  });
}

describe('a PCT comparison', () => {
  it('every renderer labels the rates as PCT rates', () => {
    const r = pctReport();
    expect(r.pct).toEqual({ depth: 2, k: 1200, agents: 29, guarantee: 1 / 34800, note });
    const table = renderTable(r, { color: false });
    expect(table).toContain('scheduler pct:2:1200 (PCT rates, not uniform rates)');
    expect(table).toContain(note);
    const md = renderMarkdown(r);
    expect(md).toContain('(PCT rates, not uniform rates)');
    expect(md).toContain('PCT rates, not the uniform rate');
    expect(md).toContain('1/(29·1200)');
    const html = renderHtml(r);
    expect(html).toContain('<strong>rates under pct:2:1200 are PCT rates, not the uniform rate');
  });

  it('uniform reports carry no PCT block and no PCT words', () => {
    const r = buildCompareReport(sampleInput());
    expect(r.pct).toBeUndefined();
    expect(renderTable(r, { color: false })).not.toContain('PCT');
  });

  it('the JSON round-trips, and a bad pct block is refused', () => {
    const r = pctReport();
    expect(parseCompareReport(reportToJSON(r))).toEqual(r);
    const bad = JSON.parse(reportToJSON(r));
    bad.pct.guarantee = 2;
    expect(() => parseCompareReport(JSON.stringify(bad))).toThrow(/pct.guarantee must be in \(0, 1\]/);
    delete bad.pct.note;
    bad.pct.guarantee = 0.5;
    expect(() => parseCompareReport(JSON.stringify(bad))).toThrow(/pct.note must be a string/);
  });
});
