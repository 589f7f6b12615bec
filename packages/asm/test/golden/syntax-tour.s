# Every syntax form the assembler accepts, once.
	.section .text, "ax"
	.machine power8
	.abiversion 2
	.type	tour,@function
	.set	ONE, 1
	.equ	TWO, ONE+1
	MASK = (0xff << 8) | ~0 & 0xf
tour:	li	%r3,ONE			# %r3: GNU register prefix
	li	4,TWO			# bare register number
	addi	r5,r4,-TWO*3
	subi	r5,r5,1			# addi with the immediate negated
	sub	r6,r5,r4		# subf r6,r4,r5
	lis	r7,0xdead ; ori r7,r7,0xbeef	# two statements on a line
	andi.	r8,r7,MASK & 0xffff
	lis	r9,x@ha
	addi	r9,r9,x@l
	la	r10,y			// a bare address: D(0)
	la	r10,HSTATE_HWTHREAD_REQ@cpu0(0)
	cmpw	cr7,r3,r4
	cmplwi	r3,0xffff
	beq+	cr7,1f
	bne-	1f
1:	blt	cr7,1b
	bge	.+1
	bdnz	tour
	mfsrr0	r3 ; mtsrr1 r3 ; mflpcr r3 ; mtlpcr r3 ; mfdec r3
	mtdec	r3 ; mfpir r3 ; mflpid r3 ; mtlpid r3
	mfspr	r3,srr1
	mtspr	318,r3
	sync	0
	sync	1
	hwsync
	ptesync
	stop
	await.ne	HSTATE_HWTHREAD_REQ(r13),0
	assert.eq	r3,-1,"r3 must be -1 \"here\""
	count	wakeup_fast
	mark	"tab\there"
	choose	r3,3
	work	100
	lost	"returned through a stale frame"
