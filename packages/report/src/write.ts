/**
 * A report directory: `report.json`, `report.md`, `report.html`, and optionally one timeline page
 * per failing variant. Each file is written atomically (temporary file, fsync, rename), so a reader
 * never sees half a file, and everything is rendered before the first file is written, so an
 * invalid report leaves the directory untouched.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic as ioWriteFileAtomic } from '@naplab/io';
import { ReportError } from './errors.js';
import { renderHtml } from './html.js';
import { reportToJSON } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { CompareReport } from './types.js';

export interface WriteReportOptions {
  /**
   * Per variant (key: `VariantReport.variant`), a complete HTML page showing its timeline. Each is
   * written as `timeline-<variant>.html` (the name reduced to safe characters) and linked from
   * `report.html`. The pages are written as given: they are trusted output of naplab's own
   * timeline renderer, not user input.
   */
  timelinesHtml?: Record<string, string>;
}

export interface WrittenReport {
  /** absolute paths */
  json: string;
  markdown: string;
  html: string;
  /** variant -> absolute path of its timeline page */
  timelines: Record<string, string>;
}

/** `@naplab/io`'s atomic write, failing with this package's coded error. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await ioWriteFileAtomic(path, text);
  } catch (e) {
    throw new ReportError('E_REPORT_WRITE', `cannot write ${path}: ${(e as Error).message}`);
  }
}

/** `timeline-<slug>.html`, the slug unique among the variants and made of [a-z0-9_-] only. */
export function timelineFileNames(variants: string[]): Record<string, string> {
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const v of variants) {
    const base =
      v
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'variant';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    out[v] = `timeline-${name}.html`;
  }
  return out;
}

/** Render the report in every format and write the files into `dir` (created if needed). */
export async function writeReportDir(
  dir: string,
  report: CompareReport,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const timelines = options.timelinesHtml ?? {};
  const known = new Set(report.variants.map((v) => v.variant));
  for (const v of Object.keys(timelines)) {
    if (!known.has(v))
      throw new ReportError('E_REPORT_INPUT', `timelinesHtml names unknown variant ${JSON.stringify(v)}`);
  }
  const names = timelineFileNames(Object.keys(timelines));
  // render everything first: an invalid report must not leave half a directory behind
  const json = reportToJSON(report);
  const markdown = renderMarkdown(report);
  const html = renderHtml(report, { timelineLinks: names });

  const root = resolve(dir);
  try {
    await mkdir(root, { recursive: true });
  } catch (e) {
    throw new ReportError(
      'E_REPORT_WRITE',
      `cannot create the report directory ${dir}: ${(e as Error).message}`,
    );
  }
  const written: WrittenReport = {
    json: join(root, 'report.json'),
    markdown: join(root, 'report.md'),
    html: join(root, 'report.html'),
    timelines: {},
  };
  for (const [variant, page] of Object.entries(timelines)) {
    const path = join(root, names[variant]!);
    await writeFileAtomic(path, page);
    written.timelines[variant] = path;
  }
  await writeFileAtomic(written.json, json);
  await writeFileAtomic(written.markdown, markdown);
  // the page last: it links to the timeline pages, which exist by now
  await writeFileAtomic(written.html, html);
  return written;
}
