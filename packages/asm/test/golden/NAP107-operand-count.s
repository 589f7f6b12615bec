	add	r3,r4
	lwz	r3,r4,r5
	blr	r3
	mfsrr1
