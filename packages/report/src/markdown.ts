/**
 * The comparison as GitHub-flavoured Markdown: the same content as the terminal table. User text
 * is escaped so that it renders literally (no emphasis, links, HTML or broken table cells); commands
 * go in code blocks fenced longer than any backtick run they contain.
 */
import { joinSplit } from './format.js';
import {
  comparisonColumns,
  counterexampleSummary,
  failureSummary,
  methodNotes,
  presentComparisons,
  presentVariants,
  runSummary,
  scenarioSource,
  variantColumns,
} from './present.js';
import { MARK } from './text.js';
import { timedMarkdown } from './timed.js';
import type { CompareReport } from './types.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * Escape text for Markdown inline content: it renders exactly as written, on one line, wherever it
 * is put (a paragraph, a list item, a table cell). Backslash escapes work for every ASCII
 * punctuation character in CommonMark; only the ones that can start markup are escaped, plus a
 * leading character that would start a block (`- `, `1. `, `> `, `#`, `=`).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(CONTROL, ' ')
    .replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** An inline code span that holds any text: a fence longer than its longest backtick run. */
export function markdownCode(s: string, inTable = false): string {
  let text = s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  // GFM splits table cells at `|` even inside code spans; `\|` is the escape it honours there.
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.trim() === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block that holds any text. */
export function markdownBlock(s: string, info = ''): string {
  const longest = Math.max(0, ...(s.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = s.endsWith('\n') ? s : `${s}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The comparison as GitHub Markdown. */
export function renderMarkdown(report: CompareReport): string {
  const out: string[] = [];
  const source = scenarioSource(report);
  out.push(
    `## naplab compare: ${escapeMarkdown(report.scenario.name)}${source ? ` (${escapeMarkdown(source)})` : ''}`,
    '',
  );
  if (report.scenario.description) out.push(escapeMarkdown(report.scenario.description), '');
  out.push(escapeMarkdown(runSummary(report)), '');
  if (report.pct) out.push(`**${escapeMarkdown(report.pct.note)}**`, '');
  out.push('Reproduce with:', '', markdownBlock(report.command, 'sh'), '');

  const specs = variantColumns(report);
  out.push(row(specs.map((s) => escapeMarkdown(s.header))));
  out.push(row(specs.map((s) => (s.kind === 'text' ? ':--' : '--:'))));
  for (const p of presentVariants(report)) {
    out.push(
      row(
        specs.map((s) => {
          const text = s.key === 'variant' ? escapeMarkdown(p.cells.variant.rest) : joinSplit(p.cells[s.key]);
          return p.marks.has(s.key) ? `${text} ${MARK}` : text;
        }),
      ),
    );
  }

  const comparisons = presentComparisons(report);
  if (comparisons.length > 0) {
    const h = comparisonColumns(report);
    out.push('', '### Comparisons', '');
    out.push(row([h.pair, h.difference, h.syncs, h.p, h.verdict].map(escapeMarkdown)));
    out.push(row([':--', '--:', '--:', '--:', ':--']));
    for (const c of comparisons) {
      out.push(
        row([
          escapeMarkdown(c.title),
          joinSplit(c.difference),
          joinSplit(c.syncsDifference),
          c.p,
          escapeMarkdown(c.verdict) + (c.mark ? ` ${MARK}` : ''),
        ]),
      );
    }
  }

  if (report.timed) out.push('', ...timedMarkdown(report.timed));

  const failing = presentVariants(report).filter((p) => p.failing);
  if (failing.length > 0) {
    out.push('', '### Failures');
    for (const p of failing) {
      const v = p.source;
      out.push('', `#### ${escapeMarkdown(v.label)}`, '', escapeMarkdown(failureSummary(v)), '');
      if (v.failure) {
        out.push(`- ${markdownCode(v.failure.message)}`);
        out.push(`- shortest counterexample: ${escapeMarkdown(counterexampleSummary(v) ?? '')}`);
        out.push('- replay:', '', markdownBlock(v.failure.replayCommand, 'sh'));
        const sh = v.failure.shrunk;
        if (sh)
          out.push(
            '',
            `- shrunk: ${sh.stepsBefore} -> ${sh.steps} steps (${sh.scheduleLength} decisions); replay:`,
            '',
            markdownBlock(sh.replayCommand, 'sh'),
          );
      } else {
        out.push('No failing schedule was kept.');
      }
    }
  }

  if (report.warnings.length > 0) {
    out.push('', '### Warnings', '', `\`${MARK}\` in the tables marks the values a warning concerns.`, '');
    for (const w of report.warnings) {
      out.push(`- **${MARK} ${escapeMarkdown(w.code)}** ${escapeMarkdown(w.message)}  `);
      out.push(`  remedy: ${escapeMarkdown(w.remedy)}`);
    }
  }

  out.push('', '### Methods', '');
  for (const note of methodNotes(report)) out.push(`- ${escapeMarkdown(note)}`);
  return `${out.join('\n')}\n`;
}
