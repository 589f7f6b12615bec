/**
 * The timeline as an SVG sequence diagram: one vertical lane per CPU, one row per kernel-level
 * event, doorbells and IPIs as arrows between lanes, each lane's end state at the bottom and the
 * outcome line (the watchdog line for a lockup) under it. Self-contained, no script, no external
 * resource; every text goes through `escapeXml`.
 */
import type { LaneState, Timeline } from './build.js';
import { escapeXml as esc } from './escape.js';
import { entryText, visibleEntries } from './text.js';

export interface SvgOptions {
  detail?: boolean;
  /** lane width in pixels (default 250) */
  laneWidth?: number;
}

const ROW = 20;
const TOP = 44;
const LEFT = 56;
const MAX_CHARS = 33;

const STROKE: Record<LaneState, string> = {
  running: 'stroke:#444;stroke-width:2',
  napping: 'stroke:#3a7bd5;stroke-width:2;stroke-dasharray:2 4',
  waiting: 'stroke:#c77c02;stroke-width:2;stroke-dasharray:6 3',
  lost: 'stroke:#c0392b;stroke-width:1;stroke-dasharray:1 6',
  halted: 'stroke:#bbb;stroke-width:1',
};
const DOT: Record<string, string> = {
  lost: '#c0392b',
  assert: '#c0392b',
  wait: '#c77c02',
  nap: '#3a7bd5',
  wake: '#3a7bd5',
  mark: '#6a3d9a',
  enter: '#2d7d46',
};

const clip = (s: string) => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s);

export function renderTimelineSvg(t: Timeline, opts: SvgOptions = {}): string {
  const lw = opts.laneWidth ?? 250;
  const rows = visibleEntries(t, opts.detail);
  const col = new Map(t.lanes.map((l, i) => [l.cpu, i]));
  const x = (cpu: number) => LEFT + (col.get(cpu) ?? 0) * lw + 12;
  const endY = TOP + rows.length * ROW + 12;
  const footer = 3 + t.lanes.length + (t.message ? 1 : 0);
  const width = LEFT + t.lanes.length * lw + 20;
  const height = endY + footer * 18 + 16;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="naplab-timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="12" role="img" aria-label="${esc(`timeline: ${t.outcome}`)}">`,
  );
  out.push(`<title>${esc(`${t.outcome}${t.message ? `: ${t.message}` : ''}`)}</title>`);
  out.push(
    '<defs><marker id="nl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#2d7d46"/></marker></defs>',
  );
  // lane headers
  for (const l of t.lanes) {
    out.push(
      `<g class="lane" data-cpu="${l.cpu}"><text x="${x(l.cpu) - 8}" y="20" font-weight="bold">${esc(`cpu${l.cpu} ${l.name}`)}</text></g>`,
    );
  }
  // lane segments: state changes along the rows
  const state = t.lanes.map((l) => l.start);
  const since = t.lanes.map(() => TOP - 8);
  const segs: string[] = [];
  const seg = (i: number, y2: number) => {
    const cx = x(t.lanes[i]!.cpu);
    if (y2 > since[i]!)
      segs.push(`<line x1="${cx}" y1="${since[i]}" x2="${cx}" y2="${y2}" style="${STROKE[state[i]!]}"/>`);
    since[i] = y2;
  };
  rows.forEach((e, r) => {
    const i = col.get(e.cpu);
    if (i === undefined) return;
    const y = TOP + r * ROW;
    if (e.state !== state[i]) {
      seg(i, y);
      state[i] = e.state;
    }
  });
  t.lanes.forEach((_, i) => {
    seg(i, endY);
  });
  out.push(`<g class="lanes">${segs.join('')}</g>`);
  // rows
  out.push('<g class="events">');
  rows.forEach((e, r) => {
    const y = TOP + r * ROW;
    const cx = x(e.cpu);
    const text = entryText(e, opts.detail);
    const color = DOT[e.kind] ?? '#444';
    out.push(
      `<g class="event" data-kind="${esc(e.kind)}" data-cpu="${e.cpu}" data-step="${e.step}"><title>${esc(`step ${e.step}, cpu${e.cpu}${e.where ? ` at ${e.where}` : ''}${e.instr ? `: ${e.instr}` : ''} — ${text}`)}</title>`,
    );
    out.push(`<text x="4" y="${y + 4}" fill="#888">${e.step < 0 ? '' : e.step}</text>`);
    out.push(`<circle cx="${cx}" cy="${y}" r="4" fill="${color}"/>`);
    if (e.target !== undefined && col.has(e.target)) {
      const tx = x(e.target);
      out.push(
        `<line x1="${cx}" y1="${y}" x2="${tx + (tx > cx ? -5 : 5)}" y2="${y}" stroke="#2d7d46" stroke-width="1.5" marker-end="url(#nl-arrow)"/>`,
      );
    }
    const bold = e.kind === 'lost' || e.kind === 'mark' || e.kind === 'assert' ? ' font-weight="bold"' : '';
    out.push(`<text x="${cx + 9}" y="${y + 4}" fill="${color}"${bold}>${esc(clip(text))}</text></g>`);
  });
  out.push('</g>');
  // end states and the outcome line
  let y = endY + 22;
  out.push(
    `<g class="end"><text x="4" y="${y}" font-weight="bold">${esc(`end after ${t.steps} steps (${t.outcome})`)}</text>`,
  );
  for (const l of t.lanes) {
    y += 18;
    out.push(
      `<text x="12" y="${y}" data-cpu="${l.cpu}">${esc(`cpu${l.cpu} ${l.name}: ${l.endText}`)}</text>`,
    );
  }
  if (t.message) {
    y += 22;
    out.push(
      `<text class="watchdog" x="4" y="${y}" fill="#c0392b" font-weight="bold">${esc(t.message)}</text>`,
    );
  }
  out.push('</g></svg>');
  return out.join('');
}
