import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { isComplete, readResultsFile } from '../src/results.js';
import { runJob } from '../src/run.js';
import { directResults, essence, job, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Poll (no fixed sleep decides anything) until `check` holds. */
async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('a run killed with SIGKILL mid-way resumes to the uninterrupted totals', async () => {
  const J = job();
  const imagePath = tmp.path('image.json');
  const out = tmp.path('killed.json');
  writeFileSync(imagePath, JSON.stringify(J.image));
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./kill-child.mjs', import.meta.url)), imagePath, out],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    child.on('exit', (code, sig) => r(sig ?? code)),
  );
  // wait until the checkpoint shows some completed batches (every read sees a whole file)
  const done = () => {
    if (!existsSync(out)) return 0;
    return JSON.parse(readFileSync(out, 'utf8')).aggregates.trials as number;
  };
  try {
    await until(() => done() >= 500 || child.exitCode !== null, 'the first checkpoints');
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited, stderr).toBe('SIGKILL');

  const killed = await readResultsFile(out);
  expect(killed.aggregates.trials).toBeGreaterThanOrEqual(500);
  expect(isComplete(killed)).toBe(false);

  const resumed = await runJob(J, { workers: 2, batchSize: 250, resume: out });
  expect(resumed.ran).toBe(3000 - killed.aggregates.trials);
  expect(essence(resumed.results)).toEqual(essence(directResults(J)));
  expect(essence(await readResultsFile(out))).toEqual(essence(directResults(J)));
  // only the results file (and the image) remain, plus at most a temp file of the killed write
  expect(
    readdirSync(tmp.dir)
      .filter((f) => !f.endsWith('.tmp'))
      .sort(),
  ).toEqual(['image.json', 'killed.json']);
});
