/*
 * e2srv.h - fs-ext2's server side (docs/ext2.md): the ext2 logic
 * (ext2fs.h) served by libresmgr's file-system server layer
 * (sys/fsserv.h) through the operations of e2ops.c.  One thread (the
 * dispatch loop's) owns everything.
 */
#ifndef E2SRV_H
#define E2SRV_H

#include <sys/fsserv.h>
#include "ext2fs.h"

extern struct e2fs e2_fs;
extern struct fs_server e2_server;	/* main sets path, mount, pipe_node */
extern const char *e2_device;		/* what we mounted ("/dev/hd0") */

/* Report a corruption the logic found (fs->f_err) once, on stderr. */
void e2_report(void);

#endif
