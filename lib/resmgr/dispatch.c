/*
 * dispatch.c - the message loop: a channel, contexts, receive, and the
 * pulses the library handles itself (disconnect, unblock).  Messages go
 * to resmgr.c.  Any number of threads may block on one dispatch_t, each
 * with its own context (a thread pool: tpool.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "rm.h"

dispatch_t *dispatch_create(void)
{
	dispatch_t *dpp = calloc(1, sizeof(*dpp));

	if (dpp == NULL)
		return NULL;
	pthread_mutex_init(&dpp->d_lock, NULL);
	dpp->d_chid = ChannelCreate(_NTO_CHF_DISCONNECT | _NTO_CHF_UNBLOCK |
	    _NTO_CHF_SENDER_LEN | _NTO_CHF_REPLY_LEN);
	if (dpp->d_chid < 0) {
		free(dpp);
		return NULL;
	}
	return dpp;
}

int dispatch_chid(const dispatch_t *dpp)
{
	return dpp->d_chid;
}

int dispatch_destroy(dispatch_t *dpp)
{
	int r = ChannelDestroy(dpp->d_chid);

	if (dpp->d_selfcoid > 0)
		ConnectDetach(dpp->d_selfcoid);
	free(dpp->d_binds);
	free(dpp);
	return r;
}

dispatch_context_t *dispatch_context_alloc(dispatch_t *dpp)
{
	dispatch_context_t *ctp = calloc(1, sizeof(*ctp));

	if (ctp == NULL || (ctp->msg = malloc(sizeof(*ctp->msg))) == NULL) {
		free(ctp);
		errno = ENOMEM;
		return NULL;
	}
	ctp->dpp = dpp;
	return ctp;
}

void dispatch_context_free(dispatch_context_t *ctp)
{
	dispatch_flush(ctp);
	free(ctp->msg);
	free(ctp);
}

void dispatch_replyrecv(dispatch_context_t *ctp, int on)
{
	if (!on)
		dispatch_flush(ctp);
	ctp->__rr_on = on;
}

/* The reply rm_answer kept, if any: made now (its errors ignored, as rm_answer's). */
void dispatch_flush(dispatch_context_t *ctp)
{
	int rcvid = ctp->__rr_rcvid;

	if (rcvid > 0) {
		ctp->__rr_rcvid = 0;
		MsgReply(rcvid, ctp->__rr_status, ctp->__rr_msg, ctp->__rr_len);
	}
}

/*
 * With a reply kept (dispatch_replyrecv), it goes with the receive: the
 * receive happens whatever the reply did, and the reply's error is
 * ignored, as rm_answer ignores MsgReplyv's.
 */
dispatch_context_t *dispatch_block(dispatch_context_t *ctp)
{
	int rcvid, kept = ctp->__rr_rcvid;

	if (kept > 0) {
		ctp->__rr_rcvid = 0;
		rcvid = MsgReplyReceive(kept, ctp->__rr_status, ctp->__rr_msg, ctp->__rr_len,
		    ctp->dpp->d_chid, ctp->msg, sizeof(*ctp->msg), &ctp->info, NULL);
	} else {
		rcvid = MsgReceive(ctp->dpp->d_chid, ctp->msg, sizeof(*ctp->msg), &ctp->info);
	}
	if (rcvid < 0)
		return NULL;
	ctp->rcvid = rcvid;
	ctp->size = rcvid == 0 ? sizeof(struct _pulse) : (size_t)ctp->info.msglen;
	ctp->status = 0;
	return ctp;
}

/*
 * Wake one thread blocked in dispatch_block on ctp's dispatch_t (which
 * one the kernel picks): a pulse the library ignores.  What
 * thread_pool_destroy and thread_pool_control use to make waiting
 * threads look at the pool again.  0, or -1 and errno.
 */
int dispatch_unblock(dispatch_context_t *ctp)
{
	dispatch_t *dpp = ctp->dpp;
	int coid;

	pthread_mutex_lock(&dpp->d_lock);
	if (dpp->d_selfcoid <= 0)
		dpp->d_selfcoid = ConnectAttach(0, 0, dpp->d_chid, _NTO_SIDE_CHANNEL, 0);
	coid = dpp->d_selfcoid;
	pthread_mutex_unlock(&dpp->d_lock);
	if (coid < 0)
		return -1;
	return MsgSendPulse(coid, -1, RM_PULSE_WAKE, RM_PULSE_WAKE_VALUE) < 0 ? -1 : 0;
}

/*
 * Answer ctp's message as the handler's return value r says
 * (sys/resmgr.h).  With dispatch_replyrecv on, a reply of at most one
 * part is kept for the next dispatch_block (one kept before it is made
 * first, so replies keep their order).
 */
void rm_answer(resmgr_context_t *ctp, int r)
{
	if (r == _RESMGR_NOREPLY || ctp->rcvid <= 0)
		return;
	dispatch_flush(ctp);
	if (r > 0) {
		MsgError(ctp->rcvid, r);
	} else if (ctp->__rr_on && r >= -1) {
		ctp->__rr_status = ctp->status;
		ctp->__rr_msg = r == 0 ? NULL : ctp->iov[0].iov_base;
		ctp->__rr_len = r == 0 ? 0 : ctp->iov[0].iov_len;
		ctp->__rr_rcvid = ctp->rcvid;
	} else {
		MsgReplyv(ctp->rcvid, ctp->status, ctp->iov, (size_t)-r);
	}
}

/*
 * An unblock pulse: a client REPLY-blocked on us was signalled or timed
 * out.  If it still waits, a record-lock wait (lock.c) ends with EINTR;
 * otherwise the OCB's unblock handler decides (the default answers
 * EINTR).  A stale pulse (answered meanwhile) is dropped.
 */
static void unblock(resmgr_context_t *ctp)
{
	io_pulse_t p = { .i = ctp->msg->pulse };
	const resmgr_io_funcs_t *io;
	iofunc_ocb_t *ocb;
	int rcvid = p.i.value.sival_int, r = EINTR;

	if (MsgInfo(rcvid, &ctp->info) < 0 || !(ctp->info.flags & _NTO_MI_UNBLOCK_REQ))
		return;
	ctp->rcvid = rcvid;
	if (iofunc_lock_unblock(rcvid)) {	/* an F_SETLKW wait: EINTR */
		rm_answer(ctp, EINTR);
		return;
	}
	ocb = rm_ocb_hold(ctp->dpp, ctp->info.scoid, ctp->info.coid, -1, &io);
	if (ocb != NULL) {
		if (io->unblock) {
			iofunc_attr_lock(ocb->attr);
			r = io->unblock(ctp, &p, ocb);
			iofunc_attr_unlock(ocb->attr);
		}
		rm_ocb_release(ctp, ocb, io);
	}
	rm_answer(ctp, r);
}

int dispatch_handler(dispatch_context_t *ctp)
{
	if (ctp->rcvid > 0) {
		rm_message(ctp);
	} else if (ctp->msg->pulse.code == _PULSE_CODE_DISCONNECT) {
		rm_disconnect(ctp, ctp->msg->pulse.scoid);
	} else if (ctp->msg->pulse.code == _PULSE_CODE_UNBLOCK) {
		unblock(ctp);
	}
	return 0;
}
