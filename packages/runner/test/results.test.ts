import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RunnerError } from '../src/errors.js';
import {
  isComplete,
  mergeResults,
  RESULTS_FORMAT,
  type Results,
  readResultsFile,
  remainingTrials,
  resultsToJSON,
  writeResultsFile,
} from '../src/results.js';
import { directResults, essence, job, tempDir, testImage } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const J = job({ trials: 1200 });
const whole = directResults(J);

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<RunnerError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(RunnerError);
    return e as RunnerError;
  }
  throw new Error('expected a RunnerError');
}

describe('results files', () => {
  it('round-trip through an atomic write, leaving no temporary file', async () => {
    const path = tmp.path('round.json');
    await writeResultsFile(path, whole);
    expect(await readResultsFile(path)).toEqual(whole);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(isComplete(whole)).toBe(true);
    // and it replaces an older results file
    const partial = directResults(J, [[0, 600]]);
    await writeResultsFile(path, partial);
    expect(await readResultsFile(path)).toEqual(partial);
    expect(remainingTrials(partial)).toBe(600);
  });

  it('the JSON text parses back to the same results, whatever the label holds (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (label) => {
        const r = { ...whole, job: { ...whole.job, label } };
        expect(JSON.parse(resultsToJSON(r))).toEqual(JSON.parse(JSON.stringify(r)));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to overwrite a file that is not a naplab results file', async () => {
    const path = tmp.path('notes.json');
    writeFileSync(path, '{"my": "data"}');
    const e = await refusal(writeResultsFile(path, whole));
    expect(e.code).toBe('E_NOT_RESULTS');
    expect(readFileSync(path, 'utf8')).toBe('{"my": "data"}');
  });

  it('missing file', async () => {
    const e = await refusal(readResultsFile(tmp.path('nope.json')));
    expect(e.code).toBe('E_RESULTS_MISSING');
    expect(e.message).toContain('nope.json does not exist');
  });

  it('truncated file: says where parsing stopped', async () => {
    const path = tmp.path('truncated.json');
    const text = resultsToJSON(whole);
    const cut = text.indexOf('"aggregates"') + 30;
    writeFileSync(path, text.slice(0, cut));
    const e = await refusal(readResultsFile(path));
    expect(e.code).toBe('E_RESULTS_CORRUPT');
    const line = text.slice(0, cut).split('\n').length;
    expect(e.message).toContain(`truncated.json is not valid JSON at line ${line}, column`);
    expect(e.message).toContain(`(byte ${cut}): unexpected end of file`);
    expect(e.message).toContain('truncated');
  });

  it('invalid JSON in the middle', async () => {
    const path = tmp.path('edited.json');
    writeFileSync(path, '{\n "format": "naplab-results",\n "version": 1,,\n}');
    const e = await refusal(readResultsFile(path));
    expect(e.code).toBe('E_RESULTS_CORRUPT');
    expect(e.message).toContain('at line 3, column 15 (byte 45): unexpected ","');
  });

  it('wrong format, wrong version, inconsistent contents', async () => {
    const path = tmp.path('other.json');
    writeFileSync(path, JSON.stringify(testImage()));
    let e = await refusal(readResultsFile(path));
    expect(e.code).toBe('E_RESULTS_FORMAT');
    expect(e.message).toContain(`its format is "naplab-image", expected "${RESULTS_FORMAT}"`);

    writeFileSync(path, JSON.stringify({ ...whole, version: 2 }));
    e = await refusal(readResultsFile(path));
    expect(e.code).toBe('E_RESULTS_VERSION');
    expect(e.message).toContain('version 2');

    const tampered = structuredClone(whole);
    tampered.aggregates.outcomes.ok -= 1;
    writeFileSync(path, JSON.stringify(tampered));
    e = await refusal(readResultsFile(path));
    expect(e.code).toBe('E_RESULTS_INVALID');
    expect(e.message).toContain('aggregates.outcomes add up to 1199, not 1200');
  });
});

