/*
 * sys/iofunc.h - libresmgr's POSIX layer, in QNX Neutrino's shape
 * (docs/resmgr.md): iofunc_attr_t describes one object (mode, owner,
 * times, open counts), iofunc_ocb_t one open of it, and the
 * iofunc_*_default handlers answer every _IO_* message as a POSIX file
 * would, so a resource manager writes only what differs (read and write
 * at least).  iofunc_func_init() fills the tables with the defaults.
 * A server with its own attribute or OCB puts iofunc_attr_t / iofunc_ocb_t
 * first in its struct and casts.
 *
 * Threads (docs/resmgr.md, "Locking"): every attribute has a recursive
 * lock (iofunc_attr_lock).  The library holds the OCB's attribute locked
 * while an I/O handler or unblock handler runs, and iofunc_open_default
 * and iofunc_close_ocb_default lock theirs; connect handlers of a
 * server's own and close_ocb run without it (close_ocb may free the
 * object).  Several threads serving one dispatch_t thus never run two
 * handlers on one object at once.
 */
#ifndef _SYS_IOFUNC_H
#define _SYS_IOFUNC_H

#include <pthread.h>
#include <sys/types.h>
#include <sys/resmgr.h>
#include <sys/iofunc_cred.h>

typedef struct _iofunc_attr {
	mode_t		mode;		/* S_IF* type and permissions */
	uid_t		uid;		/* owner */
	gid_t		gid;
	nlink_t		nlink;
	uint64_t	inode;		/* serial number (0: the library picks one) */
	int64_t		nbytes;		/* size */
	uint64_t	rdev;		/* what device it is */
	int64_t		mtime, atime, ctime; /* seconds */
	unsigned	count;		/* OCBs open on it */
	unsigned	rcount;		/* ... for reading */
	unsigned	wcount;		/* ... for writing */
	pthread_mutex_t	lock;		/* iofunc_attr_lock's (recursive; iofunc_attr_init) */
	struct _iofunc_lock *lock_list;	/* record locks (iofunc_lock_default); attr locked */
} iofunc_attr_t;

typedef struct _iofunc_ocb {
	iofunc_attr_t	*attr;		/* the object */
	unsigned	ioflag;		/* open() flags (O_ACCMODE, O_NONBLOCK, O_APPEND) */
	int64_t		offset;		/* file position */
	unsigned	refs;		/* connections bound to it (the library's) */
	unsigned	busy;		/* handlers running on it (the library's): not freed meanwhile */
} iofunc_ocb_t;

/* Fill both tables with the defaults (nconnect/nio: the tables' sizes). */
void iofunc_func_init(unsigned nconnect, resmgr_connect_funcs_t *connect,
    unsigned nio, resmgr_io_funcs_t *io);

/* A new object: mode, owned by the client in info (or root if NULL), times now. */
void iofunc_attr_init(iofunc_attr_t *attr, mode_t mode, iofunc_attr_t *dattr,
    struct _client_info *info);

/*
 * Lock (unlock) an attribute, recursively: a thread may take it again.
 * May block.  0, or EINVAL for NULL.  iofunc_attr_trylock: EBUSY if
 * another thread holds it.
 */
int iofunc_attr_lock(iofunc_attr_t *attr);
int iofunc_attr_trylock(iofunc_attr_t *attr);
int iofunc_attr_unlock(iofunc_attr_t *attr);

/* Who sent ctp's message; 0 or an errno. */
int iofunc_client_info(resmgr_context_t *ctp, int ioflag, struct _client_info *info);

/* May info open attr with ioflag (O_ACCMODE)?  0, EACCES. */
int iofunc_check_access(resmgr_context_t *ctp, const iofunc_attr_t *attr,
    int ioflag, const struct _client_info *info);

/*
 * Open attr for the sender: access check, new OCB, bound; 0 or an errno.
 * iofunc_ocb_attach counts the OCB in attr's open counts: the caller
 * holds attr locked (iofunc_open_default does).
 */
int iofunc_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr,
    iofunc_attr_t *dattr, struct _client_info *info);
int iofunc_ocb_attach(resmgr_context_t *ctp, unsigned ioflag, iofunc_attr_t *attr,
    const resmgr_io_funcs_t *io);
void iofunc_ocb_detach(resmgr_context_t *ctp, iofunc_ocb_t *ocb);

/* The defaults. */
int iofunc_open_default(resmgr_context_t *, io_open_t *, iofunc_attr_t *, void *);
int iofunc_read_default(resmgr_context_t *, io_read_t *, iofunc_ocb_t *);	/* ENOSYS */
int iofunc_write_default(resmgr_context_t *, io_write_t *, iofunc_ocb_t *);	/* ENOSYS */
int iofunc_close_ocb_default(resmgr_context_t *, void *, iofunc_ocb_t *);
int iofunc_stat_default(resmgr_context_t *, io_stat_t *, iofunc_ocb_t *);
int iofunc_devctl_default(resmgr_context_t *, io_devctl_t *, iofunc_ocb_t *);	/* ENOTTY */
int iofunc_unblock_default(resmgr_context_t *, io_pulse_t *, iofunc_ocb_t *);	/* EINTR */
int iofunc_pathconf_default(resmgr_context_t *, io_pathconf_t *, iofunc_ocb_t *);
int iofunc_lseek_default(resmgr_context_t *, io_lseek_t *, iofunc_ocb_t *);
int iofunc_chmod_default(resmgr_context_t *, io_chmod_t *, iofunc_ocb_t *);
int iofunc_chown_default(resmgr_context_t *, io_chown_t *, iofunc_ocb_t *);
int iofunc_utime_default(resmgr_context_t *, io_utime_t *, iofunc_ocb_t *);
int iofunc_openfd_default(resmgr_context_t *, io_openfd_t *, iofunc_ocb_t *);
int iofunc_fdinfo_default(resmgr_context_t *, io_fdinfo_t *, iofunc_ocb_t *);
int iofunc_sync_default(resmgr_context_t *, io_sync_t *, iofunc_ocb_t *);
int iofunc_dup_default(resmgr_context_t *, io_dup_t *, iofunc_ocb_t *);
int iofunc_lock_default(resmgr_context_t *, io_lock_t *, iofunc_ocb_t *);
int iofunc_close_dup_default(resmgr_context_t *, io_close_t *, iofunc_ocb_t *);

