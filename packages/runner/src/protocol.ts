/** Messages between the pool (main thread) and its workers (`worker.ts`). Plain data only. */
import type { BatchResult, MemoryModel, SchedulerSpec } from '@naplab/isa';
import type { EngineName } from './job.js';

/** `workerData`: everything a worker loads once. */
export interface WorkerInit {
  engine: EngineName;
  /** the image as JSON text, validated again in the worker (`imageFromJSON`) */
  image: string;
  memory: MemoryModel;
  seed: number;
  scheduler: SchedulerSpec;
  maxFailures: number;
}

/** Fault injection for tests: how the worker should fail this batch instead of running it. */
export type Fault = 'exit' | 'throw' | 'hang';

export interface BatchMessage {
  type: 'batch';
  id: number;
  from: number;
  to: number;
  fault?: Fault;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; result: BatchResult }
  | { type: 'error'; id: number; message: string };
