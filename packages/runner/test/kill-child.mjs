// Runs a job with a results file, for the SIGKILL test: node kill-child.mjs <image.json> <out.json>
// Dispatch 6 hangs its worker forever, so the run cannot finish before the parent kills it.
import { readFileSync } from 'node:fs';
import { runJob } from '../dist/index.js';

const [imagePath, out] = process.argv.slice(2);
const image = JSON.parse(readFileSync(imagePath, 'utf8'));
await runJob(
  { image, memory: 'sc', seed: 7, trials: 3000, engine: 'reference' },
  { workers: 2, batchSize: 100, out, faultInjection: { hangOnBatch: 6 } },
);
console.log('finished'); // never reached
