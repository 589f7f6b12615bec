// The parts of benchmarks/RESULTS.md each benchmark script owns: the section between its own
// `<!-- NAME-results:start -->` / `<!-- NAME-results:end -->` markers (run.mjs keeps them all).
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const RESULTS = new URL('RESULTS.md', import.meta.url);

/** The whole of RESULTS.md ('' when it does not exist yet). */
export function readResults() {
  try {
    return readFileSync(RESULTS, 'utf8');
  } catch {
    return '';
  }
}

/** Replace the NAME-results section with `block` (which carries its own markers), or append it. */
export function writeResultsSection(name, block) {
  const text = readResults() || '# Benchmark results\n';
  const re = new RegExp(`<!-- ${name}-results:start -->[\\s\\S]*<!-- ${name}-results:end -->\\n?`);
  const body = block.endsWith('\n') ? block : `${block}\n`;
  writeFileSync(RESULTS, re.test(text) ? text.replace(re, () => body) : `${text.trimEnd()}\n\n${body}`);
}

/** The short hash of HEAD, or 'unknown' outside a git checkout. */
export function gitCommit() {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** What a results JSON records about its run: command, date, commit, node, CPU and load averages. */
export function runInfo(command, started, loadBefore) {
  return {
    command,
    date: started.toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    loadavgBefore: loadBefore,
    loadavgAfter: loadavg(),
  };
}
