/*
 * kern/msg.c - QNX synchronous message passing: send, receive, reply,
 * error, read, write, info.
 *
 * The message is copied once, directly from the sender's buffers into the
 * receiver's (kern/ipcbuf.c), by whichever side completes the rendezvous.
 * Nothing is allocated on this path.  The receiving thread runs at its
 * client's priority (unless the channel has _NTO_CHF_FIXED_PRIORITY) and
 * returns to its own when it next waits for a message.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/lwkt_switch.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/runq_inline.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/kercall.h>
#include <arch/trapframe.h>
#include "ipc_internal.h"

void
ipc_claim_locked(struct channel *ch, struct ipcq *q, struct thread *td, int64_t result)
{
	(void)ch;
	TAILQ_REMOVE(q, td, td_ipclink);
	td->td_state = STATE_READY;
	td->td_ipcresult = result;
}

void
ipc_finish(struct thread *td)
{
	/* Held until the wake-up is queued: td may leave once it sees done. */
	__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
	__atomic_store_n(&td->td_ipcdone, 1, __ATOMIC_RELEASE);
	lwkt_schedule(td);
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

void
ipc_snap(const struct thread *td, struct client_snap *cs)
{
	cs->cs_sbuf = td->td_sbuf;
	cs->cs_slen = td->td_slen;
	cs->cs_rbuf = td->td_rbuf;
	cs->cs_rlen = td->td_rlen;
	cs->cs_pid = td->td_proc->pr_pid;
	cs->cs_tid = td->td_tid;
	cs->cs_pri = td->td_pri;
	cs->cs_scoid = td->td_scoid;
	cs->cs_coid = td->td_coid;
	cs->cs_chid = td->td_ipcchan ? td->td_ipcchan->ch_chid : 0;
	cs->cs_unblock = td->td_unblock_req;
}

/* Wait for td_ipcdone, whatever else happens. */
static void
wait_done(void)
{
	struct thread *td = curthread;

	crit_enter();
	while (!__atomic_load_n(&td->td_ipcdone, __ATOMIC_ACQUIRE))
		lwkt_sleep(0);
	crit_exit();
}

/*
 * Leave our channel queue with result error if we are still on it (and,
 * if only >= 0, still in that state); if a peer has claimed us, wait until
 * it is done with our buffers.  Returns false if we were in another state
 * (nothing done).
 */
static bool
unqueue_self(int64_t error, int only)
{
	struct thread *td = curthread;
	struct channel *ch = td->td_ipcchan;
	struct ipcq *q = NULL;
	unsigned long fl;
	bool other = false;

	if (ch == NULL)
		return true;
	/*
	 * A peer copying our buffers (td_ipcbusy, raised under ch_lock) may
	 * have taken us off our queue: wait until it is done.  Checked under
	 * ch_lock, so nobody claims us between the check and our leaving.
	 */
	for (;;) {
		fl = spin_lock_irqsave(&ch->ch_lock);
		if (!__atomic_load_n(&td->td_ipcbusy, __ATOMIC_ACQUIRE))
			break;
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		crit_enter();
		lwkt_sleep(timer_ns_to_ticks(50000));
		crit_exit();
	}
	if (!__atomic_load_n(&td->td_ipcdone, __ATOMIC_ACQUIRE)) {
		if (only >= 0 && td->td_state != only)
			other = true;
		else if (td->td_state == STATE_SEND)
			q = &ch->ch_senders;
		else if (td->td_state == STATE_REPLY)
			q = &ch->ch_repliers;
		else if (td->td_state == STATE_RECEIVE)
			q = &ch->ch_receivers;
		if (q) {
			ipc_claim_locked(ch, q, td, error);
			td->td_ipcdone = 1;
		}
	}
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	if (other)
		return false;
	if (q == NULL)
		wait_done();
	return true;
}


/*
 * A REPLY-blocked client timed out on an _NTO_CHF_UNBLOCK channel: ask the
 * server (unblock pulse, _NTO_MI_UNBLOCK_REQ) and keep waiting for it.
 * Returns true if that was the case.
 */
static bool
ask_unblock(struct thread *td)
{
	struct channel *ch = td->td_ipcchan;

	if (td->td_state != STATE_REPLY || !(ch->ch_flags & _NTO_CHF_UNBLOCK) || td->td_unblock_req)
		return td->td_unblock_req;
	td->td_unblock_req = true;
	ipc_pulse_send(ch, _PULSE_CODE_UNBLOCK, ipc_rcvid(td), td->td_scoid, td->td_pri, false);
	return true;
}

/*
 * The fast path's wake-up of the peer we gave a message to (msg_send): if
 * nothing can make our first wait other than a plain sleep (no time-out,
 * signal, kill, priority hand-on or finished transaction) and the peer is
 * on this CPU, finish its transaction and switch straight to it
 * (lwkt_sleep_handoff).  In the critical section the peer cannot run, so
 * it cannot leave or be freed before we switch.  Otherwise finish it the
 * usual way.  Either way the caller's wait loop follows as before.  Crit.
 */
static void
wake_peer(struct thread *td, struct thread *wake)
{
	if (__atomic_load_n(&wake->td_cpu, __ATOMIC_ACQUIRE) != mycpu() || td->td_tmo_flags ||
	    __atomic_load_n(&td->td_ipcdone, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&td->td_ipcprop, __ATOMIC_ACQUIRE) || sig_interrupted_inline(td)) {
		ipc_finish(wake);
		return;
	}
	__atomic_store_n(&wake->td_ipcdone, 1, __ATOMIC_RELEASE);
	lwkt_sleep_handoff(wake);
}

/*
 * Wait until our transaction is finished, the thread is killed (leave with
 * -EINTR), a signal arrives (see below), or a TimerTimeout for the state we wait in expires (-ETIMEDOUT,
 * or an unblock request to the server, see ask_unblock).  Returns the
 * transaction's result.  Entered in a critical section, which it ends.
 */
