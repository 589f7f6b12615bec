import { describe, expect, test } from 'vitest';
import { buildCompareReport, escapeHtml, renderHtml } from '../src/index.js';
import { LOG_SPAN } from '../src/svg.js';
import { hostileInput, sampleInput, sampleReport } from './fixture.js';

/** Our markup: every tag the renderer may emit. Anything else would be injected. */
const ALLOWED = new Set(
  (
    'html head meta title style body header h1 h2 h3 p dl dt dd pre code main section table thead tbody tr th td ' +
    'figure figcaption svg g line text circle path rect article details summary ul li span a footer'
  ).split(' '),
);

interface Tag {
  name: string;
  attrs: string;
  closing: boolean;
}

/**
 * A small HTML tokenizer, enough for this page: drops the (static) style sheet, returns the tags
 * and the text between them. A `<` in text that starts a tag name is a tag; the renderer must
 * never leave one in user text.
 */
function tokenize(html: string): { tags: Tag[]; text: string } {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!DOCTYPE html>/, '');
  const tags: Tag[] = [];
  const text = body.replace(
    /<(\/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g,
    (_, slash: string, name: string, attrs: string) => {
      tags.push({ name: name.toLowerCase(), attrs, closing: slash === '/' });
      return '';
    },
  );
  return { tags, text };
}

