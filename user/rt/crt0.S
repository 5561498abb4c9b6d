/*
 * user/rt/crt0.S - entry of early user programs (before libc exists).
 * The kernel (or taskman) enters with a0 = the program's argument.
 */
	.section .text.start, "ax"
	.option	norelax		/* gp is not set yet: no gp-relative addressing */
	.globl	_start
_start:
	/* Record the registers we were entered with (tests check for leaks). */
	la	t0, __rt_initregs
	sd	ra, 0(t0)
	sd	tp, 8(t0)
	sd	t1, 16(t0)
	sd	t2, 24(t0)
	sd	s0, 32(t0)
	sd	s1, 40(t0)
	sd	a1, 48(t0)
	sd	a2, 56(t0)
	sd	a3, 64(t0)
	sd	a4, 72(t0)
	sd	a5, 80(t0)
	sd	a6, 88(t0)
	sd	a7, 96(t0)
	sd	s2, 104(t0)
	sd	s3, 112(t0)
	sd	s4, 120(t0)
	sd	s5, 128(t0)
	sd	s6, 136(t0)
	sd	s7, 144(t0)
	sd	s8, 152(t0)
	sd	s9, 160(t0)
	sd	s10, 168(t0)
	sd	s11, 176(t0)
	sd	t3, 184(t0)
	sd	t4, 192(t0)
	sd	t5, 200(t0)
	sd	t6, 208(t0)
	.option	push
	.option	norelax
	la	gp, __global_pointer$
	.option	pop
	mv	s0, zero		/* end of the frame chain */
	andi	sp, sp, -16
	call	__rt_start
1:	j	1b

	.section .bss
	.balign	8
	.globl	__rt_initregs
__rt_initregs:
	.skip	27 * 8
