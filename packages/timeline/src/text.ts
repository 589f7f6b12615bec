/**
 * The timeline as text: one column (lane) per CPU, one row per event, top to bottom in step
 * order. A lane that has nothing to say at a row shows its state: `|` running, `:` napping,
 * `.` waiting, `x` lost, blank halted.
 */
import type { LaneState, Timeline, TimelineEntry } from './build.js';

export interface TextOptions {
  /** every instruction, with its location and text (default: kernel-level events only) */
  detail?: boolean;
  /** lane width in characters (default 38) */
  width?: number;
}

const GLYPH: Record<LaneState, string> = { running: '|', napping: ':', waiting: '.', lost: 'x', halted: ' ' };

/** The entries shown: kernel-level ones, or (detail) all of them. */
export function visibleEntries(t: Timeline, detail = false): TimelineEntry[] {
  return t.entries.filter((e) => detail || e.key);
}

/** What an entry says in its lane. */
export function entryText(e: TimelineEntry, detail = false): string {
  if (detail && e.instr !== undefined) return `${e.where}: ${e.instr}${e.text ? ` ; ${e.text}` : ''}`;
  const at =
    e.kind === 'store' || e.kind === 'load' || e.kind === 'sync' || e.kind === 'nap' || e.kind === 'wait';
  return at && e.where ? `${e.where}: ${e.text}` : e.text;
}

function wrap(s: string, w: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of s.split(/\s+/)) {
    let rest = word;
    while (rest.length > w) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= w) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

export function renderTimelineText(t: Timeline, opts: TextOptions = {}): string {
  const w = Math.max(12, opts.width ?? 38);
  const lanes = t.lanes;
  const col = new Map(lanes.map((l, i) => [l.cpu, i]));
  const state: LaneState[] = lanes.map((l) => l.start);
  const stepW = Math.max(4, String(t.steps).length);
  const cell = (s: string) => s.padEnd(w).slice(0, w);
  const lines: string[] = [];
  const head = lanes.map((l) => cell(`cpu${l.cpu} ${l.name}`));
  lines.push(`${'step'.padStart(stepW)}  ${head.join('  ')}`.trimEnd());
  lines.push(`${'-'.repeat(stepW)}  ${lanes.map(() => '-'.repeat(w)).join('  ')}`);
  for (const e of visibleEntries(t, opts.detail)) {
    const i = col.get(e.cpu);
    if (i === undefined) continue;
    state[i] = e.state;
    const text = wrap(entryText(e, opts.detail), w);
    text.forEach((chunk, k) => {
      const cells = lanes.map((_, j) => (j === i ? cell(chunk) : cell(GLYPH[state[j]!])));
      const step = k === 0 ? (e.step < 0 ? '' : String(e.step)) : '';
      lines.push(`${step.padStart(stepW)}  ${cells.join('  ')}`.trimEnd());
    });
  }
  lines.push('');
  lines.push(`end after ${t.steps} steps (${t.outcome}):`);
  for (const l of lanes) lines.push(`  cpu${l.cpu} ${l.name}: ${l.endText}`);
  if (t.message) lines.push(t.message);
  lines.push('legend: | running  : napping  . waiting  x lost');
  return lines.join('\n');
}
