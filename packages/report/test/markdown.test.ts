import { describe, expect, test } from 'vitest';
import { buildCompareReport, escapeMarkdown, renderMarkdown } from '../src/index.js';
import { markdownBlock, markdownCode } from '../src/markdown.js';
import { hostileInput, sampleReport, smallInput } from './fixture.js';
import { golden } from './golden.js';

/** Cells of a GFM table row, split at unescaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

describe('renderMarkdown', () => {
  test('the table rows of a small comparison', () => {
    const md = renderMarkdown(buildCompareReport(smallInput()));
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toEqual([
      '| variant | trials | lockups | lockup rate \\[95% CI\\] | syncs/wakeup \\[95% CI\\] | skip sync % \\[95% CI\\] | steps/trial \\[95% CI\\] |',
      '| :-- | --: | --: | --: | --: | --: | --: |',
      '| baseline | 10,000 | 0 | 0 (< 3.0e-4, rule of 3) | 1 [0.9998, 1] | 0 [0, 0.02] | 120.0 [119.9, 120.1] |',
      '| buggy (8c1c7fb0b5ec) | 10,000 | 50 | 0.0050 [0.0037, 0.0066] | 0.75 [0.74, 0.76] | 25 [24, 26] | 115.0 [114.9, 115.1] |',
      '| a - b | lockup rate difference \\[95% CI\\] | syncs/wakeup difference \\[95% CI\\] | p (Fisher) | verdict |',
      '| :-- | --: | --: | --: | :-- |',
      '| buggy (8c1c7fb0b5ec) - baseline | +0.0050 [+0.0037, +0.0066] | -0.25 [-0.26, -0.24] | < 0.001 | buggy (8c1c7fb0b5ec) locks up more often than baseline (p \\< 0.001) |',
    ]);
  });

  test('the same content as the terminal table: failures, replay commands, warnings with remedies', () => {
    const md = renderMarkdown(sampleReport());
    expect(md).toContain('#### buggy\n\n82 of 200,000 trials failed (82 lockup)\n');
    expect(md).toContain('- `watchdog: CPU 4 detected hard LOCKUP on other CPUs 0`\n');
    expect(md).toContain(
      '```sh\nnaplab replay power8-cede --variant buggy --memory tso --schedule 0,1,1,0,2,0,1,3,0,0,1\n```',
    );
    expect(md).toContain('| nosync | 200,000 ! | 3 ! | 1.5e-5 [5.1e-6, 4.5e-5] ! | 0 [0, 0.0001] |');
    expect(md.match(/^- \*\*! W\\_[A-Z\\_]+\*\* /gm)).toHaveLength(4);
    expect(md.match(/^ {2}remedy: /gm)).toHaveLength(4);
    golden('sample.md', md);
  });

  test('hostile user text renders literally and never breaks a table row', () => {
    const report = buildCompareReport(hostileInput());
    const md = renderMarkdown(report);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(tableRows).toHaveLength(4 + 2 + 3 + 2);
    for (const row of tableRows.slice(0, 6)) expect(cells(row)).toHaveLength(7);
    for (const row of tableRows.slice(6)) expect(cells(row)).toHaveLength(5);
    // outside code, no < can start a tag: each is escaped
    const prose = md.replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '').replace(/(`+).*?\1/g, '');
    expect(prose).not.toMatch(/(^|[^\\])<[A-Za-z/!?]/m);
    expect(prose.match(/\\<script/g)?.length).toBeGreaterThan(10);
    expect(prose).toContain(
      'baseline \\<script\\>alert(1)\\</script\\>"\\>\\<img src=x onerror=alert(1)\\>\\]\\]\\>\\</pre\\>',
    );
  });

  test('a command with newlines, pipes and fences stays inside its code block', () => {
    const input = smallInput();
    input.command = 'naplab compare x\n| a | b |\n```\n# not a heading';
    const md = renderMarkdown(buildCompareReport(input));
    expect(md).toContain('````sh\nnaplab compare x\n| a | b |\n```\n# not a heading\n````\n');
    const outside = md.replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '');
    expect(outside).not.toContain('| a | b |');
    expect(outside).not.toContain('# not a heading');
  });

  test('escapeMarkdown', () => {
    expect(escapeMarkdown('*a* _b_ [c](d) <e> `f` | ~g~ & #h')).toBe(
      '\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\| \\~g\\~ \\& \\#h',
    );
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('=== setext')).toBe('\\=== setext');
    expect(escapeMarkdown('two\nlines\r\nhere')).toBe('two lines here');
    expect(escapeMarkdown('a-b 1.5e-5')).toBe('a-b 1.5e-5');
  });

  test('code spans and blocks hold any text', () => {
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b', true)).toBe('`a\\|b`');
    expect(markdownBlock('echo ```', 'sh')).toBe('````sh\necho ```\n````');
    expect(markdownBlock('x\n')).toBe('```\nx\n```');
  });
});
