/*
 * dispatch.c - the message loop: a channel, contexts, receive, and the
 * pulses the library handles itself (disconnect, unblock).  Messages go
 * to resmgr.c.  One thread; a thread pool is not there yet.
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
	free(ctp->msg);
	free(ctp);
}

dispatch_context_t *dispatch_block(dispatch_context_t *ctp)
{
	int rcvid = MsgReceive(ctp->dpp->d_chid, ctp->msg, sizeof(*ctp->msg), &ctp->info);

	if (rcvid < 0)
		return NULL;
	ctp->rcvid = rcvid;
	ctp->size = rcvid == 0 ? sizeof(struct _pulse) : (size_t)ctp->info.msglen;
	ctp->status = 0;
	return ctp;
}

/* Answer ctp's message as the handler's return value r says (sys/resmgr.h). */
void rm_answer(resmgr_context_t *ctp, int r)
{
	if (r == _RESMGR_NOREPLY || ctp->rcvid <= 0)
		return;
	if (r > 0)
		MsgError(ctp->rcvid, r);
	else
		MsgReplyv(ctp->rcvid, ctp->status, ctp->iov, (size_t)-r);
}

/*
 * An unblock pulse: a client REPLY-blocked on us was signalled or timed
 * out.  If it still waits, the OCB's unblock handler decides (the default
 * answers EINTR); a stale pulse (answered meanwhile) is dropped.
 */
static void unblock(resmgr_context_t *ctp)
{
	io_pulse_t p = { .i = ctp->msg->pulse };
	struct rm_bind *b;
	int rcvid = p.i.value.sival_int;

	if (MsgInfo(rcvid, &ctp->info) < 0 || !(ctp->info.flags & _NTO_MI_UNBLOCK_REQ))
		return;
	ctp->rcvid = rcvid;
	b = rm_bind_find(ctp->dpp, ctp->info.scoid, ctp->info.coid);
	if (b == NULL || b->b_io->unblock == NULL)
		rm_answer(ctp, EINTR);
	else
		rm_answer(ctp, b->b_io->unblock(ctp, &p, b->b_ocb));
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
