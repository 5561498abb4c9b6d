/*
 * kern/lwkt.h - the light-weight kernel thread scheduler, one per CPU.
 *
 * Each CPU schedules only its own threads, from its own run queue, without
 * locks: every scheduler operation runs on the thread's owner CPU inside a
 * critical section.  Work for another CPU is sent there through the IPI
 * queues (kern/ipiq.h).  A critical section (crit_enter/crit_exit) is a
 * per-thread counter, not an interrupt mask: an interrupt that arrives
 * inside one leaves a request in gd_reqflags (and masks its class, timer
 * or external, until then; IPIs need no mask), which
 * crit_exit (or the idle loop) then processes: IPI queues, expired timers,
 * device interrupts and preemption.
 *
 * Priorities are QNX's: 1..255, higher runs first; 0 is the idle thread.
 * A runnable thread of higher priority than the current one preempts it as
 * soon as the current thread leaves its critical section.
 */
#ifndef KERN_LWKT_H
#define KERN_LWKT_H

#include <kern/cpu.h>
#include <kern/thread.h>

/* gd_reqflags: work deferred to the end of a critical section. */
#define RQF_IPIQ	0x01	/* IPI queues have messages */
#define RQF_TIMER	0x02	/* the timer fired (STIE masked until handled) */
#define RQF_INTR	0x04	/* a device interrupt is pending (SEIE masked) */
#define RQF_RESCHED	0x08	/* a better thread is runnable: switch */

static inline struct thread *
curthread_get(void)
{
	return mycpu()->gd_curthread;
}
#define curthread	curthread_get()

/* Enter/leave a critical section.  Any context; never blocks. */
static inline void
crit_enter(void)
{
	curthread->td_critcount++;
	__asm__ __volatile__("" ::: "memory");
}

void crit_exit_slow(void);

static inline void
crit_exit(void)
{
	struct thread *td = curthread;

	__asm__ __volatile__("" ::: "memory");
	if (--td->td_critcount == 0 && mycpu()->gd_reqflags)
		crit_exit_slow();
}

/* Post a request for this CPU (interrupt-safe: one atomic OR). */
static inline void
cpu_request(struct cpu *c, int flags)
{
	__atomic_fetch_or(&c->gd_reqflags, flags, __ATOMIC_RELAXED);
}

/*
 * Boot CPU, once, before anything else here: make the running boot context
 * thread0 of cpu0.  Each secondary calls lwkt_init_cpu() from its boot
 * context, which becomes that CPU's idle thread.
 */
void lwkt_init_boot(void);
void lwkt_init_cpu(struct cpu *c, struct thread *boot_td);

/*
 * Create a kernel thread running func(arg) on CPU `cpu` at priority pri.
 * It starts runnable.  Returns 0, -EINVAL (bad priority or CPU) or
 * -ENOMEM.  May be called from any CPU;
 * does not block.
 */
int lwkt_create(void (*func)(void *), void *arg, struct cpu *cpu, int pri,
    const char *name, struct thread **tdp);

/*
 * The two halves of lwkt_create: allocate and set up a thread without
 * starting it (the caller may fill in more fields), then start it.
 */
int lwkt_alloc(void (*func)(void *), void *arg, struct cpu *cpu, int pri,
    const char *name, struct thread **tdp);
void lwkt_start(struct thread *td);
/* Free a thread from lwkt_alloc that was never started. */
void lwkt_free_unstarted(struct thread *td);

/* Make td runnable on its CPU.  Any CPU, any context; idempotent. */
void lwkt_schedule(struct thread *td);

/*
 * Block the current thread until lwkt_schedule() wakes it or `timeout`
 * timebase ticks pass (0: no time-out).  The caller is in a critical
 * section and has checked its wake-up condition inside it, so no wake-up
 * can be lost.  Returns 0 when woken, -ETIMEDOUT on time-out.
 */
int lwkt_sleep(uint64_t timeout);

/*
 * lwkt_sleep(0), but first wake `wake`, a thread whose wake-up the caller
 * owes (the IPC fast path: the receiver of our message).  If `wake` is
 * sleeping on this CPU and nothing on the run queue is at its priority or
 * above, switch straight to it without queueing it: lwkt_schedule() and
 * lwkt_sleep() would pick it all the same.  Otherwise it is queued the
 * usual way.  Crit; the caller keeps `wake` from being freed (it is on
 * this CPU and cannot run before we switch).
 */
