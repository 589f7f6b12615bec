import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const built = ['dist/index.js', 'dist/worker.js'].map((f) => join(root, f));
  const stale = built.some((f) => !existsSync(f) || statSync(f).mtimeMs < newest(join(root, 'src')));
  if (stale) execFileSync(join(root, 'node_modules/.bin/tsup'), [], { cwd: root, stdio: 'inherit' });
}