describe('mergeResults', () => {
  const pieces: [number, number][][] = [[[0, 100]], [[100, 450]], [[450, 451]], [[451, 1200]]];
  const parts = pieces.map((r) => directResults(J, r));

  it('is exact and independent of the input order', () => {
    expect(essence(mergeResults(parts))).toEqual(essence(whole));
    expect(essence(mergeResults([...parts].reverse()))).toEqual(essence(whole));
    expect(essence(mergeResults([parts[2]!, parts[0]!, parts[3]!, parts[1]!]))).toEqual(essence(whole));
  });

  it('keeps gaps visible: an incomplete merge is not complete', () => {
    const m = mergeResults([parts[0]!, parts[3]!]);
    expect(isComplete(m)).toBe(false);
    expect(remainingTrials(m)).toBe(351);
    expect(m.completed).toEqual([
      [0, 100],
      [451, 1200],
    ]);
  });

  it('re-selects failures by index with the smallest maxFailures', () => {
    const a = directResults({ ...J, maxFailures: 2 }, [[0, 600]]);
    const b = directResults({ ...J, maxFailures: 8 }, [[600, 1200]]);
    const m = mergeResults([b, a]);
    expect(m.job.maxFailures).toBe(2);
    expect(m.failures).toEqual(whole.failures.slice(0, 2));
  });

  it('refuses overlapping trial ranges', () => {
    const e = (() => {
      try {
        mergeResults([parts[0]!, directResults(J, [[50, 200]])], { names: ['a.json', 'b.json'] });
      } catch (x) {
        return x as RunnerError;
      }
    })()!;
    expect(e.code).toBe('E_MERGE_OVERLAP');
    expect(e.message).toBe(
      'cannot merge: trials [50, 100) are in a.json and b.json; merging would count them twice',
    );
  });

  it('refuses results of different jobs, naming the field', async () => {
    const others: [string, Results][] = [
      [
        'image',
        directResults({ ...J, image: { ...testImage(), limits: { ...testImage().limits, maxSteps: 99 } } }, [
          [100, 200],
        ]),
      ],
      ['seed', directResults({ ...J, seed: 8 }, [[100, 200]])],
      ['memory', directResults({ ...J, memory: 'tso' }, [[100, 200]])],
      ['trials', directResults({ ...J, trials: 1300 }, [[100, 200]])],
      ['label', directResults({ ...J, label: { variant: 'fixed' } }, [[100, 200]])],
      ['naplab', { ...directResults(J, [[100, 200]]), naplab: '0.0.1' }],
    ];
    for (const [field, other] of others) {
      const e = await refusal(() => mergeResults([parts[0]!, other], { names: ['a.json', 'b.json'] }));
      expect(e.code).toBe('E_MERGE_MISMATCH');
      expect(e.field).toBe(field);
      expect(e.message).toMatch(new RegExp(`^cannot merge: ${field} (version )?differs: a.json `));
    }
    const seed = await refusal(() =>
      mergeResults([parts[0]!, others[1]![1]], { names: ['a.json', 'b.json'] }),
    );
    expect(seed.message).toBe('cannot merge: seed differs: a.json has 7, b.json has 8');
    expect((await refusal(() => mergeResults([]))).code).toBe('E_MERGE_EMPTY');
  });
});

describe('files written before the per-trial second moments (wakeupsSq, countersSq...)', () => {
  const MOMENTS = ['wakeupsSq', 'countersSq', 'countersWakeups', 'countersCross'] as const;
  /** A results object as naplab wrote it before the moments existed. */
  const old = (r: Results): Results => {
    const o = structuredClone(r);
    for (const k of MOMENTS) delete o.aggregates[k];
    return o;
  };
  const firstSums = (r: Results) => {
    const { wakeupsSq, countersSq, countersWakeups, countersCross, ...rest } = r.aggregates;
    return rest;
  };

  it('new files carry them, and an old file still reads', async () => {
    expect(whole.aggregates.wakeupsSq).toBeGreaterThanOrEqual(0);
    expect(whole.aggregates.countersSq).toHaveLength(1);
    expect(whole.aggregates.countersSq![0]).toBeGreaterThan(0);
    const path = tmp.path('old-format.json');
    writeFileSync(path, resultsToJSON(old(whole)));
    const back = await readResultsFile(path);
    expect(back.aggregates).not.toHaveProperty('wakeupsSq');
    expect(back.aggregates).not.toHaveProperty('countersSq');
    expect(firstSums(back)).toEqual(firstSums(whole));
  });

  it('merging an old shard with new ones adds the counts and drops the moments', () => {
    const parts = [directResults(J, [[0, 500]]), directResults(J, [[500, 1200]])];
    expect(essence(mergeResults(parts))).toEqual(essence(whole));
    for (const mixed of [
      [old(parts[0]!), parts[1]!],
      [parts[0]!, old(parts[1]!)],
      [old(parts[0]!), old(parts[1]!)],
    ]) {
      const m = mergeResults(mixed);
      for (const k of MOMENTS) expect(m.aggregates).not.toHaveProperty(k);
      expect(firstSums(m)).toEqual(firstSums(whole));
    }
  });

  it('a corrupt moment is refused with the field named', async () => {
    const path = tmp.path('bad-moments.json');
    const cases: [string, unknown, string][] = [
      ['wakeupsSq', -4, 'aggregates.wakeupsSq must be a non-negative number'],
      ['wakeupsSq', '12', 'aggregates.wakeupsSq must be a non-negative number'],
      ['countersSq', ['x'], 'aggregates.countersSq[0] must be a non-negative number, got "x"'],
      ['countersWakeups', [-1], 'aggregates.countersWakeups[0] must be a non-negative number, got -1'],
      ['countersSq', [1, 2], 'aggregates.countersSq must be a list of 1 numbers, one per counter'],
      ['countersCross', [3], 'aggregates.countersCross must be a list of 0 numbers'],
    ];
    for (const [key, value, message] of cases) {
      const t = structuredClone(whole);
      (t.aggregates as unknown as Record<string, unknown>)[key] = value;
      writeFileSync(path, JSON.stringify(t));
      const e = await refusal(readResultsFile(path));
      expect(e.code).toBe('E_RESULTS_INVALID');
      expect(e.message).toContain(path);
      expect(e.message).toContain(message);
    }
  });
});

