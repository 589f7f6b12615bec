/**
 * `naplab litmus <files or globs...>`: explore each litmus test exhaustively and print its verdict
 * and reachable final states, herd7-style. A file that cannot be read or parsed is reported with
 * its diagnostic and the others are still checked; the exit code is then 2.
 *
 * With `--trials N` it samples instead: N uniform trials per test (seeded by `--seed`), reported
 * the way litmus7 reports hardware runs: a histogram of final states with counts (`*>` marks the
 * states that satisfy the condition's proposition), then `Observation <test> Sometimes|Never|Always
 * <positive> <negative>`.
 */
import { readFileSync } from 'node:fs';
import {
  AsmError,
  evalCondition,
  formatFinalState,
  litmusToImage,
  parseLitmus,
  renderDiagnostic,
  verdictOf,
} from '@naplab/asm';
import { type Engine, type Image, MEMORY_MODELS, type MemoryModel, type Outcome } from '@naplab/isa';
import { type OptSpec, parseOrHelp } from '../args.js';
import { SEED_OPT } from '../common.js';
import { checkEngineSupports, ENGINE_NAMES, loadEngine } from '../engines.js';
import { CliError } from '../errors.js';
import { expandFileArgs } from '../files.js';
import type { Io } from '../io.js';

const SPECS: OptSpec[] = [
  { name: 'memory', type: 'string', choices: MEMORY_MODELS, default: 'sc', desc: 'memory model' },
  { name: 'engine', type: 'string', choices: ENGINE_NAMES, default: 'wasm', desc: 'engine' },
  { name: 'json', type: 'boolean', desc: 'print a JSON array instead of text' },
  {
    name: 'trials',
    type: 'int',
    min: 1,
    arg: 'N',
    desc: 'sample N uniform trials per test and print a litmus7-style histogram (instead of the exhaustive search)',
  },
  { ...SEED_OPT, desc: 'seed of the uniform trials (--trials; unsigned 32-bit)' },
  {
    name: 'expected',
    type: 'string',
    arg: 'TSV',
    desc: "compare verdicts with a column of an expected.tsv (the memory model's)",
  },
  { name: 'help', type: 'boolean', desc: 'show this help' },
];

export interface LitmusResult {
  test: string;
  file: string;
  memory: MemoryModel;
  engine: string;
  verdict: 'allowed' | 'forbidden';
  condition: string;
  finalStates: string[];
  statesExplored: number;
  transitions: number;
  cut: boolean;
  expected?: string;
}

/** One histogram line: a final state, how many trials ended in it, and whether it satisfies the condition. */
export interface HistogramEntry {
  state: string;
  count: number;
  satisfies: boolean;
}

/** `--trials N`: what N uniform trials of one test gave. */
export interface LitmusSample {
  test: string;
  file: string;
  memory: MemoryModel;
  engine: string;
  seed: number;
  trials: number;
  condition: string;
  /** final states of the trials that ended `ok`, sorted as herd7 / litmus7 sort them */
  histogram: HistogramEntry[];
  /** `ok` trials whose final state satisfies the condition's proposition, and the others */
  positive: number;
  negative: number;
  observation: 'Sometimes' | 'Never' | 'Always';
  /** whether the condition is validated by the sample (litmus7's `Condition ... is validated`) */
  validated: boolean;
  /** trials that did not end `ok` (a litmus trial ends `limit` when it hits limits.maxSteps) */
  notOk: Partial<Record<Outcome, number>>;
}

/** Trials per engine call (records of every trial are kept only for one chunk). */
const SAMPLE_CHUNK = 10_000;

