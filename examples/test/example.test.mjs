import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the library example runs and finds the lockup of buggy, none in baseline and fixed', () => {
  const script = fileURLToPath(new URL('../fix-comparison.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, '5000', '2018'], { encoding: 'utf8' });
  const lockups = Object.fromEntries(
    [...out.matchAll(/^(\w+)\s+lockups\s+(\d+)\/5000/gm)].map((m) => [m[1], Number(m[2])]),
  );
  expect(lockups.baseline).toBe(0);
  expect(lockups.fixed).toBe(0);
  expect(lockups.buggy).toBeGreaterThan(0);
  expect(out).toMatch(/first failure: trial \d+: watchdog: CPU \d+ detected hard LOCKUP on other CPUs \d+/);
  expect(out).toMatch(/Fisher p = /);
});
