	mark	"oops
	li	r3,1
	/* this comment
	   never ends
	halt
