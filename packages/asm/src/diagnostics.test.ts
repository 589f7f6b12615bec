import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AsmError,
  closest,
  DIAGNOSTIC_CODES,
  type Diagnostic,
  diag,
  editDistance,
  renderDiagnostic,
} from './diagnostics.js';

describe('renderDiagnostic', () => {
  const d: Diagnostic = {
    code: 'NAP101',
    severity: 'error',
    message: "unknown mnemonic 'lwzz'",
    file: 'k.s',
    line: 2,
    col: 2,
    endCol: 6,
    expected: 'an instruction mnemonic',
    found: "'lwzz'",
    hint: "did you mean 'lwz'?",
  };

  it('renders location, code frame with tab-aligned caret, expected/found and hint', () => {
    const src = 'start:\n\tlwzz\tr3,0(r4)\n';
    expect(renderDiagnostic(d, src)).toBe(
      [
        "k.s:2:2: error[NAP101]: unknown mnemonic 'lwzz'",
        '  2 | \tlwzz\tr3,0(r4)',
        '    | \t^~~~',
        "    = expected an instruction mnemonic, found 'lwzz'",
        "    = hint: did you mean 'lwz'?",
      ].join('\n'),
    );
  });

  it('omits the frame without source text, and for spec diagnostics (line 0)', () => {
    expect(renderDiagnostic({ ...d, expected: undefined, found: undefined })).toBe(
      "k.s:2:2: error[NAP101]: unknown mnemonic 'lwzz'\n  = hint: did you mean 'lwz'?",
    );
    const spec = diag.specThread('demo', 'threads[0].entry', 'no entry');
    expect(renderDiagnostic(spec, 'anything')).toBe('demo: error[NAP302]: threads[0].entry: no entry');
  });

  it('draws a single caret when the range is one column wide', () => {
    const one = { ...d, col: 1, endCol: undefined, expected: undefined, found: undefined, hint: undefined };
    expect(renderDiagnostic(one, 'x\nab')).toBe(
      "k.s:2:1: error[NAP101]: unknown mnemonic 'lwzz'\n  2 | ab\n    | ^",
    );
  });
});

describe('suggestions', () => {
  it('computes Levenshtein distances', () => {
    expect(editDistance('lwzz', 'lwz')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('sync', 'sync')).toBe(0);
  });

  it('suggests the closest candidate within a length-scaled distance', () => {
    expect(closest('lwzz', ['lwz', 'lwzx', 'stw'])).toBe('lwz');
    expect(closest('HSTATE_HWTHREAD_REQQ', ['HSTATE_HWTHREAD_REQ', 'HSTATE_HWTHREAD_STATE'])).toBe(
      'HSTATE_HWTHREAD_REQ',
    );
    expect(closest('xyzzy', ['lwz', 'sync'])).toBeUndefined();
    // short words only tolerate one edit
    expect(closest('bx', ['b', 'bl'])).toBe('b');
    expect(closest('qq', ['b'])).toBeUndefined();
  });

  it('gives special hints for real but unmodelled instructions', () => {
    expect(diag.unknownMnemonic({ file: 'f', line: 1, col: 1 }, 'eieio', ['sync']).hint).toBe(
      'eieio is not modelled (it only orders stores to caching-inhibited memory); use sync or lwsync',
    );
    expect(diag.unknownMnemonic({ file: 'f', line: 1, col: 1 }, 'rlwinm', []).hint).toContain('andi.');
    expect(diag.unknownMnemonic({ file: 'f', line: 1, col: 1 }, 'rlwinm', []).hint).toContain('srw');
  });
});

describe('AsmError', () => {
  it('carries every diagnostic and summarises them in its message', () => {
    const a = diag.syntax({ file: 'a.s', line: 3, col: 4 }, 'bad');
    const b = diag.specEvent('spec', 'events[0].cpu', 'no such cpu');
    const e = new AsmError([a, b]);
    expect(e.diagnostics).toEqual([a, b]);
    expect(e.message).toBe('a.s:3:4: error[NAP100]: bad\nspec: error[NAP303]: events[0].cpu: no such cpu');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('code registry', () => {
  it('lists exactly the codes the constructors use', () => {
    const src = readFileSync(new URL('./diagnostics.ts', import.meta.url), 'utf8');
    const used = new Set([...src.matchAll(/make\(\s*'(NAP\d{3})'/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });
});