describe('timed latencies: per-trial moments (trialSumSq, trialCountSq, trialCross) and the dispatch block', () => {
  const lat = (n: number, sum: number, moments: boolean) => ({
    n,
    sum,
    sumSq: sum * sum,
    min: 1,
    max: sum,
    hist: n ? [[5, n]] : [],
    ...(moments ? { trialSumSq: sum * sum, trialCountSq: n * n, trialCross: sum * n } : {}),
  });
  /** `whole` with timed aggregates, as a new naplab writes them or (moments = false) an old one. */
  const timed = (moments: boolean): Results => {
    const r = structuredClone(whole);
    r.aggregates.timed = {
      cycles: 1000,
      maxCycles: 10,
      watchdog: { reports: 0, delaySum: 0, delayMin: 0, delayMax: 0 },
      latency: [lat(3, 60, moments)],
      ...(moments ? { dispatch: lat(3, 60, true) } : {}),
    } as NonNullable<Results['aggregates']['timed']>;
    return r;
  };

  it('new files carry them through a write and a read', async () => {
    const path = tmp.path('timed-new.json');
    await writeResultsFile(path, timed(true));
    const back = await readResultsFile(path);
    expect(back.aggregates.timed).toEqual(timed(true).aggregates.timed);
    expect(back.aggregates.timed!.latency[0]!.trialSumSq).toBe(3600);
    expect(back.aggregates.timed!.dispatch!.trialCross).toBe(180);
  });

  it('an old file without them still reads, without them', async () => {
    const path = tmp.path('timed-old.json');
    writeFileSync(path, resultsToJSON(timed(false)));
    const back = await readResultsFile(path);
    expect(back.aggregates.timed!.latency[0]).not.toHaveProperty('trialSumSq');
    expect(back.aggregates.timed).not.toHaveProperty('dispatch');
    expect(back.aggregates.timed!.latency[0]!.sum).toBe(60);
  });

  it('merging an old shard with a new one drops them (the old trials are not in them)', () => {
    const a = timed(true);
    const b = timed(false);
    // the two halves of the job, so that the merge is complete
    a.completed = [[0, 600]];
    b.completed = [[600, 1200]];
    const parts = [directResults(J, [[0, 600]]), directResults(J, [[600, 1200]])];
    parts[0]!.aggregates.timed = a.aggregates.timed;
    parts[1]!.aggregates.timed = b.aggregates.timed;
    const m = mergeResults(parts);
    expect(m.aggregates.timed!.latency[0]!.n).toBe(6);
    expect(m.aggregates.timed!.latency[0]).not.toHaveProperty('trialSumSq');
    expect(m.aggregates.timed).not.toHaveProperty('dispatch');
    parts[1]!.aggregates.timed = structuredClone(a.aggregates.timed);
    const both = mergeResults(parts);
    expect(both.aggregates.timed!.latency[0]!.trialCountSq).toBe(18);
    expect(both.aggregates.timed!.dispatch!.trialSumSq).toBe(7200);
  });

  it('a corrupt moment is refused with the file and the field named', async () => {
    const path = tmp.path('timed-bad.json');
    const cases: [(t: Record<string, any>) => void, string][] = [
      [
        (t) => (t.latency[0].trialSumSq = -1),
        'aggregates.timed.latency[0].trialSumSq must be a non-negative integer',
      ],
      [
        (t) => (t.latency[0].trialCross = 1.5),
        'aggregates.timed.latency[0].trialCross must be a non-negative integer',
      ],
      [
        (t) => (t.dispatch.trialCountSq = '9'),
        'aggregates.timed.dispatch.trialCountSq must be a non-negative integer (a per-trial moment), got "9"',
      ],
      [(t) => delete t.latency[0].trialCountSq, 'aggregates.timed.latency[0].trialCountSq is missing'],
      [(t) => (t.latency = 3), 'aggregates.timed.latency must be a list'],
    ];
    for (const [spoil, message] of cases) {
      const r = timed(true);
      spoil(r.aggregates.timed as unknown as Record<string, any>);
      writeFileSync(path, JSON.stringify(r));
      const e = await refusal(readResultsFile(path));
      expect(e.code).toBe('E_RESULTS_INVALID');
      expect(e.message).toContain(path);
      expect(e.message).toContain(message);
    }
  });
});
