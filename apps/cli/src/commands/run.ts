/**
 * `naplab run <scenario>`: random trials of one variant on every core (uniform, or PCT with
 * `--scheduler pct:D`); outcome counts, the lockup rate with its interval (a PCT rate is labelled as
 * one, with the guarantee), and the first failures with the commands that replay them.
 */
import { rateSummary } from '@naplab/stats';
import { type OptSpec, parseOrHelp } from '../args.js';
import {
  command,
  ENGINE_OPT,
  HELP_OPT,
  JSON_OPT,
  MEMORY_OPT,
  parseShardOpt,
  SEED_OPT,
  SHARD_OPT,
  VARIANT_OPTS,
  variantWords,
  WORKERS_OPT,
} from '../common.js';
import { checkEngineSupports } from '../engines.js';
import type { Io } from '../io.js';
import { runCliJob } from '../jobs.js';
import { loadOneVariant } from '../scenario.js';
import {
  guaranteeText,
  parseSchedulerOpt,
  pctRateNote,
  resolveScheduler,
  SCHEDULER_OPT,
} from '../scheduler.js';
import { SHRINK_OPT, shrinkShortest, shrunkLine } from '../shrink.js';
import { outcomeMessage } from '../trace.js';

const SPECS: OptSpec[] = [
  ...VARIANT_OPTS,
  { name: 'trials', type: 'int', min: 1, arg: 'N', default: 100_000, desc: 'trials (over all shards)' },
  SEED_OPT,
  MEMORY_OPT,
  SCHEDULER_OPT,
  ENGINE_OPT,
  WORKERS_OPT,
  SHARD_OPT,
  { name: 'out', type: 'string', arg: 'FILE', desc: 'results file, rewritten atomically after every batch' },
  { name: 'resume', type: 'string', arg: 'FILE', desc: 'continue an interrupted run from its results file' },
  SHRINK_OPT,
  JSON_OPT,
  HELP_OPT,
];

