/**
 * From measured counts to a `CompareReport`: every statistic comes from `@naplab/stats`; this file
 * only decides which statistic answers which question, and which results deserve a warning. The
 * renderers never compute statistics, they format what is here.
 */
import {
  clusterProportionDifference,
  fisherExact,
  formatValue,
  type Moments,
  meanInterval,
  type RatioMoments,
  rateDifference,
} from '@naplab/stats';
import { ReportError } from './errors.js';
import { formatCount, formatPValue } from './format.js';
import { rate, type WakeupMoments, wakeupRate, wakeupRatio } from './rates.js';
import {
  type CompareReport,
  type Comparison,
  type FailureReport,
  type MeanEstimate,
  OUTCOMES,
  type OutcomeCounts,
  type PctReport,
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportWarning,
  type ScenarioInfo,
  type VariantReport,
} from './types.js';
import { isWide, lockupsForFactorTwo, WIDE_FACTOR } from './warnings.js';

/** One variant's measured totals, as a runner's aggregates hold them. */
export interface VariantInput {
  variant: string;
  /** default: `variant` */
  label?: string;
  wakeupSource: string;
  outcomes: OutcomeCounts;
  /** Σ steps and Σ steps² over the trials */
  steps: number;
  stepsSq: number;
  maxSteps?: number;
  /** every `sync` executed */
  syncs: number;
  wakeups: number;
  /** wakeups that executed the wakeup-path sync (the model's `wakeup_sync` counter) */
  wakeupSyncs: number;
  /** wakeups that skipped it (`wakeup_skip_sync`); default `wakeups - wakeupSyncs` */
  wakeupSkips?: number;
  counters?: Record<string, number>;
  /**
   * Per-trial second moments of the three wakeup counts (each trial's `wakeups`, `wakeupSyncs` and
   * `wakeupSkips`), summed over the trials. With them, `syncsPerWakeup`, `skipSyncRate` and the
   * comparisons' `syncsPerWakeupDifference` treat each trial as a cluster of wakeups
   * (`ratio-cluster`); without them (results written before they were aggregated) the wakeups are
   * treated as independent (the binomial `interval`, and Newcombe for the difference).
   */
  wakeupMoments?: WakeupMoments;
  /** the shortest failing trial kept, if any; `scheduleLength` is filled in from `schedule` */
  failure?: Omit<FailureReport, 'scheduleLength'> & { scheduleLength?: number };
}

export interface CompareInput {
  naplabVersion: string;
  createdAt?: string;
  scenario: ScenarioInfo;
  memory: string;
  scheduler: string;
  /** PCT runs: depth, k, agents, guarantee and the "not the uniform rate" note */
  pct?: PctReport;
  engine: string;
  seed: number;
  trialsPerVariant: number;
  /** default 0.95 */
  confidence?: number;
  command: string;
  variants: VariantInput[];
  /** interval shown for rates; default 'wilson' (both are in @naplab/stats' rateSummary) */
  interval?: 'wilson' | 'clopper-pearson';
  /**
   * Pairs [a, b] to compare. Default: every variant against `reference`, which defaults to
   * `baseline` when there is one, else the first variant.
   */
  comparisons?: [string, string][];
  reference?: string;
  /** warnings of the caller's own, listed after the computed ones */
  warnings?: ReportWarning[];
}

function bad(message: string): never {
  throw new ReportError('E_REPORT_INPUT', message);
}

function checkCount(what: string, x: unknown): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
    bad(`${what} must be a non-negative integer, got ${String(x)}`);
}

function mean(m: Moments, max: number | undefined, confidence: number): MeanEstimate {
  const e = meanInterval(m, confidence);
  const finite = Number.isFinite(e.lower) && Number.isFinite(e.upper);
  // every trial took the same number of steps: no spread, and rounding must not invert the bounds
  if (finite && e.standardDeviation === 0) {
    e.lower = e.estimate;
    e.upper = e.estimate;
  }
  const out: MeanEstimate = {
    n: e.n,
    mean: e.estimate,
    lower: finite ? e.lower : null,
    upper: finite ? e.upper : null,
    sd: Number.isFinite(e.standardDeviation) ? e.standardDeviation : null,
    method: 'student-t',
  };
  if (max !== undefined) out.max = max;
  return out;
}

function percentOf(k: number, n: number): string {
  return `${formatValue((100 * k) / n, 2, 'nearest', 'fixed')}%`;
}

