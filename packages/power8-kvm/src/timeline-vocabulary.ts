/**
 * What a POWER8 KVM counterexample timeline shows (`@naplab/timeline` `Vocabulary`): the
 * `kvm_hstate` fields of PROTOCOL.md section 2 with their kernel value names, the csd flag ksmd
 * waits on, and the code entries of the failure chain (section 4). Plain data, so this package
 * does not depend on the timeline package.
 */
import {
  CSD_FLAG_LOCK,
  KVM_HWTHREAD_IN_IDLE,
  KVM_HWTHREAD_IN_KERNEL,
  KVM_HWTHREAD_IN_KVM,
  NAPPING_CEDE,
  NAPPING_NOVCPU,
} from './constants.js';

export const TIMELINE_VOCABULARY = {
  fields: {
    HSTATE_HWTHREAD_STATE: {
      label: 'hwthread_state',
      values: {
        [KVM_HWTHREAD_IN_KERNEL]: 'IN_KERNEL',
        [KVM_HWTHREAD_IN_IDLE]: 'IN_IDLE',
        [KVM_HWTHREAD_IN_KVM]: 'IN_KVM',
      },
    },
    HSTATE_HWTHREAD_REQ: { label: 'hwthread_req' },
    HSTATE_NAPPING: {
      label: 'napping',
      values: { 0: '0', [NAPPING_CEDE]: 'NAPPING_CEDE', [NAPPING_NOVCPU]: 'NAPPING_NOVCPU' },
    },
    HSTATE_KVM_VCORE: { label: 'kvm_vcore' },
    HSTATE_HOST_IPI: { label: 'host_ipi' },
    CSD_FLAGS: { label: 'csd.flags', values: { 0: '0', [CSD_FLAG_LOCK]: 'CSD_FLAG_LOCK' } },
  },
  entries: {
    kvmppc_run_core: 'kvmppc_run_core: grab the secondaries',
    kvmppc_h_cede: 'guest cedes (H_CEDE)',
    kvm_do_nap: 'kvm_do_nap',
    pnv_powersave_wakeup: 'pnv_powersave_wakeup',
    kvm_start_guest: 'enters kvm_start_guest',
    kvm_end_cede: 'kvm_end_cede',
    kvm_no_guest: 'kvm_no_guest',
    pnv_wakeup_loss: 'host-idle return (pnv_wakeup_loss)',
    pnv_wakeup_noloss: 'host-idle return (pnv_wakeup_noloss)',
    smp_call_function_many: 'ksmd: smp_call_function_many',
    pnv_smp_cpu_kill_self: 'offline loop (pnv_smp_cpu_kill_self)',
  },
  annotateMarks: 'HSTATE_HWTHREAD_STATE',
} as const;
