#!/usr/bin/env node
// The speed benchmark: the WebAssembly engine against the reference engine, on the same machine in
// the same run, for every benchmark image x memory model, under the uniform scheduler.
//
//   pnpm bench            full run (a few minutes); writes benchmarks/RESULTS.md and results.json
//   pnpm bench --quick    under a minute; writes the same files (marked quick)
//   pnpm bench --json     print the results JSON on stdout instead of progress lines
//   pnpm bench --only SB  only images whose name contains SB (files are not written)
//
// Build first: pnpm build (the engines are imported from their dist/ and build/).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchmarkImages } from './images.mjs';
import { measure, roundRatios, summarize } from './measure.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
for (const a of args) {
  if (a.startsWith('--') && !['--quick', '--json', '--only'].includes(a)) {
    console.error(`bench: unknown option ${a} (options: --quick, --json, --only NAME)`);
    process.exit(2);
  }
}

const TARGET_RATIO = 3;
const TARGET_SB_STEPS = 20e6;
const SETTINGS = quick
  ? { rounds: 3, roundSeconds: 0.2, warmupSeconds: 0.2, agreeTrials: 200 }
  : { rounds: 7, roundSeconds: 1, warmupSeconds: 1, agreeTrials: 1000 };

let engines;
try {
  const [{ wasmEngine }, { referenceEngine }] = await Promise.all([
    import('@naplab/engine'),
    import('@naplab/engine-ref'),
  ]);
  engines = { wasm: wasmEngine, ref: referenceEngine };
} catch (e) {
  console.error(`bench: cannot load the engines (${e.message}); build them first: pnpm build`);
  process.exit(1);
}

const log = (s) => {
  if (!json) console.log(s);
};

function cpuModel() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    if (m) return m[1].trim();
  } catch {}
  return cpus()[0]?.model ?? 'unknown';
}

