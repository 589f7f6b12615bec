# several syntax errors in one file: all are reported
	li	r3 5
	stw	r1,0(r2
	addi	r3,,1
	li	r4,1	? oops
