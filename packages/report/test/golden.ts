import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Compare with test/golden/<name>; `UPDATE_GOLDEN=1 pnpm test` rewrites the file instead. */
export function golden(name: string, actual: string): void {
  const path = join(__dirname, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
