/*
 * arch/powerpc/kvm/book3s_hv_rmhandlers.S (and kvmhv_commence_exit from book3s_hv_builtin.c),
 * POWER8, whole-core mode: the real-mode side of KVM on the threads of the guest's core.
 *
 * Left out everywhere: guest register state (GPRs, SPRs, FP/VMX, TM, PMU, SLB, timebase offset,
 * TLB flushes), HMI and machine checks, XIVE, split-core and micro-threading (HSTATE_SPLIT_MODE,
 * kvm_unsplit_nap), POWER9, the primary-with-no-vcpu paths (NAPPING_NOVCPU,
 * kvmppc_primary_no_guest), exit timing, runlatch, PACA_NAPSTATELOST, HMT priorities, the trap
 * number. The partition (LPID) is per core on POWER8; the model switches it on the primary only,
 * the thread whose host-idle return it guards.
 *
 * Every instruction is an interleaving point of exhaustive search, and every register value a
 * napping or waiting thread keeps makes more states. So the values the kernel recomputes from the
 * PACA and that never change are kept in registers, set by the scenario on the threads of the
 * guest's core: r19 = 1 << ptid (this thread's bit in the entry and napping maps), r20 = 0x100 <<
 * ptid (its bit in the exit map), r21 = vc->pcpu (thread 0 of the core), r29 =
 * &vc->napping_threads, r30 = vc (vc->entry_exit_map is its first field); and the code here uses
 * r0, r3 and r4 only as scratch registers.
 */

/*
 * kvm_start_guest: a thread woke from nap and the wakeup section found hwthread_req set.
 */
kvm_start_guest:
	count	wakeup_to_kvm
	li	r0,KVM_HWTHREAD_IN_KVM
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	/* were we napping due to cede? */
	lbz	r0,HSTATE_NAPPING(r13)
	cmpwi	r0,NAPPING_CEDE
	beq	kvm_end_cede
	/*
	 * A secondary woken up to run a guest, or by a stray interrupt. The kernel goes to
	 * kvm_no_guest when kvmppc_check_wake_reason says the host must look at the interrupt;
	 * kvm_no_guest, with hwthread_req set, checks kvm_vcore too, so the model checks it here.
	 * kvmppc_check_wake_reason (see below), inlined:
	 */
	mfspr	r4,SPRN_SRR1
	lis	r0,SRR1_WAKEHDBELL@h
	cmpw	r4,r0
	bne	1f
	msgclr	r4
1:	/* get vcore pointer, NULL if we have nothing to run */
	ld	r3,HSTATE_KVM_VCORE(r13)
	cmpdi	r3,0
	beq	kvm_no_guest
	/*
	 * kvm_secondary_got_guest: the kernel loads the vcpu after the vcore (lwsync) to run it; the
	 * model's vcpus have no state, so the vcpu pointer is stored but never loaded.
	 */
	b	kvmppc_hv_entry

/*
 * Back from the guest (kvmhv_switch_to_host comes here on a secondary): clear our vcpu and vcore
 * pointers so we don't come back in early. kvmppc_run_core takes a NULL kvm_vcore as "this thread
 * is done with the guest".
 */
kvm_secondary_exited:
	li	r0,0
	std	r0,HSTATE_KVM_VCPU(r13)
	lwsync
	std	r0,HSTATE_KVM_VCORE(r13)

/*
 * kvm_no_guest: wait for hwthread_req to become zero (we may not return to the kernel while it is
 * set), or for a vcore to run. The thread spins at low priority; it does not nap. The spin reads
 * two fields, so it is a loop, not an await: a lockup in which this thread spins forever ends a
 * trial at its step limit instead of in a terminal state.
 */
kvm_no_guest:
	lbz	r3,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r3,0
	bne	53f
	li	r0,KVM_HWTHREAD_IN_KERNEL
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	/* need to recheck hwthread_req after a barrier, to avoid race */
	sync
	lbz	r3,HSTATE_HWTHREAD_REQ(r13)
	cmpwi	r3,0
	bne	54f
	/*
	 * Back to the offline loop's wake sources: the kernel's rlwimi sets PECE0 and clears PECE1,
	 * which kvm_do_nap set (PECEDH stays set). r3 = 0 is power7_idle_insn's return value.
	 */
	li	r4,LPCR_PECE0|LPCR_PECEDH
	mtspr	SPRN_LPCR,r4
	b	pnv_wakeup_loss
