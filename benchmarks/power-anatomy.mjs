#!/usr/bin/env node
// Where the states of a scenario under --memory power come from (issue #6): a depth-first search
// on the reference engine (same successors as `explore`, plain search) up to N states, splitting
// every expanded state into its thread side (each CPU's architected registers, pc, status and
// window) and its storage side (the event table and the views: which write has reached which CPU).
// Prints how many distinct values each side takes, and, per CPU, how many distinct patterns of
// "which live events have reached it". Recorded by hand in RESULTS.md (power-cede section).
//
//   node benchmarks/power-anatomy.mjs <scenario> <variant> <states>   (after `pnpm build`)
import { createMachine, stateKey } from '@naplab/engine-ref';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { successors } from './successors.mjs';

const [scenario = 'power8-cede-small', variant = 'fixed', max = '300000'] = process.argv.slice(2);
const image = compileScenario({ ...getBuiltinScenario(scenario), variant });
const m0 = createMachine(image, 'power');
const L = m0.L;
const n = m0.n;
const W = 16;

/** one CPU's side of the state: architected registers, pc, status, pending bits, window */
function threadKey(m, t) {
  const a = [
    m.pc[t],
    m.status[t],
    m.ee[t],
    m.pending[t],
    m.lpcr[t],
    m.P[L.wLen + t],
    m.P[L.syncPend + t],
    m.P[L.stall + t],
  ];
  for (let r = 0; r < 32; r++) a.push(m.gpr[t * 32 + r]);
  for (let f = 0; f < 8; f++) a.push(m.cr[t * 8 + f]);
  a.push(m.lr[t], m.ctr[t], m.srr0[t], m.srr1[t]);
  for (let k = 0; k < m.P[L.wLen + t]; k++) {
    const s = t * W + k;
    a.push(
      m.P[L.wPc + s],
      m.P[L.wSat + s],
      m.P[L.wFwd + s],
      m.P[L.wAddr + s],
      m.P[L.wVal + s],
      m.P[L.wDone + s],
    );
  }
  return a.join(',');
}

const seen = new Set([stateKey(m0)]);
const stack = [m0];
const perThread = Array.from({ length: n }, () => new Set());
const threadSide = new Set();
const storageSide = new Set();
const reached = Array.from({ length: n }, () => new Set());
let expanded = 0;
let maxEvents = 0;
const t0 = performance.now();
while (stack.length > 0 && seen.size < Number(max)) {
  const m = stack.pop();
  expanded++;
  const keys = [];
  for (let t = 0; t < n; t++) {
    const k = threadKey(m, t);
    perThread[t].add(k);
    keys.push(k);
  }
  threadSide.add(`${keys.join('|')}|${Array.from(m.mem).join(',')}`);
  const cnt = m.P[L.evCount];
  maxEvents = Math.max(maxEvents, cnt);
  storageSide.add(Array.from(m.P.subarray(L.evCount, L.size)).join(','));
  for (let u = 0; u < n; u++) {
    let bits = '';
    for (let e = 0; e < cnt; e++) bits += m.P[L.evProp + e * n + u];
    reached[u].add(bits);
  }
  for (const [, x] of successors(m)) {
    const key = stateKey(x);
    if (!seen.has(key)) {
      seen.add(key);
      stack.push(x);
    }
  }
}
const f = (x) => x.toLocaleString('en-US');
console.log(`${scenario} (${variant}), memory power, reference engine, plain depth-first search`);
console.log(
  `states seen ${f(seen.size)}, expanded ${f(expanded)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
console.log(
  `distinct thread sides (every CPU's registers, pc, status and window, and mem): ${f(threadSide.size)}`,
);
console.log(
  `distinct storage sides (live events, their fields and propagation, the views): ${f(storageSide.size)}`,
);
console.log(`per CPU, distinct own sides: ${perThread.map((s) => f(s.size)).join(', ')}`);
console.log(
  `per CPU, distinct patterns of which live events reached it: ${reached.map((s) => f(s.size)).join(', ')}`,
);
console.log(`most live events at once: ${maxEvents}`);
