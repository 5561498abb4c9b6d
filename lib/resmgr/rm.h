/*
 * rm.h - libresmgr's internals: the dispatch structure, attachments and
 * the bindings of OCBs to client connections.  Several threads (a thread
 * pool, tpool.c) may serve one dispatch_t, so the attachment and binding
 * tables, and every OCB's refs and busy counts, are under d_lock.
 *
 * Lock order: an attribute's lock (iofunc_attr_lock) before d_lock, never
 * the other way; d_lock is held only inside the library and never across
 * a server's handler, so close_ocb (which may lock an attribute and free
 * it) is always called without it (rm_ocb_release).
 */
#ifndef RM_H
#define RM_H

#include <sys/dispatch.h>
#include <sys/resmgr.h>
#include <sys/iofunc.h>
#include <pthread.h>

#define RM_ATTACH_MAX	16	/* prefixes one dispatch_t may attach */

struct rm_attach {
	int				a_id;		/* taskman's attachment id; 0: free */
	const resmgr_connect_funcs_t	*a_connect;
	const resmgr_io_funcs_t		*a_io;
	RESMGR_HANDLE_T			*a_handle;
};

/* One client connection (scoid, coid) bound to an OCB. */
struct rm_bind {
	int				b_scoid;	/* the client process's server connection */
	int				b_coid;		/* its connection id (the fd) */
	int				b_pid;		/* the client process */
	iofunc_ocb_t			*b_ocb;
	const resmgr_io_funcs_t		*b_io;
};

struct _dispatch {
	int			d_chid;
	int			d_selfcoid;	/* side channel to d_chid (dispatch_unblock); 0: none yet */
	pthread_mutex_t		d_lock;		/* the tables below, OCB refs and busy */
	struct rm_attach	d_attach[RM_ATTACH_MAX];	/* handle = index + 1 */
	struct rm_bind		*d_binds;			/* d_nbinds used */
	int			d_nbinds, d_maxbinds;
};

/* The pulse dispatch_unblock sends (a user code: the kernel takes no other). */
#define RM_PULSE_WAKE		_PULSE_CODE_MAXAVAIL
#define RM_PULSE_WAKE_VALUE	0x7e57a11

void rm_answer(resmgr_context_t *ctp, int r);
void rm_message(resmgr_context_t *ctp);
void rm_disconnect(resmgr_context_t *ctp, int scoid);

/* d_lock held: the binding of (scoid, coid), or NULL. */
struct rm_bind *rm_bind_find(dispatch_t *dpp, int scoid, int coid);

/*
 * d_lock held: drop binding b.  Returns its OCB if that was its last
 * reference (no binding, no handler busy on it): the caller calls
 * rm_ocb_close on it after unlocking d_lock.  Else NULL.
 */
iofunc_ocb_t *rm_unbind_locked(dispatch_t *dpp, struct rm_bind *b, const resmgr_io_funcs_t **iop);

/* close_ocb for an OCB rm_unbind_locked or rm_ocb_release gave back; d_lock not held. */
void rm_ocb_close(resmgr_context_t *ctp, iofunc_ocb_t *ocb, const resmgr_io_funcs_t *io);

/*
 * The OCB bound to (scoid, coid) (and to pid, if pid >= 0), held busy so
 * that a close or disconnect in another thread cannot free it while a
 * handler runs; NULL if not bound.  *iop gets the binding's io table.
 * d_lock not held.  Give it back with rm_ocb_release.
 */
iofunc_ocb_t *rm_ocb_hold(dispatch_t *dpp, int scoid, int coid, int pid,
    const resmgr_io_funcs_t **iop);

/* Undo rm_ocb_hold; the last reference closes the OCB (close_ocb). */
void rm_ocb_release(resmgr_context_t *ctp, iofunc_ocb_t *ocb, const resmgr_io_funcs_t *io);

#endif
