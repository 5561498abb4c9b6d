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
#include <arch/trapframe.h>

#define TD_SP	32	/* offsetof(struct thread, td_sp), asserted in lwkt.c */
#define TD_ONCPU 64	/* offsetof(struct thread, td_oncpu), the same */

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
switch_load_arch:		/* new's registers, from new->td_sp */
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

/*
 * void cpu_switch_cont_arch(struct thread *old, struct thread *new, vaddr_t top)
 *
 * The switch of a thread that blocks in a kernel call and keeps nothing
 * on its kernel stack but its user trap frame (the IPC fast path,
 * kern/msg_fast.c): old's registers are not saved.  old->td_sp gets a
 * switch frame just below its trap frame (top: old's kernel stack top) whose return address is
 * ipc_cont_entry_arch, so whatever switches to old later resumes it
 * there, with sp at its trap frame.  new resumes from new->td_sp as in
 * cpu_switch_arch, with a0 = old.  Does not return.  Interrupts off.
 */
	.globl	cpu_switch_cont_arch
cpu_switch_cont_arch:
	/* old's frame: its kernel stack top (a2) less the trap frame, less 112 */
	addi	a2, a2, -(TF_SIZE + 112)
	la	t0, ipc_cont_entry_arch
	sd	t0, 0(a2)
	sd	a2, TD_SP(a0)
	ld	t1, TD_SP(a1)
	ld	t2, 0(t1)
	bne	t2, t0, switch_load_arch	/* a frame of cpu_switch_arch's */
	/* new blocked the same way: nothing of its registers to load */
	addi	sp, t1, 112
	j	ipc_cont_entry_arch

/*
 * Where a thread that blocked through cpu_switch_cont_arch resumes: a0 =
 * the thread that switched to it, sp = its trap frame.  ipc_cont_resume
 * (kern/msg.c) finishes its kernel call; then back to user mode.
 */
	.globl	ipc_cont_entry_arch
ipc_cont_entry_arch:
	mv	s0, zero
	call	ipc_cont_resume
	j	trap_return_user

/*
 * void cont_return_arch(struct thread *old, vaddr_t top, struct trapframe *tf)
 *
 * The IPC fast path's end when it has finished the kernel call of the
 * thread it switched to (kern/msg.c, fast_block): old (top: its kernel
 * stack top) blocks as in cpu_switch_cont_arch, its switch ends
 * (td_oncpu = 0, once td_sp is written), and the CPU returns to user
 * mode from tf, the new thread's frame at the top of its stack.
 * Does not return.  Interrupts off.
 */
	.globl	cont_return_arch
cont_return_arch:
	addi	a1, a1, -(TF_SIZE + 112)
	la	t0, ipc_cont_entry_arch
	sd	t0, 0(a1)
	sd	a1, TD_SP(a0)
	fence	rw, w			/* td_oncpu = 0 with release: old may run anywhere now */
	sw	zero, TD_ONCPU(a0)
	mv	sp, a2
	j	trap_return_user
