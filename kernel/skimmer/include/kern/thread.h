/*
 * kern/thread.h - kernel threads (DragonFly's struct thread).
 *
 * Ownership: a thread belongs to exactly one CPU, td_cpu.  Only that CPU
 * touches td_runq, td_pri, td_flags and the run queue the thread is on, and
 * only inside a critical section.  Other CPUs act on a thread by sending a
 * function to its CPU through the IPI queues (lwkt_schedule does this for
 * them).  The exceptions are the two fields marked "remote" below.
 *
 * Lifetime: whoever wakes a thread from another CPU must guarantee the
 * thread still exists when the IPI runs; a thread exits only from its own
 * context (lwkt_exit), and its stack and struct are freed by its CPU after
 * it has switched away for the last time.
 */
#ifndef KERN_THREAD_H
#define KERN_THREAD_H

#include <kern/types.h>
#include <kern/param.h>
#include <kern/queue.h>
#include <kern/msgport.h>
#include <kern/ipc.h>
#include <abi/msg.h>
#include <arch/fpu.h>
#include <kern/signal.h>

struct cpu;
struct proc;
struct uregs;
struct tzombie;

#define TD_NAME_MAX	16
#define KSTACK_MAGIC	0x5354414b4d414749UL	/* at the stack's low end */
#define KSTACK_UFRAME	512	/* top of every kernel stack: a user thread's trap
				   frame lives there, so kernel code starts below */

/* Scheduling policies (QNX/POSIX numbering). */
#define SCHED_FIFO	1	/* runs until it blocks or yields */
#define SCHED_RR	2	/* FIFO plus a time slice within its priority */

