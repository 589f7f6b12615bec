import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../src/main.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const LITMUS_DIR = `${ROOT}litmus/`;
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const litmusFiles = (): string[] =>
  readdirSync(LITMUS_DIR)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => LITMUS_DIR + f);

/** expected.tsv as { test -> { column -> value } } */
export function expectedTable(): Map<string, Record<string, string>> {
  const [head, ...rows] = readFileSync(`${LITMUS_DIR}expected.tsv`, 'utf8').trim().split('\n');
  const cols = head!.split('\t');
  return new Map(
    rows.map((r) => {
      const cells = r.split('\t');
      return [cells[0]!, Object.fromEntries(cols.map((c, i) => [c, cells[i]!]))];
    }),
  );
}

/** Run the CLI in-process and capture its output. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), isTTY: false });
  return { code, out, err };
}
