/** File arguments: plain paths or simple globs (`*`, `?` in the last segment, `**` for any depth). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function globToRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`);
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** Expand arguments; a glob that matches nothing is returned as-is so the caller reports it. */
export function expandFileArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (!/[*?]/.test(a) || existsSync(a)) {
      out.push(a);
      continue;
    }
    const recursive = a.includes('**/');
    const [root, pattern] = recursive
      ? [a.slice(0, a.indexOf('**/')) || '.', basename(a)]
      : [dirname(a), basename(a)];
    const re = globToRegExp(pattern);
    let matches: string[] = [];
    try {
      if (recursive) {
        const all: string[] = [];
        walk(root, all);
        matches = all.filter((p) => re.test(basename(p)));
      } else {
        matches = readdirSync(root)
          .filter((n) => re.test(n))
          .map((n) => join(root, n))
          .filter((p) => statSync(p).isFile());
      }
    } catch {
      matches = [];
    }
    if (matches.length === 0) out.push(a);
    else out.push(...matches.sort());
  }
  return out;
}
