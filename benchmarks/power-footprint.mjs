#!/usr/bin/env node
// The footprint abstraction of a --memory power search (SEMANTICS.md 18, issue #6): for each
// scenario and variant, refineFootprint() with the shortest pass on the WebAssembly engine and
// (unless --wasm-only) the reference engine, the wall time of each, whether the two results are
// identical field by field (rounds and footprint included), and for power8-cede-core, whose plain
// search completes, the plain search beside it: its states and whether its final states are the
// abstraction's. Prints a Markdown table (recorded by hand in RESULTS.md, power-cede section).
//
//   node benchmarks/power-footprint.mjs [scenarios] [variants] [--wasm-only]   (after `pnpm build`)
import { wasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import { refineFootprint } from '@naplab/isa';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const wasmOnly = process.argv.includes('--wasm-only');
const scenarios = (args[0] ?? 'power8-cede-core,power8-cede-small').split(',');
const variants = (args[1] ?? 'baseline,fixed,buggy,nosync').split(',');
const f = (x) => x.toLocaleString('en-US');
const finals = (r) =>
  r.finals
    .filter((x) => x.outcome !== 'limit')
    .map((x) => `${x.outcome}:${x.final.join(',')}`)
    .join(' ');

console.log(
  '| scenario | variant | verdict (abstraction) | states | transitions | max depth | shortest violation | rounds (states in all) | wasm s | reference s | engines identical | plain search: states, same finals |',
);
console.log('|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|');
for (const scenario of scenarios) {
  for (const variant of variants) {
    const image = compileScenario({ ...getBuiltinScenario(scenario), variant });
    let t = performance.now();
    const w = refineFootprint(wasmEngine, image, { shortest: true });
    const ws = (performance.now() - t) / 1000;
    let rs = '—';
    let same = '—';
    if (!wasmOnly) {
      t = performance.now();
      const r = refineFootprint(referenceEngine, image, { shortest: true });
      rs = ((performance.now() - t) / 1000).toFixed(1);
      same = JSON.stringify(r) === JSON.stringify(w) ? 'yes' : 'NO';
    }
    let plain = '—';
    if (scenario === 'power8-cede-core') {
      const p = wasmEngine.explore(image, { memory: 'power' });
      plain = `${f(p.states)}, ${!p.cut && finals(p) === finals(w.result) ? 'yes' : 'NO'}`;
    }
    const r = w.result;
    const verdict = r.cut ? 'inconclusive' : r.holds ? 'holds' : `violated (${r.violation.outcome})`;
    const all = w.rounds.reduce((n, x) => n + x.states, 0);
    console.log(
      `| ${scenario} | ${variant} | ${verdict} | ${f(r.states)} | ${f(r.transitions)} | ${r.maxDepth} | ${r.violation?.steps ?? '—'} | ${w.rounds.length} (${f(all)}) | ${ws.toFixed(1)} | ${rs} | ${same} | ${plain} |`,
    );
  }
}
