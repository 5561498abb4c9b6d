/*
 * __qsoe_kercall_cp(cancel, num, a0, a1, a2, a3, a4, a5): kernel call num
 * as a cancellation point.  The POSIX layer makes the blocking kernel
 * call of a cancellation point (a futex wait, a sleep, a signal wait)
 * through here, with cancel = &self->cancel that musl's __syscall_cp_asm
 * passed down.
 *
 * musl's SIGCANCEL handler (src/thread/pthread_cancel.c) acts on a
 * cancel request at once only if the interrupted pc lies in
 * [__cp_begin, __cp_end): there the call has not happened, and it
 * sends the thread to __cp_cancel instead.  On QSOE that range is here,
 * around the flag check and the ecall:
 *  - a signal before the ecall leaves pc in the range;
 *  - a blocked call the kernel will restart (SA_RESTART, which musl's
 *    handler has) has pc moved back to the ecall, in the range;
 *  - a call that failed with EINTR has pc at __cp_end, outside: musl's
 *    __syscall_cp_c sees the EINTR and the flag and cancels.
 * This function is a leaf, so __cp_cancel's __cancel() returns
 * -ECANCELED (a masked cancel, as in pthread_cond_wait) to our caller
 * with sp and ra intact; the POSIX layer passes it up.
 */
	.section .text.__qsoe_kercall_cp, "ax", @progbits
	.globl	__qsoe_kercall_cp
	.hidden	__qsoe_kercall_cp
	.type	__qsoe_kercall_cp, @function
	.globl	__cp_begin
	.hidden	__cp_begin
	.globl	__cp_end
	.hidden	__cp_end
	.globl	__cp_cancel
	.hidden	__cp_cancel
	.hidden	__cancel
	.balign	4
__qsoe_kercall_cp:
__cp_begin:
	lw	t0, 0(a0)
	bnez	t0, __cp_cancel
	mv	t1, a1
	mv	a0, a2
	mv	a1, a3
	mv	a2, a4
	mv	a3, a5
	mv	a4, a6
	mv	a5, a7
	mv	a7, t1
	ecall
__cp_end:
	ret
__cp_cancel:
	tail	__cancel
	.size	__qsoe_kercall_cp, . - __qsoe_kercall_cp
