/*
 * lib/resmgr/waitq.c - queues of blocked clients (<sys/iofunc.h>): a
 * request a server cannot answer yet waits as a resmgr_waiter_t, in the
 * order the requests came, until the server answers it, the client
 * unblocks it (a signal or a time-out), or its OCB closes.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/iofunc.h>
#include <sys/neutrino.h>

resmgr_waiter_t *
resmgr_waiter_new(resmgr_context_t *ctp, iofunc_ocb_t *ocb, size_t nbytes, size_t hdr)
{
	resmgr_waiter_t *w = calloc(1, sizeof(*w));

	if (w)
		*w = (resmgr_waiter_t){ NULL, ctp->rcvid, ocb, ctp->info.pid, ctp->info.tid,
		    nbytes, 0, hdr };
	return w;
}

void
resmgr_waitq_add(resmgr_waiter_t **q, resmgr_waiter_t *w)
{
	while (*q)
		q = &(*q)->w_next;
	w->w_next = NULL;
	*q = w;
}

resmgr_waiter_t *
resmgr_waitq_take(resmgr_waiter_t **q)
{
	resmgr_waiter_t *w = *q;

	if (w)
		*q = w->w_next;
	return w;
}

resmgr_waiter_t *
resmgr_waitq_remove(resmgr_waiter_t **q, int rcvid)
{
	for (; *q; q = &(*q)->w_next)
		if ((*q)->w_rcvid == rcvid)
			return resmgr_waitq_take(q);
	return NULL;
}

int
resmgr_waitq_cancel(resmgr_waiter_t **q, resmgr_waiter_t *w)
{
	for (; *q; q = &(*q)->w_next)
		if (*q == w) {
			*q = w->w_next;
			if (w->w_done)
				MsgReply(w->w_rcvid, (long)w->w_done, NULL, 0);
			else
				MsgError(w->w_rcvid, EAGAIN);
			free(w);
			return 1;
		}
	return 0;
}

void
resmgr_waitq_fail_ocb(resmgr_waiter_t **q, iofunc_ocb_t *ocb, int err)
{
	while (*q) {
		if ((*q)->w_ocb == ocb) {
			resmgr_waiter_t *w = resmgr_waitq_take(q);

			MsgError(w->w_rcvid, err);
			free(w);
		} else {
			q = &(*q)->w_next;
		}
	}
}
