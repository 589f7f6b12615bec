	lwzz	r3,0(r4)	# a typo
	eieio			# real POWER, not modelled
	rlwinm	r3,r4,0,31,31
	li+	r3,1		# prediction hints only go on branches
