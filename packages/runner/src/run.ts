/**
 * `runJob`: run a job's trials on a pool of worker threads (or in this thread), merging batch
 * results as they arrive and checkpointing them to a results file after every batch.
 *
 * Results depend only on (image, memory model, scheduler, seed, trial range): each batch is a pure
 * function of its range, aggregates are sums, and failures are re-selected by trial index. Workers,
 * batch size, shard split, crashes and interruptions change how the range is cut, never the totals.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type BatchResult, type Engine, imageHash, imageToJSON, type SchedulerSpec } from '@naplab/isa';
import { loadEngine } from './engines.js';
import { RunnerError } from './errors.js';
import { DEFAULT_MAX_FAILURES, type JobSpec, shardRange, validateJob } from './job.js';
import type { Progress } from './progress.js';
import type { BatchMessage, Fault, WorkerInit, WorkerMessage } from './protocol.js';
import { batches, missingRanges, type Range, rangesSize } from './ranges.js';
import {
  addBatch,
  checkOverwritable,
  describeDifference,
  differingField,
  emptyResults,
  RESUME_FIELDS,
  type Results,
  type ResultsJob,
  readResultsFile,
  remainingTrials,
  resultsToJSON,
  writeFileAtomic,
} from './results.js';

/** Deliberate worker failures, for tests of crash recovery. Not for production use. */
export interface FaultInjection {
  /**
   * Which batch dispatches crash their worker: 1-based numbers counting every batch handed to any
   * worker (retries included), or `'every'`.
   */
  crashOnBatch?: number | readonly number[] | 'every';
  /** `'exit'`: `process.exit(1)` inside the worker thread (default); `'throw'`: an uncaught exception */
  crashKind?: 'exit' | 'throw';
  /** this dispatch blocks its worker forever (to kill a run mid-way deterministically) */
  hangOnBatch?: number;
}

export interface RunJobOptions {
  /** worker threads (default `os.availableParallelism()`) */
  workers?: number;
  /**
   * run batches in this thread instead of workers (default: `workers === 1` and no fault
   * injection). Results are identical either way.
   */
  inProcess?: boolean;
  /** trials per batch (default: about 16 batches per worker, between 100 and 20 000) */
  batchSize?: number;
  /** results file, rewritten atomically after every batch */
  out?: string;
  /** results file to continue; written back to itself unless `out` is given */
  resume?: string;
  /** allow `out` to replace an existing results file that is not being resumed */
  overwrite?: boolean;
  /** re-runs allowed per batch after its worker crashed (default 3) */
  maxRetries?: number;
  onProgress?: (p: Progress) => void;
  /** minimum milliseconds between progress reports (default 200); the final one always comes */
  progressIntervalMs?: number;
  /** abort: stop handing out batches, discard running ones, write the file, resolve interrupted */
  signal?: AbortSignal;
  faultInjection?: FaultInjection;
}

export interface JobResult {
  /** the merged results, as written to `out` */
  results: Results;
  /** true when stopped by `signal` before the range was complete */
  interrupted: boolean;
  /** trials of the job's range still to run */
  remaining: number;
  /** trials run by this call */
  ran: number;
  /** batches re-run after a worker crash */
  retries: number;
  elapsedSeconds: number;
  /** the file written, if any */
  out?: string;
}

const DEFAULT_MAX_RETRIES = 3;

/** The identity recorded in (and checked against) results files. */
export function jobIdentity(job: JobSpec): ResultsJob {
  const shard = job.shard ? { index: job.shard.index, count: job.shard.count } : null;
  return {
    image: { hash: imageHash(job.image), name: job.image.name, counters: [...job.image.counters] },
    memory: job.memory,
    seed: job.seed,
    scheduler: job.scheduler ?? { kind: 'uniform' },
    engine: job.engine,
    trials: job.trials,
    shard,
    range: shardRange(job.trials, job.shard),
    maxFailures: job.maxFailures ?? DEFAULT_MAX_FAILURES,
    label: job.label ?? {},
  };
}