function gitCommit() {
  try {
    const git = (...a) =>
      execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git(
      'status',
      '--porcelain',
      '--',
      'packages/engine',
      'packages/engine-ref',
      'packages/isa',
      'benchmarks',
    );
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

const images = benchmarkImages().filter((i) => !only || i.name.includes(only));
const started = new Date();
const load0 = loadavg();
const rows = [];
log(
  `bench: ${images.length} images x 2 memory models, ${quick ? 'quick' : 'full'} settings ${JSON.stringify(SETTINGS)}`,
);
for (const { name, family, image } of images) {
  for (const memory of ['sc', 'tso']) {
    const m = measure(engines.ref, engines.wasm, image, memory, SETTINGS);
    const ref = summarize(m.rounds, 'reference');
    const wasm = summarize(m.rounds, 'wasm');
    const ratios = roundRatios(m.rounds);
    const row = {
      image: name,
      family,
      memory,
      stepsPerTrial: m.stepsPerTrial,
      outcomes: m.outcomes,
      reference: ref,
      wasm,
      ratio: wasm.stepsPerCpuSec / ref.stepsPerCpuSec,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      ratioWall: wasm.stepsPerSec / ref.stepsPerSec,
      rounds: m.rounds,
    };
    row.meetsRatio = row.ratio >= TARGET_RATIO;
    row.meetsSteps = family !== 'sb' || wasm.stepsPerCpuSec >= TARGET_SB_STEPS;
    rows.push(row);
    log(
      `${name.padEnd(12)} ${memory.padEnd(3)}  ref ${fmt(ref.stepsPerCpuSec / 1e6, 2)}  wasm ${fmt(wasm.stepsPerCpuSec / 1e6, 1)} Msteps per cpu-s  x${fmt(row.ratio, 1)} [${row.ratioRange.map((r) => fmt(r, 1)).join('..')}]  (wall: ${fmt(ref.stepsPerSec / 1e6, 2)} / ${fmt(wasm.stepsPerSec / 1e6, 1)} Msteps/s)`,
    );
  }
}

function fmt(v, d) {
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

const command = `pnpm bench${args.length ? ` ${args.join(' ')}` : ''}`;
const results = {
  version: 1,
  command,
  date: started.toISOString(),
  commit: gitCommit(),
  node: process.version,
  v8: process.versions.v8,
  cpu: cpuModel(),
  cpus: cpus().length,
  loadavgBefore: load0,
  loadavgAfter: loadavg(),
  quick,
  settings: SETTINGS,
  targets: { ratio: TARGET_RATIO, sbStepsPerSec: TARGET_SB_STEPS },
  rows,
};

if (json) console.log(JSON.stringify(results, null, 2));
if (!only) {
  writeFileSync(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL('RESULTS.md', import.meta.url), renderMarkdown(results) + keptSections());
  log('bench: wrote benchmarks/RESULTS.md and benchmarks/results.json');
}
const misses = rows.filter((r) => !r.meetsRatio || !r.meetsSteps);
if (misses.length) log(`bench: ${misses.length} row(s) miss a target (marked ! in RESULTS.md)`);

function renderMarkdown(r) {
  const l = [];
  l.push('# Engine speed: WebAssembly vs reference');
  l.push('');
  l.push('Generated by `benchmarks/run.mjs`; do not edit by hand (the notes at the end are part of the');
  l.push('generator).');
  l.push('');
  l.push(`* command: \`${r.command}\` (from the repository root, after \`pnpm build\`)`);
  l.push(`* date: ${r.date}, commit ${r.commit}`);
  l.push(`* node ${r.node} (V8 ${r.v8}), CPU: ${r.cpu} (${r.cpus} logical CPUs)`);
  l.push(
    `* load average before / after: ${r.loadavgBefore.map((x) => x.toFixed(2)).join(' ')} / ${r.loadavgAfter.map((x) => x.toFixed(2)).join(' ')}`,
  );
  l.push(
    `* settings: ${r.quick ? 'quick' : 'full'}; ${r.settings.rounds} alternating rounds of about ${r.settings.roundSeconds} s per engine per row, after ${r.settings.warmupSeconds} s of wasm warm-up and a ${r.settings.agreeTrials}-trial agreement check (both engines, \`record: 'all'\`, identical results required)`,
  );
  l.push('');
  l.push('Uniform scheduler, one thread of execution (both engines run in this one Node process).');
  l.push("Rates are per **CPU second** of the process (user + system time): one core's throughput,");
  l.push('which stays meaningful when other processes compete for the machine. The `wall` columns give');
  l.push('the same per wall-clock second; on an idle machine the two agree. `ratio` is wasm / reference');
  l.push('simulated steps per CPU second over all rounds, with the range over the individual rounds.');
  l.push('');
  l.push(
    '| image | memory | steps/trial | ref trials/s | ref Msteps/s | wasm trials/s | wasm Msteps/s | ratio | ratio range | wall ref / wasm Msteps/s |',
  );
  l.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const row of r.rows) {
    const mark = (ok) => (ok ? '' : ' !');
    l.push(
      `| ${row.image} | ${row.memory} | ${fmt(row.stepsPerTrial, 1)} | ${fmt(row.reference.trialsPerCpuSec, 0)} | ${fmt(row.reference.stepsPerCpuSec / 1e6, 2)} | ${fmt(row.wasm.trialsPerCpuSec, 0)} | ${fmt(row.wasm.stepsPerCpuSec / 1e6, 1)}${mark(row.meetsSteps)} | ${fmt(row.ratio, 1)}${mark(row.meetsRatio)} | ${fmt(row.ratioRange[0], 1)}..${fmt(row.ratioRange[1], 1)} | ${fmt(row.reference.stepsPerSec / 1e6, 2)} / ${fmt(row.wasm.stepsPerSec / 1e6, 1)} |`,
    );
  }
  l.push('');
  l.push(
    `Targets: wasm >= ${r.targets.ratio}x the reference on every row, and >= ${r.targets.sbStepsPerSec / 1e6} million simulated steps per CPU second (one core) on the SB-family images (${r.rows
      .filter((x) => x.family === 'sb')
      .map((x) => x.image)
      .filter((x, i, a) => a.indexOf(x) === i)
      .join(', ')}). \`!\` marks a miss.`,
  );
  const misses = r.rows.filter((x) => !x.meetsRatio || !x.meetsSteps);
  l.push('');
  l.push(
    misses.length === 0
      ? 'All targets met in this run.'
      : `Missed in this run: ${misses.map((x) => `${x.image} (${x.memory})`).join(', ')}.`,
  );
  l.push('');
  l.push(readFileSync(new URL('NOTES.md', import.meta.url), 'utf8').trim());
  l.push('');
  return l.join('\n');
}

/**
 * Sections other benchmark scripts (model.mjs, pct.mjs, power.mjs, shrink.mjs, the timed runs) keep in
 * RESULTS.md between their own `<!-- NAME-results:start/end -->` markers: every such section, in order.
 */
function keptSections() {
  let old = '';
  try {
    old = readFileSync(new URL('RESULTS.md', import.meta.url), 'utf8');
  } catch {
    return '';
  }
  return [...old.matchAll(/\n<!-- ([a-z0-9-]+-results):start -->[\s\S]*?<!-- \1:end -->\n/g)]
    .map((m) => m[0])
    .join('');
}
