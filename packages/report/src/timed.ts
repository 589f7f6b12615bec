/**
 * The timed part of a comparison (`naplab compare --scheduler timed`): cycles from a nap wakeup to
 * its dispatch, by path and per wakeup, with intervals; the wakeup-path sync per wakeup; lockups per
 * simulated hour and the mean time to a lockup; one row per variant and sync cost. Built from
 * plain sums (the engines' timed aggregates), rendered as text, Markdown and HTML with an SVG plot
 * of cycles per wakeup against the sync cost. Fields are documented in docs/compare-report.md.
 */
import {
  clusterMean,
  clusterMeanDifference,
  meanInterval,
  poissonRateInterval,
  type RatioMoments,
  zCritical,
} from '@naplab/stats';
import { escapeHtml } from './html-escape.js';
import { type WakeupMoments, wakeupRate, wakeupRatio } from './rates.js';
import type { RateInterval } from './types.js';

/** One latency as the engines sum it, with quantiles already read off its histogram. */
export interface LatencyInput {
  n: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  /**
   * per-trial moments (SEMANTICS.md 15.5 of @naplab/isa): over all `trials` trials of the run
   * (those without a sample add 0), Σ S_i², Σ m_i², Σ S_i·m_i with S_i the sum and m_i the number
   * of trial i's samples. With them the mean treats each trial as a cluster of wakeups
   * (`ratio-cluster`); results written before them lack them, and the wakeups then count as
   * independent samples (`t-wakeups`, too narrow when a trial's wakeups are alike).
   */
  trialMoments?: { trials: number; sumSq: number; countSq: number; cross: number };
}

export interface TimedRunInput {
  variant: string;
  label: string;
  syncCost: number;
  trials: number;
  lockups: number;
  /** sum of the trials' simulated time, cycles */
  cycles: number;
  /** nap wakeups, and those that ran / skipped the wakeup-path sync (the model's counters) */
  wakeups: number;
  wakeupSync: number;
  wakeupSkipSync: number;
  /** per dispatch counter (e.g. `wakeup_to_kvm`): cycles from the wakeup to it */
  paths: Record<string, LatencyInput>;
  /** every dispatch together: one sample per dispatched wakeup */
  perWakeup: LatencyInput;
  watchdog: { reports: number; delaySum: number; delayMin: number; delayMax: number };
  /**
   * per-trial second moments of the wakeup counters: with them syncs and skips per wakeup treat
   * each trial as a cluster of wakeups (`ratio-cluster`), as the compare report does; without them
   * the wakeups count as independent (Wilson)
   */
  moments?: WakeupMoments;
}

export interface TimedInput {
  costModel: string;
  cyclesPerUs: number;
  watchdogThresh: number;
  syncCosts: number[];
  confidence: number;
  runs: TimedRunInput[];
}

/**
 * Mean cycles with an interval: `ratio-cluster`, the ratio estimator with trials as clusters and a
 * t interval on trials - 1 degrees of freedom (null bounds for fewer than two trials); `t-wakeups`
 * (results without the per-trial moments), a Student-t interval over the samples as if independent
 * (null bounds for fewer than two samples). The percentiles describe the samples either way.
 */
export interface CycleStats {
  n: number;
  mean: number | null;
  lower: number | null;
  upper: number | null;
  /** how the interval was computed; null without samples */
  method: 'ratio-cluster' | 't-wakeups' | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
}

export interface TimedRow {
  variant: string;
  label: string;
  syncCost: number;
  trials: number;
  simulatedSeconds: number;
  /** cycles from the wakeup to its dispatch, per dispatch counter */
  paths: Record<string, CycleStats>;
  /** cycles from a wakeup to its dispatch, all paths together */
  cyclesPerWakeup: CycleStats;
  syncsPerWakeup: RateInterval | null;
  skipSyncRate: RateInterval | null;
  lockups: number;
  /** Garwood interval on lockups per simulated hour */
  lockupsPerHour: { estimate: number; lower: number; upper: number };
  /**
   * seconds of simulated time per lockup: with lockups, the estimate and the Garwood interval
   * (`upper` null when unbounded); without, only `lower`, the rule-of-three bound exposure/3
   */
  meanTimeToLockup: {
    estimate: number | null;
    lower: number;
    upper: number | null;
    method: 'garwood' | 'rule-of-three';
  };
  /** the watchdog's reports: delay from the stuck point to the report, seconds */
  watchdog: { reports: number; meanDelay: number | null; minDelay: number | null; maxDelay: number | null };
}

