	li	r3,1/0
	li	r4,1<<40
