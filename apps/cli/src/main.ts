import { CliError, didYouMean } from './errors.js';
import type { Io } from './io.js';
import { version } from './version.js';

type Command = (argv: string[], io: Io) => Promise<number>;

// Commands load lazily: one command's dependencies never stop another from running.
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  compare: {
    run: async (a, io) => (await import('./commands/compare.js')).compareCommand(a, io),
    summary: 'the flagship: lockup rates, syncs per wakeup and counterexamples of every wakeup variant',
  },
  litmus: {
    run: async (a, io) => (await import('./commands/litmus.js')).litmusCommand(a, io),
    summary: 'explore POWER litmus tests exhaustively: verdicts and final states',
  },
  check: {
    run: async (a, io) => (await import('./commands/check.js')).checkCommand(a, io),
    summary: 'explore every interleaving of a scenario: holds, or a counterexample',
  },
  run: {
    run: async (a, io) => (await import('./commands/run.js')).runCommand(a, io),
    summary: 'uniform random trials of one wakeup variant: outcome counts and rates',
  },
  merge: {
    run: async (a, io) => (await import('./commands/merge.js')).mergeCommand(a, io),
    summary: 'combine shard results exactly',
  },
  replay: {
    run: async (a, io) => (await import('./commands/replay.js')).replayCommand(a, io),
    summary: 'rerun one trial (seed and index, or a schedule) step by step',
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`);
  return `usage: naplab <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'naplab <command> --help' shows a command's options.\n`;
}

/** Run the CLI; returns the exit code. User errors give 2, internal errors 70. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === 'help') {
      io.out(usage());
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version') {
      io.out(`naplab ${version()}\n`);
      return 0;
    }
    const c = COMMANDS[cmd];
    if (!c) {
      const guess = didYouMean(cmd, Object.keys(COMMANDS));
      throw new CliError(
        'NAP001',
        `unknown command '${cmd}'`,
        guess ? `did you mean 'naplab ${guess}'?` : `commands: ${Object.keys(COMMANDS).join(', ')}`,
      );
    }
    return await c.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`naplab: error[${e.code}]: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    if (e && typeof e === 'object' && (e as any).name === 'ImageError') {
      io.err(`naplab: error[${(e as any).code}]: ${(e as Error).message}\n`);
      return 2;
    }
    io.err(
      `naplab: internal error (this is a bug in naplab, not in your input): ${(e as Error)?.stack ?? e}\n` +
        `  naplab ${version()}, node ${process.version}, ${process.platform}-${process.arch}\n`,
    );
    return 70;
  }
}