function charts(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe('renderHtml', () => {
  test('one self-contained page: no scripts, no external resources', () => {
    const html = renderHtml(sampleReport());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const { tags } = tokenize(html);
    expect(tags.filter((t) => !ALLOWED.has(t.name))).toEqual([]);
    // the only link is to nothing here: links come only with timelineLinks
    expect(tags.filter((t) => t.name === 'a')).toEqual([]);
  });

  test('the header, the table and the failures are there', () => {
    const html = renderHtml(sampleReport());
    expect(html).toContain('<h1>naplab compare: <code>power8-cede</code></h1>');
    expect(html).toContain('<dt>seed</dt><dd>7</dd>');
    expect(html).toContain('<dt>trials per variant</dt><dd>200,000</dd>');
    expect(html).toContain(
      '<pre class="command"><code>naplab compare power8-cede --memory tso --seed 7 --trials 200000</code></pre>',
    );
    expect(html).toContain(
      '<tr><td>buggy</td><td class="num">200,000</td><td class="num bad">82</td><td class="num bad">4.1e-4 [3.3e-4, 5.1e-4]</td>',
    );
    expect(html).toContain('<td class="num good">0 (&lt; 1.5e-5, rule of 3)</td>');
    expect(html).toContain(
      '<p class="watchdog"><code>watchdog: CPU 4 detected hard LOCKUP on other CPUs 0</code></p>',
    );
    expect(html).toContain(
      '<pre class="command"><code>naplab replay power8-cede --variant buggy --memory tso --schedule 0,1,1,0,2,0,1,3,0,0,1</code></pre>',
    );
    expect(html).toContain(
      '<pre class="timeline">cpu0  kvm_do_nap: hwthread_req &lt;- 1\ncpu0  mark &quot;hwthread_state already IN_KERNEL&quot;\n</pre>',
    );
    expect(html.match(/<li><span class="mark">!<\/span> <code>W_/g)).toHaveLength(4);
    expect(html.match(/<span class="remedy">remedy: /g)).toHaveLength(4);
    expect(html.match(/<span class="mark" title="see the warnings below">!<\/span>/g)).toHaveLength(4);
  });

  test('one <svg> per chart, one error bar per variant', () => {
    const html = renderHtml(sampleReport());
    const svgs = charts(html);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(svgs).toHaveLength(2);
    const [rate, syncs] = svgs as [string, string];
    expect(rate.match(/<g class="errbar[ "]/g)).toHaveLength(4);
    expect(syncs.match(/<g class="errbar[ "]/g)).toHaveLength(4);
    // the two variants without lockups are upper-bound arrows, the two with lockups whiskers
    expect(rate.match(/<g class="errbar bound">/g)).toHaveLength(2);
    expect(rate.match(/<path class="arrow"/g)).toHaveLength(2);
    expect(rate.match(/<circle class="estimate"/g)).toHaveLength(2);
    expect(syncs.match(/<rect class="bar"/g)).toHaveLength(4);
    for (const label of ['baseline', 'buggy', 'fixed', 'nosync'])
      expect(rate).toContain(`text-anchor="end">${label}</text>`);
  });

  test('the rate axis is logarithmic when rates span a decade, linear otherwise', () => {
    // 4.1e-4 against rule-of-three bounds of 1.5e-5: log, with decade ticks
    const rate = charts(renderHtml(sampleReport()))[0]!;
    expect(rate).toContain('(log scale)');
    const ticks = [...rate.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['1e-6', '1e-5', '1e-4', '1e-3']);
    // rates within a factor of LOG_SPAN of each other: linear from 0
    const input = sampleInput();
    input.variants = input.variants
      .slice(1, 2)
      .concat([{ ...input.variants[1]!, variant: 'buggy2', failure: undefined }]);
    input.variants[1]!.outcomes = { ok: 199_880, lockup: 120, lost: 0, assert: 0, limit: 0 };
    const linear = charts(renderHtml(buildCompareReport(input)))[0]!;
    expect(linear).not.toContain('log scale');
    const linearTicks = [...linear.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(linearTicks).toEqual(['0', '2e-4', '4e-4', '6e-4', '8e-4', '1e-3']);
    expect(LOG_SPAN).toBe(10);
  });

  test('a variant without wakeups has no sync bar, and says so', () => {
    const input = sampleInput();
    input.variants[3] = { ...input.variants[3]!, wakeups: 0, wakeupSyncs: 0, wakeupSkips: 0 };
    const syncs = charts(renderHtml(buildCompareReport(input)))[1]!;
    expect(syncs.match(/<g class="errbar"/g)).toHaveLength(3);
    expect(syncs).toContain(
      '<g class="row na"><text class="label" x="170" y="123" text-anchor="end">nosync</text>',
    );
    expect(syncs).toContain('>no wakeups</text>');
  });

  test('hostile user text is escaped everywhere: no injected tag or attribute', () => {
    const report = buildCompareReport(hostileInput());
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain(']]>');
    const { tags, text } = tokenize(html);
    expect(tags.filter((t) => !ALLOWED.has(t.name)).map((t) => t.name)).toEqual([]);
    for (const t of tags) expect(t.attrs).not.toMatch(/\bon[a-z]+\s*=|javascript:/i);
    // every `onerror=` is in text, none in a tag
    const total = html.match(/onerror=/g)!.length;
    expect(text.match(/onerror=/g)!.length).toBe(total);
    expect(total).toBeGreaterThan(20);
    // </pre> in labels and the timeline did not close anything: opening and closing pre tags pair up
    const pres = tags.filter((t) => t.name === 'pre');
    expect(pres.filter((t) => !t.closing).length).toBe(pres.filter((t) => t.closing).length);
    // the escaped forms are there, in HTML text, SVG <text> and <title>, and <pre>
    const escaped = escapeHtml('<script>alert(1)</script>"><img src=x onerror=alert(1)>]]></pre>');
    expect(escaped).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;]]&gt;&lt;/pre&gt;',
    );
    expect(html).toContain(`<td>buggy ${escaped}<span class="mark"`);
    expect(html).toContain(`<title>naplab compare: scn ${escaped}</title>`);
    expect(html).toContain(
      `<pre class="timeline">cpu0  mark &quot;${escaped}&quot;\ncpu1  mark &quot;&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;\n</pre>`,
    );
    const [rate] = charts(html);
    expect(rate).toContain(`<title>buggy ${escaped}: 4.1e-4 [3.3e-4, 5.1e-4]</title>`);
    // SVG labels are shortened, then escaped
    expect(rate).toContain('text-anchor="end">buggy &lt;script&gt;alert(1)&lt;…</text>');
  });

  test('timeline links: plain relative paths only, for known variants', () => {
    const report = sampleReport();
    const html = renderHtml(report, { timelineLinks: { buggy: 'timeline-buggy.html' } });
    expect(html).toContain('<p><a href="timeline-buggy.html">Timeline page</a></p>');
    expect(() => renderHtml(report, { timelineLinks: { buggy: 'javascript:alert(1)' } })).toThrow(
      /not a plain relative path/,
    );
    expect(() => renderHtml(report, { timelineLinks: { buggy: '../x.html' } })).toThrow(
      /not a plain relative path/,
    );
    expect(() => renderHtml(report, { timelineLinks: { nope: 'x.html' } })).toThrow(/unknown variant "nope"/);
  });
});

describe('escapeHtml', () => {
  test('the five characters that matter, and NUL', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>\u0000`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;\ufffd',
    );
    expect(escapeHtml('plain text, 1.5e-5 [0, 1]')).toBe('plain text, 1.5e-5 [0, 1]');
  });
});
