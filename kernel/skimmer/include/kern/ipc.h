/*
 * kern/ipc.h - QNX message passing: channels, connections, rcvids, pulses.
 *
 * Objects and their locks (all leaf spinlocks, taken with interrupts off,
 * never held across a copy or a sleep):
 *
 *   struct channel   ch_lock protects the three thread queues, the pulse
 *                    queue and ch_dead.  A thread is on at most one queue,
 *                    of the channel in td_ipcchan, and its td_state says
 *                    which: STATE_RECEIVE (ch_receivers), STATE_SEND
 *                    (ch_senders, by priority) or STATE_REPLY (ch_repliers).
 *   struct connection  immutable after ConnectAttach, reached through the
 *                    owner's table under pr_lock; holds a channel reference.
 *   rcvid slots      a table of user threads; slot_lock[slot % N] (striped,
 *                    not global) protects a slot and its generation.  Lock
 *                    order: slot stripe, then ch_lock, then pr_lock.
 *
 * "Claiming": whoever removes a thread from a channel queue under ch_lock
 * owns the transaction and must finish it by setting td_ipcdone and waking
 * the thread.  A blocked thread that is woken for another reason (kill)
 * first tries to remove itself; if it is no longer queued, someone has
 * claimed it and it waits for td_ipcdone.  So buffers of a blocked thread
 * stay valid while the peer copies.
 *
 * Channels are reference-counted (ch_refs: the owner's table, each
 * connection, each thread queued on it); a destroyed channel is freed with
 * its last reference.
 */
#ifndef KERN_IPC_H
#define KERN_IPC_H

#include <kern/types.h>
#include <kern/queue.h>
#include <kern/spinlock.h>
#include <kern/vm.h>
#include <abi/errno.h>

struct proc;
struct thread;

TAILQ_HEAD(ipcq, thread);

struct pulse_rec {
	TAILQ_ENTRY(pulse_rec) pu_link;	/* on ch_pulses (ch_lock) */
	int		pu_pri;		/* priority: higher first, FIFO within */
	int8_t		pu_code;
	int64_t		pu_value;
	int32_t		pu_scoid;
};
TAILQ_HEAD(pulseq, pulse_rec);

struct channel {
	struct spinlock	ch_lock;
	int		ch_chid;	/* const */
	struct proc	*ch_proc;	/* owner (const; not a reference: valid
					   while !ch_dead, see ipc_proc_exit) */
	int		ch_pid;		/* owner's pid (const) */
	uint32_t	ch_flags;	/* _NTO_CHF_* (const) */
	struct ipcq	ch_receivers;	/* RECEIVE-blocked server threads */
	struct ipcq	ch_senders;	/* SEND-blocked clients, by priority */
	struct ipcq	ch_repliers;	/* REPLY-blocked clients */
	struct ipcq	ch_workers;	/* threads working on a message from here (kern/ipc_prio.c) */
	TAILQ_HEAD(, connection) ch_conns; /* connections to it, for COIDDEATH (ch_lock) */
	struct pulseq	ch_pulses;	/* queued pulses, by priority */
	int		ch_npulses;
	bool		ch_dead;	/* destroyed: new operations fail */
	int		ch_refs;	/* atomic */
};

struct connection {
	int		co_coid;	/* const */
	uint32_t	co_flags;	/* _NTO_COF_* (const) */
	struct channel	*co_chan;	/* a reference (const) */
	int		co_scoid;	/* server connection id, unique (const) */
	int		co_pid;		/* owner process id (const) */
	TAILQ_ENTRY(connection) co_chlink; /* on co_chan->ch_conns (its ch_lock) */
	bool		co_linked;	/* on ch_conns (ch_lock) */
	bool		co_told;	/* its owner heard of the channel's death (ch_lock) */
};

/*
 * A user buffer: linear (iu_parts < 0: iu_base, iu_len) or an iov array
 * in user memory (iu_parts >= 0 entries at iu_base).
 */
struct ubuf {
	uaddr_t		ub_base;
	int64_t		ub_len;		/* linear length, or number of iov parts */
	bool		ub_iov;
};

/* Boot CPU, once. */
void ipc_init(void);

/* Channel references for other subsystems (the process-death channel). */
void ipc_chan_hold(struct channel *ch);
void ipc_chan_release(struct channel *ch);
struct proc *ipc_chan_owner(const struct channel *ch);
struct channel *ipc_chan_lookup(struct proc *p, long chid);	/* with a reference */
int ipc_pulse(struct channel *ch, int code, int64_t value, int pri);

/* rcvid slots for user threads: 0 or -EAGAIN; release on exit. */
int ipc_thread_init(struct thread *td);
void ipc_thread_fini(struct thread *td);

/* Tear down a dying process's channels and connections (its last thread). */
void ipc_proc_exit(struct proc *p);
/* p replaces its program (ThreadExec): its channels go, and its _NTO_COF_CLOEXEC connections. */
void ipc_proc_exec(struct proc *p);

/* Unblock td from any IPC state with error (kill); td's own context. */
void ipc_cancel_self(int error);

/* Total bytes an iov buffer describes, or -EFAULT/-EINVAL (kern/ipcbuf.c). */
int64_t ubuf_size_iov(struct vmspace *vs, const struct ubuf *ub);

/* Total bytes a buffer describes, or -EFAULT/-EINVAL.  A linear one inline: every message sizes two. */
static inline int64_t
ubuf_size(struct vmspace *vs, const struct ubuf *ub)
{
	if (!ub->ub_iov)
		return ub->ub_len < 0 ? -EINVAL : ub->ub_len;
	return ubuf_size_iov(vs, ub);
}

/*
 * Copy up to max bytes from (svs, src at offset soff) to (dvs, dst at
 * offset doff).  Returns bytes copied, or -EFAULT with *srcfault telling
 * which side faulted.
 */
int64_t ubuf_copy(struct vmspace *dvs, const struct ubuf *dst, uint64_t doff,
    struct vmspace *svs, const struct ubuf *src, uint64_t soff, uint64_t max,
    bool *srcfault);

/*
 * td (the caller, or an exiting thread) stops working for the channel it
 * last received a message on (kern/ipc_prio.c).  No locks held.
 */
void ipc_worker_leave(struct thread *td);

/*
 * The fast path (kern/msg.c; docs/performance.md): trap.S calls these
 * instead of trap_kercall for MsgSend, MsgReplyReceive, MsgReceive and
 * MsgReply, interrupts off.  When the call's case holds, the caller
 * blocks keeping only its trap frame and the CPU switches to its peer
 * (or, for MsgReceive, the best thread it has; MsgReply does not block); otherwise, having changed
 * nothing but the user-time boundary, they run the general path
 * (trap_kercall_entered: trap_kercall after its cputime_user_enter).  ipc_cont_resume
 * (kern/msg.c) finishes a call that blocked so when its thread runs again.
 */
struct trapframe;
void ipc_fast_MsgSend(struct trapframe *tf);
void ipc_fast_MsgReplyReceive(struct trapframe *tf);
void ipc_fast_MsgReceive(struct trapframe *tf);
void ipc_fast_MsgReply(struct trapframe *tf);
void trap_kercall_entered(struct trapframe *tf);

#endif
