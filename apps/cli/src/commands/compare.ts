/**
 * `naplab compare <scenario>`: the flagship. Runs every wakeup variant on the same seed (common
 * random numbers: trial i of every variant draws from the same generator) and reports lockup rates
 * with intervals, syncs per wakeup, the shortest counterexample kept for each failing variant and
 * the command that replays it. Measuring (runner, stats) is here; presenting is @naplab/report.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SchedulerSpec } from '@naplab/isa';
import { WAKEUP_VARIANTS } from '@naplab/power8-kvm';
import {
  buildCompareReport,
  buildTimedReport,
  type CompareReport,
  renderTable,
  reportToJSON,
  writeReportDir,
} from '@naplab/report';
import { type Results, readResultsFile } from '@naplab/runner';
import { renderTimelineHtml } from '@naplab/timeline';
import { type OptSpec, parseOrHelp } from '../args.js';
import {
  command,
  ENGINE_OPT,
  HELP_OPT,
  JSON_OPT,
  MEMORY_OPT,
  memoryOf,
  parseShardOpt,
  SEED_OPT,
  SHARD_OPT,
  WORKERS_OPT,
} from '../common.js';
import { checkEngineSupports } from '../engines.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { runCliJob } from '../jobs.js';
import { compileVariant, loadScenario, parseVariants } from '../scenario.js';
import {
  guaranteeText,
  parseSchedulerOpt,
  pctRateNote,
  resolveScheduler,
  SCHEDULER_OPT_TIMED,
} from '../scheduler.js';
import { SHRINK_OPT } from '../shrink.js';
import { TIMED_OPTS, timedPlan, timedRunInput } from '../timed.js';
import { timelineOf } from '../timeline.js';
import { type VariantRun, variantInput } from '../variant-input.js';
import { version } from '../version.js';

const SPECS: OptSpec[] = [
  {
    name: 'variants',
    type: 'string',
    arg: 'V,V,...',
    default: WAKEUP_VARIANTS.join(','),
    desc: 'wakeup variants to compare',
  },
  {
    name: 'wakeup',
    type: 'string',
    arg: 'FILE.s',
    desc: 'also compare your own wakeup section (as variant "custom")',
  },
  {
    name: 'trials',
    type: 'int',
    min: 1,
    arg: 'N',
    default: 100_000,
    desc: 'trials per variant (over all shards)',
  },
  SEED_OPT,
  MEMORY_OPT,
  SCHEDULER_OPT_TIMED,
  ...TIMED_OPTS,
  ENGINE_OPT,
  WORKERS_OPT,
  SHARD_OPT,
  {
    name: 'out',
    type: 'string',
    arg: 'DIR',
    desc: 'keep one results file per variant in DIR, rewritten after every batch',
  },
  {
    name: 'resume',
    type: 'string',
    arg: 'DIR',
    desc: 'continue an interrupted comparison from its --out DIR',
  },
  {
    name: 'report',
    type: 'string',
    arg: 'DIR',
    desc: 'write report.md, report.json and report.html into DIR',
  },
  SHRINK_OPT,
  JSON_OPT,
  HELP_OPT,
];

export async function compareCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseOrHelp('compare', argv, SPECS, {
    usage: '<scenario> [options]',
    summary: 'Compare wakeup variants: lockup rates with intervals, syncs per wakeup, counterexamples.',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  const loaded = await loadScenario(positionals[0]);
  const variants = parseVariants(opts.variants as string);
  const memory = memoryOf(opts, loaded);
  const choice = parseSchedulerOpt(opts.scheduler as string | undefined, memory, { timed: true });
  const plan = timedPlan(choice, opts, loaded.scenario.watchdogThresh);
  checkEngineSupports(opts.engine as string, memory);
  const seed = opts.seed as number;
  const trials = opts.trials as number;
  const shard = parseShardOpt(opts.shard as string | undefined);
  const engine = opts.engine as 'wasm' | 'reference';
  if (opts.out && opts.resume)
    throw new CliError(
      'NAP004',
      "'--out' and '--resume' both name the results directory",
      'give --resume DIR alone to continue',
    );
  const dir = (opts.resume ?? opts.out) as string | undefined;
  if (opts.resume && !existsSync(opts.resume as string))
    throw new CliError('NAP006', `cannot resume: '${opts.resume}' does not exist`);

  if (opts.out) mkdirSync(opts.out as string, { recursive: true });
  const compiled = variants.map((v) => compileVariant(loaded, { variant: v }));
  if (opts.wakeup) compiled.push(compileVariant(loaded, { wakeup: opts.wakeup as string }));
  // one k for every variant (the largest pilot estimate), so their PCT rates compare
  const sched = await resolveScheduler(choice, {
    engine,
    images: compiled.map((c) => c.image),
    memory,
    seed,
  });
  const schedWords = sched.pct ? ['--scheduler', sched.label] : [];

  const words = [
    'compare',
    loaded.source,
    '--variants',
    variants.join(','),
    ...(opts.wakeup ? ['--wakeup', opts.wakeup as string] : []),
    '--trials',
    trials,
    '--seed',
    seed,
    '--memory',
    memory,
    ...schedWords,
    '--engine',
    engine,
    ...(plan
      ? [
          '--scheduler',
          'timed',
          '--sync-cost',
          plan.syncCosts.join(','),
          '--watchdog-thresh',
          plan.watchdogThresh,
          ...(opts.cost ? ['--cost', opts.cost as string] : []),
        ]
      : []),
    ...(opts.shard ? ['--shard', opts.shard as string] : []),
  ];
  const runs: VariantRun[] = [];
  // timed: every variant at every sync cost; the report's variant rows are those of the first cost
  const timedRuns: { run: VariantRun; syncCost: number }[] = [];
  const passes: { spec: SchedulerSpec; syncCost?: number }[] = plan
    ? plan.specs.map((spec, i) => ({ spec, syncCost: plan.syncCosts[i]! }))
    : [{ spec: sched.spec }];
  let interrupted = false;
  outer: for (const pass of passes) {
    for (const c of compiled) {
      const suffix = pass.syncCost === undefined || passes.length === 1 ? '' : `.sync${pass.syncCost}`;
      const file = dir ? join(dir, `${c.variant}${suffix}.results.json`) : undefined;
      const resuming = Boolean(opts.resume) && file !== undefined && existsSync(file);
      let results: Results;
      const existing = resuming ? await readResultsFile(file!) : undefined;
      if (existing && isDone(existing)) {
        results = existing;
      } else {
        const r = await runCliJob(
          {
            image: c.image,
            memory,
            seed,
            trials,
            engine,
            shard,
            scheduler: pass.spec,
            label: {
              scenario: loaded.name,
              source: loaded.source,
              variant: c.variant,
              wakeup: c.wakeupSource,
              ...(pass.syncCost === undefined ? {} : { syncCost: pass.syncCost }),
            },
            maxFailures: 20,
          },
          {
            workers: opts.workers as number | undefined,
            out: resuming ? undefined : file,
            resume: resuming ? file : undefined,
            tag: pass.syncCost === undefined ? c.variant : `${c.variant}, sync ${pass.syncCost}`,
            resumeCommand: dir ? command([...words, '--resume', dir]) : undefined,
            quiet: Boolean(opts.json),
          },
          io,
        );
        results = r.results;
        if (r.interrupted) {
          interrupted = true;
          break outer;
        }
      }
      const run = { variant: c.variant, wakeupSource: c.wakeupSource, image: c.image, results };
      if (pass === passes[0]) runs.push(run);
      if (pass.syncCost !== undefined) timedRuns.push({ run, syncCost: pass.syncCost });
    }
  }
  if (interrupted) return 130;

  const report: CompareReport = buildCompareReport({
    naplabVersion: version(),
    createdAt: new Date().toISOString(),
    scenario: {
      name: loaded.name,
      description: loaded.scenario.description,
      source: loaded.builtin ? 'built-in' : loaded.source,
    },
    memory,
    scheduler: plan ? 'timed' : sched.label,
    ...(sched.pct
      ? {
          pct: {
            depth: sched.pct.depth,
            k: sched.pct.k,
            agents: sched.pct.agents,
            guarantee: sched.pct.guarantee,
            note: `${pctRateNote(sched.label)}. Guarantee: ${guaranteeText(sched.pct)}.`,
          },
        }
      : {}),
    engine,
    seed,
    trialsPerVariant: trials,
    command: command(words),
    variants: runs.map((r) =>
      variantInput(r, {
        scenarioSource: loaded.source,
        memory,
        seed,
        timeline: true,
        schedulerWords: schedWords,
        bySchedule: Boolean(plan),
        shrinkRuns: opts['shrink-runs'] as number,
      }),
    ),
  });
  if (plan) {
    const label = (v: string) => report.variants.find((x) => x.variant === v)?.label ?? v;
    report.timed = buildTimedReport({
      costModel: plan.base.name,
      cyclesPerUs: plan.base.cyclesPerUs,
      watchdogThresh: plan.watchdogThresh,
      syncCosts: plan.syncCosts,
      confidence: report.confidence,
      runs: timedRuns.map(({ run, syncCost }) =>
        timedRunInput(run.variant, label(run.variant), syncCost, run.image, run.results),
      ),
    });
  }
  if (opts.report) {
    // one timeline page per failing variant (the schedule kept in the report)
    const timelinesHtml: Record<string, string> = {};
    for (const v of report.variants) {
      const run = runs.find((x) => x.variant === v.variant);
      if (!v.failure || !run) continue;
      const { timeline } = timelineOf(run.image, memory, v.failure.schedule);
      timelinesHtml[v.variant] = renderTimelineHtml(timeline, {
        title: `${loaded.name}: ${v.label} — counterexample timeline`,
        subtitle: [v.failure.replayCommand],
      });
    }
    const written = await writeReportDir(opts.report as string, report, { timelinesHtml });
    if (!opts.json)
      io.err(
        `report written: ${Object.values(written)
          .filter((x) => typeof x === 'string')
          .join(', ')}\n`,
      );
  }
  if (opts.json) io.out(reportToJSON(report));
  else io.out(renderTable(report, { color: io.isTTY }));
  return 0;
}

function isDone(r: Results): boolean {
  const [from, to] = r.job.range;
  return r.completed.length === 1 && r.completed[0]![0] === from && r.completed[0]![1] === to;
}
