// Measuring (no presentation here). For one image x memory model:
//   1. check that both engines agree trial for trial on a sample (a benchmark of wrong results is
//      worthless);
//   2. warm the wasm engine up (compile + V8 tier-up);
//   3. alternate timed rounds of the reference and the wasm engine, each round on fresh trial
//      indices and sized from a calibration run to last about `roundSeconds`.
// Each round records trials, simulated steps, wall time and process CPU time (user + system). The
// primary figures are per CPU second (one core's throughput; robust when other processes compete
// for the machine); per wall second is reported too (on an idle machine the two agree).
import { isDeepStrictEqual } from 'node:util';

const SEED = 20240611;

function timed(engine, image, memory, from, to) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = engine.runTrials(image, {
    memory,
    scheduler: { kind: 'uniform' },
    seed: SEED,
    from,
    to,
    record: 'none',
  });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { trials: to - from, steps: r.aggregates.steps, wall, cpu: (c.user + c.system) / 1e6 };
}

/** Trials that take about `seconds` of CPU on this engine (doubling until a run takes >= 40 ms). */
function calibrate(engine, image, memory, seconds, from) {
  let n = 16;
  for (;;) {
    const r = timed(engine, image, memory, from, from + n);
    if (r.wall >= 0.05 || n >= 1 << 26)
      return Math.max(1, Math.round((n * seconds) / Math.max(r.wall, 1e-6)));
    n *= 2;
  }
}

export function checkAgreement(ref, wasm, image, memory, trials) {
  const opts = { memory, scheduler: { kind: 'uniform' }, seed: SEED, from: 0, to: trials, record: 'all' };
  const a = ref.runTrials(image, opts);
  const b = wasm.runTrials(image, opts);
  if (!isDeepStrictEqual(a, b)) {
    const i = a.trials.findIndex((t, k) => !isDeepStrictEqual(t, b.trials[k]));
    throw new Error(
      `engines disagree on ${image.name} (${memory}) at trial ${i}: ${JSON.stringify(a.trials[i])} vs ${JSON.stringify(b.trials[i])}`,
    );
  }
  return a.aggregates;
}

/**
 * Measure one image under one memory model. Options: rounds, roundSeconds (per engine per round),
 * warmupSeconds, agreeTrials.
 */
export function measure(ref, wasm, image, memory, opts) {
  const agg = checkAgreement(ref, wasm, image, memory, opts.agreeTrials);
  let next = 1_000_000;
  // warm-up: the wasm engine's module is compiled on first use and tiered up by V8 while it runs
  const warmEnd = performance.now() + opts.warmupSeconds * 1000;
  while (performance.now() < warmEnd) {
    timed(wasm, image, memory, next, next + 2000);
    next += 2000;
  }
  const sizes = {
    reference: calibrate(ref, image, memory, opts.roundSeconds, next),
    wasm: calibrate(wasm, image, memory, opts.roundSeconds, next),
  };
  next += 1 << 27;
  const rounds = [];
  for (let i = 0; i < opts.rounds; i++) {
    const round = {};
    for (const [name, engine] of [
      ['reference', ref],
      ['wasm', wasm],
    ]) {
      round[name] = timed(engine, image, memory, next, next + sizes[name]);
      next += sizes[name];
    }
    rounds.push(round);
  }
  return { stepsPerTrial: agg.steps / agg.trials, outcomes: agg.outcomes, rounds };
}

/**
 * Summary of the rounds of one engine: totals and rates, per CPU second of the process (the
 * primary figures: one core's throughput) and per wall-clock second.
 */
export function summarize(rounds, engine) {
  const rs = rounds.map((r) => r[engine]);
  const sum = (k) => rs.reduce((a, r) => a + r[k], 0);
  const trials = sum('trials');
  const steps = sum('steps');
  const wall = sum('wall');
  const cpu = sum('cpu');
  return {
    trials,
    steps,
    wall,
    cpu,
    trialsPerCpuSec: trials / cpu,
    stepsPerCpuSec: steps / cpu,
    trialsPerSec: trials / wall,
    stepsPerSec: steps / wall,
  };
}

/** wasm / reference steps per CPU second, per round. */
export function roundRatios(rounds) {
  return rounds.map((r) => r.wasm.steps / r.wasm.cpu / (r.reference.steps / r.reference.cpu));
}
