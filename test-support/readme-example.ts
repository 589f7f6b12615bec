/**
 * A package README's example is its `examples/quickstart.mjs` verbatim, and the output the README
 * shows is what the example prints (run through the built package entry, as a user would run it).
 * Shared by the packages whose README carries such an example; returns what the example printed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export function checkReadmeExample(packageDir: URL): string {
  const readme = readFileSync(new URL('README.md', packageDir), 'utf8');
  const example = readFileSync(new URL('examples/quickstart.mjs', packageDir), 'utf8');
  expect(readme).toContain(`\`\`\`js\n${example}\`\`\``);
  const run = spawnSync(process.execPath, ['examples/quickstart.mjs'], {
    cwd: fileURLToPath(packageDir),
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(readme).toContain(`Output:\n\n\`\`\`\n${run.stdout}\`\`\``);
  return run.stdout;
}