static int64_t ipc_wait_crit_slow(struct thread *td);

/*
 * ipc_block_crit's wait, after its first steps; where a thread resumes
 * that blocked on the fast path (ipc_cont_call).  td is the caller.  Its
 * first test inline: the transaction is often done by now.
 */
static inline __attribute__((always_inline)) int64_t
ipc_wait_crit(struct thread *td)
{
	if (__atomic_load_n(&td->td_ipcdone, __ATOMIC_ACQUIRE)) {
		crit_exit();
		return td->td_ipcresult;
	}
	return ipc_wait_crit_slow(td);
}

static int64_t
ipc_block_crit(struct thread *wake)
{
	struct thread *td = curthread;

	td->td_unblock_req = false;
	if (wake)
		wake_peer(td, wake);
	return ipc_wait_crit(td);
}

/* ipc_wait_crit's loop. */
static int64_t
ipc_wait_crit_slow(struct thread *td)
{
	int64_t err = 0;

	while (!__atomic_load_n(&td->td_ipcdone, __ATOMIC_ACQUIRE)) {
		int state = td->td_state;

		if (__atomic_exchange_n(&td->td_ipcprop, 0, __ATOMIC_ACQ_REL)) {
			crit_exit();		/* boosted: pass it along the chain */
			ipc_propagate(td);
			crit_enter();
			continue;
		}
		uint64_t dl = td->td_unblock_req ? 0 : thread_tmo_deadline(td, state), now;
		int sig = td->td_unblock_req ? 0 : sig_interrupted_inline(td);

		if (__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE)) {
			err = -EINTR;
		} else if (sig) {
			/*
			 * A signal: SEND and RECEIVE restart (nothing happened
			 * yet); in REPLY the server has the message, so ask it
			 * (_NTO_CHF_UNBLOCK) or give up with EINTR, as QNX does.
			 */
			if (state == STATE_REPLY && ask_unblock(td))
				continue;
			err = state == STATE_REPLY ? -EINTR : -ERESTART;
			crit_exit();
			if (unqueue_self(err, state))
				return td->td_ipcresult;
			crit_enter();
			continue;
		} else if (dl && (now = timer_now()) >= dl) {
			if (ask_unblock(td))
				continue;
			err = -ETIMEDOUT;
		} else {
			lwkt_sleep(dl ? dl - now : 0);
			continue;
		}
		crit_exit();
		if (unqueue_self(err, err == -ETIMEDOUT ? state : -1))
			return td->td_ipcresult;
		crit_enter();		/* the state moved on: wait in the new one */
	}
	crit_exit();
	return td->td_ipcresult;
}

/* ipc_block_crit from outside a critical section. */
static int64_t
ipc_block(struct thread *wake)
{
	crit_enter();
	return ipc_block_crit(wake);
}

void
ipc_senders_insert(struct channel *ch, struct thread *td, bool front)
{
	struct thread *it;

	TAILQ_FOREACH(it, &ch->ch_senders, td_ipclink)
		if (it->td_pri < td->td_pri || (front && it->td_pri == td->td_pri))
			break;
	if (it)
		TAILQ_INSERT_BEFORE(it, td, td_ipclink);
	else
		TAILQ_INSERT_TAIL(&ch->ch_senders, td, td_ipclink);
	td->td_state = STATE_SEND;
}

/* Build the _msg_info a receiver gets for client c on ch. */
void
msg_make_info(struct _msg_info *mi, const struct client_snap *c, const struct channel *ch,
    int64_t msglen)
{
	memset(mi, 0, sizeof(*mi));
	mi->pid = c->cs_pid;
	mi->tid = c->cs_tid;
	mi->chid = ch->ch_chid;
	mi->scoid = c->cs_scoid;
	mi->coid = c->cs_coid;
	mi->priority = (int16_t)c->cs_pri;
	mi->flags = _NTO_MI_BITS_64 | (c->cs_unblock ? _NTO_MI_UNBLOCK_REQ : 0);
	mi->msglen = msglen;
	mi->srcmsglen = (ch->ch_flags & _NTO_CHF_SENDER_LEN) ? c->cs_slen : -1;
	mi->dstmsglen = (ch->ch_flags & _NTO_CHF_REPLY_LEN) ? c->cs_rlen : -1;
}

/*
 * The message (n bytes) reached r: c waits for the reply, r works for ch
 * and gets its _msg_info, built straight from c (ch_lock held).
 */
static inline __attribute__((always_inline)) void
deliver_ok_locked(struct channel *ch, struct thread *r, struct thread *c, int64_t n)
{
	ipc_worker_join(ch, r);
	TAILQ_INSERT_TAIL(&ch->ch_repliers, c, td_ipclink);
	c->td_state = STATE_REPLY;
	r->td_msginfo = (struct _msg_info){
		.pid = c->td_proc->pr_pid,
		.tid = c->td_tid,
		.chid = ch->ch_chid,
		.scoid = c->td_scoid,
		.coid = c->td_coid,
		.priority = (int16_t)c->td_pri,
		.flags = _NTO_MI_BITS_64 | (c->td_unblock_req ? _NTO_MI_UNBLOCK_REQ : 0),
		.msglen = n,
		.srcmsglen = (ch->ch_flags & _NTO_CHF_SENDER_LEN) ? c->td_slen : -1,
		.dstmsglen = (ch->ch_flags & _NTO_CHF_REPLY_LEN) ? c->td_rlen : -1,
	};
	r->td_ipcpeer = c;
	r->td_ipcresult = ipc_rcvid(c);
}

