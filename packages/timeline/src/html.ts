/** The timeline as one self-contained HTML page: the SVG diagram and the text lanes. No script. */
import type { Timeline } from './build.js';
import { escapeXml as esc } from './escape.js';
import { renderTimelineSvg } from './svg.js';
import { renderTimelineText } from './text.js';

export interface HtmlPageOptions {
  title: string;
  /** lines shown under the title (scenario, variant, replay command...) */
  subtitle?: string[];
  detail?: boolean;
}

export function renderTimelineHtml(t: Timeline, opts: HtmlPageOptions): string {
  const sub = (opts.subtitle ?? []).map((s) => `<p class="sub"><code>${esc(s)}</code></p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.3rem}
.sub code{font-size:.85rem;word-break:break-all}
.watchdog{color:#c0392b;font-weight:bold;font-family:ui-monospace,monospace}
.diagram{overflow-x:auto;border:1px solid #ddd;padding:.5rem}
pre{font-size:.8rem;overflow-x:auto}
</style></head>
<body>
<h1>${esc(opts.title)}</h1>${sub}
${t.message ? `<p class="watchdog">${esc(t.message)}</p>` : ''}
<div class="diagram">${renderTimelineSvg(t, { detail: opts.detail })}</div>
<details><summary>Text lanes</summary><pre class="timeline">${esc(renderTimelineText(t, { detail: opts.detail }))}</pre></details>
</body></html>
`;
}
