/*
 * ksmd (mm/ksm.c ksm_scan_thread) merging pages of the qemu process splits transparent huge pages:
 * split_huge_page -> pmdp_invalidate -> serialize_against_pte_lookup ->
 * smp_call_function_many(mm_cpumask(mm), do_nothing, NULL, 1) (kernel/smp.c).
 *
 * Scenario parameters: r4 = CSD_FLAG_LOCK, r14 = calls still to make after the current one (-1:
 * as long as the VM runs), r17 = the number of cpus in mm_cpumask, r24 = paca_ptrs, r25 =
 * mm_cpumask as a list of cpus.
 * Left out: the page scanning, mmap_sem, cpumask bit operations (the mask is a list), csd->func
 * and info, the fast path to smp_call_function_single for a one-cpu mask (which would wait on a
 * csd on ksmd's own stack), the muxed IPI message word.
 */

/*
 * ksmd can start at ksm_scan_thread_queued instead: inside its first smp_call_function_many, with
 * the csd of every target already locked and queued and its host-IPI flag set (the scenario puts
 * that in the initial memory), r9 and r21 at the last cpu of the mask, about to send the IPIs.
 * Nothing reads those fields before an IPI, so this is one timing of the whole call; it leaves
 * only the IPIs and the wait to interleave with the other threads, which the exhaustive search of
 * the small scenario needs.
 */
ksm_scan_thread_queued:
	bl	smp_call_function_many_ipi
	b	2f
/* ... or further on: the IPIs already sent (pending on the targets), ksmd in csd_lock_wait. */
ksm_scan_thread_sent:
	bl	smp_call_function_many_wait
	b	2f
ksm_scan_thread:
1:	lwz	r0,mm_users
	cmpwi	r0,0
	beq	9f				/* ksm_test_exit(mm): the VM is gone */
	bl	smp_call_function_many
2:	cmpwi	r14,0
	beq	9f				/* no calls left */
	blt	1b				/* -1: as long as the VM runs */
	addi	r14,r14,-1
	b	1b
	/* done with the mm: the vCPU tasks' CPUs may stop (see kvmppc_vcpu_run_hv_exit) */
9:	stw	r4,ksmd_done
	halt

/*
 * smp_call_function_many(mask, func, info, wait = 1). The csd for a target cpu is ksmd's
 * cfd->csd, a per-cpu allocation: it lives in the target's per-cpu area (CSD_FLAGS, next to the
 * target's call_single_queue), so a wait on it names the target as the stuck CPU. There is no
 * timeout: a target that never runs its IPI handler hangs the caller.
 */
smp_call_function_many:
	/* for_each_cpu(cpu, cfd->cpumask): csd_lock(csd); llist_add(&csd->llist, call_single_queue(cpu)) */
	li	r9,0
1:	lwzx	r21,r25,r9
	lwzx	r23,r24,r21			/* csd = per_cpu_ptr(cfd->csd, cpu) */
	await.eq CSD_FLAGS(r23),0		/* csd_lock(): csd_lock_wait(), then take it */
	stw	r4,CSD_FLAGS(r23)
	lwsync					/* smp_wmb() */
	stw	r4,CALL_SINGLE_QUEUE(r23)
	stb	r4,HSTATE_HOST_IPI(r23)		/* icp_native_cause_ipi(): kvmppc_set_host_ipi(cpu, 1) */
	addi	r9,r9,1
	cmpw	r9,r17
	bne	1b
	/* arch_send_call_function_ipi_mask(cfd->cpumask_ipi), last cpu first */
	sync					/* icp_native_cause_ipi(): smp_mb() before the IPI */
	addi	r9,r9,-1
	lwzx	r21,r25,r9
smp_call_function_many_ipi:			/* r9 = index in the mask, r21 = its cpu */
	ipi	r21
	cmpwi	r9,0
	beq	3f
	addi	r9,r9,-1
	lwzx	r21,r25,r9
	b	smp_call_function_many_ipi
	/* for_each_cpu(cpu, cfd->cpumask) csd_lock_wait(csd): r9 = 0, r21 = the first cpu */
smp_call_function_many_wait:
3:	lwzx	r23,r24,r21
	mark	"ksmd: smp_call_function_many waits for the target CPU's IPI handler to unlock its csd"
	await.eq CSD_FLAGS(r23),0
	addi	r9,r9,1
	cmpw	r9,r17
	beq	4f
	lwzx	r21,r25,r9
	b	3b
4:	blr
