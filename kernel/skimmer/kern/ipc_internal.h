/*
 * kern/ipc_internal.h - shared between kern/channel.c, kern/msg.c and
 * kern/ipc_slots.c.  See kern/ipc.h for the locking rules.
 */
#ifndef KERN_IPC_INTERNAL_H
#define KERN_IPC_INTERNAL_H

#include <kern/ipc.h>
#include <kern/kobj.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/spinlock.h>
#include <kern/thread.h>
#include <abi/neutrino.h>

/* Flags Skimmer implements; others are refused with EINVAL. */
#define CHF_SUPPORTED	(_NTO_CHF_FIXED_PRIORITY | _NTO_CHF_UNBLOCK | \
			 _NTO_CHF_DISCONNECT | _NTO_CHF_SENDER_LEN | \
			 _NTO_CHF_REPLY_LEN | _NTO_CHF_PRIVATE | _NTO_CHF_COID_DISCONNECT)
#define COF_SUPPORTED	(_NTO_COF_CLOEXEC | _NTO_COF_NOSHARE)

/* td_ipcresult of a receiver whose message fell through: receive again. */
#define IPC_RETRY	(-1000)

/* What a connection lookup hands back (the channel reference is held). */
struct conn_ref {
	struct channel	*cr_chan;
	int		cr_scoid;
	int		cr_coid;
	uint32_t	cr_flags;
};

extern struct kobj_cache pulse_cache;

/* Free a channel whose last reference went (kern/channel.c). */
void chan_free(struct channel *ch);

