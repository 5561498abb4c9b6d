/*
 * kern/msg_fast.h - the steps of a message transaction that the general
 * path (kern/msg.c) and the fast path (kern/msg_fast.c) share, inline in
 * both: a delivery's bookkeeping, a sender's record, and the plain end of
 * a call that blocked on the fast path.  One definition of each, so the
 * two paths make the same state changes in the same order.
 */
#ifndef KERN_MSG_FAST_H
#define KERN_MSG_FAST_H

#include <kern/cpu.h>
#include <kern/proc.h>
#include <kern/thread.h>
#include <abi/kercall.h>
#include <abi/msg.h>
#include <arch/fpu.h>
#include <arch/trapframe.h>
#include "ipc_internal.h"

/*
 * The message (n bytes) reached r: c waits for the reply, r works for ch
 * and gets its _msg_info, built straight from c (ch_lock held): the whole
 * of it only if r's receive asked for it (td_rinfo), else only the
 * priority, which is all the rest of the kernel reads.
 */
static inline __attribute__((always_inline)) void
deliver_ok_locked(struct channel *ch, struct thread *r, struct thread *c, int64_t n)
{
	ipc_worker_join(ch, r);
	TAILQ_INSERT_TAIL(&ch->ch_repliers, c, td_ipclink);
	c->td_state = STATE_REPLY;
	r->td_msginfo.priority = (int16_t)c->td_pri;
	if (r->td_rinfo)
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
	ipc_rcvid_next(td);
	td->td_ipcdone = 0;
	td->td_ipcnoslot = false;
	td->td_ipcchan = cr->cr_chan;	/* our reference from conn_lookup */
}

/*
 * Whether w's transaction, blocked on the fast path in kernel call `call`
 * (a send, or a receive), is done with a result its plain end can return:
 * not a restart, w's channel reference still held; for a send, claimed
 * through its rcvid (so ipc_drop_chan needs no slot lock); for a receive,
 * a message or pulse, not an error.
 */
static inline __attribute__((always_inline)) bool
cont_plain_result(const struct thread *w, int call)
{
	if (!__atomic_load_n(&w->td_ipcdone, __ATOMIC_ACQUIRE) || w->td_ipcresult == -ERESTART ||
	    w->td_ipcchan == NULL)
		return false;
	return call == __KER_MsgSend ? w->td_ipcnoslot : w->td_ipcresult >= 0;
}

/*
 * Whether w, blocked on the fast path in kernel call `call` (its
 * td_contcall, which is 0 once it runs again: a thread that sleeps again
 * inside ipc_cont_resume has kernel frames on its stack and is not
 * blocked without one) with its transaction done (cont_plain_result,
 * which the caller has checked or made true), ends its call by the plain
 * case: nothing for the wait loop, the call's end or the return to user
 * mode to do but the common steps (cont_plain_finish), so they need not
 * run on its own stack.  No request pending on gd but those in `cleared`
 * (the fast path's switch clears RQF_RESCHED, as lwkt_sleep_handoff's
 * does), nobody copying w's buffers, no signal, kill, stop or restart for
 * w; for a receive, a message at w's priority and no info to store.
 * Interrupts off.
 */
static inline __attribute__((always_inline)) bool
cont_plain(struct cpu *gd, struct thread *w, int call, uint32_t cleared)
{
	if (call == 0 || (__atomic_load_n(&gd->gd_reqflags, __ATOMIC_RELAXED) & ~cleared) ||
	    proc_user_return_pending(w))
		return false;
	if (call == __KER_MsgSend)
		return !__atomic_load_n(&w->td_ipcbusy, __ATOMIC_ACQUIRE);
	return !w->td_rinfo && !(w->td_ipcchan->ch_flags & _NTO_CHF_FIXED_PRIORITY) &&
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

#endif
