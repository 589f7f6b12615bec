import { describe, expect, it } from 'vitest';
import { mergeResults } from '../src/results.js';
import { runJob } from '../src/run.js';
import { directResults, essence, job } from './helpers.js';

// The WebAssembly engine through the runner: worker threads compile the module themselves. Its
// results must equal the reference engine's (the engines' contract), so they are compared with the
// reference engine run directly.
describe('runJob with the wasm engine', () => {
  const J = job({ engine: 'wasm', trials: 20_000 });
  const expected = directResults(J);

  it('in-process and on two workers equals the reference engine', async () => {
    for (const opts of [{ workers: 1 }, { workers: 2, batchSize: 999 }]) {
      const r = await runJob(J, opts);
      expect(essence(r.results)).toEqual(essence(expected));
    }
  });

  it('shards merged, under tso too', async () => {
    const T = { ...J, memory: 'tso' as const };
    const parts = [];
    for (let index = 0; index < 3; index++)
      parts.push((await runJob({ ...T, shard: { index, count: 3 } }, { workers: 2 })).results);
    expect(essence(mergeResults(parts))).toEqual(essence(directResults(T)));
  });
});
