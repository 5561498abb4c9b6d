/*
 * sys/resmgr.h - the resource manager layer of libresmgr, in QNX
 * Neutrino's shape (docs/resmgr.md): resmgr_attach() takes a path prefix
 * from taskman's path manager and binds it to two tables of handlers;
 * dispatch_handler() decodes and checks each _IO_* message and calls the
 * handler, whose return value says how to answer:
 *
 *	an errno (> 0)		MsgError(rcvid, errno)
 *	_RESMGR_NPARTS(n)	MsgReplyv(rcvid, ctp->status, ctp->iov, n)
 *				(EOK is _RESMGR_NPARTS(0): status, no data)
 *	_RESMGR_NOREPLY		nothing: the handler keeps the client
 *				REPLY-blocked and answers later
 *
 * OCBs are bound to client connections (scoid, coid); the library frees
 * them (close_ocb) on _IO_CLOSE, on the last close of a shared OCB and
 * when a client disconnects or dies; with several threads (a thread
 * pool) only once no handler runs on them any more.  The library's
 * tables are locked; each I/O handler runs with its OCB's attribute
 * locked (sys/iofunc.h).
 */
#ifndef _SYS_RESMGR_H
#define _SYS_RESMGR_H

#include <sys/dispatch.h>
#include <sys/procmsg.h>

#define _RESMGR_NPARTS(n)	(-(int)(n))
#define _RESMGR_NOREPLY		(-0x7fff)
#define _RESMGR_ERRNO(e)	(e)
#define _RESMGR_STATUS(ctp, s)	((ctp)->status = (s))
#define EOK			0

/* QNX's message unions: a handler reads msg->i. */
typedef union { struct _io_connect i; } io_open_t;
typedef io_open_t io_unlink_t, io_mknod_t, io_readlink_t, io_rename_t, io_link_t;
typedef union { struct _io_read i; } io_read_t;
typedef union { struct _io_write i; } io_write_t;
typedef union { struct _io_stat i; } io_stat_t;
typedef union { struct _io_lseek i; } io_lseek_t;
typedef union { struct _io_close i; } io_close_t;
typedef union { struct _io_devctl i; } io_devctl_t;
typedef union { struct _io_chmod i; } io_chmod_t;
typedef union { struct _io_chown i; } io_chown_t;
typedef union { struct _io_utime i; } io_utime_t;
typedef union { struct _io_space i; } io_space_t;
typedef union { struct _io_pathconf i; } io_pathconf_t;
typedef union { struct _io_sync i; } io_sync_t;
typedef union { struct _io_dup i; } io_dup_t;
typedef union { struct _io_openfd i; } io_openfd_t;
typedef union { struct _io_fdinfo i; } io_fdinfo_t;
typedef union { struct _io_lock i; struct _io_lock_reply o; } io_lock_t;
typedef union { struct _io_msg i; } io_msg_t;
typedef union { struct _io_mmap i; struct _io_mmap_reply o; } io_mmap_t;
typedef union { struct _io_notify i; } io_notify_t;
typedef union { struct _pulse i; } io_pulse_t;

struct _iofunc_attr;
struct _iofunc_ocb;
typedef struct _iofunc_ocb RESMGR_OCB_T;	/* a server's OCB starts with one */
typedef struct _iofunc_attr RESMGR_HANDLE_T;	/* and its attach handle with this */

/* _IO_CONNECT subtypes; NULL entries answer ENOSYS. */
typedef struct _resmgr_connect_funcs {
	unsigned	nfuncs;
	int (*open)(resmgr_context_t *, io_open_t *, RESMGR_HANDLE_T *, void *extra);
	int (*unlink)(resmgr_context_t *, io_unlink_t *, RESMGR_HANDLE_T *, void *);
	int (*rename)(resmgr_context_t *, io_rename_t *, RESMGR_HANDLE_T *, void *);
	int (*mknod)(resmgr_context_t *, io_mknod_t *, RESMGR_HANDLE_T *, void *);
	int (*readlink)(resmgr_context_t *, io_readlink_t *, RESMGR_HANDLE_T *, void *);
	int (*link)(resmgr_context_t *, io_link_t *, RESMGR_HANDLE_T *, void *);
} resmgr_connect_funcs_t;
#define _RESMGR_CONNECT_NFUNCS	6

