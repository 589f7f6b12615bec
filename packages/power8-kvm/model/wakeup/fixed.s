/*
 * The CONFIG_KVM_BOOK3S_HV_POSSIBLE section of pnv_powersave_wakeup
 * (arch/powerpc/kernel/idle_book3s.S) after 56376c5864f8 ("powerpc/kvm: Fix lockups when running
 * KVM guests on Power8").
 *
 * If hwthread_state already reads IN_KERNEL, only the store and the sync are skipped; hwthread_req
 * is always tested. Only a primary thread naps with its state still IN_KERNEL (the host idle
 * entry stores IN_IDLE), in kvm_do_nap, which wrote hwthread_req itself, and nobody grabs a
 * primary. So the load only has to follow this thread's own store: program order, no barrier.
 *
 * This file and buggy.s differ in one line: the branch at the end of the IN_KERNEL block.
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
	mark	"hwthread_state already IN_KERNEL: store and sync skipped, hwthread_req still tested"
	b	0b
