/*
 * arch/fpu.h - lazy switching of the floating-point registers.
 *
 * The kernel itself is built without floating point, so only threads that
 * execute FP instructions (user threads, and kernel test code) own FP
 * state.  Each CPU remembers whose values are in its FP registers
 * (gd_fpu_owner).  A switch does not save or load anything: it turns the
 * FPU off (sstatus.FS = Off) unless the incoming thread is the owner.  The
 * first FP instruction of another thread traps; the trap saves the owner's
 * registers if they were modified (FS was Dirty), loads the new thread's
 * and makes it the owner.  A migrating thread's dirty state is saved before
 * it leaves its CPU; an exiting thread's is dropped.
 *
 * All of this runs on the owner CPU, in a critical section or with
 * interrupts off; no locks.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <kern/types.h>
#include <arch/csr.h>
#include <arch/trapframe.h>

struct fpu_state {
	uint64_t	fs_f[32];	/* f0..f31, raw 64-bit */
	uint64_t	fs_fcsr;
};

struct thread;
struct trapframe;

/* Save/load all FP registers (fpu.S).  The FPU must be on (FS != Off). */
void fpu_save_arch(struct fpu_state *st);
void fpu_restore_arch(const struct fpu_state *st);

/*
 * An illegal-instruction trap with the FPU off: give the FPU to the
 * current thread and retry the instruction.  Returns false if the FPU was
 * already on (so the instruction is really illegal).
 */
bool fpu_trap_arch(struct trapframe *tf);

/* fpu_switch_arch when this CPU's FP registers belong to a thread (owner). */
void fpu_switch_owned_arch(struct thread *td, struct thread *ntd);

/*
 * Called by the scheduler just before switching from td to ntd (crit,
 * irqs off); owner is this CPU's gd_fpu_owner.  Inline: with no owner
 * (no thread here uses the FPU, the common case) the FPU is just off.
 */
static inline void
fpu_switch_arch(struct thread *owner, struct thread *td, struct thread *ntd)
{
	if (owner == NULL) {
		csr_clear(sstatus, SSTATUS_FS_MASK);	/* set_fs(SSTATUS_FS_OFF) */
		return;
	}
	fpu_switch_owned_arch(td, ntd);
}

/* Make td->td_fpu hold td's current FP registers.  td is the current thread. */
void fpu_sync_arch(struct thread *td);

/*
 * Give td (the current thread) new FP state f[32], fcsr: its live
 * registers are dropped, and its next FP instruction loads these.
 */
void fpu_replace_arch(struct thread *td, const uint64_t *f, uint64_t fcsr);

/*
 * Make td->td_fpu hold the FP state of td, a thread that is not running
 * (blocked): its CPU saves the registers if they are still live there.
 * Thread context (waits for that CPU).
 */
void fpu_flush_remote_arch(struct thread *td);

/* Give td, a blocked thread, a fresh FPU (exec): its state is dropped on its CPU. */
void fpu_drop_remote_arch(struct thread *td);

/* On trap return: make the frame's FS reflect what the thread owns now (every trap: inline). */
static inline void
fpu_fixup_frame_arch(struct trapframe *tf)
{
	uint64_t st = tf->tf_sstatus;

	tf->tf_sstatus = st ^ ((st ^ csr_read(sstatus)) & SSTATUS_FS_MASK);	/* FS from the CSR */
}

#endif
