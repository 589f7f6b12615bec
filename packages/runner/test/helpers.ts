/**
 * A small image built from instruction tuples, with a mix of outcomes under the uniform scheduler:
 *
 *   P0: r2 = X; X = r2 + 1; count bumps; await Y == 1; halt
 *   P1: r2 = X; X = r2 + 1; choose r3 in 0..63; if r3 != 0 { Y = 1 };
 *       if r3 == 1 { r5 = X; assert r5 != 1 }; halt
 *
 * P1 skips the signal one time in 64, so P0 waits forever (`lockup`); one time in 64 it checks X,
 * which reads 1 when P0 has not incremented yet or an increment was lost (`assert`). Non-ok trials
 * are rare (about 3%), so the first few failures spread over several batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceEngine } from '@naplab/engine-ref';
import { DEFAULT_LIMITS, type Image, INSTR_WORDS, Op, type ThreadInit } from '@naplab/isa';
import type { JobSpec } from '../src/job.js';
import type { Range } from '../src/ranges.js';
import { addBatch, emptyResults, type Results } from '../src/results.js';
import { jobIdentity } from '../src/run.js';

const X = 1;
const Y = 2;

export function testImage(name = 'runner-test'): Image {
  const code: [string, number, number, number][] = [
    // P0 at 0
    ['lwz', 2, 0, X],
    ['addi', 2, 2, 1],
    ['stw', 2, 0, X],
    ['count', 0, 0, 0],
    ['await.eq', 1, 0, Y],
    ['halt', 0, 0, 0],
    // P1 at 6
    ['lwz', 2, 0, X],
    ['addi', 2, 2, 1],
    ['stw', 2, 0, X],
    ['choose', 3, 64, 0],
    ['cmpwi', 0, 3, 0],
    ['beq', 0, 14, 0],
    ['li', 4, 0, 1],
    ['stw', 4, 0, Y],
    ['cmpwi', 0, 3, 1], // 14
    ['bne', 0, 18, 0],
    ['lwz', 5, 0, X],
    ['assert.ne', 5, 1, 0],
    ['halt', 0, 0, 0], // 18
  ];
  const words = code.flatMap(([op, a, b, c]) => [Op[op]!, a, b, c]);
  if (words.length !== code.length * INSTR_WORDS) throw new Error('bad test image');
  const thread = (cpu: number, pc: number): ThreadInit => ({
    cpu,
    name: `P${cpu}`,
    pc,
    status: 0,
    regs: [],
    msrEE: 0,
    lpcr: 0,
    lpid: 0,
    pending: 0,
    mustHalt: true,
  });
  return {
    format: 'naplab-image',
    version: 1,
    name,
    code: words,
    labels: { P0: 0, P1: 6 },
    strings: ['X read back as 1: an increment was lost'],
    counters: ['bumps'],
    memory: {
      size: 3,
      init: [],
      symbols: [
        { name: 'X', addr: X, size: 1 },
        { name: 'Y', addr: Y, size: 1 },
      ],
    },
    threadsPerCore: 1,
    threads: [thread(0, 0), thread(1, 6)],
    vectors: { systemReset: -1, external: -1, decrementer: -1, doorbell: -1 },
    events: [],
    observe: [{ kind: 'mem', addr: X }],
    limits: { ...DEFAULT_LIMITS },
  };
}

// ---------------------------------------------------------------------------------------------

export const job = (over: Partial<JobSpec> = {}): JobSpec => ({
  image: testImage(),
  memory: 'sc',
  seed: 7,
  trials: 3000,
  engine: 'reference',
  ...over,
});

/** Results of `ranges` of a job, computed straight from the reference engine (no runner). */
export function directResults(j: JobSpec, ranges: Range[] = [[0, j.trials]]): Results {
  const r = emptyResults(jobIdentity(j));
  for (const range of ranges) {
    const batch = referenceEngine.runTrials(j.image, {
      memory: j.memory,
      scheduler: { kind: 'uniform' },
      seed: j.seed,
      from: range[0],
      to: range[1],
      record: 'failures',
      maxFailures: r.job.maxFailures,
    });
    addBatch(r, range, batch);
  }
  return r;
}

/** What must not depend on workers, batches, shards, crashes or interruptions. */
export const essence = (r: Results) => ({
  completed: r.completed,
  aggregates: r.aggregates,
  failures: r.failures,
});

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'naplab-runner-'));
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
