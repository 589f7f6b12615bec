import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RunnerError } from '../src/errors.js';
import { formatProgress, type Progress } from '../src/progress.js';
import { isComplete, mergeResults, readResultsFile, resultsToJSON } from '../src/results.js';
import { runJob } from '../src/run.js';
import { directResults, essence, job, tempDir } from './helpers.js';

const J = job(); // 3000 trials, seed 7, sc
const expected = directResults(J);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('runJob: results depend only on the job', () => {
  it('the test image has every kind of result we need', () => {
    const o = expected.aggregates.outcomes;
    expect(o.ok + o.lockup + o.assert).toBe(3000);
    expect(o.lockup).toBeGreaterThan(10);
    expect(o.assert).toBeGreaterThan(10);
    // the first five failures lie beyond the first batch of 50 trials, so selection across batches matters
    expect(expected.failures).toHaveLength(5);
    expect(expected.failures.at(-1)!.index).toBeGreaterThan(50);
  });

  it('in-process, one worker thread and two workers give the direct engine results', async () => {
    const inProc = await runJob(J, { workers: 1, batchSize: 50 });
    const oneThread = await runJob(J, { workers: 1, inProcess: false, batchSize: 50 });
    const two = await runJob(J, { workers: 2, batchSize: 50 });
    for (const r of [inProc, oneThread, two]) {
      expect(essence(r.results)).toEqual(essence(expected));
      expect(r.interrupted).toBe(false);
      expect(r.remaining).toBe(0);
      expect(r.ran).toBe(3000);
    }
  });

  it('batch size does not matter', async () => {
    for (const batchSize of [7, 333, 3000]) {
      const r = await runJob(J, { workers: 2, batchSize });
      expect(essence(r.results)).toEqual(essence(expected));
    }
  });

  it('2 and 3 shards merged equal one run', async () => {
    for (const count of [2, 3]) {
      const parts = [];
      for (let index = 0; index < count; index++) {
        const r = await runJob({ ...J, shard: { index, count } }, { workers: 2, batchSize: 200 });
        expect(isComplete(r.results)).toBe(true);
        parts.push(r.results);
      }
      const merged = mergeResults(parts.reverse());
      expect(essence(merged)).toEqual(essence(expected));
      expect(merged.job.shard).toBeNull();
      expect(merged.job.range).toEqual([0, 3000]);
      expect(isComplete(merged)).toBe(true);
    }
  });

  it('tso gives different totals from sc (the memory model reaches the engine)', async () => {
    const r = await runJob({ ...J, memory: 'tso' }, { workers: 2, batchSize: 500 });
    expect(essence(r.results)).toEqual(essence(directResults({ ...J, memory: 'tso' })));
    expect(r.results.aggregates.steps).not.toBe(expected.aggregates.steps);
  });
});

