#!/usr/bin/env node
// Bug-finding benchmark: trials until the first failing trial under the uniform scheduler and under
// PCT (pct:1, pct:2, pct:3) on power8-cede, for the `buggy` and `nosync` wakeup variants under tso.
// Counts, not times: the figures do not depend on machine load.
//
//   node benchmarks/pct.mjs [--seeds N] [--cap N]      (after `pnpm build`)
//
// For each (variant, sampler) and each seed 1..N: the index + 1 of the first non-ok trial among
// trials 0..cap-1 of that seed (WebAssembly engine), or "censored" when none fails within the cap.
// PCT's k is estimated per seed exactly as the CLI does (`estimatePctK`: max steps over 200 uniform
// trials of the same seed). A failing trial that ends at the step limit (`limit`, inconclusive by
// itself) is checked for a livelock: every state reachable from where it stopped is enumerated
// (reference engine); when none of them is terminal, no continuation of the trial ever ends.
// Writes the section between the pct-results markers of
// benchmarks/RESULTS.md and benchmarks/pct-results.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { wasmEngine } from '@naplab/engine';
import { applyAction, createMachine, enabledActions, needsChoice, stateKey } from '@naplab/engine-ref';
import { pctAgents, pctGuarantee } from '@naplab/isa';
import { compileScenario, getBuiltinScenario } from '@naplab/power8-kvm';
import { estimatePctK } from '@naplab/runner';
import { gitCommit, writeResultsSection } from './results-md.mjs';
import { successors } from './successors.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('--seeds', 100);
const CAP = arg('--cap', 10_000);
const MEMORY = 'tso';
const VARIANTS = ['buggy', 'nosync'];
const SAMPLERS = ['uniform', 'pct:1', 'pct:2', 'pct:3'];
const log = (m) => process.stderr.write(`${m}\n`);
const load0 = loadavg();
const started = new Date();

/** Index + 1 of the first non-ok trial of `seed` in [0, CAP), with its outcome; null if none. */
function firstFailure(image, scheduler, seed) {
  let from = 0;
  let chunk = 64;
  while (from < CAP) {
    const to = Math.min(CAP, from + chunk);
    const r = wasmEngine.runTrials(image, {
      memory: MEMORY,
      scheduler,
      seed,
      from,
      to,
      record: 'failures',
      maxFailures: 1,
    });
    if (r.trials.length > 0) {
      const t = r.trials[0];
      const f = { trials: t.index + 1, outcome: t.outcome };
      if (t.outcome === 'limit') f.livelock = livelock(image, t.schedule);
      return f;
    }
    from = to;
    chunk *= 4;
  }
  return null;
}

/**
 * Is the state a trial stopped in (it hit the step limit) a livelock? Replays the schedule on the
 * reference engine, then enumerates every state reachable from there (up to `cap` states): a
 * livelock when the enumeration closes without reaching a terminal state (no action enabled).
 */
