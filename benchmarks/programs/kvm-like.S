# A KVM-like host/guest handshake with interrupts, for the speed benchmark (4 threads, 2 cores).
# The primary publishes work items and wakes three napping secondaries with doorbells; everyone
# grabs items with lwarx/stwcx.; secondaries take stray IPIs while working (EE on), then nap again
# when the work is done; once everyone is idle, the primary sets `shutdown` and rings again: all halt.
primary:
        li      r3,12
        stw     r3,items(0)
        sync
        li      r4,1
0:      msgsnd  r4
        addi    r4,r4,1
        cmpwi   r4,4
        blt     0b
        li      r9,0
        li      r10,items
1:      lwarx   r3,r9,r10
        cmpwi   r3,0
        beq     2f
        addi    r3,r3,-1
        stwcx.  r3,r9,r10
        bne     1b
        count   work
        work    10
        b       1b
2:      await.eq active(0),0
        li      r7,1
        stw     r7,shutdown(0)
        sync
        li      r4,1
3:      msgsnd  r4
        addi    r4,r4,1
        cmpwi   r4,4
        blt     3b
        halt
sreset:
        msgclr  r0
        mfspr   r5,SRR1
        lwarx   r3,r9,r11
        addi    r3,r3,1
        stwcx.  r3,r9,r11
        bne     sreset
4:      lwarx   r3,r9,r10
        cmpwi   r3,0
        beq     5f
        addi    r3,r3,-1
        stwcx.  r3,r9,r10
        bne     4b
        count   work
        wrteei  1
        work    10
        wrteei  0
        b       4b
5:      lwarx   r3,r9,r11
        addi    r3,r3,-1
        stwcx.  r3,r9,r11
        bne     5b
        lwz     r6,items(0)
        cmpwi   r6,0
        bne     4b
        lwz     r7,shutdown(0)
        cmpwi   r7,0
        bne     6f
        nap
6:      halt
ipi:
        count   ipi
        eoi
        rfid