/*
 * POSIX record locks (lib/resmgr/lock.c, docs/resmgr.md "Record
 * locks").  The defaults keep an object's locks on attr->lock_list and
 * take SEEK_END from attr->nbytes; a server whose objects are not one
 * iofunc_attr_t each keeps a struct _iofunc_lock *list (NULL: no locks)
 * per object and calls these with it and the object's size, with the
 * object serialised as the attribute lock would (the library holds the
 * OCB's attribute locked around every handler).
 *
 * iofunc_lock: _IO_LOCK (F_GETLK, F_SETLK, F_SETLKW; the owner is the
 * sender's pid).  Returns _RESMGR_NPARTS, _RESMGR_NOREPLY (an F_SETLKW
 * that waits: the library answers it when the lock is taken, EINTR on
 * an unblock, EBADF if its fd closes) or an errno: EINVAL, EOVERFLOW,
 * EBADF (a read lock on a write-only OCB or the reverse), EAGAIN
 * (F_SETLK in the way), EDEADLK, ENOLCK.
 * iofunc_close_dup: the sender closed a connection to the object (or
 * died): its process's locks go, and its waiters on that connection.
 * iofunc_lock_free: the object goes: every lock and waiter of list.
 * iofunc_lock_unblock: rcvid's F_SETLKW wait is forgotten (the library's
 * unblock does it before any unblock handler); 1 if it waited.
 */
struct _iofunc_lock;
int iofunc_lock(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *ocb,
    struct _iofunc_lock **list, int64_t size);
int iofunc_close_dup(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *ocb,
    struct _iofunc_lock **list);
void iofunc_lock_free(struct _iofunc_lock **list);
int iofunc_lock_unblock(int rcvid);

/* read/write helpers: may the OCB read (write)?  0 or EBADF. */
int iofunc_read_verify(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb, int *nonblock);
int iofunc_write_verify(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb, int *nonblock);

/*
 * _IO_NOTIFY (select, poll), in QNX's shape (lib/resmgr/notify.c).  A
 * server keeps iofunc_notify_t nop[3] per object (IOFUNC_NOTIFY_INPUT,
 * _OUTPUT, _OBAND); its notify handler calls iofunc_notify() with the
 * _NOTIFY_COND_* bits true now (notifycounts is ignored), and calls
 * iofunc_notify_trigger(nop, 1, index) when a condition becomes true.
 * iofunc_notify_remove(ctp, nop) forgets ctp's connection's entries (all
 * of them with ctp NULL, when the object goes).
 */
#define IOFUNC_NOTIFY_INPUT	0
#define IOFUNC_NOTIFY_OUTPUT	1
#define IOFUNC_NOTIFY_OBAND	2

typedef struct _iofunc_notify {
	int				cnt;	/* entries armed */
	struct _iofunc_notify_ent	*list;
} iofunc_notify_t;

int iofunc_notify(resmgr_context_t *ctp, io_notify_t *msg, iofunc_notify_t *nop, int trig,
    const int *notifycounts, int *armed);
void iofunc_notify_trigger(iofunc_notify_t *nop, int count, int index);
void iofunc_notify_remove(resmgr_context_t *ctp, iofunc_notify_t *nop);

/*
 * Blocked clients (waitq.c; QSOE's, not QNX's): a server that holds a
 * read or write until it can answer (_RESMGR_NOREPLY) keeps one waiter
 * per rcvid on a first-come, first-served queue, and answers it later.
 * The pipe manager and the console driver share this.
 */
typedef struct resmgr_waiter {
	struct resmgr_waiter *w_next;
	int		w_rcvid;
	iofunc_ocb_t	*w_ocb;
	int		w_pid, w_tid;	/* the client (SIGPIPE, say) */
	size_t		w_nbytes;	/* asked for */
	size_t		w_done;		/* answered so far (a writer's bytes taken) */
	size_t		w_hdr;		/* where a writer's data starts in its message */
} resmgr_waiter_t;

/* A waiter for ctp's request on ocb (calloc'd; free() it), or NULL. */
resmgr_waiter_t *resmgr_waiter_new(resmgr_context_t *ctp, iofunc_ocb_t *ocb, size_t nbytes,
    size_t hdr);
/* Queue w last. */
void resmgr_waitq_add(resmgr_waiter_t **q, resmgr_waiter_t *w);
/* Take the first waiter off q; NULL if q is empty. */
resmgr_waiter_t *resmgr_waitq_take(resmgr_waiter_t **q);
/* Take rcvid's waiter off q (an unblock); NULL if it is not there. */
resmgr_waiter_t *resmgr_waitq_remove(resmgr_waiter_t **q, int rcvid);
/*
 * A non-blocking request that could not be answered at once: if w is
 * still on q, take it off and answer what it got (w_done bytes) or
 * EAGAIN, and free it.  Returns 1 if it was still queued.
 */
int resmgr_waitq_cancel(resmgr_waiter_t **q, resmgr_waiter_t *w);
/* Answer err to every waiter of ocb on q (the OCB closes) and free them. */
void resmgr_waitq_fail_ocb(resmgr_waiter_t **q, iofunc_ocb_t *ocb, int err);

#endif