describe('runJob: progress', () => {
  it('reports growing counts and a final report with everything done', async () => {
    const seen: Progress[] = [];
    await runJob(J, { workers: 2, batchSize: 100, onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
    const last = seen.at(-1)!;
    expect(last.done).toBe(3000);
    expect(last.total).toBe(3000);
    expect(last.outcomes).toEqual(expected.aggregates.outcomes);
    expect(last.failures).toBe(3000 - expected.aggregates.outcomes.ok);
    expect(last.etaSeconds).toBe(0);
    expect(formatProgress(last)).toMatch(
      /^3\.0k\/3\.0k trials {2}100% {2}\S+\/s {2}lockups \d+ {2}assert \d+ {2}done in \d+s$/,
    );
  });
});

describe('runJob: never lose work', () => {
  for (const mode of ['in-process', 'workers'] as const) {
    it(`abort mid-run (${mode}), then resume, equals an uninterrupted run`, async () => {
      const out = tmp.path(`abort-${mode}.json`);
      const ac = new AbortController();
      const first = await runJob(J, {
        workers: mode === 'workers' ? 2 : 1,
        batchSize: 100,
        out,
        signal: ac.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.done >= 1000) ac.abort();
        },
      });
      expect(first.interrupted).toBe(true);
      expect(first.remaining).toBeGreaterThan(0);
      expect(first.remaining).toBe(3000 - first.results.aggregates.trials);
      const onDisk = await readResultsFile(out);
      expect(onDisk).toEqual(first.results);
      expect(isComplete(onDisk)).toBe(false);

      const second = await runJob(J, { workers: 2, batchSize: 64, resume: out });
      expect(second.interrupted).toBe(false);
      expect(second.ran).toBe(first.remaining);
      expect(essence(second.results)).toEqual(essence(expected));
      expect(essence(await readResultsFile(out))).toEqual(essence(expected));
    });
  }

  it('an already aborted signal runs nothing and still writes the file', async () => {
    const out = tmp.path('pre-aborted.json');
    const r = await runJob(J, { workers: 2, out, signal: AbortSignal.abort() });
    expect(r).toMatchObject({ interrupted: true, remaining: 3000, ran: 0 });
    expect((await readResultsFile(out)).completed).toEqual([]);
  });

  it('resume into another file leaves the resumed file untouched', async () => {
    const a = tmp.path('part.json');
    const b = tmp.path('continued.json');
    const ac = new AbortController();
    await runJob(J, {
      workers: 1,
      batchSize: 500,
      out: a,
      signal: ac.signal,
      progressIntervalMs: 0,
      onProgress: () => ac.abort(),
    });
    const before = readFileSync(a);
    const r = await runJob(J, { workers: 2, resume: a, out: b });
    expect(readFileSync(a)).toEqual(before);
    expect(essence(r.results)).toEqual(essence(expected));
    expect(essence(await readResultsFile(b))).toEqual(essence(expected));
    // resuming a complete file runs nothing
    const again = await runJob(J, { workers: 2, resume: b });
    expect(again.ran).toBe(0);
    expect(essence(again.results)).toEqual(essence(expected));
  });

  it('a crashed worker (process.exit) has its batch re-run on a fresh worker', async () => {
    const r = await runJob(J, { workers: 2, batchSize: 100, faultInjection: { crashOnBatch: [2, 5, 6] } });
    expect(r.retries).toBe(3);
    expect(essence(r.results)).toEqual(essence(expected));
  });

  it('a worker that throws has its batch re-run too', async () => {
    const r = await runJob(J, {
      workers: 2,
      batchSize: 300,
      faultInjection: { crashOnBatch: 1, crashKind: 'throw' },
    });
    expect(r.retries).toBe(1);
    expect(essence(r.results)).toEqual(essence(expected));
  });

  it('retries are bounded; completed batches are saved before the error', async () => {
    const out = tmp.path('crashing.json');
    // one worker thread, so batches go out one after another: dispatches 1..3 complete, then batch
    // [300, 400) crashes its worker on every attempt
    const crashes = Array.from({ length: 10 }, (_, i) => i + 4);
    const err = await runJob(J, {
      workers: 1,
      inProcess: false,
      batchSize: 100,
      out,
      maxRetries: 2,
      faultInjection: { crashOnBatch: crashes },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(RunnerError);
    expect(err.code).toBe('E_WORKER_CRASH');
    expect(err.message).toMatch(
      /batch \[300, 400\) crashed its worker 3 times \(maxRetries 2\).*exited with code 1/,
    );
    const saved = await readResultsFile(out);
    expect(saved.aggregates.trials).toBe(300);
    const resumed = await runJob(J, { workers: 2, resume: out });
    expect(essence(resumed.results)).toEqual(essence(expected));
  });
});

describe('runJob: resuming a checkpoint written before the per-trial second moments', () => {
  it('completes the counts; the moments stay absent (they would cover only some trials)', async () => {
    const out = tmp.path('old-checkpoint.json');
    const part = directResults(J, [[0, 1000]]);
    for (const k of ['wakeupsSq', 'countersSq', 'countersWakeups', 'countersCross'] as const)
      delete part.aggregates[k];
    writeFileSync(out, resultsToJSON(part));
    const r = await runJob(J, { workers: 1, resume: out });
    expect(r.interrupted).toBe(false);
    expect(r.ran).toBe(2000);
    const { wakeupsSq, countersSq, countersWakeups, countersCross, ...sums } = expected.aggregates;
    expect(r.results.aggregates).toEqual(sums);
    expect((await readResultsFile(out)).aggregates).toEqual(sums);
  });
});