export function sampleLitmus(
  engine: Engine,
  test: ReturnType<typeof parseLitmus>,
  image: Image,
  file: string,
  memory: MemoryModel,
  trials: number,
  seed: number,
): LitmusSample {
  const counts = new Map<string, HistogramEntry>();
  const notOk: Partial<Record<Outcome, number>> = {};
  let positive = 0;
  let negative = 0;
  for (let from = 0; from < trials; from += SAMPLE_CHUNK) {
    const to = Math.min(trials, from + SAMPLE_CHUNK);
    const r = engine.runTrials(image, {
      memory,
      scheduler: { kind: 'uniform' },
      seed,
      from,
      to,
      record: 'all',
    });
    for (const t of r.trials) {
      if (t.outcome !== 'ok') {
        notOk[t.outcome] = (notOk[t.outcome] ?? 0) + 1;
        continue;
      }
      const state = formatFinalState(test, t.final);
      let e = counts.get(state);
      if (!e) {
        e = { state, count: 0, satisfies: evalCondition(test, t.final) };
        counts.set(state, e);
      }
      e.count++;
      if (e.satisfies) positive++;
      else negative++;
    }
  }
  const histogram = [...counts.values()].sort((a, b) => (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  const validated =
    test.quantifier === 'forall'
      ? negative === 0
      : test.quantifier === 'exists'
        ? positive > 0
        : positive === 0;
  return {
    test: test.name,
    file,
    memory,
    engine: engine.name,
    seed,
    trials,
    condition: test.conditionText,
    histogram,
    positive,
    negative,
    observation,
    validated,
    notOk,
  };
}

/** litmus7's report of a run: the histogram, the condition, the observation. */
export function formatSample(s: LitmusSample): string {
  const width = Math.max(...s.histogram.map((e) => String(e.count).length), 1);
  const lines = [
    `Test ${s.test} (${s.memory}, ${s.engine} engine, ${s.trials} uniform trials, seed ${s.seed})`,
    `Histogram (${s.histogram.length} states)`,
    ...s.histogram.map((e) => `${String(e.count).padStart(width)} ${e.satisfies ? '*>' : ':>'} ${e.state}`),
  ];
  const bad = Object.entries(s.notOk);
  if (bad.length > 0) lines.push(`(${bad.map(([o, n]) => `${n} ${o}`).join(', ')}: no final state)`);
  lines.push(`Condition ${s.condition} is ${s.validated ? 'validated' : 'NOT validated'}`);
  lines.push(`Observation ${s.test} ${s.observation} ${s.positive} ${s.negative}`);
  return `${lines.join('\n')}\n`;
}

export async function litmusCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseOrHelp('litmus', argv, SPECS, {
    usage: '<files or globs...> [options]',
    summary: 'Explore POWER litmus tests exhaustively and print verdicts and final states.',
    out: (text) => io.out(text),
  });
  if (!parsed) return 0;
  const { positionals, opts } = parsed;
  if (positionals.length === 0)
    throw new CliError(
      'NAP005',
      'no litmus files given',
      "e.g. 'naplab litmus ../shared/litmus/*.litmus --memory tso'",
    );
  const memory = opts.memory as MemoryModel;
  checkEngineSupports(opts.engine as string, memory);
  const engine = await loadEngine(opts.engine as string);
  const trials = opts.trials as number | undefined;
  if (trials !== undefined && opts.expected)
    throw new CliError(
      'NAP004',
      "'--trials' and '--expected' cannot be used together: a sample never proves a test forbidden",
      "drop '--trials' to check verdicts exhaustively",
    );
  const expected = opts.expected ? readExpected(opts.expected as string, memory) : undefined;
  const results: LitmusResult[] = [];
  const samples: LitmusSample[] = [];
  let failures = 0;
  let mismatches = 0;
  for (const file of expandFileArgs(positionals)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      failures++;
      io.err(
        `naplab: error[NAP006]: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
      );
      continue;
    }
    let test: ReturnType<typeof parseLitmus>;
    let image: ReturnType<typeof litmusToImage>;
    try {
      test = parseLitmus(file, text);
      image = litmusToImage(test);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      failures++;
      for (const d of e.diagnostics) io.err(`${renderDiagnostic(d, text)}\n`);
      continue;
    }
    if (trials !== undefined) {
      const sample = sampleLitmus(engine, test, image, file, memory, trials, opts.seed as number);
      samples.push(sample);
      if (!opts.json) io.out(`${formatSample(sample)}\n`);
      continue;
    }
    const r = engine.explore(image, { memory });
    const finals = r.finals.filter((f) => f.outcome === 'ok').map((f) => f.final);
    const finalStates = [...new Set(finals.map((f) => formatFinalState(test, f)))].sort();
    const res: LitmusResult = {
      test: test.name,
      file,
      memory,
      engine: engine.name,
      verdict: verdictOf(test, finals),
      condition: test.conditionText,
      finalStates,
      statesExplored: r.states,
      transitions: r.transitions,
      cut: r.cut,
    };
    if (expected) {
      res.expected = expected.get(test.name);
      if (res.expected !== undefined && res.expected !== res.verdict) mismatches++;
    }
    if (r.cut)
      io.err(
        `naplab: warning: ${test.name}: the search was cut at ${r.states} states (limits.maxStates); the verdict may be incomplete\n`,
      );
    results.push(res);
    if (!opts.json) io.out(formatText(res));
  }
  if (trials !== undefined) {
    if (opts.json) io.out(`${JSON.stringify(samples, null, 2)}\n`);
    else {
      const by = (o: string) => samples.filter((x) => x.observation === o).length;
      let line = `${samples.length} tests under ${memory}, ${trials} uniform trials each (seed ${opts.seed}): ${by('Sometimes')} Sometimes, ${by('Never')} Never, ${by('Always')} Always`;
      if (failures) line += `; ${failures} file(s) could not be checked`;
      io.out(`${line}\n`);
    }
    return failures ? 2 : 0;
  }
  if (opts.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
  else {
    const allowed = results.filter((r) => r.verdict === 'allowed').length;
    let line = `${results.length} tests under ${memory}: ${allowed} allowed, ${results.length - allowed} forbidden`;
    if (expected)
      line +=
        mismatches === 0
          ? '; all verdicts as expected'
          : `; ${mismatches} verdict(s) differ from ${opts.expected}`;
    if (failures) line += `; ${failures} file(s) could not be checked`;
    io.out(`${line}\n`);
  }
  if (failures) return 2;
  return mismatches ? 1 : 0;
}

function formatText(r: LitmusResult): string {
  const exp =
    r.expected === undefined
      ? ''
      : r.expected === r.verdict
        ? '  (as expected)'
        : `  (EXPECTED ${r.expected})`;
  const head = `${r.test.padEnd(20)} ${r.memory.padEnd(4)} ${r.verdict.padEnd(9)}  ${r.statesExplored} states${r.cut ? ' (cut)' : ''}${exp}`;
  return `${head}\n  ${r.condition}\n${r.finalStates.map((s) => `    ${s}`).join('\n')}\n`;
}

/** Read `test<TAB>power<TAB>...` and return the column for this memory model. */
function readExpected(path: string, memory: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(
      'NAP006',
      `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  const col = header.indexOf(memory);
  if (header[0] !== 'test' || col < 0) {
    throw new CliError(
      'NAP007',
      `${path}:1: expected a header 'test<TAB>...' with a '${memory}' column, found '${lines[0]}'`,
      'use shared/litmus/expected.tsv',
    );
  }
  return new Map(
    lines
      .slice(1)
      .map((l) => l.split('\t'))
      .map((c) => [c[0]!, c[col]!]),
  );
}
