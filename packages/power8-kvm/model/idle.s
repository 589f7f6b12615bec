/*
 * The cpuidle loop of an online CPU with nothing to run: do_idle (kernel/sched/idle.c) ->
 * arch_cpu_idle -> power7_idle -> power7_idle_type(PNV_THREAD_NAP)
 * (arch/powerpc/platforms/powernv/idle.c). After the wakeup, interrupts are enabled, so whatever
 * woke the CPU is handled (an IPI runs its handler here).
 *
 * Online idle CPUs start napping in this loop (PACAR1 = power7_idle_type_return). The primary
 * starts with PACAR1 = power7_idle_type_return too: its last host idle entry was here, and that
 * is the frame a wrong host-idle return after a cede would resume.
 * Left out: cpuidle governors, snooze, deeper states.
 */
power7_idle:
	wrteei	0
	li	r3,PNV_THREAD_NAP
	bl	power7_idle_insn
power7_idle_type_return:
	wrteei	1
	b	power7_idle