/** `a` minus `b` in cycles per wakeup at one sync cost; the expectation for baseline minus fixed. */
export interface TimedDifference {
  syncCost: number;
  a: string;
  b: string;
  /**
   * the difference of the two means: with both sides' per-trial moments, variances of the
   * cluster means added and a t interval on Welch-Satterthwaite degrees of freedom
   * (`ratio-cluster`); otherwise a normal interval over the wakeups as if independent
   * (`normal-wakeups`)
   */
  difference: {
    estimate: number;
    lower: number;
    upper: number;
    method: 'ratio-cluster' | 'normal-wakeups';
  } | null;
  /** syncCost x the fraction of `b`'s wakeups that skip the sync (baseline minus fixed only) */
  expected?: { estimate: number; lower: number; upper: number };
}

export interface TimedReport {
  costModel: string;
  cyclesPerUs: number;
  watchdogThresh: number;
  syncCosts: number[];
  /** the dispatch counters the paths are named after */
  dispatchCounters: string[];
  rows: TimedRow[];
  differences: TimedDifference[];
}

/** The latency's sums as ratio moments over trials (x = the trial's sum, y = its samples). */
export function latencyMoments(l: LatencyInput): RatioMoments | undefined {
  const t = l.trialMoments;
  if (!t) return undefined;
  return { n: t.trials, sumX: l.sum, sumY: l.n, sumXX: t.sumSq, sumYY: t.countSq, sumXY: t.cross };
}

function cycleStats(l: LatencyInput, confidence: number): CycleStats {
  if (l.n === 0)
    return {
      n: 0,
      mean: null,
      lower: null,
      upper: null,
      method: null,
      p50: null,
      p90: null,
      p99: null,
      min: null,
      max: null,
    };
  const ok = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  const moments = latencyMoments(l);
  const c = moments ? clusterMean(moments, confidence) : null;
  const m = c ? undefined : meanInterval({ n: l.n, sum: l.sum, sumSq: l.sumSq }, confidence);
  return {
    n: l.n,
    mean: c ? c.estimate : m!.estimate,
    lower: c ? ok(c.lower) : l.n > 1 ? ok(m!.lower) : null,
    upper: c ? ok(c.upper) : l.n > 1 ? ok(m!.upper) : null,
    method: c ? 'ratio-cluster' : 't-wakeups',
    p50: l.p50,
    p90: l.p90,
    p99: l.p99,
    min: l.min,
    max: l.max,
  };
}

/** Syncs (or skips) per wakeup: trials as clusters when the moments are known (`rates.ts`). */
function perWakeup(
  r: TimedRunInput,
  k: number,
  which: 'syncs' | 'skips',
  confidence: number,
): RateInterval | null {
  if (r.wakeups === 0) return null;
  return wakeupRate(
    k,
    r.wakeups,
    wakeupRatio(r.trials, k, r.wakeups, r.moments, which),
    confidence,
    'wilson',
  );
}

