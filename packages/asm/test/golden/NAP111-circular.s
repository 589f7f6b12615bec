	.set	A, B+1
	.set	B, A
	li	r3,A