/* I/O messages on a bound OCB; NULL entries answer ENOSYS. */
typedef struct _resmgr_io_funcs {
	unsigned	nfuncs;
	int (*read)(resmgr_context_t *, io_read_t *, RESMGR_OCB_T *);
	int (*write)(resmgr_context_t *, io_write_t *, RESMGR_OCB_T *);
	int (*close_ocb)(resmgr_context_t *, void *reserved, RESMGR_OCB_T *);
	int (*stat)(resmgr_context_t *, io_stat_t *, RESMGR_OCB_T *);
	int (*notify)(resmgr_context_t *, io_notify_t *, RESMGR_OCB_T *);
	int (*devctl)(resmgr_context_t *, io_devctl_t *, RESMGR_OCB_T *);
	int (*unblock)(resmgr_context_t *, io_pulse_t *, RESMGR_OCB_T *);
	int (*pathconf)(resmgr_context_t *, io_pathconf_t *, RESMGR_OCB_T *);
	int (*lseek)(resmgr_context_t *, io_lseek_t *, RESMGR_OCB_T *);
	int (*chmod)(resmgr_context_t *, io_chmod_t *, RESMGR_OCB_T *);
	int (*chown)(resmgr_context_t *, io_chown_t *, RESMGR_OCB_T *);
	int (*utime)(resmgr_context_t *, io_utime_t *, RESMGR_OCB_T *);
	int (*openfd)(resmgr_context_t *, io_openfd_t *, RESMGR_OCB_T *);
	int (*fdinfo)(resmgr_context_t *, io_fdinfo_t *, RESMGR_OCB_T *);
	int (*lock)(resmgr_context_t *, io_lock_t *, RESMGR_OCB_T *);
	int (*space)(resmgr_context_t *, io_space_t *, RESMGR_OCB_T *);
	int (*sync)(resmgr_context_t *, io_sync_t *, RESMGR_OCB_T *);
	int (*msg)(resmgr_context_t *, io_msg_t *, RESMGR_OCB_T *);
	int (*dup)(resmgr_context_t *, io_dup_t *, RESMGR_OCB_T *);
	/*
	 * A connection to the OCB goes (_IO_CLOSE, or the client's
	 * disconnect or death), before it is unbound; ctp->info names the
	 * client's pid, scoid and coid.  Its answer is ignored.  The
	 * default drops that process's record locks on the object.
	 */
	int (*close_dup)(resmgr_context_t *, io_close_t *, RESMGR_OCB_T *);
	/*
	 * _IO_MMAP: the client would map the open file MAP_SHARED (a file
	 * system grants it to taskman, sys/iomsg.h; fs_io's does).  NULL
	 * answers ENODEV: this server's files are not mapped so.
	 */
	int (*mmap)(resmgr_context_t *, io_mmap_t *, RESMGR_OCB_T *);
} resmgr_io_funcs_t;
#define _RESMGR_IO_NFUNCS	21

typedef struct _resmgr_attr {
	unsigned	flags;		/* 0 */
	size_t		msg_max_size;	/* ignored: _DISPATCH_MSG_MAX */
} resmgr_attr_t;

/*
 * Attach path (absolute) with taskman (_PATH_ATTACH): flags are
 * _RESMGR_FLAG_*; handle is what the connect functions get (NULL allowed).
 * Returns the attach id (> 0), or -1 and errno.
 */
int resmgr_attach(dispatch_t *dpp, resmgr_attr_t *attr, const char *path,
    int file_type, unsigned flags, const resmgr_connect_funcs_t *connect_funcs,
    const resmgr_io_funcs_t *io_funcs, RESMGR_HANDLE_T *handle);

/* Give the prefix back (_PATH_DETACH); 0, or -1 and errno. */
int resmgr_detach(dispatch_t *dpp, int id, unsigned flags);

/*
 * Bind ocb to the connection that sent ctp's message (open, openfd,
 * dup).  A connection already bound is first unbound.  0 or an errno.
 */
int resmgr_open_bind(resmgr_context_t *ctp, RESMGR_OCB_T *ocb, const resmgr_io_funcs_t *io);

/*
 * Undo resmgr_open_bind for the connection of ctp's message (ctp->info):
 * an open that bound its OCB at once but fails later (the pipe manager's
 * FIFO open, interrupted while it waits for a peer).  The OCB's last
 * binding closes it (close_ocb), so ocb may be gone on return.  0, or
 * EBADF if that connection is not bound.
 */
int resmgr_unbind(resmgr_context_t *ctp);

/* The OCB bound to (pid, coid, scoid), or NULL: what _IO_DUP/_IO_OPENFD name. */
RESMGR_OCB_T *resmgr_ocb_lookup(dispatch_t *dpp, int pid, int coid, int scoid);

/*
 * The OCB bound to connection coid of process pid, whatever its scoid
 * (Skimmer gives each connection its own): what link()'s extra data
 * (struct _io_connect_extra_link) names.  NULL if that connection is not
 * bound here (it goes to another server).
 */
RESMGR_OCB_T *resmgr_ocb_lookup_coid(dispatch_t *dpp, int pid, int coid);

/* Read the message's bytes from offset (past what was received); as MsgRead. */
ssize_t resmgr_msgread(resmgr_context_t *ctp, void *buf, size_t n, size_t offset);

/* Reply to rcvid later (after _RESMGR_NOREPLY): helpers. */
int resmgr_msgreply(int rcvid, long status, const void *buf, size_t n);

#endif
