/*
 * e2ops.c - fs-ext2's operations for libresmgr's file-system server
 * layer (sys/fsserv.h, docs/resmgr.md): each one an ext2fs.h call on
 * e2_fs.  The layer decodes the messages, checks them and answers; a
 * corruption the logic found (EIO) is reported on stderr once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "e2srv.h"

_Static_assert(E2_PATH_MAX <= FS_PATH_MAX, "a path fits the layer's buffers");
_Static_assert(E2_NAME_MAX < FS_PATH_MAX, "a name fits readdir's buffer");

struct e2fs e2_fs;
const char *e2_device;
static struct e2_lookup lk;	/* big: static; the reply goes before the next message */

void e2_report(void)
{
	static char last[E2_ERRLEN];

	if (e2_fs.f_err[0] && strcmp(last, e2_fs.f_err) != 0) {
		fprintf(stderr, "fs-ext2: %s: corrupted: %s\n", e2_device, e2_fs.f_err);
		memcpy(last, e2_fs.f_err, sizeof(last));
	}
}

static int x_open(const struct _client_info *ci, const char *path, unsigned ioflag,
    mode_t mode, int dirflag, void **node)
{
	return e2_open(&e2_fs, ci, path, ioflag, mode, dirflag, &lk, (struct e2_inode **)node);
}

static int x_mknod(const struct _client_info *ci, const char *path, mode_t mode)
{
	return e2_mknod(&e2_fs, ci, path, mode, &lk);
}

static int x_unlink(const struct _client_info *ci, const char *path, int isdir)
{
	return e2_unlink(&e2_fs, ci, path, isdir, &lk);
}

static int x_readlink(const struct _client_info *ci, const char *path, char *buf,
    const char **target)
{
	*target = buf;
	return e2_readlink(&e2_fs, ci, path, &lk, buf);
}

static int x_symlink(const struct _client_info *ci, const char *path, const char *target)
{
	return e2_symlink(&e2_fs, ci, path, target, &lk);
}

static int x_link(const struct _client_info *ci, void *node, const char *path)
{
	return e2_link(&e2_fs, ci, node, path, &lk);
}

static int x_rename(const struct _client_info *ci, const char *oldpath, const char *newpath)
{
	return e2_rename(&e2_fs, ci, oldpath, newpath, &lk);
}

static void x_ref(void *node)
{
	e2_ref(node);
}

static void x_close(void *node)
{
	e2_close(&e2_fs, node);
}

static mode_t x_mode(const void *node)
{
	return ((const struct e2_inode *)node)->i_d.i_mode;
}

static int64_t x_size(const void *node)
{
	return e2_size(node);
}

static unsigned x_opens(const void *node)
{
	return ((const struct e2_inode *)node)->i_opens;
}

static struct _iofunc_lock **x_locks(void *node)
{
	return &((struct e2_inode *)node)->i_locks;
}

static int x_access(void *node, const struct _client_info *ci, unsigned want)
{
	return e2_access(node, ci, want);
}

static void x_stat(void *node, struct _io_stat_buf *sb)
{
	const struct e2_inode *i = node;
	struct timespec a, m, c;

	e2_times(&e2_fs, i, &a, &m, &c);
	*sb = (struct _io_stat_buf){ .sb_ino = i->i_ino,
	    .sb_mode = i->i_d.i_mode, .sb_nlink = i->i_d.i_links_count, .sb_uid = e2_uid(i),
	    .sb_gid = e2_gid(i), .sb_size = e2_size(i), .sb_blksize = e2_fs.f_bsize,
	    .sb_blocks = (int64_t)e2_blocks512(i),
	    .sb_atime_sec = a.tv_sec, .sb_atime_nsec = a.tv_nsec,
	    .sb_mtime_sec = m.tv_sec, .sb_mtime_nsec = m.tv_nsec,
	    .sb_ctime_sec = c.tv_sec, .sb_ctime_nsec = c.tv_nsec };
}

/* Copied out of the block cache into the layer's buffer. */
static ssize_t x_read(void *node, int64_t off, size_t n, void *buf, iov_t *iov, int *niov)
{
	ssize_t got = e2_read(&e2_fs, node, off, buf, n < FS_XFER_MAX ? n : FS_XFER_MAX);

	if (got >= 0) {
		SETIOV(&iov[0], buf, (size_t)got);
		*niov = 1;
	}
	return got;
}

