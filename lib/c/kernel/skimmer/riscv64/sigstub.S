/*
 * __qsoe_sigstub: where every signal handler returns (the sigstub given
 * to SignalAction; the kernel sets ra to it when it enters a handler).
 * sp is then where the kernel pushed the frame, its ucontext_t first
 * (abi/signal.h), so SignalReturn(sp) restores the interrupted context
 * and mask.  SignalReturn does not come back; a bad frame ends the
 * process, so the unimp is never reached.
 */
#define KERCALL(num, name, nargs)	.equ __KER_##name, num;
#include <abi/kercalls.def>

	.section .text.__qsoe_sigstub, "ax", @progbits
	.globl	__qsoe_sigstub
	.hidden	__qsoe_sigstub
	.type	__qsoe_sigstub, @function
	.balign	4
__qsoe_sigstub:
	mv	a0, sp
	li	a7, __KER_SignalReturn
	ecall
	unimp
	.size	__qsoe_sigstub, . - __qsoe_sigstub
