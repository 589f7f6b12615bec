/**
 * The comparison as one self-contained HTML page: inline CSS, inline SVG, no scripts, no external
 * resources (a Content-Security-Policy forbids them, as a second line of defence). Every
 * user-supplied string is escaped with `escapeHtml`.
 */
import { sequenceFigure, shrunkSection } from './counterexample.js';
import { formatConfidence, formatCount, joinSplit } from './format.js';
import { escapeHtml as esc } from './html-escape.js';
import {
  type ColumnKey,
  comparisonColumns,
  counterexampleSummary,
  failureSummary,
  methodNotes,
  presentComparisons,
  presentVariants,
  scenarioSource,
  variantColumns,
} from './present.js';
import { lockupRateChart, syncsPerWakeupChart } from './svg.js';
import { MARK } from './text.js';
import { timedHtml } from './timed.js';
import type { CompareReport } from './types.js';

export interface HtmlOptions {
  /**
   * Per variant, a relative link to a separate timeline page (as `writeReportDir` writes them).
   * Only plain relative paths are accepted: letters, digits, `.`, `_`, `-`, `/`.
   */
  timelineLinks?: Record<string, string>;
}

const CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b636e; --line: #d0d7de; --bg: #fff;
  --bad: #c0392b; --good: #2e7d32; --warn: #9a6700; --bar: #8fb3d9; --code: #f3f4f6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9da7b3; --line: #3d444d;
  --bg: #0d1117; --bad: #ff7b72; --good: #7ee787; --warn: #d29922; --bar: #2f5d8a; --code: #161b22; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; }
