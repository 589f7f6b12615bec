#include <asm/ppc_asm.h>
#define KVM_HWTHREAD_IN_KVM 2
	li	r3,0		# an ordinary comment is fine
