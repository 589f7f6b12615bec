/**
 * The scenario DSL: a plain options object (`Scenario`) saying which machine runs which kernel
 * paths, and its validation into a `ResolvedScenario` with every default filled in. Scenarios are
 * data: they can live in `.json`, `.js`/`.mjs` or `.ts` files (see `loadScenarioFile`).
 */
import { MAX_THREADS, MEMORY_MODELS, type MemoryModel } from '@naplab/isa';
import { WAKEUP_VARIANTS, type WakeupVariant } from './model.js';

/** What a guest vCPU does at each guest entry: H_CEDE, exit to the host, or either (`choose`). */
export type CedeMode = 'always' | 'never' | 'choose';
export const CEDE_MODES: readonly CedeMode[] = ['always', 'never', 'choose'];

/** Whether the vCPU task's CPU naps in host idle between two kvmppc_run_core rounds. */
export type HostIdleMode = 'always' | 'never' | 'choose';
export const HOST_IDLE_MODES: readonly HostIdleMode[] = ['always', 'never', 'choose'];

export type StrayKind = 'doorbell' | 'external' | 'decrementer';
export const STRAY_KINDS: readonly StrayKind[] = ['doorbell', 'external', 'decrementer'];

/** A spurious interrupt source: an environment event the scheduler may fire up to `count` times. */
export interface StrayWake {
  kind: StrayKind;
  cpu: number;
  /** how many times it may fire in one trial (default 1) */
  count?: number;
  /** offered only while the cpu naps, i.e. a stray wakeup (default true) */
  whenNapping?: boolean;
  /**
   * already pending when the trial starts (default false): the cpu takes it at its first chance,
   * e.g. a napping secondary wakes at any point before or during the first grab. `count` must be 1.
   */
  atStart?: boolean;
}

export interface GuestOptions {
  /** the CPUs running a vCPU task: each is thread 0 (the primary) of its core */
  cpus: number[];
  /** secondary threads the guest runs on, per core (0 .. threadsPerCore-1); all are grabbed */
  secondaries: number;
  /** kvmppc_run_core rounds per vCPU task (default 1) */
  rounds?: number;
  /** what a vCPU does in the guest (default `choose`), for all vcpus or per role */
  cede?: CedeMode | { primary?: CedeMode; secondaries?: CedeMode };
  /** host idle between rounds (default `never`) */
  hostIdle?: HostIdleMode;
}

export interface KsmdOptions {
  /** an online CPU (thread 0 of a core) that runs no vCPU task */
  cpu: number;
  /**
   * smp_call_function_many calls ksmd makes (default 1), or `while-running`: one after the other
   * for as long as the VM runs (every lost vCPU CPU then ends with ksmd waiting for it)
   */
  calls?: number | 'while-running';
  /** the CPUs in mm_cpumask (default: the vCPU tasks' CPUs) */
  targets?: number[];
  /**
   * where ksmd starts (default `scan`): at the top of ksm_scan_thread; `queued`: inside its first
   * call, every csd locked and queued, about to send the IPIs; `sent`: further on, the IPIs
   * pending on the targets and ksmd in csd_lock_wait. The later starts fix one timing of the
   * first call, which keeps exhaustive search small.
   */
  start?: KsmdStart;
}

export type KsmdStart = 'scan' | 'queued' | 'sent';
export const KSMD_STARTS: readonly KsmdStart[] = ['scan', 'queued', 'sent'];

export interface ScenarioLimits {
  maxSteps?: number;
  storeBuffer?: number;
  maxStates?: number;
}

export interface Scenario {
  name?: string;
  description?: string;
  /** cores of the machine; `cpu = core * threadsPerCore + thread` */
  cores: number;
  /** 2..8 (POWER8 is SMT8; a split core has 2 or 4 threads) */
  threadsPerCore: number;
  guest: GuestOptions;
  /** omit or null for no ksmd */
  ksmd?: KsmdOptions | null;
  strays?: StrayWake[];
  /** the wakeup section of pnv_powersave_wakeup (default `fixed`) */
  variant?: WakeupVariant;
  /** a user's own wakeup section (an assembly file); replaces `variant` */
  wakeupFile?: string;
  /** the memory model runs use by default (engines take it as a run option; default `sc`) */
  memory?: MemoryModel;
  limits?: ScenarioLimits;
  /**
   * how an online CPU's host cpuidle naps (default `power8`): `power8` stores IN_IDLE before every
   * nap; `power9` only on the offline path (PROTOCOL.md section 5), so ordinary cpuidle wakeups
   * see IN_KERNEL and the fixed and buggy wakeup sections skip their sync there
   */
  cpuidle?: CpuidleMode;
  /** the kernel's watchdog_thresh in seconds for timed runs (default 10; PROTOCOL.md 3.8) */
  watchdogThresh?: number;
}

