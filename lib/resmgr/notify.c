/*
 * lib/resmgr/notify.c - _IO_NOTIFY for select() and poll(), QNX-shaped:
 * a server keeps an iofunc_notify_t[3] (input, output, out-of-band) per
 * object, answers _IO_NOTIFY with iofunc_notify() and the conditions
 * true now, and calls iofunc_notify_trigger() when one becomes true.
 *
 * An armed client is remembered by its connection (scoid, coid): arming
 * again replaces its entry, so a client polling in a loop holds at most
 * one entry per condition.  A trigger delivers each entry's event once
 * (MsgDeliverEvent on the rcvid of the _IO_NOTIFY, which still names the
 * client after the reply) and forgets it; an entry of a client that has
 * gone fails to deliver and is forgotten the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/iofunc.h>
#include "rm.h"

struct _iofunc_notify_ent {
	struct _iofunc_notify_ent *ne_next;
	int			ne_rcvid;	/* for MsgDeliverEvent */
	int			ne_scoid, ne_coid;	/* the client's connection */
	struct __abi_sigevent	ne_event;
};

static const int cond_of[3] = { _NOTIFY_COND_INPUT, _NOTIFY_COND_OUTPUT, _NOTIFY_COND_OBAND };

/* Arm list for ctp's connection (replacing its old entry); ENOMEM or EOK. */
static int
arm(resmgr_context_t *ctp, iofunc_notify_t *nop, const struct __abi_sigevent *ev)
{
	struct _iofunc_notify_ent *e;

	for (e = nop->list; e; e = e->ne_next)
		if (e->ne_scoid == ctp->info.scoid && e->ne_coid == ctp->info.coid)
			break;
	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return ENOMEM;
		e->ne_next = nop->list;
		nop->list = e;
		nop->cnt++;
	}
	e->ne_rcvid = ctp->rcvid;
	e->ne_scoid = ctp->info.scoid;
	e->ne_coid = ctp->info.coid;
	e->ne_event = *ev;
	return EOK;
}

int
iofunc_notify(resmgr_context_t *ctp, io_notify_t *msg, iofunc_notify_t *nop, int trig,
    const int *notifycounts, int *armed)
{
	struct _io_notify_reply rep;
	int want = msg->i.flags, now = trig & want, r;

	(void)notifycounts;
	if (armed)
		*armed = 0;
	if (msg->i.action < _NOTIFY_ACTION_POLL || msg->i.action > _NOTIFY_ACTION_TRANARM ||
	    (want & ~(_NOTIFY_COND_INPUT | _NOTIFY_COND_OUTPUT | _NOTIFY_COND_OBAND)))
		return EINVAL;
	if (msg->i.action == _NOTIFY_ACTION_TRANARM ||
	    (msg->i.action == _NOTIFY_ACTION_POLLARM && now == 0)) {
		for (int i = 0; i < 3; i++)
			if ((want & cond_of[i]) && (r = arm(ctp, &nop[i], &msg->i.event)) != EOK)
				return r;
		if (armed)
			*armed = 1;
		if (msg->i.action == _NOTIFY_ACTION_TRANARM)
			now = 0;
	}
	rep.zero = 0;
	rep.flags = (uint32_t)now;
	memcpy(ctp->msg, &rep, sizeof(rep));	/* msg is done with: the reply goes there */
	SETIOV(&ctp->iov[0], ctp->msg, sizeof(rep));
	_RESMGR_STATUS(ctp, 0);
	return _RESMGR_NPARTS(1);
}

void
iofunc_notify_trigger(iofunc_notify_t *nop, int count, int index)
{
	struct _iofunc_notify_ent *e, *list;

	(void)count;
	if (index < 0 || index > 2)
		return;
	list = nop[index].list;
	nop[index].list = NULL;
	nop[index].cnt = 0;
	while ((e = list) != NULL) {
		list = e->ne_next;
		MsgDeliverEvent(e->ne_rcvid, &e->ne_event);	/* a client gone: nothing to do */
		free(e);
	}
}

void
iofunc_notify_remove(resmgr_context_t *ctp, iofunc_notify_t *nop)
{
	for (int i = 0; i < 3; i++)
		for (struct _iofunc_notify_ent **q = &nop[i].list; *q; ) {
			struct _iofunc_notify_ent *e = *q;

			if (ctp == NULL || (e->ne_scoid == ctp->info.scoid && e->ne_coid == ctp->info.coid)) {
				*q = e->ne_next;
				nop[i].cnt--;
				free(e);
			} else {
				q = &e->ne_next;
			}
		}
}
