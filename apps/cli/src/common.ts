/** Options shared by the scenario commands, and small helpers around them. */
import { availableParallelism } from 'node:os';
import { MEMORY_MODELS, type MemoryModel } from '@naplab/isa';
import type { OptSpec, ParsedOpts } from './args.js';
import { ENGINE_NAMES } from './engines.js';
import { CliError } from './errors.js';
import type { LoadedScenario } from './scenario.js';

export const VARIANT_OPTS: OptSpec[] = [
  {
    name: 'variant',
    type: 'string',
    arg: 'V',
    desc: "wakeup variant: baseline, buggy, fixed, nosync (default: the scenario's)",
  },
  { name: 'wakeup', type: 'string', arg: 'FILE.s', desc: 'your own wakeup section (replaces the variant)' },
];
export const MEMORY_OPT: OptSpec = {
  name: 'memory',
  type: 'string',
  choices: MEMORY_MODELS,
  desc: "memory model (default: the scenario's)",
};
export const ENGINE_OPT: OptSpec = {
  name: 'engine',
  type: 'string',
  choices: ENGINE_NAMES,
  default: 'wasm',
  desc: 'engine',
};
export const JSON_OPT: OptSpec = { name: 'json', type: 'boolean', desc: 'print JSON instead of text' };
export const HELP_OPT: OptSpec = { name: 'help', type: 'boolean', desc: 'show this help' };
export const SEED_OPT: OptSpec = {
  name: 'seed',
  type: 'int',
  min: 0,
  max: 0xffffffff,
  default: 1,
  desc: 'seed (unsigned 32-bit)',
};
export const WORKERS_OPT: OptSpec = {
  name: 'workers',
  type: 'int',
  min: 1,
  max: 1024,
  desc: `worker threads (default: all cores, ${availableParallelism()} here)`,
};
export const SHARD_OPT: OptSpec = {
  name: 'shard',
  type: 'string',
  arg: 'i/N',
  desc: 'run only the i-th of N disjoint trial ranges (1-based)',
};

export function memoryOf(opts: ParsedOpts, loaded: LoadedScenario): MemoryModel {
  return ((opts.memory as string | undefined) ?? loaded.scenario.memory ?? 'sc') as MemoryModel;
}

/** `--shard i/N` (1-based) -> the runner's 0-based shard. */
export function parseShardOpt(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m)
    throw new CliError(
      'NAP004',
      `'--shard ${text}' is not of the form i/N`,
      "e.g. '--shard 1/4' for the first of four shards",
    );
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) {
    throw new CliError(
      'NAP004',
      `'--shard ${text}': i must be between 1 and N (N >= 1)`,
      `the shards of ${n} are 1/${n} .. ${n}/${n}`,
    );
  }
  return { index: i - 1, count: n };
}

/** Quote a shell word only when needed, so printed commands can be pasted. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export function command(words: (string | number)[]): string {
  return ['pnpm', 'naplab', ...words.map(String)].map(shellWord).join(' ');
}

/** The `--variant`/`--wakeup` words that recreate a compiled variant. */
export function variantWords(variant: string, wakeupSource: string): string[] {
  return variant === 'custom' ? ['--wakeup', wakeupSource] : ['--variant', variant];
}
