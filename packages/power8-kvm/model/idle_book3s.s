/*
 * arch/powerpc/kernel/idle_book3s.S, POWER8 nap only.
 * Left out: sleep and winkle (the core idle-state lock, timebase resync, hypervisor state loss),
 * PACA_THREAD_IDLE_STATE, PACA_NAPSTATELOST, the NVGPR/CR frame, the switch to real mode, the
 * ptesync of IDLE_STATE_ENTER_SEQ (nap itself waits for the store buffer to drain), HMIs.
 */

/*
 * power7_idle_insn -> pnv_powersave_common -> pnv_enter_arch207_idle_mode: the host idle entry.
 * In: LR = the caller (the offline loop, the cpuidle loop, or the vCPU task between rounds). The
 * frame saved in PACAR1 is just that return address.
 */
power7_idle_insn:
	/* pnv_powersave_common: the frame the host-idle return resumes */
	mflr	r0
	std	r0,PACAR1(r13)
	/* pnv_enter_arch207_idle_mode: tell KVM we're entering idle */
	li	r4,KVM_HWTHREAD_IN_IDLE
	stb	r4,HSTATE_HWTHREAD_STATE(r13)
	nap					/* no return: a wakeup enters the system reset vector */

/*
 * pnv_wakeup_noloss / pnv_wakeup_loss: return from power7_idle_insn to the caller whose frame is
 * in PACAR1, with r3 = SRR1 ("Return SRR1 from power7_nap()"), or r3 = 0 when kvm_no_guest comes
 * here after running a guest. Left out: the NVGPR/CR restore, CHECK_HMI_INTERRUPT, the PACAKMSR
 * mtmsrd (EE is already 0).
 *
 * A thread that gets here while its partition is still the guest's (LPID != 0) returns through a
 * stale frame: the primary whose vcpu ceded was in the middle of a guest, and the kernel "returns
 * somewhere garbage and crashes". PROTOCOL 3.3: the model calls the thread lost.
 */
pnv_wakeup_noloss:
	count	wakeup_to_host
	mfspr	r3,SPRN_SRR1
pnv_wakeup_loss:
	mfspr	r4,SPRN_LPID
	cmpwi	r4,0
	bne	1f
	ld	r4,PACAR1(r13)
	mtlr	r4
	blr
1:	mark	"stale host-idle return: PACAR1 frame resumed while the core is still in the guest partition"
	count	stale_return
	lost	"pnv_wakeup_loss returned through a stale PACAR1 frame in the guest partition"

/*
 * The system reset vector (exceptions-64s.S), IDLE_TEST and pnv_powersave_wakeup: on POWER8 a nap
 * wakeup always enters here (nap loses the PC), with the wake reason in SRR1. The model has no
 * other system reset. Left out: pnv_restore_hyp_resource_arch207 (a nap loses no hypervisor
 * state), the TOC reload, PACA_THREAD_IDLE_STATE = PNV_THREAD_RUNNING, and carrying SRR1 in r12
 * and r3: the model reads SRR1 where it is used (the wake reason checks, the host-idle return).
 *
 * The CONFIG_KVM_BOOK3S_HV_POSSIBLE section follows: the wakeup variant (model/wakeup/<variant>.s,
 * or a custom file) is linked right after this file, and this falls through into its first
 * instruction (label pnv_powersave_wakeup_kvm). It leaves through kvm_start_guest or
 * pnv_wakeup_noloss. It must stay the last thing in this file.
 */
system_reset_pSeries:
pnv_powersave_wakeup:
	count	wakeup
