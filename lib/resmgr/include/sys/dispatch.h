/*
 * sys/dispatch.h - libresmgr's message loop, in QNX Neutrino's shape
 * (docs/resmgr.md): a dispatch_t owns the channel; a dispatch_context_t
 * holds one received message; dispatch_block() receives, and
 * dispatch_handler() hands the message to the resource manager layer
 * (<sys/resmgr.h>).  One thread may serve, or a pool of them
 * (thread_pool_create below), each blocked in dispatch_block with a
 * context of its own.
 */
#ifndef _SYS_DISPATCH_H
#define _SYS_DISPATCH_H

#include <signal.h>		/* musl's struct sigevent before the ABI's */
#include <stddef.h>
#include <pthread.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>

#define _DISPATCH_MSG_MAX	8192	/* receive buffer: a whole _IO_CONNECT fits */

typedef struct _dispatch dispatch_t;
typedef struct _resmgr_context resmgr_context_t;
typedef resmgr_context_t dispatch_context_t;

/*
 * What a handler sees (QNX's resmgr_context_t): the rcvid, the message
 * info, the message (at most _DISPATCH_MSG_MAX bytes of it: the rest is
 * read with resmgr_msgread), and the reply parts a handler fills in
 * before it returns _RESMGR_NPARTS(n).
 */
struct _resmgr_context {
	int			rcvid;		/* 0: a pulse */
	struct _msg_info	info;		/* MsgReceive's */
	dispatch_t		*dpp;		/* the loop it belongs to */
	int			id;		/* attach id the message came for */
	long			status;		/* reply status for _RESMGR_NPARTS */
	size_t			size;		/* bytes of msg actually received */
	iov_t			iov[4];		/* reply parts */
	const void		*io_funcs;	/* the library's: the table in use */
	union {
		struct _msg_hdr	hdr;
		struct _pulse	pulse;
		char		buf[_DISPATCH_MSG_MAX];
	} *msg;					/* the received message */
	/* The library's: a reply kept for the next dispatch_block (dispatch_replyrecv). */
	int			__rr_on;
	int			__rr_rcvid;	/* > 0: a reply waits */
	long			__rr_status;
	const void		*__rr_msg;
	size_t			__rr_len;
};

/* A new loop with its own channel (disconnect and unblock pulses on); NULL, errno. */
dispatch_t *dispatch_create(void);

/* The loop's channel id. */
int dispatch_chid(const dispatch_t *dpp);

/* A context to receive into; NULL and errno ENOMEM. */
dispatch_context_t *dispatch_context_alloc(dispatch_t *dpp);
void dispatch_context_free(dispatch_context_t *ctp);

/*
 * Receive one message or pulse (blocks).  Returns ctp, or NULL with errno
 * (EINTR from a signal: call again).
 */
dispatch_context_t *dispatch_block(dispatch_context_t *ctp);

/* Handle what dispatch_block received: always replies or keeps it as the handler said; 0. */
int dispatch_handler(dispatch_context_t *ctp);

/*
 * QSOE extension, for a loop that calls dispatch_block again right after
 * dispatch_handler (a thread pool of those two does it by itself): on,
 * a reply of one part or none that dispatch_handler makes for ctp waits
 * for the next dispatch_block, which makes it and receives in one kernel
 * call (MsgReplyReceive, <sys/neutrino.h>).  What it replies with must
 * stay as it is until then (ctp->msg does).  A loop that stops must call
 * dispatch_flush, which makes a waiting reply now (also when turned off,
 * and by dispatch_context_free).
 */
void dispatch_replyrecv(dispatch_context_t *ctp, int on);
void dispatch_flush(dispatch_context_t *ctp);

/* Stop the loop: the channel is destroyed, attachments go with it. */
int dispatch_destroy(dispatch_t *dpp);

/*
 * Make one thread blocked in dispatch_block on ctp's dispatch_t return
 * (a pulse of the library's, which dispatch_handler ignores); the pool's
 * unblock_func when none is given.  0, or -1 and errno.
 */
int dispatch_unblock(dispatch_context_t *ctp);

/*
 * Names, QNX's way (lib/resmgr/name.c, lib/c/posix/name.c, docs/resmgr.md):
 * a server attaches a name (a relative path: no leading '/', no empty or
 * ".." component) as /dev/name/local/NAME, or /dev/name/global/NAME with
 * NAME_FLAG_ATTACH_GLOBAL, and receives on attach->chid itself; clients
 * name_open() it and MsgSend() on the coid.  The server answers each
 * _IO_CONNECT with EOK, other _IO_* messages as it likes (ENOSYS), and
 * gets _PULSE_CODE_DISCONNECT when a client's connection goes.  With no
 * dpp, name_attach makes one; name_detach destroys the dispatch unless
 * NAME_FLAG_DETACH_SAVEDPP.  name_attach: NULL and errno (EINVAL,
 * ENAMETOOLONG, ENOMEM, taskman's errors); name_detach: 0 or -1 (EINVAL).
 * name_open: the coid (close-on-exec), or -1 with EINVAL, ENAMETOOLONG
 * or open()'s errors (ENOENT when nobody has the name); a name starting
 * with '/' is any path.  name_close: close().  name_open and name_close
 * are libc's; name_attach and name_detach are libresmgr's.
 */
