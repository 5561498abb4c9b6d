/*
 * kern/signal.h - POSIX signals with QNX's kernel calls (Signal*).
 *
 * State.  A process has the actions (struct ksigact per signal), the
 * address of its return stub, signals pending on the process and whether
 * it is stopped.  A thread has its mask and the signals pending on it
 * (thread-directed: SignalKill with a tid, faults, SIGEV_SIGNAL_THREAD).
 * Pending signals are not queued: one record per signal number, the first
 * one sent wins until it is delivered (real-time queueing: not yet).
 *
 * Locking.  All of it is protected by the process's pr_lock, a leaf
 * spinlock.  Waiters read td_sigpend/pr_sigpend/td_sigblocked without the
 * lock (atomic loads) to decide whether to stop waiting; the sender sets
 * the bit under pr_lock and then wakes the thread, the same order as a
 * kill (td_killed), so no wake-up is lost.
 *
 * Actions happen in two places.  At generation (sig_post) the kernel does
 * what cannot wait: SIGKILL, a default "terminate" action the target does
 * not block, stop and continue.  Everything else waits in the pending sets
 * until a thread that does not block it returns to user mode
 * (sig_user_return), which runs a handler or the default action.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include <kern/types.h>
#include <abi/signal.h>

struct proc;
struct thread;
struct trapframe;

#define NSIG_K		__ABI_NSIG	/* signals 1..64 */
#define SIGBIT(s)	(1ULL << ((s) - 1))
#define SIG_UNCATCHABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/*
 * Kernel-internal result of an interrupted wait that may be restarted:
 * the kernel-call return path turns it into a restart (the ecall runs
 * again) or -EINTR, depending on the handler's SA_RESTART.  Never reaches
 * user space.
 */
#define ERESTART	512

/* One pending signal's information (what siginfo_t reports). */
struct ksiginfo {
	int32_t		ksi_signo;
	int32_t		ksi_code;	/* SI_* or a fault code */
	int32_t		ksi_pid;	/* sender (0: the kernel) */
	int32_t		ksi_status;	/* SIGCHLD */
	int64_t		ksi_value;	/* sigval, or the fault address */
};


/* A signal's action (SignalAction). */
struct ksigact {
	uint64_t	ka_handler;	/* __ABI_SIG_DFL, __ABI_SIG_IGN or an address */
	uint64_t	ka_flags;	/* SA_* */
	uint64_t	ka_mask;	/* blocked during the handler */
};

/* The big tables live out of line: struct proc and struct thread must each fit a page. */
struct psigtab {
	struct ksigact	pt_act[NSIG_K];
	struct ksiginfo	pt_info[NSIG_K];	/* of the signals in ps_pend */
};

/* Per-process signal state, in struct proc (pr_lock). */
struct psig {
	struct psigtab	*ps_tab;	/* actions and pending info (const pointer) */
	uint64_t	ps_stub;	/* SignalAction's sigstub: the return trampoline */
	uint64_t	ps_pend;	/* process-directed pending signals */
	bool		ps_stopped;	/* stopped by a stop signal, until SIGCONT */
	uint64_t	ps_initmask;	/* the first thread's mask (SignalProcmask by the manager) */
};

/* Per-thread signal state, in struct thread (its process's pr_lock). */
struct tsig {
	uint64_t	ts_blocked;	/* the mask; written only by the thread itself */
	uint64_t	ts_pend;	/* thread-directed pending signals */
	struct ksiginfo	*ts_info;	/* [NSIG_K]: info of those (const pointer) */
	uint64_t	ts_saved;	/* SignalSuspend: the mask to restore after the handler */
	bool		ts_has_saved;
	bool		ts_restart;	/* the last kernel call returned ERESTART */
	uint64_t	ts_restart_a0;	/* ... and its first argument */
	/*
	 * The alternate signal stack (SignalAltstack; 0, 0: none).  Written
	 * by the thread itself, by ThreadClone before the thread first runs
	 * (fork inherits it) and by ThreadExec while it is REPLY-blocked
	 * (exec drops it); a new thread has none.
	 */
	uint64_t	ts_ss_sp;	/* lowest address */
	uint64_t	ts_ss_size;	/* bytes (>= __ABI_MINSIGSTKSZ), 0: disabled */
};

/*
 * Send a signal to process p (tid 0) or to its thread tid.  si->ksi_signo
 * is 1..64.  Thread context, no locks held; with SIGPOST_DEFER also
 * interrupt context: then nothing is done at once (no kill, no stop), the
 * signal is only made pending and a thread woken to act on it.  0 or
 * -ESRCH (no such thread, or p is dying).
 */
#define SIGPOST_DEFER	0x1
int sig_post(struct proc *p, int tid, const struct ksiginfo *si, int flags);

/*
 * Is signal signo pending on p (tid 0) or on its thread tid?  A timer
 * whose signal is still pending counts an overrun instead of sending it
 * again (POSIX: one signal per timer at a time).  Any context.
 */
bool sig_is_pending(struct proc *p, int tid, int signo);

/*
 * A waiting thread asks whether to stop waiting: 0 (keep waiting), -EINTR
 * (killed) or -ERESTART (a signal it does not block is pending, or its
 * process is being stopped).  Lock-free; td is the calling thread.
 */
