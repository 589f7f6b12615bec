/**
 * The README's example is examples/quickstart.mjs verbatim, and its printed output is what the
 * example prints (through the built package entry, as a user would run it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../examples/quickstart.mjs', import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/quickstart.mjs verbatim', () => {
    expect(readme).toContain(`\`\`\`js\n${example}\`\`\``);
  });

  it('shows what the example prints', () => {
    const run = spawnSync(process.execPath, ['examples/quickstart.mjs'], { cwd: PKG, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readme).toContain(`Output:\n\n\`\`\`\n${run.stdout}\`\`\``);
    expect(run.stdout).toContain('detected hard LOCKUP on other CPUs 4');
    expect(run.stdout).toContain('hwthread_req test skipped');
  });
});