export type CpuidleMode = 'power8' | 'power9';
export const CPUIDLE_MODES: readonly CpuidleMode[] = ['power8', 'power9'];

/** A validated scenario with every default filled in. */
export interface ResolvedScenario {
  name: string;
  description: string;
  cores: number;
  threadsPerCore: number;
  /** cores * threadsPerCore */
  cpus: number;
  guest: Required<Omit<GuestOptions, 'cede'>> & { cede: { primary: CedeMode; secondaries: CedeMode } };
  ksmd: Required<KsmdOptions> | null;
  strays: Required<StrayWake>[];
  /** `custom` when `wakeupFile` is set */
  variant: WakeupVariant | 'custom';
  wakeupFile: string | null;
  memory: MemoryModel;
  limits: Required<ScenarioLimits>;
  cpuidle: CpuidleMode;
  watchdogThresh: number;
}

/** Default bounds. A trial of the models here takes a few hundred steps; exhaustive paths go deeper. */
export const DEFAULT_SCENARIO_LIMITS: Required<ScenarioLimits> = {
  maxSteps: 100_000,
  storeBuffer: 4,
  maxStates: 2_000_000,
};

export const SCENARIO_ERROR_CODES = {
  E_SCENARIO_SHAPE: 'the scenario is not an object of the expected shape',
  E_UNKNOWN_OPTION: 'an option name is not one the scenario DSL knows',
  E_NO_THREADS: 'the machine has no threads',
  E_THREADS_PER_CORE: 'threadsPerCore is outside 2..8',
  E_TOO_MANY_CPUS: 'the machine has more CPUs than an image can hold',
  E_TOO_MANY_THREADS: 'the guest uses more threads than its core has',
  E_NO_SUCH_CPU: 'a CPU number is not a CPU of the machine',
  E_OFFLINE_CPU: 'a task is placed on an offline (secondary) thread',
  E_CPU_CONFLICT: 'two roles claim the same CPU or core',
  E_NO_GUEST: 'no CPU runs a vCPU task',
  E_ROUNDS: 'rounds is not a positive integer',
  E_MODE: 'a mode option has a value the DSL does not know',
  E_KSMD_CALLS: 'ksmd.calls is neither a positive integer nor while-running',
  E_STRAY: 'a stray wake is malformed',
  E_VARIANT: 'unknown wakeup variant',
  E_MEMORY: 'unknown memory model',
  E_LIMITS: 'a limit is not a positive integer in range',
  E_WATCHDOG: 'watchdogThresh is not a whole number of seconds in 1..60',
  E_WAKEUP_FILE: 'the custom wakeup file cannot be read',
  E_WAKEUP_ASM: 'the custom wakeup file does not assemble',
  E_SCENARIO_FILE: 'a scenario file cannot be read or does not export a scenario',
  E_UNKNOWN_BUILTIN: 'no built-in scenario has that name',
} as const;
export type ScenarioErrorCode = keyof typeof SCENARIO_ERROR_CODES;

/** An impossible or malformed scenario: `code` is stable, the message says what and how to fix it. */
export class ScenarioError extends Error {
  constructor(
    readonly code: ScenarioErrorCode,
    message: string,
    /** the option at fault, as a path (`guest.cpus[0]`) */
    readonly option?: string,
    options?: { cause?: unknown },
  ) {
    super(option === undefined ? message : `${option}: ${message}`, options);
    this.name = 'ScenarioError';
  }
}