struct thread {
	TAILQ_ENTRY(thread) td_runq;	/* run queue link (owner cpu, crit) */
	TAILQ_ENTRY(thread) td_allq;	/* cpu's list of all its threads (owner cpu) */
	vaddr_t		td_sp;		/* saved stack pointer while switched out */
	struct cpu	*td_cpu;	/* owner CPU; changed only by migration (remote: read) */
	int		td_pri;		/* current priority, 0..255 */
	int		td_policy;	/* SCHED_FIFO or SCHED_RR */
	uint32_t	td_flags;	/* TDF_* below (owner cpu, crit) */
	int		td_critcount;	/* critical-section nesting (the thread itself) */
	volatile int	td_oncpu;	/* 1 from switch-in until its context is saved
					   after switch-out (remote: read to wait) */
	struct cpu	*td_migrate_to;	/* target CPU while TDF_MIGRATING */
	void		*td_kstack;	/* base of the kernel stack (lowest address) */
	vaddr_t		td_kstack_top;	/* td_kstack + KSTACK_SIZE (thread_set_kstack) */
	void		(*td_func)(void *);	/* entry point */
	void		*td_arg;
	struct msgport	td_msgport;	/* the thread's own port (replies, waits) */
	uint64_t	td_switches;	/* times switched in (statistics) */
	uint64_t	td_runtime;	/* timebase ticks run, up to its last switch-out (its CPU writes) */
	uint64_t	td_utime;	/* ... of them in user mode, up to its last trap (itself; kern/cputime.h) */
	uint64_t	td_user_at;	/* timer_now() when it last went to user mode; 0: in the kernel */
	uint64_t	td_slice_end;	/* SCHED_RR: time the slice ends (timebase) */
	char		td_name[TD_NAME_MAX];
	int		td_fpu_dirty;	/* FP registers changed since saved (owner cpu) */
	struct proc	*td_proc;	/* process of a user thread; NULL: kernel thread */
	TAILQ_ENTRY(thread) td_plink;	/* on td_proc->pr_threads (pr_lock) */
	int		td_tid;		/* thread id in its process, from 1 */
	/* IPC (kern/ipc.h): fields below are protected by the ch_lock of
	   td_ipcchan while the thread is queued, and owned by the claimer
	   of the transaction afterwards. */
	TAILQ_ENTRY(thread) td_ipclink;	/* on a channel queue */
	int		td_state;	/* QNX STATE_* */
	struct channel	*td_ipcchan;	/* channel blocked on, with a reference */
	struct ubuf	td_sbuf;	/* client: message to send */
	struct ubuf	td_rbuf;	/* client: reply buffer; server: receive buffer */
	int64_t		td_slen;	/* client: size of td_sbuf */
	int64_t		td_rlen;	/* size of td_rbuf */
	uaddr_t		td_rinfo;	/* server: where MsgReceive's info goes (0: none) */
	int		td_contcall;	/* the kernel call blocked on the IPC fast path
					   (ipc_cont_call), 0 if none; not the frame's a7,
					   which ThreadExec may have rewritten */
	int		td_scoid;	/* client: the connection's scoid and coid */
	int		td_coid;
	int		td_slot;	/* rcvid slot, 0 = none */
	int		td_rcvid;	/* our current message's rcvid (ipc_rcvid): the
					   message generation (bumped per send, so the
					   rcvids of old messages go stale) << 22 | the
					   slot's generation when we got it << 12 |
					   td_slot */
	volatile int	td_ipcdone;	/* the peer finished our transaction */
	bool		td_ipcnoslot;	/* ... claimed through its rcvid (MsgReply, MsgError):
					   no rcvid lookup reaches td_ipcchan (ipc_drop_chan) */
	int		td_ipcbusy;	/* atomic: peers copying our buffers (receive, MsgRead/Write) */
	int64_t		td_ipcresult;	/* what our blocked call returns */
	struct thread	*td_ipcpeer;	/* server: the client whose message it got */
	struct channel	*td_workchan;	/* server: working on a message of it (a reference) */
	TAILQ_ENTRY(thread) td_worklink; /* on td_workchan->ch_workers (its ch_lock) */
	int		td_boostpri;	/* atomic: priority lwkt_boost is raising us to */
	int		td_ipcprop;	/* atomic: boosted while blocked in IPC: pass it on */
	int		td_mtxboostpri;	/* atomic: priority a mutex waiter is raising us to */
	int		td_mtxpri;	/* inherited from waiters on our Sync mutexes (owner cpu) */
	int		td_syncprop;	/* atomic: boosted while blocked on a mutex: pass it on */
	uint32_t	td_sync_owner;	/* SyncMutexLock: the tid we wait for (bucket lock) */
	uint64_t	td_page_addr;	/* STATE_WAITPAGE: the faulting address (kern/pager.c) */
	unsigned	td_page_access;	/* ... and the access (PF_READ/WRITE/EXEC) */
	int		td_page_signo;	/* the pager's answer: 0 retry, or a signal */
	int		td_page_done;	/* atomic: the pager answered */
	int		td_basepri;	/* priority without IPC inheritance */
	bool		td_pulseonly;	/* server: in MsgReceivePulse (no messages) */
	struct _msg_info td_msginfo;	/* server: info of the message it received:
					   only .priority unless td_rinfo asked for it */
	struct uregs	*td_uregs;	/* first user registers (creation only) */
	int		td_killed;	/* atomic: exit at the next return to user */
	uint32_t	td_tmo_flags;	/* TimerTimeout: states (1 << STATE_x) it bounds */
	bool		td_tmo_now;	/* ... an immediate time-out (ntime NULL) */
	uint64_t	td_tmo_deadline; /* ... absolute, timebase ticks */
	bool		td_unblock_req;	/* REPLY-blocked and asked to unblock (UNBLOCK pulse sent) */
	int		td_intr_pending; /* atomic: SIGEV_INTR events for InterruptWait */
	paddr_t		td_futex_pa;	/* FutexWait: the word waited on (bucket lock) */
	volatile int	td_futex_woken;	/* FutexWake took us off the queue (atomic) */
	int		td_holds;	/* atomic: others using this struct; exit waits */
	int		td_reap_pending; /* after exit: bounces still to come (home cpu) */
	int		td_exit_status;	/* status a ThreadDestroy of this thread gave */
	bool		td_detached;	/* nobody joins it: no exit record (pr_lock) */
	struct thread	*td_joiner;	/* the thread in ThreadJoin on us (pr_lock) */
	struct tzombie	*td_zombie;	/* its exit record, allocated up front */
	volatile int	td_join_done;	/* ThreadJoin: the target ended (pr_lock) */
	int		td_join_status;	/* ... with this status */
	uint32_t	td_wakegen;	/* proc_wake_threads: last round that woke us (pr_lock) */
	uint64_t	td_sigwait;	/* SignalWaitinfo: the set waited for (pr_lock) */
	struct tsig	td_sig;		/* signals (kern/signal.h; pr_lock) */
	struct fpu_state td_fpu;	/* saved FP registers, valid with TDF_FPU */
};

/*
 * The deadline (timebase ticks) a TimerTimeout set for td's next wait in
 * state (STATE_*), or 0 for none; 1 for an immediate time-out.
 */
static inline uint64_t
thread_tmo_deadline(const struct thread *td, int state)
{
	if (!(td->td_tmo_flags & (1U << state)))
		return 0;
	return td->td_tmo_now ? 1 : td->td_tmo_deadline;
}

/* td_flags */
#define TDF_RUNQ	0x0001	/* on its CPU's run queue */
#define TDF_IDLE	0x0002	/* the CPU's idle thread: never on a run queue */
#define TDF_MIGRATING	0x0004	/* in transit: moving to td_migrate_to, or new; wakes
				   do not queue it until migrate_arrive/create_here */
#define TDF_EXITING	0x0008	/* exited: free after it switched out */
#define TDF_SLEEPING	0x0010	/* descheduled in lwkt_sleep, waiting for a wake */
#define TDF_TIMEDOUT	0x0020	/* woken by the lwkt_sleep time-out, not a wake */
#define TDF_STATIC	0x0040	/* struct and stack not allocated (thread0, idle) */
#define TDF_PREEMPTED	0x0080	/* last switched out involuntarily (statistics) */
#define TDF_FPU		0x0100	/* has used the FPU: td_fpu holds its state */

/* td's kernel stack is base (KSTACK_SIZE bytes), or none (NULL). */
static inline void
thread_set_kstack(struct thread *td, void *base)
{
	td->td_kstack = base;
	td->td_kstack_top = base ? (vaddr_t)base + KSTACK_SIZE : 0;
}

#endif
