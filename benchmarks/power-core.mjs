#!/usr/bin/env node
// power8-cede-core under --memory power, exhaustively, on both engines (issue #6): for each wakeup
// variant, explore() with the shortest pass on the WebAssembly and the reference engine, the wall
// time of each, and whether the two results are identical field by field. Prints a Markdown table
// (recorded by hand in RESULTS.md, power-cede section).
//
//   node benchmarks/power-core.mjs [variants]      (after `pnpm build`; default all four)
import { wasmEngine } from '@naplab/engine';
import { referenceEngine } from '@naplab/engine-ref';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';

const variants = (process.argv[2] ?? 'buggy,nosync,baseline,fixed').split(',');
const f = (x) => x.toLocaleString('en-US');
console.log(
  '| variant | verdict | states | transitions | max depth | shortest violation | wasm s | reference s | engines identical |',
);
console.log('|---|---|--:|--:|--:|--:|--:|--:|---|');
for (const variant of variants) {
  const image = compileScenario({ ...getBuiltinScenario('power8-cede-core'), variant });
  const out = {};
  for (const [name, engine] of [
    ['wasm', wasmEngine],
    ['reference', referenceEngine],
  ]) {
    const t = performance.now();
    out[name] = {
      r: engine.explore(image, { memory: 'power', shortest: true }),
      s: (performance.now() - t) / 1000,
    };
  }
  const r = out.wasm.r;
  const same = JSON.stringify(r) === JSON.stringify(out.reference.r);
  const verdict = r.cut ? 'inconclusive' : r.holds ? 'holds' : 'violated';
  console.log(
    `| ${variant} | ${verdict} | ${f(r.states)} | ${f(r.transitions)} | ${r.maxDepth} | ${r.violation?.steps ?? '—'} | ${out.wasm.s.toFixed(1)} | ${out.reference.s.toFixed(1)} | ${same ? 'yes' : 'NO'} |`,
  );
}
