/**
 * A small comparison built by hand: four variants of 200,000 trials, counts chosen to exercise
 * every part of a report (a failing variant with a counterexample, 0-lockup variants, a variant
 * with step-limit trials and few lockups, a variant without a kept schedule).
 */
import { buildCompareReport, type CompareInput, type CompareReport } from '../src/index.js';

export const COMMAND = 'naplab compare power8-cede --memory tso --seed 7 --trials 200000';

export function sampleInput(): CompareInput {
  return {
    naplabVersion: '0.1.0',
    scenario: {
      name: 'power8-cede',
      description: 'the primary cedes while ksmd IPIs it',
      source: 'built-in',
    },
    memory: 'tso',
    scheduler: 'uniform',
    engine: 'wasm',
    seed: 7,
    trialsPerVariant: 200_000,
    command: COMMAND,
    variants: [
      {
        variant: 'baseline',
        wakeupSource: 'baseline',
        outcomes: { ok: 200_000, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 30_640_000,
        stepsSq: 4_700_000_000,
        maxSteps: 412,
        syncs: 1_300_000,
        wakeups: 500_000,
        wakeupSyncs: 500_000,
        wakeupSkips: 0,
        counters: { wakeup_sync: 500_000, wakeup_skip_sync: 0 },
      },
      {
        variant: 'buggy',
        wakeupSource: 'buggy',
        outcomes: { ok: 199_918, lockup: 82, lost: 0, assert: 0, limit: 0 },
        steps: 30_000_000,
        stepsSq: 4_600_000_000,
        maxSteps: 398,
        syncs: 1_000_000,
        wakeups: 480_000,
        wakeupSyncs: 360_000,
        wakeupSkips: 120_000,
        counters: { wakeup_sync: 360_000, wakeup_skip_sync: 120_000 },
        failure: {
          outcome: 'lockup',
          message: 'watchdog: CPU 4 detected hard LOCKUP on other CPUs 0',
          trial: 1234,
          seed: 7,
          schedule: [0, 1, 1, 0, 2, 0, 1, 3, 0, 0, 1],
          replayCommand:
            'naplab replay power8-cede --variant buggy --memory tso --schedule 0,1,1,0,2,0,1,3,0,0,1',
          shortestOf: 82,
          timeline: 'cpu0  kvm_do_nap: hwthread_req <- 1\ncpu0  mark "hwthread_state already IN_KERNEL"\n',
        },
      },
      {
        variant: 'fixed',
        wakeupSource: 'fixed',
        outcomes: { ok: 200_000, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 30_400_000,
        stepsSq: 4_650_000_000,
        maxSteps: 405,
        syncs: 1_050_000,
        wakeups: 490_000,
        wakeupSyncs: 367_500,
        wakeupSkips: 122_500,
        counters: { wakeup_sync: 367_500, wakeup_skip_sync: 122_500 },
      },
      {
        variant: 'nosync',
        wakeupSource: 'nosync',
        outcomes: { ok: 199_988, lockup: 3, lost: 0, assert: 0, limit: 9 },
        steps: 30_500_000,
        stepsSq: 4_680_000_000,
        maxSteps: 5000,
        syncs: 800_000,
        wakeups: 495_000,
        wakeupSyncs: 0,
        wakeupSkips: 495_000,
        counters: { wakeup_sync: 0, wakeup_skip_sync: 495_000 },
      },
    ],
  };
}

export function sampleReport(): CompareReport {
  return buildCompareReport(sampleInput());
}

/** Two variants of 10,000 trials: the golden-string example. */
export function smallInput(): CompareInput {
  return {
    naplabVersion: '0.1.0',
    scenario: { name: 'cede-ipi', source: 'scenarios/cede-ipi.json' },
    memory: 'sc',
    scheduler: 'uniform',
    engine: 'reference',
    seed: 42,
    trialsPerVariant: 10_000,
    command: 'naplab compare scenarios/cede-ipi.json --seed 42 --trials 10000',
    variants: [
      {
        variant: 'baseline',
        wakeupSource: 'baseline',
        outcomes: { ok: 10_000, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 1_200_000,
        stepsSq: 144_160_000,
        syncs: 30_000,
        wakeups: 20_000,
        wakeupSyncs: 20_000,
      },
      {
        variant: 'buggy',
        label: 'buggy (8c1c7fb0b5ec)',
        wakeupSource: 'buggy',
        outcomes: { ok: 9_950, lockup: 50, lost: 0, assert: 0, limit: 0 },
        steps: 1_150_000,
        stepsSq: 132_500_000,
        syncs: 25_000,
        wakeups: 20_000,
        wakeupSyncs: 15_000,
        failure: {
          outcome: 'lockup',
          message: 'watchdog: CPU 4 detected hard LOCKUP on other CPUs 0',
          trial: 317,
          seed: 42,
          schedule: [1, 0, 0, 2, 1],
          replayCommand: 'naplab replay scenarios/cede-ipi.json --variant buggy --schedule 1,0,0,2,1',
        },
      },
    ],
  };
}

const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>]]></pre>';

/** Every user-supplied string is hostile. */
export function hostileInput(): CompareInput {
  const input = sampleInput();
  input.scenario = { name: `scn ${HOSTILE}`, description: `desc ${HOSTILE}`, source: `dir/${HOSTILE}.json` };
  input.memory = `tso${HOSTILE}`;
  input.command = `naplab compare '${HOSTILE}'`;
  for (const v of input.variants) {
    v.label = `${v.variant} ${HOSTILE}`;
    v.wakeupSource = `/tmp/${HOSTILE}.s`;
  }
  const buggy = input.variants[1]!;
  buggy.failure!.message = `watchdog: ${HOSTILE}`;
  buggy.failure!.replayCommand = `naplab replay '${HOSTILE}'`;
  buggy.failure!.timeline = `cpu0  mark "${HOSTILE}"\ncpu1  mark "</pre><script>alert(2)</script>"\n`;
  input.warnings = [
    { code: `W_${HOSTILE}`, message: `m ${HOSTILE}`, remedy: `r ${HOSTILE}`, variants: ['buggy'] },
  ];
  return input;
}

/** The example of docs/compare-report.md (kept in step by test/docs.test.ts). */
export function docInput(): CompareInput {
  return {
    naplabVersion: '0.1.0',
    createdAt: '2026-11-26T20:00:00.000Z',
    scenario: {
      name: 'power8-cede',
      description: 'the primary cedes while ksmd IPIs it',
      source: 'built-in',
    },
    memory: 'tso',
    scheduler: 'uniform',
    engine: 'wasm',
    seed: 7,
    trialsPerVariant: 100_000,
    command: 'naplab compare power8-cede --variants baseline,buggy --memory tso --seed 7 --trials 100000',
    variants: [
      {
        variant: 'baseline',
        label: 'baseline',
        wakeupSource: 'baseline',
        outcomes: { ok: 100_000, lockup: 0, lost: 0, assert: 0, limit: 0 },
        steps: 15_320_000,
        stepsSq: 2_350_000_000,
        maxSteps: 388,
        syncs: 650_000,
        wakeups: 250_000,
        wakeupSyncs: 250_000,
        wakeupSkips: 0,
        counters: { wakeup_sync: 250_000, wakeup_skip_sync: 0 },
      },
      {
        variant: 'buggy',
        label: 'buggy (8c1c7fb0b5ec)',
        wakeupSource: 'buggy',
        outcomes: { ok: 99_979, lockup: 21, lost: 0, assert: 0, limit: 0 },
        steps: 15_000_000,
        stepsSq: 2_300_000_000,
        maxSteps: 371,
        syncs: 500_000,
        wakeups: 240_000,
        wakeupSyncs: 180_000,
        wakeupSkips: 60_000,
        counters: { wakeup_sync: 180_000, wakeup_skip_sync: 60_000 },
        failure: {
          outcome: 'lockup',
          message: 'watchdog: CPU 4 detected hard LOCKUP on other CPUs 0',
          trial: 5_120,
          seed: 7,
          schedule: [0, 0, 1, 0, 2, 1, 1, 0, 3, 0, 1, 1, 0],
          replayCommand:
            'naplab replay power8-cede --variant buggy --memory tso --schedule 0,0,1,0,2,1,1,0,3,0,1,1,0',
          shortestOf: 21,
          timeline:
            'step 9   cpu0  kvm_do_nap: hwthread_req <- 1; nap\nstep 11  cpu0  wakeup: mark "hwthread_state already IN_KERNEL: store, sync and the hwthread_req test skipped"\n',
        },
      },
    ],
  };
}
