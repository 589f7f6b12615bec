/**
 * Scenario arguments: a built-in name (`power8-cede`) or a scenario file (`.json`, `.js`, `.mjs`,
 * `.ts`), compiled with a wakeup variant or a user's wakeup file. Errors from the DSL and from a
 * wakeup file's assembly become coded CLI errors with the file location.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AsmError, renderDiagnostic } from '@naplab/asm';
import type { Image, MemoryModel } from '@naplab/isa';
import {
  BUILTIN_SCENARIOS,
  compileScenario,
  getBuiltinScenario,
  loadScenarioFile,
  type Scenario,
  ScenarioError,
  WAKEUP_VARIANTS,
} from '@naplab/power8-kvm';
import type { ParsedOpts } from './args.js';
import { memoryOf } from './common.js';
import { CliError, didYouMean } from './errors.js';

export interface LoadedScenario {
  scenario: Scenario;
  /** the argument as given: a built-in name or a file path */
  source: string;
  name: string;
  builtin: boolean;
}

export async function loadScenario(arg: string | undefined): Promise<LoadedScenario> {
  const names = Object.keys(BUILTIN_SCENARIOS);
  if (arg === undefined) {
    throw new CliError(
      'NAP005',
      'no scenario given',
      `give a built-in scenario (${names.join(', ')}) or a scenario file (.json, .js, .ts)`,
    );
  }
  if (Object.hasOwn(BUILTIN_SCENARIOS, arg)) {
    const scenario = getBuiltinScenario(arg);
    return { scenario, source: arg, name: scenario.name ?? arg, builtin: true };
  }
  if (!existsSync(arg)) {
    const guess = didYouMean(arg, names);
    throw new CliError(
      'NAP011',
      `'${arg}' is neither a built-in scenario nor an existing file; built-in scenarios: ${names.join(', ')}`,
      guess ? `did you mean '${guess}'?` : 'a scenario file ends in .json, .js, .mjs or .ts',
    );
  }
  try {
    const scenario = await loadScenarioFile(arg);
    return { scenario, source: arg, name: scenario.name ?? arg, builtin: false };
  } catch (e) {
    throw scenarioError(e, arg);
  }
}

export interface CompiledVariant {
  image: Image;
  /** `baseline`, `buggy`, `fixed`, `nosync`, or `custom` */
  variant: string;
  /** the built-in variant name or the wakeup file path */
  wakeupSource: string;
}

export function parseVariants(text: string): string[] {
  const list = text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (list.length === 0)
    throw new CliError('NAP004', "'--variants' is empty", `e.g. '--variants ${WAKEUP_VARIANTS.join(',')}'`);
  for (const v of list) checkVariant(v);
  if (new Set(list).size !== list.length)
    throw new CliError('NAP004', `'--variants ${text}' names a variant twice`);
  return list;
}

export function checkVariant(v: string): void {
  if (!(WAKEUP_VARIANTS as readonly string[]).includes(v)) {
    const guess = didYouMean(v, WAKEUP_VARIANTS);
    throw new CliError(
      'NAP012',
      `unknown wakeup variant '${v}'; the variants are ${WAKEUP_VARIANTS.join(', ')}`,
      guess ? `did you mean '${guess}'?` : "or give your own wakeup section with '--wakeup FILE.s'",
    );
  }
}

export function compileVariant(
  loaded: LoadedScenario,
  opts: { variant?: string; wakeup?: string },
): CompiledVariant {
  const s: Scenario = structuredClone(loaded.scenario);
  if (opts.variant !== undefined && opts.wakeup !== undefined) {
    throw new CliError(
      'NAP004',
      "'--variant' and '--wakeup' both choose the wakeup section",
      'give one of them',
    );
  }
  if (opts.wakeup !== undefined) {
    if (!existsSync(opts.wakeup)) throw new CliError('NAP006', `cannot read '${opts.wakeup}': ENOENT`);
    s.wakeupFile = opts.wakeup;
    delete s.variant;
  } else if (opts.variant !== undefined) {
    checkVariant(opts.variant);
    s.variant = opts.variant as Scenario['variant'];
    delete s.wakeupFile;
  }
  try {
    const image = compileScenario(s);
    const variant = s.wakeupFile ? 'custom' : (s.variant ?? 'fixed');
    return { image, variant, wakeupSource: s.wakeupFile ?? variant };
  } catch (e) {
    throw scenarioError(e, s.wakeupFile ?? loaded.source);
  }
}

function scenarioError(e: unknown, where: string): unknown {
  if (e instanceof ScenarioError) {
    return new CliError(
      'NAP013',
      `impossible scenario (${where}): ${e.message}`,
      `scenario error ${e.code}; see packages/power8-kvm/README.md for the DSL`,
    );
  }
  if (e instanceof AsmError) {
    const rendered = e.diagnostics
      .map((d) => {
        let text: string | undefined;
        try {
          text = readFileSync(d.file, 'utf8');
        } catch {
          text = undefined;
        }
        return renderDiagnostic(d, text);
      })
      .join('\n');
    const files = [...new Set(e.diagnostics.map((d) => d.file))].join(', ');
    return new CliError(
      'NAP014',
      `${files} does not assemble:\n${rendered}`,
      'fix the assembly at the location shown',
    );
  }
  return e;
}

/**
 * The scenario a command names and the one variant it runs (`--variant V` or `--wakeup FILE.s`),
 * with the memory model (`--memory`, else the scenario's, else sc).
 */
export async function loadOneVariant(
  scenarioArg: string | undefined,
  opts: ParsedOpts,
): Promise<{ loaded: LoadedScenario; compiled: CompiledVariant; memory: MemoryModel }> {
  const loaded = await loadScenario(scenarioArg);
  const compiled = compileVariant(loaded, {
    variant: opts.variant as string | undefined,
    wakeup: opts.wakeup as string | undefined,
  });
  return { loaded, compiled, memory: memoryOf(opts, loaded) };
}
