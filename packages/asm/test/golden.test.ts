/**
 * Golden tests: every input in test/golden (`.s` assembled against GOLDEN_SPEC, `.litmus`, `.json`
 * image specs) has an expected `.listing` (success) or `.diag` (rendered diagnostics). The same
 * files generate docs/errors.md. Regenerate both with `UPDATE_GOLDEN=1 pnpm test`.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AsmError,
  DIAGNOSTIC_CODES,
  type ImageSpec,
  linkImage,
  listing,
  litmusToImage,
  parseLitmus,
  renderDiagnostic,
} from '../src/index.js';

const DIR = fileURLToPath(new URL('./golden/', import.meta.url));
const ERRORS_MD = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The environment `.s` goldens assemble in: kernel-style constants, two globals and a PACA. */
const GOLDEN_SPEC: Omit<ImageSpec, 'name' | 'sources'> = {
  defines: { KVM_HWTHREAD_IN_KERNEL: 0, KVM_HWTHREAD_IN_IDLE: 1, KVM_HWTHREAD_IN_KVM: 2 },
  globals: [{ name: 'x' }, { name: 'y' }],
  perThread: [{ name: 'HSTATE_HWTHREAD_STATE' }, { name: 'HSTATE_HWTHREAD_REQ' }, { name: 'PACAR1' }],
  threads: [{ name: 'cpu0', status: 'halted' }],
};

/** Run one golden input: ['listing' | 'diag', output text]. */
function run(file: string): ['listing' | 'diag', string] {
  const text = readFileSync(join(DIR, file), 'utf8');
  const sources = new Map<string, string>([[file, text]]);
  try {
    if (file.endsWith('.litmus')) return ['listing', listing(litmusToImage(parseLitmus(file, text)))];
    if (file.endsWith('.json')) {
      const spec = JSON.parse(text) as ImageSpec;
      for (const s of spec.sources) sources.set(s.file, s.text);
      return ['listing', listing(linkImage(spec))];
    }
    return [
      'listing',
      listing(linkImage({ ...GOLDEN_SPEC, name: basename(file, '.s'), sources: [{ file, text }] })),
    ];
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    return ['diag', `${e.diagnostics.map((d) => renderDiagnostic(d, sources.get(d.file))).join('\n\n')}\n`];
  }
}

const inputs = readdirSync(DIR)
  .filter((f) => /\.(s|litmus|json)$/.test(f))
  .sort();

describe('golden files', () => {
  it('has inputs', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(36);
  });
  for (const file of inputs) {
    it(file, () => {
      const [kind, out] = run(file);
      const stem = file.replace(/\.(s|litmus|json)$/, '');
      const expectedPath = join(DIR, `${stem}.${kind}`);
      const otherPath = join(DIR, `${stem}.${kind === 'diag' ? 'listing' : 'diag'}`);
      if (UPDATE) {
        writeFileSync(expectedPath, out);
        if (existsSync(otherPath)) unlinkSync(otherPath);
      }
      expect(existsSync(otherPath), `${file} unexpectedly ${kind === 'diag' ? 'failed' : 'succeeded'}`).toBe(
        false,
      );
      expect(out).toBe(readFileSync(expectedPath, 'utf8'));
      // a file named after a code must fail with that code and only that code
      const code = /^(NAP\d{3})-/.exec(file)?.[1];
      if (code) {
        expect(kind).toBe('diag');
        const codes = new Set([...out.matchAll(/error\[(NAP\d{3})\]/g)].map((m) => m[1]));
        expect([...codes]).toEqual([code]);
      }
    });
  }
});

/** docs/errors.md: every code with its title, the golden example, the rendered output and the fix. */
function errorsMarkdown(): string {
  const parts: string[] = [
    '# naplab assembler and litmus diagnostics',
    '',
    '<!-- Generated from packages/asm/src/diagnostics.ts (DIAGNOSTIC_CODES) and the golden files in',
    '     packages/asm/test/golden. Regenerate: cd packages/asm && UPDATE_GOLDEN=1 pnpm test -->',
    '',
    'Every diagnostic of `@naplab/asm` has a stable code. It renders as',
    '`file:line:col: error[CODE]: message`, the source line with the range underlined, then',
    '`expected ..., found ...` and `hint: ...` when they apply. Several errors in one file are',
    'reported together. Diagnostics about an `ImageSpec` field (codes NAP3xx) have no source line;',
    'their message names the field.',
    '',
    'Code ranges: NAP0xx are reported by the `naplab` command line itself (apps/cli), NAP1xx by the',
    'assembler, NAP2xx by the litmus front end, NAP3xx by the linker (`linkImage`).',
    '',
    '## Litmus verdicts',
    '',
    '`verdictOf(test, reachableFinals)`: for `exists P` and `~exists P` the verdict is **allowed** iff',
    'P holds in at least one reachable final state (for `~exists` tests, P is the forbidden pattern,',
    'as in `shared/litmus/expected.tsv`); for `forall P` the verdict is **allowed** iff P holds in',
    'every reachable final state (vacuously so when none is reachable).',
    '',
  ];
  for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
    const example = inputs.find((f) => f.startsWith(`${code}-`));
    parts.push(`## ${code}: ${info.title}`, '');
    if (example) {
      const text = readFileSync(join(DIR, example), 'utf8');
      const lang = example.endsWith('.json') ? 'json' : example.endsWith('.s') ? 'asm' : '';
      parts.push(`Example (\`${example}\`):`, '', `\`\`\`${lang}`, text.trimEnd(), '```', '');
      parts.push('Output:', '', '```', run(example)[1].trimEnd(), '```', '');
    }
    parts.push(`Fix: ${info.fix}`, '');
  }
  parts.push(cliSection());
  return parts.join('\n');
}

const CLI_START = '<!-- cli-codes:start (hand-maintained; regeneration keeps this section) -->';
const CLI_END = '<!-- cli-codes:end -->';

/** The command line's own codes are written by hand between the markers and survive regeneration. */
function cliSection(): string {
  const old = existsSync(ERRORS_MD) ? readFileSync(ERRORS_MD, 'utf8') : '';
  const a = old.indexOf(CLI_START);
  const b = old.indexOf(CLI_END);
  if (a >= 0 && b > a) return `${old.slice(a, b + CLI_END.length)}\n`;
  return [
    CLI_START,
    '## NAP0xx: command line',
    '',
    'Codes NAP0xx are reported by `naplab` itself (apps/cli: usage, unreadable files, bad options);',
    'their entries go in this section.',
    CLI_END,
    '',
  ].join('\n');
}

describe('docs/errors.md', () => {
  it('documents every code with a golden example', () => {
    for (const code of Object.keys(DIAGNOSTIC_CODES)) {
      expect(
        inputs.some((f) => f.startsWith(`${code}-`)),
        `no golden example for ${code}`,
      ).toBe(true);
    }
  });
  it('is up to date', () => {
    const md = errorsMarkdown();
    if (UPDATE) writeFileSync(ERRORS_MD, md);
    expect(readFileSync(ERRORS_MD, 'utf8')).toBe(md);
  });
});
