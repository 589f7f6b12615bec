/**
 * The report as JSON text, and back. Writing validates first, so a report that `reportToJSON`
 * accepts always parses back to an equal value; reading refuses anything it does not understand
 * (another format, another version, a malformed field) with a message that names the problem.
 */
import { formatJson, locateJsonError } from '@naplab/io';
import { ReportError } from './errors.js';
import { type CompareReport, OUTCOMES, REPORT_FORMAT, REPORT_VERSION } from './types.js';

// ---------------------------------------------------------------------------------------------
// validation

type Obj = Record<string, unknown>;

const BINOMIAL_METHODS = ['wilson', 'clopper-pearson'] as const;
/** syncs per wakeup and the skip rate may also treat trials as clusters of wakeups */
const WAKEUP_METHODS = [...BINOMIAL_METHODS, 'ratio-cluster'] as const;

class Checker {
  constructor(private readonly source: string) {}

  join(path: string, key: string): string {
    return path ? `${path}.${key}` : key;
  }

  fail(path: string, what: string): never {
    throw new ReportError('E_REPORT_INVALID', `${this.source}: ${path} ${what}`);
  }

  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'must be an object');
    return v as Obj;
  }

  str(o: Obj, key: string, path: string, optional = false): string | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string') this.fail(this.join(path, key), 'must be a string');
    return v;
  }

  num(o: Obj, key: string, path: string, optional = false): number | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(this.join(path, key), 'must be a finite number');
    return v;
  }

  count(o: Obj, key: string, path: string, optional = false): number | undefined {
    const v = this.num(o, key, path, optional);
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
      this.fail(this.join(path, key), `must be a non-negative integer, got ${v}`);
    return v;
  }

  nullableNum(o: Obj, key: string, path: string): number | null {
    if (o[key] === null) return null;
    return this.num(o, key, path)!;
  }

  arr(o: Obj, key: string, path: string, optional = false): unknown[] | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (!Array.isArray(v)) this.fail(this.join(path, key), 'must be a list');
    return v;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
    const v = o[key];
    if (typeof v !== 'string' || !values.includes(v as T))
      this.fail(this.join(path, key), `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v as T;
  }

  /** lower ≤ estimate ≤ upper, within rounding. */
  ordered(path: string, lower: number, estimate: number, upper: number): void {
    const slack = 1e-12 * Math.max(1, Math.abs(lower), Math.abs(upper));
    if (!(lower <= estimate + slack && estimate <= upper + slack))
      this.fail(path, `must have lower ≤ estimate ≤ upper, got ${lower} ≤ ${estimate} ≤ ${upper}`);
  }

  rate(
    o: Obj,
    key: string,
    path: string,
    nullable = false,
    methods: readonly string[] = BINOMIAL_METHODS,
  ): void {
    if (nullable && o[key] === null) return;
    const p = this.join(path, key);
    const r = this.obj(o[key], p);
    const k = this.count(r, 'k', p)!;
    const n = this.count(r, 'n', p)!;
    if (k > n) this.fail(p, `has k = ${k} > n = ${n}`);
    const estimate = this.num(r, 'estimate', p)!;
    const lower = this.num(r, 'lower', p)!;
    const upper = this.num(r, 'upper', p)!;
    if (n > 0 && Math.abs(estimate - k / n) > 1e-12) this.fail(`${p}.estimate`, `must be k/n = ${k / n}`);
    if (lower < 0 || upper > 1) this.fail(p, 'must lie within [0, 1]');
    this.ordered(p, lower, estimate, upper);
    this.oneOf(r, 'method', p, methods);
    const r3 = this.num(r, 'ruleOfThreeUpper', p, true);
    if ((r3 !== undefined) !== (k === 0))
      this.fail(`${p}.ruleOfThreeUpper`, 'must be present exactly when k = 0');
  }

  difference(
    o: Obj,
    key: string,
    path: string,
    optional = false,
    methods: readonly string[] = ['newcombe'],
  ): void {
    if (optional && o[key] === undefined) return;
    const p = this.join(path, key);
    const d = this.obj(o[key], p);
    this.ordered(p, this.num(d, 'lower', p)!, this.num(d, 'estimate', p)!, this.num(d, 'upper', p)!);
    this.oneOf(d, 'method', p, methods);
  }
}

/**
 * Check that `value` is a well-formed `naplab-compare` report of a version this package reads.
 * Unknown fields are allowed (a later version-1 writer may add optional fields); missing or
 * malformed known fields are not.
 */
export function validateCompareReport(value: unknown, source = 'report'): asserts value is CompareReport {
  const c = new Checker(source);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ReportError(
      'E_REPORT_FORMAT',
      `${source} is not a naplab-compare report: it is not a JSON object`,
    );
  const r = value as Obj;
  if (r.format !== REPORT_FORMAT) {
    throw new ReportError(
      'E_REPORT_FORMAT',
      `${source} is not a naplab-compare report: "format" is ${JSON.stringify(r.format) ?? 'missing'}, expected "${REPORT_FORMAT}"`,
    );
  }
  if (r.version !== REPORT_VERSION) {
    const newer = typeof r.version === 'number' && r.version > REPORT_VERSION;
    throw new ReportError(
      'E_REPORT_VERSION',
      `${source} is a naplab-compare report of version ${JSON.stringify(r.version) ?? '(missing)'}; this naplab reads version ${REPORT_VERSION}${newer ? ': upgrade naplab to read it' : ''}`,
    );
  }
  c.str(r, 'naplabVersion', '');
  c.str(r, 'createdAt', '', true);
  const scenario = c.obj(r.scenario, 'scenario');
  c.str(scenario, 'name', 'scenario');
  c.str(scenario, 'description', 'scenario', true);
  c.str(scenario, 'source', 'scenario', true);
  for (const k of ['memory', 'scheduler', 'engine', 'command']) c.str(r, k, '');
  if (r.pct !== undefined) {
    const pct = c.obj(r.pct, 'pct');
    for (const k of ['depth', 'k', 'agents']) c.count(pct, k, 'pct');
    const g = c.num(pct, 'guarantee', 'pct')!;
    if (!(g > 0 && g <= 1)) c.fail('pct.guarantee', 'must be in (0, 1]');
    c.str(pct, 'note', 'pct');
  }
  c.count(r, 'seed', '');
  c.count(r, 'trialsPerVariant', '');
  const confidence = c.num(r, 'confidence', '')!;
  if (!(confidence > 0 && confidence < 1)) c.fail('confidence', 'must be in (0, 1)');

  const names = new Set<string>();
  const variants = c.arr(r, 'variants', '')!;
  if (variants.length === 0) c.fail('variants', 'must list at least one variant');
  variants.forEach((item, i) => {
    const p = `variants[${i}]`;
    const v = c.obj(item, p);
    const name = c.str(v, 'variant', p)!;
    if (names.has(name)) c.fail(`${p}.variant`, `${JSON.stringify(name)} appears twice`);
    names.add(name);
    c.str(v, 'label', p);
    c.str(v, 'wakeupSource', p);
    const trials = c.count(v, 'trials', p)!;
    const outcomes = c.obj(v.outcomes, `${p}.outcomes`);
    let sum = 0;
    for (const o of OUTCOMES) sum += c.count(outcomes, o, `${p}.outcomes`)!;
    if (sum !== trials) c.fail(`${p}.outcomes`, `add up to ${sum}, not trials = ${trials}`);
    c.rate(v, 'lockupRate', p);
    c.rate(v, 'failureRate', p);
    const lockup = (v.lockupRate as Obj).k;
    if (lockup !== outcomes.lockup || (v.lockupRate as Obj).n !== trials)
      c.fail(`${p}.lockupRate`, 'must count outcomes.lockup among trials');
    if ((v.failureRate as Obj).k !== trials - (outcomes.ok as number) || (v.failureRate as Obj).n !== trials)
      c.fail(`${p}.failureRate`, 'must count the non-ok outcomes among trials');
    const wakeups = c.count(v, 'wakeups', p)!;
    c.rate(v, 'syncsPerWakeup', p, true, WAKEUP_METHODS);
    c.rate(v, 'skipSyncRate', p, true, WAKEUP_METHODS);
    for (const k of ['syncsPerWakeup', 'skipSyncRate']) {
      const x = v[k] as Obj | null;
      if ((x === null) !== (wakeups === 0))
        c.fail(`${p}.${k}`, 'must be null exactly when there were no wakeups');
      if (x && x.n !== wakeups) c.fail(`${p}.${k}.n`, `must be the wakeups (${wakeups})`);
    }
    const sp = `${p}.stepsPerTrial`;
    const steps = c.obj(v.stepsPerTrial, sp);
    c.count(steps, 'n', sp);
    const mean = c.num(steps, 'mean', sp)!;
    const lower = c.nullableNum(steps, 'lower', sp);
    const upper = c.nullableNum(steps, 'upper', sp);
    if ((lower === null) !== (upper === null)) c.fail(sp, 'must have both bounds or neither');
    if (lower !== null && upper !== null) c.ordered(sp, lower, mean, upper);
    c.nullableNum(steps, 'sd', sp);
    c.num(steps, 'max', sp, true);
    c.oneOf(steps, 'method', sp, ['student-t'] as const);
    c.count(v, 'syncsTotal', p);
    const counters = c.obj(v.counters, `${p}.counters`);
    for (const k of Object.keys(counters)) c.count(counters, k, `${p}.counters`);
    if (v.failure !== undefined) {
      const fp = `${p}.failure`;
      const f = c.obj(v.failure, fp);
      c.oneOf(f, 'outcome', fp, ['lockup', 'lost', 'assert', 'limit'] as const);
      c.str(f, 'message', fp);
      c.count(f, 'trial', fp);
      c.count(f, 'seed', fp);
      const length = c.count(f, 'scheduleLength', fp)!;
      const schedule = c.arr(f, 'schedule', fp)!;
      schedule.forEach((d, j) => {
        if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)
          c.fail(`${fp}.schedule[${j}]`, 'must be a non-negative integer');
      });
      if (schedule.length !== length)
        c.fail(`${fp}.scheduleLength`, `is ${length} but the schedule has ${schedule.length} decisions`);
      c.str(f, 'replayCommand', fp);
      c.count(f, 'shortestOf', fp, true);
      c.str(f, 'timeline', fp, true);
      if (f.sequence !== undefined) {
        const sq = c.obj(f.sequence, `${fp}.sequence`);
        c.arr(sq, 'lanes', `${fp}.sequence`);
        c.arr(sq, 'entries', `${fp}.sequence`);
      }
      if (f.shrunk !== undefined) {
        const sp = `${fp}.shrunk`;
        const s = c.obj(f.shrunk, sp);
        c.count(s, 'stepsBefore', sp);
        c.count(s, 'steps', sp);
        const n = c.count(s, 'scheduleLength', sp);
        const sched = c.arr(s, 'schedule', sp);
        if (sched && sched.length !== n)
          c.fail(`${sp}.scheduleLength`, `is ${n} but the schedule has ${sched.length} decisions`);
        c.str(s, 'replayCommand', sp);
      }
    }
  });

  const comparisons = c.arr(r, 'comparisons', '')!;
  comparisons.forEach((item, i) => {
    const p = `comparisons[${i}]`;
    const x = c.obj(item, p);
    for (const k of ['a', 'b']) {
      const name = c.str(x, k, p)!;
      if (!names.has(name)) c.fail(`${p}.${k}`, `names unknown variant ${JSON.stringify(name)}`);
    }
    c.difference(x, 'difference', p);
    c.difference(x, 'syncsPerWakeupDifference', p, true, ['newcombe', 'ratio-cluster']);
    const pv = c.num(x, 'fisherP', p)!;
    if (pv < 0 || pv > 1) c.fail(`${p}.fisherP`, 'must be a probability');
    c.oneOf(x, 'direction', p, ['a-higher', 'b-higher', 'none'] as const);
    c.str(x, 'verdict', p);
  });

  const warnings = c.arr(r, 'warnings', '')!;
  warnings.forEach((item, i) => {
    const p = `warnings[${i}]`;
    const w = c.obj(item, p);
    for (const k of ['code', 'message', 'remedy']) c.str(w, k, p);
    const vs = c.arr(w, 'variants', p, true);
    vs?.forEach((name, j) => {
      if (typeof name !== 'string') c.fail(`${p}.variants[${j}]`, 'must be a string');
    });
    c.str(w, 'field', p, true);
  });
}

// ---------------------------------------------------------------------------------------------
// text

/**
 * The report as JSON: indented by two spaces, with lists of numbers (schedules) and other short
 * values on one line, and a final newline. Throws `E_REPORT_INVALID` for a report that would not
 * parse back (NaN, Infinity, undefined in a list, inconsistent counts).
 */
export function reportToJSON(report: CompareReport): string {
  // Validate what a reader will see: JSON.stringify would silently turn NaN into null.
  const seen = findUnserializable(report, 'report');
  if (seen) throw new ReportError('E_REPORT_INVALID', seen);
  validateCompareReport(JSON.parse(JSON.stringify(report)), 'report');
  return formatJson(report);
}

function findUnserializable(v: unknown, path: string): string | undefined {
  if (typeof v === 'number')
    return Number.isFinite(v) ? undefined : `${path} is ${v}, which JSON cannot hold`;
  if (v === undefined) return `${path} is undefined`;
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
    return `${path} is a ${typeof v}, which JSON cannot hold`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = findUnserializable(v[i], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue; // an absent optional field
      const bad = findUnserializable(x, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** Parse and validate a report; `source` names the text (a file name) in messages. */
export function parseCompareReport(text: string, source = 'report'): CompareReport {
  let value: unknown;
  // a byte-order mark (left by some editors) is not part of the JSON
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    value = JSON.parse(text);
  } catch {
    const loc = locateJsonError(text);
    const where = loc
      ? `line ${loc.line}, column ${loc.column} (byte ${loc.byte}): ${loc.reason}`
      : 'an unknown position';
    throw new ReportError('E_REPORT_CORRUPT', `${source} is not valid JSON at ${where}`);
  }
  validateCompareReport(value, source);
  return value;
}
