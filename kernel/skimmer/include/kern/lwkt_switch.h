/*
 * kern/lwkt_switch.h - the steps of a context switch before the registers
 * change hands: do_switch's (kern/lwkt.c), and the IPC fast path's when it
 * returns to user mode in the thread it switches to (kern/msg.c).  Not
 * for other users: the caller must go on to switch exactly as do_switch
 * does.
 */
#ifndef KERN_LWKT_SWITCH_H
#define KERN_LWKT_SWITCH_H

#include <kern/cpu.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <arch/intr.h>
#include <arch/timer.h>

/* Each CPU's round-robin slice callout (only its own CPU arms it). */
extern struct callout lwkt_rr_callouts[CONFIG_SKIMMER_MAX_CPUS];
/* The round-robin callout for a switch to ntd: a new slice, or none (kern/lwkt.c). */
void lwkt_rr_switch(struct cpu *gd, struct thread *ntd);

/*
 * td, the current thread of gd, hands gd to ntd: ntd's CPU-time start, the
 * current thread, its kernel stack, its round-robin slice and its address
 * space.  The FPU's state (fpu_switch_arch) follows, with interrupts off.
 */
static inline __attribute__((always_inline)) void
lwkt_switch_account(struct cpu *gd, struct thread *td, struct thread *ntd)
{
	uint64_t now;

	KASSERT(*(uint64_t *)td->td_kstack == KSTACK_MAGIC, "thread %s overflowed its stack",
	    td->td_name);
	while (__atomic_load_n(&ntd->td_oncpu, __ATOMIC_ACQUIRE))
		cpu_relax_arch();	/* still being switched out on its old CPU */
	ntd->td_oncpu = 1;
	now = timer_now_arch();		/* timer_now(), inline */
	__atomic_store_n(&td->td_runtime, td->td_runtime + (now - gd->gd_switch_at), __ATOMIC_RELAXED);
	gd->gd_switch_at = now;
	gd->gd_curthread = ntd;
	gd->gd_kstack_top = (vaddr_t)ntd->td_kstack + KSTACK_SIZE;
	if (ntd->td_policy == SCHED_RR || (lwkt_rr_callouts[gd->gd_id].c_flags & CALLOUT_PENDING))
		lwkt_rr_switch(gd, ntd);
	if (ntd->td_proc && ntd->td_proc->pr_vm != gd->gd_vmspace)	/* vm_activate's test, inline */
		proc_switch_vm(ntd);
}

#endif
