/*
 * NOT KERNEL CODE: an ablation. The baseline section of pnv_powersave_wakeup
 * (arch/powerpc/kernel/idle_book3s.S, before 8c1c7fb0b5ec) with the sync removed.
 *
 * It shows what the sync is for. Without it the store of IN_KERNEL can still sit in the store
 * buffer when hwthread_req is read, so a secondary woken by something other than the grab's
 * doorbell can read hwthread_req == 0 while the grabbing primary, after its smp_mb(), still reads
 * IN_IDLE: both miss each other (store buffering, allowed under TSO and POWER, not under SC).
 *
 * In: r13 = PACA; SRR1 holds the wake reason. Scratch: r0, r3, r4.
 * Out: kvm_start_guest, or the host-idle return pnv_wakeup_noloss.
 */
pnv_powersave_wakeup_kvm:
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	/* no sync here: the store may not be visible before the load below */
	count	wakeup_skip_sync
	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	beq	1f
	b	kvm_start_guest
1:	b	pnv_wakeup_noloss
