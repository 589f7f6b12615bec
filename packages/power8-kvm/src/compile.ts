/**
 * The scenario compiler: a `Scenario` -> an `ImageSpec` (the model's sources, memory layout and
 * threads) -> an `Image` through `linkImage`. The model is the assembly in `model/`; this file only
 * places it on CPUs and sets its parameters.
 */
import { readFileSync } from 'node:fs';
import {
  AsmError,
  type ImageSpec,
  linkImage,
  renderDiagnostic,
  type SourceFile,
  type ThreadSpec,
} from '@naplab/asm';
import { type Image, LPCR_PECE0, LPCR_PECE1, LPCR_PECEDH, PEND_DBELL, PEND_DEC, PEND_EXT } from '@naplab/isa';
import {
  CSD_FLAG_LOCK,
  GUEST_LPID,
  KVM_HWTHREAD_IN_IDLE,
  KVM_HWTHREAD_IN_KERNEL,
  MODEL_DEFINES,
  PER_THREAD_FIELDS,
  VCORE_SIZE,
} from './constants.js';
import { kernelSources, modelSource, WAKEUP_VARIANT_INFO, wakeupSource } from './model.js';
import {
  type CedeMode,
  type CpuRole,
  cpuRoles,
  type HostIdleMode,
  type KsmdStart,
  type ResolvedScenario,
  resolveScenario,
  type Scenario,
  ScenarioError,
} from './scenario.js';

/** `choose rD,N` + `cmpwi rD,V`: N values, the one that takes the branch (V >= N: never). */
const CEDE_CHOICE: Record<CedeMode, [number, number]> = { choose: [2, 0], always: [1, 0], never: [1, 1] };
const HOST_IDLE_CHOICE: Record<HostIdleMode, [number, number]> = {
  choose: [2, 0],
  always: [1, 0],
  never: [1, 1],
};

/** LPCR wake enables: an online CPU wakes on everything, an offline one not on the decrementer. */
const LPCR_ONLINE = LPCR_PECE0 | LPCR_PECE1 | LPCR_PECEDH;
const LPCR_OFFLINE = LPCR_PECE0 | LPCR_PECEDH;

const ENTRY: Partial<Record<CpuRole, string>> = { primary: 'kvmppc_vcpu_run_hv' };
const KSMD_ENTRY: Record<KsmdStart, string> = {
  scan: 'ksm_scan_thread',
  queued: 'ksm_scan_thread_queued',
  sent: 'ksm_scan_thread_sent',
};

function wakeupSectionOf(s: ResolvedScenario): SourceFile {
  if (s.wakeupFile === null) return wakeupSource(s.variant as Exclude<typeof s.variant, 'custom'>);
  try {
    return { file: s.wakeupFile, text: readFileSync(s.wakeupFile, 'utf8') };
  } catch (e) {
    throw new ScenarioError(
      'E_WAKEUP_FILE',
      `cannot read ${s.wakeupFile}: ${(e as Error).message}`,
      'wakeupFile',
      {
        cause: e,
      },
    );
  }
}

/** The vcore of the guest whose primary is `cpu`. */
const vcoreName = (cpu: number) => `vcore_${cpu}`;

