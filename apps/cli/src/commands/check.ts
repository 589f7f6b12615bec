/**
 * `naplab check <scenario>`: exhaustive exploration of one wakeup variant. Says `holds` or
 * `violated`, with the states explored, the violation's outcome and kernel-style message, and its
 * schedule as a readable step list.
 */

import { unlinkSync } from 'node:fs';
import { concretizeFootprint, replayTrial } from '@naplab/engine-ref';
import {
  type Engine,
  type ExploreCheckpoint,
  type ExploreProgress,
  type ExploreResult,
  type Image,
  imageHash,
  type MemoryModel,
  type RefinedFootprint,
  refineFootprint,
  STATUS_NAPPING,
  type TrialResult,
} from '@naplab/isa';
import { renderTimelineText } from '@naplab/timeline';
import { type OptSpec, parseOrHelp } from '../args.js';
import { type CheckpointSubject, readCheckpointFile, writeCheckpointFile } from '../checkpoint-file.js';
import {
  command,
  ENGINE_OPT,
  HELP_OPT,
  JSON_OPT,
  MEMORY_OPT,
  SEED_OPT,
  VARIANT_OPTS,
  variantWords,
} from '../common.js';
import { checkEngineSupports, loadEngine } from '../engines.js';
import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { loadOneVariant } from '../scenario.js';
import { SHRINK_OPT, type ShrunkFailure, shrinkShortest } from '../shrink.js';
import { timelineOf } from '../timeline.js';
import { encodeToken } from '../token.js';
import { formatStepList, namer, outcomeMessage, traceSchedule } from '../trace.js';

const SPECS: OptSpec[] = [
  ...VARIANT_OPTS,
  MEMORY_OPT,
  ENGINE_OPT,
  {
    name: 'max-states',
    type: 'int',
    min: 1,
    arg: 'N',
    desc: "stop after N distinct states (default: the scenario's limit)",
  },
  {
    name: 'steps',
    type: 'boolean',
    desc: 'print the counterexample as a step list instead of a timeline',
  },
  {
    name: 'all-steps',
    type: 'boolean',
    desc: 'list every step of the counterexample, not only those with an effect',
  },
  {
    name: 'dfs',
    type: 'boolean',
    desc: 'report the first violation in depth-first order (skip the breadth-first shortest pass)',
  },
  {
    name: 'max-memory',
    type: 'int',
    min: 1,
    max: 4096,
    arg: 'MIB',
    desc: "cap the WebAssembly engine's memory at MIB MiB (default 4096); a search that needs more stops there and reports what it found (inconclusive)",
  },
  {
    name: 'reduce',
    type: 'boolean',
    desc: 'partial-order reduction (sc, tso): a thread whose next step touches only its own registers steps alone; same verdict, outcomes and shortest length, fewer states (SEMANTICS.md 17)',
  },
  {
    name: 'bfs-if-cut',
    type: 'boolean',
    desc: 'when a bound cuts the search before any violation, also search breadth-first (up to the same number of states, or --bfs-max-states): a violation, or how short none can be',
  },
  {
    name: 'bfs-max-states',
    type: 'int',
    min: 1,
    arg: 'N',
    desc: 'stop the breadth-first shortest pass after N distinct states (default: as --max-states); a lower bound on the shortest violation needs many more states than the depth-first search',
  },
  {
    name: 'sample-if-cut',
    type: 'int',
    min: 1,
    arg: 'N',
    desc: 'when a bound cuts the search before any violation, run up to N uniform random trials (seed --seed) looking for one: a failing trial is a counterexample, so the verdict is then violated (shrunk, replayable); none found proves nothing',
  },
  { ...SEED_OPT, desc: 'seed of the --sample-if-cut and --confirm-trials trials (unsigned 32-bit)' },
  {
    name: 'footprint',
    type: 'boolean',
    desc: "--memory power: search the footprint abstraction instead (SEMANTICS.md 18): a store to a cell a CPU never reads or writes is never propagated to it one by one. It has every outcome of the power model (within the limits of SEMANTICS.md 18.3), so 'holds' is a proof; each CPU's footprint is found automatically (a search stops at the first access outside it, which is added, and runs again)",
  },
  {
    name: 'confirm-trials',
    type: 'int',
    min: 1,
    arg: 'N',
    default: 10000,
    desc: 'with --footprint: a violation of the abstraction is confirmed in the power model itself by up to N uniform trials (seed --seed); a failing trial is the counterexample shown',
  },
  {
    name: 'checkpoint',
    type: 'string',
    arg: 'FILE',
    desc: 'save the depth-first search to FILE now and then (--checkpoint-every), and when --max-states cuts it, so that --resume FILE continues it (WebAssembly engine; about 8 bytes per state)',
  },
  {
    name: 'checkpoint-every',
    type: 'int',
    min: 1,
    arg: 'SECONDS',
    default: 300,
    desc: 'seconds between checkpoints',
  },
  {
    name: 'resume',
    type: 'string',
    arg: 'FILE',
    desc: 'continue the search saved in FILE (same scenario, variant, memory model and --reduce; --max-states may be higher), saving to FILE again unless --checkpoint names another',
  },
  SHRINK_OPT,
  JSON_OPT,
  HELP_OPT,
];