export function buildTimedReport(input: TimedInput): TimedReport {
  const conf = input.confidence;
  const perSecond = input.cyclesPerUs * 1e6;
  const dispatch = [...new Set(input.runs.flatMap((r) => Object.keys(r.paths)))].sort();
  const rows: TimedRow[] = input.runs.map((r) => {
    const seconds = r.cycles / perSecond;
    const hours = seconds / 3600;
    let lph = { estimate: 0, lower: 0, upper: 0 };
    let mttl: TimedRow['meanTimeToLockup'] = {
      estimate: null,
      lower: seconds / -Math.log(1 - conf),
      upper: null,
      method: 'rule-of-three',
    };
    if (hours > 0) {
      const p = poissonRateInterval(r.lockups, hours, conf);
      lph = { estimate: p.rate, lower: p.lower, upper: p.upper };
      if (r.lockups > 0) {
        mttl = {
          estimate: seconds / r.lockups,
          lower: 3600 / p.upper,
          upper: p.lower > 0 ? 3600 / p.lower : null,
          method: 'garwood',
        };
      }
    }
    const wd = r.watchdog;
    return {
      variant: r.variant,
      label: r.label,
      syncCost: r.syncCost,
      trials: r.trials,
      simulatedSeconds: seconds,
      paths: Object.fromEntries(Object.entries(r.paths).map(([k, l]) => [k, cycleStats(l, conf)])),
      cyclesPerWakeup: cycleStats(r.perWakeup, conf),
      syncsPerWakeup: perWakeup(r, r.wakeupSync, 'syncs', conf),
      skipSyncRate: perWakeup(r, r.wakeupSkipSync, 'skips', conf),
      lockups: r.lockups,
      lockupsPerHour: lph,
      meanTimeToLockup: mttl,
      watchdog: {
        reports: wd.reports,
        meanDelay: wd.reports > 0 ? wd.delaySum / wd.reports / perSecond : null,
        minDelay: wd.reports > 0 ? wd.delayMin / perSecond : null,
        maxDelay: wd.reports > 0 ? wd.delayMax / perSecond : null,
      },
    };
  });
  const differences: TimedDifference[] = [];
  const z = zCritical(conf);
  const find = (v: string, c: number) => input.runs.find((r) => r.variant === v && r.syncCost === c);
  for (const c of input.syncCosts) {
    for (const [a, b] of [
      ['baseline', 'fixed'],
      ['fixed', 'buggy'],
    ] as const) {
      const ra = find(a, c);
      const rb = find(b, c);
      if (!ra || !rb) continue;
      const la = ra.perWakeup;
      const lb = rb.perWakeup;
      let difference: TimedDifference['difference'] = null;
      const xa = latencyMoments(la);
      const xb = latencyMoments(lb);
      if (xa && xb) {
        const d = clusterMeanDifference(xa, xb, conf);
        if (d) difference = { estimate: d.estimate, lower: d.lower, upper: d.upper, method: 'ratio-cluster' };
      } else if (la.n > 1 && lb.n > 1) {
        const ma = meanInterval({ n: la.n, sum: la.sum, sumSq: la.sumSq }, conf);
        const mb = meanInterval({ n: lb.n, sum: lb.sum, sumSq: lb.sumSq }, conf);
        const d = ma.estimate - mb.estimate;
        const se = Math.sqrt(ma.standardError ** 2 + mb.standardError ** 2);
        difference = { estimate: d, lower: d - z * se, upper: d + z * se, method: 'normal-wakeups' };
      }
      const entry: TimedDifference = { syncCost: c, a, b, difference };
      if (a === 'baseline') {
        const skip = perWakeup(rb, rb.wakeupSkipSync, 'skips', conf);
        if (skip)
          entry.expected = { estimate: c * skip.estimate, lower: c * skip.lower, upper: c * skip.upper };
      }
      differences.push(entry);
    }
  }
  return {
    costModel: input.costModel,
    cyclesPerUs: input.cyclesPerUs,
    watchdogThresh: input.watchdogThresh,
    syncCosts: input.syncCosts,
    dispatchCounters: dispatch,
    rows,
    differences,
  };
}

// ---- presentation -------------------------------------------------------------------------------

const f1 = (x: number | null) => (x === null ? '-' : x.toFixed(1));
const g3 = (x: number) =>
  x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2 ? x.toExponential(2) : x.toPrecision(3);
function cyc(s: CycleStats): string {
  if (s.n === 0) return '-';
  return `${f1(s.mean)} [${f1(s.lower)}, ${f1(s.upper)}]`;
}
function pct(r: RateInterval | null): string {
  if (!r) return '-';
  return `${(100 * r.estimate).toFixed(1)}% [${(100 * r.lower).toFixed(1)}, ${(100 * r.upper).toFixed(1)}]`;
}
function mttl(r: TimedRow): string {
  const m = r.meanTimeToLockup;
  if (m.method === 'rule-of-three') return `> ${g3(m.lower)} s`;
  return `${g3(m.estimate!)} s [${g3(m.lower)}, ${m.upper === null ? 'inf' : g3(m.upper)}]`;
}
function lph(r: TimedRow): string {
  const l = r.lockupsPerHour;
  return r.lockups === 0 ? `< ${g3(l.upper)}` : `${g3(l.estimate)} [${g3(l.lower)}, ${g3(l.upper)}]`;
}