/* Take a reference on ch (the caller holds one, or the lock of a table holding one). */
static inline __attribute__((always_inline)) void
chan_hold(struct channel *ch)
{
	__atomic_fetch_add(&ch->ch_refs, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one frees ch.  Inline: each message takes and drops several. */
static inline __attribute__((always_inline)) void
chan_release(struct channel *ch)
{
	if (__atomic_sub_fetch(&ch->ch_refs, 1, __ATOMIC_ACQ_REL) == 0)
		chan_free(ch);
}
/* The slot array and size of p's ordinary or side-channel connections. */
static inline struct connection **
conn_table(struct proc *p, bool side, int *n)
{
	*n = side ? PROC_MAX_SIDE_CONNS : PROC_MAX_CONNS;
	return side ? p->pr_sconns : p->pr_conns;
}

/* cr refers to co's channel (a reference held) and says what co is.  pr_lock held. */
static inline void
conn_ref_take(struct conn_ref *cr, const struct connection *co)
{
	chan_hold(co->co_chan);
	cr->cr_chan = co->co_chan;
	cr->cr_scoid = co->co_scoid;
	cr->cr_coid = co->co_coid;
	cr->cr_flags = co->co_flags;
}

/* conn_lookup with p's pr_lock held. */
static inline __attribute__((always_inline)) bool
conn_lookup_locked(struct proc *p, long coid, struct conn_ref *cr)
{
	bool side = (coid & _NTO_SIDE_CHANNEL) != 0;
	/* Unsigned: a negative coid, or one past 31 bits, is past every table. */
	uint64_t idx = (uint64_t)coid & ~(uint64_t)_NTO_SIDE_CHANNEL;
	struct connection **tab, *co = NULL;
	int n;

	tab = conn_table(p, side, &n);
	if (idx < (uint64_t)n && (co = tab[idx]) != NULL)
		conn_ref_take(cr, co);
	else
		*cr = (struct conn_ref){ NULL, 0, 0, 0 };	/* defined, for the compiler */
	return co != NULL;
}

/*
 * The connection coid of p: its channel, with a reference, in *cr.
 * Inline: every MsgSend looks one up.  (With interrupts off already, as
 * on the IPC fast path: conn_lookup_locked under spin_lock.)
 */
static inline __attribute__((always_inline)) bool
conn_lookup(struct proc *p, long coid, struct conn_ref *cr)
{
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	bool ok = conn_lookup_locked(p, coid, cr);

	spin_unlock_irqrestore(&p->pr_lock, fl);
	return ok;
}

struct channel *chan_lookup_hold(struct proc *p, long chid);

/* Remove td from queue q of ch (ch_lock held) and record its result. */
static inline __attribute__((always_inline)) void
ipc_claim_locked(struct channel *ch, struct ipcq *q, struct thread *td, int64_t result)
{
	(void)ch;
	TAILQ_REMOVE(q, td, td_ipclink);
	td->td_state = STATE_READY;
	td->td_ipcresult = result;
}
/* Hand a claimed transaction back to its thread: done, and wake it (no locks held). */
void ipc_finish(struct thread *td);

/* Queue or deliver a pulse on ch.  0 or -EAGAIN (queue full) / -ESRCH (dead). */
int ipc_pulse_send(struct channel *ch, int code, int64_t value, int scoid, int pri, bool fail_full);

/* What a server may learn and use of a REPLY-blocked client (MsgRead etc). */
struct client_snap {
	struct ubuf	cs_sbuf;
	int64_t		cs_slen;
	struct ubuf	cs_rbuf;
	int64_t		cs_rlen;
	int		cs_pid, cs_tid, cs_pri, cs_scoid, cs_coid, cs_chid;
	bool		cs_unblock;	/* asked to unblock (_NTO_MI_UNBLOCK_REQ) */
};

/* kern/msg.c */
long msg_send(long coid, const struct ubuf *sb, const struct ubuf *rb);
long msg_send_linear(long coid, uaddr_t smsg, long sbytes, uaddr_t rmsg, long rbytes);
long msg_receive(long chid, const struct ubuf *rb, uaddr_t info, bool pulses_only,
    struct thread *replied);
long msg_receive_linear(long chid, uaddr_t msg, long bytes, uaddr_t info, struct thread *replied);
int64_t deliver_pulse(struct thread *r, struct pulse_rec *pu);
void msg_make_info(struct _msg_info *mi, const struct client_snap *c,
    const struct channel *ch, int64_t msglen);

/*
 * The short copy (kern/ipcbuf.c): messages of up to IPC_SHORT_MAX bytes
 * between two linear buffers go through a kernel bounce buffer with
 * direct accesses through the MMU (arch/riscv64/ucopy.S), instead of
 * vm_copy's page walks under both vs_locks.  One of the two spaces must
 * be the one active on this CPU; the other one is made active for its
 * half of the copy (a satp write: spaces have ASIDs) and the first one
 * again after it, all with interrupts off, so no shoot-down of either
 * space's pages passes the copy.  True if the n bytes were copied; false
 * if they could not be, for any reason (a fault, a copy-on-write page,
 * an address out of range): the caller then runs the general copy, which
 * decides what the fault is and reports it as it always has.  Any
 * context; takes no lock; may be called with spinlocks held.
 */
#define IPC_SHORT_MAX	256
bool ipc_short_copy(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src,
    uint64_t n);

/*
 * The same for n <= IPC_SHORT_MAX bytes of kernel memory into user
 * address dst of vs, which must be the space active on this CPU (the
 * caller's): true if copied, false if the caller must use vm_copyout.
 */
bool ipc_short_copyout(struct vmspace *vs, uaddr_t dst, const void *src, uint64_t n);

/* Both buffers linear and n short enough for ipc_short_copy. */
static inline bool
ipc_short_ok(const struct ubuf *d, const struct ubuf *s, int64_t n)
{
	return !d->ub_iov && !s->ub_iov && n <= IPC_SHORT_MAX;
}

/* Copy len bytes of kernel memory into ub.  Bytes copied or -EFAULT. */
int64_t ubuf_copyout(struct vmspace *vs, const struct ubuf *ub, const void *src, int64_t len);

/* rcvid slots (kern/ipc_slots.c). */
void ipc_slots_init(void);

#define RCVID_SLOT_BITS	12	/* rcvid = msggen << 22 | slotgen << 12 | slot */
#define RCVID_MSGGEN_SHIFT 22	/* msggen: 9 bits, so an rcvid is positive */

/* The rcvid of td's current message (kept in td_rcvid: every message gets one). */
static inline int
ipc_rcvid(const struct thread *td)
{
	return td->td_rcvid;
}

/* The slot generation an rcvid names (10 bits). */
static inline unsigned
rcvid_slotgen(long rcvid)
{
	return ((unsigned)rcvid >> RCVID_SLOT_BITS) & 0x3ff;
}

/* td sends a new message: its rcvid's message generation moves on. */
static inline void
ipc_rcvid_next(struct thread *td)
{
	td->td_rcvid = (int)(((uint32_t)td->td_rcvid + (1U << RCVID_MSGGEN_SHIFT)) & 0x7fffffffU);
}
/*
 * Find the client of rcvid, REPLY-blocked on a channel of process p.
 * claim: remove it from ch_repliers (the caller then owns the transaction).
 * Otherwise (peek): take a reference on its address space into *vsp, copy
 * its buffers out and mark it busy (td_ipcbusy), leaving it blocked: until
 * the caller's ipc_peek_done(), the client does not return from its send
 * even if the transaction ends meanwhile, so its buffers (and the iov
 * arrays describing them) stay as the snapshot says.  NULL if rcvid is
 * stale or foreign.
 */
struct thread *ipc_rcvid_lookup(long rcvid, struct proc *p, bool claim,
    struct vmspace **vsp, struct client_snap *snap);
/* ipc_rcvid_lookup(rcvid, p, true, NULL, NULL): MsgReply's, lean. */
struct thread *ipc_rcvid_claim(long rcvid, struct proc *p);
/* The end of a peek: unmark the client and drop the address-space reference. */
void ipc_peek_done(struct thread *td, struct vmspace *vs);

/*
 * A thread drops the channel reference of its finished transaction, after
 * waiting until no server is still copying its buffers (td_ipcbusy).  Done
 * under its slot lock, so an rcvid lookup never follows td_ipcchan to a
 * freed channel.  td is the calling thread.
 */
void ipc_drop_chan_slow(struct thread *td);

/* ipc_drop_chan's common case inline: nobody copying, claimed through our rcvid (see there). */
static inline void
ipc_drop_chan(struct thread *td)
{
	struct channel *ch = td->td_ipcchan;

	if (__atomic_load_n(&td->td_ipcbusy, __ATOMIC_ACQUIRE) || !td->td_ipcnoslot) {
		ipc_drop_chan_slow(td);
		return;
	}
	td->td_ipcnoslot = false;
	td->td_ipcchan = NULL;
	if (ch)
		chan_release(ch);
}

/*
 * The slot table (kern/ipc_slots.c): ipc_slot_lock(i) protects
 * ipc_slots[i], the thread with slot i.  Leaf-level striped locks, taken
 * with interrupts off, before any ch_lock; a cache line each, so CPUs
 * working on different stripes do not share one.
 */
#define IPC_SLOT_STRIPES	64
struct ipc_slot_stripe {
	struct spinlock	ss_lock;
} __attribute__((aligned(64)));
extern struct ipc_slot_stripe ipc_slot_stripes[IPC_SLOT_STRIPES];
extern struct thread *ipc_slots[MAX_THREADS];

static inline struct spinlock *
ipc_slot_lock(unsigned slot)
{
	return &ipc_slot_stripes[slot % IPC_SLOT_STRIPES].ss_lock;
}

/*
 * The client rcvid names if it is REPLY-blocked on a live channel of p,
 * with that channel's lock taken (*chp); else NULL.  Its slot lock held.
 */
static inline __attribute__((always_inline)) struct thread *
rcvid_client_locked(long rcvid, unsigned slot, struct proc *p, struct channel **chp)
{
	struct thread *td = ipc_slots[slot];
	struct channel *ch;

	if (td == NULL || ipc_rcvid(td) != rcvid || td->td_state != STATE_REPLY)
		return NULL;
	ch = td->td_ipcchan;	/* td's reference keeps it: see ipc_drop_chan */
	if (ch == NULL)
		return NULL;
	spin_lock(&ch->ch_lock);
	if (td->td_state != STATE_REPLY || td->td_ipcchan != ch || ch->ch_proc != p || ch->ch_dead) {
		spin_unlock(&ch->ch_lock);
		return NULL;
	}
	*chp = ch;
	return td;
}

static inline bool
rcvid_ok(long rcvid, unsigned slot)
{
	return rcvid > 0 && rcvid <= 0x7fffffff && slot != 0;
}

/* The pid (and tid) of the live client thread rcvid names, for MsgDeliverEvent; -1 if gone. */
int ipc_rcvid_pid(long rcvid, int *tid);

/* Insert td into ch's send queue by priority, FIFO within one (ch_lock held). */
void ipc_senders_insert(struct channel *ch, struct thread *td, bool front);

/*
 * Priority inheritance (kern/ipc_prio.c).  td received a message on ch: it
 * works for ch now (ch_lock held).  Inline: every delivered message joins.
 * The reference keeps ch (and its lock) valid for ipc_worker_leave.
 */
static inline __attribute__((always_inline)) void
ipc_worker_join(struct channel *ch, struct thread *td)
{
	if (td->td_workchan == ch || (ch->ch_flags & _NTO_CHF_FIXED_PRIORITY))
		return;		/* no inheritance on a fixed-priority channel */
	KASSERT(td->td_workchan == NULL, "thread %s works for two channels", td->td_name);
	chan_hold(ch);
	TAILQ_INSERT_TAIL(&ch->ch_workers, td, td_worklink);
	td->td_workchan = ch;
}
/* Raise every worker of ch below pri to pri.  No locks held. */
void ipc_boost_workers(struct channel *ch, int pri);
/* td, blocked in IPC and boosted, passes its priority on.  td is the caller. */
void ipc_propagate(struct thread *td);

/* Fill a snapshot of client td (ch_lock held). */
void ipc_snap(const struct thread *td, struct client_snap *cs);

#endif
