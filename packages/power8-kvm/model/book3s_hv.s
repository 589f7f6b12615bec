/*
 * arch/powerpc/kvm/book3s_hv.c, transliterated: the vCPU task on the primary thread of the guest's
 * core (kvmppc_vcpu_run_hv -> kvmppc_run_vcpu -> kvmppc_run_core), POWER8 whole-core mode.
 * The static helpers (kvmppc_grab_hwthread, kvmppc_start_thread, kvmppc_release_hwthread) are
 * inlined, as the compiler does; paca[pcpu + thr] is r13 + thr * PACA_SIZE (the 4.x kernels'
 * paca array; the linker lays the per-thread blocks out the same way).
 *
 * Scenario parameters, in registers from the start: r14 = kvmppc_run_core rounds, r15 =
 * threads_per_subcore - 1 (the secondaries grabbed), r16 = vc->num_threads - 1 (the secondary
 * vcpus started), r17 = threads_per_subcore, r22 = pcpu, r27 = the vcpu (the model's vcpus are
 * stateless: one non-NULL pointer serves them all), r28 = kvm->arch.lpid, r9 = &mm->mm_users;
 * and the guest-core registers of book3s_hv_rmhandlers.s (r19, r20, r21, r29, r30 = vc).
 *
 * The vCPU task starts inside kvmppc_run_core with interrupts hard-disabled (MSR[EE] = 0).
 * Left out: runnable lists, signals, preemption and the vcore lock, prepare_threads, piggybacking
 * other vcores and micro-threading, vcore_state, post_guest_process, and the timeouts:
 * kvmppc_grab_hwthread gives up after 10 000 x 1 us and kvmppc_wait_for_nap after ~1M spins
 * ("KVM: CPU %d seems to be stuck"); here both wait forever. The kernel grabs the threads in
 * on_primary_thread() with interrupts still on, then hard-disables them; here they are off first
 * (PROTOCOL 3.6).
 */
kvmppc_vcpu_run_hv:
kvmppc_run_core:
	wrteei	0				/* local_irq_disable(); hard_irq_disable() */
	/*
	 * init_vcore_to_run(): entry_exit_map = 0. napping_threads and in_guest are 0 already: every
	 * thread clears its napping bit, and the primary clears in_guest on its way out.
	 */
	li	r0,0
	stw	r0,VCORE_ENTRY_EXIT(r30)
	/* on_primary_thread(): grab all hw threads so they can't go into the kernel */
	li	r4,1
	mtctr	r15
	mr	r23,r13
1:	addi	r23,r23,PACA_SIZE		/* paca[pcpu + thr], thr = 1 .. threads_per_subcore - 1 */
	/* kvmppc_grab_hwthread(): ensure the thread won't go into the kernel if it wakes */
	std	r0,HSTATE_KVM_VCPU(r23)
	std	r0,HSTATE_KVM_VCORE(r23)
	stb	r0,HSTATE_NAPPING(r23)
	lwsync					/* smp_wmb() */
	stb	r4,HSTATE_HWTHREAD_REQ(r23)
	/*
	 * smp_mb(): hwthread_req is visible before hwthread_state is read. If the thread is waking
	 * and misses our hwthread_req, we are sure to see its IN_KERNEL, and vice versa. While it is
	 * IN_KERNEL (e.g. handling a stray interrupt), wait for it to get back to nap.
	 */
	sync
	await.ne HSTATE_HWTHREAD_STATE(r23),KVM_HWTHREAD_IN_KERNEL
	bdnz	1b
	/* Start all the threads: kvmppc_start_thread(vcpu, vc), first ptid 0, this thread */
	std	r27,HSTATE_KVM_VCPU(r13)
	lwsync					/* Order stores to hstate.kvm_vcpu etc. before store to kvm_vcore */
	std	r30,HSTATE_KVM_VCORE(r13)
	cmpwi	r16,0
	beq	3f
	mtctr	r16
	mr	r23,r13
	mr	r8,r22
2:	addi	r23,r23,PACA_SIZE
	addi	r8,r8,1
	std	r27,HSTATE_KVM_VCPU(r23)
	lwsync
	std	r30,HSTATE_KVM_VCORE(r23)
	/* kvmppc_ipi_thread(cpu): a thread of this core on POWER8: smp_mb(), then msgsnd */
	sync
	msgsnd	r8
	bdnz	2b
	/*
	 * __kvmppc_vcore_entry -> kvmppc_hv_entry: the primary enters the guest. Nothing on this path
	 * writes its own hwthread_state: it keeps the IN_KERNEL of its last host idle wakeup.
	 */
3:	b	kvmppc_hv_entry
__kvmppc_vcore_entry_return:
	/* vc->vcore_state = VCORE_EXITING; kvmppc_wait_for_nap(): secondaries clear kvm_vcore when done */
	mtctr	r15
	mr	r23,r13
4:	addi	r23,r23,PACA_SIZE
	await.eq HSTATE_KVM_VCORE(r23),0
	bdnz	4b
	/*
	 * kvmppc_set_host_core(); local_irq_enable(): a pending IPI is handled now, before the
	 * secondaries are released (PROTOCOL 3.6 lists the release first; the kernel enables
	 * interrupts first).
	 */
	wrteei	1
	/*
	 * Let secondaries go back to the offline loop; thr 0 clears our own hwthread_req, set by cede.
	 * (r4 is cleared too, so that what it held on the way here is not carried on.)
	 */
	li	r0,0
	li	r4,0
	mtctr	r17
	mr	r23,r13
5:	stb	r0,HSTATE_HWTHREAD_REQ(r23)	/* kvmppc_release_hwthread(pcpu + thr) */
	std	r0,HSTATE_KVM_VCORE(r23)
	std	r0,HSTATE_KVM_VCPU(r23)
	addi	r23,r23,PACA_SIZE
	bdnz	5b
	addi	r14,r14,-1
	cmpwi	r14,0
	beq	kvmppc_vcpu_run_hv_exit
	/*
	 * Between rounds the vCPU task may block (all its vcpus ceded: kvmppc_vcore_blocked) and its
	 * CPU nap in host idle until a timer makes it runnable again (the scenario decides, or leaves
	 * it to choose). A host idle wakeup leaves hwthread_state = IN_KERNEL.
	 */
	choose	r3,HOST_IDLE_CHOICES
	cmpwi	r3,HOST_IDLE_NAPS
	bne	kvmppc_run_core
	li	r3,1
	mtspr	SPRN_DEC,r3
	wrteei	0
	bl	power7_idle_insn
	wrteei	1				/* the decrementer interrupt (and any IPI) is taken here */
	b	kvmppc_run_core

/*
 * The VM exits: qemu's mm loses its user (ksm_test_exit() sees it gone). The CPU stays online with
 * interrupts enabled until ksmd is done with the mm (mmap_sem in the kernel), so that an IPI ksmd
 * already sent is still handled; only then may the trial end.
 */
kvmppc_vcpu_run_hv_exit:
6:	lwarx	r3,0,r9				/* r9 = &mm_users */
	addi	r3,r3,-1
	stwcx.	r3,0,r9
	bne	6b
	await.eq ksmd_done,1
	halt
