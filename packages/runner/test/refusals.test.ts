import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerError } from '../src/errors.js';
import type { JobSpec } from '../src/job.js';
import { runJob } from '../src/run.js';
import { job, tempDir, testImage } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const J = job({ trials: 1000 });
const partial = tmp.path('partial.json');

beforeAll(async () => {
  const ac = new AbortController();
  await runJob(J, {
    workers: 1,
    batchSize: 200,
    out: partial,
    signal: ac.signal,
    progressIntervalMs: 0,
    onProgress: () => ac.abort(),
  });
});

async function refused(j: JobSpec, opts: Parameters<typeof runJob>[1]): Promise<RunnerError> {
  const e = await runJob(j, opts).then(
    () => undefined,
    (x) => x,
  );
  expect(e).toBeInstanceOf(RunnerError);
  return e;
}

describe('resume refuses another job and leaves the file untouched', () => {
  const cases: [string, JobSpec, string][] = [
    ['image', { ...J, image: { ...testImage(), meta: { scenario: 'described differently' } } }, ''],
    ['image', { ...J, image: testImage('renamed') }, 'image differs: the file has '],
    ['image', { ...J, image: { ...testImage(), counters: ['other'] } }, 'image differs: the file has '],
    ['seed', { ...J, seed: 8 }, 'seed differs: the file has 7, this job has 8'],
    ['memory', { ...J, memory: 'tso' }, 'memory differs: the file has "sc", this job has "tso"'],
    ['trials', { ...J, trials: 2000 }, 'trials differs: the file has 1000, this job has 2000'],
    [
      'shard',
      { ...J, shard: { index: 0, count: 2 } },
      'shard differs: the file has null, this job has {"index":0,"count":2}',
    ],
    ['engine', { ...J, engine: 'wasm' }, 'engine differs: the file has "reference", this job has "wasm"'],
    ['maxFailures', { ...J, maxFailures: 9 }, 'maxFailures differs: the file has 5, this job has 9'],
  ];
  for (const [field, other, message] of cases) {
    if (message === '') {
      it('an image that differs only in meta is the same image', async () => {
        const r = await runJob(other, { workers: 1, resume: partial, out: tmp.path('same-image.json') });
        expect(r.remaining).toBe(0);
      });
      continue;
    }
    it(`${field}: ${message}`, async () => {
      const before = readFileSync(partial);
      const e = await refused(other, { workers: 2, resume: partial });
      expect(e.code).toBe('E_RESUME_MISMATCH');
      expect(e.field).toBe(field);
      expect(e.message).toContain(`cannot resume from ${partial}: it is another job's results; ${message}`);
      expect(readFileSync(partial)).toEqual(before);
    });
  }

  it('a truncated file', async () => {
    const path = tmp.path('cut.json');
    const text = readFileSync(partial, 'utf8').slice(0, 300);
    writeFileSync(path, text);
    const e = await refused(J, { workers: 2, resume: path });
    expect(e.code).toBe('E_RESULTS_CORRUPT');
    expect(e.message).toMatch(
      /cut\.json is not valid JSON at line \d+, column \d+ \(byte 300\): unexpected end of file/,
    );
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});

describe('out is protected', () => {
  it('an existing results file is not replaced unless asked', async () => {
    const before = readFileSync(partial);
    const e = await refused(J, { workers: 1, out: partial });
    expect(e.code).toBe('E_OUT_EXISTS');
    expect(readFileSync(partial)).toEqual(before);
    const copy = tmp.path('copy.json');
    writeFileSync(copy, before);
    const r = await runJob({ ...J, seed: 99 }, { workers: 1, out: copy, overwrite: true });
    expect(r.results.job.seed).toBe(99);
  });

  it('a file that is not a results file is never replaced', async () => {
    const path = tmp.path('precious.txt');
    writeFileSync(path, 'my thesis');
    const e = await refused(J, { workers: 1, out: path, overwrite: true });
    expect(e.code).toBe('E_NOT_RESULTS');
    expect(readFileSync(path, 'utf8')).toBe('my thesis');
  });
});

describe('invalid jobs and options', () => {
  const bad: [string, Partial<JobSpec>][] = [
    ['seed', { seed: -1 }],
    ['seed', { seed: 2 ** 32 }],
    ['trials', { trials: 0 }],
    ['trials', { trials: 1.5 }],
    ['memory', { memory: 'arm' as never }],
    ['engine', { engine: 'gpu' as never }],
    ['shard', { shard: { index: 3, count: 3 } }],
    ['image', { image: { ...testImage(), code: [999, 0, 0, 0] } }],
  ];
  for (const [field, over] of bad) {
    it(`${field}: ${JSON.stringify(over).slice(0, 60)}`, async () => {
      const e = await refused({ ...J, ...over }, { workers: 1 });
      expect(e.code).toBe('E_JOB');
      expect(e.field).toBe(field);
    });
  }
  it('options', async () => {
    expect((await refused(J, { workers: 0 })).code).toBe('E_OPTIONS');
    expect((await refused(J, { batchSize: -5 })).code).toBe('E_OPTIONS');
    expect((await refused(J, { inProcess: true, faultInjection: { crashOnBatch: 1 } })).code).toBe(
      'E_OPTIONS',
    );
  });
});
