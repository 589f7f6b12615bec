	li	r3,0x12345
	ori	r3,r3,-1
	cmplwi	r3,70000
	addi	r3,r3,40000
	wrteei	2
	b	end
end:
