/*
 * kern/cpu.h - per-CPU data (DragonFly's globaldata).
 *
 * One struct cpu per hart that came online, reached through mycpu(), which
 * reads the tp register: in the kernel tp always holds the current CPU's
 * struct cpu.  Ownership: every gd_ field is read and written only by its
 * own CPU, except those marked "remote": those are written once before the
 * CPU starts, or are atomics meant for other CPUs.
 */
#ifndef KERN_CPU_H
#define KERN_CPU_H

#include <kern/types.h>

struct cpu {
	struct cpu	*gd_self;	/* points to itself (tp sanity check) */
	vaddr_t		gd_boot_sp;	/* initial stack top (remote: set before start;
					   head.S reads it at offset 8) */
	int		gd_id;		/* logical cpu number, 0 = boot cpu (remote: const) */
	unsigned long	gd_hartid;	/* hart id from the device tree (remote: const) */
	volatile int	gd_online;	/* set by the CPU itself once running (remote: read) */
	volatile int	gd_halted;	/* set when the CPU stopped for a panic (remote) */
};

_Static_assert(offsetof(struct cpu, gd_boot_sp) == 8, "head.S uses this offset");

extern struct cpu cpus[CONFIG_SKIMMER_MAX_CPUS];
extern int ncpus;		/* CPUs online (grows during SMP bring-up) */

static inline struct cpu *
mycpu(void)
{
	struct cpu *c;

	__asm__ ("mv %0, tp" : "=r"(c));
	return c;
}

/* Current CPU id, or 0 before per-CPU data exists (tp == 0 early in boot). */
static inline int
mycpu_id(void)
{
	struct cpu *c = mycpu();

	return c ? c->gd_id : 0;
}

#endif
