import { describe, expect, test } from 'vitest';
import { buildCompareReport, renderTable } from '../src/index.js';
import { hostileInput, sampleReport, smallInput } from './fixture.js';
import { golden } from './golden.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('renderTable', () => {
  test('a small comparison, exactly', () => {
    const text = renderTable(buildCompareReport(smallInput()));
    expect(text).toBe(
      [
        'naplab compare: cede-ipi (from scenarios/cede-ipi.json)',
        '  memory sc, scheduler uniform, engine reference, seed 42, 10,000 trials per variant, 95% intervals',
        '  command: naplab compare scenarios/cede-ipi.json --seed 42 --trials 10000',
        '',
        'variant               trials  lockups  lockup rate [95% CI]          syncs/wakeup [95% CI]  skip sync % [95% CI]  steps/trial [95% CI]',
        '--------------------------------------------------------------------------------------------------------------------------------------',
        'baseline              10,000        0       0 (< 3.0e-4, rule of 3)     1 [0.9998, 1]        0 [0, 0.02]          120.0 [119.9, 120.1]',
        'buggy (8c1c7fb0b5ec)  10,000       50  0.0050 [0.0037, 0.0066]       0.75 [0.74, 0.76]      25 [24, 26]           115.0 [114.9, 115.1]',
        '',
        'comparisons',
        'a - b                            lockup rate difference [95% CI]  syncs/wakeup difference [95% CI]  p (Fisher)  verdict',
        '-'.repeat(178),
        'buggy (8c1c7fb0b5ec) - baseline  +0.0050 [+0.0037, +0.0066]       -0.25 [-0.26, -0.24]                 < 0.001  buggy (8c1c7fb0b5ec) locks up more often than baseline (p < 0.001)',
        '',
        'failures',
        'buggy (8c1c7fb0b5ec): 50 of 10,000 trials failed (50 lockup)',
        '  watchdog: CPU 4 detected hard LOCKUP on other CPUs 0',
        '  shortest counterexample: 5 decisions (trial 317, seed 42)',
        '  replay: naplab replay scenarios/cede-ipi.json --variant buggy --schedule 1,0,0,2,1',
        '',
      ].join('\n'),
    );
  });

  test('the four-variant sample with warnings matches its golden file', () => {
    golden('sample-table.txt', renderTable(sampleReport()));
  });

  test('warnings: a ! on each value concerned, and every warning listed with its remedy', () => {
    const text = renderTable(sampleReport());
    const nosync = text.split('\n').find((l) => l.startsWith('nosync '))!;
    // step-limit trials flag the trials, the missing counterexample the lockups, few lockups the rate
    expect(nosync).toMatch(/^nosync {4}200,000 ! {8}3 ! {2}1\.5e-5 \[5\.1e-6, 4\.5e-5\] ! /);
    expect(text.split('\n').filter((l) => l.startsWith('buggy ') && l.includes('!'))).toEqual([]);
    expect(text).toContain('warnings (! in the tables marks the values they concern)');
    const codes = [...text.matchAll(/^! (W_[A-Z_]+) /gm)].map((m) => m[1]);
    expect(codes).toEqual(['W_LIMIT', 'W_WIDE_INTERVAL', 'W_NO_COUNTEREXAMPLE', 'W_INCONCLUSIVE_COMPARISON']);
    expect(text.match(/^ {2}remedy: /gm)).toHaveLength(4);
    expect(text).toContain(
      '  remedy: run about 2,200,000 trials per variant: about 32 lockups pin the rate down within a factor of 2',
    );
  });

  test('numbers are right-aligned and interval brackets line up', () => {
    const lines = renderTable(sampleReport()).split('\n');
    const at = lines.findIndex((l) => l.startsWith('variant '));
    const header = lines[at]!;
    const rows = lines.slice(at + 2, at + 6);
    for (const column of ['trials', 'lockups']) {
      const end = header.indexOf(column) + column.length;
      for (const row of rows) {
        expect(row.slice(0, end)).toMatch(/\d$/);
        expect(row[end]).toBe(' ');
      }
    }
    // in the rate column the estimates end, and the brackets start, in one column
    const rate = header.indexOf('lockup rate');
    const brackets = rows.map((r) => rate + r.slice(rate).match(/^ *\S+ [[(]/)![0].length - 1);
    expect(brackets).toEqual([rate + 7, rate + 7, rate + 7, rate + 7]);
  });

  test('a narrower terminal drops the secondary intervals, then stacks the variants', () => {
    const report = sampleReport();
    const full = renderTable(report);
    expect(renderTable(report, { width: 200 })).toBe(full);
    const compact = renderTable(report, { width: 105 });
    expect(compact).toContain(
      'variant    trials    lockups    lockup rate [95% CI]          syncs/wakeup  skip sync %  steps/trial\n',
    );
    expect(compact).toContain(
      'buggy     200,000         82    4.1e-4 [3.3e-4, 5.1e-4]              0.750         25.0        150.0\n',
    );
    expect(compact).toContain('(intervals of the last three columns left out to fit; see the JSON report)');
    const stacked = renderTable(report, { width: 60 });
    expect(stacked).toContain('buggy\n  trials                 200,000\n  lockups                82\n');
    expect(stacked).toContain('  lockup rate [95% CI]   1.5e-5 [5.1e-6, 4.5e-5] !\n');
    // commands are never wrapped: they must stay copy-pasteable
    expect(stacked).toContain(
      '  replay: naplab replay power8-cede --variant buggy --memory tso --schedule 0,1,1,0,2,0,1,3,0,0,1\n',
    );
  });

  test('colour adds ANSI styles and nothing else', () => {
    const report = sampleReport();
    const plain = renderTable(report);
    const colored = renderTable(report, { color: true });
    expect(colored).not.toBe(plain);
    expect(colored).toContain('\u001b[31m'); // lockups in red
    expect(colored).toContain('\u001b[33m!\u001b[39m'); // marks in yellow
    expect(strip(colored)).toBe(plain);
    expect(plain).not.toContain('\u001b');
  });

  test('control characters in user strings never reach the terminal', () => {
    const input = hostileInput();
    input.variants[0]!.label = 'base\u001b[2J\rline\nbreak';
    input.scenario.name = 'evil\u001b]0;title\u0007';
    const text = renderTable(buildCompareReport(input));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).toContain('base\\x1b[2J\\x0dline\\x0abreak');
    expect(text).toContain('naplab compare: evil\\x1b]0;title\\x07');
  });
});
