/**
 * The `naplab-compare` report, version 1: what `naplab compare --json` prints and `--report DIR`
 * writes as `report.json`. Every field is documented in docs/compare-report.md; keep the two in
 * step. The model is plain JSON: no functions, no `undefined` inside arrays, no NaN or Infinity
 * (`reportToJSON` refuses them). An optional field is either present with a value or absent.
 *
 * Units: every rate and proportion is a fraction in [0, 1] (renderers show percentages where the
 * column says so); counts are integers; steps are scheduler decisions. All intervals are two-sided
 * at `CompareReport.confidence`, except the one-sided rule-of-three bound.
 */

import type { Timeline } from '@naplab/timeline';
import type { TimedReport } from './timed.js';

export const REPORT_FORMAT = 'naplab-compare';
export const REPORT_VERSION = 1;

/** The five trial outcomes of the engine contract (`@naplab/isa`); they add up to the trials. */
export const OUTCOMES = ['ok', 'lockup', 'lost', 'assert', 'limit'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;

/**
 * A proportion k/n with its interval: binomial (`wilson`, `clopper-pearson`: the n events are
 * independent trials), or, for syncs per wakeup and the skip rate, `ratio-cluster` (the wakeups come
 * in trials, and the trials are the independent units; docs/compare-report.md, "Statistics").
 */
export interface RateInterval {
  /** events (lockups, failing trials, wakeups that synced...) */
  k: number;
  /** trials or wakeups the events are counted among */
  n: number;
  /** k / n */
  estimate: number;
  lower: number;
  upper: number;
  /**
   * how `lower` and `upper` were computed; `ratio-cluster` only for `syncsPerWakeup` and
   * `skipSyncRate` (then k > 0 and k < n: at 0 or n every trial agrees and the report uses the
   * binomial method instead)
   */
  method: 'wilson' | 'clopper-pearson' | 'ratio-cluster';
  /**
   * Present exactly when k = 0: the rule-of-three upper bound -ln(1 - confidence)/n (one-sided,
   * ≈ 3/n at 95%, capped at 1), "the rate is below this".
   */
  ruleOfThreeUpper?: number;
}

/** A mean per trial with its Student-t interval. */
export interface MeanEstimate {
  /** trials the mean is over */
  n: number;
  mean: number;
  /** null when n = 1: one trial gives no spread to estimate */
  lower: number | null;
  upper: number | null;
  /** sample standard deviation (n - 1 denominator); null when n = 1 */
  sd: number | null;
  /** largest per-trial value, when known */
  max?: number;
  method: 'student-t';
}

/** The shortest failing trial kept for one variant, and how to replay it. */
export interface FailureReport {
  /** the failing trial's outcome: `lockup`, `lost`, `assert` or `limit` */
  outcome: Exclude<Outcome, 'ok'>;
  /** kernel-style message, e.g. `watchdog: CPU 4 detected hard LOCKUP on other CPUs 0` */
  message: string;
  /** trial index within the variant's run (rerun it from `(seed, trial)`) */
  trial: number;
  /** the run's seed */
  seed: number;
  /** `schedule.length` */
  scheduleLength: number;
  /** the scheduler decisions that reproduce the trial */
  schedule: number[];
  /** the exact command line that replays the schedule */
  replayCommand: string;
  /** how many failing schedules this one is the shortest of */
  shortestOf?: number;
  /** preformatted text (one step per line), shown verbatim in a `<pre>` */
  timeline?: string;
  /** the kernel-level timeline of the schedule (`@naplab/timeline`), drawn as a sequence diagram */
  sequence?: Timeline;
  /** the failure shrunk (SEMANTICS.md 16.6): fewer decisions, the same outcome */
  shrunk?: ShrunkReport;
}

export interface ShrunkReport {
  /** actions of the kept failure, and of the shrunk schedule */
  stepsBefore: number;
  steps: number;
  /** `schedule.length` */
  scheduleLength: number;
  schedule: number[];
  /** the command that replays the shrunk schedule (a replay token) */
  replayCommand: string;
}

export interface VariantReport {
  /** stable identifier: `baseline`, `buggy`, `fixed`, `nosync`, or a user variant's name */
  variant: string;
  /** display name */
  label: string;
  /** the built-in variant's name, or the path of the user's wakeup file */
  wakeupSource: string;
  /** trials run: the sum of `outcomes` */
  trials: number;
  outcomes: OutcomeCounts;
  /** outcomes.lockup / trials */
  lockupRate: RateInterval;
  /** (trials - outcomes.ok) / trials: lockups, lost threads, failed assertions and step-limit hits */
  failureRate: RateInterval;
  /** nap wakeups over all trials */
  wakeups: number;
  /** wakeups that executed the wakeup-path sync / wakeups; null when there were no wakeups */
  syncsPerWakeup: RateInterval | null;
  /** wakeups that skipped the wakeup-path sync / wakeups; null when there were no wakeups */
  skipSyncRate: RateInterval | null;
  /** scheduler steps per trial */
  stepsPerTrial: MeanEstimate;
  /** every `sync` instruction executed (all code paths), over all trials */
  syncsTotal: number;
  /** the scenario's named counters, summed over all trials */
  counters: Record<string, number>;
  /** present when some trial failed and a failing schedule was kept */
  failure?: FailureReport;
}

/** Variant `a` against variant `b`. */
export interface Comparison {
  /** variant identifiers (`VariantReport.variant`) */
  a: string;
  b: string;
  /** lockup rate of a minus that of b, Newcombe's hybrid score interval */
  difference: { estimate: number; lower: number; upper: number; method: 'newcombe' };
  /**
   * syncs per wakeup of a minus that of b; absent when either had no wakeups. `ratio-cluster` (the
   * two ratio estimators' variances added, trials as clusters) when both variants have per-trial
   * second moments and some spread between trials, else `newcombe` (wakeups as independent trials)
   */
  syncsPerWakeupDifference?: {
    estimate: number;
    lower: number;
    upper: number;
    method: 'newcombe' | 'ratio-cluster';
  };
  /** two-sided p-value of Fisher's exact test on the lockup counts */
  fisherP: number;
  /** `a-higher` / `b-higher` when p < 1 - confidence, else `none` */
  direction: 'a-higher' | 'b-higher' | 'none';
  /** one line for people, e.g. `buggy locks up more often than baseline (p < 0.001)` */
  verdict: string;
}

/**
 * Which value a warning is about, so that renderers can mark it: a `VariantReport` field
 * (`trials`, `outcomes.limit`, `lockupRate`, `syncsPerWakeup`, `failure`...) or `comparisons`.
 */
export type WarningField = string;

export interface ReportWarning {
  /** stable code, e.g. `W_LIMIT`; see WARNING_CODES */
  code: string;
  message: string;
  /** what to do about it */
  remedy: string;
  /** the variants concerned: one for a variant's warning, `[a, b]` for a comparison's */
  variants?: string[];
  field?: WarningField;
}

export interface ScenarioInfo {
  name: string;
  description?: string;
  /** `built-in`, or the path of the scenario file */
  source?: string;
}

export interface CompareReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** naplab version that produced the report */
  naplabVersion: string;
  /** ISO 8601; absent when the producer wants byte-identical reruns */
  createdAt?: string;
  scenario: ScenarioInfo;
  /** memory model: `sc`, `tso`... */
  memory: string;
  /** scheduler: `uniform`, `pct:D:K`... */
  scheduler: string;
  /** PCT runs only: the rates are PCT rates (not the uniform rate), and PCT's guarantee */
  pct?: PctReport;
  /** engine: `wasm` or `reference` */
  engine: string;
  /** unsigned 32-bit seed shared by every variant's run */
  seed: number;
  /** trials requested per variant (a variant's `trials` is what actually ran) */
  trialsPerVariant: number;
  /** two-sided confidence level of every interval, e.g. 0.95 */
  confidence: number;
  /** the command line that reproduces the whole comparison */
  command: string;
  variants: VariantReport[];
  comparisons: Comparison[];
  warnings: ReportWarning[];
  /**
   * `--scheduler timed` only: cycles per wakeup, lockups per simulated hour, per variant and sync
   * cost (timed.ts). The variant rows above are then those of the first sync cost.
   */
  timed?: TimedReport;
}

/** What a report says about a PCT scheduler (SEMANTICS.md section 14 of @naplab/isa). */
export interface PctReport {
  depth: number;
  /** the step bound */
  k: number;
  /** `n`: the agents that can act */
  agents: number;
  /** `1 / (n k^(depth-1))` per trial */
  guarantee: number;
  /** the sentence every renderer prints: these are PCT rates, not the uniform rate */
  note: string;
}
