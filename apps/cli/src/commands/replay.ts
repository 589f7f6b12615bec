/**
 * `naplab replay <scenario>`: rerun one trial, from its seed and index or from a recorded
 * schedule, on either engine, and print it as a step list. The reference engine's trace is
 * checked against the chosen engine's result, so a replay that diverges says so.
 */
import { readFileSync } from 'node:fs';
import { imageHash, type TrialResult } from '@naplab/isa';
import { helpText, type OptSpec, parseArgs } from '../args.js';
import { ENGINE_OPT, HELP_OPT, JSON_OPT, MEMORY_OPT, memoryOf, SEED_OPT, VARIANT_OPTS } from '../common.js';
import { checkEngineSupports, loadEngine } from '../engines.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { compileVariant, loadScenario } from '../scenario.js';
import { parseSchedulerOpt, resolveScheduler, SCHEDULER_OPT } from '../scheduler.js';
import { decodeToken, isToken } from '../token.js';
import { formatStepList, outcomeMessage, traceSchedule } from '../trace.js';

const SPECS: OptSpec[] = [
  ...VARIANT_OPTS,
  MEMORY_OPT,
  ENGINE_OPT,
  SEED_OPT,
  { ...SCHEDULER_OPT, desc: `the scheduler the trial ran under (with --trial): ${SCHEDULER_OPT.desc}` },
  { name: 'trial', type: 'int', min: 0, arg: 'I', desc: 'the trial index to rerun (with --seed)' },
  {
    name: 'schedule',
    type: 'string',
    arg: 'D,D,...',
    desc: 'a recorded schedule: comma-separated decisions',
  },
  { name: 'schedule-file', type: 'string', arg: 'FILE', desc: 'a file holding a recorded schedule' },
  { name: 'all-steps', type: 'boolean', desc: 'list every step, not only those with an effect' },
  JSON_OPT,
  HELP_OPT,
];

export function parseSchedule(text: string, where: string): number[] {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter((p) => p !== '');
  return parts.map((p, i) => {
    if (!/^\d+$/.test(p)) {
      throw new CliError(
        'NAP015',
        `${where}: decision ${i + 1} is '${p}', expected a non-negative integer`,
        'a schedule is a comma-separated list of integers',
      );
    }
    return Number(p);
  });
}

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const { positionals, opts } = parseArgs('replay', argv, SPECS);
  if (opts.help) {
    io.out(
      helpText(
        'replay',
        '<token> | <scenario> (--trial I [--seed S] | --schedule D,D,... | --schedule-file F) [options]',
        'Rerun one trial and print it step by step.',
        SPECS,
      ),
    );
    return 0;
  }
  const token = isToken(positionals[0]) ? decodeToken(positionals[0]) : undefined;
  if (token) {
    // a token carries everything: the scenario, the variant, the memory model and the decisions
    if (
      opts.variant !== undefined ||
      opts.wakeup !== undefined ||
      opts.memory !== undefined ||
      opts.trial !== undefined ||
      opts.schedule !== undefined
    ) {
      throw new CliError(
        'NAP004',
        'a replay token already names the scenario, variant, memory model and schedule',
        'give the token alone (optionally with --engine, --json, --all-steps)',
      );
    }
    opts.variant = token.variant === 'custom' ? undefined : token.variant;
    opts.wakeup = token.variant === 'custom' ? token.wakeup : undefined;
    opts.memory = token.memory;
    opts.schedule = token.decisions.join(',');
  }
  const sources = [
    opts.trial !== undefined,
    opts.schedule !== undefined,
    opts['schedule-file'] !== undefined,
  ].filter(Boolean).length;
  if (sources !== 1)
    throw new CliError(
      'NAP005',
      'give exactly one of --trial, --schedule, --schedule-file',
      "e.g. 'naplab replay power8-cede --variant buggy --seed 1 --trial 42'",
    );
  const loaded = await loadScenario(token ? token.scenario : positionals[0]);
  const compiled = compileVariant(loaded, {
    variant: opts.variant as string | undefined,
    wakeup: opts.wakeup as string | undefined,
  });
  const memory = memoryOf(opts, loaded);
  const image = compiled.image;
  if (token && imageHash(image) !== token.image) {
    throw new CliError(
      'NAP018',
      `the image changed since this token was recorded (${token.scenario}, variant ${token.variant}: hash ${imageHash(image)}, token ${token.image})`,
      'the scenario, its model sources or the wakeup file were edited; record a new counterexample on the current image',
    );
  }
  checkEngineSupports(opts.engine as string, memory);
  const engine = await loadEngine(opts.engine as string);
  let result: TrialResult;
  const choice = parseSchedulerOpt(opts.scheduler as string | undefined, memory, { command: 'replay' });
  if (choice.kind !== 'uniform' && opts.trial === undefined) {
    throw new CliError(
      'NAP004',
      `'--scheduler ${opts.scheduler}' applies to --trial only: a recorded schedule replays under any scheduler`,
      'leave --scheduler out when replaying a schedule or a token',
    );
  }
  if (opts.trial !== undefined) {
    const t = opts.trial as number;
    const sched = await resolveScheduler(choice, {
      engine: opts.engine as string,
      images: [image],
      memory,
      seed: opts.seed as number,
    });
    result = engine.runTrials(image, {
      memory,
      scheduler: sched.spec,
      seed: opts.seed as number,
      from: t,
      to: t + 1,
      record: 'all',
    }).trials[0]!;
  } else {
    let schedule: number[];
    if (opts.schedule !== undefined) schedule = parseSchedule(opts.schedule as string, '--schedule');
    else {
      const f = opts['schedule-file'] as string;
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        throw new CliError(
          'NAP006',
          `cannot read '${f}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      schedule = parseSchedule(text, f);
    }
    try {
      result = engine.runTrials(image, {
        memory,
        scheduler: { kind: 'replay', schedule },
        seed: 0,
        from: 0,
        to: 1,
        record: 'all',
      }).trials[0]!;
    } catch (e) {
      if ((e as Error).name === 'ReplayDivergence' || /diverged/.test((e as Error).message)) {
        throw new CliError(
          'NAP016',
          `the schedule does not fit this image: ${(e as Error).message}`,
          'was it recorded on another scenario, variant or memory model?',
        );
      }
      throw e;
    }
  }
  const traced = traceSchedule(image, memory, result.schedule);
  const agree = JSON.stringify({ ...traced.result, index: 0 }) === JSON.stringify({ ...result, index: 0 });
  const message = outcomeMessage(image, result.outcome, result.detail);
  if (opts.json) {
    io.out(
      `${JSON.stringify({ scenario: loaded.name, variant: compiled.variant, memory, engine: engine.name, trial: result, message, enginesAgree: agree }, null, 2)}\n`,
    );
  } else {
    io.out(`${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory}, engine ${engine.name}\n`);
    io.out(
      `outcome: ${result.outcome}${message ? ` — ${message}` : ''}\n${result.steps} steps, ${result.syncs} syncs, ${result.wakeups} wakeups\n\n`,
    );
    io.out(`${formatStepList(image, traced.events, { all: Boolean(opts['all-steps']) })}\n`);
    if (!agree)
      io.err(
        'naplab: warning: the reference engine replays this schedule to a different result than the chosen engine (an engine bug: please report it)\n',
      );
  }
  return agree ? 0 : 70;
}
