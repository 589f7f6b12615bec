	li	r3,r4
	lwz	r3,r4
	add	r3,r4,cr1
	mfspr	r3,SRR2
	mark	5
	cmpw	r40,r3