/** Round up to two significant digits: 8,250,000 -> 8,300,000. */
function roundUpNice(x: number): number {
  if (x <= 100) return Math.ceil(x);
  const scale = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / scale - 1e-9) * scale;
}

function variantReport(
  v: VariantInput,
  index: number,
  confidence: number,
  interval: 'wilson' | 'clopper-pearson',
): VariantReport {
  const where = `variants[${index}] (${JSON.stringify(v.variant)})`;
  if (typeof v.variant !== 'string' || v.variant === '') bad(`variants[${index}].variant must be a name`);
  for (const o of OUTCOMES) checkCount(`${where}.outcomes.${o}`, v.outcomes?.[o]);
  const trials = OUTCOMES.reduce((s, o) => s + v.outcomes[o], 0);
  if (trials === 0) bad(`${where} ran no trials`);
  for (const f of ['steps', 'stepsSq', 'syncs', 'wakeups', 'wakeupSyncs'] as const)
    checkCount(`${where}.${f}`, v[f]);
  if (v.maxSteps !== undefined) checkCount(`${where}.maxSteps`, v.maxSteps);
  const wakeupSkips = v.wakeupSkips ?? v.wakeups - v.wakeupSyncs;
  checkCount(`${where}.wakeupSkips`, wakeupSkips);
  if (v.wakeupSyncs > v.wakeups || wakeupSkips > v.wakeups)
    bad(
      `${where}: wakeupSyncs (${v.wakeupSyncs}) and wakeupSkips (${wakeupSkips}) cannot exceed wakeups (${v.wakeups})`,
    );
  const wm = v.wakeupMoments;
  if (wm !== undefined) {
    for (const f of ['wakeupsSq', 'syncsSq', 'syncsWakeups', 'skipsSq', 'skipsWakeups'] as const) {
      const x = wm?.[f];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
        bad(`${where}.wakeupMoments.${f} must be a non-negative number, got ${String(x)}`);
    }
  }
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(v.counters ?? {})) {
    checkCount(`${where}.counters.${name}`, value);
    counters[name] = value;
  }
  const report: VariantReport = {
    variant: v.variant,
    label: v.label ?? v.variant,
    wakeupSource: v.wakeupSource,
    trials,
    outcomes: {
      ok: v.outcomes.ok,
      lockup: v.outcomes.lockup,
      lost: v.outcomes.lost,
      assert: v.outcomes.assert,
      limit: v.outcomes.limit,
    },
    lockupRate: rate(v.outcomes.lockup, trials, confidence, interval),
    failureRate: rate(trials - v.outcomes.ok, trials, confidence, interval),
    wakeups: v.wakeups,
    syncsPerWakeup:
      v.wakeups > 0
        ? wakeupRate(
            v.wakeupSyncs,
            v.wakeups,
            wakeupRatio(trials, v.wakeupSyncs, v.wakeups, wm, 'syncs'),
            confidence,
            interval,
          )
        : null,
    skipSyncRate:
      v.wakeups > 0
        ? wakeupRate(
            wakeupSkips,
            v.wakeups,
            wakeupRatio(trials, wakeupSkips, v.wakeups, wm, 'skips'),
            confidence,
            interval,
          )
        : null,
    stepsPerTrial: mean({ n: trials, sum: v.steps, sumSq: v.stepsSq }, v.maxSteps, confidence),
    syncsTotal: v.syncs,
    counters,
  };
  if (v.failure) {
    const f = v.failure;
    if (!Array.isArray(f.schedule)) bad(`${where}.failure.schedule must be a list of decisions`);
    if (f.scheduleLength !== undefined && f.scheduleLength !== f.schedule.length)
      bad(
        `${where}.failure.scheduleLength is ${f.scheduleLength} but the schedule has ${f.schedule.length} decisions`,
      );
    const failure: FailureReport = {
      outcome: f.outcome,
      message: f.message,
      trial: f.trial,
      seed: f.seed,
      scheduleLength: f.schedule.length,
      schedule: [...f.schedule],
      replayCommand: f.replayCommand,
    };
    if (f.shortestOf !== undefined) failure.shortestOf = f.shortestOf;
    if (f.timeline !== undefined) failure.timeline = f.timeline;
    if (f.sequence !== undefined) failure.sequence = f.sequence;
    if (f.shrunk !== undefined) failure.shrunk = f.shrunk;
    report.failure = failure;
  }
  return report;
}

