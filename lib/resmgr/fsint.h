/*
 * fsint.h - what the file-system server layer's files (fsserv.c,
 * fsconnect.c, fsio.c) share; sys/fsserv.h is its interface.  One
 * thread, the dispatch loop's, owns all of it.
 */
#ifndef FSINT_H
#define FSINT_H

#include <sys/fsserv.h>

#define FS_ACCMODE	3	/* open()'s access mode (musl's O_ACCMODE also holds O_PATH) */
#ifndef O_PATH
#define O_PATH		010000000
#endif

/* An open of a node: libresmgr's OCB first (the library counts its bindings). */
struct fs_ocb {
	iofunc_ocb_t		o_ocb;
	void			*o_node;
};

extern struct fs_server *fs_srv;	/* the one this process serves */
extern resmgr_io_funcs_t fs_io;

/* The node of an OCB of ours. */
static inline void *fs_node(iofunc_ocb_t *o)
{
	return ((struct fs_ocb *)o)->o_node;
}

/* A file system's result r, passed on; an error is shown to ops->failed first. */
int fs_res(int r);

/* A new OCB on node (opened already: closed on failure) bound to the sender; 0 or errno. */
int fs_ocb_new(resmgr_context_t *ctp, void *node, unsigned ioflag);

/* The handler tables (fsconnect.c, fsio.c). */
void fs_connect_init(resmgr_connect_funcs_t *cf);
void fs_io_init(resmgr_io_funcs_t *io);

#endif
