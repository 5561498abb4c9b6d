/*
 * kern/channel.c - channels and connections: ChannelCreate/Destroy,
 * ConnectAttach/Detach, ConnectServerInfo, and process teardown.
 */
#include <kern/cpu.h>
#include <kern/ipc.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/string.h>
#include <kern/runq.h>
#include <kern/syscall.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include "ipc_internal.h"

static struct kobj_cache channel_cache, conn_cache;
struct kobj_cache pulse_cache;
static int next_scoid = 1;	/* atomic */

void
ipc_init(void)
{
	if (kobj_cache_init(&channel_cache, "channel", sizeof(struct channel), 64) < 0 ||
	    kobj_cache_init(&conn_cache, "connection", sizeof(struct connection), 8) < 0 ||
	    kobj_cache_init(&pulse_cache, "pulse", sizeof(struct pulse_rec), 8) < 0)
		panic("ipc_init: no caches");
	kobj_cache_keep_one(&pulse_cache);	/* pulses come and go one at a time */
	ipc_slots_init();
}

void
chan_free(struct channel *ch)
{
	struct pulse_rec *pu;

	while ((pu = TAILQ_FIRST(&ch->ch_pulses)) != NULL) {
		TAILQ_REMOVE(&ch->ch_pulses, pu, pu_link);
		kobj_free(&pulse_cache, pu);
	}
	kobj_free(&channel_cache, ch);
}