function variantWarnings(v: VariantReport, requested: number, confidence: number): ReportWarning[] {
  const out: ReportWarning[] = [];
  const name = v.label;
  const at = (field: string) => ({ variants: [v.variant], field });
  if (v.trials < requested) {
    out.push({
      code: 'W_PARTIAL',
      message: `${name} ran ${formatCount(v.trials)} of the ${formatCount(requested)} trials requested`,
      remedy: 'resume or rerun the comparison so that every variant runs all its trials',
      ...at('trials'),
    });
  }
  if (v.outcomes.limit > 0) {
    const max =
      v.stepsPerTrial.max !== undefined
        ? ` (the longest trial took ${formatCount(v.stepsPerTrial.max)} steps)`
        : '';
    out.push({
      code: 'W_LIMIT',
      message: `${name}: ${formatCount(v.outcomes.limit)} of ${formatCount(v.trials)} trials (${percentOf(v.outcomes.limit, v.trials)}) stopped at the step limit${max}; they count as failures, not as lockups`,
      remedy: 'raise the step limit; if limit trials remain, replay one: a livelock is a finding of its own',
      ...at('outcomes.limit'),
    });
  }
  const lockups = v.outcomes.lockup;
  if (lockups > 0 && isWide(v.lockupRate.lower, v.lockupRate.upper)) {
    const needed = lockupsForFactorTwo(confidence);
    const trials = roundUpNice((v.trials * needed) / lockups);
    out.push({
      code: 'W_WIDE_INTERVAL',
      message: `${name}: only ${formatCount(lockups)} lockup${lockups === 1 ? '' : 's'}; the lockup rate is known only within a factor of ${(v.lockupRate.upper / v.lockupRate.lower).toPrecision(2)}`,
      remedy: `run about ${formatCount(trials)} trials per variant: about ${needed} lockups pin the rate down within a factor of ${WIDE_FACTOR}`,
      ...at('lockupRate'),
    });
  }
  if (v.wakeups === 0) {
    out.push({
      code: 'W_NO_WAKEUPS',
      message: `${name}: no thread woke from nap in any trial, so syncs per wakeup is undefined`,
      remedy: 'check that the scenario makes threads nap and sends them wake events',
      ...at('syncsPerWakeup'),
    });
  }
  const failed = v.trials - v.outcomes.ok;
  if (failed > 0 && !v.failure) {
    out.push({
      code: 'W_NO_COUNTEREXAMPLE',
      message: `${name}: ${formatCount(failed)} trial${failed === 1 ? '' : 's'} failed but no failing schedule was kept, so there is nothing to replay`,
      remedy: 'rerun keeping failing trials (the runner keeps none when maxFailures is 0)',
      ...at('failure'),
    });
  }
  return out;
}

function compare(
  a: VariantReport,
  b: VariantReport,
  confidence: number,
  syncMoments: Map<string, RatioMoments | undefined>,
): Comparison {
  const ka = a.outcomes.lockup;
  const kb = b.outcomes.lockup;
  const d = rateDifference(ka, a.trials, kb, b.trials, confidence);
  const p = fisherExact(ka, a.trials, kb, b.trials).pValue;
  const alpha = 1 - confidence;
  const direction = p < alpha ? (d.difference > 0 ? 'a-higher' : 'b-higher') : 'none';
  const pText = formatPValue(p);
  const level = `${+(confidence * 100).toPrecision(4)}%`;
  let verdict: string;
  if (direction === 'a-higher') verdict = `${a.label} locks up more often than ${b.label} (p ${pText})`;
  else if (direction === 'b-higher') verdict = `${a.label} locks up less often than ${b.label} (p ${pText})`;
  else if (ka === 0 && kb === 0) verdict = 'no lockups in either';
  else verdict = `no significant difference at ${level} (p ${pText})`;
  const c: Comparison = {
    a: a.variant,
    b: b.variant,
    difference: { estimate: d.difference, lower: d.lower, upper: d.upper, method: 'newcombe' },
  } as Comparison;
  const ma = syncMoments.get(a.variant);
  const mb = syncMoments.get(b.variant);
  const cluster =
    a.syncsPerWakeup && b.syncsPerWakeup && ma && mb ? clusterProportionDifference(ma, mb, confidence) : null;
  if (cluster && cluster.standardError > 0) {
    c.syncsPerWakeupDifference = {
      estimate: cluster.estimate,
      lower: cluster.lower,
      upper: cluster.upper,
      method: 'ratio-cluster',
    };
  } else if (a.syncsPerWakeup && b.syncsPerWakeup) {
    const s = rateDifference(
      a.syncsPerWakeup.k,
      a.syncsPerWakeup.n,
      b.syncsPerWakeup.k,
      b.syncsPerWakeup.n,
      confidence,
    );
    c.syncsPerWakeupDifference = {
      estimate: s.difference,
      lower: s.lower,
      upper: s.upper,
      method: 'newcombe',
    };
  }
  // assigned after the optional field so that the JSON lists fields in the documented order
  c.fisherP = p;
  c.direction = direction;
  c.verdict = verdict;
  return c;
}

