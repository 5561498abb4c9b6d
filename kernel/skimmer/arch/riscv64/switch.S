/*
 * arch/riscv64/switch.S - kernel thread context switch.
 *
 * struct thread *cpu_switch_arch(struct thread *old, struct thread *new)
 *
 * Saves the callee-saved registers on old's stack and old's sp in
 * old->td_sp, then resumes new from new->td_sp.  Returns (in new's context)
 * the thread that switched to it.  tp is not switched: it names the CPU.
 * Interrupts are off across the switch (lwkt_switch sees to that).
 */
#define TD_SP	32	/* offsetof(struct thread, td_sp), asserted in lwkt.c */

	.section .text
	.globl	cpu_switch_arch
cpu_switch_arch:
	addi	sp, sp, -112
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	sd	sp, TD_SP(a0)
	ld	sp, TD_SP(a1)
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	addi	sp, sp, 112
	/* a0 still holds old: returned as "prev" to whoever resumes here */
	ret

/*
 * First run of a new thread: cpu_switch_arch "returns" here with a0 = prev;
 * lwkt_thread_start(prev) finishes the switch and calls td_func.  s0 is
 * zero so backtraces stop here.
 */
	.globl	thread_entry_arch
thread_entry_arch:
	mv	s0, zero
	call	lwkt_thread_start
1:	j	1b
