/*
 * The KVM section of pnv_powersave_wakeup after 56376c5864f8 ("fixed"), kernel style.
 */
	.text
	.globl	pnv_powersave_wakeup
pnv_powersave_wakeup:
	lbz	r0,HSTATE_HWTHREAD_STATE(r13)
	cmpwi	r0,KVM_HWTHREAD_IN_KERNEL
	beq	1f
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	sync
1:	lbz	r0,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r0,0
	bne	kvm_start_guest
	b	pnv_wakeup_noloss

kvm_start_guest:
	mfspr	r3,SPRN_SRR1
	mtspr	SPRN_LPCR,r3
	halt

pnv_wakeup_noloss:
	ld	r1,PACAR1(r13)		// the frame saved at idle entry
	mtlr	r1
	blr