/** Compute every statistic and warning of a comparison from the measured totals. */
export function buildCompareReport(input: CompareInput): CompareReport {
  const confidence = input.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) bad(`confidence must be in (0, 1), got ${confidence}`);
  const interval = input.interval ?? 'wilson';
  if (!Array.isArray(input.variants) || input.variants.length === 0)
    bad('a comparison needs at least one variant');
  checkCount('trialsPerVariant', input.trialsPerVariant);
  checkCount('seed', input.seed);
  const variants = input.variants.map((v, i) => variantReport(v, i, confidence, interval));
  const byName = new Map<string, VariantReport>();
  for (const v of variants) {
    if (byName.has(v.variant)) bad(`variant ${JSON.stringify(v.variant)} appears twice`);
    byName.set(v.variant, v);
  }
  const get = (name: string) =>
    byName.get(name) ?? bad(`comparison names unknown variant ${JSON.stringify(name)}`);
  let pairs = input.comparisons;
  if (!pairs) {
    const reference = input.reference ?? (byName.has('baseline') ? 'baseline' : variants[0]!.variant);
    get(reference);
    pairs = variants.filter((v) => v.variant !== reference).map((v) => [v.variant, reference]);
  }
  const syncMoments = new Map(
    input.variants.map((v, i) => [
      v.variant,
      wakeupRatio(variants[i]!.trials, v.wakeupSyncs, v.wakeups, v.wakeupMoments, 'syncs'),
    ]),
  );
  const comparisons = pairs.map(([a, b]) => compare(get(a), get(b), confidence, syncMoments));

  const warnings = variants.flatMap((v) => variantWarnings(v, input.trialsPerVariant, confidence));
  for (const c of comparisons) {
    const a = get(c.a);
    const b = get(c.b);
    if (c.direction === 'none' && a.outcomes.lockup + b.outcomes.lockup > 0) {
      warnings.push({
        code: 'W_INCONCLUSIVE_COMPARISON',
        message: `${a.label} and ${b.label} cannot be told apart at ${+(confidence * 100).toPrecision(4)}% (Fisher p ${formatPValue(c.fisherP)}, ${formatCount(a.outcomes.lockup)} vs ${formatCount(b.outcomes.lockup)} lockups)`,
        remedy:
          'run more trials per variant; the difference interval shows how large a difference is still possible',
        variants: [c.a, c.b],
        field: 'comparisons',
      });
    }
  }
  warnings.push(...(input.warnings ?? []));

  const report: CompareReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    naplabVersion: input.naplabVersion,
    scenario: scenarioInfo(input.scenario),
    memory: input.memory,
    scheduler: input.scheduler,
    ...(input.pct ? { pct: { ...input.pct } } : {}),
    engine: input.engine,
    seed: input.seed,
    trialsPerVariant: input.trialsPerVariant,
    confidence,
    command: input.command,
    variants,
    comparisons,
    warnings,
  };
  if (input.createdAt !== undefined) report.createdAt = input.createdAt;
  // key order: createdAt right after naplabVersion, as documented
  return reorder(report);
}

function scenarioInfo(s: ScenarioInfo): ScenarioInfo {
  if (typeof s?.name !== 'string') bad('scenario.name must be a string');
  const out: ScenarioInfo = { name: s.name };
  if (s.description !== undefined) out.description = s.description;
  if (s.source !== undefined) out.source = s.source;
  return out;
}

function reorder(r: CompareReport): CompareReport {
  const { format, version, naplabVersion, createdAt, ...rest } = r;
  return createdAt === undefined
    ? { format, version, naplabVersion, ...rest }
    : { format, version, naplabVersion, createdAt, ...rest };
}
