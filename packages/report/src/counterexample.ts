/**
 * The counterexample parts of a failing variant's section in the HTML report: the sequence
 * diagram of its timeline (`@naplab/timeline`'s SVG, which escapes every text itself) and the
 * shrunk schedule with the command that replays it.
 */
import { renderTimelineSvg, type Timeline } from '@naplab/timeline';
import { formatCount } from './format.js';
import { escapeHtml as esc } from './html-escape.js';
import type { ShrunkReport } from './types.js';

export function sequenceFigure(t: Timeline): string {
  return `<figure class="sequence"><div class="diagram" style="overflow-x:auto">${renderTimelineSvg(t)}</div><figcaption>Sequence diagram: one lane per CPU, the kernel-level events of the counterexample (solid: running, dashed blue: napping, dashed orange: waiting, dotted red: lost), doorbells and IPIs as arrows.</figcaption></figure>`;
}

export function shrunkSection(s: ShrunkReport): string {
  return `<p>Shrunk (decisions removed while the outcome stays the same): ${esc(formatCount(s.stepsBefore))} → ${esc(formatCount(s.steps))} steps, ${esc(formatCount(s.scheduleLength))} decisions. Replay it with:</p><pre class="command"><code>${esc(s.replayCommand)}</code></pre>`;
}
