/*
 * kern/proc.h - processes: an address space, threads, and (issue C) the
 * channel and connection tables.
 *
 * Process objects are shared by all CPUs their threads run on.  pr_lock, a
 * leaf spinlock, protects the thread list and counters below; it is taken
 * with interrupts off and never held across a blocking call or a copy.
 * Fields marked "const" are set at creation and never change.
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include <kern/types.h>
#include <kern/queue.h>
#include <kern/param.h>
#include <kern/spinlock.h>
#include <kern/cputime.h>
#include <kern/signal.h>
#include <kern/lwkt.h>
#include <arch/fpu.h>
#include <arch/trapframe.h>
#include <arch/timer.h>

struct vmspace;
struct thread;
struct cpu;
struct channel;
struct connection;
struct ktimer;
struct trapframe;
struct proc;

/* Process timers (kern/sys_timer.c). */
void ktimer_init(void);
void ktimer_proc_exit(struct proc *p);

#define PROC_NAME_MAX	32

/* pr_abilities: what a process may do beyond the ordinary. */
#define PRA_PROCMGR	0x1	/* create processes, map frames into them (taskman) */
#define PRA_IO		0x2	/* interrupts and device memory (ThreadCtl _NTO_TCTL_IO) */
#define PRA_SYSTEM	(PRA_PROCMGR | PRA_IO)

TAILQ_HEAD(pthreadq, thread);

struct proc {
	/*
	 * First the fields every kernel call and message reads, within the
	 * reach of a load's 12-bit offset (each one past it costs two more
	 * instructions): the signal and itimer tests of the IPC fast path
	 * and of every return to user mode, the channel and connection
	 * tables.
	 */
	int		pr_pid;			/* const */
	struct vmspace	*pr_vm;			/* const */
	uint32_t	pr_abilities;		/* const */
	bool		pr_itimer_on;	/* one of pr_itimer may be armed (relaxed reads: a hint) */
	struct psig	pr_sig;		/* signals (kern/signal.h; pr_lock) */
	struct spinlock	pr_lock;		/* see above */
	struct channel	*pr_chans[PROC_MAX_CHANNELS];	/* pr_lock; index = chid (msg_receive compares one unlocked) */
	struct connection *pr_sconns[PROC_MAX_SIDE_CONNS]; /* pr_lock; side channel */
	struct connection *pr_conns[PROC_MAX_CONNS];	/* pr_lock; index = coid */
	char		pr_name[PROC_NAME_MAX];	/* set at creation and by exec (ThreadExec) */
	struct pthreadq	pr_threads;		/* pr_lock */
	int		pr_nthreads;		/* pr_lock */
	int		pr_next_tid;		/* pr_lock */
	int		pr_status;		/* wait status, WSTATUS_* (kern/signal.h) */
	bool		pr_dying;		/* pr_lock: no new threads, channels, connections */
	bool		pr_dead;		/* pr_lock: torn down (once) */
	int		pr_refs;		/* atomic: 1 while alive, plus holders */
	struct ktimer	*pr_timers[PROC_MAX_TIMERS];	/* pr_lock; index = timer id */
	struct tzombie	*pr_zombies;	/* pr_lock: ended, joinable threads */
	uint32_t	pr_wakegen;	/* pr_lock: rounds of proc_wake_threads */
	int		pr_pgid;	/* atomic: process group (ProcSetGroup), 0: none */
	int		pr_cred[3];	/* atomic each: real, effective, saved uid (ProcSetCred) */
	int		pr_sid;		/* atomic: session (ProcSetCred), 0: none */
	struct channel	*pr_pager;	/* pr_lock: page faults go here (a reference), or NULL */
	uint64_t	pr_runtime;	/* pr_lock: timebase ticks run by its ended threads */
	uint64_t	pr_utime;	/* pr_lock: ... of it in user mode (kern/cputime.h) */
	struct pitimer	pr_itimer[2];	/* pr_lock: ITIMER_VIRTUAL, ITIMER_PROF (kern/cputime.h) */
};

_Static_assert(offsetof(struct proc, pr_conns) < 2048, "struct proc: keep the hot fields first");

/* May p use the process manager's calls (it has PRA_PROCMGR: taskman)? */
static inline bool
proc_is_manager(const struct proc *p)
{
	return (p->pr_abilities & PRA_PROCMGR) != 0;
}

/* Find a live process by pid and lock it (pr_lock held on return). NULL if none. */
struct proc *proc_lookup_lock(int pid, unsigned long *flags);

/*
 * Take a reference on up to max live processes of group pgid, into ps.
 * Returns how many (the caller proc_release()s each).
 */
