/*
 * A file's attributes and names: chmod, chown, truncate, utimens on an fd
 * (_IO_CHMOD, _IO_CHOWN, _IO_SPACE, _IO_UTIME) or by path (open, the
 * message, close), and rename, symlink, link (_IO_CONNECT with extra
 * data after the path, sys/iomsg.h).
 */
#define _GNU_SOURCE		/* AT_EMPTY_PATH */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "px.h"

static long io(int fd, const void *m, size_t len, void *r, size_t rlen)
{
	long st;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	st = __px_send_quick(fd, m, len, r, rlen);
	return st == -ESRCH ? -EBADF : st < 0 ? st : 0;
}

/* SYS_fchmod: _IO_CHMOD. */
long __px_fchmod(int fd, unsigned mode)
{
	struct _io_chmod m = { .type = _IO_CHMOD, .mode = mode & 07777 };

	return io(fd, &m, sizeof(m), 0, 0);
}

/* SYS_fchown: _IO_CHOWN (-1 leaves an id). */
long __px_fchown(int fd, int uid, int gid)
{
	struct _io_chown m = { .type = _IO_CHOWN, .uid = uid, .gid = gid };

	return io(fd, &m, sizeof(m), 0, 0);
}

/*
 * SYS_ftruncate: _IO_SPACE as QNX's libc does it: F_FREESP from len to
 * the end when shrinking, F_ALLOCSP up to len when growing.
 */
long __px_ftruncate(int fd, off_t len)
{
	struct _io_stat_buf sb;
	struct _io_space m = { .type = _IO_SPACE, .whence = SEEK_SET, .start = len };
	struct _io_lseek_reply r;
	long st;

	if (len < 0)
		return -EINVAL;
	if ((st = __px_fstat(fd, &sb)) < 0)
		return st;
	if (S_ISDIR(sb.sb_mode))
		return -EISDIR;
	if (len < sb.sb_size) {
		m.subtype = _IO_SPACE_FREESP;	/* len 0: to the end */
	} else {
		m.subtype = _IO_SPACE_ALLOCSP;
		m.start = sb.sb_size;
		m.len = len - sb.sb_size;
		if (m.len == 0)
			return 0;
	}
	return io(fd, &m, sizeof(m), &r, sizeof(r));
}

/* futimens: _IO_UTIME; NULL times is "now" for both. */
long __px_futimens(int fd, const struct timespec *ts)
{
	struct _io_utime m = { .type = _IO_UTIME, .atime_nsec = _IO_UTIME_NOW,
	    .mtime_nsec = _IO_UTIME_NOW };

	if (ts) {
		m.atime_sec = ts[0].tv_sec, m.atime_nsec = ts[0].tv_nsec;
		m.mtime_sec = ts[1].tv_sec, m.mtime_nsec = ts[1].tv_nsec;
	}
	return io(fd, &m, sizeof(m), 0, 0);
}

/*
 * By path: SYS_fchmodat (a = mode), SYS_fchownat (a, b = ids), SYS_truncate
 * (a = length), SYS_utimensat (a = times; path NULL: dirfd itself).  The
 * object is opened with O_PATH (no read permission needed; with
 * AT_SYMLINK_NOFOLLOW, O_NOFOLLOW too: a server that opens links with
 * O_PATH changes the link itself, others say ELOOP), truncate's for writing.
 */
long __px_atpath(int call, int dirfd, const char *path, long a, long b, int flags)
{
	long fd, r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (call == SYS_utimensat && path == 0)
		return __px_futimens(dirfd, (const struct timespec *)a);
	if ((flags & AT_EMPTY_PATH) && path[0] == '\0')
		fd = dirfd;
	else if ((fd = __px_openat(dirfd, path, call == SYS_truncate ? O_WRONLY :
	    O_RDONLY | O_PATH | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0)) < 0)
		return fd;
	switch (call) {
	case SYS_fchmodat:	r = __px_fchmod((int)fd, (unsigned)a); break;
	case SYS_fchownat:	r = __px_fchown((int)fd, (int)a, (int)b); break;
	case SYS_truncate:	r = __px_ftruncate((int)fd, (off_t)a); break;
	default:		r = __px_futimens((int)fd, (const struct timespec *)a); break;
	}
	if (fd != dirfd)
		__px_close((int)fd);
	return r;
}

/* The absolute path of path (relative to dirfd) as extra data: its length or -errno. */
static long extra_path(int dirfd, const char *path, char *abs)
{
	int eflag;
	long r = __px_abspath(dirfd, path, abs, &eflag);

	return r < 0 ? r : (long)strlen(abs) + 1;
}

/* SYS_renameat2 (flags 0 only): _IO_CONNECT_RENAME of new, old's absolute path as extra. */
long __px_renameat(int ofd, const char *old, int nfd, const char *new_, unsigned flags)
{
	char abs[PX_PATH_MAX];
	long n = flags ? -EINVAL : extra_path(ofd, old, abs);

	if (n < 0)
		return n;
	n = __px_connect_x(nfd, new_, _IO_CONNECT_RENAME, 0, 0, _IO_CONNECT_EXTRA_RENAME, abs,
	    (size_t)n, 0, 0);
	return n < 0 ? n : 0;
}

/* SYS_symlinkat: _IO_CONNECT_LINK of path with the target as extra. */
long __px_symlinkat(const char *target, int dirfd, const char *path)
{
	size_t n = strnlen(target, PX_PATH_MAX);
	long r;

	if (n == 0)
		return -ENOENT;
	if (n >= PX_PATH_MAX)
		return -ENAMETOOLONG;
	r = __px_connect_x(dirfd, path, _IO_CONNECT_LINK, O_CREAT | O_EXCL, S_IFLNK | 0777,
	    _IO_CONNECT_EXTRA_SYMLINK, target, n + 1, 0, 0);
	return r < 0 ? r : 0;
}

/* SYS_linkat: open the existing file, then _IO_CONNECT_LINK naming our fd. */
long __px_linkat(int ofd, const char *old, int nfd, const char *new_, int flags)
{
	struct _io_connect_extra_link el;
	long fd, r;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	fd = __px_openat(ofd, old, O_RDONLY | ((flags & AT_SYMLINK_FOLLOW) ? 0 : O_NOFOLLOW), 0);
	if (fd < 0)
		return fd;
	el.el_pid = (int32_t)__px_getpid();
	el.el_coid = (int32_t)fd;
	r = __px_connect_x(nfd, new_, _IO_CONNECT_LINK, O_CREAT | O_EXCL, 0,
	    _IO_CONNECT_EXTRA_LINK, &el, sizeof(el), 0, 0);
	__px_close((int)fd);
	return r < 0 ? r : 0;
}