void lwkt_sleep_handoff(struct thread *wake);

/*
 * The IPC fast path's block (kern/msg_fast.c): the calling thread sleeps
 * and keeps nothing on its kernel stack but its user trap frame; the CPU
 * switches straight to `wake`, which the caller has checked can run
 * (lwkt_sleep_handoff's conditions).  Whatever wakes the caller later
 * resumes it in ipc_cont_resume (kern/msg.c), which finishes its
 * kernel call.  Crit, interrupts off; does not return.
 */
void lwkt_switch_cont(struct thread *wake) __attribute__((noreturn));
/* lwkt_sleep(0) the same way: the CPU runs the best thread it has. */
void lwkt_sleep_cont(void) __attribute__((noreturn));

/*
 * Finish a switch in the context of the thread switched to: prev's
 * registers are saved now, so it may run elsewhere or be freed.  Inline:
 * every switch ends here; a prev that migrates or exited goes out of line.
 */
void lwkt_switch_tail_slow(struct thread *prev);

static inline __attribute__((always_inline)) void
lwkt_switch_tail(struct thread *prev)
{
	mycpu()->gd_stats.cs_switches++;
	curthread->td_switches++;
	if (prev->td_flags & (TDF_MIGRATING | TDF_EXITING))
		lwkt_switch_tail_slow(prev);
	else
		__atomic_store_n(&prev->td_oncpu, 0, __ATOMIC_RELEASE);
}

/* ipc_cont_resume's first step: the end of the switch that resumed us. */
static inline __attribute__((always_inline)) void
lwkt_cont_tail(struct thread *prev)
{
	lwkt_switch_tail(prev);
	curthread->td_flags &= ~TDF_SLEEPING;
}

/* Switch to the best runnable thread (the caller stays runnable or not). Crit. */
void lwkt_switch(void);

/* Let other runnable threads of the same priority run first. */
void lwkt_yield(void);

/* Change the current thread's priority (1..255); may switch. */
void lwkt_setpri_self(int pri);

/*
 * Raise td's priority to pri if it is lower (priority inheritance), on
 * td's CPU: from message passing, or (mutex) from a Sync mutex's waiter,
 * which td_mtxpri remembers until td's unlock.  A thread blocked in SEND
 * or REPLY (kern/ipc_prio.c) or on a mutex (kern/sync.c) is also woken to
 * pass the boost on.  The caller guarantees td exists until the request
 * is queued (a td_holds reference).  Any thread context.
 */
void lwkt_boost(struct thread *td, int pri, bool mutex);

/* Set the current thread's scheduling policy (SCHED_FIFO or SCHED_RR). */
void lwkt_setpolicy_self(int policy);

/*
 * SchedSet of another thread: its own priority becomes pri (its current
 * one too, unless a mutex's waiters keep it higher) and, if policy is not
 * 0, its policy.  Done on td's CPU; the caller waits.  The caller holds td
 * (td_holds).  Thread context.
 */
void lwkt_setsched(struct thread *td, int pri, int policy);

/* Move the current thread to CPU c: it continues there when this returns. */
void lwkt_setcpu_self(struct cpu *c);

/* End the current thread.  Never returns. */
__noreturn void lwkt_exit(void);

/* The idle loop of the calling CPU (never returns). */
__noreturn void lwkt_idle_loop(void);

/* Called on interrupt and kernel-call return: preempt if requested and allowed. */
static inline void
lwkt_preempt_check(void)
{
	if (curthread->td_critcount == 0 && mycpu()->gd_reqflags)
		crit_exit_slow();
}

/* lwkt_preempt_check for a caller that has curthread at hand (td). */
static inline void
lwkt_preempt_check_td(struct thread *td)
{
	if (td->td_critcount == 0 && mycpu()->gd_reqflags)
		crit_exit_slow();
}

/* Round-robin time slice for SCHED_RR threads, in microseconds. */
#define LWKT_RR_SLICE_US	4000

/* Exited threads whose memory is not freed yet (tests wait for 0 before counting). */
int lwkt_reaps_pending(void);

/* Check this CPU's run queue and thread lists for consistency (tests). */
bool lwkt_runq_consistent(void);

#endif
