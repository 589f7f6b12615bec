/**
 * Every error this package raises on purpose is a `ReportError` with a stable code (listed in the
 * README and in docs/compare-report.md).
 */
export type ReportErrorCode =
  /** `buildCompareReport` was given inconsistent counts or names */
  | 'E_REPORT_INPUT'
  /** the text is not valid JSON (truncated, edited...): the message gives line, column and byte */
  | 'E_REPORT_CORRUPT'
  /** valid JSON, but not a `naplab-compare` report */
  | 'E_REPORT_FORMAT'
  /** a report version this naplab does not read */
  | 'E_REPORT_VERSION'
  /** a `naplab-compare` report whose contents are malformed or inconsistent (the message names the field) */
  | 'E_REPORT_INVALID'
  /** writing a report file failed */
  | 'E_REPORT_WRITE';

export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
