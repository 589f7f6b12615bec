import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';

const README = join(__dirname, '..', 'README.md');
let dir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
  await rm(join(tmpdir(), 'naplab-example-report'), { recursive: true, force: true });
});

test('the README example runs and prints what it says', async () => {
  const readme = await readFile(README, 'utf8');
  const m = readme.match(/<!-- readme-example -->\n```js\n([\s\S]*?)```/);
  expect(m).not.toBeNull();
  // the same code, importing the sources instead of the built package
  const code = m![1]!.replace(
    "from '@naplab/report'",
    `from ${JSON.stringify(join(__dirname, '..', 'src', 'index.ts'))}`,
  );
  dir = await mkdtemp(join(tmpdir(), 'naplab-readme-'));
  const file = join(dir, 'example.mjs');
  await writeFile(file, code);
  const logs: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.join(' '));
  });
  // as when piped: no colour, no width limit, whatever terminal runs the tests
  const stdout = process.stdout as { isTTY?: boolean; columns?: number };
  const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
  Object.assign(stdout, { isTTY: false, columns: undefined });
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    Object.assign(stdout, saved);
  }
  expect(logs[0]).toContain('buggy     50,000       40  8.0e-4 [5.8e-4, 1.1e-3]');
  expect(logs[1]).toBe('buggy locks up more often than baseline (p < 0.001)');
  expect(logs[2]).toBe(`wrote ${join(tmpdir(), 'naplab-example-report', 'report.html')}`);
  const json = await readFile(join(tmpdir(), 'naplab-example-report', 'report.json'), 'utf8');
  expect(JSON.parse(json).variants.map((v: { variant: string }) => v.variant)).toEqual([
    'baseline',
    'buggy',
    'fixed',
  ]);
});