function checkOptions(o: RunJobOptions): void {
  const posInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
  const bad = (msg: string): never => {
    throw new RunnerError('E_OPTIONS', `invalid run options: ${msg}`);
  };
  if (o.workers !== undefined && !posInt(o.workers)) bad(`workers ${o.workers} must be a positive integer`);
  if (o.batchSize !== undefined && !posInt(o.batchSize))
    bad(`batchSize ${o.batchSize} must be a positive integer`);
  if (o.maxRetries !== undefined && !(Number.isSafeInteger(o.maxRetries) && o.maxRetries >= 0))
    bad(`maxRetries ${o.maxRetries}`);
  if (o.inProcess && o.faultInjection) bad('faultInjection needs worker threads (inProcess: false)');
}

/** Serialises checkpoint writes: one in flight, the latest snapshot wins. */
class Checkpointer {
  private pending: string | undefined;
  private running: Promise<void> | undefined;
  error: unknown;

  constructor(private readonly path: string | undefined) {}

  request(results: Results): void {
    if (!this.path) return;
    this.pending = resultsToJSON(results);
    if (!this.running) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending !== undefined && this.error === undefined) {
      const text = this.pending;
      this.pending = undefined;
      try {
        await writeFileAtomic(this.path!, text);
      } catch (e) {
        this.error = e;
      }
    }
    this.running = undefined;
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.error !== undefined) throw this.error;
  }
}

let cachedWorkerUrl: URL | undefined;
function workerUrl(): URL {
  if (cachedWorkerUrl) return cachedWorkerUrl;
  // Next to the bundle in dist/; from src/ (tests run the sources) the built one in ../dist/.
  for (const rel of ['./worker.js', '../dist/worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) {
      cachedWorkerUrl = url;
      return url;
    }
  }
  throw new RunnerError(
    'E_WORKER_MISSING',
    "the runner's worker entry (dist/worker.js) is missing; run 'pnpm --filter @naplab/runner build'",
  );
}

interface Batch {
  range: Range;
  /** crashes so far */
  attempts: number;
}

/**
 * Run a job (or resume one) and resolve with its merged results. See the package README for the
 * guarantees; errors are `RunnerError`s, and completed work is written to `out` before rejecting.
 */
