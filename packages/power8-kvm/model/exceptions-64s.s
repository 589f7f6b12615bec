/*
 * Interrupt vectors: arch/powerpc/kernel/exceptions-64s.S and what they call.
 *
 * Only host code runs with MSR[EE] = 1 in the model (hypervisor real-mode code and the abstract
 * guest keep EE = 0, so KVMTEST never finds a guest here). The interrupted code saves nothing for
 * us, so the handlers touch r11 and cr7 only, which no other code uses.
 * The system reset vector (nap wakeup) is system_reset_pSeries in idle_book3s.s.
 */

/*
 * hardware_interrupt_common -> do_IRQ -> xics_get_irq -> icp_native_ipi_action
 * (arch/powerpc/sysdev/xics/icp-native.c): an IPI from another core.
 * Left out: interrupt sources other than the IPI (a stray external interrupt is handled as an IPI
 * with nothing queued) and the CPPR/XIRR priority protocol.
 */
hardware_interrupt_common:
	li	r11,0
	stb	r11,HSTATE_HOST_IPI(r13)	/* kvmppc_clear_host_ipi(cpu) */
	/*
	 * icp_native_flush_ipi(): retire the IPI before reading the queue. Any IPI retired here was
	 * sent after its csd was queued, so the read below sees that csd; a later one stays pending.
	 */
	eoi

/*
 * smp_ipi_demux (arch/powerpc/kernel/smp.c) -> generic_smp_call_function_interrupt ->
 * flush_smp_call_function_queue (kernel/smp.c). Left out: the muxed message word (every IPI here
 * is PPC_MSG_CALL_FUNCTION) and csd->func, which is do_nothing() for pmdp_invalidate's
 * serialize_against_pte_lookup.
 */
smp_ipi_demux:
	sync					/* mb() */
	lwz	r11,CALL_SINGLE_QUEUE(r13)
	cmpwi	cr7,r11,0
	beq	cr7,1f
	li	r11,0
	stw	r11,CALL_SINGLE_QUEUE(r13)	/* llist_del_all(): at most one csd, ksmd's */
	lwsync					/* csd_unlock(): smp_store_release() */
	stw	r11,CSD_FLAGS(r13)
1:	rfid

/* h_doorbell_common -> doorbell_exception: taking the interrupt consumed the doorbell. */
h_doorbell_common:
	li	r11,0
	stb	r11,HSTATE_HOST_IPI(r13)	/* kvmppc_clear_host_ipi(cpu) */
	b	smp_ipi_demux

/* decrementer_common -> timer_interrupt: no timers are modelled; the decrementer stays disarmed. */
decrementer_common:
	rfid
