/*
 * rfops.c - fs-ram's operations for libresmgr's file-system server
 * layer (sys/fsserv.h, docs/resmgr.md): each one a ramfs.h call on
 * rf_fs.  The layer decodes the messages, checks them and answers.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "rfsrv.h"

#define READ_MAX	(1u << 20)			/* bytes one read returns at most */
#define READ_SEGS	(READ_MAX / RF_BLOCK + 2)

_Static_assert(READ_SEGS <= FS_READ_IOV, "a read's segments fit the layer's iov");
_Static_assert(RF_PATH_MAX <= FS_PATH_MAX, "a path fits the layer's buffers");

struct ramfs rf_fs;
static struct rf_lookup lk;	/* big: static; the reply goes before the next message */

static int r_open(const struct _client_info *ci, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, void **node)
{
	return rf_open(&rf_fs, ci, path, ioflag, mode, dirflag, &lk, (struct rf_inode **)node);
}

static int r_mknod(const struct _client_info *ci, const char *path, mode_t mode)
{
	return rf_mknod(&rf_fs, ci, path, mode, &lk);
}

static int r_unlink(const struct _client_info *ci, const char *path, int isdir)
{
	return rf_unlink(&rf_fs, ci, path, isdir, &lk);
}

static int r_readlink(const struct _client_info *ci, const char *path, char *buf,
    const char **target)
{
	(void)buf;
	return rf_readlink(&rf_fs, ci, path, &lk, target);
}

static int r_symlink(const struct _client_info *ci, const char *path, const char *target)
{
	return rf_symlink(&rf_fs, ci, path, target, &lk);
}

static int r_link(const struct _client_info *ci, void *node, const char *path)
{
	return rf_link(&rf_fs, ci, node, path, &lk);
}

static int r_rename(const struct _client_info *ci, const char *oldpath, const char *newpath)
{
	return rf_rename(&rf_fs, ci, oldpath, newpath, &lk);
}

static void r_ref(void *node)
{
	rf_ref(node);
}

static void r_close(void *node)
{
	rf_close(&rf_fs, node);
}

static mode_t r_mode(const void *node)
{
	return ((const struct rf_inode *)node)->i_mode;
}

static int64_t r_size(const void *node)
{
	return ((const struct rf_inode *)node)->i_size;
}

static unsigned r_opens(const void *node)
{
	return ((const struct rf_inode *)node)->i_opens;
}

static struct _iofunc_lock **r_locks(void *node)
{
	return &((struct rf_inode *)node)->i_locks;
}

static int r_access(void *node, const struct _client_info *ci, unsigned want)
{
	return rf_access(node, ci, want);
}

static void r_stat(void *node, struct _io_stat_buf *sb)
{
	const struct rf_inode *i = node;

	*sb = (struct _io_stat_buf){ .sb_ino = i->i_ino,
	    .sb_mode = i->i_mode, .sb_nlink = i->i_nlink, .sb_uid = i->i_uid, .sb_gid = i->i_gid,
	    .sb_size = S_ISDIR(i->i_mode) ? RF_BLOCK : i->i_size, .sb_blksize = RF_BLOCK,
	    .sb_blocks = (int64_t)rf_blocks512(i),
	    .sb_atime_sec = i->i_atime.tv_sec, .sb_atime_nsec = i->i_atime.tv_nsec,
	    .sb_mtime_sec = i->i_mtime.tv_sec, .sb_mtime_nsec = i->i_mtime.tv_nsec,
	    .sb_ctime_sec = i->i_ctime.tv_sec, .sb_ctime_nsec = i->i_ctime.tv_nsec };
}

/* The file's blocks themselves go out (holes as zeros): no copy. */
static ssize_t r_read(void *node, int64_t off, size_t n, void *buf, iov_t *iov, int *niov)
{
	static struct rf_seg segs[READ_SEGS];
	size_t got, sum;
	int k;

	(void)buf;
	got = rf_read(node, off, n < READ_MAX ? n : READ_MAX, segs, READ_SEGS);
	for (k = 0, sum = 0; sum < got; k++) {
		SETIOV(&iov[k], segs[k].s_p, segs[k].s_len);
		sum += segs[k].s_len;
	}
	*niov = k;
	return (ssize_t)got;
}

static int r_write(void *node, int64_t off, const void *buf, size_t n, size_t *done)
{
	return rf_write(&rf_fs, node, off, buf, n, done);
}

static unsigned char dtype(mode_t m)
{
	return S_ISDIR(m) ? 4 : S_ISREG(m) ? 8 : S_ISLNK(m) ? 10 : S_ISFIFO(m) ? 1 : 0;	/* DT_* */
}

static int r_readdir(void *node, int64_t *pos, char *name, uint64_t *ino, unsigned char *type)
{
	const struct rf_inode *dir = node, *e;
	const char *n;

	if (dir->i_nlink == 0 || !rf_readdir(dir, pos, &n, &e))
		return 0;
	strcpy(name, n);	/* at most RF_NAME_MAX bytes */
	*ino = e->i_ino;
	*type = dtype(e->i_mode);
	return 1;
}

static int64_t r_seek_data(void *node, int64_t off, int hole)
{
	return rf_seek_data(node, off, hole);
}

static int r_truncate(void *node, int64_t size)
{
	return rf_truncate(&rf_fs, node, size);
}

static int r_chmod(const struct _client_info *ci, void *node, mode_t mode)
{
	return rf_chmod(&rf_fs, ci, node, mode);
}

static int r_chown(const struct _client_info *ci, void *node, int uid, int gid)
{
	return rf_chown(&rf_fs, ci, node, uid, gid);
}

static int r_utimens(const struct _client_info *ci, void *node, const struct timespec ts[2])
{
	return rf_utimens(&rf_fs, ci, node, ts);
}

static void r_statvfs(struct _io_statvfs *sv)
{
	const struct ramfs *fs = &rf_fs;

	*sv = (struct _io_statvfs){ .sv_type = 0x01021994, .sv_bsize = RF_BLOCK,
	    .sv_blocks = fs->f_limit / RF_BLOCK,
	    .sv_bfree = (fs->f_limit - fs->f_used) / RF_BLOCK,
	    .sv_bavail = (fs->f_limit - fs->f_used) / RF_BLOCK,
	    .sv_files = fs->f_maxinodes, .sv_ffree = fs->f_maxinodes - fs->f_ninodes,
	    .sv_namemax = RF_NAME_MAX };
}

static const struct fs_ops rf_ops = {
	.open = r_open, .mknod = r_mknod, .unlink = r_unlink, .readlink = r_readlink,
	.symlink = r_symlink, .link = r_link, .rename = r_rename,
	.ref = r_ref, .close = r_close, .mode = r_mode, .size = r_size,
	.opens = r_opens, .locks = r_locks, .access = r_access, .stat = r_stat,
	.read = r_read, .write = r_write, .readdir = r_readdir, .seek_data = r_seek_data,
	.truncate = r_truncate, .chmod = r_chmod, .chown = r_chown, .utimens = r_utimens,
	.statvfs = r_statvfs,
};

struct fs_server rf_server = {
	.ops = &rf_ops, .redirect = lk.l_path, .pipe_node = "/dev/pipe",
	.link_max = RF_LINK_MAX, .name_max = RF_NAME_MAX, .path_max = RF_PATH_MAX,
	.filesizebits = 40,
};
