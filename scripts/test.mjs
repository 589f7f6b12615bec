#!/usr/bin/env node
// The one test command (`pnpm test`): build every package, run every package's vitest suite
// (turbo, all packages even if one fails), lint, then print one closing line
// `Tests: N passed, N failed` summed from each suite's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: false }).status ?? 1;
const dirs = ['packages', 'apps', 'benchmarks', 'examples']
  .flatMap((d) =>
    existsSync(join(root, d, 'package.json'))
      ? [join(root, d)]
      : existsSync(join(root, d))
        ? readdirSync(join(root, d)).map((p) => join(root, d, p))
        : [],
  )
  .filter((d) => existsSync(join(d, 'package.json')));
for (const d of dirs) rmSync(join(d, '.vitest-result.json'), { force: true });

let status = run('pnpm', ['exec', 'turbo', 'run', 'build']);
if (status === 0)
  status = run('pnpm', [
    'exec',
    'turbo',
    'run',
    'test',
    '--continue',
    '--',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=.vitest-result.json',
    '--passWithNoTests',
  ]);
const lint = run('pnpm', ['exec', 'biome', 'check', '.']);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const d of dirs) {
  const f = join(d, '.vitest-result.json');
  if (!existsSync(f)) continue;
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (lint !== 0) console.log('lint: biome check failed (run `pnpm format` to fix formatting)');
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || lint !== 0 || failed > 0 || passed === 0 ? 1 : 0);
