/**
 * The `--scheduler`, `--sync-cost`, `--cost` and `--watchdog-thresh` options of the scenario
 * commands, and the timed part of a comparison's report input. Error codes NAP041-NAP045
 * (docs/errors.md, command line section).
 */
import { readFileSync } from 'node:fs';
import {
  type CostModel,
  DEFAULT_WATCHDOG_THRESH,
  hasTrialMoments,
  type Image,
  isDispatchCounter,
  type LatencyStats,
  latencyQuantile,
  mergeLatency,
  POWER8_COST_MODEL,
  type TimedSpec,
  validateCostModel,
  validateTimedSpec,
  withSyncCost,
} from '@naplab/isa';
import type { LatencyInput, TimedRunInput } from '@naplab/report';
import type { Results } from '@naplab/runner';
import type { OptSpec } from './args.js';
import { CliError } from './errors.js';
import type { SchedulerChoice } from './scheduler.js';
import { wakeupMoments } from './variant-input.js';

/** Timed's own options (`--scheduler` itself is scheduler.ts's, shared with PCT). */
export const TIMED_OPTS: OptSpec[] = [
  {
    name: 'sync-cost',
    type: 'string',
    arg: 'C,C,...',
    desc: 'timed: cycles of one sync (a list sweeps it; default: the cost model, 100)',
  },
  {
    name: 'cost',
    type: 'string',
    arg: 'FILE.json',
    desc: 'timed: a whole cost model (packages/isa/COST-MODEL.md)',
  },
  {
    name: 'watchdog-thresh',
    type: 'int',
    arg: 'S',
    desc: `timed: the kernel's watchdog_thresh in seconds (default: the scenario's, else ${DEFAULT_WATCHDOG_THRESH})`,
  },
];

/** `--sync-cost 50,100,200`: distinct non-negative integers, in the order given. */
export function parseSyncCosts(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const out: number[] = [];
  parts.forEach((p, i) => {
    if (!/^\d+$/.test(p) || Number(p) > 1 << 30) {
      throw new CliError(
        'NAP041',
        `'--sync-cost ${text}': item ${i + 1} ('${p}') is not a whole number of cycles in 0..${1 << 30}`,
        "e.g. '--sync-cost 50,100,200,400'",
      );
    }
    if (out.includes(Number(p)))
      throw new CliError('NAP041', `'--sync-cost ${text}': ${p} appears twice`, 'list each sync cost once');
    out.push(Number(p));
  });
  return out;
}

/** `--cost FILE.json`: a whole cost model, checked field by field. */
export function loadCostModel(path: string): CostModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError('NAP042', `cannot read cost model '${path}': ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(
      'NAP042',
      `cost model '${path}' is not valid JSON: ${(e as Error).message}`,
      'see packages/isa/COST-MODEL.md for the fields',
    );
  }
  try {
    validateCostModel(value);
  } catch (e) {
    if (e instanceof RangeError)
      throw new CliError('NAP043', `${path}: ${e.message}`, 'see packages/isa/COST-MODEL.md for the fields');
    throw e;
  }
  return value;
}

export interface TimedPlan {
  base: CostModel;
  syncCosts: number[];
  watchdogThresh: number;
  specs: TimedSpec[];
}

/** The timed runs the options ask for; refuses timed-only options without `--scheduler timed`. */
export function timedPlan(
  choice: SchedulerChoice,
  opts: Record<string, unknown>,
  scenarioThresh: number | undefined,
): TimedPlan | undefined {
  if (choice.kind !== 'timed') {
    for (const k of ['sync-cost', 'cost', 'watchdog-thresh'])
      if (opts[k] !== undefined)
        throw new CliError('NAP044', `'--${k}' needs '--scheduler timed'`, "add '--scheduler timed'");
    return undefined;
  }
  const base = opts.cost ? loadCostModel(opts.cost as string) : POWER8_COST_MODEL;
  const syncCosts = opts['sync-cost'] ? parseSyncCosts(opts['sync-cost'] as string) : [base.instr.sync];
  const watchdogThresh =
    (opts['watchdog-thresh'] as number | undefined) ?? scenarioThresh ?? DEFAULT_WATCHDOG_THRESH;
  const specs = syncCosts.map(
    (c): TimedSpec => ({ kind: 'timed', cost: withSyncCost(base, c), watchdogThresh }),
  );
  for (const s of specs) {
    try {
      validateTimedSpec(s);
    } catch (e) {
      if (e instanceof RangeError)
        throw new CliError('NAP045', e.message, "'--watchdog-thresh' takes 1..60 seconds, like the kernel's");
      throw e;
    }
  }
  return { base, syncCosts, watchdogThresh, specs };
}

/** The dispatch counters: the model's `wakeup_to_*` counters (cycles from the wakeup to them). */
export function dispatchCounters(image: Image): string[] {
  return image.counters.filter(isDispatchCounter);
}

/** The report's input for one latency; the per-trial moments need the run's trial count. */
function latencyInput(s: LatencyStats, trials: number): LatencyInput {
  return {
    ...(hasTrialMoments(s)
      ? { trialMoments: { trials, sumSq: s.trialSumSq, countSq: s.trialCountSq, cross: s.trialCross } }
      : {}),
    n: s.n,
    sum: s.sum,
    sumSq: s.sumSq,
    min: s.min,
    max: s.max,
    p50: s.n ? latencyQuantile(s, 0.5) : 0,
    p90: s.n ? latencyQuantile(s, 0.9) : 0,
    p99: s.n ? latencyQuantile(s, 0.99) : 0,
  };
}

/** One variant's timed results at one sync cost, as the report's input. */
export function timedRunInput(
  variant: string,
  label: string,
  syncCost: number,
  image: Image,
  results: Results,
): TimedRunInput {
  const a = results.aggregates;
  const moments = wakeupMoments(image, results);
  const t = a.timed;
  if (!t) throw new Error(`internal: the ${variant} results have no timed aggregates`);
  const counter = (name: string) => {
    const i = image.counters.indexOf(name);
    return i < 0 ? 0 : (a.counters[i] ?? 0);
  };
  const paths: Record<string, LatencyInput> = {};
  // without the engines' dispatch block (older results) the paths merge, but their per-trial
  // moments do not add up to the moments of all paths together: they are dropped
  let all: LatencyStats = { n: 0, sum: 0, sumSq: 0, min: 0, max: 0, hist: [] };
  for (const c of dispatchCounters(image)) {
    const s = t.latency[image.counters.indexOf(c)]!;
    paths[c] = latencyInput(s, a.trials);
    all = mergeLatency(all, { ...s, trialSumSq: undefined, trialCountSq: undefined, trialCross: undefined });
  }
  if (t.dispatch) all = t.dispatch;
  return {
    variant,
    label,
    syncCost,
    trials: a.trials,
    lockups: a.outcomes.lockup,
    cycles: t.cycles,
    wakeups: counter('wakeup'),
    wakeupSync: counter('wakeup_sync'),
    wakeupSkipSync: counter('wakeup_skip_sync'),
    paths,
    perWakeup: latencyInput(all, a.trials),
    watchdog: { ...t.watchdog },
    ...(moments ? { moments } : {}),
  };
}
