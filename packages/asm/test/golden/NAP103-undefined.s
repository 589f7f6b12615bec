	lbz	r0,HSTATE_HWTHREAD_REQQ(r13)
	b	nowhere
	beq	1f
	b	x
	li	r3,r4+1
0:	bne	0b
