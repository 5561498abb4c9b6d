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
#include <kern/ipiq.h>
#include <kern/queue.h>
#include <kern/runq.h>

struct thread;
struct callout;
struct vmspace;
TAILQ_HEAD(calloutq, callout);
TAILQ_HEAD(threadlist, thread);

struct cpu_stats {
	uint64_t	cs_switches;	/* context switches */
	uint64_t	cs_preempts;	/* involuntary switches */
	uint64_t	cs_ipis_sent;	/* ipiq entries sent from here */
	uint64_t	cs_ipis_recv;	/* ipiq entries run here */
	uint64_t	cs_ipi_intrs;	/* IPI interrupts taken */
	uint64_t	cs_timer_intrs;	/* timer interrupts taken */
	uint64_t	cs_ext_intrs;	/* device interrupts taken */
	uint64_t	cs_migrations_in; /* threads that arrived here */
	uint64_t	cs_callouts;	/* timer callbacks run */
	uint64_t	cs_fpu_traps;	/* first FP use after a switch (lazy FPU) */
	uint64_t	cs_fpu_saves;	/* FP register sets saved */
};

struct cpu {
	struct cpu	*gd_self;	/* points to itself (tp sanity check) */
	vaddr_t		gd_boot_sp;	/* initial stack top (remote: set before start;
					   head.S reads it at offset 8) */
	vaddr_t		gd_kstack_top;	/* current thread's kernel stack top: user
					   traps switch to it (offset 16, trap.S) */
	vaddr_t		gd_uscratch;	/* trap.S scratch: user sp (offset 24) */
	int		gd_id;		/* logical cpu number, 0 = boot cpu (remote: const) */
	unsigned long	gd_hartid;	/* hart id from the device tree (remote: const) */
	volatile int	gd_online;	/* set by the CPU itself once running (remote: read) */
	volatile int	gd_halted;	/* set when the CPU stopped for a panic (remote) */
	uint32_t	gd_reqflags;	/* RQF_* deferred work (atomic OR from interrupts) */
	uint32_t	gd_ipi_pending;	/* an IPI is on its way (remote: atomic xchg) */
	struct thread	*gd_curthread;	/* the running thread */
	struct thread	*gd_idlethread;	/* this CPU's idle thread */
	struct thread	*gd_fpu_owner;	/* whose values are in the FP registers */
	struct vmspace	*gd_vmspace;	/* user address space in satp, NULL: kernel only */
	uint64_t	gd_switch_at;	/* timer_now() at the last switch (CPU-time accounting) */
	struct callout	*gd_rr_callout;	/* the round-robin slice's (only this CPU arms it) */
	bool		gd_rr_armed;	/* gd_rr_callout may be pending: armed since last stopped */
	struct cpu_stats gd_stats;
	struct threadlist gd_threads;	/* every thread owned by this CPU */
	int		gd_nthreads;
	struct calloutq	gd_callouts;	/* armed timers, by deadline */
	uint64_t	gd_timer_armed;	/* deadline programmed in the timer, or ~0 */
	/*
	 * After the fields every switch reads (within a load's 12-bit
	 * offset): its list heads are 4 KiB.  Its bitmap comes first.
	 */
	struct runq	gd_runq;	/* runnable threads but the current one */
	struct ipiq	gd_ipiq[CONFIG_SKIMMER_MAX_CPUS]; /* incoming ring from each
					   cpu (remote: producer side, see ipiq.h) */
};

_Static_assert(offsetof(struct cpu, gd_boot_sp) == 8, "head.S uses this offset");
_Static_assert(offsetof(struct cpu, gd_kstack_top) == 16, "trap.S uses this offset");
_Static_assert(offsetof(struct cpu, gd_uscratch) == 24, "trap.S uses this offset");
_Static_assert(offsetof(struct cpu, gd_runq) < 2048, "struct cpu: keep the hot fields first");

extern struct cpu cpus[CONFIG_SKIMMER_MAX_CPUS];
extern int ncpus;		/* CPUs online (grows during SMP bring-up) */

static inline struct cpu *
mycpu(void)
{
	struct cpu *c;

	__asm__ __volatile__("mv %0, tp" : "=r"(c));
	return c;
}

/* Current CPU id (tp is the boot CPU's cpus[0] from head.S on, before any C code). */
static inline int
mycpu_id(void)
{
	return mycpu()->gd_id;
}

#endif
