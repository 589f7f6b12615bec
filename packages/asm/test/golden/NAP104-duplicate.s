loop:	li	r3,1
	.set	LIMIT, 10
loop:	cmpwi	r3,LIMIT
	.set	LIMIT, 20
	b	loop
