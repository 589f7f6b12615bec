/*
 * The CONFIG_KVM_BOOK3S_HV_POSSIBLE section of pnv_powersave_wakeup
 * (arch/powerpc/kernel/idle_book3s.S) after 8c1c7fb0b5ec ("powerpc/64s/idle: avoid sync for KVM
 * state when waking from idle"), reconstructed from the message and diff of its fix 56376c5864f8.
 *
 * If hwthread_state already reads IN_KERNEL, the store and the sync are skipped, and so is the
 * test of hwthread_req: the thread takes the host-idle return. That is wrong for a primary thread
 * waking from a cede nap: kvmppc_run_core never sets the primary's state to IN_KVM, and kvm_do_nap
 * set hwthread_req = 1, so the primary leaves through a stale PACAR1 frame.
 *
 * This file and fixed.s differ in one line: the branch at the end of the IN_KERNEL block.
 *
 * In: r13 = PACA; SRR1 holds the wake reason. Scratch: r0, r3, r4.
 * Out: kvm_start_guest, or the host-idle return pnv_wakeup_noloss.
 */
pnv_powersave_wakeup_kvm:
	lbz	r0,HSTATE_HWTHREAD_STATE(r13)
	cmpwi	r0,KVM_HWTHREAD_IN_KERNEL
	beq	2f
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	/* Order setting hwthread_state vs. testing hwthread_req */
	sync
	count	wakeup_sync
0:	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	beq	1f
	b	kvm_start_guest
1:	b	pnv_wakeup_noloss

	/* already IN_KERNEL */
2:	count	wakeup_skip_sync
	mark	"hwthread_state already IN_KERNEL: store, sync and the hwthread_req test skipped"
	b	1b
