/*
 * The CONFIG_KVM_BOOK3S_HV_POSSIBLE section of pnv_powersave_wakeup
 * (arch/powerpc/kernel/idle_book3s.S) before 8c1c7fb0b5ec: the "baseline".
 *
 * Every wakeup stores IN_KERNEL, syncs, and tests hwthread_req. The sync orders the store before
 * the load; it pairs with the smp_mb() in kvmppc_grab_hwthread (store hwthread_req, load
 * hwthread_state): the store-buffering pattern, where one of the two threads must see the other.
 *
 * In: r13 = PACA; SRR1 holds the wake reason. Scratch: r0, r3, r4.
 * Out: kvm_start_guest, or the host-idle return pnv_wakeup_noloss.
 */
pnv_powersave_wakeup_kvm:
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	/* Order setting hwthread_state vs. testing hwthread_req */
	sync
	count	wakeup_sync
	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	beq	1f
	b	kvm_start_guest
1:	b	pnv_wakeup_noloss