53:	ld	r3,HSTATE_KVM_VCORE(r13)
	cmpdi	r3,0
	bne	kvmppc_hv_entry			/* kvm_secondary_got_guest */
	b	kvm_no_guest
54:	li	r0,KVM_HWTHREAD_IN_KVM
	stb	r0,HSTATE_HWTHREAD_STATE(r13)
	b	kvm_no_guest

/*
 * kvmppc_hv_entry: guest entry, on the primary from kvmppc_run_core (__kvmppc_vcore_entry) and on
 * a secondary from kvm_secondary_got_guest. The kernel returns to those callers through the host
 * stack frame; kvmhv_switch_to_host branches back to them instead.
 */
kvmppc_hv_entry:
	/* Set bit in entry map iff exit map is zero. */
21:	lwarx	r3,0,r30
	cmpwi	r3,0x100		/* any threads starting to exit? */
	bge	secondary_too_late	/* if so we're too late to the party */
	or	r3,r3,r19
	stwcx.	r3,0,r30
	bne	21b
	cmpwi	r19,1			/* ptid 0? */
	bne	20f
	/* Primary thread switches to guest partition: r28 = kvm->arch.lpid */
	mtspr	SPRN_LPID,r28
	li	r0,1
	stb	r0,VCORE_IN_GUEST(r30)	/* signal secondaries to continue */
	mark	"primary enters the guest; nothing on this path writes its hwthread_state"
	/*
	 * The guest runs. What a vcpu does there is outside the model: at each guest entry it either
	 * executes H_CEDE or takes an exit to the host. The scenario decides, per role, or leaves it
	 * to choose.
	 */
	choose	r3,PRIMARY_GUEST_CHOICES
	cmpwi	r3,PRIMARY_GUEST_CEDES
	beq	kvmppc_h_cede
	b	guest_exit_cont
	/*
	 * Secondary threads wait for primary to have done partition switch. The kernel also leaves
	 * (no_switch_exit) if an exit has begun, but no thread can begin an exit before the primary
	 * has set in_guest, so a single await is the same wait.
	 */
20:	await.ne VCORE_IN_GUEST(r30),0
	choose	r3,SECONDARY_GUEST_CHOICES
	cmpwi	r3,SECONDARY_GUEST_CEDES
	beq	kvmppc_h_cede

/*
 * guest_exit_cont -> kvmhv_commence_exit (book3s_hv_builtin.c) -> kvmhv_switch_to_host.
 * Every exit is taken as one that must interrupt the other threads (not an HDEC exit, on which
 * they are already leaving).
 */
guest_exit_cont:
	/* Set our bit in the threads-exiting-guest map in the 0xff00 bits of vcore->entry_exit_map */
41:	lwarx	r3,0,r30
	or	r0,r3,r20
	stwcx.	r0,0,r30
	bne	41b
	/* Are we the first here? */
	andi.	r0,r3,0xff00
	bne	kvmhv_switch_to_host
	/*
	 * kvmhv_interrupt_vcore(vc, ee & ~(1 << ptid)): a doorbell to every other thread that entered,
	 * after a barrier ordering the exit map before the msgsnd.
	 */
	andc	r3,r3,r19
	sync
	mr	r4,r21
42:	andi.	r0,r3,1
	beq	43f
	msgsnd	r4
43:	addi	r4,r4,1
	li	r0,1
	srw	r3,r3,r0
	cmpwi	r3,0
	bne	42b

kvmhv_switch_to_host:
	cmpwi	r19,1			/* ptid 0? */
	beq	15f
	/* Secondary threads wait for primary to do partition switch */
	await.eq VCORE_IN_GUEST(r30),0
	b	kvm_secondary_exited
	/* Primary thread waits for all the secondaries to exit guest */
