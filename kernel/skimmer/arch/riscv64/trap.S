/*
 * arch/riscv64/trap.S - the trap vector and context save/restore.
 *
 * sscratch is 0 while the hart runs kernel code, and holds the hart's
 * struct cpu while it runs user code.  On entry we swap tp and sscratch:
 * a non-zero tp then means "came from user", and tp is our struct cpu.
 * Every general register, sepc and sstatus are saved in a struct trapframe
 * (arch/trapframe.h) on the kernel stack, and scause and stval but for a
 * kernel call; trap_handler(tf) does the rest, or trap_kercall(tf)
 * for a kernel call (ecall from user mode), the common trap.
 */
#include <arch/trapframe.h>

#define CPU_KSTACK_TOP	16
#define CPU_USCRATCH	24

	.macro	SAVE_REGS
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	.endm

	/* scause and stval: in t0 on the way out, t1 clobbered. */
	.macro	SAVE_CAUSE
	csrr	t0, scause
	sd	t0, TF_SCAUSE(sp)
	csrr	t1, stval
	sd	t1, TF_STVAL(sp)
	.endm

	.macro	RESTORE_REGS_BUT_SP_TP
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	.endm

	.section .text
	.globl	trap_vector
	.balign	4
trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, trap_from_user

	/* From the kernel: sscratch now holds our tp; take it back. */
	csrr	tp, sscratch
	csrw	sscratch, zero
	addi	sp, sp, -TF_SIZE
	SAVE_REGS
	SAVE_CAUSE
	addi	t0, sp, TF_SIZE
	sd	t0, TF_SP(sp)
	sd	tp, TF_TP(sp)
	mv	a0, sp
	call	trap_handler
	/*
	 * Back to the kernel.  tp is not restored from the frame: it names the
	 * CPU we run on now, which is right even if the frame is old.
	 */
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	RESTORE_REGS_BUT_SP_TP
	ld	sp, TF_SP(sp)
	sret

trap_from_user:
	/* tp = struct cpu, sscratch = user tp. */
	sd	sp, CPU_USCRATCH(tp)
	ld	sp, CPU_KSTACK_TOP(tp)
	addi	sp, sp, -TF_SIZE
	SAVE_REGS
	ld	t0, CPU_USCRATCH(tp)
	sd	t0, TF_SP(sp)
	csrr	t0, sscratch
	sd	t0, TF_TP(sp)
	csrw	sscratch, zero
	mv	a0, sp
	/*
	 * A kernel call (EXC_ECALL_U) leaves the frame's scause and stval
	 * as they were: trap_kercall reads neither, and nothing reads them
	 * from a frame but the trap that saved them (trap.c).
	 */
	csrr	t0, scause
	li	t1, 8			/* EXC_ECALL_U */
	bne	t0, t1, 1f
	/*
	 * MsgSend, MsgReceive, MsgReply and MsgReplyReceive try the IPC fast
	 * path first (kern/msg.c): it returns to user mode in another thread,
	 * or here, or runs the general path itself.  a7 still holds the
	 * call's number; the others (MsgReceivev ...) are trap_kercall's.
	 */
	addi	t0, a7, -14		/* __KER_MsgSend .. __KER_MsgReply (asserted in trap.c) */
	li	t1, 6
	bltu	t0, t1, 6f
	li	t1, 86			/* __KER_MsgReplyReceive */
	beq	a7, t1, 3f
5:	call	trap_kercall
	j	trap_return_user
6:	beqz	t0, 2f			/* MsgSend */
	li	t1, 2			/* MsgReceive */
	beq	t0, t1, 4f
	li	t1, 5			/* MsgReply */
	bne	t0, t1, 5b
	call	ipc_fast_MsgReply
	j	trap_return_user
2:	call	ipc_fast_MsgSend
	j	trap_return_user
3:	call	ipc_fast_MsgReplyReceive
	j	trap_return_user
4:	call	ipc_fast_MsgReceive
	j	trap_return_user
1:	SAVE_CAUSE
	call	trap_handler
	/* fall through */

/*
 * Return to user mode from the trapframe at the top of the current kernel
 * stack (sp points at it).  Interrupts are off.
 */
	.globl	trap_return_user
trap_return_user:
	csrw	sscratch, tp		/* the next user trap finds its cpu here */
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	RESTORE_REGS_BUT_SP_TP
	ld	tp, TF_TP(sp)
	ld	sp, TF_SP(sp)
	sret

/*
 * void user_enter_arch(struct trapframe *tf): first entry of a user thread.
 * tf sits at the top of the thread's kernel stack, where trap_from_user
 * will build the next frame.
 */
	.globl	user_enter_arch
user_enter_arch:
	csrci	sstatus, 2		/* SIE off until sret */
	mv	sp, a0
	j	trap_return_user
