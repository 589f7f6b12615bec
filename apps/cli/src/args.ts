/** A small declarative option parser with precise errors (unknown option, missing value, bad choice). */
import { CliError, didYouMean } from './errors.js';

export interface OptSpec {
  name: string;
  type: 'string' | 'boolean' | 'int';
  desc: string;
  /** value placeholder for help, e.g. `N` */
  arg?: string;
  choices?: readonly string[];
  default?: string | number | boolean;
  /** integer bounds (inclusive) */
  min?: number;
  max?: number;
}

export type ParsedOpts = Record<string, string | number | boolean | undefined>;

export function parseArgs(
  command: string,
  argv: string[],
  specs: OptSpec[],
): { positionals: string[]; opts: ParsedOpts } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const opts: ParsedOpts = {};
  for (const s of specs) if (s.default !== undefined) opts[s.name] = s.default;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
        throw new CliError(
          'NAP002',
          `unknown option '${a}' for 'naplab ${command}'`,
          `options are long: --name; see 'naplab ${command} --help'`,
        );
      }
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) {
      const guess = didYouMean(name, [...byName.keys()]);
      throw new CliError(
        'NAP002',
        `unknown option '--${name}' for 'naplab ${command}' (argument ${i + 1})`,
        guess ? `did you mean '--${guess}'?` : `see 'naplab ${command} --help' for the options`,
      );
    }
    if (spec.type === 'boolean') {
      if (eq >= 0)
        throw new CliError('NAP003', `option '--${name}' takes no value`, `write '--${name}' alone`);
      opts[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new CliError(
          'NAP003',
          `option '--${name}' needs a value`,
          `write '--${name} ${spec.arg ?? 'VALUE'}'`,
        );
      }
      i++;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      const guess = didYouMean(value, spec.choices);
      throw new CliError(
        'NAP004',
        `'${value}' is not a valid value for '--${name}'; valid: ${spec.choices.join(', ')}`,
        guess ? `did you mean '${guess}'?` : undefined,
      );
    }
    if (spec.type === 'int') {
      const n = parseIntStrict(value);
      if (n === undefined)
        throw new CliError(
          'NAP004',
          `'--${name}' expects an integer, found '${value}'`,
          `e.g. '--${name} 1000' (1e6 and 1_000_000 are accepted)`,
        );
      if (spec.min !== undefined && n < spec.min)
        throw new CliError('NAP004', `'--${name}' must be at least ${spec.min}, found ${n}`);
      if (spec.max !== undefined && n > spec.max)
        throw new CliError('NAP004', `'--${name}' must be at most ${spec.max}, found ${n}`);
      opts[name] = n;
    } else opts[name] = value;
  }
  return { positionals, opts };
}

/** Integers as users type them: `1000`, `1_000_000`, `1e6`, `0x10`. */
export function parseIntStrict(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  let n: number;
  if (/^-?\d+$/.test(t)) n = Number(t);
  else if (/^0x[0-9a-f]+$/i.test(t)) n = Number.parseInt(t, 16);
  else if (/^\d+(\.\d+)?e\d+$/i.test(t)) n = Number(t);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

export function helpText(command: string, usage: string, summary: string, specs: OptSpec[]): string {
  const rows = specs.map((s) => {
    const left = `  --${s.name}${s.type === 'boolean' ? '' : ` ${s.arg ?? (s.choices ? s.choices.join('|') : 'VALUE')}`}`;
    const def = s.default !== undefined && s.type !== 'boolean' ? ` (default ${s.default})` : '';
    return `${left.padEnd(34)} ${s.desc}${def}`;
  });
  return `usage: naplab ${command} ${usage}\n\n${summary}\n\noptions:\n${rows.join('\n')}\n`;
}

/**
 * `parseArgs`, and `--help`: when asked, prints the help text to `out` and returns undefined (the
 * command then exits 0).
 */
export function parseOrHelp(
  command: string,
  argv: string[],
  specs: OptSpec[],
  help: { usage: string; summary: string; out: (text: string) => void },
): { positionals: string[]; opts: ParsedOpts } | undefined {
  const parsed = parseArgs(command, argv, specs);
  if (!parsed.opts.help) return parsed;
  help.out(helpText(command, help.usage, help.summary, specs));
  return undefined;
}