/*
 * Copy client c's message into receiver r's buffer.  Both are claimed: r
 * is off ch_receivers, c is on no queue (c is the caller, or the receiver
 * took it off ch_senders and set c->td_ipcbusy, so c cannot leave while we
 * read its buffers).  On success c goes on ch_repliers (REPLY) and r's
 * result is c's rcvid; a fault in c's buffer fails c (-EFAULT) and makes r
 * retry; a fault in r's buffer fails r and puts c back in the send queue.
 */
static void
deliver(struct channel *ch, struct thread *r, struct thread *c, bool c_is_self)
{
	bool srcfault = false, failc = false;
	int64_t n;
	unsigned long fl;

	n = MIN(c->td_slen, r->td_rlen);
	/* A short message: the direct copy if it can (not retried for our own send, msg_send tried). */
	if (c_is_self || !ipc_short_ok(&r->td_rbuf, &c->td_sbuf, n) ||
	    !ipc_short_copy(r->td_proc->pr_vm, r->td_rbuf.ub_base, c->td_proc->pr_vm,
	    c->td_sbuf.ub_base, (uint64_t)n))
		n = ubuf_copy(r->td_proc->pr_vm, &r->td_rbuf, 0, c->td_proc->pr_vm, &c->td_sbuf, 0,
		    n, &srcfault);
	fl = spin_lock_irqsave(&ch->ch_lock);
	if (n >= 0) {
		deliver_ok_locked(ch, r, c, n);
	} else if (srcfault) {
		c->td_state = STATE_READY;
		c->td_ipcresult = -EFAULT;
		failc = true;
		r->td_ipcresult = IPC_RETRY;
	} else {
		ipc_senders_insert(ch, c, true);
		r->td_ipcresult = -EFAULT;
	}
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	if (c_is_self) {
		if (failc)
			c->td_ipcdone = 1;
		return;
	}
	/* Let a client with a REPLY time-out (or a kill) look again. */
	if (!failc && ((c->td_tmo_flags & (1U << STATE_REPLY)) || c->td_killed))
		lwkt_schedule(c);
	__atomic_fetch_sub(&c->td_ipcbusy, 1, __ATOMIC_RELEASE);
	if (failc)
		ipc_finish(c);
}

/* A sender's transaction, as it meets the channel (cr: its connection, a reference held). */
static inline __attribute__((always_inline)) void
send_record(struct thread *td, const struct ubuf *sb, const struct ubuf *rb, int64_t slen,
    int64_t rlen, const struct conn_ref *cr)
{
	td->td_sbuf = *sb;
	td->td_rbuf = *rb;
	td->td_slen = slen;
	td->td_rlen = rlen;
	td->td_scoid = cr->cr_scoid;
	td->td_coid = cr->cr_coid;
	td->td_msggen++;
	td->td_ipcdone = 0;
	td->td_ipcnoslot = false;
	td->td_ipcchan = cr->cr_chan;	/* our reference from conn_lookup */
}

/* The common send path of MsgSend*(). */
static inline __attribute__((always_inline)) long
msg_send_body(long coid, const struct ubuf *sb, const struct ubuf *rb)
{
	struct thread *td = curthread, *r;
	struct vmspace *vs = td->td_proc->pr_vm;
	struct conn_ref cr;
	struct channel *ch;
	unsigned long fl;
	int64_t slen, rlen;
	int64_t n = 0;
	bool nocopy;

	slen = ubuf_size(vs, sb);
	if (slen < 0)
		return slen;
	rlen = ubuf_size(vs, rb);
	if (rlen < 0)
		return rlen;
	if (!conn_lookup(td->td_proc, coid, &cr))
		return -EBADF;
	ch = cr.cr_chan;
	send_record(td, sb, rb, slen, rlen, &cr);
	fl = spin_lock_irqsave(&ch->ch_lock);
	if (ch->ch_dead) {
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		ipc_drop_chan(td);
		return -ESRCH;
	}
	TAILQ_FOREACH(r, &ch->ch_receivers, td_ipclink)
		if (!r->td_pulseonly)
			break;
	if (r)
		ipc_claim_locked(ch, &ch->ch_receivers, r, 0);
	else
		ipc_senders_insert(ch, td, false);
	if (r)
		n = MIN(slen, r->td_rlen);
	/*
	 * Nothing to copy, or a short message copied directly (bounded, no
	 * sleep, no lock of its own): deliver under this lock.  Otherwise
	 * deliver() copies with no lock held.
	 */
	nocopy = r && (n == 0 || (ipc_short_ok(&r->td_rbuf, sb, n) &&
	    ipc_short_copy(r->td_proc->pr_vm, r->td_rbuf.ub_base, vs, sb->ub_base, (uint64_t)n)));
	if (nocopy)
		deliver_ok_locked(ch, r, td, n);
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	if (r && !nocopy) {
		deliver(ch, r, td, true);
		if (td->td_ipcdone) {		/* our own buffer faulted */
			ipc_finish(r);
			ipc_drop_chan(td);
			return td->td_ipcresult;
		}
	} else if (r == NULL) {
		ipc_boost_workers(ch, td->td_pri);	/* the server is busy: hurry it */
	}
	ipc_block(r);		/* wakes r first (and may switch straight to it) */
	ipc_drop_chan(td);
	return td->td_ipcresult;
}

