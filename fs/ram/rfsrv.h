/*
 * rfsrv.h - fs-ram's server side (docs/ramfs.md): the _IO_* handlers
 * that turn libresmgr's messages into ramfs.h calls.  One thread (the
 * dispatch loop's) owns everything.
 */
#ifndef RFSRV_H
#define RFSRV_H

#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include "ramfs.h"

/* An open of an inode: libresmgr's OCB first (the library counts its bindings). */
struct rf_ocb {
	iofunc_ocb_t		o_ocb;
	struct rf_inode		*o_ino;
};

extern struct ramfs rf_fs;
extern resmgr_io_funcs_t rf_io;
extern iofunc_attr_t rf_mount_attr;	/* every OCB's attr, for the library's defaults */
extern const char *rf_pipe_node;	/* the pipe manager's node: FIFO opens go there (-p) */
extern const char *rf_mount;		/* where we are attached ("/tmp") */

/* The sender's effective ids (taskman's, _PROC_GETSETID); 0 or an errno. */
int rf_cred_of(resmgr_context_t *ctp, struct _client_info *cr);

/* A new OCB on ino (counted already by the caller) bound to the sender; 0 or errno. */
int rf_ocb_new(resmgr_context_t *ctp, struct rf_inode *ino, unsigned ioflag);

/* The tables (rfconnect.c, rfio.c). */
void rf_connect_init(resmgr_connect_funcs_t *cf);
void rf_io_init(resmgr_io_funcs_t *io);

#endif
