/**
 * `naplab replay <scenario>`: rerun one trial, from its seed and index or from a recorded
 * schedule, on either engine, and print it as a step list. The reference engine's trace is
 * checked against the chosen engine's result, so a replay that diverges says so.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { litmusToImage, parseLitmus, verdictOf } from '@naplab/asm';
import { referenceEngine, type TraceEvent } from '@naplab/engine-ref';
import { type Image, imageHash, type MemoryModel, type TrialResult } from '@naplab/isa';
import { TIMELINE_VOCABULARY } from '@naplab/power8-kvm';
import {
  buildTimeline,
  findStoreBuffering,
  renderTimelineHtml,
  renderTimelineSvg,
  renderTimelineText,
  storeBufferingLitmus,
} from '@naplab/timeline';
import { type OptSpec, parseOrHelp } from '../args.js';
import {
  command,
  ENGINE_OPT,
  HELP_OPT,
  JSON_OPT,
  MEMORY_OPT,
  memoryOf,
  SEED_OPT,
  VARIANT_OPTS,
} from '../common.js';
import { checkEngineSupports, loadEngine } from '../engines.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { compileVariant, loadScenario } from '../scenario.js';
import { parseSchedulerOpt, resolveScheduler, SCHEDULER_OPT } from '../scheduler.js';
import { decodeToken, isToken } from '../token.js';
import { formatStepList, namer, outcomeMessage, traceSchedule } from '../trace.js';

/** The store-buffering litmus test behind a trace, or a coded error saying there is none. */
function exportLitmus(
  image: Image,
  events: TraceEvent[],
  opts: { origin: string; memory: MemoryModel },
): ReturnType<typeof storeBufferingLitmus> {
  const p = findStoreBuffering(image, events, opts.memory);
  if (!p) {
    throw new CliError(
      'NAP051',
      opts.memory === 'sc'
        ? 'no store-buffering pattern: under sc every store is visible at once, so this violation is not caused by memory ordering'
        : "no store-buffering pattern in this trace: no two cpus each read a value from before the other one's store",
      'litmus export is for violations that need a weaker memory model, e.g. --variant nosync --memory tso',
    );
  }
  const n = namer(image);
  return storeBufferingLitmus(image, p, { origin: opts.origin, cpuName: (c) => n.cpu(c) });
}

/** A file holding a replay token (as `naplab check` or `run` print it), or undefined. */
function tokenFile(arg: string | undefined): string | undefined {
  if (arg === undefined || !existsSync(arg) || !statSync(arg).isFile() || statSync(arg).size > 1 << 20)
    return undefined;
  const text = readFileSync(arg, 'utf8').trim();
  return isToken(text) && !/\s/.test(text) ? text : undefined;
}

function writeOut(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new CliError(
      'NAP050',
      `cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'check that the directory exists and is writable',
    );
  }
}

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
  {
    name: 'format',
    type: 'string',
    choices: ['steps', 'text', 'html', 'svg'],
    default: 'steps',
    desc: 'steps: the step list; text: one lane per CPU; html, svg: a sequence diagram',
  },
  { name: 'detail', type: 'boolean', desc: 'timelines: every instruction, not only kernel-level events' },
  { name: 'out', type: 'string', arg: 'FILE', desc: 'write the output to FILE instead of stdout' },
  {
    name: 'litmus',
    type: 'string',
    arg: 'FILE',
    desc: "write the store-buffering pattern behind the violation as a PPC litmus test ('-': stdout)",
  },
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
  const parsed = parseOrHelp('replay', argv, SPECS, {
    usage:
      '<token> | <token-file> | <scenario> (--trial I [--seed S] | --schedule D,D,... | --schedule-file F) [options]',
    summary:
      'Rerun one trial and print it step by step, as CPU lanes (--format text) or a sequence diagram\n(--format html, svg).',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  const tokenText = isToken(positionals[0]) ? positionals[0] : tokenFile(positionals[0]);
  const token = tokenText ? decodeToken(tokenText) : undefined;
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
        'give the token alone (optionally with --engine, --format, --detail, --out, --json, --all-steps)',
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
  const timeline = buildTimeline(image, traced.events, {
    vocabulary: TIMELINE_VOCABULARY,
    memory,
    result: traced.result,
    message: outcomeMessage(image, traced.result.outcome, traced.result.detail),
  });
  const agree = JSON.stringify({ ...traced.result, index: 0 }) === JSON.stringify({ ...result, index: 0 });
  const message = outcomeMessage(image, result.outcome, result.detail);
  if (opts.litmus !== undefined) {
    const file = opts.litmus as string;
    const x = exportLitmus(image, traced.events, {
      memory,
      origin: `naplab: ${loaded.source}, variant ${compiled.wakeupSource}, memory ${memory}, ${result.outcome} after ${result.steps} steps`,
    });
    // check it with naplab's own litmus explorer (reference engine): the verdict per memory model
    const test = parseLitmus(file === '-' ? `${x.name}.litmus` : file, x.text);
    // sc and tso always; power too when the violation happened under power
    const models = memory === 'power' ? (['sc', 'tso', 'power'] as const) : (['sc', 'tso'] as const);
    const verdicts = models.map((m) => {
      const r = referenceEngine.explore(litmusToImage(test), { memory: m });
      const finals = r.finals.filter((f) => f.outcome === 'ok').map((f) => f.final);
      return `${verdictOf(test, finals)} under ${m}`;
    });
    if (file === '-') io.out(x.text);
    else {
      writeOut(file, x.text);
      io.out(`${x.name} written to ${file}\n`);
    }
    const info = [...x.legend, `naplab litmus: ${verdicts.join(', ')}`];
    if (file !== '-')
      info.push(
        `check it: ${command(['litmus', file, '--memory', memory === 'power' ? 'power' : 'tso'])}; herd7 -model ppc.cat ${file}`,
      );
    io.err(`${info.join('\n')}\n`);
    return agree ? 0 : 70;
  }
  const format = opts.format as string;
  const detail = Boolean(opts.detail);
  const emit = (text: string): void => {
    if (opts.out !== undefined) writeOut(opts.out as string, text);
    else io.out(text);
  };
  if (opts.json) {
    emit(
      `${JSON.stringify({ scenario: loaded.name, variant: compiled.variant, memory, engine: engine.name, trial: result, message, enginesAgree: agree, timeline }, null, 2)}\n`,
    );
  } else if (format === 'svg') {
    emit(`${renderTimelineSvg(timeline, { detail })}\n`);
  } else if (format === 'html') {
    emit(
      renderTimelineHtml(timeline, {
        title: `${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory} — ${result.outcome}`,
        subtitle: [
          `${result.steps} steps, engine ${engine.name}`,
          ...(tokenText ? [command(['replay', tokenText])] : []),
        ],
        detail,
      }),
    );
  } else if (format === 'text') {
    emit(
      `${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory}, engine ${engine.name}\n${renderTimelineText(timeline, { detail })}\n`,
    );
  } else {
    emit(
      `${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory}, engine ${engine.name}\n` +
        `outcome: ${result.outcome}${message ? ` — ${message}` : ''}\n${result.steps} steps, ${result.syncs} syncs, ${result.wakeups} wakeups\n\n` +
        `${formatStepList(image, traced.events, { all: Boolean(opts['all-steps']), memory })}\n`,
    );
  }
  if (!opts.json) {
    if (!agree)
      io.err(
        'naplab: warning: the reference engine replays this schedule to a different result than the chosen engine (an engine bug: please report it)\n',
      );
  }
  return agree ? 0 : 70;
}
