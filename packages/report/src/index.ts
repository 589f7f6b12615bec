// @naplab/report: the `naplab compare` report (a versioned JSON model) and its renderings: aligned
// terminal tables, GitHub Markdown, one self-contained HTML page with SVG charts.

export { type JsonErrorLocation, locateJsonError } from '@naplab/io';
export { buildCompareReport, type CompareInput, type VariantInput } from './build.js';
export { ReportError, type ReportErrorCode } from './errors.js';
export { type HtmlOptions, renderHtml } from './html.js';
export { escapeHtml } from './html-escape.js';
export { parseCompareReport, reportToJSON, validateCompareReport } from './json.js';
export { escapeMarkdown, renderMarkdown } from './markdown.js';
export type { WakeupMoments } from './rates.js';
export { renderTable, type TableOptions } from './table.js';
export {
  buildTimedReport,
  type CycleStats,
  cyclesPerWakeupChart,
  type LatencyInput,
  type TimedDifference,
  type TimedInput,
  type TimedReport,
  type TimedRow,
  type TimedRunInput,
} from './timed.js';
export * from './types.js';
export { lockupsForFactorTwo, WARNING_CODES, type WarningCode, WIDE_FACTOR } from './warnings.js';
export { type WriteReportOptions, type WrittenReport, writeFileAtomic, writeReportDir } from './write.js';
