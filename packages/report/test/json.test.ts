import { describe, expect, test } from 'vitest';
import {
  buildCompareReport,
  type CompareReport,
  locateJsonError,
  parseCompareReport,
  ReportError,
  reportToJSON,
} from '../src/index.js';
import { hostileInput, sampleReport, smallInput } from './fixture.js';

function error(f: () => unknown): ReportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ReportError) return e;
    throw e;
  }
  throw new Error('expected a ReportError');
}

const clone = (r: CompareReport): any => JSON.parse(JSON.stringify(r));

describe('reportToJSON / parseCompareReport', () => {
  test('round trip: parse(toJSON(r)) equals r, and printing again gives the same text', () => {
    for (const report of [
      sampleReport(),
      buildCompareReport(smallInput()),
      buildCompareReport(hostileInput()),
    ]) {
      const text = reportToJSON(report);
      const back = parseCompareReport(text, 'r.json');
      expect(back).toEqual(report);
      expect(reportToJSON(back)).toBe(text);
    }
  });

  test('layout: two-space indent, schedules and counters on one line, a final newline', () => {
    const text = reportToJSON(sampleReport());
    expect(
      text.startsWith('{\n  "format": "naplab-compare",\n  "version": 1,\n  "naplabVersion": "0.1.0",\n'),
    ).toBe(true);
    expect(text).toContain('"schedule": [0,1,1,0,2,0,1,3,0,0,1],');
    expect(text).toContain('"outcomes": {"ok":199918,"lockup":82,"lost":0,"assert":0,"limit":0},');
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('truncated JSON: E_REPORT_CORRUPT with line, column and byte', () => {
    const text = reportToJSON(sampleReport());
    const cut = text.slice(0, 200);
    const e = error(() => parseCompareReport(cut, 'out/report.json'));
    expect(e.code).toBe('E_REPORT_CORRUPT');
    const lines = cut.split('\n');
    const line = lines.length;
    const column = lines[lines.length - 1]!.length + 1;
    expect(e.message).toBe(
      `out/report.json is not valid JSON at line ${line}, column ${column} (byte 200): unexpected end of file (expected '"'): the text is truncated`,
    );
    expect(error(() => parseCompareReport('')).message).toBe(
      'report is not valid JSON at line 1, column 1 (byte 0): unexpected end of file (expected a value): the text is truncated',
    );
  });

  test('locateJsonError: the first bad character, bytes in UTF-8', () => {
    expect(locateJsonError('{"a": 1}')).toBeUndefined();
    expect(locateJsonError('{"a": 1,}')).toMatchObject({
      line: 1,
      column: 9,
      offset: 8,
      reason: 'unexpected "}", expected a property name in double quotes',
    });
    expect(locateJsonError('{"é":\n  [1 2]}')).toMatchObject({ line: 2, column: 6, offset: 11, byte: 12 });
    expect(locateJsonError('[1] x')).toMatchObject({
      column: 5,
      reason: 'unexpected "x", expected the end of the text',
    });
  });

  test('other formats and versions are refused with their own codes', () => {
    const e1 = error(() => parseCompareReport('{"format":"naplab-results","version":1}', 'r.json'));
    expect(e1.code).toBe('E_REPORT_FORMAT');
    expect(e1.message).toBe(
      'r.json is not a naplab-compare report: "format" is "naplab-results", expected "naplab-compare"',
    );
    expect(error(() => parseCompareReport('[1,2]')).code).toBe('E_REPORT_FORMAT');
    const newer = clone(sampleReport());
    newer.version = 2;
    const e2 = error(() => parseCompareReport(JSON.stringify(newer), 'r.json'));
    expect(e2.code).toBe('E_REPORT_VERSION');
    expect(e2.message).toBe(
      'r.json is a naplab-compare report of version 2; this naplab reads version 1: upgrade naplab to read it',
    );
  });

  test('malformed fields: E_REPORT_INVALID naming the field', () => {
    const cases: [(r: any) => void, string][] = [
      [(r) => delete r.command, 'report: command must be a string'],
      [(r) => (r.seed = -1), 'report: seed must be a non-negative integer, got -1'],
      [
        (r) => (r.variants[1].outcomes.ok = 5),
        'report: variants[1].outcomes add up to 87, not trials = 200000',
      ],
      [(r) => (r.variants[0].lockupRate.upper = 2), 'report: variants[0].lockupRate must lie within [0, 1]'],
      [
        (r) => Object.assign(r.variants[1].lockupRate, { lower: 0.001, upper: 0.002 }),
        'report: variants[1].lockupRate must have lower ≤ estimate ≤ upper, got 0.001 ≤ 0.00041 ≤ 0.002',
      ],
      [
        (r) => delete r.variants[0].lockupRate.ruleOfThreeUpper,
        'report: variants[0].lockupRate.ruleOfThreeUpper must be present exactly when k = 0',
      ],
      [
        (r) => (r.variants[1].failure.schedule[2] = null),
        'report: variants[1].failure.schedule[2] must be a non-negative integer',
      ],
      [
        (r) => (r.variants[1].failure.scheduleLength = 12),
        'report: variants[1].failure.scheduleLength is 12 but the schedule has 11 decisions',
      ],
      [(r) => (r.variants[2].variant = 'buggy'), 'report: variants[2].variant "buggy" appears twice'],
      [(r) => (r.comparisons[0].b = 'ghost'), 'report: comparisons[0].b names unknown variant "ghost"'],
      [
        (r) => (r.variants[0].syncsPerWakeup = null),
        'report: variants[0].syncsPerWakeup must be null exactly when there were no wakeups',
      ],
      [(r) => (r.warnings[0].remedy = 3), 'report: warnings[0].remedy must be a string'],
      [
        (r) => (r.variants[0].stepsPerTrial.method = 'normal'),
        'report: variants[0].stepsPerTrial.method must be one of "student-t"',
      ],
    ];
    for (const [edit, message] of cases) {
      const r = clone(sampleReport());
      edit(r);
      const e = error(() => parseCompareReport(JSON.stringify(r)));
      expect(e.code).toBe('E_REPORT_INVALID');
      expect(e.message).toBe(message);
    }
  });

  test('a leading byte-order mark is ignored', () => {
    const report = sampleReport();
    expect(parseCompareReport(`\ufeff${reportToJSON(report)}`)).toEqual(report);
  });

  test('unknown extra fields are allowed (optional additions keep version 1)', () => {
    const r = clone(sampleReport());
    r.producer = { host: 'ci' };
    r.variants[0].extra = true;
    expect(parseCompareReport(JSON.stringify(r)).variants[0]!.variant).toBe('baseline');
  });

  test('reportToJSON refuses what JSON cannot hold instead of writing null', () => {
    const r = sampleReport();
    r.variants[0]!.stepsPerTrial.mean = Number.NaN;
    expect(error(() => reportToJSON(r)).message).toBe(
      'report.variants[0].stepsPerTrial.mean is NaN, which JSON cannot hold',
    );
    const s = sampleReport();
    (s.variants[1]!.failure!.schedule as unknown[])[3] = undefined;
    expect(error(() => reportToJSON(s)).message).toBe('report.variants[1].failure.schedule[3] is undefined');
    const t = sampleReport();
    t.variants[0]!.stepsPerTrial.upper = Number.POSITIVE_INFINITY;
    expect(error(() => reportToJSON(t)).code).toBe('E_REPORT_INVALID');
  });
});