/* Fill the receive buffer with a pulse.  0 or -EFAULT. */
int64_t
deliver_pulse(struct thread *r, struct pulse_rec *pu)
{
	struct _pulse p;
	int64_t n;

	memset(&p, 0, sizeof(p));
	p.type = _PULSE_TYPE;
	p.subtype = _PULSE_SUBTYPE;
	p.code = pu->pu_code;
	p.value.sival_ptr = (void *)(intptr_t)pu->pu_value;
	p.scoid = pu->pu_scoid;
	n = MIN((int64_t)sizeof(p), r->td_rlen);
	/* Directly if r's space is the active one (r is the caller), else as ever. */
	if (r->td_rbuf.ub_iov || !ipc_short_copyout(r->td_proc->pr_vm, r->td_rbuf.ub_base, &p, (uint64_t)n))
		n = ubuf_copyout(r->td_proc->pr_vm, &r->td_rbuf, &p, n);
	memset(&r->td_msginfo, 0, sizeof(r->td_msginfo));
	r->td_msginfo.scoid = pu->pu_scoid;
	r->td_msginfo.priority = (int16_t)pu->pu_pri;
	r->td_msginfo.msglen = n;
	return n < 0 ? n : 0;
}

/* Finish the client a MsgReplyReceive replied to, and end its critical section. */
static inline void
finish_replied(struct thread **replied)
{
	if (*replied) {
		ipc_finish(*replied);
		*replied = NULL;
		crit_exit();
	}
}

/*
 * msg_receive_body's wait for a message or pulse on ch, from the first
 * try to a result that is not IPC_RETRY.  leave: we still work for ch
 * (keepref: with the reference this call uses).  replied: as for
 * msg_receive.
 */
static inline __attribute__((always_inline)) int64_t
msg_receive_loop(struct thread *td, struct channel *ch, bool pulses_only,
    struct thread *replied, bool leave, bool keepref)
{
	struct pulse_rec *pu;
	struct thread *c;
	unsigned long fl;
	int64_t rc;

	do {
		td->td_ipcdone = 0;
		td->td_ipcchan = ch;
		fl = spin_lock_irqsave(&ch->ch_lock);
		if (leave) {
			TAILQ_REMOVE(&ch->ch_workers, td, td_worklink);
			td->td_workchan = NULL;
			if (!keepref)
				chan_release(ch);	/* the worker's; ours keeps ch */
			leave = false;
		}
		if (ch->ch_dead) {
			spin_unlock_irqrestore(&ch->ch_lock, fl);
			finish_replied(&replied);
			rc = -ESRCH;
			break;
		}
		if ((pu = TAILQ_FIRST(&ch->ch_pulses)) != NULL) {
			TAILQ_REMOVE(&ch->ch_pulses, pu, pu_link);
			ch->ch_npulses--;
			spin_unlock_irqrestore(&ch->ch_lock, fl);
			finish_replied(&replied);
			rc = deliver_pulse(td, pu);
			kobj_free(&pulse_cache, pu);
			break;
		}
		c = pulses_only ? NULL : TAILQ_FIRST(&ch->ch_senders);
		if (c) {
			/*
			 * Claimed: it waits while we copy.  It stays STATE_SEND
			 * until deliver() queues it on ch_repliers: STATE_REPLY
			 * must mean "on ch_repliers", or an unblock or rcvid
			 * lookup during the copy would take it off a queue it
			 * is not on.
			 */
			TAILQ_REMOVE(&ch->ch_senders, c, td_ipclink);
			__atomic_fetch_add(&c->td_ipcbusy, 1, __ATOMIC_ACQUIRE);
			spin_unlock_irqrestore(&ch->ch_lock, fl);
			finish_replied(&replied);
			deliver(ch, td, c, false);
		} else {
			TAILQ_INSERT_TAIL(&ch->ch_receivers, td, td_ipclink);
			td->td_state = STATE_RECEIVE;
			td->td_pulseonly = pulses_only;
			spin_unlock_irqrestore(&ch->ch_lock, fl);
			if (replied) {
				/* Wakes the client, maybe switching to it; ends our crit. */
				ipc_block_crit(replied);
				replied = NULL;
			} else {
				ipc_block(NULL);
			}
		}
		rc = td->td_ipcresult;
	} while (rc == IPC_RETRY);
	return rc;
}

/* msg_receive_body's end: leave ch, take the sender's priority, store the info. */
static inline __attribute__((always_inline)) long
msg_receive_end(struct thread *td, struct channel *ch, int64_t rc, uaddr_t info)
{
	struct vmspace *vs = td->td_proc->pr_vm;
	bool fixed;

	td->td_ipcchan = NULL;
	td->td_state = STATE_RUNNING;
	fixed = (ch->ch_flags & _NTO_CHF_FIXED_PRIORITY) != 0;
	chan_release(ch);
	if (rc < 0)
		return rc;
	/* A message or pulse brings its sender's priority (QNX). */
	if (rc >= 0 && !fixed && td->td_msginfo.priority != td->td_pri &&
	    td->td_msginfo.priority > 0)
		lwkt_setpri_self(MAX(td->td_msginfo.priority, td->td_mtxpri));
	if (info && !ipc_short_copyout(vs, info, &td->td_msginfo, sizeof(td->td_msginfo)) &&
	    vm_copyout(vs, info, &td->td_msginfo, sizeof(td->td_msginfo)) < 0)
		return -EFAULT;
	return rc;
}

/*
 * The common receive path of MsgReceive*(); pulses_only for
 * MsgReceivePulse*().  replied: NULL, or the client MsgReplyReceive has
 * just replied to, not yet woken, in a critical section the caller
 * entered (msg_reply_receive): nothing here sleeps or switches before
 * the client is woken.  If we block for a message, ipc_block wakes it
 * and may switch straight to it (wake_peer); on any other path it is
 * woken first thing (before a copy that may wait).  Either way the
 * critical section ends with the wake-up.
 */
static inline __attribute__((always_inline)) long
msg_receive_body(long chid, const struct ubuf *rb, uaddr_t info, bool pulses_only,
    struct thread *replied)
{
	struct thread *td = curthread;
	struct vmspace *vs = td->td_proc->pr_vm;
	struct channel *ch;
	int64_t rlen, rc;
	bool leave, keepref;