long
sys_ChannelCreate(long flags, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct channel *ch;
	unsigned long fl;
	int chid = -EAGAIN;

	if (flags & ~(long)CHF_SUPPORTED)
		return -EINVAL;
	ch = kobj_zalloc(&channel_cache);
	if (ch == NULL)
		return -ENOMEM;
	spin_init(&ch->ch_lock, "channel");
	TAILQ_INIT(&ch->ch_receivers);
	TAILQ_INIT(&ch->ch_senders);
	TAILQ_INIT(&ch->ch_workers);
	TAILQ_INIT(&ch->ch_conns);
	TAILQ_INIT(&ch->ch_repliers);
	TAILQ_INIT(&ch->ch_pulses);
	ch->ch_proc = p;
	ch->ch_pid = p->pr_pid;
	ch->ch_flags = (uint32_t)flags;
	ch->ch_refs = 1;		/* the owner's table */
	fl = spin_lock_irqsave(&p->pr_lock);
	for (int i = 1; i < PROC_MAX_CHANNELS && (flags & _NTO_CHF_COID_DISCONNECT); i++)
		if (p->pr_chans[i] && (p->pr_chans[i]->ch_flags & _NTO_CHF_COID_DISCONNECT))
			chid = -EBUSY;		/* one per process, as in QNX */
	for (int i = 1; i < PROC_MAX_CHANNELS && !p->pr_dying && chid != -EBUSY; i++) {
		if (p->pr_chans[i] == NULL) {
			p->pr_chans[i] = ch;
			ch->ch_chid = chid = i;
			break;
		}
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (chid < 0)
		kobj_free(&channel_cache, ch);
	return chid;
}

/*
 * The process of connection (pid, coid) learns that the connection's
 * channel is gone: a _PULSE_CODE_COIDDEATH pulse with the coid on its
 * first channel that asked for them (_NTO_CHF_COID_DISCONNECT), if any.
 */
static void
tell_owner(int pid, int coid)
{
	struct channel *to = NULL;
	unsigned long fl;
	struct proc *p = proc_lookup_lock(pid, &fl);

	if (p == NULL)
		return;
	for (int i = 1; i < PROC_MAX_CHANNELS && to == NULL; i++)
		if (p->pr_chans[i] && (p->pr_chans[i]->ch_flags & _NTO_CHF_COID_DISCONNECT))
			chan_hold(to = p->pr_chans[i]);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (to) {
		ipc_pulse_send(to, _PULSE_CODE_COIDDEATH, coid, 0, PRI_MAX, false);
		chan_release(to);
	}
}

/* ch is dead: tell the owners of its connections (in batches; no lock held while we tell). */
static void
tell_connections(struct channel *ch)
{
	struct connection *co;
	int pid[16], coid[16], n;
	unsigned long fl;

	do {
		n = 0;
		fl = spin_lock_irqsave(&ch->ch_lock);
		TAILQ_FOREACH(co, &ch->ch_conns, co_chlink) {
			if (co->co_told)
				continue;
			co->co_told = true;
			pid[n] = co->co_pid;
			coid[n++] = co->co_coid;
			if (n == (int)ARRAY_SIZE(pid))
				break;
		}
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		for (int i = 0; i < n; i++)
			tell_owner(pid[i], coid[i]);
	} while (n > 0);
}

/*
 * Mark ch dead and fail everyone blocked on it: receivers and senders get
 * -ESRCH, REPLY-blocked clients get -ESRCH.  Drops the table's reference.
 */
static void
chan_destroy(struct channel *ch)
{
	unsigned long fl = spin_lock_irqsave(&ch->ch_lock);
	struct thread *td;

	ch->ch_dead = true;
	for (;;) {
		/* One at a time: no thread is woken with ch_lock held. */
		if ((td = TAILQ_FIRST(&ch->ch_receivers)) != NULL)
			ipc_claim_locked(ch, &ch->ch_receivers, td, -ESRCH);
		else if ((td = TAILQ_FIRST(&ch->ch_senders)) != NULL)
			ipc_claim_locked(ch, &ch->ch_senders, td, -ESRCH);
		else if ((td = TAILQ_FIRST(&ch->ch_repliers)) != NULL)
			ipc_claim_locked(ch, &ch->ch_repliers, td, -ESRCH);
		else
			break;
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		ipc_finish(td);
		fl = spin_lock_irqsave(&ch->ch_lock);
	}
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	tell_connections(ch);
	chan_release(ch);
}

long
sys_ChannelDestroy(long chid, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct channel *ch = NULL;
	unsigned long fl;

	fl = spin_lock_irqsave(&p->pr_lock);
	if (chid > 0 && chid < PROC_MAX_CHANNELS && (ch = p->pr_chans[chid]) != NULL)
		p->pr_chans[chid] = NULL;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (ch == NULL)
		return -EINVAL;
	chan_destroy(ch);
	return 0;
}

long
sys_ConnectAttach(long nd, long pid, long chid, long index, long flags, long a5)
{
	struct proc *me = curthread->td_proc, *target;
	bool side = (index & _NTO_SIDE_CHANNEL) != 0;
	struct connection *co, **tab;
	struct channel *ch = NULL;
	unsigned long fl;
	int n, coid = -EAGAIN, first;

	if (nd != 0 || (flags & ~(long)COF_SUPPORTED) || index < 0)
		return -EINVAL;
	first = (int)(index & ~_NTO_SIDE_CHANNEL);
	target = proc_lookup_lock(pid == 0 ? me->pr_pid : (int)pid, &fl);
	if (target == NULL)
		return -ESRCH;
	if (chid > 0 && chid < PROC_MAX_CHANNELS && (ch = target->pr_chans[chid]) != NULL) {
		if ((ch->ch_flags & _NTO_CHF_PRIVATE) && target != me)
			ch = NULL;
		else
			chan_hold(ch);
	}
	spin_unlock_irqrestore(&target->pr_lock, fl);
	if (ch == NULL)
		return -ESRCH;
	co = kobj_zalloc(&conn_cache);
	if (co == NULL) {
		chan_release(ch);
		return -ENOMEM;
	}
	co->co_chan = ch;
	co->co_flags = (uint32_t)flags;
	co->co_pid = me->pr_pid;
	co->co_scoid = __atomic_fetch_add(&next_scoid, 1, __ATOMIC_RELAXED);
	/* On the channel's list before anyone can find it (and ConnectDetach it). */
	fl = spin_lock_irqsave(&ch->ch_lock);
	TAILQ_INSERT_TAIL(&ch->ch_conns, co, co_chlink);
	co->co_linked = true;
	co->co_told = ch->ch_dead;	/* attached to a dead channel: nothing to tell later */
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	fl = spin_lock_irqsave(&me->pr_lock);
	tab = conn_table(me, side, &n);
	for (int i = first; i < n && !me->pr_dying; i++) {
		if (tab[i] == NULL) {
			tab[i] = co;
			coid = side ? (i | _NTO_SIDE_CHANNEL) : i;
			co->co_coid = coid;
			break;
		}
	}
	spin_unlock_irqrestore(&me->pr_lock, fl);
	if (coid < 0) {
		fl = spin_lock_irqsave(&ch->ch_lock);
		TAILQ_REMOVE(&ch->ch_conns, co, co_chlink);
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		chan_release(ch);
		kobj_free(&conn_cache, co);
	}
	return coid;
}

struct channel *
chan_lookup_hold(struct proc *p, long chid)
{
	struct channel *ch = NULL;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	if (chid > 0 && chid < PROC_MAX_CHANNELS && (ch = p->pr_chans[chid]) != NULL)
		chan_hold(ch);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return ch;
}

/* Deliver a disconnect pulse to ch if its owner asked for them. */
static void
conn_free(struct connection *co)
{
	struct channel *ch = co->co_chan;
	unsigned long fl = spin_lock_irqsave(&ch->ch_lock);

	if (co->co_linked)
		TAILQ_REMOVE(&ch->ch_conns, co, co_chlink);
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	if (ch->ch_flags & _NTO_CHF_DISCONNECT)
		ipc_pulse_send(ch, _PULSE_CODE_DISCONNECT, 0, co->co_scoid, PRI_MAX, false);
	chan_release(ch);
	kobj_free(&conn_cache, co);
}

long
sys_ConnectDetach(long coid, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	bool side = (coid & _NTO_SIDE_CHANNEL) != 0;
	int idx = (int)(coid & ~_NTO_SIDE_CHANNEL), n;
	struct connection **tab, *co = NULL;
	unsigned long fl;

	if (coid < 0 || coid > INT32_MAX)
		return -EINVAL;
	fl = spin_lock_irqsave(&p->pr_lock);
	tab = conn_table(p, side, &n);
	if (idx < n && (co = tab[idx]) != NULL)
		tab[idx] = NULL;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (co == NULL)
		return -EINVAL;
	conn_free(co);
	return 0;
}

/*
 * The first connection of p at or above coid, in coid's table (ordinary
 * or side channels), skipping dead ones if skip_dead: as conn_lookup.
 */
static bool
conn_lookup_next(struct proc *p, long coid, bool skip_dead, struct conn_ref *cr)
{
	bool side = (coid & _NTO_SIDE_CHANNEL) != 0;
	int idx = (int)(coid & ~_NTO_SIDE_CHANNEL), n;
	struct connection **tab, *co = NULL;
	unsigned long fl;

	cr->cr_chan = NULL;
	if (coid < 0 || coid > INT32_MAX)
		return false;
	fl = spin_lock_irqsave(&p->pr_lock);
	tab = conn_table(p, side, &n);
	for (; idx < n; idx++) {
		co = tab[idx];
		if (co != NULL && !(skip_dead && co->co_chan->ch_dead))
			break;
		co = NULL;
	}
	if (co != NULL) {
		conn_ref_take(cr, co);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return co != NULL;
}

/*
 * ConnectServerInfo(pid, coid, info): where connection coid of process pid
 * (0: the caller's) leads, or if coid is not in use the next higher one
 * that is (so a loop lists them all; dead ones skipped when info is
 * NULL), as docs/kernel-calls.md has it.  Another process's connection
 * only if it leads to one of the caller's channels (a server checking a
 * client's claim, e.g. in _IO_DUP), or for the process manager.  Returns
 * the coid found.
 */
long
sys_ConnectServerInfo(long pid, long coid, long info, long a3, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p = me;
	struct _server_info si;
	struct conn_ref cr;
	bool found;
	int rc;

	if (pid != 0 && pid != me->pr_pid && (p = proc_hold((int)pid)) == NULL)
		return -ESRCH;
	found = conn_lookup_next(p, coid, info == 0, &cr);
	if (p != me)
		proc_release(p);
	if (!found)
		return -EINVAL;
	if (p != me && cr.cr_chan->ch_pid != me->pr_pid && !(me->pr_abilities & PRA_PROCMGR)) {
		chan_release(cr.cr_chan);
		return -EPERM;		/* not to us: none of our business */
	}
	memset(&si, 0, sizeof(si));
	si.pid = cr.cr_chan->ch_pid;
	si.chid = cr.cr_chan->ch_chid;
	si.scoid = cr.cr_scoid;
	si.coid = cr.cr_coid;
	si.flags = (int16_t)(cr.cr_flags | (cr.cr_chan->ch_dead ? _NTO_COF_DEAD : 0));
	chan_release(cr.cr_chan);
	rc = info ? vm_copyout(me->pr_vm, (uaddr_t)info, &si, sizeof(si)) : 0;
	return rc < 0 ? rc : cr.cr_coid;
}

static void ipc_proc_release(struct proc *p, bool exec);

void
ipc_proc_exit(struct proc *p)
{
	ipc_proc_release(p, false);
}

void
ipc_proc_exec(struct proc *p)
{
	ipc_proc_release(p, true);
}

/* Destroy p's channels and free its connections (on exec only the _NTO_COF_CLOEXEC ones). */
static void
ipc_proc_release(struct proc *p, bool exec)
{
	unsigned long fl;

	/* pr_dying is set (or p execs with one thread): the tables do not grow. */
	for (int i = 0; i < PROC_MAX_CHANNELS; i++) {
		struct channel *ch;

		fl = spin_lock_irqsave(&p->pr_lock);
		ch = p->pr_chans[i];
		p->pr_chans[i] = NULL;
		spin_unlock_irqrestore(&p->pr_lock, fl);
		if (ch)
			chan_destroy(ch);
	}
	for (int side = 0; side < 2; side++) {
		int n;
		struct connection **tab = conn_table(p, side, &n);

		for (int i = 0; i < n; i++) {
			struct connection *co;

			fl = spin_lock_irqsave(&p->pr_lock);
			co = tab[i];
			if (co && exec && !(co->co_flags & _NTO_COF_CLOEXEC))
				co = NULL;		/* exec keeps it */
			else
				tab[i] = NULL;
			spin_unlock_irqrestore(&p->pr_lock, fl);
			if (co)
				conn_free(co);
		}
	}
}

void
ipc_chan_hold(struct channel *ch)
{
	chan_hold(ch);
}

void
ipc_chan_release(struct channel *ch)
{
	chan_release(ch);
}

struct channel *
ipc_chan_lookup(struct proc *p, long chid)
{
	return chan_lookup_hold(p, chid);
}

struct proc *
ipc_chan_owner(const struct channel *ch)
{
	return ch->ch_proc;
}
