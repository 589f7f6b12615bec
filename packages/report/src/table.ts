/**
 * The terminal rendering of a comparison: aligned tables, then comparisons, counterexamples and
 * warnings. User strings are sanitized (no control characters reach the terminal); commands are
 * never wrapped, so that they stay copy-pasteable.
 */
import { joinSplit } from './format.js';
import {
  type ColumnKey,
  comparisonColumns,
  counterexampleSummary,
  failureSummary,
  presentComparisons,
  presentVariants,
  runSummary,
  scenarioSource,
  variantColumns,
} from './present.js';
import {
  displayWidth,
  type GridCell,
  type GridColumn,
  layoutGrid,
  MARK,
  padRight,
  paint,
  sanitizeTerminal as safe,
} from './text.js';
import { timedTextLines } from './timed.js';
import type { CompareReport } from './types.js';

export interface TableOptions {
  /** ANSI colours; default false (pass `process.stdout.isTTY && !process.env.NO_COLOR`) */
  color?: boolean;
  /**
   * Terminal width. When the full table is wider, the intervals of the last three columns are
   * dropped; when that is still too wide, each variant is listed as a block. Default: no limit.
   */
  width?: number;
}

type Layout = 'full' | 'compact' | 'stacked';

const COMPACT_ONLY: ColumnKey[] = ['syncs', 'skip', 'steps'];

function variantGrid(report: CompareReport, layout: 'full' | 'compact', color: boolean) {
  const specs = variantColumns(report);
  const presented = presentVariants(report);
  const columns: GridColumn[] = specs.map((s) => {
    const compact = layout === 'compact' && COMPACT_ONLY.includes(s.key);
    return {
      header: compact ? s.short : s.header,
      align: s.kind === 'text' ? 'left' : s.kind === 'count' || compact ? 'right' : 'interval',
    };
  });
  const rows: GridCell[][] = presented.map((p) =>
    specs.map((s, j): GridCell => {
      const cell = p.cells[s.key];
      const mark = p.marks.has(s.key);
      if (s.key === 'variant') return { text: safe(cell.rest), mark };
      if (columns[j]!.align === 'interval') {
        const style = s.key === 'rate' ? (p.source.outcomes.lockup > 0 ? 'red' : 'green') : undefined;
        return { est: cell.est, text: cell.rest, mark, style };
      }
      if (s.key === 'lockups')
        return { text: cell.est, mark, style: p.source.outcomes.lockup > 0 ? 'red' : 'green' };
      return { text: cell.est, mark };
    }),
  );
  return layoutGrid(columns, rows, color);
}

function stackedVariants(report: CompareReport, color: boolean): string[] {
  const specs = variantColumns(report).filter((s) => s.key !== 'variant');
  const keyWidth = Math.max(...specs.map((s) => displayWidth(s.header)));
  const lines: string[] = [];
  for (const p of presentVariants(report)) {
    const head = safe(p.source.label) + (p.marks.has('variant') ? ` ${MARK}` : '');
    lines.push(paint(color, 'bold', head));
    for (const s of specs) {
      const value =
        joinSplit(p.cells[s.key]) + (p.marks.has(s.key) ? ` ${paint(color, 'yellow', MARK)}` : '');
      lines.push(`  ${padRight(s.header, keyWidth)}  ${value}`);
    }
  }
  return lines;
}