int sig_interrupted(struct thread *td);

/*
 * On the way back to user mode (trap context, interrupts on): stop while
 * the process is stopped, then act on one deliverable signal: run the
 * default action or push a handler frame onto the user stack.  Also
 * resolves a pending ERESTART (restart the call or return -EINTR).
 */
void sig_user_return(struct trapframe *tf);

/*
 * A synchronous fault in user mode: deliver signo to the calling thread if
 * it has a handler and does not block it; otherwise end the process with
 * signo.  Returns true if a handler will run, false if the caller must end
 * the process.  Interrupts on.
 */
bool sig_fault(int signo, int code, uint64_t addr);

/*
 * SignalAction for p: *old gets the current action (if old), new replaces
 * it (if new; SIG_IGN discards pending ones), stub becomes the return
 * trampoline if non-zero.  signo is 1..64, checked.  Returns 0.
 */
int sig_action(struct proc *p, int signo, const struct ksigact *new, struct ksigact *old,
    uint64_t stub);

/* Has p given SignalAction a return stub yet? */
bool sig_has_stub(struct proc *p);

/* SignalProcmask for the calling thread td: apply how/set; returns the old mask. */
uint64_t sig_setmask(struct thread *td, int how, uint64_t set);

/*
 * SignalSuspend: wait with mask until a signal comes (-EINTR) or deadline
 * (timebase ticks, 0: none) passes (-ETIMEDOUT).
 */
int sig_suspend(uint64_t mask, uint64_t deadline);

/*
 * SignalWaitinfo: take a pending signal of set into *si and return its
 * number; -EINTR (killed, or another signal is deliverable) or -ETIMEDOUT
 * (deadline, timebase ticks; 0: none).
 */
int sig_waitinfo(uint64_t set, struct ksiginfo *si, uint64_t deadline);

/* Fill the user's siginfo_t from si. */
void sig_fill_info(struct __abi_siginfo *s, const struct ksiginfo *si);

/* Boot CPU, once. */
void sig_init(void);

/* Set up and tear down a process's and a thread's signal state.  0 or -ENOMEM. */
int sig_proc_init(struct proc *p);
void sig_proc_fini(struct proc *p);
/*
 * fork: dst (no threads yet) gets src's signal actions and return stub.
 * Takes both pr_locks, in address order.
 */
void sig_proc_copy(struct proc *dst, struct proc *src);

/*
 * exec: caught signals go back to SIG_DFL; ignored ones stay ignored
 * (POSIX); a default action's flags are cleared (Linux).
 */
void sig_exec_reset(struct proc *p);

/*
 * spawn: dst (no threads yet) ignores what src ignores, but for the
 * signals in keep_dfl (bit signo - 1), which stay SIG_DFL: spawn is
 * fork + exec (POSIX; posix_spawn's POSIX_SPAWN_SETSIGDEF).
 */
void sig_proc_inherit_ign(struct proc *dst, struct proc *src, uint64_t keep_dfl);

/*
 * The first thread's mask of p, which has no thread yet: how (SIG_BLOCK...,
 * or -1 to only read) with set.  Returns the old mask, or (uint64_t)-1 if p
 * has threads already.
 */
uint64_t sig_initmask(struct proc *p, int how, uint64_t set);

/* A new thread's mask is its creator's (a first thread's: ps_initmask). */
int sig_thread_init(struct thread *td, const struct thread *creator);
void sig_thread_fini(struct thread *td);

/* The wait status of a process ended by signo (POSIX/Linux encoding). */
#define WSTATUS_SIGNALED(signo)	((signo) & 0x7f)
#define WSTATUS_EXITED(code)	(((code) & 0xff) << 8)
#define WSTATUS_STOPPED(signo)	((((signo) & 0xff) << 8) | 0x7f)
#define WSTATUS_CONTINUED	0xffff

/* Default actions. */
bool sig_default_ignores(int signo);
bool sig_default_stops(int signo);

/*
 * Where a handler frame for act goes (td is the calling thread, sp its
 * user stack pointer): the top of td's alternate stack for an SA_ONSTACK
 * action when td has one and is not on it already, otherwise sp.  *uc
 * gets what the frame's uc_stack reports (the alternate stack, and
 * whether sp was on it).
 */
uint64_t sig_stack_pick(const struct thread *td, const struct ksigact *act, uint64_t sp,
    struct __abi_stack *uc);

/* Is sp on td's alternate stack (Linux's rule: above its base, at most at its top)? */
bool sig_on_altstack(const struct thread *td, uint64_t sp);

/* Handler frames (arch/<arch>/sigframe.c). */
/*
 * Push a frame for si onto the user stack of the calling thread (frame tf)
 * and set tf up to enter act's handler with mask `saved` recorded as the
 * mask to restore.  0, or -EFAULT if the stack cannot take the frame.
 */
int sig_frame_push_arch(struct trapframe *tf, const struct ksigact *act, uint64_t stub,
    const struct ksiginfo *si, uint64_t saved);
/*
 * SignalReturn: restore tf and the FP state from the ucontext at uc;
 * the mask to set in *mask.  0 or -EFAULT.
 */
int sig_frame_pop_arch(struct trapframe *tf, uint64_t uc, uint64_t *mask);

#endif
