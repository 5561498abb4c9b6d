/*
 * e2srv.h - fs-ext2's server side (docs/ext2.md): the _IO_* handlers
 * that turn libresmgr's messages into ext2fs.h calls.  One thread (the
 * dispatch loop's) owns everything.
 */
#ifndef E2SRV_H
#define E2SRV_H

#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include "ext2fs.h"

/* An open of an inode: libresmgr's OCB first (the library counts its bindings). */
struct e2_ocb {
	iofunc_ocb_t		o_ocb;
	struct e2_inode		*o_ino;
};

extern struct e2fs e2_fs;
extern resmgr_io_funcs_t e2_io;
extern iofunc_attr_t e2_mount_attr;	/* every OCB's attr, for the library's defaults */
extern const char *e2_pipe_node;	/* the pipe manager's node: FIFO opens go there */
extern const char *e2_device;		/* what we mounted ("/dev/hd0") */
extern unsigned e2_nocbs;		/* OCBs open (umount: EBUSY while others remain) */
extern int e2_umounted;			/* DCMD_FSYS_UMOUNT done: exit */
extern int e2_attach_id;		/* the mount point's attachment (detached before umount's answer) */

/* The sender's effective ids (taskman's, _PROC_GETSETID); 0 or an errno. */
int e2_cred_of(resmgr_context_t *ctp, struct e2_cred *cr);

/* A new OCB on ip (opened already by the caller) bound to the sender; 0 or errno. */
int e2_ocb_new(resmgr_context_t *ctp, struct e2_inode *ip, unsigned ioflag);

/* Report a corruption the logic found (fs->f_err) once, on stderr. */
void e2_report(void);

void e2_connect_init(resmgr_connect_funcs_t *cf);
void e2_io_init(resmgr_io_funcs_t *io);

#endif
