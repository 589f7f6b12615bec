/**
 * Running a job from the CLI: progress on a terminal (stderr, one rewritten line), Ctrl-C saves
 * and says how to resume, runner errors become coded CLI errors (exit 2) that never touch the
 * user's existing files.
 */
import {
  formatProgress,
  type JobResult,
  type JobSpec,
  type RunJobOptions,
  RunnerError,
  runJob,
} from '@naplab/runner';
import { CliError } from './errors.js';
import type { Io } from './io.js';

export interface CliJobOptions extends Omit<RunJobOptions, 'onProgress' | 'signal'> {
  /** printed before the progress line, e.g. the variant */
  tag?: string;
  /** the command that resumes this run (shown after Ctrl-C) */
  resumeCommand?: string;
  quiet?: boolean;
}

export async function runCliJob(job: JobSpec, opts: CliJobOptions, io: Io): Promise<JobResult> {
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) process.exit(130);
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const showProgress = io.isTTY && !opts.quiet;
  const { tag, resumeCommand, quiet: _q, ...runOpts } = opts;
  try {
    const r = await runJob(job, {
      ...runOpts,
      signal: ac.signal,
      onProgress: showProgress
        ? (p) => io.err(`\r\x1b[2K${tag ? `[${tag}] ` : ''}${formatProgress(p)}`)
        : undefined,
    });
    if (showProgress) io.err('\n');
    if (r.interrupted) {
      const saved = r.out
        ? `; ${r.ran} trials this session were saved to ${r.out}`
        : ' (no --out file: nothing was saved)';
      io.err(`naplab: interrupted with ${r.remaining} trials to go${saved}\n`);
      if (r.out && resumeCommand) io.err(`  resume with: ${resumeCommand}\n`);
    }
    return r;
  } catch (e) {
    if (showProgress) io.err('\n');
    if (e instanceof RunnerError)
      throw new CliError(`NAP02${runnerDigit(e.code)}`, `${e.message}`, runnerHint(e.code), 2);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function runnerDigit(code: string): string {
  if (code.startsWith('E_RESULTS')) return '1';
  if (code.startsWith('E_RESUME')) return '2';
  if (code.startsWith('E_MERGE')) return '3';
  if (code === 'E_OUT_EXISTS' || code === 'E_NOT_RESULTS' || code === 'E_WRITE') return '4';
  if (code.startsWith('E_WORKER') || code.startsWith('E_ENGINE')) return '5';
  return '0';
}

function runnerHint(code: string): string | undefined {
  switch (code) {
    case 'E_OUT_EXISTS':
      return 'pass --resume FILE to continue it, or choose another --out';
    case 'E_RESUME_MISMATCH':
      return 'resume with exactly the options of the interrupted run, or start a new --out file';
    case 'E_RESULTS_CORRUPT':
      return 'the file is damaged: restore it or start a new run';
    case 'E_MERGE_OVERLAP':
      return 'merge the disjoint shards of one job (each --shard i/N once)';
    case 'E_MERGE_MISMATCH':
      return 'merge only results of the same scenario, variant, memory model, seed and trial count';
    case 'E_WORKER_MISSING':
    case 'E_ENGINE_LOAD':
      return "run 'pnpm build' first";
    default:
      return undefined;
  }
}

export { RunnerError };
