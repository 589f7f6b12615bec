/*
 * pnv_smp_cpu_kill_self (arch/powerpc/platforms/powernv/smp.c): the loop an offline secondary
 * thread runs until it is restarted, which never happens here.
 *
 * Offline threads start napping in this loop, as if they had made the first pass: PACAR1 holds
 * pnv_cpu_offline_return and LPCR has PECE0 and PECEDH but not PECE1 (the decrementer is not a
 * wake source). Left out: generic_check_cpu_restart, split-core (cpu_core_split_required),
 * irq_happened.
 */
pnv_smp_cpu_kill_self:
	mfspr	r3,SPRN_LPCR
	li	r4,LPCR_PECE1
	andc	r3,r3,r4
	mtspr	SPRN_LPCR,r3
1:	li	r0,0
	stb	r0,HSTATE_HOST_IPI(r13)		/* kvmppc_set_host_ipi(cpu, 0) */
	li	r3,PNV_THREAD_NAP
	bl	power7_idle_insn		/* srr1 = pnv_cpu_offline(cpu) */
pnv_cpu_offline_return:
	/*
	 * Clear the interrupt that woke us, by the wake reason in SRR1 (0 after running a guest:
	 * nothing to clear). hwthread_req is not looked at here, only in the wakeup section.
	 */
	cmpwi	r3,0
	beq	1b
	lis	r4,SRR1_WAKEHDBELL@h
	cmpw	r3,r4
	bne	2f
	msgclr	r4
	b	1b
2:	lis	r4,SRR1_WAKEEE@h
	cmpw	r3,r4
	bne	1b
	eoi					/* icp_native_flush_interrupt() */
	b	1b