/** Compile a scenario to the linker's input. Throws `ScenarioError` for an impossible scenario. */
export function scenarioToImageSpec(scenario: Scenario): ImageSpec {
  const s = resolveScenario(scenario);
  const roles = cpuRoles(s);
  const tpc = s.threadsPerCore;
  const primaryOf = (cpu: number) => cpu - (cpu % tpc);

  const globals: ImageSpec['globals'] = [
    // paca_ptrs[cpu]: the base of each cpu's per-thread block
    { name: 'paca_ptrs', size: s.cpus, init: Array.from({ length: s.cpus }, (_, c) => `paca@cpu${c}`) },
    { name: 'kvm', size: 1, init: [GUEST_LPID] },
  ];
  for (const p of s.guest.cpus) {
    // struct kvmppc_vcore: entry_exit_map, napping_threads, in_guest, pcpu, kvm; the primary owns it
    globals.push({ name: vcoreName(p), size: VCORE_SIZE, init: [0, 0, 0, p, 'kvm'], cpu: p });
  }
  globals.push(
    // the model's vcpus have no state: one struct, whose address (non-NULL) is every vcpu pointer
    { name: 'kvm_vcpu', size: 1 },
    {
      name: 'mm_cpumask',
      size: Math.max(1, s.ksmd?.targets.length ?? 0),
      init: [...(s.ksmd?.targets ?? [])],
    },
    { name: 'mm_users', size: 1, init: [s.guest.cpus.length] },
    // set by ksmd when it is done with the mm; without ksmd there is nothing to wait for
    { name: 'ksmd_done', size: 1, init: [s.ksmd === null ? 1 : 0], ...(s.ksmd ? { cpu: s.ksmd.cpu } : {}) },
  );

  /** Constants of a guest-core thread the kernel recomputes from its PACA (book3s_hv_rmhandlers.s). */
  const guestCoreRegs = (cpu: number): Record<number, number | string> => {
    const ptid = cpu % tpc;
    const vc = vcoreName(primaryOf(cpu));
    return {
      19: 1 << ptid,
      20: 0x100 << ptid,
      21: primaryOf(cpu),
      29: `${vc}+VCORE_NAPPING_THREADS`,
      30: vc,
    };
  };
  const napsAtStart = (r: CpuRole) => r === 'secondary' || r === 'offline' || r === 'idle';
  // ksmd starting with its first call queued: each target's csd locked and queued, host IPI set
  const queuedOn = new Set(s.ksmd && s.ksmd.start !== 'scan' ? s.ksmd.targets : []);
  const ipiSentTo = new Set(s.ksmd?.start === 'sent' ? s.ksmd.targets : []);
  const perThread: ImageSpec['perThread'] = PER_THREAD_FIELDS.map((name) => {
    switch (name) {
      case 'HSTATE_HWTHREAD_STATE':
        return {
          name,
          init: (cpu: number) => (napsAtStart(roles[cpu]!) ? KVM_HWTHREAD_IN_IDLE : KVM_HWTHREAD_IN_KERNEL),
        };
      case 'HSTATE_PTID':
        return { name, init: (cpu: number) => cpu % tpc };
      case 'PACAR1':
        // the frame of the last host idle entry: the offline loop, or the cpuidle loop
        return {
          name,
          init: (cpu: number) =>
            roles[cpu] === 'secondary' || roles[cpu] === 'offline'
              ? 'pnv_cpu_offline_return'
              : 'power7_idle_type_return',
        };
      case 'CSD_FLAGS':
      case 'CALL_SINGLE_QUEUE':
      case 'HSTATE_HOST_IPI':
        return { name, init: (cpu: number) => (queuedOn.has(cpu) ? CSD_FLAG_LOCK : 0) };
      default:
        return { name };
    }
  });

  const PEND: Record<string, number> = { doorbell: PEND_DBELL, external: PEND_EXT, decrementer: PEND_DEC };
  const pendingAtStart = (cpu: number) =>
    s.strays
      .filter((w) => w.atStart && w.cpu === cpu)
      .reduce((bits, w) => bits | PEND[w.kind]!, ipiSentTo.has(cpu) ? PEND_EXT : 0);
  const threads: ThreadSpec[] = roles.map((role, cpu) => ({
    ...threadOf(role, cpu),
    pending: pendingAtStart(cpu),
  }));
  function threadOf(role: CpuRole, cpu: number): ThreadSpec {
    switch (role) {
      case 'primary':
        return {
          name: 'primary',
          entry: ENTRY.primary,
          status: 'running',
          // the vCPU task starts inside kvmppc_run_core, interrupts hard-disabled
          msrEE: 0,
          lpcr: LPCR_ONLINE,
          regs: {
            ...guestCoreRegs(cpu),
            14: s.guest.rounds,
            15: tpc - 1,
            16: s.guest.secondaries,
            17: tpc,
            22: cpu,
            9: 'mm_users',
            27: 'kvm_vcpu',
            28: GUEST_LPID,
          },
          mustHalt: true,
        };
      case 'ksmd': {
        const k = s.ksmd!;
        const last = k.targets.length - 1;
        return {
          name: 'ksmd',
          entry: KSMD_ENTRY[k.start],
          status: 'running',
          msrEE: 1,
          lpcr: LPCR_ONLINE,
          regs: {
            4: CSD_FLAG_LOCK,
            14: k.calls === 'while-running' ? -1 : k.calls - 1,
            17: k.targets.length,
            24: 'paca_ptrs',
            25: 'mm_cpumask',
            ...(k.start === 'queued' ? { 9: last, 21: k.targets[last]! } : { 9: 0, 21: k.targets[0]! }),
          },
          mustHalt: true,
        };
      }
      case 'secondary':
        return {
          name: role,
          status: 'napping',
          msrEE: 0,
          lpcr: LPCR_OFFLINE,
          regs: guestCoreRegs(cpu),
          mustHalt: false,
        };
      case 'offline':
        return { name: role, status: 'napping', msrEE: 0, lpcr: LPCR_OFFLINE, mustHalt: false };
      case 'idle':
        return { name: role, status: 'napping', msrEE: 0, lpcr: LPCR_ONLINE, mustHalt: false };
    }
  }

  const [primaryChoices, primaryCedes] = CEDE_CHOICE[s.guest.cede.primary];
  const [secondaryChoices, secondaryCedes] = CEDE_CHOICE[s.guest.cede.secondaries];
  const [hostIdleChoices, hostIdleNaps] = HOST_IDLE_CHOICE[s.guest.hostIdle];
  // POWER9 cpuidle: the online cpuidle loop without the IN_IDLE store (model/idle_power9.s)
  const sources = kernelSources().map((src) =>
    s.cpuidle === 'power9' && src.file === 'model/idle.s' ? modelSource('idle_power9.s') : src,
  );
  // the wakeup section follows the file whose function it completes
  sources.splice(2, 0, wakeupSectionOf(s));

  return {
    name: s.name,
    sources,
    defines: {
      ...MODEL_DEFINES,
      PACA_SIZE: PER_THREAD_FIELDS.length,
      PRIMARY_GUEST_CHOICES: primaryChoices,
      PRIMARY_GUEST_CEDES: primaryCedes,
      SECONDARY_GUEST_CHOICES: secondaryChoices,
      SECONDARY_GUEST_CEDES: secondaryCedes,
      HOST_IDLE_CHOICES: hostIdleChoices,
      HOST_IDLE_NAPS: hostIdleNaps,
    },
    globals,
    perThread,
    threadsPerCore: tpc,
    threads,
    vectors: {
      systemReset: 'system_reset_pSeries',
      external: 'hardware_interrupt_common',
      decrementer: 'decrementer_common',
      doorbell: 'h_doorbell_common',
    },
    events: s.strays
      .filter((w) => !w.atStart)
      .map((w) => ({ kind: w.kind, cpu: w.cpu, count: w.count, whenNapping: w.whenNapping })),
    limits: { ...s.limits },
    meta: {
      model: '@naplab/power8-kvm',
      scenario: s,
      variant: s.variant,
      variantInfo:
        s.variant === 'custom' ? `custom wakeup section ${s.wakeupFile}` : WAKEUP_VARIANT_INFO[s.variant],
      memory: s.memory,
      roles,
      primaries: s.guest.cpus,
      cores: s.guest.cpus.map(primaryOf),
      ksmd: s.ksmd?.cpu ?? null,
    },
  };
}