	rlen = ubuf_size(vs, rb);
	if (rlen < 0) {
		finish_replied(&replied);
		return rlen;
	}
	if (info && vm_check(vs, info, sizeof(struct _msg_info), VMP_W) < 0) {
		finish_replied(&replied);
		return -EFAULT;
	}
	/*
	 * Done with the last message.  Receiving again on the channel we work
	 * for (the server loop): its worker reference becomes this call's, and
	 * we leave under the lock below.  Otherwise look chid up and leave now.
	 * The unlocked read of pr_chans is one moment's view, like the locked
	 * lookup; our reference keeps ch from being freed and reused.
	 */
	ch = td->td_workchan;
	keepref = ch != NULL && chid > 0 && chid < PROC_MAX_CHANNELS &&
	    __atomic_load_n(&td->td_proc->pr_chans[chid], __ATOMIC_ACQUIRE) == ch;
	if (!keepref) {
		ch = chan_lookup_hold(td->td_proc, chid);
		if (ch == NULL) {
			finish_replied(&replied);
			return -ESRCH;
		}
	}
	td->td_rbuf = *rb;
	td->td_rlen = rlen;
	leave = td->td_workchan == ch;
	if (!leave)
		ipc_worker_leave(td);
	if (td->td_pri != MAX(td->td_basepri, td->td_mtxpri))	/* our own while we wait */
		lwkt_setpri_self(MAX(td->td_basepri, td->td_mtxpri));
	td->td_rinfo = info;
	rc = msg_receive_loop(td, ch, pulses_only, replied, leave, keepref);
	return msg_receive_end(td, ch, rc, info);
}

long
msg_send(long coid, const struct ubuf *sb, const struct ubuf *rb)
{
	return msg_send_body(coid, sb, rb);
}

/* MsgSend's case of msg_send: both buffers linear (the body specialized for it). */
long
msg_send_linear(long coid, uaddr_t smsg, long sbytes, uaddr_t rmsg, long rbytes)
{
	struct ubuf sb = { smsg, sbytes, false }, rb = { rmsg, rbytes, false };

	return msg_send_body(coid, &sb, &rb);
}

long
msg_receive(long chid, const struct ubuf *rb, uaddr_t info, bool pulses_only,
    struct thread *replied)
{
	return msg_receive_body(chid, rb, info, pulses_only, replied);
}

/* MsgReceive's and MsgReplyReceive's case of msg_receive: a linear buffer, messages too. */
long
msg_receive_linear(long chid, uaddr_t msg, long bytes, uaddr_t info, struct thread *replied)
{
	struct ubuf rb = { msg, bytes, false };

	return msg_receive_body(chid, &rb, info, false, replied);
}

void
ipc_cancel_self(int error)
{
	struct thread *td = curthread;

	if (td->td_ipcchan == NULL)
		return;
	unqueue_self(error, -1);
	ipc_drop_chan(td);
}

/* ---- the fast path (docs/performance.md, "Round 5") -------------------- */

/*
 * A short message (n bytes, n >= 0) into dst's receive or reply buffer:
 * nothing to copy, or copied by the short copy from src in svs.  False:
 * the general path must copy it (an iov, too long, a fault).
 */
static inline __attribute__((always_inline)) bool
fast_copy(struct thread *dst, struct vmspace *svs, uaddr_t src, int64_t n)
{
	return n == 0 || (!dst->td_rbuf.ub_iov && n <= IPC_SHORT_MAX &&
	    ipc_short_copy(dst->td_proc->pr_vm, dst->td_rbuf.ub_base, svs, src, (uint64_t)n));
}

/*
 * The caller may block and hand over at once: wake_peer's conditions.
 * Relaxed loads, as proc_user_return_td's test: a flag raised just after
 * the test is seen by the wait loop when the thread runs again, as it
 * would be just after wake_peer's test.
 */
static inline bool
fast_self_ok(struct thread *td)
{
	const struct proc *p = td->td_proc;

	return td->td_tmo_flags == 0 && !__atomic_load_n(&td->td_ipcprop, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&td->td_killed, __ATOMIC_RELAXED) &&
	    !((__atomic_load_n(&td->td_sig.ts_pend, __ATOMIC_RELAXED) |
	    __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_RELAXED)) & ~td->td_sig.ts_blocked);
}

/*
 * Whether w, blocked on the fast path in kernel call `call` (its
 * td_contcall, which is 0 once it runs again: a thread that sleeps again
 * inside ipc_cont_resume has kernel frames on its stack and is not
 * blocked without one) with its transaction done, ends its call by the
 * plain case: nothing for the wait loop, the
 * call's end or the return to user mode to do but the common steps
 * (cont_plain_finish), so they need not run on its own stack.  No request
 * pending on gd but those in `cleared` (the fast path's switch clears
 * RQF_RESCHED, as lwkt_sleep_handoff's does), nobody copying w's buffers,
 * no signal, kill, stop or restart for w; for a receive, a message at w's
 * priority and no info to store.  Interrupts off.
 */
static inline __attribute__((always_inline)) bool
cont_plain(struct cpu *gd, struct thread *w, int call, uint32_t cleared)
{
	if (call == 0 || !__atomic_load_n(&w->td_ipcdone, __ATOMIC_ACQUIRE) ||
	    (__atomic_load_n(&gd->gd_reqflags, __ATOMIC_RELAXED) & ~cleared) ||
	    w->td_ipcresult == -ERESTART || w->td_ipcchan == NULL ||
	    proc_user_return_pending(w))
		return false;
	if (call == __KER_MsgSend)
		return !__atomic_load_n(&w->td_ipcbusy, __ATOMIC_ACQUIRE) && w->td_ipcnoslot;
	return w->td_ipcresult >= 0 && !w->td_rinfo &&
	    !(w->td_ipcchan->ch_flags & _NTO_CHF_FIXED_PRIORITY) &&
	    (w->td_msginfo.priority == w->td_pri || w->td_msginfo.priority <= 0);
}