/** Identity with type checking, for scenario files: `export default defineScenario({...})`. */
export function defineScenario(s: Scenario): Scenario {
  return s;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const KEYS: Record<string, readonly string[]> = {
  scenario: [
    'name',
    'description',
    'cores',
    'threadsPerCore',
    'guest',
    'ksmd',
    'strays',
    'variant',
    'wakeupFile',
    'memory',
    'limits',
    'cpuidle',
    'watchdogThresh',
  ],
  guest: ['cpus', 'secondaries', 'rounds', 'cede', 'hostIdle'],
  cede: ['primary', 'secondaries'],
  ksmd: ['cpu', 'calls', 'targets', 'start'],
  stray: ['kind', 'cpu', 'count', 'whenNapping', 'atStart'],
  limits: ['maxSteps', 'storeBuffer', 'maxStates'],
};

function checkKeys(obj: Record<string, unknown>, kind: string, path: string): void {
  const known = KEYS[kind]!;
  for (const k of Object.keys(obj)) {
    if (!known.includes(k)) {
      const at = path === '' ? k : `${path}.${k}`;
      throw new ScenarioError(
        'E_UNKNOWN_OPTION',
        `unknown option; the options here are ${known.join(', ')}`,
        at,
      );
    }
  }
}

function oneOf<T extends string>(
  v: unknown,
  valid: readonly T[],
  code: ScenarioErrorCode,
  option: string,
): T {
  if (typeof v === 'string' && (valid as readonly string[]).includes(v)) return v as T;
  throw new ScenarioError(code, `${JSON.stringify(v)} is not one of ${valid.join(', ')}`, option);
}

/**
 * Check a scenario and fill in its defaults. Throws `ScenarioError` for anything a POWER8 host
 * could not run: threads per core outside 2..8, a guest wider than its core, a vCPU task or ksmd
 * on an offline thread, two roles on one CPU, an unknown variant or memory model...
 */
export function resolveScenario(input: Scenario): ResolvedScenario {
  if (!isObject(input)) throw new ScenarioError('E_SCENARIO_SHAPE', 'a scenario is an object');
  const s = input as unknown as Record<string, unknown>;
  checkKeys(s, 'scenario', '');

  const name = s.name ?? 'scenario';
  if (typeof name !== 'string') throw new ScenarioError('E_SCENARIO_SHAPE', 'must be a string', 'name');
  const description = s.description ?? '';
  if (typeof description !== 'string')
    throw new ScenarioError('E_SCENARIO_SHAPE', 'must be a string', 'description');

  const cores = s.cores;
  if (!isInt(cores) || cores < 1) {
    throw new ScenarioError(
      'E_NO_THREADS',
      `the machine needs at least one core, found ${JSON.stringify(cores)} (0 threads)`,
      'cores',
    );
  }
  const tpc = s.threadsPerCore;
  if (!isInt(tpc) || tpc < 2 || tpc > 8) {
    throw new ScenarioError(
      'E_THREADS_PER_CORE',
      `must be an integer 2..8 (POWER8 cores are SMT8, split cores have 2 or 4 threads), found ${JSON.stringify(tpc)}`,
      'threadsPerCore',
    );
  }
  const cpus = cores * tpc;
  if (cpus > MAX_THREADS) {
    throw new ScenarioError(
      'E_TOO_MANY_CPUS',
      `${cores} cores x ${tpc} threads = ${cpus} CPUs; an image holds at most ${MAX_THREADS}`,
      'cores',
    );
  }
  const cpuCheck = (v: unknown, option: string): number => {
    if (!isInt(v) || v < 0 || v >= cpus) {
      throw new ScenarioError(
        'E_NO_SUCH_CPU',
        `${JSON.stringify(v)} is not a CPU of this machine (0..${cpus - 1}: ${cores} cores x ${tpc} threads)`,
        option,
      );
    }
    return v;
  };
  const onlineCheck = (cpu: number, option: string, what: string): void => {
    if (cpu % tpc !== 0) {
      const primary = cpu - (cpu % tpc);
      throw new ScenarioError(
        'E_OFFLINE_CPU',
        `${what} cannot run on CPU ${cpu}: it is thread ${cpu % tpc} of core ${Math.floor(cpu / tpc)}, ` +
          `and KVM on POWER8 keeps secondary threads offline; the online CPU of that core is ${primary}`,
        option,
      );
    }
  };

  // ---- guest
  if (!isObject(s.guest)) {
    throw new ScenarioError(
      'E_SCENARIO_SHAPE',
      'guest is required: { cpus: [...], secondaries: n }',
      'guest',
    );
  }
  const g = s.guest;
  checkKeys(g, 'guest', 'guest');
  if (!Array.isArray(g.cpus))
    throw new ScenarioError('E_SCENARIO_SHAPE', 'must be an array of CPUs', 'guest.cpus');
  if (g.cpus.length === 0) {
    throw new ScenarioError('E_NO_GUEST', 'no CPU runs a vCPU task; give at least one', 'guest.cpus');
  }
  const guestCpus = g.cpus.map((c, i) => cpuCheck(c, `guest.cpus[${i}]`));
  guestCpus.forEach((c, i) => {
    onlineCheck(c, `guest.cpus[${i}]`, 'a vCPU task');
  });
  const seenCores = new Set<number>();
  guestCpus.forEach((c, i) => {
    const core = Math.floor(c / tpc);
    if (seenCores.has(core)) {
      throw new ScenarioError('E_CPU_CONFLICT', `core ${core} already runs a vCPU task`, `guest.cpus[${i}]`);
    }
    seenCores.add(core);
  });
  const secondaries = g.secondaries;
  if (!isInt(secondaries) || secondaries < 0) {
    throw new ScenarioError(
      'E_SCENARIO_SHAPE',
      `must be the number of secondary threads the guest uses (0..${tpc - 1}), found ${JSON.stringify(secondaries)}`,
      'guest.secondaries',
    );
  }
  if (secondaries > tpc - 1) {
    throw new ScenarioError(
      'E_TOO_MANY_THREADS',
      `the guest would use ${secondaries + 1} threads per core (the primary and ${secondaries} secondaries) ` +
        `but a core has ${tpc}; use at most ${tpc - 1} secondaries`,
      'guest.secondaries',
    );
  }
  const rounds = g.rounds ?? 1;
  if (!isInt(rounds) || rounds < 1 || rounds > 1000) {
    throw new ScenarioError(
      'E_ROUNDS',
      `must be an integer 1..1000, found ${JSON.stringify(rounds)}`,
      'guest.rounds',
    );
  }
  let cede: ResolvedScenario['guest']['cede'];
  if (isObject(g.cede)) {
    checkKeys(g.cede, 'cede', 'guest.cede');
    cede = {
      primary: oneOf(g.cede.primary ?? 'choose', CEDE_MODES, 'E_MODE', 'guest.cede.primary'),
      secondaries: oneOf(g.cede.secondaries ?? 'choose', CEDE_MODES, 'E_MODE', 'guest.cede.secondaries'),
    };
  } else {
    const mode = oneOf(g.cede ?? 'choose', CEDE_MODES, 'E_MODE', 'guest.cede');
    cede = { primary: mode, secondaries: mode };
  }
  const hostIdle = oneOf(g.hostIdle ?? 'never', HOST_IDLE_MODES, 'E_MODE', 'guest.hostIdle');

  // ---- ksmd
  let ksmd: ResolvedScenario['ksmd'] = null;
  if (s.ksmd !== undefined && s.ksmd !== null) {
    if (!isObject(s.ksmd))
      throw new ScenarioError('E_SCENARIO_SHAPE', 'must be an object { cpu, calls }', 'ksmd');
    const k = s.ksmd;
    checkKeys(k, 'ksmd', 'ksmd');
    const cpu = cpuCheck(k.cpu, 'ksmd.cpu');
    onlineCheck(cpu, 'ksmd.cpu', 'ksmd');
    if (seenCores.has(Math.floor(cpu / tpc))) {
      throw new ScenarioError(
        'E_CPU_CONFLICT',
        `CPU ${cpu} is on core ${Math.floor(cpu / tpc)}, whose threads all belong to the guest; put ksmd on another core`,
        'ksmd.cpu',
      );
    }
    const calls = k.calls ?? 1;
    if (!(calls === 'while-running' || (isInt(calls) && calls >= 1 && calls <= 1000))) {
      throw new ScenarioError(
        'E_KSMD_CALLS',
        `must be an integer 1..1000 or 'while-running', found ${JSON.stringify(calls)}`,
        'ksmd.calls',
      );
    }
    let targets = guestCpus;
    if (k.targets !== undefined) {
      if (!Array.isArray(k.targets) || k.targets.length === 0) {
        throw new ScenarioError('E_SCENARIO_SHAPE', 'must be a non-empty array of CPUs', 'ksmd.targets');
      }
      targets = k.targets.map((c, i) => cpuCheck(c, `ksmd.targets[${i}]`));
      targets.forEach((c, i) => {
        onlineCheck(c, `ksmd.targets[${i}]`, 'an IPI target of smp_call_function_many');
        if (c === cpu) {
          throw new ScenarioError(
            'E_CPU_CONFLICT',
            'smp_call_function_many does not send an IPI to its own CPU',
            `ksmd.targets[${i}]`,
          );
        }
      });
    }
    const start = oneOf(k.start ?? 'scan', KSMD_STARTS, 'E_MODE', 'ksmd.start');
    ksmd = { cpu, calls: calls as number | 'while-running', targets: [...targets], start };
  }

  // ---- strays
  const strays: Required<StrayWake>[] = [];
  if (s.strays !== undefined) {
    if (!Array.isArray(s.strays)) throw new ScenarioError('E_SCENARIO_SHAPE', 'must be an array', 'strays');
    s.strays.forEach((w: unknown, i) => {
      const at = `strays[${i}]`;
      if (!isObject(w)) throw new ScenarioError('E_STRAY', 'must be { kind, cpu, count?, whenNapping? }', at);
      checkKeys(w, 'stray', at);
      const kind = oneOf(w.kind, STRAY_KINDS, 'E_STRAY', `${at}.kind`);
      const cpu = cpuCheck(w.cpu, `${at}.cpu`);
      const count = w.count ?? 1;
      if (!isInt(count) || count < 0 || count > 1000) {
        throw new ScenarioError(
          'E_STRAY',
          `must be an integer 0..1000, found ${JSON.stringify(count)}`,
          `${at}.count`,
        );
      }
      const whenNapping = w.whenNapping ?? true;
      if (typeof whenNapping !== 'boolean') {
        throw new ScenarioError('E_STRAY', 'must be true or false', `${at}.whenNapping`);
      }
      const atStart = w.atStart ?? false;
      if (typeof atStart !== 'boolean')
        throw new ScenarioError('E_STRAY', 'must be true or false', `${at}.atStart`);
      if (atStart && count !== 1) {
        throw new ScenarioError(
          'E_STRAY',
          'a stray pending at the start is one interrupt: count must be 1',
          `${at}.count`,
        );
      }
      strays.push({ kind, cpu, count, whenNapping, atStart });
    });
  }

  // ---- wakeup section, memory, limits
  let variant: ResolvedScenario['variant'];
  let wakeupFile: string | null = null;
  if (s.wakeupFile !== undefined) {
    if (typeof s.wakeupFile !== 'string' || s.wakeupFile === '') {
      throw new ScenarioError('E_WAKEUP_FILE', 'must be the path of an assembly file', 'wakeupFile');
    }
    wakeupFile = s.wakeupFile;
    variant = 'custom';
  } else {
    variant = oneOf(s.variant ?? 'fixed', WAKEUP_VARIANTS, 'E_VARIANT', 'variant');
  }
  const memory = oneOf(s.memory ?? 'sc', MEMORY_MODELS, 'E_MEMORY', 'memory');
  const cpuidle = oneOf(s.cpuidle ?? 'power8', CPUIDLE_MODES, 'E_MODE', 'cpuidle');
  const watchdogThresh = s.watchdogThresh ?? 10;
  if (!isInt(watchdogThresh) || watchdogThresh < 1 || watchdogThresh > 60) {
    throw new ScenarioError(
      'E_WATCHDOG',
      `must be a whole number of seconds in 1..60 (the kernel's range), found ${JSON.stringify(watchdogThresh)}`,
      'watchdogThresh',
    );
  }
  const limits = { ...DEFAULT_SCENARIO_LIMITS };
  if (s.limits !== undefined) {
    if (!isObject(s.limits)) throw new ScenarioError('E_SCENARIO_SHAPE', 'must be an object', 'limits');
    checkKeys(s.limits, 'limits', 'limits');
    for (const [k, v] of Object.entries(s.limits)) {
      if (v === undefined) continue;
      const max = k === 'storeBuffer' ? 64 : k === 'maxSteps' ? 1e9 : Number.MAX_SAFE_INTEGER;
      if (!isInt(v) || v < 1 || v > max) {
        throw new ScenarioError(
          'E_LIMITS',
          `must be an integer 1..${max}, found ${JSON.stringify(v)}`,
          `limits.${k}`,
        );
      }
      limits[k as keyof ScenarioLimits] = v;
    }
  }

  return {
    name,
    description,
    cores,
    threadsPerCore: tpc,
    cpus,
    guest: { cpus: [...guestCpus], secondaries, rounds, cede, hostIdle },
    ksmd,
    strays,
    variant,
    wakeupFile,
    memory,
    limits,
    cpuidle,
    watchdogThresh,
  };
}

/** What each CPU of a resolved scenario is. */
export type CpuRole = 'primary' | 'secondary' | 'ksmd' | 'idle' | 'offline';

export function cpuRoles(s: ResolvedScenario): CpuRole[] {
  const tpc = s.threadsPerCore;
  const guestCores = new Set(s.guest.cpus.map((c) => Math.floor(c / tpc)));
  return Array.from({ length: s.cpus }, (_, cpu) => {
    if (s.guest.cpus.includes(cpu)) return 'primary';
    if (guestCores.has(Math.floor(cpu / tpc))) return 'secondary';
    if (s.ksmd?.cpu === cpu) return 'ksmd';
    return cpu % tpc === 0 ? 'idle' : 'offline';
  });
}
