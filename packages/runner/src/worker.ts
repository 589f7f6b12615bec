/**
 * A pool worker: loads the engine module and the image once, then runs the batches it is handed
 * (`record: 'failures'`) and posts each `BatchResult` back. Built to dist/worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type Engine, type Image, imageFromJSON } from '@naplab/isa';
import { loadEngine } from './engines.js';
import type { BatchMessage, WorkerInit, WorkerMessage } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: WorkerMessage) => port.postMessage(m);

function runBatch(engine: Engine, image: Image, m: BatchMessage): void {
  // Injected faults are real failures of this thread, for the crash-recovery tests.
  if (m.fault === 'exit') process.exit(1);
  if (m.fault === 'throw') throw new Error(`fault injection: worker throws on batch [${m.from}, ${m.to})`);
  if (m.fault === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  let result: ReturnType<Engine['runTrials']>;
  try {
    result = engine.runTrials(image, {
      memory: init.memory,
      scheduler: init.scheduler,
      seed: init.seed,
      from: m.from,
      to: m.to,
      record: 'failures',
      maxFailures: init.maxFailures,
    });
  } catch (e) {
    post({ type: 'error', id: m.id, message: (e as Error)?.stack ?? String(e) });
    return;
  }
  post({ type: 'result', id: m.id, result });
}

async function main(): Promise<void> {
  let engine: Engine;
  let image: Image;
  try {
    engine = await loadEngine(init.engine);
    image = imageFromJSON(init.image);
  } catch (e) {
    post({ type: 'init-error', message: (e as Error)?.message ?? String(e) });
    return;
  }
  port.on('message', (m: BatchMessage) => runBatch(engine, image, m));
  post({ type: 'ready' });
}

void main();
