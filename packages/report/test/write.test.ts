import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  parseCompareReport,
  ReportError,
  renderHtml,
  renderMarkdown,
  reportToJSON,
  writeReportDir,
} from '../src/index.js';
import { timelineFileNames } from '../src/write.js';
import { sampleReport } from './fixture.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'naplab-report-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeReportDir', () => {
  test('writes report.json, report.md and report.html, creating the directory', async () => {
    const report = sampleReport();
    const dir = join(root, 'a', 'b');
    const written = await writeReportDir(dir, report);
    expect(written).toEqual({
      json: join(dir, 'report.json'),
      markdown: join(dir, 'report.md'),
      html: join(dir, 'report.html'),
      timelines: {},
    });
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    const json = await readFile(written.json, 'utf8');
    expect(json).toBe(reportToJSON(report));
    expect(parseCompareReport(json)).toEqual(report);
    expect(await readFile(written.markdown, 'utf8')).toBe(renderMarkdown(report));
    expect(await readFile(written.html, 'utf8')).toBe(renderHtml(report));
  });

  test('replaces existing files and leaves no temporary file behind', async () => {
    await writeFile(join(root, 'report.json'), 'old');
    await writeReportDir(root, sampleReport());
    await writeReportDir(root, sampleReport());
    expect((await readdir(root)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    expect(await readFile(join(root, 'report.json'), 'utf8')).toBe(reportToJSON(sampleReport()));
  });

  test('timeline pages: one file per variant, linked from report.html', async () => {
    const page = '<!DOCTYPE html><title>t</title><p>timeline</p>';
    const written = await writeReportDir(root, sampleReport(), { timelinesHtml: { buggy: page } });
    expect(written.timelines).toEqual({ buggy: join(root, 'timeline-buggy.html') });
    expect(await readFile(join(root, 'timeline-buggy.html'), 'utf8')).toBe(page);
    expect(await readFile(written.html, 'utf8')).toContain('<a href="timeline-buggy.html">Timeline page</a>');
  });

  test('timeline file names are safe and distinct whatever the variant names', () => {
    expect(timelineFileNames(['buggy', '../../etc/passwd', 'A B', 'a-b', '<x>', ''])).toEqual({
      buggy: 'timeline-buggy.html',
      '../../etc/passwd': 'timeline-etc-passwd.html',
      'A B': 'timeline-a-b.html',
      'a-b': 'timeline-a-b-2.html',
      '<x>': 'timeline-x.html',
      '': 'timeline-variant.html',
    });
  });

  test('an invalid report or an unknown timeline variant writes nothing', async () => {
    const bad = sampleReport();
    bad.variants[0]!.trials = 5;
    const dir = join(root, 'out');
    await expect(writeReportDir(dir, bad)).rejects.toThrow(
      'variants[0].outcomes add up to 200000, not trials = 5',
    );
    await expect(writeReportDir(dir, sampleReport(), { timelinesHtml: { ghost: 'x' } })).rejects.toThrow(
      'timelinesHtml names unknown variant "ghost"',
    );
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  test('a directory that cannot be created is E_REPORT_WRITE', async () => {
    await writeFile(join(root, 'file'), 'x');
    const err = await writeReportDir(join(root, 'file', 'sub'), sampleReport()).catch((e) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(err.code).toBe('E_REPORT_WRITE');
  });
});