#define NAME_FLAG_ATTACH_GLOBAL		_NAME_FLAG_ATTACH_GLOBAL
#define NAME_FLAG_DETACH_SAVEDPP	_NAME_FLAG_DETACH_SAVEDPP

typedef struct _name_attach {
	dispatch_t	*dpp;		/* the dispatch the name's messages come to */
	int		chid;		/* its channel: MsgReceive on it */
	int		mntid;		/* the path manager's attach id */
	int		zero[2];
} name_attach_t;

name_attach_t *name_attach(dispatch_t *dpp, const char *path, unsigned flags);
int name_detach(name_attach_t *attach, unsigned flags);
int name_open(const char *name, int flags);
int name_close(int coid);

/*
 * Thread pools, in QNX's shape (lib/resmgr/tpool.c, docs/resmgr.md).
 * Each thread allocates its context (context_alloc(handle)), then loops:
 * block_func(ctp), handler_func(ctp).  The pool counts the threads
 * waiting in block_func (a thread being created counts as waiting):
 *
 *	fewer than lo_water waiting	increment more are created, never
 *					more than maximum in all
 *	a thread done with handler_func	exits if hi_water already wait
 *	while hi_water already wait	(context_free(ctp) first)
 *
 * So a busy server grows up to maximum threads, and once the load goes
 * at most hi_water of them stay.  Locks: the pool's own, never held
 * across block_func, handler_func or the context functions.
 */
#ifndef THREAD_POOL_PARAM_T
#define THREAD_POOL_PARAM_T	dispatch_context_t
#endif
#ifndef THREAD_POOL_HANDLE_T
#define THREAD_POOL_HANDLE_T	dispatch_t
#endif

typedef struct _thread_pool_attr {
	THREAD_POOL_HANDLE_T	*handle;	/* context_alloc's argument; required */
	THREAD_POOL_PARAM_T	*(*block_func)(THREAD_POOL_PARAM_T *ctp);	/* required */
	void			(*unblock_func)(THREAD_POOL_PARAM_T *ctp);	/* wakes a blocked thread */
	int			(*handler_func)(THREAD_POOL_PARAM_T *ctp);	/* required */
	THREAD_POOL_PARAM_T	*(*context_alloc)(THREAD_POOL_HANDLE_T *handle);	/* required */
	void			(*context_free)(THREAD_POOL_PARAM_T *ctp);
	pthread_attr_t		*attr;		/* for the new threads; NULL: defaults */
	unsigned short		lo_water;	/* fewer waiting: create more */
	unsigned short		increment;	/* how many at a time (>= 1) */
	unsigned short		hi_water;	/* more waiting: the surplus exits (>= lo_water) */
	unsigned short		maximum;	/* threads in all, never more (>= 1) */
} thread_pool_attr_t;

typedef struct _thread_pool thread_pool_t;

/* thread_pool_create's flags: what thread_pool_start does with its caller. */
#define POOL_FLAG_EXIT_SELF	0x1	/* the caller exits (pthread_exit) */
#define POOL_FLAG_USE_SELF	0x2	/* the caller becomes one of the pool's threads */

/* thread_pool_control's flags: which of attr's fields to take, and whether to wait. */
#define THREAD_POOL_CONTROL_HIWATER	0x1
#define THREAD_POOL_CONTROL_INCREMENT	0x2
#define THREAD_POOL_CONTROL_LOWATER	0x4
#define THREAD_POOL_CONTROL_MAXIMUM	0x8
#define THREAD_POOL_CONTROL_NONBLOCK	0x10

/*
 * A pool from a copy of *attr; no thread starts yet.  NULL and errno:
 * EINVAL (attr or its handle, block_func, handler_func or context_alloc
 * NULL; maximum or increment 0; lo_water > hi_water or > maximum; flags
 * unknown or both), ENOMEM.
 */
thread_pool_t *thread_pool_create(thread_pool_attr_t *attr, unsigned flags);

/*
 * Start the pool: lo_water threads (at least one), the caller among
 * them with POOL_FLAG_USE_SELF.  Without flags returns 0 at once; with
 * POOL_FLAG_EXIT_SELF the calling thread exits; with POOL_FLAG_USE_SELF
 * it serves and returns 0 only once the pool is destroyed.  -1 and
 * errno (EINVAL: pool NULL or started already; EAGAIN: no thread could
 * be made).
 */
int thread_pool_start(void *pool);

/*
 * Stop the pool: its waiting threads are woken (unblock_func, or
 * dispatch_unblock for a pool of dispatch_block), every thread exits
 * once its handler returns (context_free), and the pool is freed when
 * the last has gone.  Blocks until then; must not be called by one of
 * the pool's threads (EDEADLK).  0, or -1 and errno.
 */
int thread_pool_destroy(thread_pool_t *pool);

/*
 * Change the limits the flags name to attr's; then, unless
 * THREAD_POOL_CONTROL_NONBLOCK, wait until the pool has between lower
 * and upper threads.  Surplus waiting threads are woken so that they
 * exit.  0, or -1 and errno (EINVAL as for thread_pool_create).
 */
int thread_pool_control(thread_pool_t *pool, thread_pool_attr_t *attr,
    unsigned short lower, unsigned short upper, unsigned flags);

/* thread_pool_control for the limits given as >= 0 (a negative one stays). */
int thread_pool_limits(thread_pool_t *pool, int lowater, int hiwater,
    int maximum, int increment, unsigned flags);

#endif
