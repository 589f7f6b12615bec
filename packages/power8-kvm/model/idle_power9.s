/*
 * The cpuidle loop of an online CPU with nothing to run, POWER9 style (scenario option
 * `cpuidle: 'power9'`; it replaces idle.s). PROTOCOL.md section 5: on POWER9 the store of
 * hwthread_state = IN_IDLE is made on the offline path only (pnv_cpu_offline -> smp.s, which still
 * calls power7_idle_insn), not on ordinary cpuidle entries. So an online CPU naps, and wakes, with
 * its hwthread_state still IN_KERNEL: the fixed and buggy wakeup sections skip their store and sync
 * there, the baseline stores IN_KERNEL and syncs on every such wakeup. This is where the saving of
 * 8c1c7fb0b5ec and 56376c5864f8 pays.
 *
 * The labels are idle.s's (the PACAR1 frame of online CPUs is power7_idle_type_return in both).
 * Left out, as in idle.s: governors, snooze, deeper states; the POWER9 `stop` instruction and its
 * PSSCR are modelled as `nap` (a wakeup enters the system reset vector, as with EC=1 stop states).
 * Also left out: the vCPU task's own host idle between kvmppc_run_core rounds (book3s_hv.s) still
 * goes through power7_idle_insn.
 */
power7_idle:
	wrteei	0
	li	r3,PNV_THREAD_NAP
	bl	power9_idle_stop
power7_idle_type_return:
	wrteei	1
	b	power7_idle

/*
 * power9_idle_stop -> pnv_powersave_common -> power_enter_stop: save the frame the host-idle
 * return resumes, and stop. No store to hwthread_state.
 */
power9_idle_stop:
	mflr	r0
	std	r0,PACAR1(r13)
	nap					/* no return: a wakeup enters the system reset vector */
