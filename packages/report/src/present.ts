/**
 * What every rendering shows, as formatted strings: the terminal table, Markdown and HTML all take
 * their cells from here, so they cannot disagree. Strings are raw (unescaped) user text plus our
 * own formatting; each renderer escapes for its medium.
 */
import {
  formatConfidence,
  formatCount,
  formatFixedInterval,
  formatMean,
  formatPCell,
  formatProportion,
  formatRate,
  formatRateDifference,
  type Split,
} from './format.js';
import { type CompareReport, OUTCOMES, type ReportWarning, type VariantReport } from './types.js';

export type ColumnKey = 'variant' | 'trials' | 'lockups' | 'rate' | 'syncs' | 'skip' | 'steps';

export interface ColumnSpec {
  key: ColumnKey;
  header: string;
  /** header without the interval note, for compact layouts */
  short: string;
  kind: 'text' | 'count' | 'interval';
}

export function variantColumns(report: CompareReport): ColumnSpec[] {
  const ci = `[${formatConfidence(report.confidence)} CI]`;
  return [
    { key: 'variant', header: 'variant', short: 'variant', kind: 'text' },
    { key: 'trials', header: 'trials', short: 'trials', kind: 'count' },
    { key: 'lockups', header: 'lockups', short: 'lockups', kind: 'count' },
    { key: 'rate', header: `lockup rate ${ci}`, short: 'lockup rate', kind: 'interval' },
    { key: 'syncs', header: `syncs/wakeup ${ci}`, short: 'syncs/wakeup', kind: 'interval' },
    { key: 'skip', header: `skip sync % ${ci}`, short: 'skip sync %', kind: 'interval' },
    { key: 'steps', header: `steps/trial ${ci}`, short: 'steps/trial', kind: 'interval' },
  ];
}

export interface PresentedVariant {
  source: VariantReport;
  cells: Record<ColumnKey, Split>;
  /** columns a warning is about */
  marks: Set<ColumnKey>;
  /** some trial failed (any non-ok outcome) */
  failing: boolean;
}

/** Which column shows a warning's `field`. */
export function columnOfField(field: string | undefined): ColumnKey {
  if (!field) return 'variant';
  if (field === 'outcomes.lockup' || field === 'failure' || field.startsWith('failure.')) return 'lockups';
  if (field === 'trials' || field.startsWith('outcomes') || field === 'failureRate') return 'trials';
  if (field === 'lockupRate' || field.startsWith('lockupRate.')) return 'rate';
  if (field === 'wakeups' || field.startsWith('syncsPerWakeup') || field === 'syncsTotal') return 'syncs';
  if (field.startsWith('skipSyncRate')) return 'skip';
  if (field.startsWith('stepsPerTrial')) return 'steps';
  return 'variant';
}

function isComparisonWarning(w: ReportWarning): boolean {
  return w.field === 'comparisons';
}

export function presentVariants(report: CompareReport): PresentedVariant[] {
  return report.variants.map((v) => {
    const marks = new Set<ColumnKey>();
    for (const w of report.warnings) {
      if (!isComparisonWarning(w) && w.variants?.includes(v.variant)) marks.add(columnOfField(w.field));
    }
    const stepsInterval = formatMean(v.stepsPerTrial);
    return {
      source: v,
      cells: {
        variant: { est: '', rest: v.label },
        trials: { est: formatCount(v.trials), rest: '' },
        lockups: { est: formatCount(v.outcomes.lockup), rest: '' },
        rate: formatRate(v.lockupRate),
        syncs: formatProportion(v.syncsPerWakeup),
        skip: formatProportion(v.skipSyncRate, 100),
        steps: stepsInterval,
      },
      marks,
      failing: v.trials - v.outcomes.ok > 0,
    };
  });
}

export interface PresentedComparison {
  a: VariantReport;
  b: VariantReport;
  /** `buggy - baseline`, from the labels */
  title: string;
  difference: Split;
  syncsDifference: Split;
  p: string;
  verdict: string;
  mark: boolean;
  direction: 'a-higher' | 'b-higher' | 'none';
}

export function comparisonColumns(report: CompareReport) {
  const ci = `[${formatConfidence(report.confidence)} CI]`;
  return {
    pair: 'a - b',
    difference: `lockup rate difference ${ci}`,
    syncs: `syncs/wakeup difference ${ci}`,
    p: 'p (Fisher)',
    verdict: 'verdict',
  };
}

