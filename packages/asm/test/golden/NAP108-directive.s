	.long	5
	.sett	X, 1
	.globl	fine		# accepted and ignored
