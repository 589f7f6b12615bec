#!/usr/bin/env node
// The POWER8 model and the flagship, measured: exhaustive state counts of power8-cede-small per
// variant and memory model, steps per trial and lockups on power8-cede, runner scaling with 1 and 2
// workers, wasm vs reference on the model image, and the POWER memory model (reference engine)
// against tso with exhaustive state counts beside herd7's final-state counts.
//
//   node benchmarks/model.mjs [--quick]      (after `pnpm build`)
//
// Writes the section between the model-results markers of benchmarks/RESULTS.md (run.mjs keeps it)
// and benchmarks/model-results.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { litmusToImage, parseLitmus } from '@naplab/asm';
import { wasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { runJob } from '@naplab/runner';
import { runInfo, writeResultsSection } from './results-md.mjs';

const quick = process.argv.includes('--quick');
const log = (m) => process.stderr.write(`${m}\n`);
const now = () => performance.now();
const VARIANTS = ['baseline', 'buggy', 'fixed', 'nosync'];
const image = (name, variant) => compileScenario({ ...getBuiltinScenario(name), variant });
const load0 = loadavg();
const started = new Date();

// 1. exhaustive power8-cede-small
const exhaustive = [];
for (const memory of ['sc', 'tso']) {
  for (const variant of VARIANTS) {
    const img = image('power8-cede-small', variant);
    const t = now();
    const r = wasmEngine.explore(img, { memory });
    exhaustive.push({
      variant,
      memory,
      verdict: r.violation ? 'violated' : r.cut ? 'inconclusive' : 'holds',
      states: r.states,
      transitions: r.transitions,
      maxDepth: r.maxDepth,
      counterexample: r.violation ? r.violation.schedule.length : null,
      seconds: (now() - t) / 1000,
    });
    log(`exhaustive ${variant} ${memory}: ${r.states} states`);
  }
}

// 2. uniform on power8-cede, and 3. scaling
const TRIALS = quick ? 20_000 : 100_000;
const uniform = [];
for (const memory of ['sc', 'tso']) {
  for (const variant of VARIANTS) {
    const img = image('power8-cede', variant);
    const r = await runJob({ image: img, memory, seed: 1, trials: TRIALS, engine: 'wasm' }, { workers: 2 });
    const a = r.results.aggregates;
    const c = (n) => a.counters[img.counters.indexOf(n)] ?? 0;
    uniform.push({
      variant,
      memory,
      trials: a.trials,
      lockups: a.outcomes.lockup,
      notOk: a.trials - a.outcomes.ok,
      stepsPerTrial: a.steps / a.trials,
      maxSteps: a.maxSteps,
      wakeups: c('wakeup'),
      syncsPerWakeup: c('wakeup_sync') / Math.max(1, c('wakeup')),
    });
    log(`uniform ${variant} ${memory}: ${a.outcomes.lockup} lockups`);
  }
}
const SCALE_TRIALS = quick ? 40_000 : 200_000;
const scaling = [];
const buggy = image('power8-cede', 'buggy');
await runJob({ image: buggy, memory: 'sc', seed: 5, trials: 5_000, engine: 'wasm' }, { workers: 2 }); // warm-up
for (const workers of [1, 2, 1, 2]) {
  const t = now();
  const r = await runJob(
    { image: buggy, memory: 'sc', seed: 5, trials: SCALE_TRIALS, engine: 'wasm' },
    { workers, inProcess: false },
  );
  scaling.push({
    workers,
    trials: r.results.aggregates.trials,
    seconds: (now() - t) / 1000,
    lockups: r.results.aggregates.outcomes.lockup,
  });
}
const rate = (w) => {
  const rows = scaling.filter((s) => s.workers === w);
  return rows.reduce((x, s) => x + s.trials, 0) / rows.reduce((x, s) => x + s.seconds, 0);
};

// 4. wasm vs reference on the model image (same process, same trials)
const REF_TRIALS = quick ? 300 : 2_000;
const engines = [];
for (const memory of ['sc', 'tso']) {
  const img = image('power8-cede', 'fixed');
  wasmEngine.runTrials(img, {
    memory,
    scheduler: { kind: 'uniform' },
    seed: 1,
    from: 0,
    to: 2_000,
    record: 'none',
  });
  let t = now();
  const w = wasmEngine.runTrials(img, {
    memory,
    scheduler: { kind: 'uniform' },
    seed: 1,
    from: 0,
    to: REF_TRIALS * 10,
    record: 'none',
  });
  const ws = (now() - t) / 1000;
  t = now();
  const rf = referenceEngine.runTrials(img, {
    memory,
    scheduler: { kind: 'uniform' },
    seed: 1,
    from: 0,
    to: REF_TRIALS,
    record: 'none',
  });
  const rs = (now() - t) / 1000;
  engines.push({
    memory,
    wasmStepsPerSec: w.aggregates.steps / ws,
    refStepsPerSec: rf.aggregates.steps / rs,
    ratio: w.aggregates.steps / ws / (rf.aggregates.steps / rs),
  });
}

// 5. the POWER memory model on the shared litmus tests (reference engine)
const dir = new URL('../litmus/', import.meta.url);
const herdCounts = Object.fromEntries(
  readFileSync(new URL('expected.tsv', dir), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .map((c) => [c[0], { verdict: c[1], finals: Number(c[2]) }]),
);
const litmus = [];
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.litmus'))
  .sort()) {
  const test = parseLitmus(f, readFileSync(new URL(f, dir), 'utf8'));
  const img = litmusToImage(test);
  const row = { test: test.name, herdFinals: herdCounts[test.name]?.finals };
  for (const memory of ['tso', 'power']) {
    const t = now();
    const r = referenceEngine.explore(img, { memory });
    const s = (now() - t) / 1000;
    row[memory] = {
      states: r.states,
      transitions: r.transitions,
      finals: r.finals.filter((x) => x.outcome === 'ok').length,
      seconds: s,
      statesPerSec: r.transitions / s,
    };
  }
  litmus.push(row);
}
const tsoRate =
  litmus.reduce((x, r) => x + r.tso.transitions, 0) / litmus.reduce((x, r) => x + r.tso.seconds, 0);
const powerRate =
  litmus.reduce((x, r) => x + r.power.transitions, 0) / litmus.reduce((x, r) => x + r.power.seconds, 0);

const out = {
  version: 1,
  ...runInfo(`node benchmarks/model.mjs${quick ? ' --quick' : ''}`, started, load0),
  exhaustive,
  uniform,
  scaling,
  scalingRatio: rate(2) / rate(1),
  engines,
  litmus,
  transitionsPerSec: { tso: tsoRate, power: powerRate },
};
writeFileSync(new URL('model-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);

const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const md = [];
md.push('<!-- model-results:start -->');
md.push('## The POWER8 model and the flagship (`benchmarks/model.mjs`)');
md.push('');
md.push(
  `* command: \`${out.command}\` (from the repository root, after \`pnpm build\`); date ${out.date}, commit ${out.commit}`,
);
md.push(
  `* node ${out.node}, CPU: ${out.cpu} (${out.cpus} logical CPUs); load average before / after: ${load0.map((x) => x.toFixed(2)).join(' ')} / ${out.loadavgAfter.map((x) => x.toFixed(2)).join(' ')}`,
);
md.push('');
md.push('### Exhaustive search of `power8-cede-small` (WebAssembly engine)');
md.push('');
md.push(
  '| variant | memory | verdict | states | transitions | max depth | counterexample (decisions) | seconds |',
);
md.push('|---|---|---|--:|--:|--:|--:|--:|');
for (const e of exhaustive)
  md.push(
    `| ${e.variant} | ${e.memory} | ${e.verdict} | ${f(e.states)} | ${f(e.transitions)} | ${e.maxDepth} | ${e.counterexample ?? '—'} | ${f(e.seconds, 2)} |`,
  );
md.push('');
md.push(`### Uniform trials of \`power8-cede\` (seed 1, ${f(TRIALS)} trials per row, 2 workers)`);
md.push('');
md.push('| variant | memory | lockups | non-ok | steps/trial | max steps | wakeups | syncs per wakeup |');
md.push('|---|---|--:|--:|--:|--:|--:|--:|');
for (const u of uniform)
  md.push(
    `| ${u.variant} | ${u.memory} | ${f(u.lockups)} | ${f(u.notOk)} | ${f(u.stepsPerTrial, 1)} | ${f(u.maxSteps)} | ${f(u.wakeups)} | ${u.syncsPerWakeup.toFixed(4)} |`,
  );
md.push('');
md.push(
  `### Runner scaling (\`power8-cede\`, buggy, sc, ${f(SCALE_TRIALS)} trials per run, worker threads, alternating runs)`,
);
md.push('');
md.push('| workers | trials | seconds | trials/s | lockups |');
md.push('|--:|--:|--:|--:|--:|');
for (const s of scaling)
  md.push(
    `| ${s.workers} | ${f(s.trials)} | ${f(s.seconds, 2)} | ${f(s.trials / s.seconds)} | ${f(s.lockups)} |`,
  );
md.push('');
md.push(
  `Scaling ratio (2 workers / 1 worker, trials/s over all runs): **${out.scalingRatio.toFixed(2)}×**. Identical lockup counts in every run: the split never changes results.`,
);
md.push('');
md.push(
  '### WebAssembly vs reference engine on the `power8-cede` image (fixed variant, one thread, same run)',
);
md.push('');
md.push('| memory | wasm Msteps/s | reference Msteps/s | ratio |');
md.push('|---|--:|--:|--:|');
for (const e of engines)
  md.push(
    `| ${e.memory} | ${(e.wasmStepsPerSec / 1e6).toFixed(1)} | ${(e.refStepsPerSec / 1e6).toFixed(2)} | ${e.ratio.toFixed(1)} |`,
  );
md.push('');
md.push('### The POWER memory model (reference engine) against tso, exhaustive, on the shared litmus tests');
md.push('');
md.push(
  `Throughput over all 28 tests: tso ${f(tsoRate)} transitions/s, power ${f(powerRate)} transitions/s (power / tso = ${(powerRate / tsoRate).toFixed(2)}). The WebAssembly engine's power figures: the power-results section (\`benchmarks/power.mjs\`).`,
);
md.push('');
md.push('| test | tso states | power states | power final states | herd7 final states |');
md.push('|---|--:|--:|--:|--:|');
for (const l of litmus)
  md.push(`| ${l.test} | ${f(l.tso.states)} | ${f(l.power.states)} | ${l.power.finals} | ${l.herdFinals} |`);
md.push('');
md.push(
  '(Final states counted here are distinct terminal states of the whole program; `naplab litmus` projects them onto the registers and locations the condition mentions, which is what herd7 lists and what the tests compare exactly.)',
);
md.push('<!-- model-results:end -->');
writeResultsSection('model', md.join('\n'));
log('model: wrote benchmarks/RESULTS.md (model section) and benchmarks/model-results.json');
