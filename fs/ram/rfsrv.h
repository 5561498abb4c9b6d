/*
 * rfsrv.h - fs-ram's server side (docs/ramfs.md): the RAM file system
 * (ramfs.h) served by libresmgr's file-system server layer
 * (sys/fsserv.h) through the operations of rfops.c.  One thread (the
 * dispatch loop's) owns everything.
 */
#ifndef RFSRV_H
#define RFSRV_H

#include <sys/fsserv.h>
#include "ramfs.h"

extern struct ramfs rf_fs;
extern struct fs_server rf_server;	/* main sets path, mount, rootmode, pipe_node */

#endif
