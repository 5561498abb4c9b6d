/*
 * sys/fsserv.h - libresmgr's file-system server layer (docs/resmgr.md,
 * "File systems"), in the spirit of QNX's iofunc layer and BSD's VFS:
 * the part of a disk or RAM file system that is the same for every one
 * is written once here (fsserv.c, fsconnect.c, fsio.c), and a file
 * system hands it a table of operations on its own objects (struct
 * fs_ops) and a description (struct fs_server).
 *
 * The layer's part: decoding and checking every _IO_* message, the
 * client's credentials, the link reply that sends a client elsewhere
 * (a symbolic link leaving the file system, a named FIFO's open to the
 * pipe manager), rename's EXDEV, link()'s fd of ours, O_* checks of
 * openfd, pread/pwrite offsets, the write loop over the client's data,
 * struct _io_dirent records, lseek and SEEK_DATA/HOLE, _IO_SPACE,
 * stat, fdinfo, pathconf, statvfs and umount, record locks, the OCBs
 * (one per open, counted), the -d detach, the periodic tick and the
 * dispatch loop.  The file system's part: the POSIX rules of names
 * (walks, O_CREAT|O_EXCL, unlink, rename ...) and its data.
 *
 * A node is the file system's object (void *: an rf_inode, an
 * e2_inode), held open by the layer between a successful open and its
 * close.  Name operations take a path relative to the mount point (no
 * leading '/').  Operations return 0 or a positive errno; a name
 * operation may return FS_REDIRECT, and then the absolute path the
 * client must try instead is at fs_server.redirect.
 *
 * One server per process, one thread (the dispatch loop's) owns it all.
 */
#ifndef _SYS_FSSERV_H
#define _SYS_FSSERV_H

#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include <sys/fsrules.h>	/* FS_PATH_MAX, FS_REDIRECT ("try fs_server.redirect instead") */

#define FS_XFER_MAX	(256u * 1024)	/* the bytes read's buf holds, one write copy takes */
#define FS_READ_IOV	258		/* the iov entries read may fill */

struct _iofunc_lock;

struct fs_ops {
	/* ---- names (connect messages) ---- */
	/*
	 * open(): O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH,
	 * the access check; dirflag: the path ended in '/'.  On 0 *node is
	 * opened (close ends it).
	 */
	int (*open)(const struct _client_info *ci, const char *path, unsigned ioflag,
	    mode_t mode, int dirflag, void **node);
	int (*mknod)(const struct _client_info *ci, const char *path, mode_t mode);
	/* unlink (isdir 0) or rmdir (isdir 1). */
	int (*unlink)(const struct _client_info *ci, const char *path, int isdir);
	/* *target: the link's target, NUL-terminated (in buf, FS_PATH_MAX bytes, or the fs's own). */
	int (*readlink)(const struct _client_info *ci, const char *path, char *buf,
	    const char **target);
	int (*symlink)(const struct _client_info *ci, const char *path, const char *target);
	/* link(node, path): node is an open one of ours. */
	int (*link)(const struct _client_info *ci, void *node, const char *path);
	int (*rename)(const struct _client_info *ci, const char *oldpath, const char *newpath);

	/* ---- nodes (I/O messages on an open node) ---- */
	void (*ref)(void *node);		/* another open (openfd) */
	void (*close)(void *node);		/* the end of one */
	mode_t (*mode)(const void *node);
	int64_t (*size)(const void *node);	/* lseek's SEEK_END, O_APPEND, fdinfo */
	unsigned (*opens)(const void *node);	/* opens of node (1: the last is closing) */
	struct _iofunc_lock **(*locks)(void *node);	/* its record-lock list */
	/* May ci do want (4 read, 2 write, 1 search) on node?  0 or EACCES. */
	int (*access)(void *node, const struct _client_info *ci, unsigned want);
	/* Everything of stat but sb_dev (the layer's: the server's pid). */
	void (*stat)(void *node, struct _io_stat_buf *sb);
	/*
	 * Up to n bytes of a regular file at off, as at most *niov iov
	 * entries (data of the fs's own, or put in buf, FS_XFER_MAX bytes);
	 * *niov gets the entries used.  The byte count (0 at the end) or -errno.
	 */
	ssize_t (*read)(void *node, int64_t off, size_t n, void *buf, iov_t *iov, int *niov);
	/* n bytes of buf to off; *done gets what went in.  0 or an errno (with *done < n). */
	int (*write)(void *node, int64_t off, const void *buf, size_t n, size_t *done);
	/*
	 * The directory entry at *pos (or the next one after it), *pos moved
	 * past it: 1 with name (NUL-terminated, in a buffer of FS_PATH_MAX
	 * bytes), *ino and *type (DT_*); 0 at the end (a removed directory
	 * is empty); -errno.
	 */
	int (*readdir)(void *dir, int64_t *pos, char *name, uint64_t *ino, unsigned char *type);
	int64_t (*seek_data)(void *node, int64_t off, int hole);	/* the offset or -errno */
	int (*truncate)(void *node, int64_t size);
	int (*chmod)(const struct _client_info *ci, void *node, mode_t mode);
	int (*chown)(const struct _client_info *ci, void *node, int uid, int gid);
	int (*utimens)(const struct _client_info *ci, void *node, const struct timespec ts[2]);
	int (*fsync)(void *node);		/* NULL: _IO_SYNC as iofunc_sync_default */

	/* ---- the file system ---- */
	void (*statvfs)(struct _io_statvfs *sv);	/* all but sv_fsid */
	/*
	 * umount (root's, no other OCB open unless forced): write everything
	 * back and free it; the server ends whatever it returns (an error is
	 * umount's answer, 0 detaches first).  NULL: DCMD_FSYS_UMOUNT is ENOTTY.
	 */
	int (*unmount)(void);
	void (*tick)(void);			/* fs_tick's period came round */
	/* An operation failed with err (EIO: a corruption the log should show); may be NULL. */
	void (*failed)(int err);
};

struct fs_server {
	const struct fs_ops	*ops;
	const char		*path;		/* where we attach, as given ("/tmp") */
	const char		*mount;		/* the same without trailing '/': "" for "/" */
	mode_t			rootmode;	/* S_IFDIR and permissions, for the library's attribute */
	const char		*redirect;	/* after FS_REDIRECT: the absolute path to try */
	const char		*pipe_node;	/* the pipe manager's node: named FIFOs open there */
	long			link_max, name_max, path_max, filesizebits;	/* pathconf */
	/* the layer's */
	dispatch_t		*dpp;
	dispatch_context_t	*ctp;
	int			attach_id;
	unsigned		nocbs;		/* OCBs open (umount: EBUSY while others remain) */
	int			umounted;	/* DCMD_FSYS_UMOUNT done: fs_run returns */
};

/*
 * -d: fork; the child returns and goes on to serve.  The parent waits
 * until mount is served by the child (stat's st_dev is the server's pid)
 * and exits 0, or exits 1 if the child dies or secs seconds pass (4 if
 * it cannot fork).
 */
void fs_detach(const char *mount, unsigned secs);

/*
 * Serve srv (every field before "the layer's" set): the dispatch
 * structure, the message tables, the attachment at srv->path.  0, or 2
 * (no dispatch structure) or 3 (the attach failed): main's exit status.
 */
int fs_start(struct fs_server *srv);

/* Call ops->tick every secs seconds (0: never), after fs_start.  0 or -1. */
int fs_tick(struct fs_server *srv, unsigned secs);

/* The dispatch loop; returns once umount has detached the server. */
void fs_run(struct fs_server *srv);

#endif