15:	lwz	r3,VCORE_ENTRY_EXIT(r30)
	li	r0,8
	srw	r0,r3,r0
	andi.	r3,r3,0xff
	cmpw	r3,r0
	bne	15b
	/* Primary thread switches back to host partition */
	li	r3,0
	mtspr	SPRN_LPID,r3
	stb	r3,VCORE_IN_GUEST(r30)
	b	__kvmppc_vcore_entry_return

secondary_too_late:
	b	kvmhv_switch_to_host

/*
 * kvmppc_h_cede: the vcpu on this thread executes H_CEDE.
 * Left out: the prodded/ceded flags, saving NVGPRs and FP/TM state, DEC = min(DEC, HDEC).
 */
kvmppc_h_cede:
	/*
	 * Set our bit in the bitmask of napping threads unless all the other threads are already
	 * napping, in which case we send this up to the host.
	 */
	lwz	r3,VCORE_ENTRY_EXIT(r30)
	andi.	r3,r3,0xff		/* clrldi: the entry map */
31:	lwarx	r4,0,r29
	or	r4,r4,r19
	cmpw	r4,r3
	beq	kvm_cede_exit
	stwcx.	r4,0,r29
	bne	31b
	/* order napping_threads update vs testing entry_exit_map: the kernel's isync, a no-op under sc and tso */
	li	r0,NAPPING_CEDE
	stb	r0,HSTATE_NAPPING(r13)
	lwz	r3,VCORE_ENTRY_EXIT(r30)
	cmpwi	r3,0x100
	bge	kvm_end_cede_clear	/* another thread already exiting: no nap */

/*
 * kvm_do_nap: nap until a decrementer, external or doorbell interrupt, with PECE0, PECE1 and
 * PECEDH set in LPCR. It sets this thread's own hwthread_req and leaves hwthread_state alone: on
 * the primary that is still what its last host idle wakeup left, IN_KERNEL.
 */
kvm_do_nap:
	li	r0,1
	stb	r0,HSTATE_HWTHREAD_REQ(r13)
	mark	"kvm_do_nap: hwthread_req = 1, hwthread_state not written, nap"
	li	r4,LPCR_PECE0|LPCR_PECE1|LPCR_PECEDH
	mtspr	SPRN_LPCR,r4
	nap

/*
 * kvm_end_cede: kvm_start_guest found NAPPING_CEDE. Left out: reloading guest state and the guest
 * decrementer.
 */
kvm_end_cede:
	/* Check the wake reason in SRR1 to see why we got here: kvmppc_check_wake_reason, inlined */
	mfspr	r4,SPRN_SRR1
	lis	r0,SRR1_WAKEHDBELL@h
	cmpw	r4,r0
	bne	kvm_end_cede_clear
	msgclr	r4
	/* clear our bit in vcore->napping_threads */
kvm_end_cede_clear:
34:	lwarx	r3,0,r29
	andc	r3,r3,r19
	stwcx.	r3,0,r29
	bne	34b
	li	r0,0
	stb	r0,HSTATE_NAPPING(r13)
	/*
	 * If the wake reason needs the host, exit; else maybe_reenter_guest: the vcpu returns from
	 * H_CEDE and runs on. The model allows one cede per guest entry, so either way the vcpu's
	 * next event is its exit.
	 */
	b	guest_exit_cont

	/* we've ceded but we want to give control to the host */
kvm_cede_exit:
	b	guest_exit_cont

/*
 * kvmppc_check_wake_reason is inlined in its two callers above (a call would leave a different
 * LR behind on each path, and every such value is one more state to explore). What woke the
 * thread is in SRR1; the model keeps only the routine's side effect: a hypervisor doorbell is
 * cleared (msgclr), as the kernel invokes its handler explicitly. The answer it returns (the host
 * must handle something, a guest wakeup, nothing) changes nothing here: after a cede the model's
 * vcpu exits anyway, and outside a cede kvm_vcore is checked either way. An external interrupt
 * stays pending until the host enables interrupts (the kernel stashes the XIRR in saved_xirr and
 * replays it). Left out: HMI, privileged doorbells, the host-IPI flag test.
 */
