/**
 * Plain-text building blocks for the terminal: making user strings safe to print, measuring them,
 * and laying out aligned columns.
 */

// Control characters, line separators, and bidirectional overrides (which reorder what is shown).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Control characters in a user string (an ESC starting a terminal sequence, a carriage return that
 * overprints a line, a newline that breaks a table row) are shown as `\xHH` / `\u{HHHH}` instead
 * of being sent to the terminal.
 */
export function sanitizeTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  );
}

/**
 * Terminal columns a (sanitized, colourless) string takes: CJK and emoji count 2, combining marks
 * 0. An approximation of wcwidth that is right for the strings reports contain.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
  }
  return w;
}

export function padRight(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padLeft(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/** Cut to `width` columns with an ellipsis. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** Wrap in an ANSI style when `on`; padding is always done before styling. */
export function paint(on: boolean, style: Style | undefined, s: string): string {
  if (!on || !style || s === '') return s;
  const [open, close] = ANSI[style];
  return `\u001b[${open}m${s}\u001b[${close}m`;
}

/** Cell of an aligned grid. `mark` is a warning flag shown after the cell. */
export interface GridCell {
  text: string;
  /** for interval columns: the estimate, right-aligned before `text` */
  est?: string;
  style?: Style;
  mark?: boolean;
}

export interface GridColumn {
  header: string;
  align: 'left' | 'right' | 'interval';
}

export const MARK = '!';

/**
 * Lay out a grid: numbers right-aligned, intervals with their estimates right-aligned and their
 * brackets lined up. A flagged cell gets a `!`: right after the text in left-aligned columns, in a
 * slot of its own after right-aligned ones (so that the numbers stay aligned). Returns the lines
 * (without trailing spaces) and the width of the widest.
 */
export function layoutGrid(
  columns: GridColumn[],
  rows: GridCell[][],
  color: boolean,
  indent = '',
): { lines: string[]; width: number } {
  const gap = '  ';
  const estWidths = columns.map((col, j) =>
    col.align === 'interval' ? Math.max(0, ...rows.map((r) => displayWidth(r[j]?.est ?? ''))) : 0,
  );
  // plain text of each cell, and whether its mark sits inside it (left-aligned) or after it
  const plain = (c: GridCell, j: number) => {
    const col = columns[j]!;
    let text = c.text;
    if (col.align === 'interval' && c.est !== undefined)
      text = c.text === '' ? padLeft(c.est, estWidths[j]!) : `${padLeft(c.est, estWidths[j]!)} ${c.text}`;
    return text;
  };
  const inner = (c: GridCell, j: number) => columns[j]!.align !== 'right' && c.mark === true;
  const widths = columns.map((col, j) =>
    Math.max(
      displayWidth(col.header),
      ...rows.map((r) => displayWidth(plain(r[j]!, j)) + (inner(r[j]!, j) ? 1 + MARK.length : 0)),
    ),
  );
  const slot = columns.map((col, j) => col.align === 'right' && rows.some((r) => r[j]?.mark));
  const renderRow = (cells: GridCell[], header: boolean) => {
    const parts = cells.map((c, j) => {
      const col = columns[j]!;
      const text = header ? c.text : plain(c, j);
      const mark = inner(c, j) ? ` ${paint(color, 'yellow', MARK)}` : '';
      const used = displayWidth(text) + (mark ? 1 + MARK.length : 0);
      const fill = ' '.repeat(Math.max(0, widths[j]! - used));
      let out =
        col.align === 'right'
          ? fill + paint(color, header ? 'bold' : c.style, text)
          : paint(color, header ? 'bold' : c.style, text) + mark + fill;
      if (slot[j]) out += c.mark ? ` ${paint(color, 'yellow', MARK)}` : ' '.repeat(1 + MARK.length);
      return out;
    });
    return (indent + parts.join(gap)).trimEnd();
  };
  const header = renderRow(
    columns.map((c) => ({ text: c.header })),
    true,
  );
  const body = rows.map((r) => renderRow(r, false));
  const total =
    indent.length +
    widths.reduce((s, w, j) => s + w + (slot[j] ? 1 + MARK.length : 0), 0) +
    gap.length * (columns.length - 1);
  const rule = indent + '-'.repeat(total - indent.length);
  return { lines: [header, paint(color, 'dim', rule), ...body], width: total };
}
