/** Turns one variant's runner results into the report's input: counts, and the shortest failure. */
import { counterPairIndex, type Image, type MemoryModel } from '@naplab/isa';
import type { VariantInput, WakeupMoments } from '@naplab/report';
import type { Results } from '@naplab/runner';
import { command, variantWords } from './common.js';
import { shrinkShortest } from './shrink.js';
import { timelineOf } from './timeline.js';
import { formatStepList, outcomeMessage, traceSchedule } from './trace.js';

export interface VariantRun {
  variant: string;
  wakeupSource: string;
  image: Image;
  results: Results;
}

export function counterValue(image: Image, results: Results, name: string): number {
  const i = image.counters.indexOf(name);
  return i < 0 ? 0 : (results.aggregates.counters[i] ?? 0);
}

/**
 * The per-trial second moments of the counters `wakeup`, `wakeup_sync` and `wakeup_skip_sync` (the
 * report's wakeups, syncs and skips), from the aggregates' `countersSq` and `countersCross`. A
 * counter the image lacks counts 0 in every trial. Undefined when the results lack them (written
 * before they were aggregated, or merged with such results): the report then falls back to
 * intervals that treat wakeups as independent.
 */
export function wakeupMoments(image: Image, results: Results): WakeupMoments | undefined {
  const { countersSq, countersCross } = results.aggregates;
  const n = image.counters.length;
  const w = image.counters.indexOf('wakeup');
  if (!countersSq || !countersCross || w < 0) return undefined;
  const sq = (i: number) => (i < 0 ? 0 : (countersSq[i] ?? 0));
  const withWakeups = (i: number) => (i < 0 ? 0 : (countersCross[counterPairIndex(n, i, w)] ?? 0));
  const sync = image.counters.indexOf('wakeup_sync');
  const skip = image.counters.indexOf('wakeup_skip_sync');
  return {
    wakeupsSq: sq(w),
    syncsSq: sq(sync),
    syncsWakeups: withWakeups(sync),
    skipsSq: sq(skip),
    skipsWakeups: withWakeups(skip),
  };
}

export function variantInput(
  run: VariantRun,
  ctx: {
    scenarioSource: string;
    memory: MemoryModel;
    seed: number;
    timeline: boolean;
    /** `--scheduler` words that rerun a trial by seed and index (PCT runs) */
    schedulerWords?: string[];
    /** replay by the recorded decisions (a timed trial cannot be rerun as a uniform one) */
    bySchedule?: boolean;
    /** replays spent shrinking the kept failure (0 or absent: no shrinking) */
    shrinkRuns?: number;
  },
): VariantInput {
  const { image, results } = run;
  const a = results.aggregates;
  const counters = Object.fromEntries(image.counters.map((c, i) => [c, a.counters[i] ?? 0]));
  const input: VariantInput = {
    variant: run.variant,
    wakeupSource: run.wakeupSource,
    outcomes: { ...a.outcomes },
    steps: a.steps,
    stepsSq: a.stepsSq,
    maxSteps: a.maxSteps,
    syncs: a.syncs,
    // the wakeup section of pnv_powersave_wakeup counts each pass, and whether it ran its sync
    wakeups: counterValue(image, results, 'wakeup'),
    wakeupSyncs: counterValue(image, results, 'wakeup_sync'),
    wakeupSkips: counterValue(image, results, 'wakeup_skip_sync'),
    counters,
  };
  const moments = wakeupMoments(image, results);
  if (moments) input.wakeupMoments = moments;
  const failing = results.failures.filter((f) => f.outcome !== 'ok');
  if (failing.length > 0) {
    // the shortest schedule among the failures kept (ties: the lowest trial index)
    const best = failing.reduce((b, f) => (f.schedule.length < b.schedule.length ? f : b));
    const replayCommand = command([
      'replay',
      ctx.scenarioSource,
      ...variantWords(run.variant, run.wakeupSource),
      '--memory',
      ctx.memory,
      ...(ctx.bySchedule
        ? ['--schedule', best.schedule.join(',')]
        : [...(ctx.schedulerWords ?? []), '--seed', ctx.seed, '--trial', best.index]),
    ]);
    input.failure = {
      outcome: best.outcome as Exclude<typeof best.outcome, 'ok'>,
      message: outcomeMessage(image, best.outcome, best.detail),
      trial: best.index,
      seed: ctx.seed,
      schedule: best.schedule,
      replayCommand,
      shortestOf: failing.length,
      timeline: ctx.timeline
        ? formatStepList(image, traceSchedule(image, ctx.memory, best.schedule).events, {
            memory: ctx.memory,
          })
        : undefined,
    };
    if (input.failure.timeline === undefined) delete input.failure.timeline;
    if (ctx.timeline) input.failure.sequence = timelineOf(image, ctx.memory, best.schedule).timeline;
    const shrunk = shrinkShortest(image, ctx.memory, [best], {
      scenario: ctx.scenarioSource,
      variant: run.variant,
      wakeup: run.wakeupSource,
      maxRuns: ctx.shrinkRuns ?? 0,
    });
    if (shrunk)
      input.failure.shrunk = {
        stepsBefore: shrunk.stepsBefore,
        steps: shrunk.steps,
        scheduleLength: shrunk.length,
        schedule: shrunk.schedule,
        replayCommand: shrunk.replay,
      };
  }
  return input;
}
