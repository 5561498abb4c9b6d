/*
 * lock.c - POSIX record locks for every server (docs/resmgr.md,
 * "Record locks"): _IO_LOCK on a list of struct _iofunc_lock per object
 * (lockrange.c has the range logic), F_SETLKW clients kept
 * REPLY-blocked until their lock can be taken, and a process's locks
 * dropped when it closes any fd on the object or dies (close_dup).
 *
 * The waiters of every list are on one queue, lk_waiters, under
 * lk_mutex, a leaf lock taken under an object's attribute lock, never
 * the other way: an unblock finds its waiter by rcvid alone, and the
 * deadlock check follows "who waits for whom" across objects.  A list
 * itself is only touched under its object's attribute lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rm.h"
#include "lockrange.h"

#define LK_MAX_PER_OBJECT	1024	/* locks on one object: ENOLCK beyond */
#define LK_CHAIN_MAX		64	/* hops the deadlock check follows */
#define ACCMODE			3

struct lk_waiter {
	struct lk_waiter	*w_next;	/* in arrival order */
	struct _iofunc_lock	**w_list;	/* the object's list it waits on */
	int			w_rcvid;	/* the client, REPLY-blocked */
	int			w_scoid, w_coid; /* its connection (a close fails it) */
	pid_t			w_pid;		/* the lock's owner-to-be */
	pid_t			w_blocker;	/* the owner of a lock in its way when last tried */
	short			w_type;
	int64_t			w_start, w_end;
};

static pthread_mutex_t lk_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct lk_waiter *lk_waiters;

/* lk_mutex held: would pid waiting for blocker close a cycle? */
static int deadlock(pid_t pid, pid_t blocker)
{
	for (int hop = 0; hop < LK_CHAIN_MAX; hop++) {
		struct lk_waiter *w = lk_waiters;

		if (blocker == pid)
			return 1;
		while (w && w->w_pid != blocker)
			w = w->w_next;
		if (w == NULL)
			return 0;
		blocker = w->w_blocker;
	}
	return 0;
}

/*
 * lk_mutex held: give every waiter on list that can have its lock now
 * its lock and its reply, in arrival order.  A waiter whose client is
 * gone (the reply fails) gives the lock back.
 */
static void wake(struct _iofunc_lock **list)
{
	struct lk_waiter **pp = &lk_waiters;

	while (*pp) {
		struct lk_waiter *w = *pp;
		struct _iofunc_lock *c;
		int r;

		if (w->w_list != list) {
			pp = &w->w_next;
			continue;
		}
		if ((c = lk_conflict(*list, w->w_pid, w->w_type, w->w_start, w->w_end)) != NULL) {
			w->w_blocker = c->lk_pid;
			pp = &w->w_next;
			continue;
		}
		*pp = w->w_next;
		if ((r = lk_set(list, w->w_pid, w->w_type, w->w_start, w->w_end)) != 0)
			MsgError(w->w_rcvid, ENOLCK);
		else if (MsgReply(w->w_rcvid, 0, NULL, 0) < 0)
			lk_set(list, w->w_pid, F_UNLCK, w->w_start, w->w_end);
		free(w);
		pp = &lk_waiters;	/* the list changed: look again from the start */
	}
}

/* Fail (err) and forget the waiters on list that match (scoid < 0: all of them). */
static void fail_waiters(struct _iofunc_lock **list, int scoid, int coid, int err)
{
	struct lk_waiter **pp = &lk_waiters;

	while (*pp) {
		struct lk_waiter *w = *pp;

		if (w->w_list == list && (scoid < 0 || (w->w_scoid == scoid && w->w_coid == coid))) {
			*pp = w->w_next;
			MsgError(w->w_rcvid, err);
			free(w);
		} else {
			pp = &w->w_next;
		}
	}
}

/* F_SETLKW in the way of c: queue the client (NOREPLY), or EDEADLK/ENOMEM. */
static int block(resmgr_context_t *ctp, struct _iofunc_lock **list, struct _iofunc_lock *c,
    int type, int64_t start, int64_t end)
{
	struct lk_waiter *w, **pp;
	int r = _RESMGR_NOREPLY;

	pthread_mutex_lock(&lk_mutex);
	if (deadlock(ctp->info.pid, c->lk_pid)) {
		r = EDEADLK;
	} else if ((w = calloc(1, sizeof(*w))) == NULL) {
		r = ENOLCK;
	} else {
		*w = (struct lk_waiter){ NULL, list, ctp->rcvid, ctp->info.scoid, ctp->info.coid,
		    ctp->info.pid, c->lk_pid, (short)type, start, end };
		for (pp = &lk_waiters; *pp; pp = &(*pp)->w_next)
			;
		*pp = w;
	}
	pthread_mutex_unlock(&lk_mutex);
	return r;
}

/* The request's lock, checked: 0 or an errno; *base from l_whence. */
static int decode(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *ocb, int64_t size,
    struct _io_flock *fl, int64_t *start, int64_t *end)
{
	int64_t base;