export async function runCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseOrHelp('run', argv, SPECS, {
    usage: '<scenario> [options]',
    summary: 'Run random trials (uniform or PCT) of one wakeup variant and count the outcomes.',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  const { loaded, compiled, memory } = await loadOneVariant(positionals[0], opts);
  checkEngineSupports(opts.engine as string, memory);
  const choice = parseSchedulerOpt(opts.scheduler as string | undefined, memory, { command: 'run' });
  const seed = opts.seed as number;
  const trials = opts.trials as number;
  const shard = parseShardOpt(opts.shard as string | undefined);
  const sched = await resolveScheduler(choice, {
    engine: opts.engine as string,
    images: [compiled.image],
    memory,
    seed,
  });
  const schedWords = sched.pct ? ['--scheduler', sched.label] : [];
  const words = [
    'run',
    loaded.source,
    ...variantWords(compiled.variant, compiled.wakeupSource),
    '--trials',
    trials,
    '--seed',
    seed,
    '--memory',
    memory,
    ...schedWords,
    '--engine',
    opts.engine as string,
    ...(opts.shard ? ['--shard', opts.shard as string] : []),
  ];
  const file = (opts.resume ?? opts.out) as string | undefined;
  const r = await runCliJob(
    {
      image: compiled.image,
      memory,
      seed,
      trials,
      engine: opts.engine as 'wasm' | 'reference',
      shard,
      scheduler: sched.spec,
      label: {
        scenario: loaded.name,
        source: loaded.source,
        variant: compiled.variant,
        wakeup: compiled.wakeupSource,
      },
      maxFailures: 10,
    },
    {
      workers: opts.workers as number | undefined,
      out: opts.out as string | undefined,
      resume: opts.resume as string | undefined,
      tag: compiled.variant,
      resumeCommand: file ? command([...words, '--resume', file]) : undefined,
      quiet: Boolean(opts.json),
    },
    io,
  );
  const res = r.results;
  const a = res.aggregates;
  const rate = rateSummary(a.outcomes.lockup, Math.max(a.trials, 1));
  const failures = res.failures.map((f) => ({
    trial: f.index,
    outcome: f.outcome,
    message: outcomeMessage(compiled.image, f.outcome, f.detail),
    steps: f.steps,
    schedule: f.schedule,
    replay: command([
      'replay',
      loaded.source,
      ...variantWords(compiled.variant, compiled.wakeupSource),
      '--memory',
      memory,
      ...schedWords,
      '--seed',
      seed,
      '--trial',
      f.index,
    ]),
  }));
  const shrunk = shrinkShortest(compiled.image, memory, res.failures, {
    scenario: loaded.source,
    variant: compiled.variant,
    wakeup: compiled.wakeupSource,
    maxRuns: opts['shrink-runs'] as number,
  });
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          scenario: loaded.name,
          source: loaded.source,
          variant: compiled.variant,
          wakeup: compiled.wakeupSource,
          memory,
          scheduler: sched.label,
          ...(sched.pct ? { pct: { ...sched.pct, note: pctRateNote(sched.label) } } : {}),
          engine: opts.engine,
          seed,
          trials: a.trials,
          range: res.job.range,
          complete: !r.interrupted,
          outcomes: a.outcomes,
          lockupRate: {
            scheduler: sched.label,
            estimate: rate.estimate,
            lower: rate.wilson.lower,
            upper: rate.wilson.upper,
            method: 'wilson',
            ruleOfThreeUpper: rate.ruleOfThree?.upper,
          },
          steps: a.steps,
          syncs: a.syncs,
          wakeups: a.wakeups,
          counters: Object.fromEntries(compiled.image.counters.map((c, i) => [c, a.counters[i] ?? 0])),
          failures,
          shrunk: shrunk ?? null,
          out: r.out ?? null,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const [from, to] = res.job.range;
    io.out(
      `${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory}${sched.pct ? `, scheduler ${sched.label}` : ''}, engine ${opts.engine}, seed ${seed}, trials [${from}, ${to})${r.interrupted ? ' (INTERRUPTED)' : ''}\n`,
    );
    io.out(
      `outcomes: ${Object.entries(a.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join('  ')}\n`,
    );
    if (sched.pct) {
      const p = sched.pct;
      const kFrom =
        p.kFrom === 'pilot' ? `max steps of uniform trials [0, ${p.pilot!.trials}) of seed ${seed}` : 'given';
      io.out(`note: ${pctRateNote(sched.label)}\n`);
      io.out(`PCT guarantee: ${guaranteeText(p)}; k: ${kFrom}\n`);
      if (a.maxSteps > p.k) {
        io.out(
          `note: some trials ran longer than k (up to ${a.maxSteps} steps); past k a trial continues under the uniform scheduler, and the guarantee covers only bugs that show within the first k steps\n`,
        );
      }
    }
    io.out(
      `${sched.pct ? `lockup rate under ${sched.label} (PCT, not the uniform rate)` : 'lockup rate'}: ${rate.text} (95%, Wilson${rate.ruleOfThree ? `; rule of three: < ${rate.ruleOfThree.upper.toPrecision(2)}` : ''})\n`,
    );
    io.out(
      `steps/trial: ${(a.steps / Math.max(a.trials, 1)).toFixed(1)}   syncs: ${a.syncs}   wakeups: ${a.wakeups}\n`,
    );
    if (failures.length) {
      io.out(`first failures by trial index (${failures.length} kept):\n`);
      for (const f of failures)
        io.out(
          `  trial ${f.trial}: ${f.outcome} after ${f.steps} steps — ${f.message}\n    replay: ${f.replay}\n`,
        );
    }
    if (shrunk) io.out(`${shrunkLine(shrunk)}\n  replay: ${shrunk.replay}\n`);
    if (r.out) io.out(`results: ${r.out}\n`);
  }
  return r.interrupted ? 130 : 0;
}
