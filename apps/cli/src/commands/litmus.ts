/**
 * `naplab litmus <files or globs...>`: explore each litmus test exhaustively and print its verdict
 * and reachable final states, herd7-style. A file that cannot be read or parsed is reported with
 * its diagnostic and the others are still checked; the exit code is then 2.
 */
import { readFileSync } from 'node:fs';
import {
  AsmError,
  formatFinalState,
  litmusToImage,
  parseLitmus,
  renderDiagnostic,
  verdictOf,
} from '@naplab/asm';
import { MEMORY_MODELS, type MemoryModel } from '@naplab/isa';
import { helpText, type OptSpec, parseArgs } from '../args.js';
import { checkEngineSupports, ENGINE_NAMES, loadEngine } from '../engines.js';
import { CliError } from '../errors.js';
import { expandFileArgs } from '../files.js';
import type { Io } from '../io.js';

const SPECS: OptSpec[] = [
  { name: 'memory', type: 'string', choices: MEMORY_MODELS, default: 'sc', desc: 'memory model' },
  { name: 'engine', type: 'string', choices: ENGINE_NAMES, default: 'wasm', desc: 'engine' },
  { name: 'json', type: 'boolean', desc: 'print a JSON array instead of text' },
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

export async function litmusCommand(argv: string[], io: Io): Promise<number> {
  const { positionals, opts } = parseArgs('litmus', argv, SPECS);
  if (opts.help) {
    io.out(
      helpText(
        'litmus',
        '<files or globs...> [options]',
        'Explore POWER litmus tests exhaustively and print verdicts and final states.',
        SPECS,
      ),
    );
    return 0;
  }
  if (positionals.length === 0)
    throw new CliError(
      'NAP005',
      'no litmus files given',
      "e.g. 'naplab litmus ../shared/litmus/*.litmus --memory tso'",
    );
  const memory = opts.memory as MemoryModel;
  checkEngineSupports(opts.engine as string, memory);
  const engine = await loadEngine(opts.engine as string);
  const expected = opts.expected ? readExpected(opts.expected as string, memory) : undefined;
  const results: LitmusResult[] = [];
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
