/*
 * rm.h - libresmgr's internals: the dispatch structure, attachments and
 * the bindings of OCBs to client connections.  One thread owns all of it
 * (the loop's), so nothing is locked.
 */
#ifndef RM_H
#define RM_H

#include <sys/dispatch.h>
#include <sys/resmgr.h>
#include <sys/iofunc.h>

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
	struct rm_attach	d_attach[RM_ATTACH_MAX];	/* handle = index + 1 */
	struct rm_bind		*d_binds;			/* d_nbinds used */
	int			d_nbinds, d_maxbinds;
};

void rm_answer(resmgr_context_t *ctp, int r);
void rm_message(resmgr_context_t *ctp);
void rm_disconnect(resmgr_context_t *ctp, int scoid);
struct rm_bind *rm_bind_find(dispatch_t *dpp, int scoid, int coid);
void rm_unbind(resmgr_context_t *ctp, struct rm_bind *b);

#endif
