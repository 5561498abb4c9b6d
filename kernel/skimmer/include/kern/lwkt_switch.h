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
#include <kern/runq_inline.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <arch/intr.h>
#include <arch/timer.h>

/* td, the current thread, goes to sleep: lwkt_sleep's first step (crit). */
static inline __attribute__((always_inline)) void
lwkt_sleep_mark(struct thread *td)
{
	td->td_flags = (td->td_flags & ~TDF_TIMEDOUT) | TDF_SLEEPING;
}

/*
 * w, asleep on gd, can take gd now without being queued: nothing on the
 * run queue has its priority or more, so switch_to_best would pick it
 * too (lwkt_sleep_handoff's direct switch, and the IPC fast path's).
 * Interrupts or crit: only gd changes what is read.
 */
static inline __attribute__((always_inline)) bool
lwkt_handoff_ok(struct cpu *gd, const struct thread *w)
{
	return __atomic_load_n(&w->td_cpu, __ATOMIC_ACQUIRE) == gd &&
	    (w->td_flags & (TDF_SLEEPING | TDF_RUNQ | TDF_IDLE | TDF_EXITING | TDF_MIGRATING)) ==
	    TDF_SLEEPING && runq_top_pri_inline(&gd->gd_runq) < w->td_pri;
}

/* gd goes to w (lwkt_handoff_ok): no reschedule is owed, and w no longer sleeps. */
static inline __attribute__((always_inline)) void
lwkt_handoff_take(struct cpu *gd, struct thread *w)
{
	__atomic_fetch_and(&gd->gd_reqflags, ~RQF_RESCHED, __ATOMIC_RELAXED);
	w->td_flags &= ~TDF_SLEEPING;
}

/* lwkt_setpri_self's step, for a caller already in crit or with interrupts off. */
static inline __attribute__((always_inline)) void
lwkt_setpri_locked(struct cpu *gd, struct thread *td, int pri)
{
	td->td_pri = pri;
	if (runq_top_pri_inline(&gd->gd_runq) > pri)
		cpu_request(gd, RQF_RESCHED);
}

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
	gd->gd_kstack_top = ntd->td_kstack_top;
	if (ntd->td_policy == SCHED_RR || gd->gd_rr_armed)
		lwkt_rr_switch(gd, ntd);
	if (ntd->td_proc && ntd->td_proc->pr_vm != gd->gd_vmspace)	/* vm_activate's test, inline */
		proc_switch_vm(ntd);
}

#endif
