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
#include "msg_fast.h"

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
	if (call != 0 && cont_plain_result(td, call) && cont_plain(mycpu(), td, call, 0)) {
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