int proc_hold_group(int pgid, struct proc **ps, int max);

/* Thread tid of p with a hold (td_holds; drop it when done), or NULL.  Takes pr_lock. */
struct thread *proc_thread_hold(struct proc *p, int tid);

/* Find a live process by pid and take a reference; NULL if none. */
struct proc *proc_hold(int pid);
void proc_release(struct proc *p);

/*
 * End every thread of p except `except` (NULL: all); p ends with wait
 * status wstatus (WSTATUS_*) and refuses new threads from now on.  A
 * process without threads ends at once.  Thread context.
 */
void proc_kill(struct proc *p, struct thread *except, int status);

/*
 * End every thread of p except `except` (exec: the process lives on with
 * that one).  Each ends at its next return to user mode.  Thread context.
 */
void proc_kill_threads(struct proc *p, struct thread *except);

/* Boot CPU, once. */
void proc_init(void);

/* A new process with an empty address space.  NULL on ENOMEM. */
struct proc *proc_create(const char *name, uint32_t abilities);

/* The exit record of a joinable thread that ended (STATE_DEAD). */
struct tzombie {
	struct tzombie	*tz_next;
	int		tz_tid;
	int		tz_status;
};

/* The registers a new user thread starts with; all others are zero. */
struct uregs {
	uint64_t	ur_pc;
	uint64_t	ur_sp;
	uint64_t	ur_a0;
	uint64_t	ur_a1;
	uint64_t	ur_ra;		/* where its function returns to */
	uint64_t	ur_gp;		/* the program's global pointer */
	bool		ur_detached;	/* nobody will join it */
	int		ur_policy;	/* SCHED_FIFO or SCHED_RR */
	/* A clone (ThreadClone, for fork) starts with a whole register set: */
	bool		ur_full;	/* ur_regs[1..31] and ur_pc; the fields above but ur_pc ignored */
	bool		ur_has_fpu;	/* and ur_fpu */
	uint64_t	ur_sigmask;	/* its signal mask */
	uint64_t	ur_ss_sp, ur_ss_size;	/* its alternate signal stack */
	uint64_t	ur_regs[32];
	struct fpu_state ur_fpu;
};

/*
 * Create a user thread in p starting with registers r, on CPU c at
 * priority pri, and start it.  Returns its tid (> 0) or -errno.
 */
int proc_thread_create(struct proc *p, const struct uregs *r, int pri, struct cpu *c);

/* The CPU a new thread should start on (the least loaded). */
struct cpu *proc_pick_cpu(void);

/*
 * End the calling user thread with status; the last thread of a process
 * ends the process (its address space is destroyed) with the wait status
 * WSTATUS_EXITED(status), unless it was killed.  Never returns.
 */
__noreturn void proc_thread_exit(int status);

/*
 * End every other thread of the caller's process (ThreadDestroy(-1)),
 * which ends with wait status wstatus:
 * each is woken from any IPC wait and exits at its next return to user
 * mode, wherever it runs.  The process refuses new threads from now on.
 */
void proc_kill_others(int status);

/* Sleep until init (pid 1) has ended; returns its exit status.  thread0. */
int proc_wait_init(void);

/* The channel that receives _PULSE_CODE_PROCDEATH pulses (ProcNotify). */
int proc_set_notify(struct channel *ch, unsigned flags);

/*
 * Tell the process manager about pid: a pulse with code (_PULSE_CODE_PROC*)
 * and value pid << 32 | status on the ProcNotify channel, if any.
 */
void proc_notify_mgr(int code, int pid, int status);

/*
 * Sleep until *flag is set (0), the calling user thread is killed (-EINTR)
 * or gets a signal (-ERESTART, see kern/signal.h), or deadline (timebase
 * ticks, 0: none) passes (-ETIMEDOUT).  The waker
 * sets the flag, then lwkt_schedule()s the thread.  Thread context.
 */
int proc_wait_flag(volatile int *flag, uint64_t deadline);

/* ThreadJoin(tid): wait for it to end; its status in *status.  0 or -errno. */
int proc_thread_join(int tid, int *status);

/*
 * ThreadDetach(tid): nobody will join tid of the caller's process; if it
 * ended already, its exit record goes.  0, -ESRCH or -EINVAL (detached
 * already, or a ThreadJoin waits for it).
 */
int proc_thread_detach(int tid);

/* ThreadDestroy(tid): end another thread of the caller's process.  0 or -ESRCH. */
int proc_thread_kill(int tid, int status);

