// Store buffering (SB) under TSO on every core, with a results file you can Ctrl-C and resume:
//   pnpm --filter @naplab/runner build && node packages/runner/examples/sb.mjs
// Run it again after an interrupt and it continues where it stopped; when complete it just prints.
import { existsSync } from 'node:fs';
import { litmusToImage, parseLitmus } from '@naplab/asm';
import { formatProgress, runJob } from '@naplab/runner';

const SB = `PPC SB
{
0:r2=x; 0:r4=y;
1:r2=y; 1:r4=x;
}
 P0           | P1           ;
 li r1,1      | li r1,1      ;
 stw r1,0(r2) | stw r1,0(r2) ;
 lwz r3,0(r4) | lwz r3,0(r4) ;
exists
(0:r3=0 /\\ 1:r3=0)
`;

const image = litmusToImage(parseLitmus('SB.litmus', SB));
const out = process.argv[2] ?? 'sb-results.json';
const ac = new AbortController();
process.once('SIGINT', () => ac.abort()); // Ctrl-C: stop, save, resolve with interrupted: true

const r = await runJob(
  { image, memory: 'tso', seed: 1, trials: 500_000, engine: 'reference', label: { litmus: 'SB' } },
  {
    ...(existsSync(out) ? { resume: out } : { out }),
    signal: ac.signal,
    onProgress: (p) => process.stderr.write(`\r${formatProgress(p)}   `),
  },
);
process.stderr.write('\n');
const o = r.results.aggregates.outcomes;
console.log(
  `${r.interrupted ? `interrupted, ${r.remaining} trials to go` : 'complete'}: ${JSON.stringify(o)} -> ${out}`,
);