/** Header and rows of the main timed table (shared by the text and Markdown renderings). */
export function timedTableRows(t: TimedReport): { head: string[]; rows: string[][] } {
  const head = [
    'variant',
    'sync cost',
    'cycles/wakeup (mean [CI])',
    'p50',
    'p90',
    'p99',
    ...t.dispatchCounters.map((c) => `${c} (mean)`),
    'skip sync',
    'lockups',
    'lockups/hour',
    'mean time to lockup',
  ];
  const rows = t.rows.map((r) => [
    r.label,
    String(r.syncCost),
    cyc(r.cyclesPerWakeup),
    f1(r.cyclesPerWakeup.p50),
    f1(r.cyclesPerWakeup.p90),
    f1(r.cyclesPerWakeup.p99),
    ...t.dispatchCounters.map((c) => (r.paths[c] ? `${f1(r.paths[c]!.mean)} (n=${r.paths[c]!.n})` : '-')),
    pct(r.skipSyncRate),
    String(r.lockups),
    lph(r),
    mttl(r),
  ]);
  return { head, rows };
}

function differenceLine(d: TimedDifference): string {
  const diff = d.difference
    ? `${d.difference.estimate.toFixed(1)} [${d.difference.lower.toFixed(1)}, ${d.difference.upper.toFixed(1)}]`
    : 'n/a';
  const exp = d.expected
    ? `; expected sync cost x skip fraction = ${d.expected.estimate.toFixed(1)} [${d.expected.lower.toFixed(1)}, ${d.expected.upper.toFixed(1)}]`
    : '';
  return `sync ${d.syncCost}: ${d.a} - ${d.b} = ${diff} cycles per wakeup${exp}`;
}

export function timedNotes(t: TimedReport): string[] {
  const old = t.rows.filter((r) => r.cyclesPerWakeup.method === 't-wakeups');
  const notes = [
    `Timed scheduler (SEMANTICS.md section 15), cost model ${t.costModel} at ${t.cyclesPerUs} cycles/us, watchdog_thresh ${t.watchdogThresh} s; sync costs ${t.syncCosts.join(', ')} cycles.`,
    'cycles/wakeup: from the system-reset vector to the dispatch counter (the first of ' +
      `${t.dispatchCounters.join(', ')} after the wakeup); mean = total cycles / wakeups with a t interval that treats each trial as a cluster of wakeups (ratio estimator, delta method, trials - 1 degrees of freedom); p50/p90/p99 from a log-bucket histogram (exact below 32 cycles, else within 6.25%).`,
    'lockups/hour: Garwood interval on lockups per hour of simulated time (each trial counts up to the moment it stopped); mean time to lockup = its reciprocal; with no lockup, the rule-of-three lower bound (exposure / 3).',
    'Differences of cycles per wakeup: independent clustered means, variances added, t interval with Welch-Satterthwaite degrees of freedom.',
  ];
  if (old.length > 0)
    notes.push(
      `Results without per-trial latency moments (written by an older naplab): ${old.map((r) => `${r.label} (sync ${r.syncCost})`).join(', ')}; their cycles/wakeup intervals, and the differences involving them, treat the wakeups as independent samples (Student-t, normal for differences) and are too narrow when a trial's wakeups are alike.`,
    );
  return notes;
}

export function timedTextLines(t: TimedReport): string[] {
  const { head, rows } = timedTableRows(t);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = ['Timed: cycles per wakeup and lockups per simulated hour', line(head), ...rows.map(line)];
  if (t.differences.length > 0) out.push('', ...t.differences.map(differenceLine));
  const wd = t.rows.filter((r) => r.watchdog.reports > 0);
  for (const r of wd)
    out.push(
      `${r.label} (sync ${r.syncCost}): watchdog reported ${r.watchdog.reports} lockups, ${f1(r.watchdog.minDelay)}..${f1(r.watchdog.maxDelay)} s after the cpus stopped (mean ${f1(r.watchdog.meanDelay)} s)`,
    );
  out.push('', ...timedNotes(t));
  return out;
}