/*
 * The plain case of ipc_cont_resume, after the switch: the wait's end
 * (its crit_exit, nothing pending, last), ipc_drop_chan's or msg_receive_end's
 * steps, MsgReplyReceive's a1, kercall_after's and kercall_result_arch's,
 * and kercall_return_arch's (nothing pending: the preemption and signal
 * tests are false).  w is curthread, wtf its frame.  Interrupts off.
 */
static inline __attribute__((always_inline)) void
cont_plain_finish(struct thread *w, struct trapframe *wtf, int call)
{
	struct channel *ch = w->td_ipcchan;

	w->td_contcall = 0;
	if (call == __KER_MsgSend) {
		w->td_ipcnoslot = false;
		w->td_ipcchan = NULL;
	} else {
		w->td_ipcchan = NULL;
		w->td_state = STATE_RUNNING;
		if (call == __KER_MsgReplyReceive)
			wtf->tf_regs[REG_A1] = 0;	/* the reply was made */
	}
	chan_release(ch);
	w->td_tmo_flags = 0;
	if (wtf->tf_regs[REG_A7] != __KER_SignalReturn)
		wtf->tf_regs[REG_A0] = (uint64_t)w->td_ipcresult;
	fpu_fixup_frame_arch(wtf);
	cputime_user_leave(w);
	/*
	 * Last: until here a critical section that code above enters and
	 * leaves (chan_free, the itimers) cannot end ours and run requests
	 * or a switch, which on the fast path would run on another thread's
	 * stack.
	 */
	w->td_critcount--;
}

/* ipc_block_crit's first steps for td blocking on the fast path in kernel call `call`. */
static inline __attribute__((always_inline)) void
fast_block_begin(struct thread *td, int call)
{
	td->td_contcall = call;
	td->td_critcount++;		/* ipc_block's crit_enter */
	td->td_unblock_req = false;
}

void cont_return_arch(struct thread *old, vaddr_t top, struct trapframe *tf)
    __attribute__((noreturn));
extern char ipc_cont_entry_arch[];

/*
 * ipc_block_crit(wake) as the fast path ends it: td blocks keeping only
 * its trap frame (the caller has moved sepc past the ecall), and the CPU
 * switches straight to wake, whose transaction we finished.  If wake
 * blocked on the fast path too and ends by the plain case, its call ends
 * here and the CPU returns to user mode in it (lwkt_switch_cont's and
 * ipc_cont_resume's steps without their frames); otherwise
 * lwkt_switch_cont switches to it, and it ends its call itself.
 */
static inline __attribute__((always_inline, noreturn)) void
fast_block(struct thread *td, struct thread *wake, int call)
{
	struct cpu *gd = mycpu();
	int wcall = wake->td_contcall;

	fast_block_begin(td, call);
	__atomic_store_n(&wake->td_ipcdone, 1, __ATOMIC_RELEASE);
	if (!cont_plain(gd, wake, wcall, RQF_RESCHED))
		lwkt_switch_cont(wake);
	KASSERT_INV(*(uint64_t *)wake->td_sp == (uint64_t)ipc_cont_entry_arch &&
	    !(td->td_flags & (TDF_MIGRATING | TDF_EXITING)), "fast path: %s", wake->td_name);
	/* lwkt_switch_cont's steps */
	lwkt_sleep_mark(td);
	lwkt_handoff_take(gd, wake);
	lwkt_switch_account(gd, td, wake);
	fpu_switch_arch(gd->gd_fpu_owner, td, wake);
	/*
	 * The switch's end, less td_oncpu: cont_return_arch clears it once
	 * td_sp is written.  We still run on td's stack; td is asleep on this
	 * CPU with interrupts off, so nothing can run it before we leave.
	 */
	gd->gd_stats.cs_switches++;
	wake->td_switches++;
	cont_plain_finish(wake, proc_user_frame(wake), wcall);
	cont_return_arch(td, (vaddr_t)td->td_kstack + KSTACK_SIZE, proc_user_frame(wake));
}

/*
 * MsgSend's fast path: msg_send_body's steps when a receiver waits on the
 * channel, the message is short (or empty) and both threads can switch at
 * once.  When a condition fails it runs the general path
 * (trap_kercall_entered), having changed nothing.  Otherwise it does not
 * return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgSend(struct trapframe *tf)
{
	struct thread *td = curthread;
	int64_t slen = (int64_t)tf->tf_regs[REG_A2], rlen = (int64_t)tf->tf_regs[REG_A4], n;
	uaddr_t smsg = tf->tf_regs[REG_A1], rmsg = tf->tf_regs[REG_A3];
	struct cpu *gd = mycpu();
	struct conn_ref cr;
	struct channel *ch;
	struct thread *r;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || rlen < 0 || !fast_self_ok(td) ||
	    !conn_lookup(td->td_proc, (long)tf->tf_regs[REG_A0], &cr)) {
		trap_kercall_entered(tf);
		return;
	}
	ch = cr.cr_chan;
	spin_lock(&ch->ch_lock);
	r = TAILQ_FIRST(&ch->ch_receivers);
	if (ch->ch_dead || r == NULL || r->td_pulseonly || !lwkt_handoff_ok(gd, r))
		goto out;
	n = MIN(slen, r->td_rlen);
	if (!fast_copy(r, td->td_proc->pr_vm, smsg, n))
		goto out;
	/*
	 * The call is under way: sepc past the ecall (user_kercall's first
	 * step) before anyone can see us REPLY-blocked and read or rewrite
	 * the frame (ThreadExec, fork's ThreadClone).
	 */
	tf->tf_sepc += 4;
	send_record(td, &(struct ubuf){ smsg, slen, false }, &(struct ubuf){ rmsg, rlen, false },
	    slen, rlen, &cr);
	ipc_claim_locked(ch, &ch->ch_receivers, r, 0);
	deliver_ok_locked(ch, r, td, n);
	spin_unlock(&ch->ch_lock);
	fast_block(td, r, __KER_MsgSend);