function comparisonLines(report: CompareReport, color: boolean, width: number): string[] {
  const presented = presentComparisons(report);
  if (presented.length === 0) return [];
  const h = comparisonColumns(report);
  const columns: GridColumn[] = [
    { header: h.pair, align: 'left' },
    { header: h.difference, align: 'interval' },
    { header: h.syncs, align: 'interval' },
    { header: h.p, align: 'right' },
    { header: h.verdict, align: 'left' },
  ];
  const rows: GridCell[][] = presented.map((c) => [
    { text: safe(c.title) },
    { est: c.difference.est, text: c.difference.rest },
    { est: c.syncsDifference.est, text: c.syncsDifference.rest },
    { text: c.p },
    { text: safe(c.verdict), mark: c.mark, style: c.direction === 'none' ? undefined : 'bold' },
  ]);
  const grid = layoutGrid(columns, rows, color);
  const title = paint(color, 'bold', 'comparisons');
  if (grid.width <= width) return [title, ...grid.lines];
  const keyWidth = Math.max(...columns.slice(1).map((c) => displayWidth(c.header)));
  const lines = [title];
  for (const c of presented) {
    lines.push(`${safe(c.title)}`);
    lines.push(`  ${padRight(h.difference, keyWidth)}  ${joinSplit(c.difference)}`);
    lines.push(`  ${padRight(h.syncs, keyWidth)}  ${joinSplit(c.syncsDifference)}`);
    lines.push(`  ${padRight(h.p, keyWidth)}  ${c.p}`);
    lines.push(
      `  ${padRight(h.verdict, keyWidth)}  ${safe(c.verdict)}${c.mark ? ` ${paint(color, 'yellow', MARK)}` : ''}`,
    );
  }
  return lines;
}

function failureLines(report: CompareReport, color: boolean): string[] {
  const failing = presentVariants(report).filter((p) => p.failing);
  if (failing.length === 0) return [];
  const lines = [paint(color, 'bold', 'failures')];
  for (const p of failing) {
    const v = p.source;
    lines.push(`${paint(color, 'bold', safe(v.label))}: ${failureSummary(v)}`);
    if (v.failure) {
      lines.push(`  ${paint(color, 'red', safe(v.failure.message))}`);
      lines.push(`  shortest counterexample: ${counterexampleSummary(v)}`);
      lines.push(`  replay: ${safe(v.failure.replayCommand)}`);
      const sh = v.failure.shrunk;
      if (sh) {
        lines.push(`  shrunk: ${sh.stepsBefore} -> ${sh.steps} steps (${sh.scheduleLength} decisions)`);
        lines.push(`  replay shrunk: ${safe(sh.replayCommand)}`);
      }
    } else {
      lines.push('  no failing schedule kept');
    }
  }
  return lines;
}

function warningLines(report: CompareReport, color: boolean): string[] {
  if (report.warnings.length === 0) return [];
  const lines = [
    `${paint(color, 'bold', 'warnings')} ${paint(color, 'dim', `(${MARK} in the tables marks the values they concern)`)}`,
  ];
  for (const w of report.warnings) {
    lines.push(`${paint(color, 'yellow', MARK)} ${paint(color, 'yellow', safe(w.code))} ${safe(w.message)}`);
    lines.push(`  ${paint(color, 'dim', 'remedy:')} ${safe(w.remedy)}`);
  }
  return lines;
}

/** The comparison as aligned plain text for a terminal. */
export function renderTable(report: CompareReport, options: TableOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const source = scenarioSource(report);
  const out: string[] = [
    paint(
      color,
      'bold',
      `naplab compare: ${safe(report.scenario.name)}${source ? ` (${safe(source)})` : ''}`,
    ),
  ];
  if (report.scenario.description) out.push(`  ${safe(report.scenario.description)}`);
  out.push(`  ${safe(runSummary(report))}`);
  if (report.pct) out.push(`  ${safe(report.pct.note)}`);
  out.push(`  command: ${safe(report.command)}`);
  out.push('');

  let layout: Layout = 'full';
  let grid = variantGrid(report, 'full', color);
  if (grid.width > width) {
    layout = 'compact';
    grid = variantGrid(report, 'compact', color);
    if (grid.width > width) layout = 'stacked';
  }
  if (layout === 'stacked') out.push(...stackedVariants(report, color));
  else out.push(...grid.lines);
  if (layout === 'compact')
    out.push(
      paint(color, 'dim', '(intervals of the last three columns left out to fit; see the JSON report)'),
    );

  for (const section of [
    report.timed ? timedTextLines(report.timed) : [],
    comparisonLines(report, color, width),
    failureLines(report, color),
    warningLines(report, color),
  ]) {
    if (section.length > 0) out.push('', ...section);
  }
  return `${out.join('\n')}\n`;
}
