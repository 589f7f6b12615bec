/**
 * The constants the model's assembly uses, passed to every source as `ImageSpec.defines`.
 * Kernel names and values: arch/powerpc/include/asm/kvm_book3s_asm.h, cpuidle.h, kernel/smp.c.
 * Machine values (LPCR, SRR1) come from `@naplab/isa`, the one source of truth for them.
 */
import { LPCR_PECE0, LPCR_PECE1, LPCR_PECEDH, SRR1_WAKEDEC, SRR1_WAKEEE, SRR1_WAKEHDBELL } from '@naplab/isa';

/** kvm_hstate.hwthread_state */
export const KVM_HWTHREAD_IN_KERNEL = 0;
export const KVM_HWTHREAD_IN_IDLE = 1;
export const KVM_HWTHREAD_IN_KVM = 2;
/** kvm_hstate.napping */
export const NAPPING_CEDE = 1;
export const NAPPING_NOVCPU = 2;
/** power7_idle_insn's argument */
export const PNV_THREAD_NAP = 1;
/** call_single_data.flags */
export const CSD_FLAG_LOCK = 1;
/**
 * The wake reason field of SRR1 is `(srr1 >> SRR1_WAKE_SHIFT) & 0xf` (the kernel's
 * `rlwinm r6,r6,45-31,0xf`): 8 external, 6 decrementer, 3 hypervisor doorbell.
 */
export const SRR1_WAKE_SHIFT = 18;

/** The guest partition's LPID (the host's is 0). */
export const GUEST_LPID = 1;

/** Cell offsets inside the model's `struct kvmppc_vcore` and `struct kvm`. */
export const VCORE_FIELDS = {
  VCORE_ENTRY_EXIT: 0,
  VCORE_NAPPING_THREADS: 1,
  VCORE_IN_GUEST: 2,
  VCORE_PCPU: 3,
  VCORE_KVM: 4,
} as const;
export const VCORE_SIZE = 5;
export const KVM_FIELDS = { KVM_LPID: 0 } as const;

/**
 * The per-thread block (r13): the `kvm_hstate` part of the PACA, PACAR1, and two per-cpu
 * variables of kernel/smp.c that live in each cpu's per-cpu area (ksmd's csd for that cpu, and
 * its call_single_queue), kept in the block so that their owner is the cpu.
 */
export const PER_THREAD_FIELDS = [
  'HSTATE_HWTHREAD_STATE',
  'HSTATE_HWTHREAD_REQ',
  'HSTATE_NAPPING',
  'HSTATE_KVM_VCORE',
  'HSTATE_KVM_VCPU',
  'HSTATE_PTID',
  'HSTATE_HOST_IPI',
  'PACAR1',
  'CSD_FLAGS',
  'CALL_SINGLE_QUEUE',
] as const;
export type PerThreadFieldName = (typeof PER_THREAD_FIELDS)[number];

/** Defines every model source sees (scenario parameters are added by the compiler). */
export const MODEL_DEFINES: Readonly<Record<string, number>> = Object.freeze({
  KVM_HWTHREAD_IN_KERNEL,
  KVM_HWTHREAD_IN_IDLE,
  KVM_HWTHREAD_IN_KVM,
  NAPPING_CEDE,
  NAPPING_NOVCPU,
  PNV_THREAD_NAP,
  CSD_FLAG_LOCK,
  SRR1_WAKE_SHIFT,
  LPCR_PECE0,
  LPCR_PECE1,
  LPCR_PECEDH,
  SRR1_WAKEEE,
  SRR1_WAKEDEC,
  SRR1_WAKEHDBELL,
  ...VCORE_FIELDS,
  ...KVM_FIELDS,
});

// The model extracts the wake field with a shift; keep it in step with the machine's SRR1 values.
if (
  (SRR1_WAKEEE >>> SRR1_WAKE_SHIFT) % 16 !== 8 ||
  (SRR1_WAKEDEC >>> SRR1_WAKE_SHIFT) % 16 !== 6 ||
  (SRR1_WAKEHDBELL >>> SRR1_WAKE_SHIFT) % 16 !== 3
) {
  throw new Error('@naplab/power8-kvm: SRR1 wake reason values do not match the model (constants.ts)');
}