export function presentComparisons(report: CompareReport): PresentedComparison[] {
  const byName = new Map(report.variants.map((v) => [v.variant, v]));
  return report.comparisons.map((c) => {
    const a = byName.get(c.a)!;
    const b = byName.get(c.b)!;
    const s = c.syncsPerWakeupDifference;
    return {
      a,
      b,
      title: `${a.label} - ${b.label}`,
      difference: formatRateDifference(c.difference),
      syncsDifference: s
        ? formatFixedInterval(s.estimate, s.lower, s.upper, 1, true)
        : { est: 'n/a', rest: '' },
      p: formatPCell(c.fisherP),
      verdict: c.verdict,
      mark: report.warnings.some(
        (w) => isComparisonWarning(w) && w.variants?.[0] === c.a && w.variants?.[1] === c.b,
      ),
      direction: c.direction,
    };
  });
}

/** `23 of 200,000 trials failed (21 lockup, 2 lost)`. */
export function failureSummary(v: VariantReport): string {
  const failed = v.trials - v.outcomes.ok;
  const parts = OUTCOMES.filter((o) => o !== 'ok' && v.outcomes[o] > 0).map(
    (o) => `${formatCount(v.outcomes[o])} ${o}`,
  );
  return `${formatCount(failed)} of ${formatCount(v.trials)} trials failed (${parts.join(', ')})`;
}

/** `41 decisions (trial 1234, seed 7; the shortest of 23 kept)`. */
export function counterexampleSummary(v: VariantReport): string | undefined {
  const f = v.failure;
  if (!f) return undefined;
  const of = f.shortestOf !== undefined ? `; the shortest of ${formatCount(f.shortestOf)} kept` : '';
  return `${formatCount(f.scheduleLength)} decision${f.scheduleLength === 1 ? '' : 's'} (trial ${formatCount(f.trial)}, seed ${f.seed}${of})`;
}

/** `tso memory, uniform scheduler, wasm engine, seed 7, 200,000 trials per variant, 95% intervals`. */
export function runSummary(r: CompareReport): string {
  const sched = r.pct ? `${r.scheduler} (PCT rates, not uniform rates)` : r.scheduler;
  return `memory ${r.memory}, scheduler ${sched}, engine ${r.engine}, seed ${r.seed}, ${formatCount(r.trialsPerVariant)} trials per variant, ${formatConfidence(r.confidence)} intervals`;
}

export function scenarioSource(r: CompareReport): string | undefined {
  const s = r.scenario.source;
  if (s === undefined || s === '') return undefined;
  return s === 'built-in' ? 'built-in' : `from ${s}`;
}

const isCluster = (x: { method: string } | null | undefined) => x?.method === 'ratio-cluster';

function wakeupNote(r: CompareReport): string {
  const what =
    'syncs/wakeup: wakeups that executed the wakeup-path sync / wakeups; skip sync %: wakeups that skipped it / wakeups';
  const rates = r.variants.flatMap((v) => [v.syncsPerWakeup, v.skipSyncRate]).filter((x) => x !== null);
  if (!rates.some(isCluster))
    return `${what}; same interval method, treating wakeups as independent (wakeups of one trial are not, so these intervals are somewhat too narrow).`;
  const some = rates.every(isCluster)
    ? ''
    : ' Where every trial agrees (no wakeup synced, or every one did) the cluster interval has zero width, and the Wilson / Clopper-Pearson interval over wakeups is shown instead (so is it for results without per-trial sums).';
  return `${what}; ratio estimator with trials as clusters (the wakeups of one trial share its schedule and are not independent): delta-method standard error from per-trial sums, Student-t interval on trials - 1 df, clipped to [0, 1].${some}`;
}

function syncsDifferenceNote(r: CompareReport): string {
  const ds = r.comparisons.map((c) => c.syncsPerWakeupDifference).filter((d) => d !== undefined);
  if (!ds.some(isCluster)) return '';
  const rest = ds.every(isCluster)
    ? ''
    : " (Newcombe's interval over wakeups where neither variant's trials show any spread, or per-trial sums are missing)";
  return `syncs/wakeup difference a - b: the two ratio estimators' variances added, Welch-Satterthwaite t interval${rest}; `;
}

/** Notes on method, shown under the tables: every statistic on the page, and how it was computed. */
export function methodNotes(r: CompareReport): string[] {
  const conf = formatConfidence(r.confidence);
  const methods = new Set(r.variants.map((v) => v.lockupRate.method));
  const rateMethod = [...methods]
    .map((m) => (m === 'wilson' ? 'Wilson score' : 'Clopper-Pearson exact'))
    .join(' / ');
  return [
    ...(r.pct ? [`PCT: ${r.pct.note}`] : []),
    `lockup rate: lockups / trials, ${conf} ${rateMethod} interval; with no lockup, the one-sided ${conf} rule-of-three bound -ln(1 - ${r.confidence})/n (about 3/n).`,
    wakeupNote(r),
    'steps/trial: mean scheduler steps per trial, Student-t interval.',
    `comparisons: difference of lockup rates a - b with Newcombe's hybrid score interval; ${syncsDifferenceNote(r)}p: two-sided Fisher exact test on the lockup counts.`,
  ];
}