/*
 * On the way back to user mode (trap context, interrupts off): exit if the
 * thread was killed, then handle signals (kern/signal.h).  The common
 * case, nothing to do, is inline (every kernel call returns through it);
 * proc_user_return_slow() does the work.  The inline test's loads are
 * relaxed: it only decides whether to call the slow path, which loads
 * each flag again with acquire before it acts on it (an acquire load reads
 * the same values a relaxed one can; it only orders what comes after).
 */
void proc_user_return_slow(struct trapframe *tf);

/* proc_user_return_td has something to do for user thread td. */
static inline __attribute__((always_inline)) bool
proc_user_return_pending(const struct thread *td)
{
	const struct proc *p = td->td_proc;
	const struct tsig *ts = &td->td_sig;

	return __atomic_load_n(&td->td_killed, __ATOMIC_RELAXED) || ts->ts_restart ||
	    ts->ts_has_saved || __atomic_load_n(&p->pr_sig.ps_stopped, __ATOMIC_RELAXED) ||
	    ((__atomic_load_n(&ts->ts_pend, __ATOMIC_RELAXED) |
	      __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_RELAXED)) & ~ts->ts_blocked);
}

static inline void
proc_user_return_td(struct thread *td, struct trapframe *tf)	/* td: curthread */
{
	if (td->td_proc != NULL && proc_user_return_pending(td))
		proc_user_return_slow(tf);
}

/* sig_interrupted (kern/signal.h), inline for the IPC wait (kern/msg.c). */
static inline int
sig_interrupted_inline(struct thread *td)
{
	struct proc *p = td->td_proc;
	uint64_t pend;

	if (__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE))
		return -EINTR;
	if (p == NULL)
		return 0;
	pend = __atomic_load_n(&td->td_sig.ts_pend, __ATOMIC_ACQUIRE) |
	    __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_ACQUIRE);
	return (pend & ~__atomic_load_n(&td->td_sig.ts_blocked, __ATOMIC_RELAXED)) ? -ERESTART : 0;
}

static inline void
proc_user_return(struct trapframe *tf)
{
	proc_user_return_td(curthread, tf);
}

/*
 * The user-time boundary (kern/cputime.h), inline because every trap from
 * user mode runs both; interrupts off, the calling thread's own fields.
 * cputime_user_enter: a trap from user mode; td_utime grows by the time
 * since cputime_user_leave, and the process's itimers are checked.
 */
static inline void
cputime_user_enter(struct thread *td)	/* td: curthread */
{
	if (td->td_user_at)
		__atomic_store_n(&td->td_utime, td->td_utime + (timer_now_arch() - td->td_user_at),
		    __ATOMIC_RELAXED);
	td->td_user_at = 0;
	if (td->td_proc && __atomic_load_n(&td->td_proc->pr_itimer_on, __ATOMIC_RELAXED))
		cputime_itimer_enter(td->td_proc);
}

/* Back to user mode next: arm the itimers' callout, start counting user time. */
static inline __attribute__((always_inline)) void
cputime_user_leave(struct thread *td)	/* td: curthread */
{
	struct proc *p = td->td_proc;

	if (p && __atomic_load_n(&p->pr_itimer_on, __ATOMIC_RELAXED))
		cputime_itimer_leave(p);
	td->td_user_at = timer_now_arch();
}

/*
 * Wake every thread of p and send each CPU running one an IPI, so each
 * passes through proc_user_return or re-checks its wait.  Thread context.
 */
void proc_wake_threads(struct proc *p);

/*
 * Wake td out of any sleep and out of user mode, then drop the hold
 * (td_holds) the caller took on it under pr_lock.  Any thread context.
 */
void proc_nudge(struct thread *td);

/* The saved user registers of user thread td (top of its kernel stack). */
static inline struct trapframe *
proc_user_frame(struct thread *td)
{
	return (struct trapframe *)(td->td_kstack_top - sizeof(struct trapframe));
}

/*
 * A page fault the kernel cannot resolve (kern/pager.c): if the process has
 * a pager, wait for its answer and return 0 with *signo = 0 (retry) or the
 * signal to raise; -ENOENT without a pager (or if it is gone).  The calling
 * user thread, interrupts on.
 */
int pager_fault(uint64_t addr, unsigned access, int *signo);

/* Make the current CPU run in td's address space if it is a user thread. */
void proc_switch_vm(struct thread *td);

/*
 * CPU time in timebase ticks: of the current thread (to this moment), and
 * of process p (its ended threads plus its live ones; a live thread on
 * another CPU counts up to its last switch-out).
 */
uint64_t thread_cputime_self(void);
uint64_t proc_cputime(struct proc *p);

#endif
