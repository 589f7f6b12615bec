#!/usr/bin/env node
// The `power` memory model against `tso`, side by side, on both engines:
//
//  1. uniform-trial throughput (steps/s and trials/s) of power and tso on the same images
//     (power8-cede, power8-cede-small, and litmus tests), on the WebAssembly and the reference
//     engine; each (image, engine) pair runs tso and power alternately, twice, in one process, so
//     the ratio is measured under the same load;
//  2. exhaustive state counts of the 28 shared litmus tests under power (WebAssembly engine, checked
//     equal to the reference engine's) beside tso's and herd7's final-state counts, with times.
//
//   node benchmarks/power.mjs [--quick]      (after `pnpm build`)
//
// Writes the section between the power-results markers of benchmarks/RESULTS.md and
// benchmarks/power-results.json. The exhaustive search of power8-cede-small under power is a
// separate, long command (see RESULTS.md).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { formatFinalState, litmusToImage, parseLitmus } from '@naplab/asm';
import { wasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { readResults, runInfo, writeResultsSection } from './results-md.mjs';

const quick = process.argv.includes('--quick');
const log = (m) => process.stderr.write(`${m}\n`);
const now = () => performance.now();
const load0 = loadavg();
const started = new Date();
const ENGINES = [
  { name: 'wasm', engine: wasmEngine },
  { name: 'reference', engine: referenceEngine },
];

const dir = new URL('../litmus/', import.meta.url);
const litmusTest = (name) => {
  const test = parseLitmus(`${name}.litmus`, readFileSync(new URL(`${name}.litmus`, dir), 'utf8'));
  return { test, image: litmusToImage(test) };
};
const scenario = (name, variant) => compileScenario({ ...getBuiltinScenario(name), variant });

// ---- 1. throughput, side by side -------------------------------------------------------------
const IMAGES = [
  { name: 'power8-cede (fixed)', image: scenario('power8-cede', 'fixed') },
  { name: 'power8-cede-small (fixed)', image: scenario('power8-cede-small', 'fixed') },
  { name: 'litmus IRIW', image: litmusTest('IRIW').image },
  { name: 'litmus SB', image: litmusTest('SB').image },
];
/** seconds each measurement aims at (trials are sized from a short calibration run) */
const TARGET = quick ? 0.6 : 2.5;

function measure(engine, image, memory, trials) {
  const t = now();
  const r = engine.runTrials(image, {
    memory,
    scheduler: { kind: 'uniform' },
    seed: 1,
    from: 0,
    to: trials,
    record: 'none',
  });
  const s = (now() - t) / 1000;
  return { trials, seconds: s, steps: r.aggregates.steps, notOk: trials - r.aggregates.outcomes.ok };
}

const throughput = [];
for (const { name, image } of IMAGES) {
  for (const { name: en, engine } of ENGINES) {
    // calibrate: trials per second of each model, then size the runs to about TARGET seconds
    const size = {};
    for (const memory of ['tso', 'power']) {
      let n = 20;
      let m = measure(engine, image, memory, n);
      while (m.seconds < 0.2 && n < 1e7) {
        n *= 4;
        m = measure(engine, image, memory, n);
      }
      size[memory] = Math.max(20, Math.round((n / m.seconds) * TARGET));
    }
    const acc = { tso: [], power: [] };
    for (let round = 0; round < 2; round++)
      for (const memory of ['tso', 'power']) acc[memory].push(measure(engine, image, memory, size[memory]));
    const sum = (rows, k) => rows.reduce((x, r) => x + r[k], 0);
    const row = { image: name, engine: en };
    for (const memory of ['tso', 'power']) {
      const rows = acc[memory];
      row[memory] = {
        trials: sum(rows, 'trials'),
        seconds: sum(rows, 'seconds'),
        stepsPerTrial: sum(rows, 'steps') / sum(rows, 'trials'),
        stepsPerSec: sum(rows, 'steps') / sum(rows, 'seconds'),
        trialsPerSec: sum(rows, 'trials') / sum(rows, 'seconds'),
        notOk: sum(rows, 'notOk'),
      };
    }
    row.stepsRatio = row.power.stepsPerSec / row.tso.stepsPerSec;
    row.trialsRatio = row.power.trialsPerSec / row.tso.trialsPerSec;
    throughput.push(row);
    log(
      `throughput ${name} ${en}: power/tso steps/s ${row.stepsRatio.toFixed(3)}, trials/s ${row.trialsRatio.toFixed(3)}`,
    );
  }
}

// ---- 2. exhaustive state counts of the litmus tests ------------------------------------------
const herd = Object.fromEntries(
  readFileSync(new URL('expected.tsv', dir), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .map((c) => [c[0], { verdict: c[1], finals: Number(c[2]) }]),
);
const herdSets = JSON.parse(readFileSync(new URL('power-final-states.json', dir), 'utf8'));
const litmus = [];
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.litmus'))
  .sort()) {
  const { test, image } = litmusTest(f.slice(0, -'.litmus'.length));
  const row = { test: test.name, herdVerdict: herd[test.name]?.verdict, herdFinals: herd[test.name]?.finals };
  const tso = wasmEngine.explore(image, { memory: 'tso' });
  row.tsoStates = tso.states;
  let t = now();
  const w = wasmEngine.explore(image, { memory: 'power' });
  row.wasmSeconds = (now() - t) / 1000;
  t = now();
  const r = referenceEngine.explore(image, { memory: 'power' });
  row.refSeconds = (now() - t) / 1000;
  if (JSON.stringify(w) !== JSON.stringify(r))
    throw new Error(`${test.name}: the engines disagree under power`);
  row.powerStates = w.states;
  row.powerTransitions = w.transitions;
  row.maxDepth = w.maxDepth;
  const projected = [
    ...new Set(w.finals.filter((x) => x.outcome === 'ok').map((x) => formatFinalState(test, x.final))),
  ].sort();
  row.finalStates = projected.length;
  row.herdExact = JSON.stringify(projected) === JSON.stringify([...(herdSets[test.name] ?? [])].sort());
  litmus.push(row);
}
log('litmus: done');

const out = {
  version: 1,
  ...runInfo(`node benchmarks/power.mjs${quick ? ' --quick' : ''}`, started, load0),
  throughput,
  litmus,
};
writeFileSync(new URL('power-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);

const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const md = [];
md.push('<!-- power-results:start -->');
md.push('## The `power` memory model on both engines (`benchmarks/power.mjs`)');
md.push('');
md.push(
  `* command: \`${out.command}\` (from the repository root, after \`pnpm build\`); date ${out.date}, commit ${out.commit}`,
);
md.push(
  `* node ${out.node}, CPU: ${out.cpu} (${out.cpus} logical CPUs); load average before / after: ${load0.map((x) => x.toFixed(2)).join(' ')} / ${out.loadavgAfter.map((x) => x.toFixed(2)).join(' ')}. The machine was shared with other jobs while this ran: absolute rates are noisy; the power / tso ratios, measured alternately in one process on the same image, are what counts.`,
);
md.push('');
md.push('### Uniform-trial throughput, power vs tso, same images (seed 1, two alternating rounds per model)');
md.push('');
md.push(
  '| image | engine | tso steps/trial | power steps/trial | tso Msteps/s | power Msteps/s | power / tso (steps/s) | tso trials/s | power trials/s | power / tso (trials/s) |',
);
md.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of throughput)
  md.push(
    `| ${r.image} | ${r.engine} | ${f(r.tso.stepsPerTrial, 1)} | ${f(r.power.stepsPerTrial, 1)} | ${(r.tso.stepsPerSec / 1e6).toFixed(3)} | ${(r.power.stepsPerSec / 1e6).toFixed(3)} | ${r.stepsRatio.toFixed(3)} | ${f(r.tso.trialsPerSec)} | ${f(r.power.trialsPerSec)} | ${r.trialsRatio.toFixed(3)} |`,
  );
md.push('');
md.push(
  'A `power` step is one scheduler action (a thread step, a load satisfaction, a branch prediction, a propagation or a coherence commitment), after which the eager internal steps run to a fixpoint; so a power trial has more actions than a tso trial and each costs more.',
);
md.push('');
md.push('### Exhaustive search of the 28 shared litmus tests under power (beside tso and herd7)');
md.push('');
md.push(
  'States and transitions are the WebAssembly engine\'s, checked equal (every field) to the reference engine\'s in the same run. "final states" are the distinct final states projected on the condition\'s registers and locations (what herd7 lists); "= herd7" says the set is exactly herd7\'s.',
);
md.push('');
md.push(
  '| test | herd7 verdict | herd7 final states | power final states | = herd7 | power states | power transitions | max depth | tso states | wasm s | reference s |',
);
md.push('|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|');
for (const l of litmus)
  md.push(
    `| ${l.test} | ${l.herdVerdict} | ${l.herdFinals} | ${l.finalStates} | ${l.herdExact ? 'yes' : 'NO'} | ${f(l.powerStates)} | ${f(l.powerTransitions)} | ${l.maxDepth} | ${f(l.tsoStates)} | ${l.wasmSeconds.toFixed(3)} | ${l.refSeconds.toFixed(3)} |`,
  );
const tw = litmus.reduce((x, l) => x + l.wasmSeconds, 0);
const tr = litmus.reduce((x, l) => x + l.refSeconds, 0);
md.push('');
md.push(
  `All 28 under power: ${f(litmus.reduce((x, l) => x + l.powerStates, 0))} states in ${tw.toFixed(2)} s on the WebAssembly engine, ${tr.toFixed(2)} s on the reference engine (${(tr / tw).toFixed(1)}×).`,
);
const results = readResults();
// the exhaustive searches of power8-cede-small under power are long runs of their own
// (naplab check ... --memory power), recorded by hand between the power-cede markers: keep them
const cede = /<!-- power-cede:start -->[\s\S]*<!-- power-cede:end -->/.exec(results);
if (cede) md.push('', cede[0]);
md.push('<!-- power-results:end -->');
writeResultsSection('power', md.join('\n'));
log('power: wrote benchmarks/RESULTS.md (power section) and benchmarks/power-results.json');
