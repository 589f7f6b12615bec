import { createRequire } from 'node:module';
import { litmusCommand } from './commands/litmus.js';
import { CliError, didYouMean } from './errors.js';
import type { Io } from './io.js';

type Command = (argv: string[], io: Io) => Promise<number>;

export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  litmus: {
    run: litmusCommand,
    summary: 'explore POWER litmus tests exhaustively: verdicts and final states',
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`);
  return `usage: naplab <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'naplab <command> --help' shows a command's options.\n`;
}

function version(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('../package.json') as { version: string };
  return pkg.version;
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