/** What `--sample-if-cut` ran: the trials, and the first failing one (shrunk) if any. */
interface Sampled {
  seed: number;
  /** trials run, [0, trials) */
  trials: number;
  /** failing trials among them (not ok, not the step limit) */
  failing: number;
  /** the first failing trial, as run */
  first?: TrialResult;
  /** the shortest failing trial of the last batch, shrunk (absent with --shrink-runs 0) */
  shrunk?: ShrunkFailure;
}

/** trials per engine call when sampling for a witness: the search stops at the first batch with one */
const SAMPLE_BATCH = 1000;

function sampleWitness(
  engine: Pick<Engine, 'runTrials'>,
  image: Image,
  memory: MemoryModel,
  ctx: {
    trials: number;
    seed: number;
    shrinkRuns: number;
    scenario: string;
    variant: string;
    wakeup: string;
    imageHash: string;
    progress?: (done: number) => void;
  },
): Sampled {
  const out: Sampled = { seed: ctx.seed, trials: 0, failing: 0 };
  while (out.trials < ctx.trials) {
    const to = Math.min(ctx.trials, out.trials + SAMPLE_BATCH);
    const b = engine.runTrials(image, {
      memory,
      scheduler: { kind: 'uniform' },
      seed: ctx.seed,
      from: out.trials,
      to,
      record: 'failures',
      maxFailures: 10,
    });
    out.trials = to;
    out.failing += b.aggregates.trials - b.aggregates.outcomes.ok - b.aggregates.outcomes.limit;
    ctx.progress?.(to);
    const real = b.trials.filter((t) => t.outcome !== 'ok' && t.outcome !== 'limit');
    if (real.length > 0) {
      out.first = real[0];
      out.shrunk = shrinkShortest(image, memory, real, {
        scenario: ctx.scenario,
        variant: ctx.variant,
        wakeup: ctx.wakeup,
        maxRuns: ctx.shrinkRuns,
        imageHash: ctx.imageHash,
      });
      break;
    }
  }
  return out;
}

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseOrHelp('check', argv, SPECS, {
    usage: '<scenario> [options]',
    summary:
      'Explore every interleaving of a scenario (exhaustive, depth-first with a visited-state table);\na violation is then replaced by one of least length (breadth-first) and printed as a timeline.\nExit code: 0 holds, 1 violated, 3 inconclusive (a bound cut the search).',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  const { loaded, compiled, memory } = await loadOneVariant(positionals[0], opts);
  const image = compiled.image;
  // the token names the scenario's image: maxStates bounds this search, not a trial, and replay
  // rebuilds the image with the scenario's own limits
  const tokenImage = imageHash(image);
  if (opts['max-states'] !== undefined)
    image.limits = { ...image.limits, maxStates: opts['max-states'] as number };
  checkEngineSupports(opts.engine as string, memory);
  const reduce = opts.reduce === true;
  if (reduce && memory === 'power') {
    throw new CliError(
      'NAP052',
      "'--reduce' with '--memory power': the reduced search is defined for the sc and tso memory models",
      'under power every register-only instruction already runs without a scheduler step (SEMANTICS.md 13.4); drop --reduce, or check under --memory tso',
    );
  }
  const resumeFile = opts.resume as string | undefined;
  const ckptFile = (opts.checkpoint as string | undefined) ?? resumeFile;
  const footprint = opts.footprint === true;
  if (footprint && memory !== 'power')
    throw new CliError(
      'NAP058',
      `'--footprint' with '--memory ${memory}': the footprint abstraction is defined for the power memory model`,
      "add '--memory power' (under sc and tso every store reaches every CPU at once: there is nothing to abstract; '--reduce' is their reduction)",
    );
  if (footprint && ckptFile !== undefined)
    throw new CliError(
      'NAP059',
      `'--footprint' with '--${opts.checkpoint !== undefined ? 'checkpoint' : 'resume'}': a search of the footprint abstraction is not saved or resumed`,
      "drop one of them: the abstraction's searches are short (power8-cede-small: 31 searches, seconds), checkpoints are for the plain search",
    );
  if (ckptFile !== undefined && opts.engine !== 'wasm')
    throw new CliError(
      'NAP054',
      `'--${opts.checkpoint !== undefined ? 'checkpoint' : 'resume'}' with '--engine ${opts.engine}': only the WebAssembly engine saves and resumes searches`,
      "drop '--engine reference' (the WebAssembly engine gives the same results, state for state)",
    );
  const subject: CheckpointSubject = {
    scenario: loaded.source,
    variant: compiled.variant,
    ...(compiled.variant === 'custom' ? { wakeup: compiled.wakeupSource } : {}),
    memory,
    reduce,
    image: tokenImage,
  };
  const resumed = resumeFile !== undefined ? readCheckpointFile(resumeFile) : undefined;
  if (resumed) {
    const theirs = resumed.subject;
    const diff = (['scenario', 'variant', 'wakeup', 'memory', 'reduce', 'image'] as const).filter(
      (k) => theirs[k] !== subject[k],
    );
    if (diff.length > 0)
      throw new CliError(
        'NAP056',
        `${resumeFile} is a checkpoint of another search: its ${diff.map((k) => `${k} ${JSON.stringify(theirs[k] ?? null)} (here ${JSON.stringify(subject[k] ?? null)})`).join(', ')}`,
        `resume it with the options it was saved with: scenario ${theirs.scenario}, variant ${theirs.variant}, --memory ${theirs.memory}${theirs.reduce ? ', --reduce' : ''}${diff.includes('image') ? ' (and the same scenario file and wakeup source as then)' : ''}`,
      );
  }
  const engine = await loadEngine(
    opts.engine as string,
    opts['max-memory'] === undefined ? {} : { maxMemoryMiB: opts['max-memory'] as number },
  );
  // checkpoints: the engine offers one every 2^18 new states; one is written when --checkpoint-every
  // seconds have passed since the last, and always when the state bound cuts the search
  const everyMs = (opts['checkpoint-every'] as number) * 1000;
  let lastSave = Date.now();
  let saves = 0;
  let failedSaves = 0;
  let lastSaved: { states: number; atBound: boolean } | undefined;
  const checkpoint =
    ckptFile === undefined
      ? undefined
      : {
          everyStates: 1 << 18,
          offer: (at: { states: number; atBound: boolean }, read: () => ExploreCheckpoint) => {
            if (!at.atBound && Date.now() - lastSave < everyMs) return;
            try {
              writeCheckpointFile(ckptFile, subject, read());
            } catch (e) {
              // a checkpoint that cannot be written must not end the search it protects
              if (!(e instanceof CliError)) throw e;
              lastSave = Date.now();
              failedSaves++;
              io.err(
                `${io.isTTY ? '\r\x1b[2K' : ''}naplab: warning[${e.code}]: ${e.message}; the search goes on without it${e.hint ? ` (${e.hint})` : ''}\n`,
              );
              return;
            }
            lastSave = Date.now();
            saves++;
            lastSaved = { states: at.states, atBound: at.atBound };
            if (!io.isTTY || !at.atBound)
              io.err(
                `${io.isTTY ? '\r\x1b[2K' : ''}check: checkpoint: ${at.states.toLocaleString('en-US')} states saved to ${ckptFile}\n`,
              );
          },
        };
  // progress on a terminal (stderr, one rewritten line), as `run` shows it
  const started = Date.now();
  let shown = false;
  const onProgress = io.isTTY
    ? (p: ExploreProgress) => {
        shown = true;
        const what = p.phase === 'dfs' ? 'depth-first search' : 'shortest pass';
        io.err(
          `\r\x1b[2Kcheck: ${what}: ${p.states.toLocaleString('en-US')} states, ${p.transitions.toLocaleString('en-US')} transitions, depth ${p.depth}, ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    : undefined;
  let r: ExploreResult;
  let refined: RefinedFootprint | undefined;
  const searchOpts = {
    shortest: opts.dfs ? false : opts['bfs-if-cut'] ? ('also-if-cut' as const) : true,
    ...(opts['bfs-max-states'] !== undefined ? { shortestMaxStates: opts['bfs-max-states'] as number } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
  try {
    if (footprint) {
      refined = refineFootprint(engine, image, {
        ...searchOpts,
        ...(io.isTTY
          ? {
              onRound: (x) => {
                shown = true;
                io.err(
                  `\r\x1b[2Kcheck: footprint search ${x.round}: ${x.states.toLocaleString('en-US')} states${x.escape && x.escape.reason === 'access' ? `, CPU ${x.escape.thread} touched ${namer(image).addr(x.escape.cell)}: added` : ''}`,
                );
              },
            }
          : {}),
      });
      r = refined.result;
    } else
      r = engine.explore(image, {
        memory,
        ...searchOpts,
        ...(reduce ? { reduce: true } : {}),
        ...(checkpoint ? { checkpoint } : {}),
        ...(resumed ? { resume: resumed.checkpoint } : {}),
      });
  } catch (e) {
    if (resumed && /not a checkpoint of this search/.test((e as Error).message))
      throw new CliError(
        'NAP056',
        `${resumeFile} does not fit this search: ${(e as Error).message.replace(/^@naplab\/engine: /, '')}`,
        'it was saved by another version of the scenario or of naplab: run the search again without --resume',
      );
    throw e;
  }
  // a finished search leaves nothing to resume: its checkpoint goes
  let removed = false;
  if (ckptFile !== undefined && !r.cut && (saves > 0 || resumed)) {
    try {
      unlinkSync(ckptFile);
      removed = true;
    } catch {
      // not there
    }
  }
  const checkpointJson =
    ckptFile === undefined
      ? {}
      : {
          checkpoint: {
            file: ckptFile,
            saves,
            ...(failedSaves > 0 ? { failedSaves } : {}),
            ...(lastSaved ? { lastSavedStates: lastSaved.states, atBound: lastSaved.atBound } : {}),
            removed,
            ...(resumed
              ? { resumedFrom: { states: resumed.checkpoint.states, savedAt: resumed.savedAt } }
              : {}),
          },
        };
  const bfs = r.shortestSearch;
  const realViolation = r.violation !== undefined && r.violation.outcome !== 'limit';
  // a violation of the footprint abstraction is not yet one of the power model: the trials
  // below confirm it there (SEMANTICS.md 18.4)
  const abstractViolation = footprint && realViolation ? r.violation : undefined;
  const searchViolated = realViolation && !footprint;
  // first, the abstraction's violation followed in the power model itself (SEMANTICS.md 18.3);
  // the schedule it gives is replayed there: a violation only if the replay is one
  const concrete =
    abstractViolation && refined
      ? concretizeFootprint(image, refined.footprint, abstractViolation.schedule)
      : undefined;
  const followedTrial =
    concrete && 'schedule' in concrete ? replayTrial(image, memory, concrete.schedule) : undefined;
  const followed =
    followedTrial && followedTrial.outcome !== 'ok' && followedTrial.outcome !== 'limit'
      ? { outcome: followedTrial.outcome, detail: followedTrial.detail, schedule: followedTrial.schedule }
      : undefined;
  const sampleN = abstractViolation
    ? (opts['confirm-trials'] as number)
    : (opts['sample-if-cut'] as number | undefined);
  const seed = opts.seed as number;
  const sampled =
    sampleN !== undefined && !searchViolated && !followed && (r.cut || abstractViolation !== undefined)
      ? sampleWitness(engine, image, memory, {
          trials: sampleN,
          seed,
          shrinkRuns: opts['shrink-runs'] as number,
          scenario: loaded.source,
          variant: compiled.variant,
          wakeup: compiled.wakeupSource,
          imageHash: tokenImage,
          ...(io.isTTY
            ? {
                progress: (done: number) => {
                  shown = true;
                  io.err(
                    `\r\x1b[2Kcheck: sampling for a counterexample: ${done.toLocaleString('en-US')} of ${sampleN.toLocaleString('en-US')} trials, ${Math.round((Date.now() - started) / 1000)} s`,
                  );
                },
              }
            : {}),
        })
      : undefined;
  if (shown) io.err('\r\x1b[2K');
  // a failing sampled trial is a counterexample as good as one the search finds
  const witness =
    followed ??
    (sampled?.first
      ? {
          outcome: sampled.first.outcome,
          detail: sampled.first.detail,
          schedule: sampled.shrunk?.schedule ?? sampled.first.schedule,
        }
      : undefined);
  const verdict = searchViolated || witness ? 'violated' : r.cut || r.violation ? 'inconclusive' : 'holds';
  // the abstraction's own schedule is not a schedule of the power model: never replayed as one
  const presented = witness ?? (abstractViolation ? undefined : r.violation);
  const token = presented
    ? (sampled?.shrunk?.token ??
      encodeToken({
        scenario: loaded.source,
        variant: compiled.variant,
        ...(compiled.variant === 'custom' ? { wakeup: compiled.wakeupSource } : {}),
        memory,
        engine: engine.name,
        image: tokenImage,
        decisions: presented.schedule,
      }))
    : undefined;
  const replay = token ? command(['replay', token]) : undefined;
  const traced = presented ? traceSchedule(image, memory, presented.schedule) : undefined;
  const names = namer(image);
  const abstractMessage = abstractViolation
    ? outcomeMessage(image, abstractViolation.outcome, abstractViolation.detail)
    : undefined;
  const abstractionJson = refined
    ? {
        abstraction: {
          kind: 'footprint',
          searches: refined.rounds.length,
          statesInAll: refined.rounds.reduce((n, x) => n + x.states, 0),
          footprint: refined.footprint.map((cells) => cells.map((a) => names.addr(a))),
          ...(refined.exhausted ? { stopped: refined.result.footprintEscape ?? null } : {}),
          ...(abstractViolation
            ? {
                violation: {
                  outcome: abstractViolation.outcome,
                  message: abstractMessage,
                  length: abstractViolation.schedule.length,
                  confirmed: followed ? 'followed' : witness ? 'sampling' : false,
                  ...(concrete && 'failed' in concrete ? { notFollowed: concrete.failed } : {}),
                },
              }
            : {}),
        },
      }
    : {};
  const samplingJson = sampled
    ? {
        sampling: {
          seed: sampled.seed,
          trials: sampled.trials,
          failing: sampled.failing,
          ...(sampled.first ? { firstFailingTrial: sampled.first.index } : {}),
        },
      }
    : {};
  if (opts.json) {
    io.out(
      `${JSON.stringify(
        {
          scenario: loaded.name,
          source: loaded.source,
          variant: compiled.variant,
          wakeup: compiled.wakeupSource,
          memory,
          engine: engine.name,
          verdict,
          search: footprint ? 'footprint' : reduce ? 'reduced' : 'plain',
          statesExplored: r.states,
          transitions: r.transitions,
          maxDepth: r.maxDepth,
          cut: r.cut,
          ...(r.outOfMemory ? { outOfMemory: true } : {}),
          ...(bfs
            ? {
                shortestSearch: {
                  ...bfs,
                  // no violation has fewer steps than this (the pass expanded every shallower state)
                  lowerBound: r.violation?.shortest === true ? r.violation.steps : bfs.depth + 1,
                },
              }
            : {}),
          outcomes: Object.fromEntries(
            ['ok', 'lockup', 'lost', 'assert', 'limit'].map((o) => [
              o,
              r.finals.filter((f) => f.outcome === o).length,
            ]),
          ),
          ...abstractionJson,
          ...samplingJson,
          ...checkpointJson,
          violation: witness
            ? {
                outcome: witness.outcome,
                message: outcomeMessage(image, witness.outcome, witness.detail),
                detail: witness.detail,
                length: witness.schedule.length,
                steps: traced?.result.steps,
                foundBy: followed ? 'abstraction' : 'sampling',
                ...(followed ? {} : { trial: sampled!.first!.index }),
                ...(sampled?.shrunk
                  ? {
                      shrunk: {
                        stepsBefore: sampled.shrunk.stepsBefore,
                        lengthBefore: sampled.shrunk.lengthBefore,
                        replays: sampled.shrunk.runs,
                        trial: sampled.shrunk.trial,
                      },
                    }
                  : {}),
                schedule: witness.schedule,
                replay,
                token,
              }
            : r.violation && !abstractViolation
              ? {
                  foundBy: 'search',
                  outcome: r.violation.outcome,
                  message: outcomeMessage(image, r.violation.outcome, r.violation.detail),
                  detail: r.violation.detail,
                  length: r.violation.schedule.length,
                  steps: traced?.result.steps,
                  shortest: r.violation.shortest ?? false,
                  ...(r.violation.dfsLength !== undefined ? { dfsLength: r.violation.dfsLength } : {}),
                  ...(r.violation.shortestStates !== undefined
                    ? { shortestStates: r.violation.shortestStates }
                    : {}),
                  schedule: r.violation.schedule,
                  replay,
                  token,
                }
              : null,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.out(`${loaded.name}: variant ${compiled.wakeupSource}, memory ${memory}, engine ${engine.name}\n`);
    const how = abstractViolation
      ? witness
        ? ` (complete search of the footprint abstraction, which has a violation; the counterexample below is one of the power model itself, ${followed ? "the abstraction's followed there" : 'found by sampling'})`
        : ' (complete search of the footprint abstraction, which has a violation the power model did not confirm: see below)'
      : witness
        ? ` (search cut by a bound${r.outOfMemory ? ', out of memory' : ''}; the counterexample below was found by sampling)`
        : r.outOfMemory
          ? ' (the engine ran out of memory: not a proof)'
          : r.cut
            ? ' (search cut by a bound: not a proof)'
            : footprint
              ? ' (complete search of the footprint abstraction, which has every outcome of the power model within the limits of SEMANTICS.md 18.3: a proof)'
              : ' (complete)';
    io.out(
      `${verdict.toUpperCase()}: ${r.states} states, ${r.transitions} transitions, max depth ${r.maxDepth}${reduce ? ' (reduced search, SEMANTICS.md 17)' : ''}${how}\n`,
    );
    if (refined) {
      const all = refined.rounds.reduce((n, x) => n + x.states, 0);
      io.out(
        `footprint (found in ${refined.rounds.length} searches, ${all} states in all): ${refined.footprint
          .map(
            (cells, t) =>
              `${names.cpu(t)} ${cells.length === 0 ? 'none' : cells.map((a) => names.addr(a)).join(' ')}`,
          )
          .join('; ')}\n`,
      );
      if (refined.exhausted)
        io.out(
          refined.result.footprintEscape?.reason === 'table'
            ? 'the abstraction stopped: 31 storage events were live at once, where a full table could block a commit the power model makes (SEMANTICS.md 18.2); check without --footprint\n'
            : refined.result.footprintEscape?.reason === 'stall'
              ? `the abstraction stopped: ${names.cpu(refined.result.footprintEscape.thread)}'s sync was acknowledged while an interrupt could reach it, which the abstraction does not follow exactly (SEMANTICS.md 18.2); check without --footprint\n`
              : `the abstraction stopped after ${refined.rounds.length} refinements without a footprint that no access escapes\n`,
        );
      if (abstractViolation)
        io.out(
          `the abstraction's violation: ${abstractViolation.outcome}${abstractMessage ? ` (${abstractMessage})` : ''}, ${abstractViolation.schedule.length} scheduler decisions of the abstraction (not a schedule of the power model)\n`,
        );
    }
    if (witness && traced && (followed || sampled?.first)) {
      io.out(`outcome: ${witness.outcome}\n`);
      const msg = outcomeMessage(image, witness.outcome, witness.detail);
      if (msg) io.out(`${msg}\n`);
      const size = `${traced.result.steps} steps (${witness.schedule.length} scheduler decisions)`;
      if (followed)
        io.out(
          `counterexample: ${size} of the power model: the abstraction's ${abstractViolation!.shortest ? 'shortest ' : ''}violation followed there, with the propagations the abstraction leaves out (SEMANTICS.md 18.3)\n\n`,
        );
      else {
        const sh = sampled!.shrunk;
        io.out(
          `counterexample: ${size}, found by sampling ${abstractViolation ? 'the power model to confirm the abstraction' : 'after the search was cut'}: uniform trial ${sampled!.first!.index} of seed ${sampled!.seed} was the first to fail (${sampled!.failing} of the ${sampled!.trials} trials run failed)${sh ? `; the shortest failing trial of that batch, ${sh.trial}, shrunk from ${sh.stepsBefore} steps (${sh.runs} replays)` : ''}\n\n`,
        );
      }
      if (opts.steps || opts['all-steps'])
        io.out(`${formatStepList(image, traced.events, { all: Boolean(opts['all-steps']), memory })}\n\n`);
      else io.out(`${renderTimelineText(timelineOf(image, memory, witness.schedule).timeline)}\n\n`);
      io.out(`replay: ${replay}\n`);
    } else if (r.violation && traced) {
      io.out(`outcome: ${r.violation.outcome}\n`);
      const msg = outcomeMessage(image, r.violation.outcome, r.violation.detail);
      if (msg) io.out(`${msg}\n`);
      const v = r.violation;
      const size = `${traced.result.steps} steps (${v.schedule.length} scheduler decisions)`;
      if (v.outcome === 'limit') {
        // not a violation: the first schedule the depth-first search ran to the step limit (a
        // long wait or a livelock); thousands of steps, so the timeline is left to `replay`
        io.out(
          `not a counterexample: the first schedule in depth-first order that ran ${size} without ending (a long wait, or a livelock)\n`,
        );
        io.out(`its timeline: ${command(['replay', token!, '--format', 'text'])}\n`);
      } else {
        if (v.shortest === true)
          io.out(
            `counterexample: ${size}, SHORTEST: no violating schedule has fewer steps (breadth-first search, ${v.shortestStates} states; the first depth-first one had ${v.dfsLength} decisions)\n\n`,
          );
        else if (v.shortest === false)
          io.out(
            `counterexample: ${size}, the first found in depth-first order (the breadth-first shortest pass ${bfs?.outOfMemory ? 'ran out of memory' : 'was cut by its state bound'} after ${v.shortestStates} states)\n\n`,
          );
        else io.out(`counterexample: ${size}, the first found in depth-first order\n\n`);
        if (opts.steps || opts['all-steps'])
          io.out(`${formatStepList(image, traced.events, { all: Boolean(opts['all-steps']), memory })}\n\n`);
        else io.out(`${renderTimelineText(timelineOf(image, memory, v.schedule).timeline)}\n\n`);
        io.out(`replay: ${replay}\n`);
      }
    }
    if (bfs && r.violation?.shortest !== true && !(bfs.outOfMemory && bfs.depth === 0))
      io.out(
        `shortest pass: ${bfs.states} states, every level to depth ${bfs.depth} complete${bfs.outOfMemory ? ' (then the engine ran out of memory)' : bfs.cut ? ' (then cut by its bound)' : ''}: no violation has fewer than ${bfs.depth + 1} steps\n`,
      );
    if (verdict === 'inconclusive' && r.outOfMemory)
      io.out(
        `hint: the search stopped after ${r.states} states when the WebAssembly engine's memory (${opts['max-memory'] ?? 4096} MiB${opts['max-memory'] === undefined ? ', its most' : ''}) was full: nothing above is lost, but it is not a proof${memory === 'power' ? '' : "; '--reduce' needs fewer states"}\n`,
      );
    if (resumed)
      io.out(
        `resumed from ${resumeFile}: ${resumed.checkpoint.states} states saved ${resumed.savedAt} (the counts above include them)\n`,
      );
    if (removed) io.out(`checkpoint ${ckptFile} removed: the search finished\n`);
    else if (lastSaved?.atBound)
      io.out(
        `checkpoint: the search as the bound cut it is saved in ${ckptFile}; continue it with a higher bound: '${command(
          [
            'check',
            loaded.source,
            ...variantWords(compiled.variant, compiled.wakeupSource),
            '--memory',
            memory,
            ...(reduce ? ['--reduce'] : []),
            '--resume',
            ckptFile!,
            '--max-states',
            image.limits.maxStates * 10,
          ],
        )}'\n`,
      );
    if (sampled && !witness)
      io.out(
        `sampling: ${sampled.trials} uniform trials of seed ${sampled.seed}, none failed (not a proof)\n`,
      );
    if (abstractViolation && concrete && 'failed' in concrete)
      io.out(`the abstraction's violation could not be followed in the power model: ${concrete.failed}\n`);
    if (abstractViolation && !witness)
      io.out(
        `hint: the abstraction has more behaviours than the power model, so its violation may be spurious, or rare in uniform trials: raise '--confirm-trials' (now ${sampleN}), or check without '--footprint'\n`,
      );
    if (verdict === 'inconclusive' && r.cut) {
      const cap = image.limits.maxStates;
      const more = sampled ? sampled.trials * 10 : 10000;
      io.out(
        `hint: ${r.outOfMemory || refined?.exhausted ? '' : `raise the bound ('--max-states ${cap * 10}'), or `}look for a counterexample by sampling: '--sample-if-cut ${more}', or '${command(
          [
            'run',
            loaded.source,
            ...variantWords(compiled.variant, compiled.wakeupSource),
            '--memory',
            memory,
            '--trials',
            more,
          ],
        )}' (add '--scheduler pct:3' under sc or tso for rare orderings)\n`,
      );
      if (ckptFile === undefined && !r.outOfMemory && !footprint)
        io.out(
          "hint: a long search survives interruptions and can go on under a higher bound: '--checkpoint FILE' saves it, '--resume FILE' continues it\n",
        );
      if (memory === 'power' && !footprint)
        io.out(
          `hint: under power every store propagates to each CPU separately${image.threads.some((t) => t.status === STATUS_NAPPING) ? ', a CPU that naps through the whole trial included' : ''}, which multiplies the states; '--footprint' searches an abstraction without the propagations nobody can observe, which has every outcome of the model (SEMANTICS.md 18)\n`,
        );
      else if (memory !== 'power' && !reduce)
        io.out("hint: '--reduce' explores the same verdicts with fewer states (SEMANTICS.md 17)\n");
    }
  }
  return verdict === 'holds' ? 0 : verdict === 'violated' ? 1 : 3;
}
