/*
 * arch/kercall.h - the end of a user thread's kernel call, shared by
 * trap_kercall (arch/riscv64/trap.c) and ipc_cont_resume (kern/msg.c),
 * where a call that blocked on the IPC fast path ends.
 */
#ifndef ARCH_KERCALL_H
#define ARCH_KERCALL_H

#include <kern/lwkt.h>
#include <kern/proc.h>
#include <abi/errno.h>
#include <abi/kercall.h>
#include <arch/fpu.h>
#include <arch/intr.h>
#include <arch/trapframe.h>

/* The call's result rc into the frame: a0, or the restart a signal asks for. */
static inline __attribute__((always_inline)) void
kercall_result_arch(struct thread *td, struct trapframe *tf, long rc)
{
	if (rc == -ERESTART) {
		/*
		 * Interrupted by a signal: sig_user_return restarts it or makes
		 * it EINTR.  The frame's a0 is still the call's (only
		 * MsgReplyReceive rewrites it, to restart as a receive alone).
		 */
		td->td_sig.ts_restart = true;
		td->td_sig.ts_restart_a0 = tf->tf_regs[REG_A0];
		rc = -EINTR;
	}
	if (tf->tf_regs[REG_A7] != __KER_SignalReturn)
		tf->tf_regs[REG_A0] = (uint64_t)rc;	/* SignalReturn restored all of them */
}

/*
 * After the result, on the way back to user mode: preemption, signals,
 * a kill or a stop, the FPU state in the frame, user time.  Interrupts
 * off; td is curthread and tf its frame.
 */
static inline __attribute__((always_inline)) void
kercall_return_arch(struct thread *td, struct trapframe *tf)
{
	lwkt_preempt_check_td(td);
	proc_user_return_td(td, tf);	/* after any preemption: a kill may have come */
	fpu_fixup_frame_arch(tf);
	cputime_user_leave(td);
}

#endif
