/*
 * arch/trapframe.h - the registers saved on a trap.
 *
 * trap.S saves every general register, so an exception report can show
 * them all and a user thread's state is complete.  The frame lives on the
 * kernel stack of the thread that trapped.
 */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#define TF_RA		(1 * 8)
#define TF_SP		(2 * 8)
#define TF_GP		(3 * 8)
#define TF_TP		(4 * 8)
#define TF_SEPC		(32 * 8)
#define TF_SSTATUS	(33 * 8)
#define TF_SCAUSE	(34 * 8)
#define TF_STVAL	(35 * 8)
#define TF_SIZE		(36 * 8)	/* a multiple of 16 */

#ifndef __ASSEMBLY__
#include <kern/types.h>

struct trapframe {
	uint64_t	tf_regs[32];	/* x0..x31; x0 holds nothing */
	uint64_t	tf_sepc;	/* pc to return to */
	uint64_t	tf_sstatus;	/* sstatus at the trap (SPP, SPIE, FS) */
	uint64_t	tf_scause;	/* not written for a kernel call (trap.S): */
	uint64_t	tf_stval;	/* ...only the trap that saved them reads them */
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trap.S layout");

/* Register numbers of the calling convention, for tf_regs[]. */
enum {
	REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4,
	REG_T0 = 5, REG_S0 = 8, REG_A0 = 10, REG_A1 = 11, REG_A2 = 12, REG_A3 = 13,
	REG_A4 = 14, REG_A5 = 15, REG_A6 = 16, REG_A7 = 17,
};

/* Report an unexpected trap: cause, sepc, stval, registers, backtrace. */
void trap_report(const struct trapframe *tf);
#endif

#endif
