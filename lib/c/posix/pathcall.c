/*
 * Calls that name a path but keep no fd: stat, readlink, access, mkdir,
 * unlink/rmdir.  Each is an _IO_CONNECT (open.c) with its subtype, or an
 * open, a message on the fd, and a close.
 */
#define _GNU_SOURCE		/* AT_EMPTY_PATH, F_OFD_* */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/iomsg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "px.h"

/*
 * SYS_newfstatat.  The object is opened with O_PATH, which a server that
 * knows it (fs-ram) opens without a permission check (stat needs only
 * search permission on the directories) and, with O_NOFOLLOW, opens a
 * symbolic link itself.  Where a link still does not open (ELOOP: taskman's
 * /proc/boot), its stat is made from its target's length: type and size.
 */
long __px_fstatat(int dirfd, const char *path, void *st, int flags)
{
	int nofollow = (flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0;
	char target[PX_PATH_MAX];
	long fd, r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && path[0] == '\0')
		return __px_fstat(dirfd, st);
	fd = __px_openat(dirfd, path, O_RDONLY | O_PATH | nofollow, 0);
	if (fd == -ELOOP && nofollow &&
	    (r = __px_readlinkat(dirfd, path, target, sizeof(target))) >= 0) {
		struct _io_stat_buf sb = { .sb_mode = S_IFLNK | 0777, .sb_nlink = 1,
		    .sb_size = r };

		memcpy(st, &sb, sizeof(sb));
		return 0;
	}
	if (fd < 0)
		return fd;
	r = __px_fstat((int)fd, st);
	__px_close((int)fd);
	return r;
}

/* SYS_readlinkat: _IO_CONNECT_READLINK; the target, truncated to n. */
long __px_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	long r;

	if (n == 0)
		return -EINVAL;
	r = __px_connect(dirfd, path, _IO_CONNECT_READLINK, 0, 0, buf, n);
	return r < 0 ? r : ((size_t)r < n ? r : (long)n);
}

/*
 * The permission bits of sb that apply to uid/gid (root: read and write
 * always, execute if anyone may or it is a directory): 0 or -EACCES.
 */
long __px_may(const struct _io_stat_buf *sb, long uid, long gid, int amode)
{
	unsigned bits;

	if (uid == 0)
		bits = 6 | ((sb->sb_mode & 0111) || S_ISDIR(sb->sb_mode) ? 1 : 0);
	else if ((unsigned long)uid == sb->sb_uid)
		bits = (sb->sb_mode >> 6) & 7;
	else if ((unsigned long)gid == sb->sb_gid)
		bits = (sb->sb_mode >> 3) & 7;
	else
		bits = sb->sb_mode & 7;
	return ((unsigned)amode & bits) == (unsigned)amode ? 0 : -EACCES;
}

/*
 * SYS_faccessat: the mode bits against the real ids (the effective ones
 * with AT_EACCESS), from a stat of the object.  W_OK on a file also
 * opens it for writing, so a read-only file system says EROFS.
 */
long __px_faccessat(int dirfd, const char *path, int amode, int flags)
{
	int eff = (flags & AT_EACCESS) != 0;
	struct _io_stat_buf sb;
	long r, uid, gid, fd;

	if ((amode & ~(R_OK | W_OK | X_OK)) || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
		return -EINVAL;
	if ((r = __px_fstatat(dirfd, path, &sb, flags & AT_SYMLINK_NOFOLLOW)) < 0)
		return r;
	if ((uid = __px_getid(eff ? SYS_geteuid : SYS_getuid, 0)) < 0 ||
	    (gid = __px_getid(eff ? SYS_getegid : SYS_getgid, 0)) < 0)
		return uid < 0 ? uid : gid;
	if ((r = __px_may(&sb, uid, gid, amode)) < 0)
		return r;
	/* (a FIFO is not opened: that would count as a reader or writer) */
	if ((amode & W_OK) && !S_ISDIR(sb.sb_mode) && !S_ISLNK(sb.sb_mode) &&
	    !S_ISFIFO(sb.sb_mode)) {
		if ((fd = __px_openat(dirfd, path, O_WRONLY | O_NONBLOCK, 0)) == -EROFS)
			return fd;
		if (fd >= 0)
			__px_close((int)fd);
	}
	return 0;
}

/* SYS_mkdirat: _IO_CONNECT_MKNOD of a directory. */
long __px_mkdirat(int dirfd, const char *path, unsigned mode)
{
	long r = __px_connect(dirfd, path, _IO_CONNECT_MKNOD, O_CREAT | O_EXCL,
	    S_IFDIR | __px_create_mode(mode & 07777), 0, 0);

	return r < 0 ? r : 0;
}

/*
 * SYS_mknodat: _IO_CONNECT_MKNOD of a FIFO, a regular file (type 0) or a
 * device or socket (the server decides: fs-ram keeps FIFOs and refuses
 * the others with EPERM).  A directory or an unknown type is EINVAL, as
 * on Linux; dev travels nowhere (no server makes devices).
 */
long __px_mknodat(int dirfd, const char *path, unsigned mode, unsigned long dev)
{
	unsigned type = mode & S_IFMT;
	long r;

	(void)dev;
	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFIFO && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFSOCK)
		return -EINVAL;
	r = __px_connect(dirfd, path, _IO_CONNECT_MKNOD, O_CREAT | O_EXCL,
	    type | __px_create_mode(mode & 07777), 0, 0);
	return r < 0 ? r : 0;
}

/* SYS_unlinkat: _IO_CONNECT_UNLINK (a directory with AT_REMOVEDIR). */
long __px_unlinkat(int dirfd, const char *path, int flags)
{
	long r;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	r = __px_connect(dirfd, path, _IO_CONNECT_UNLINK, 0,
	    (flags & AT_REMOVEDIR) ? S_IFDIR : 0, 0, 0);
	return r < 0 ? r : 0;
}