function livelock(image, schedule, cap = 200_000) {
  const m = createMachine(image, MEMORY);
  for (let i = 0; i < schedule.length; i++) {
    const a = schedule[i];
    if (needsChoice(m, a) > 0) applyAction(m, a, schedule[++i]);
    else applyAction(m, a);
  }
  m.steps = 0; // the step limit no longer applies: only reachability matters here
  const seen = new Set([stateKey(m)]);
  const stack = [m];
  const actors = new Set();
  while (stack.length > 0) {
    const x = stack.pop();
    if (enabledActions(x).length === 0 || x.failed) return { livelock: false, states: seen.size };
    for (const [a, y] of successors(x)) {
      actors.add(a);
      y.steps = 0;
      const key = stateKey(y);
      if (seen.has(key)) continue;
      if (seen.size >= cap) return { livelock: null, states: seen.size };
      seen.add(key);
      stack.push(y);
    }
  }
  return { livelock: true, states: seen.size, actors: [...actors].sort((a, b) => a - b) };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const rows = [];
for (const variant of VARIANTS) {
  const image = compileScenario({ ...getBuiltinScenario('power8-cede'), variant });
  const agents = pctAgents(image, MEMORY);
  for (const sampler of SAMPLERS) {
    const depth = sampler === 'uniform' ? 0 : Number(sampler.slice(4));
    const counts = [];
    const outcomes = {};
    const ks = [];
    let censored = 0;
    const livelockStates = { min: Number.POSITIVE_INFINITY, max: 0 };
    const t0 = performance.now();
    for (let seed = 1; seed <= SEEDS; seed++) {
      let scheduler = { kind: 'uniform' };
      if (depth > 0) {
        const est = estimatePctK(wasmEngine, image, MEMORY, seed);
        ks.push(est.k);
        scheduler = { kind: 'pct', depth, k: est.k };
      }
      const f = firstFailure(image, scheduler, seed);
      if (f === null) {
        censored++;
        counts.push(Number.POSITIVE_INFINITY);
      } else {
        counts.push(f.trials);
        const kind =
          f.outcome !== 'limit'
            ? f.outcome
            : f.livelock.livelock === true
              ? 'livelock'
              : f.livelock.livelock === false
                ? 'limit (can still end)'
                : 'limit (unchecked)';
        outcomes[kind] = (outcomes[kind] ?? 0) + 1;
        if (f.livelock) {
          livelockStates.min = Math.min(livelockStates.min, f.livelock.states);
          livelockStates.max = Math.max(livelockStates.max, f.livelock.states);
        }
      }
    }
    counts.sort((a, b) => a - b);
    const kMin = ks.length ? Math.min(...ks) : null;
    const kMax = ks.length ? Math.max(...ks) : null;
    const row = {
      variant,
      memory: MEMORY,
      sampler,
      seeds: SEEDS,
      cap: CAP,
      found: SEEDS - censored,
      censored,
      median: quantile(counts, 0.5),
      p90: quantile(counts, 0.9),
      outcomes,
      agents,
      livelockStates: livelockStates.max > 0 ? livelockStates : null,
      k: ks.length ? { min: kMin, max: kMax } : null,
      // the paper's per-trial bound at the smallest and largest k of the seeds
      guarantee:
        depth > 0
          ? { atMinK: pctGuarantee(agents, kMin, depth), atMaxK: pctGuarantee(agents, kMax, depth) }
          : null,
      seconds: (performance.now() - t0) / 1000,
    };
    rows.push(row);
    log(
      `${variant} ${sampler}: found ${row.found}/${SEEDS}, median ${row.median}, p90 ${row.p90} (${row.seconds.toFixed(1)} s)`,
    );
  }
}

// ratios to uniform, per variant
const fmt = (v) =>
  v === Number.POSITIVE_INFINITY ? `> ${CAP.toLocaleString('en-US')}` : v.toLocaleString('en-US');
function ratio(u, p) {
  if (p === Number.POSITIVE_INFINITY && u === Number.POSITIVE_INFINITY) return 'both censored';
  if (u === Number.POSITIVE_INFINITY) return `>= ${(CAP / p).toFixed(1)} (uniform censored)`;
  if (p === Number.POSITIVE_INFINITY) return `<= ${(u / CAP).toFixed(3)} (pct censored)`;
  return (u / p).toFixed(2);
}
for (const r of rows) {
  const u = rows.find((x) => x.variant === r.variant && x.sampler === 'uniform');
  r.speedupMedian = r.sampler === 'uniform' ? '1' : ratio(u.median, r.median);
  r.speedupP90 = r.sampler === 'uniform' ? '1' : ratio(u.p90, r.p90);
}

// the winner per variant: smallest median, then smallest p90, then most seeds found
const winners = {};
for (const variant of VARIANTS) {
  const vs = rows.filter((r) => r.variant === variant);
  vs.sort((a, b) => a.median - b.median || a.p90 - b.p90 || b.found - a.found);
  winners[variant] = vs[0].sampler;
}

const commit = gitCommit();
const command = `node benchmarks/pct.mjs --seeds ${SEEDS} --cap ${CAP}`;
const out = {
  command,
  date: started.toISOString(),
  commit,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  rows: rows.map((r) => ({
    ...r,
    median: Number.isFinite(r.median) ? r.median : null,
    p90: Number.isFinite(r.p90) ? r.p90 : null,
  })),
  winners,
};
writeFileSync(new URL('pct-results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);

const md = [];
md.push('<!-- pct-results:start -->');
md.push('## Finding the lockup: uniform vs PCT (`benchmarks/pct.mjs`)');
md.push('');
md.push(
  `* command: \`${command}\` (from the repository root, after \`pnpm build\`); date ${out.date}, commit ${commit}`,
);
md.push(
  `* node ${process.version}, CPU: ${out.cpu} (${cpus().length} logical CPUs); load average before / after: ${load0.map((x) => x.toFixed(2)).join(' ')} / ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} (irrelevant: everything below is a count of trials)`,
);
md.push(
  `* scenario \`power8-cede\`, memory \`${MEMORY}\`, WebAssembly engine; for each seed 1..${SEEDS}: trials 0..${CAP - 1} of that seed in order, stopping at the first non-ok trial; **trials to first failure** = its index + 1. A seed with no failure in ${CAP.toLocaleString('en-US')} trials is **censored** (counted as \`> ${CAP.toLocaleString('en-US')}\` in the quantiles, never as a value).`,
);
md.push(
  "* PCT's `k` per seed = max steps over uniform trials 0..199 of that seed (`estimatePctK`, what `naplab run --scheduler pct:D` does); `n` = agents (SEMANTICS.md 14.4). The guarantee `1/(n·k^(d-1))` is per trial, for a bug of depth `d` that shows within `k` steps.",
);
md.push(
  '* ratio = uniform / PCT (trials to first failure): above 1, PCT finds the failure in fewer trials. Quantiles are order statistics over the seeds (p90 = the ceil(0.9 N)-th smallest).',
);
md.push('');
md.push(
  '| variant | sampler | seeds failing / run | median | p90 | ratio (median) | ratio (p90) | first failures | n | k (min..max) | guarantee per trial |',
);
md.push('|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|');
for (const r of rows) {
  const oc = Object.entries(r.outcomes)
    .map(([o, c]) => `${o} ${c}`)
    .join(', ');
  md.push(
    `| ${r.variant} | ${r.sampler} | ${r.found} / ${r.seeds} | ${fmt(r.median)} | ${fmt(r.p90)} | ${r.speedupMedian} | ${r.speedupP90} | ${oc || '—'} | ${r.sampler === 'uniform' ? '—' : r.agents} | ${r.k ? `${r.k.min}..${r.k.max}` : '—'} | ${r.guarantee ? (r.guarantee.atMinK === r.guarantee.atMaxK ? r.guarantee.atMinK.toExponential(2) : `${r.guarantee.atMaxK.toExponential(2)}..${r.guarantee.atMinK.toExponential(2)}`) : '—'} |`,
  );
}
md.push('');
md.push(
  "* first failures: the outcome of each seed's first failing trial. **livelock**: the trial hit the step limit (`limit`, inconclusive by itself) and every state reachable from where it stopped was enumerated on the reference engine: none is terminal, so no continuation of the trial ever ends: a lockup, which the machine reports as `limit` because the threads still enabled keep stepping (a polling loop such as `kvm_no_guest`) instead of waiting at an `await`.",
);
const ll = rows.filter((r) => r.livelockStates);
if (ll.length > 0) {
  md.push(
    `* livelock checks: ${ll.map((r) => `${r.variant} ${r.sampler}: ${r.livelockStates.min}..${r.livelockStates.max} reachable states`).join('; ')}.`,
  );
}
md.push('');
for (const variant of VARIANTS) {
  md.push(
    `* **${variant}**: the fewest trials to the first failure (median, then p90) under **${winners[variant]}**.`,
  );
}
md.push('<!-- pct-results:end -->');

writeResultsSection('pct', md.join('\n'));
log('pct: wrote benchmarks/RESULTS.md (pct section) and benchmarks/pct-results.json');