export function timedMarkdown(t: TimedReport): string[] {
  const { head, rows } = timedTableRows(t);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [
    '### Timed: cycles per wakeup and lockups per simulated hour',
    '',
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  if (t.differences.length > 0) out.push('', ...t.differences.map((d) => `- ${esc(differenceLine(d))}`));
  out.push('', ...timedNotes(t).map((n) => `- ${esc(n)}`));
  return out;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Cycles per wakeup against the sync cost, one line per variant, with interval whiskers. */
export function cyclesPerWakeupChart(t: TimedReport): string {
  const W = 640;
  const H = 320;
  const L = 70;
  const R = 150;
  const T = 30;
  const B = 50;
  const variants = [...new Set(t.rows.map((r) => r.variant))];
  const costs = [...t.syncCosts].sort((a, b) => a - b);
  const pts = t.rows.filter((r) => r.cyclesPerWakeup.mean !== null);
  const ys = pts.flatMap((r) => [
    r.cyclesPerWakeup.lower ?? r.cyclesPerWakeup.mean!,
    r.cyclesPerWakeup.upper ?? r.cyclesPerWakeup.mean!,
  ]);
  // a round axis top: 1, 2, 2.5, 5 or 10 times a power of ten, so the four ticks are round too
  const raw = Math.max(1, ...ys) * 1.05;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const yMax = ([1, 2, 2.5, 5, 10].find((f) => f * pow >= raw) ?? 10) * pow;
  const xMin = costs[0] ?? 0;
  const xMax = costs[costs.length - 1] ?? 1;
  const x = (c: number) =>
    xMax === xMin ? L + (W - L - R) / 2 : L + ((c - xMin) / (xMax - xMin)) * (W - L - R);
  const y = (v: number) => T + (1 - v / yMax) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#444"/>`);
  parts.push(`<line class="axis" x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#444"/>`);
  for (const c of costs)
    parts.push(
      `<text x="${x(c).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" font-size="11">${c}</text>`,
    );
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(
      `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${v.toFixed(0)}</text>`,
    );
  }
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle" font-size="12">sync cost (cycles)</text>`,
  );
  parts.push(
    `<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(T + H - B) / 2})">cycles per wakeup</text>`,
  );
  variants.forEach((v, i) => {
    const color = COLORS[i % COLORS.length]!;
    const rs = pts.filter((r) => r.variant === v).sort((a, b) => a.syncCost - b.syncCost);
    if (rs.length === 0) return;
    const label = rs[0]!.label;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${rs.map((r) => `${x(r.syncCost).toFixed(1)},${y(r.cyclesPerWakeup.mean!).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const r of rs) {
      const s = r.cyclesPerWakeup;
      const xc = x(r.syncCost).toFixed(1);
      const title = `<title>${escapeHtml(`${label}, sync ${r.syncCost}: ${cyc(s)} cycles per wakeup`)}</title>`;
      parts.push(
        `<g>${title}<line x1="${xc}" y1="${y(s.lower ?? s.mean!).toFixed(1)}" x2="${xc}" y2="${y(s.upper ?? s.mean!).toFixed(1)}" stroke="${color}"/><circle cx="${xc}" cy="${y(s.mean!).toFixed(1)}" r="3.5" fill="${color}"/></g>`,
      );
    }
    const ly = T + 14 + i * 18;
    parts.push(
      `<line x1="${W - R + 14}" y1="${ly - 4}" x2="${W - R + 34}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/><text x="${W - R + 40}" y="${ly}" font-size="12">${escapeHtml(label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Cycles per wakeup against the sync cost"><title>Cycles per wakeup against the sync cost</title>${parts.join('')}</svg>`;
}

export function timedHtml(t: TimedReport): string {
  const { head, rows } = timedTableRows(t);
  const table =
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>';
  const diffs =
    t.differences.length > 0
      ? `<ul>${t.differences.map((d) => `<li>${escapeHtml(differenceLine(d))}</li>`).join('')}</ul>`
      : '';
  return (
    '<section id="timed"><h2>Timed: the cost of the sync</h2>' +
    table +
    `<figure>${cyclesPerWakeupChart(t)}<figcaption>Cycles from a nap wakeup to its dispatch, mean and interval, against the cost of one sync; one line per variant.</figcaption></figure>` +
    diffs +
    `<ul>${timedNotes(t)
      .map((n) => `<li>${escapeHtml(n)}</li>`)
      .join('')}</ul></section>`
  );
}
