import { describe, expect, it } from 'vitest';
import {
  BUILTIN_SCENARIOS,
  getBuiltinScenario,
  resolveScenario,
  type Scenario,
  ScenarioError,
  WAKEUP_VARIANTS,
} from './index.js';

const base = (): Scenario => ({
  cores: 2,
  threadsPerCore: 2,
  guest: { cpus: [2], secondaries: 1 },
  ksmd: { cpu: 0 },
});

/** The ScenarioError a broken scenario throws (the test fails if it throws something else). */
function errorOf(s: unknown): ScenarioError {
  try {
    resolveScenario(s as Scenario);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('resolveScenario', () => {
  it('fills in every default', () => {
    const r = resolveScenario(base());
    expect(r).toEqual({
      name: 'scenario',
      description: '',
      cores: 2,
      threadsPerCore: 2,
      cpus: 4,
      guest: {
        cpus: [2],
        secondaries: 1,
        rounds: 1,
        cede: { primary: 'choose', secondaries: 'choose' },
        hostIdle: 'never',
      },
      ksmd: { cpu: 0, calls: 1, targets: [2], start: 'scan' },
      strays: [],
      variant: 'fixed',
      wakeupFile: null,
      memory: 'sc',
      limits: { maxSteps: 100_000, storeBuffer: 4, maxStates: 2_000_000 },
      cpuidle: 'power8',
      watchdogThresh: 10,
    });
  });

  it('takes the cpuidle flavour and the watchdog threshold, and refuses bad ones', () => {
    const r = resolveScenario({ ...base(), cpuidle: 'power9', watchdogThresh: 30 });
    expect([r.cpuidle, r.watchdogThresh]).toEqual(['power9', 30]);
    expect(() => resolveScenario({ ...base(), cpuidle: 'power10' as 'power9' })).toThrow(
      /cpuidle: "power10" is not one of power8, power9/,
    );
    for (const w of [0, 61, 2.5]) {
      let err: unknown;
      try {
        resolveScenario({ ...base(), watchdogThresh: w });
      } catch (e) {
        err = e;
      }
      expect((err as ScenarioError).code).toBe('E_WATCHDOG');
      expect((err as ScenarioError).option).toBe('watchdogThresh');
    }
  });

  it('takes a cede mode per role and strays with their defaults', () => {
    const r = resolveScenario({
      ...base(),
      guest: { cpus: [2], secondaries: 1, cede: { primary: 'always' } },
      strays: [{ kind: 'external', cpu: 3 }],
    });
    expect(r.guest.cede).toEqual({ primary: 'always', secondaries: 'choose' });
    expect(r.strays).toEqual([{ kind: 'external', cpu: 3, count: 1, whenNapping: true, atStart: false }]);
  });

  it('rejects a machine without threads', () => {
    const e = errorOf({ ...base(), cores: 0 });
    expect(e.code).toBe('E_NO_THREADS');
    expect(e.message).toBe('cores: the machine needs at least one core, found 0 (0 threads)');
  });

  it('rejects threads per core outside 2..8', () => {
    for (const tpc of [0, 1, 9, 2.5]) {
      const e = errorOf({ ...base(), threadsPerCore: tpc });
      expect(e.code).toBe('E_THREADS_PER_CORE');
      expect(e.option).toBe('threadsPerCore');
    }
  });

  it('rejects a guest wider than its core', () => {
    const e = errorOf({ ...base(), guest: { cpus: [2], secondaries: 2 } });
    expect(e.code).toBe('E_TOO_MANY_THREADS');
    expect(e.message).toContain('would use 3 threads per core');
    expect(e.message).toContain('use at most 1 secondaries');
  });

  it('rejects a vCPU task on an offline thread, naming the online CPU of that core', () => {
    const e = errorOf({ ...base(), guest: { cpus: [3], secondaries: 0 } });
    expect(e.code).toBe('E_OFFLINE_CPU');
    expect(e.message).toBe(
      'guest.cpus[0]: a vCPU task cannot run on CPU 3: it is thread 1 of core 1, and KVM on POWER8 keeps ' +
        'secondary threads offline; the online CPU of that core is 2',
    );
  });

  it('rejects ksmd on an offline thread, on a CPU that does not exist, or on the guest core', () => {
    expect(errorOf({ ...base(), ksmd: { cpu: 1 } }).code).toBe('E_OFFLINE_CPU');
    const missing = errorOf({ ...base(), ksmd: { cpu: 4 } });
    expect(missing.code).toBe('E_NO_SUCH_CPU');
    expect(missing.message).toContain('0..3: 2 cores x 2 threads');
    expect(errorOf({ ...base(), guest: { cpus: [0], secondaries: 1 } }).code).toBe('E_CPU_CONFLICT');
  });

  it('rejects an empty guest, two vCPU tasks on one core, bad rounds and bad modes', () => {
    expect(errorOf({ ...base(), guest: { cpus: [], secondaries: 0 } }).code).toBe('E_NO_GUEST');
    expect(
      errorOf({ ...base(), cores: 3, threadsPerCore: 2, guest: { cpus: [2, 2], secondaries: 0 } }).code,
    ).toBe('E_CPU_CONFLICT');
    expect(errorOf({ ...base(), guest: { cpus: [2], secondaries: 1, rounds: 0 } }).code).toBe('E_ROUNDS');
    const mode = errorOf({ ...base(), guest: { cpus: [2], secondaries: 1, cede: 'sometimes' } });
    expect(mode.code).toBe('E_MODE');
    expect(mode.message).toBe('guest.cede: "sometimes" is not one of always, never, choose');
    expect(errorOf({ ...base(), ksmd: { cpu: 0, calls: 0 } }).code).toBe('E_KSMD_CALLS');
  });

  it('rejects an unknown variant and lists the valid ones', () => {
    const e = errorOf({ ...base(), variant: 'patched' });
    expect(e.code).toBe('E_VARIANT');
    expect(e.message).toBe('variant: "patched" is not one of baseline, buggy, fixed, nosync');
    expect(WAKEUP_VARIANTS).toEqual(['baseline', 'buggy', 'fixed', 'nosync']);
  });

  it('rejects an unknown memory model, malformed strays and misspelt options', () => {
    expect(errorOf({ ...base(), memory: 'weak' }).code).toBe('E_MEMORY');
    expect(errorOf({ ...base(), strays: [{ kind: 'hmi', cpu: 3 }] }).code).toBe('E_STRAY');
    expect(errorOf({ ...base(), strays: [{ kind: 'doorbell', cpu: 3, count: 2, atStart: true }] }).code).toBe(
      'E_STRAY',
    );
    const typo = errorOf({ ...base(), gust: {} });
    expect(typo.code).toBe('E_UNKNOWN_OPTION');
    expect(typo.option).toBe('gust');
    expect(errorOf({ ...base(), limits: { maxSteps: 0 } }).code).toBe('E_LIMITS');
  });
});

describe('built-in scenarios', () => {
  it('has the default, the small one, the core one and power9-cpuidle, all valid', () => {
    expect(Object.keys(BUILTIN_SCENARIOS).sort()).toEqual([
      'power8-cede',
      'power8-cede-core',
      'power8-cede-small',
      'power9-cpuidle',
    ]);
    for (const name of Object.keys(BUILTIN_SCENARIOS))
      expect(resolveScenario(getBuiltinScenario(name)).name).toBe(name);
  });

  it('hands out copies', () => {
    const s = getBuiltinScenario('power8-cede-small');
    s.guest.cpus.push(99);
    expect(BUILTIN_SCENARIOS['power8-cede-small']!.guest.cpus).toEqual([2]);
  });

  it('lists the valid names for an unknown one', () => {
    let err: unknown;
    try {
      getBuiltinScenario('power9');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).code).toBe('E_UNKNOWN_BUILTIN');
    expect((err as ScenarioError).message).toBe(
      "no built-in scenario 'power9'; the built-ins are power8-cede, power8-cede-small, power8-cede-core, power9-cpuidle",
    );
  });
});
