// A scenario from scratch: one SMT4 core running a 4-vcpu guest with the wakeup section of
// 8c1c7fb0b5ec, ksmd on the other core. Run uniform trials on the reference engine and print the
// marks of the first lockup, replayed from its schedule.
import { referenceEngine, replayTrial } from '@naplab/engine-ref';
import { compileScenario } from '@naplab/power8-kvm';

const scenario = {
  name: 'smt4-buggy',
  cores: 2,
  threadsPerCore: 4,
  guest: { cpus: [4], secondaries: 3, cede: 'choose' },
  ksmd: { cpu: 0, calls: 'while-running' },
  strays: [{ kind: 'doorbell', cpu: 5, count: 1 }],
  variant: 'buggy',
  limits: { maxSteps: 5000 },
};

const image = compileScenario(scenario);
const { aggregates, trials } = referenceEngine.runTrials(image, {
  memory: 'sc',
  scheduler: { kind: 'uniform' },
  seed: 1,
  from: 0,
  to: 200,
  record: 'failures',
  maxFailures: 1,
});
console.log(aggregates.outcomes);
const [first] = trials;
console.log(`trial ${first.index}, ${first.steps} steps: ${first.detail.message}`);
replayTrial(image, 'sc', first.schedule, (e) => {
  if (e.effect.kind === 'mark') console.log(`  step ${e.step}  cpu ${e.cpu}  ${e.effect.text}`);
});