code, pre, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--code); padding: .6rem .8rem; overflow-x: auto; border-radius: 6px; }
pre.command { white-space: pre-wrap; word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { color: var(--bad); font-weight: 600; } td.good { color: var(--good); }
.mark { color: var(--warn); font-weight: 700; margin-left: .3rem; }
.muted, .legend, figcaption { color: var(--muted); }
.watchdog code { color: var(--bad); }
ul.warnings li { margin-bottom: .5rem; } .remedy { display: block; color: var(--muted); }
svg.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg .label { fill: var(--fg); } svg .value, svg .tick, svg .caption { fill: var(--muted); }
svg .axis { stroke: var(--muted); } svg .grid { stroke: var(--line); stroke-dasharray: 2 3; }
svg .whisker { stroke: var(--good); stroke-width: 2; } svg .estimate { fill: var(--good); }
svg .arrow { fill: var(--good); } svg .bar { fill: var(--bar); }
svg .failing .whisker { stroke: var(--bad); } svg .failing .estimate { fill: var(--bad); }
figure { margin: 1rem 0; }
`;

const SAFE_HREF = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/;

function mark(on: boolean): string {
  return on ? `<span class="mark" title="see the warnings below">${MARK}</span>` : '';
}

function metaList(report: CompareReport): string {
  const source = scenarioSource(report);
  const items: [string, string][] = [
    ['scenario', `<code>${esc(report.scenario.name)}</code>${source ? ` (${esc(source)})` : ''}`],
    ['memory model', esc(report.memory)],
    [
      'scheduler',
      report.pct
        ? `${esc(report.scheduler)}: <strong>${esc(report.pct.note)}</strong>`
        : esc(report.scheduler),
    ],
    ['engine', esc(report.engine)],
    ['seed', esc(String(report.seed))],
    ['trials per variant', esc(formatCount(report.trialsPerVariant))],
    ['intervals', esc(`${formatConfidence(report.confidence)} confidence`)],
    ['naplab', esc(report.naplabVersion)],
  ];
  if (report.createdAt) items.push(['created', esc(report.createdAt)]);
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function variantTable(report: CompareReport): string {
  const specs = variantColumns(report);
  const head = specs
    .map((s) => `<th${s.kind === 'text' ? '' : ' class="num"'}>${esc(s.header)}</th>`)
    .join('');
  const body = presentVariants(report).map((p) => {
    const tds = specs.map((s) => {
      const key: ColumnKey = s.key;
      const text = key === 'variant' ? p.cells.variant.rest : joinSplit(p.cells[key]);
      const classes = s.kind === 'text' ? [] : ['num'];
      if (key === 'lockups' || key === 'rate') classes.push(p.source.outcomes.lockup > 0 ? 'bad' : 'good');
      const cls = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
      return `<td${cls}>${esc(text)}${mark(p.marks.has(key))}</td>`;
    });
    return `<tr>${tds.join('')}</tr>`;
  });
  return `<table class="variants"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function comparisonTable(report: CompareReport): string {
  const rows = presentComparisons(report);
  if (rows.length === 0) return '';
  const h = comparisonColumns(report);
  const head = `<tr><th>${esc(h.pair)}</th><th class="num">${esc(h.difference)}</th><th class="num">${esc(h.syncs)}</th><th class="num">${esc(h.p)}</th><th>${esc(h.verdict)}</th></tr>`;
  const body = rows.map(
    (c) =>
      `<tr><td>${esc(c.title)}</td><td class="num">${esc(joinSplit(c.difference))}</td><td class="num">${esc(joinSplit(c.syncsDifference))}</td><td class="num">${esc(c.p)}</td><td>${esc(c.verdict)}${mark(c.mark)}</td></tr>`,
  );
  return `<section id="comparisons"><h2>Comparisons</h2><table class="comparisons"><thead>${head}</thead><tbody>${body.join('')}</tbody></table></section>`;
}

function failureSection(report: CompareReport, links: Record<string, string>): string {
  const failing = presentVariants(report).filter((p) => p.failing);
  if (failing.length === 0) return '';
  const parts = failing.map((p) => {
    const v = p.source;
    const out = [`<article class="failure"><h3>${esc(v.label)}</h3><p>${esc(failureSummary(v))}</p>`];
    if (v.failure) {
      const f = v.failure;
      out.push(`<p class="watchdog"><code>${esc(f.message)}</code></p>`);
      out.push(`<p>Shortest counterexample: ${esc(counterexampleSummary(v) ?? '')}. Replay it with:</p>`);
      out.push(`<pre class="command"><code>${esc(f.replayCommand)}</code></pre>`);
      if (f.shrunk !== undefined) out.push(shrunkSection(f.shrunk));
      if (f.sequence !== undefined) out.push(sequenceFigure(f.sequence));
      if (f.timeline !== undefined)
        out.push(
          `<details open><summary>Timeline</summary><pre class="timeline">${esc(f.timeline)}</pre></details>`,
        );
      out.push(
        `<details><summary>Schedule (${esc(formatCount(f.scheduleLength))} decisions)</summary><pre class="schedule">${esc(f.schedule.join(','))}</pre></details>`,
      );
    } else {
      out.push('<p class="muted">No failing schedule was kept.</p>');
    }
    const link = links[v.variant];
    if (link !== undefined) out.push(`<p><a href="${esc(link)}">Timeline page</a></p>`);
    out.push('</article>');
    return out.join('');
  });
  return `<section id="failures"><h2>Failures</h2>${parts.join('')}</section>`;
}

function warningSection(report: CompareReport): string {
  if (report.warnings.length === 0) return '';
  const items = report.warnings.map(
    (w) =>
      `<li><span class="mark">${MARK}</span> <code>${esc(w.code)}</code> ${esc(w.message)}<span class="remedy">remedy: ${esc(w.remedy)}</span></li>`,
  );
  return (
    '<section id="warnings"><h2>Warnings</h2>' +
    `<p class="legend"><span class="mark">${MARK}</span> in the tables marks the values a warning concerns; each warning says what to do about it.</p>` +
    `<ul class="warnings">${items.join('')}</ul></section>`
  );
}

/** The comparison as a self-contained HTML page. */
export function renderHtml(report: CompareReport, options: HtmlOptions = {}): string {
  const links = options.timelineLinks ?? {};
  const known = new Set(report.variants.map((v) => v.variant));
  for (const [variant, href] of Object.entries(links)) {
    if (!known.has(variant))
      throw new RangeError(`timeline link for unknown variant ${JSON.stringify(variant)}`);
    if (!SAFE_HREF.test(href))
      throw new RangeError(`timeline link ${JSON.stringify(href)} is not a plain relative path`);
  }
  const title = `naplab compare: ${report.scenario.name}`;
  const description = report.scenario.description
    ? `<p class="description">${esc(report.scenario.description)}</p>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="generator" content="naplab ${esc(report.naplabVersion)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>naplab compare: <code>${esc(report.scenario.name)}</code></h1>${description}${metaList(report)}`,
    `<p>Reproduce the whole comparison with:</p><pre class="command"><code>${esc(report.command)}</code></pre></header>`,
    '<main>',
    `<section id="results"><h2>Results</h2>${variantTable(report)}</section>`,
    '<section id="charts"><h2>Charts</h2>',
    `<figure>${lockupRateChart(report)}<figcaption>Lockup rate per variant: the estimate and its ${esc(formatConfidence(report.confidence))} interval; for a variant without lockups, an arrow down from the rule-of-three upper bound.</figcaption></figure>`,
    `<figure>${syncsPerWakeupChart(report)}<figcaption>Wakeup-path syncs per wakeup, with ${esc(formatConfidence(report.confidence))} intervals: the cost that commit 8c1c7fb0b5ec set out to save.</figcaption></figure>`,
    '</section>',
    report.timed ? timedHtml(report.timed) : '',
    comparisonTable(report),
    failureSection(report, links),
    warningSection(report),
    `<section id="methods"><h2>Methods</h2><ul>${methodNotes(report)
      .map((n) => `<li>${esc(n)}</li>`)
      .join('')}</ul></section>`,
    '</main>',
    `<footer class="muted"><p>Rendered from a naplab-compare report (format version ${esc(String(report.version))}, documented in docs/compare-report.md).</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