out:
	spin_unlock(&ch->ch_lock);
	chan_release(ch);
	trap_kercall_entered(tf);
}

/*
 * The receive half of a fast path: receiving again on the channel we work
 * for (msg_receive_body's keepref), a linear buffer, info writable.  A
 * pulse or sender waiting sends the call to the general path: a look
 * without ch_lock first (the caller looks again under it), so that such a
 * call does not check info twice (vm_check, a page walk).
 */
static inline bool
fast_receive_ok(struct thread *td, struct channel *ch, int chid, int64_t rlen, uaddr_t info)
{
	struct proc *p = td->td_proc;

	return rlen >= 0 && ch != NULL && chid > 0 && chid < PROC_MAX_CHANNELS &&
	    __atomic_load_n(&p->pr_chans[chid], __ATOMIC_RELAXED) == ch &&
	    !__atomic_load_n(&ch->ch_pulses.tqh_first, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&ch->ch_senders.tqh_first, __ATOMIC_RELAXED) &&
	    (!info || vm_check(p->pr_vm, info, sizeof(struct _msg_info), VMP_W) == 0);
}

/*
 * msg_receive_body's and msg_receive_loop's steps up to the block, when
 * nothing waits on ch (the caller checked, under ch_lock).  ch_lock held.
 */
static inline __attribute__((always_inline)) void
fast_receive_locked(struct cpu *gd, struct thread *td, struct channel *ch, uaddr_t rmsg,
    int64_t rlen, uaddr_t info)
{
	int pri = MAX(td->td_basepri, td->td_mtxpri);

	td->td_rbuf = (struct ubuf){ rmsg, rlen, false };
	td->td_rlen = rlen;
	if (td->td_pri != pri)		/* msg_receive_body's lwkt_setpri_self */
		lwkt_setpri_locked(gd, td, pri);
	td->td_rinfo = info;
	td->td_ipcdone = 0;
	td->td_ipcchan = ch;		/* the worker's reference becomes the call's */
	TAILQ_REMOVE(&ch->ch_workers, td, td_worklink);
	td->td_workchan = NULL;
	TAILQ_INSERT_TAIL(&ch->ch_receivers, td, td_ipclink);
	td->td_state = STATE_RECEIVE;
	td->td_pulseonly = false;
}

/*
 * MsgReplyReceive's fast path: the server loop's reply (to a client of
 * the channel it works for) and its next receive on that channel when
 * nothing waits there: msg_reply's and msg_receive_body's steps, then the
 * direct switch to the client.  Both halves are checked under the slot
 * lock and ch_lock before either changes anything.  When a condition
 * fails it runs the general path (trap_kercall_entered), having changed
 * nothing; otherwise it does not return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgReplyReceive(struct trapframe *tf)
{
	struct thread *td = curthread;
	uint64_t a0 = tf->tf_regs[REG_A0];
	int rcvid = (int)(uint32_t)a0, chid = (int)((int64_t)a0 >> 32);
	long status = (long)tf->tf_regs[REG_A1];
	uaddr_t smsg = tf->tf_regs[REG_A2], rmsg = tf->tf_regs[REG_A4], info = tf->tf_regs[REG_A6];
	int64_t slen = (int64_t)tf->tf_regs[REG_A3], rlen = (int64_t)tf->tf_regs[REG_A5];
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct proc *p = td->td_proc;
	struct channel *ch = td->td_workchan, *cch;
	struct cpu *gd = mycpu();
	struct spinlock *sl;
	struct thread *c;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || (status < 0 && status >= -4095) || rcvid <= 0 || slot == 0 ||
	    !fast_self_ok(td) || !fast_receive_ok(td, ch, chid, rlen, info))
		goto general;
	sl = &ipc_slot_locks[slot % IPC_SLOT_STRIPES];
	spin_lock(sl);
	c = rcvid_client_locked(rcvid, slot, p, &cch);
	if (c == NULL) {
		spin_unlock(sl);
		goto general;
	}
	if (cch != ch || !TAILQ_EMPTY(&ch->ch_pulses) || !TAILQ_EMPTY(&ch->ch_senders) ||
	    !lwkt_handoff_ok(gd, c))
		goto out;
	if (!fast_copy(c, p->pr_vm, smsg, MIN(slen, c->td_rlen)))
		goto out;
	tf->tf_sepc += 4;		/* under way (as MsgSend's) */
	/* The reply (msg_reply): claim the client, give it its result. */
	ipc_claim_locked(ch, &ch->ch_repliers, c, status);
	c->td_ipcnoslot = true;
	/* The receive (msg_receive_body, msg_receive_loop) up to its block. */
	fast_receive_locked(gd, td, ch, rmsg, rlen, info);
	spin_unlock(&ch->ch_lock);
	spin_unlock(sl);
	fast_block(td, c, __KER_MsgReplyReceive);
out:
	spin_unlock(&cch->ch_lock);
	spin_unlock(sl);
general:
	trap_kercall_entered(tf);
}

/*
 * MsgReply's fast path: msg_reply's steps (the claim, the result, the
 * client's wake-up) when the reply is short (or empty), without the
 * general entry; it does not block.  When a condition fails it runs the
 * general path (trap_kercall_entered), having changed nothing.  From
 * trap.S, interrupts off; returns to trap.S, which returns to user mode.
 */