export async function runJob(job: JobSpec, opts: RunJobOptions = {}): Promise<JobResult> {
  validateJob(job);
  checkOptions(opts);
  const identity = jobIdentity(job);
  let results: Results;
  if (opts.resume !== undefined) {
    results = await readResultsFile(opts.resume);
    const field = differingField(results.job, identity, RESUME_FIELDS);
    if (field) {
      throw new RunnerError(
        'E_RESUME_MISMATCH',
        `cannot resume from ${opts.resume}: it is another job's results; ${describeDifference(field, results.job, identity, 'the file', 'this job')}`,
        field,
      );
    }
    if (job.label !== undefined) results.job.label = identity.label;
  } else {
    results = emptyResults(identity);
  }
  const out = opts.out ?? opts.resume;
  if (opts.out !== undefined && (opts.resume === undefined || resolve(opts.out) !== resolve(opts.resume))) {
    await checkOverwritable(opts.out);
    if (existsSync(opts.out) && !opts.overwrite) {
      throw new RunnerError(
        'E_OUT_EXISTS',
        `${opts.out} already holds naplab results; resume it (resume: '${opts.out}') or allow replacing it (overwrite: true)`,
      );
    }
  }

  const writer = new Checkpointer(out);
  // Write once before any work: an unwritable path fails now, not after the first batch.
  writer.request(results);
  await writer.flush();

  const t0 = performance.now();
  const elapsedBefore = results.elapsedSeconds;
  const doneAtStart = results.aggregates.trials;
  const total = rangesSize([identity.range]);
  const interval = opts.progressIntervalMs ?? 200;
  let lastProgress = -Infinity;
  const progress = (force: boolean) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    const elapsed = (now - t0) / 1000;
    const done = results.aggregates.trials;
    const rate = elapsed > 0 ? (done - doneAtStart) / elapsed : 0;
    const o = results.aggregates.outcomes;
    opts.onProgress({
      done,
      total,
      rate,
      failures: done - o.ok,
      outcomes: { ...o },
      etaSeconds: rate > 0 ? (total - done) / rate : done >= total ? 0 : null,
      elapsedSeconds: elapsed,
    });
  };

  const missing = missingRanges(identity.range, results.completed);
  const remainingAtStart = rangesSize(missing);
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  const batchSize =
    opts.batchSize ?? Math.min(20_000, Math.max(100, Math.ceil(remainingAtStart / (workers * 16))));
  const ctx: PoolContext = {
    job,
    identity,
    queue: batches(missing, batchSize),
    workers,
    batchCount: missing.reduce((n, [a, b]) => n + Math.ceil((b - a) / batchSize), 0),
    maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES,
    signal: opts.signal,
    fault: opts.faultInjection,
    retries: 0,
    complete: (range, result) => {
      checkBatch(range, result);
      addBatch(results, range, result);
      results.updatedAt = new Date().toISOString();
      results.elapsedSeconds = elapsedBefore + (performance.now() - t0) / 1000;
      writer.request(results);
      progress(false);
    },
    writeError: () => writer.error,
  };

  let failure: unknown;
  if (remainingAtStart > 0 && !opts.signal?.aborted) {
    const inProcess = opts.inProcess ?? (workers === 1 && !opts.faultInjection);
    try {
      await (inProcess ? runInProcess(ctx) : runPool(ctx));
    } catch (e) {
      failure = e;
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  results.elapsedSeconds = elapsedBefore + elapsed;
  results.updatedAt = new Date().toISOString();
  writer.request(results);
  try {
    await writer.flush();
  } catch (e) {
    failure ??= e;
  }
  if (failure !== undefined) throw failure;
  progress(true);
  const remaining = remainingTrials(results);
  return {
    results,
    interrupted: remaining > 0,
    remaining,
    ran: results.aggregates.trials - doneAtStart,
    retries: ctx.retries,
    elapsedSeconds: elapsed,
    out,
  };
}

/** An engine's batch must cover exactly its range; anything else would corrupt the totals. */
function checkBatch(range: Range, r: BatchResult): void {
  const n = range[1] - range[0];
  if (!r?.aggregates || r.aggregates.trials !== n || !Array.isArray(r.trials)) {
    throw new RunnerError(
      'E_ENGINE',
      `the engine returned ${r?.aggregates?.trials} trials for batch [${range[0]}, ${range[1]}) of ${n}`,
    );
  }
  for (const t of r.trials) {
    if (t.index < range[0] || t.index >= range[1]) {
      throw new RunnerError(
        'E_ENGINE',
        `the engine returned trial ${t.index} for batch [${range[0]}, ${range[1]})`,
      );
    }
  }
}

interface PoolContext {
  job: JobSpec;
  identity: ResultsJob;
  queue: Generator<Range>;
  workers: number;
  /** batches in the queue (bounds the number of workers worth starting) */
  batchCount: number;
  maxRetries: number;
  signal?: AbortSignal;
  fault?: FaultInjection;
  retries: number;
  complete: (range: Range, result: BatchResult) => void;
  writeError: () => unknown;
}

const runOptions = (ctx: PoolContext) => ({
  memory: ctx.identity.memory,
  scheduler: ctx.identity.scheduler as SchedulerSpec,
  seed: ctx.identity.seed,
  maxFailures: ctx.identity.maxFailures,
});

/** `workers: 1` without threads: one batch at a time, yielding to the event loop between batches. */
async function runInProcess(ctx: PoolContext): Promise<void> {
  const engine: Engine = await loadEngine(ctx.identity.engine);
  const base = runOptions(ctx);
  for (const range of ctx.queue) {
    if (ctx.signal?.aborted) return;
    let result: BatchResult;
    try {
      result = engine.runTrials(ctx.job.image, { ...base, from: range[0], to: range[1], record: 'failures' });
    } catch (e) {
      const why = (e as Error)?.message ?? String(e);
      throw new RunnerError(
        'E_ENGINE',
        `the ${engine.name} engine failed on batch [${range[0]}, ${range[1]}): ${why}`,
      );
    }
    ctx.complete(range, result);
    if (ctx.writeError() !== undefined) return;
    // Let abort signals, progress consumers and checkpoint writes run between batches.
    await new Promise((r) => setImmediate(r));
  }
}

interface Slot {
  worker: Worker;
  batch?: Batch;
  /** terminated or dead: ignore its further events */
  gone: boolean;
}

/**
 * The worker pool. Each worker gets one batch at a time; a worker that exits or throws has its
 * batch put back (at the front) and is replaced by a fresh one, up to `maxRetries` per batch.
 * On abort, running batches are discarded (their workers terminated): they are re-run on resume.
 */
function runPool(ctx: PoolContext): Promise<void> {
  const url = workerUrl();
  const init: WorkerInit = {
    engine: ctx.identity.engine,
    image: imageToJSON(ctx.job.image),
    ...runOptions(ctx),
  };
  const retry: Batch[] = [];
  const slots = new Set<Slot>();
  let dispatches = 0;
  let nextId = 1;
  let finished = false;
  let queueEmpty = false;

  const crashSet = new Set(
    typeof ctx.fault?.crashOnBatch === 'number'
      ? [ctx.fault.crashOnBatch]
      : Array.isArray(ctx.fault?.crashOnBatch)
        ? ctx.fault.crashOnBatch
        : [],
  );
  const faultFor = (n: number): Fault | undefined => {
    const f = ctx.fault;
    if (!f) return undefined;
    if (f.hangOnBatch === n) return 'hang';
    if (f.crashOnBatch === 'every' || crashSet.has(n)) return f.crashKind ?? 'exit';
    return undefined;
  };

  return new Promise<void>((resolvePool, rejectPool) => {
    const stopAll = () => {
      for (const s of slots) {
        s.gone = true;
        void s.worker.terminate();
      }
      slots.clear();
    };
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      ctx.signal?.removeEventListener('abort', onAbort);
      stopAll();
      if (err !== undefined) rejectPool(err);
      else resolvePool();
    };
    const onAbort = () => finish();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });

    const nextBatch = (): Batch | undefined => {
      const r = retry.shift();
      if (r) return r;
      if (queueEmpty) return undefined;
      const n = ctx.queue.next();
      if (n.done) {
        queueEmpty = true;
        return undefined;
      }
      return { range: n.value, attempts: 0 };
    };
    const busy = () => [...slots].some((s) => s.batch);

    const dispatch = (slot: Slot) => {
      if (finished) return;
      const err = ctx.writeError();
      if (err !== undefined) return finish(err);
      const batch = nextBatch();
      if (!batch) {
        // Nothing left for this worker: let it go, and finish when the others are done too.
        slot.gone = true;
        slots.delete(slot);
        void slot.worker.terminate();
        if (!busy() && retry.length === 0) finish();
        return;
      }
      slot.batch = batch;
      const msg: BatchMessage = {
        type: 'batch',
        id: nextId++,
        from: batch.range[0],
        to: batch.range[1],
        fault: faultFor(++dispatches),
      };
      slot.worker.postMessage(msg);
    };

    const crashed = (slot: Slot, why: string) => {
      if (slot.gone || finished) return;
      slot.gone = true;
      slots.delete(slot);
      void slot.worker.terminate();
      const b = slot.batch;
      if (!b) return finish(new RunnerError('E_WORKER_CRASH', `a worker died before taking a batch: ${why}`));
      b.attempts++;
      if (b.attempts > ctx.maxRetries) {
        return finish(
          new RunnerError(
            'E_WORKER_CRASH',
            `batch [${b.range[0]}, ${b.range[1]}) crashed its worker ${b.attempts} times (maxRetries ${ctx.maxRetries}); last: ${why}. Completed batches are saved; resume to continue`,
          ),
        );
      }
      ctx.retries++;
      retry.unshift(b);
      spawn();
    };

    const spawn = () => {
      const worker = new Worker(url, { workerData: init });
      const slot: Slot = { worker, gone: false };
      slots.add(slot);
      worker.on('message', (m: WorkerMessage) => {
        if (slot.gone || finished) return;
        if (m.type === 'ready') return dispatch(slot);
        if (m.type === 'init-error') return finish(new RunnerError('E_ENGINE_LOAD', m.message));
        if (m.type === 'error') return crashed(slot, `the engine threw: ${m.message}`);
        const b = slot.batch!;
        slot.batch = undefined;
        try {
          ctx.complete(b.range, m.result);
        } catch (e) {
          return finish(e);
        }
        dispatch(slot);
      });
      worker.on('error', (e) =>
        crashed(slot, `uncaught ${e?.name ?? 'error'} in the worker: ${e?.message ?? e}`),
      );
      worker.on('exit', (code) => crashed(slot, `the worker exited with code ${code}`));
    };

    if (ctx.signal?.aborted) return finish();
    for (let i = 0; i < Math.min(ctx.workers, ctx.batchCount); i++) spawn();
  });
}
