/**
 * Built-in scenarios. `power8-cede-small` and `power8-cede-core` are for exhaustive checking
 * (`power8-cede-core` also under `--memory power`); `power8-cede` for trials.
 */
import { type Scenario, ScenarioError } from './scenario.js';

const SMALL: Scenario = {
  name: 'power8-cede-small',
  description:
    'The smallest machine with both failures, for exhaustive search. SMT2: ksmd on CPU 0 (core 0), ' +
    'the guest on core 1 (primary CPU 2, one secondary CPU 3), one kvmppc_run_core round. The ' +
    "primary's vcpu cedes at its guest entry, the secondary's exits. ksmd starts with the IPI of its " +
    'one smp_call_function_many already sent to CPU 2, waiting for it. The napping secondary has a ' +
    'stray doorbell pending, which it may take at any time before or during the grab (PROTOCOL 5: ' +
    'the nosync race needs a wake source besides the grab).',
  cores: 2,
  threadsPerCore: 2,
  guest: {
    cpus: [2],
    secondaries: 1,
    rounds: 1,
    cede: { primary: 'always', secondaries: 'never' },
    hostIdle: 'never',
  },
  ksmd: { cpu: 0, calls: 1, start: 'sent' },
  strays: [{ kind: 'doorbell', cpu: 3, atStart: true }],
  variant: 'fixed',
  memory: 'sc',
  limits: { maxSteps: 10_000 },
};

const CORE: Scenario = {
  name: 'power8-cede-core',
  description:
    'power8-cede-small without ksmd: one SMT2 core, the guest on it (primary CPU 0, one secondary ' +
    "CPU 1), one kvmppc_run_core round. The primary's vcpu cedes at its guest entry, the " +
    "secondary's exits; the napping secondary has a stray doorbell pending. Both failures show " +
    'here (buggy: the primary is lost through the stale frame and the secondary waits for it; ' +
    'nosync: the secondary misses the grab and the primary waits for it), and every CPU runs the ' +
    'protocol, none naps unused: the smallest machine for exhaustive search under --memory power ' +
    '(under power every store propagates to every CPU separately, an idle CPU included).',
  cores: 1,
  threadsPerCore: 2,
  guest: {
    cpus: [0],
    secondaries: 1,
    rounds: 1,
    cede: { primary: 'always', secondaries: 'never' },
    hostIdle: 'never',
  },
  ksmd: null,
  strays: [{ kind: 'doorbell', cpu: 1, atStart: true }],
  variant: 'fixed',
  memory: 'sc',
  limits: { maxSteps: 10_000 },
};

const DEFAULT: Scenario = {
  name: 'power8-cede',
  description:
    'One SMT4 core running a 4-vcpu guest (primary CPU 4, secondaries 5-7) for one kvmppc_run_core ' +
    'round, every vcpu free to cede or exit; ksmd on CPU 0 of the other core splitting huge pages ' +
    'for as long as the VM runs; stray wakes now and then: a doorbell for each napping secondary, ' +
    'an external interrupt and a decrementer for the napping primary. For uniform trials.',
  cores: 2,
  threadsPerCore: 4,
  guest: { cpus: [4], secondaries: 3, rounds: 1, cede: 'choose', hostIdle: 'never' },
  ksmd: { cpu: 0, calls: 'while-running' },
  strays: [
    { kind: 'doorbell', cpu: 5, count: 1, whenNapping: true },
    { kind: 'doorbell', cpu: 6, count: 1, whenNapping: true },
    { kind: 'doorbell', cpu: 7, count: 1, whenNapping: true },
    { kind: 'external', cpu: 4, count: 1, whenNapping: true },
    { kind: 'decrementer', cpu: 4, count: 1, whenNapping: true },
  ],
  variant: 'fixed',
  memory: 'sc',
  limits: { maxSteps: 5_000 },
};

const POWER9_CPUIDLE: Scenario = {
  name: 'power9-cpuidle',
  description:
    "power8-cede's guest (SMT4 core 1: primary CPU 4, secondaries 5-7, one round) and ksmd (CPU 0), " +
    'plus two online CPUs (8 and 12) in host cpuidle, each woken by up to six IPIs and six timer ' +
    'interrupts. With POWER9 cpuidle the IN_IDLE store is made on the offline path only (PROTOCOL.md ' +
    'section 5), so these ordinary cpuidle wakeups see IN_KERNEL: the fixed and buggy wakeup ' +
    'sections skip their sync there and the baseline syncs. The KVM part is the POWER8 model. For ' +
    'timed runs (naplab compare power9-cpuidle --scheduler timed).',
  cores: 4,
  threadsPerCore: 4,
  guest: DEFAULT.guest,
  ksmd: DEFAULT.ksmd,
  strays: [
    ...DEFAULT.strays!,
    { kind: 'external', cpu: 8, count: 6, whenNapping: true },
    { kind: 'decrementer', cpu: 8, count: 6, whenNapping: true },
    { kind: 'external', cpu: 12, count: 6, whenNapping: true },
    { kind: 'decrementer', cpu: 12, count: 6, whenNapping: true },
  ],
  variant: 'fixed',
  memory: 'sc',
  cpuidle: 'power9',
  limits: { maxSteps: 20_000 },
};

export const BUILTIN_SCENARIOS: Readonly<Record<string, Readonly<Scenario>>> = Object.freeze({
  'power8-cede': DEFAULT,
  'power8-cede-small': SMALL,
  'power8-cede-core': CORE,
  'power9-cpuidle': POWER9_CPUIDLE,
});

/** The name of the default scenario. */
export const DEFAULT_SCENARIO = 'power8-cede';

/** A fresh copy of a built-in scenario; unknown names list the valid ones. */
export function getBuiltinScenario(name: string): Scenario {
  const s = BUILTIN_SCENARIOS[name];
  if (s === undefined) {
    throw new ScenarioError(
      'E_UNKNOWN_BUILTIN',
      `no built-in scenario '${name}'; the built-ins are ${Object.keys(BUILTIN_SCENARIOS).join(', ')}`,
    );
  }
  return structuredClone(s) as Scenario;
}