/**
 * Compile a scenario to an image. A custom wakeup file that does not assemble gives a
 * `ScenarioError` (`E_WAKEUP_ASM`) whose message is the assembler's diagnostics, `file:line:col`
 * and code frame; its `cause` is the `AsmError`.
 */
export function compileScenario(scenario: Scenario): Image {
  const spec = scenarioToImageSpec(scenario);
  let image: Image;
  try {
    image = linkImage(spec);
  } catch (e) {
    const custom = (scenario as Scenario).wakeupFile;
    if (e instanceof AsmError && custom !== undefined && e.diagnostics.some((d) => d.file === custom)) {
      const text = new Map(spec.sources.map((src) => [src.file, src.text]));
      const rendered = e.diagnostics.map((d) => renderDiagnostic(d, text.get(d.file))).join('\n');
      throw new ScenarioError(
        'E_WAKEUP_ASM',
        `the custom wakeup section does not assemble:\n${rendered}`,
        'wakeupFile',
        {
          cause: e,
        },
      );
    }
    throw e;
  }
  checkPacaLayout(image);
  return image;
}

/**
 * The model steps from one thread's block to the next by PACA_SIZE (paca[pcpu + thr]); that is
 * the linker's documented layout, checked here so a change there cannot go unnoticed.
 */
function checkPacaLayout(image: Image): void {
  const addr = new Map(image.memory.symbols.map((m) => [m.name, m.addr]));
  const first = PER_THREAD_FIELDS[0];
  for (let cpu = 1; cpu < image.threads.length; cpu++) {
    const a = addr.get(`${first}@cpu${cpu}`);
    const b = addr.get(`${first}@cpu${cpu - 1}`);
    if (a === undefined || b === undefined || a - b !== PER_THREAD_FIELDS.length) {
      throw new Error(
        `@naplab/power8-kvm: per-thread blocks are not ${PER_THREAD_FIELDS.length} cells apart (cpu ${cpu}); the model's paca[] stepping needs that layout`,
      );
    }
  }
}