static int x_write(void *node, int64_t off, const void *buf, size_t n, size_t *done)
{
	return e2_write(&e2_fs, node, off, buf, n, done);
}

static int x_readdir(void *node, int64_t *pos, char *name, uint64_t *ino, unsigned char *type)
{
	struct e2_inode *dir = node;
	uint32_t i;
	int r;

	if (dir->i_d.i_links_count == 0)
		return 0;
	if ((r = e2_readdir(&e2_fs, dir, pos, name, &i, type)) == 1)
		*ino = i;
	return r;
}

static int64_t x_seek_data(void *node, int64_t off, int hole)
{
	return e2_seek_data(&e2_fs, node, off, hole);
}

static int x_truncate(void *node, int64_t size)
{
	return e2_truncate(&e2_fs, node, size);
}

static int x_chmod(const struct _client_info *ci, void *node, mode_t mode)
{
	return e2_chmod(&e2_fs, ci, node, mode);
}

static int x_chown(const struct _client_info *ci, void *node, int uid, int gid)
{
	return e2_chown(&e2_fs, ci, node, uid, gid);
}

static int x_utimens(const struct _client_info *ci, void *node, const struct timespec ts[2])
{
	return e2_utimens(&e2_fs, ci, node, ts);
}

/* fsync really reaches the disk: everything dirty, then the disk's cache flushed. */
static int x_fsync(void *node)
{
	return e2_fsync(&e2_fs, node);
}

static void x_statvfs(struct _io_statvfs *sv)
{
	const struct e2_super *sb = &e2_fs.f_sb;
	uint32_t avail = sb->s_free_blocks_count > sb->s_r_blocks_count ?
	    sb->s_free_blocks_count - sb->s_r_blocks_count : 0;

	*sv = (struct _io_statvfs){ .sv_type = E2_MAGIC, .sv_bsize = e2_fs.f_bsize,
	    .sv_blocks = sb->s_blocks_count, .sv_bfree = sb->s_free_blocks_count,
	    .sv_bavail = avail, .sv_files = sb->s_inodes_count,
	    .sv_ffree = sb->s_free_inodes_count,
	    .sv_namemax = E2_NAME_MAX, .sv_flag = e2_fs.f_rdonly ? 1 : 0 };
}

static int x_unmount(void)
{
	int r = e2_unmount(&e2_fs);

	if (r != 0)
		fprintf(stderr, "fs-ext2: %s: unmount: cannot write the disk (run e2fsck)\n",
		    e2_device);
	return r;
}

/* The write-back tick: dirty blocks to the disk, then its flush. */
static void x_tick(void)
{
	if (e2_dirty(&e2_fs) && e2_sync(&e2_fs) != 0)
		fprintf(stderr, "fs-ext2: %s: write-back failed: %s\n", e2_device,
		    e2_fs.f_err[0] ? e2_fs.f_err : "the disk says EIO");
}

static void x_failed(int err)
{
	if (err == EIO)
		e2_report();
}

static const struct fs_ops e2_ops = {
	.open = x_open, .mknod = x_mknod, .unlink = x_unlink, .readlink = x_readlink,
	.symlink = x_symlink, .link = x_link, .rename = x_rename,
	.ref = x_ref, .close = x_close, .mode = x_mode, .size = x_size,
	.opens = x_opens, .locks = x_locks, .access = x_access, .stat = x_stat,
	.read = x_read, .write = x_write, .readdir = x_readdir, .seek_data = x_seek_data,
	.truncate = x_truncate, .chmod = x_chmod, .chown = x_chown, .utimens = x_utimens,
	.fsync = x_fsync, .statvfs = x_statvfs, .unmount = x_unmount, .tick = x_tick,
	.failed = x_failed,
};

struct fs_server e2_server = {
	.ops = &e2_ops, .redirect = lk.l_path, .pipe_node = "/dev/pipe",
	.rootmode = S_IFDIR | 0755, .link_max = E2_LINK_MAX, .name_max = E2_NAME_MAX,
	.path_max = E2_PATH_MAX, .filesizebits = 42,
};
