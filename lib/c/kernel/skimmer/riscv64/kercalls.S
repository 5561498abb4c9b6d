/*
 * The kernel layer's kernel-call functions, generated from
 * abi/include/abi/kercalls.def: for every call Name, QNX's pair
 *
 *	Name_r(...)	the raw result: >= 0, or a negated errno
 *	Name(...)	the same, but an error (-4095..-1) becomes -1 with
 *			errno set (through __qsoe_kerr)
 *
 * The arguments are already where Skimmer wants them (a0..a5); the number
 * goes in a7.  The kernel preserves every register but a0 (and a1 for
 * MsgReplyReceive, below).  Each function
 * has its own section, so a static link keeps only those used (with
 * --gc-sections).  The prototypes are in <sys/neutrino.h>.
 *
 * MsgReplyReceive is not made here: its C arguments are not its
 * registers, and it returns a second value in a1 (msgreplyreceive.c).
 */
#define KERCALL(num, name, nargs)					\
	.ifnc name, MsgReplyReceive;					\
	.section .text.name##_r, "ax", @progbits;			\
	.globl	name##_r;						\
	.type	name##_r, @function;					\
	.balign	4;							\
name##_r:								\
	li	a7, num;						\
	ecall;								\
	ret;								\
	.size	name##_r, . - name##_r;					\
	.section .text.name, "ax", @progbits;				\
	.globl	name;							\
	.type	name, @function;					\
	.balign	4;							\
name:									\
	li	a7, num;						\
	ecall;								\
	li	t0, -4096;						\
	bgtu	a0, t0, 1f;						\
	ret;								\
1:	tail	__qsoe_kerr;						\
	.size	name, . - name;						\
	.endif;

#include <abi/kercalls.def>
