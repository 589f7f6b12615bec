#!/usr/bin/env node
// naplab as a library: does 56376c5864f8 fix the lockup of 8c1c7fb0b5ec, and what does skipping
// the sync save? The POWER8 model compiles a built-in scenario per wakeup variant, the WebAssembly
// engine runs the same trials of each, and the statistics package puts intervals on the answer.
//
//   node examples/fix-comparison.mjs [trials] [seed]      (after `pnpm build`)
import { wasmEngine } from '@naplab/engine';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { fisherExact, rateDifference, wilson } from '@naplab/stats';

const trials = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 2018);

function measure(variant) {
  const image = compileScenario({ ...getBuiltinScenario('power8-cede'), variant });
  const { aggregates: a, trials: failures } = wasmEngine.runTrials(image, {
    memory: 'sc',
    scheduler: { kind: 'uniform' },
    seed,
    from: 0,
    to: trials,
    record: 'failures',
    maxFailures: 1,
  });
  const counter = (name) => a.counters[image.counters.indexOf(name)] ?? 0;
  return {
    variant,
    lockups: a.outcomes.lockup,
    wakeups: counter('wakeup'),
    synced: counter('wakeup_sync'),
    first: failures[0],
  };
}

const rows = ['baseline', 'buggy', 'fixed'].map(measure);
for (const r of rows) {
  const rate = wilson(r.lockups, trials);
  const sync = wilson(r.synced, r.wakeups);
  console.log(
    `${r.variant.padEnd(9)} lockups ${String(r.lockups).padStart(6)}/${trials}  rate ${rate.estimate.toExponential(2)} [${rate.lower.toExponential(2)}, ${rate.upper.toExponential(2)}]` +
      `  syncs/wakeup ${sync.estimate.toFixed(4)} [${sync.lower.toFixed(4)}, ${sync.upper.toFixed(4)}]`,
  );
  if (r.first) console.log(`          first failure: trial ${r.first.index}: ${r.first.detail.message}`);
}
const [baseline, buggy, fixed] = rows;
const d = rateDifference(buggy.lockups, trials, fixed.lockups, trials);
const p = fisherExact(buggy.lockups, trials, fixed.lockups, trials).pValue;
console.log(
  `buggy - fixed lockup rate: ${d.difference.toExponential(2)} [${d.lower.toExponential(2)}, ${d.upper.toExponential(2)}], Fisher p = ${p.toExponential(2)}`,
);
console.log(
  `fixed skips the sync on ${(100 * (1 - fixed.synced / fixed.wakeups)).toFixed(2)}% of wakeups; baseline on ${(100 * (1 - baseline.synced / baseline.wakeups)).toFixed(2)}%`,
);
