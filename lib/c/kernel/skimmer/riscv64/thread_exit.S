/*
 * __qsoe_thread_exit(ctid, ubase, ulen, ulock, status) and
 * __qsoe_thread_exit_send(coid, msg, len, ctid, status): see
 * qsoe_kernel.h.  Registers only: after MemUnmap (or the server's reply)
 * the stack is gone, and after the store to *ctid a joiner may unmap it.
 * The kernel preserves every register but a0.
 */
#define KERCALL(num, name, nargs) .equ __KER_##name, num;
#include <abi/kercalls.def>

	.text
	.globl	__qsoe_thread_exit
	.hidden	__qsoe_thread_exit
	.type	__qsoe_thread_exit, @function
__qsoe_thread_exit:
	mv	t3, a0			/* ctid */
	mv	t4, a1			/* ubase */
	mv	t5, a2			/* ulen */
	mv	t6, a3			/* ulock */
	mv	s1, a4			/* status */
	beqz	t5, 2f
	li	a0, 0			/* MemUnmap(0, ubase, ulen) */
	mv	a1, t4
	mv	a2, t5
	li	a7, __KER_MemUnmap
	ecall
	beqz	t6, 2f
	fence	rw, w			/* release: the range is gone first */
	sw	zero, 0(t6)
	mv	a0, t6			/* FutexWake(ulock, 1) */
	li	a1, 1
	li	a7, __KER_FutexWake
	ecall
2:	beqz	t3, 3f
	fence	rw, w
	sw	zero, 0(t3)
	mv	a0, t3			/* FutexWake(ctid, 1) */
	li	a1, 1
	li	a7, __KER_FutexWake
	ecall
3:	li	a0, 0			/* ThreadDestroy(0, -1, status) */
	li	a1, -1
	mv	a2, s1
	li	a7, __KER_ThreadDestroy
	ecall
	j	3b
	.size	__qsoe_thread_exit, . - __qsoe_thread_exit

	.globl	__qsoe_thread_exit_send
	.hidden	__qsoe_thread_exit_send
	.type	__qsoe_thread_exit_send, @function
__qsoe_thread_exit_send:
	mv	t3, a3			/* ctid */
	mv	s1, a4			/* status */
	li	a3, 0			/* MsgSend(coid, msg, len, 0, 0): no reply bytes */
	li	a4, 0
	li	a7, __KER_MsgSend
	ecall				/* (its result does not matter: we end either way) */
	mv	a0, t3			/* __qsoe_thread_exit(ctid, 0, 0, 0, status) */
	li	a1, 0
	li	a2, 0
	li	a3, 0
	mv	a4, s1
	j	__qsoe_thread_exit
	.size	__qsoe_thread_exit_send, . - __qsoe_thread_exit_send