	if (msg->i.nbytes != (int32_t)sizeof(*fl) || ctp->size < sizeof(msg->i) + sizeof(*fl))
		return EINVAL;
	memcpy(fl, (char *)msg + sizeof(msg->i), sizeof(*fl));
	if (msg->i.subtype != F_GETLK && msg->i.subtype != F_SETLK && msg->i.subtype != F_SETLKW)
		return EINVAL;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    (fl->l_type != F_UNLCK || msg->i.subtype == F_GETLK))
		return EINVAL;
	switch (fl->l_whence) {
	case SEEK_SET:	base = 0; break;
	case SEEK_CUR:	base = ocb->offset; break;
	case SEEK_END:	base = size; break;
	default:	return EINVAL;
	}
	return lk_range(base, fl->l_start, fl->l_len, start, end);
}

/* F_GETLK's answer: the lock in the way, or F_UNLCK. */
static int getlk(resmgr_context_t *ctp, struct _iofunc_lock *c, struct _io_flock *fl)
{
	struct { struct _io_lock_reply r; struct _io_flock f; } *rep = (void *)ctp->msg;

	_Static_assert(sizeof(*rep) <= sizeof(*ctp->msg), "the reply fits the context");
	if (c == NULL) {
		fl->l_type = F_UNLCK;
	} else {
		fl->l_type = c->lk_type;
		fl->l_whence = SEEK_SET;
		fl->l_start = c->lk_start;
		fl->l_len = c->lk_end == LK_EOF ? 0 : c->lk_end - c->lk_start + 1;
		fl->l_pid = c->lk_pid;
	}
	memset(&rep->r, 0, sizeof(rep->r));
	rep->f = *fl;
	SETIOV(&ctp->iov[0], rep, sizeof(*rep));
	return _RESMGR_NPARTS(1);
}

int iofunc_lock(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *ocb,
    struct _iofunc_lock **list, int64_t size)
{
	struct _io_flock fl;
	struct _iofunc_lock *c;
	int64_t start, end;
	int r = decode(ctp, msg, ocb, size, &fl, &start, &end);

	if (r != EOK)
		return r;
	if ((fl.l_type == F_RDLCK && (ocb->ioflag & ACCMODE) == O_WRONLY) ||
	    (fl.l_type == F_WRLCK && (ocb->ioflag & ACCMODE) == O_RDONLY))
		return EBADF;
	c = fl.l_type == F_UNLCK ? NULL : lk_conflict(*list, ctp->info.pid, fl.l_type, start, end);
	if (msg->i.subtype == F_GETLK)
		return getlk(ctp, c, &fl);
	if (c != NULL)
		return msg->i.subtype == F_SETLK ? EAGAIN : block(ctp, list, c, fl.l_type, start, end);
	if (fl.l_type != F_UNLCK && lk_count(*list) >= LK_MAX_PER_OBJECT)
		return ENOLCK;
	if (lk_set(list, ctp->info.pid, fl.l_type, start, end) != 0)
		return ENOLCK;
	pthread_mutex_lock(&lk_mutex);
	wake(list);	/* an unlock or a downgrade may let waiters in */
	pthread_mutex_unlock(&lk_mutex);
	return EOK;
}

int iofunc_lock_default(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *ocb)
{
	if (ocb->attr == NULL)
		return ENOSYS;		/* an OCB without an attribute has nowhere to keep them */
	return iofunc_lock(ctp, msg, ocb, &ocb->attr->lock_list, ocb->attr->nbytes);
}

int iofunc_close_dup(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *ocb,
    struct _iofunc_lock **list)
{
	(void)msg, (void)ocb;
	pthread_mutex_lock(&lk_mutex);
	fail_waiters(list, ctp->info.scoid, ctp->info.coid, EBADF);
	if (lk_drop(list, ctp->info.pid) > 0)
		wake(list);
	pthread_mutex_unlock(&lk_mutex);
	return EOK;
}

int iofunc_close_dup_default(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *ocb)
{
	return ocb->attr ? iofunc_close_dup(ctp, msg, ocb, &ocb->attr->lock_list) : EOK;
}

void iofunc_lock_free(struct _iofunc_lock **list)
{
	pthread_mutex_lock(&lk_mutex);
	fail_waiters(list, -1, -1, EBADF);
	lk_drop(list, -1);
	pthread_mutex_unlock(&lk_mutex);
}

int iofunc_lock_unblock(int rcvid)
{
	struct lk_waiter **pp, *w = NULL;

	pthread_mutex_lock(&lk_mutex);
	for (pp = &lk_waiters; *pp; pp = &(*pp)->w_next)
		if ((*pp)->w_rcvid == rcvid) {
			w = *pp;
			*pp = w->w_next;
			break;
		}
	pthread_mutex_unlock(&lk_mutex);
	free(w);
	return w != NULL;
}
