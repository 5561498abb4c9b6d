/*
 * selftest/fpu_asm.S - fill and check every FP register, for the lazy FPU
 * tests.  f_i gets the bit pattern seed * (i + 1); fcsr's rounding mode
 * gets seed & 7 (only 0-4 are valid, so tests pass seeds with low bits < 5).
 *
 *	void fpu_test_fill(uint64_t seed);
 *	int fpu_test_check(uint64_t seed);	0, or 1 + the first bad register
 */
	.option	push
	.option	arch, +d
	.section .text

	.globl	fpu_test_fill
fpu_test_fill:
	mv	t0, a0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.d.x	f\n, t0
	add	t0, t0, a0
	.endr
	andi	t1, a0, 7
	fsrm	t1
	ret

	.globl	fpu_test_check
fpu_test_check:
	mv	t0, a0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.x.d	t1, f\n
	li	t2, \n + 1
	bne	t1, t0, 1f
	add	t0, t0, a0
	.endr
	frrm	t1
	andi	t2, a0, 7
	li	a0, 33
	bne	t1, t2, 2f
	li	a0, 0
2:	ret
1:	mv	a0, t2
	ret

	.option	pop