void
ipc_fast_MsgReply(struct trapframe *tf)
{
	struct thread *td = curthread, *c;
	long rcvid = (long)tf->tf_regs[REG_A0], status = (long)tf->tf_regs[REG_A1];
	uaddr_t smsg = tf->tf_regs[REG_A2];
	int64_t slen = (int64_t)tf->tf_regs[REG_A3];
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct spinlock *sl;
	struct channel *ch;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || (status < 0 && status >= -4095) || rcvid <= 0 || rcvid > 0x7fffffff ||
	    slot == 0)
		goto general;
	sl = &ipc_slot_locks[slot % IPC_SLOT_STRIPES];
	spin_lock(sl);
	c = rcvid_client_locked(rcvid, slot, td->td_proc, &ch);
	if (c == NULL) {
		spin_unlock(sl);
		goto general;
	}
	if (!fast_copy(c, td->td_proc->pr_vm, smsg, MIN(slen, c->td_rlen))) {
		spin_unlock(&ch->ch_lock);
		spin_unlock(sl);
		goto general;
	}
	ipc_claim_locked(ch, &ch->ch_repliers, c, status);	/* msg_reply's claim */
	c->td_ipcnoslot = true;
	spin_unlock(&ch->ch_lock);
	spin_unlock(sl);
	/* The rest is user_kercall's and trap_kercall's, with the handler's result 0. */
	tf->tf_sepc += 4;
	intr_enable_arch();
	ipc_finish(c);
	kercall_result_arch(td, tf, kercall_after(td, __KER_MsgReply, 0));
	intr_disable_arch();
	kercall_return_arch(td, tf);
	return;
general:
	trap_kercall_entered(tf);
}

/*
 * MsgReceive's fast path: the server loop's receive on the channel it
 * works for when nothing waits there (no pulse, no sender).  The server
 * blocks without a kernel stack and the CPU runs the best thread it has,
 * often the client its MsgReply just woke.  When a condition fails it
 * runs the general path (trap_kercall_entered), having changed nothing;
 * otherwise it does not return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgReceive(struct trapframe *tf)
{
	struct thread *td = curthread;
	int chid = (int)tf->tf_regs[REG_A0];
	uaddr_t rmsg = tf->tf_regs[REG_A1], info = tf->tf_regs[REG_A3];
	int64_t rlen = (int64_t)tf->tf_regs[REG_A2];
	struct channel *ch = td->td_workchan;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (ch == NULL || (long)tf->tf_regs[REG_A0] != chid || !fast_self_ok(td) ||
	    !fast_receive_ok(td, ch, chid, rlen, info))
		goto general;
	spin_lock(&ch->ch_lock);
	if (!TAILQ_EMPTY(&ch->ch_pulses) || !TAILQ_EMPTY(&ch->ch_senders) || ch->ch_dead) {
		spin_unlock(&ch->ch_lock);
		goto general;
	}
	tf->tf_sepc += 4;		/* under way (as MsgSend's) */
	fast_receive_locked(mycpu(), td, ch, rmsg, rlen, info);
	spin_unlock(&ch->ch_lock);
	fast_block_begin(td, __KER_MsgReceive);
	lwkt_sleep_cont();
general:
	trap_kercall_entered(tf);
}

/* ipc_cont_call's end of a receive: msg_receive_body's, and MsgReplyReceive's. */
static long
cont_receive_end(struct thread *td, struct trapframe *tf, int64_t rc, int call)
{
	struct channel *ch = td->td_ipcchan;

	if (rc == IPC_RETRY)
		rc = msg_receive_loop(td, ch, false, NULL, false, true);
	rc = msg_receive_end(td, ch, rc, td->td_rinfo);
	if (call == __KER_MsgReplyReceive) {
		/* sys_MsgReplyReceive's end; the reply was made (0). */
		tf->tf_regs[REG_A1] = 0;
		if (rc == -ERESTART)
			tf->tf_regs[REG_A0] &= ~0xffffffffUL;	/* restart as a receive alone */
	}
	return rc;
}

/*
 * The rest of a kernel call that blocked on the fast path, in the thread
 * that made it, once it runs again: the wait, then what the general path
 * does after it.  In a critical section, which the wait ends; interrupts
 * on.  Returns the call's result.
 */
static inline __attribute__((always_inline)) long
ipc_cont_call(struct thread *td, struct trapframe *tf, int call)
{
	int64_t rc = ipc_wait_crit(td);

	if (call == __KER_MsgSend) {
		ipc_drop_chan(td);		/* msg_send_body's end */
		return td->td_ipcresult;
	}
	if (call != __KER_MsgReplyReceive && call != __KER_MsgReceive)
		panic("ipc_cont_call: kernel call %d", call);
	return cont_receive_end(td, tf, rc, call);
}

/*
 * Where a thread that blocked on the fast path runs again, on its own
 * kernel stack above nothing but its trap frame (ipc_cont_entry_arch,
 * switch.S), whoever switched to it: prev.  The end of the switch, the
 * rest of its kernel call, and trap_kercall's end; switch.S then returns
 * to user mode.  Interrupts off on entry and on return.
 */
void ipc_cont_resume(struct thread *prev);

void
ipc_cont_resume(struct thread *prev)
{
	struct thread *td = curthread;
	struct trapframe *tf = proc_user_frame(td);
	int call = td->td_contcall;
	long rc;

	lwkt_cont_tail(prev);
	if (cont_plain(mycpu(), td, call, 0)) {
		cont_plain_finish(td, tf, call);
		return;
	}
	td->td_contcall = 0;	/* it may sleep again below: with kernel frames */
	intr_enable_arch();
	rc = ipc_cont_call(td, tf, call);
	rc = kercall_after(td, (uint64_t)call, rc);
	kercall_result_arch(td, tf, rc);
	intr_disable_arch();
	kercall_return_arch(td, tf);
}
