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
#include "px.h"

/*
 * SYS_newfstatat.  With AT_SYMLINK_NOFOLLOW a symbolic link does not
 * open (ELOOP), so its stat is made from its target's length: type and
 * size only.
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
	fd = __px_openat(dirfd, path, O_RDONLY | nofollow, 0);
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
 * SYS_faccessat: the object must open for what amode asks (W_OK: for
 * writing, so a read-only file system says EROFS); X_OK needs an execute
 * bit.  Every process is root, so the permission bits are not checked.
 */
long __px_faccessat(int dirfd, const char *path, int amode, int flags)
{
	struct _io_stat_buf sb;
	long fd, r;

	if ((amode & ~(R_OK | W_OK | X_OK)) || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
		return -EINVAL;
	fd = __px_openat(dirfd, path, (amode & W_OK) ? O_WRONLY : O_RDONLY, 0);
	if (fd < 0)
		return fd;
	r = __px_fstat((int)fd, &sb);
	if (r == 0 && (amode & X_OK) && !(sb.sb_mode & 0111))
		r = -EACCES;
	__px_close((int)fd);
	return r;
}

/* SYS_mkdirat: _IO_CONNECT_MKNOD of a directory. */
long __px_mkdirat(int dirfd, const char *path, unsigned mode)
{
	long r = __px_connect(dirfd, path, _IO_CONNECT_MKNOD, O_CREAT | O_EXCL,
	    S_IFDIR | __px_create_mode(mode & 07777), 0, 0);

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
