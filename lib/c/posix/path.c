/*
 * Paths: the current directory (a string kept by libc; taskman keeps a
 * copy per process so that exec and children inherit it: _PROC_CWD in
 * <sys/procmsg.h>, _AT_QSOE_CWD at start-up) and turning a path relative to it or to a directory fd into the
 * absolute, lexically normalised path that taskman resolves ("." and
 * empty components dropped, ".." taking the previous one away: lexical,
 * so "link/.." is the directory of the link, not of its target).
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <string.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "lock.h"
#include "px.h"

static char cwd[PX_PATH_MAX] = "/";
static volatile int cwd_lock[1];

/* Append component c (n bytes) to the normalised path o (length *len). */
static int push(char *o, size_t *len, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 0 && o[*len] != '/')
			(*len)--;
		o[*len] = '\0';		/* "/a/b" -> "/a"; "/a" -> "" (root) */
		return 0;
	}
	if (*len + 1 + n >= PX_PATH_MAX)
		return -ENAMETOOLONG;
	o[(*len)++] = '/';
	memcpy(o + *len, c, n);
	*len += n;
	o[*len] = '\0';
	return 0;
}

/* Normalise every component of p onto o. */
static int push_all(char *o, size_t *len, const char *p)
{
	while (*p) {
		size_t n = strcspn(p, "/");
		int r = push(o, len, p, n);

		if (r < 0)
			return r;
		p += n;
		p += strspn(p, "/");
	}
	return 0;
}

/*
 * The absolute path of path relative to dirfd (AT_FDCWD: the current
 * directory) in out (PX_PATH_MAX bytes); *eflag gets
 * _IO_CONNECT_EFLAG_DIR if it ended in '/'.  0 or -errno: ENOENT (empty),
 * ENAMETOOLONG, EBADF (dirfd not an fd), ENOTDIR/ENOSYS (dirfd is not a
 * directory libc opened by path).
 */
long __px_abspath(int dirfd, const char *path, char *out, int *eflag)
{
	size_t len = 0, n = strnlen(path, PX_PATH_MAX);
	int r = 0;

	if (n == 0)
		return -ENOENT;
	if (n >= PX_PATH_MAX)
		return -ENAMETOOLONG;
	*eflag = path[n - 1] == '/' ? _IO_CONNECT_EFLAG_DIR : 0;
	out[0] = '\0';
	if (path[0] != '/' && dirfd == AT_FDCWD) {
		LOCK(cwd_lock);
		r = push_all(out, &len, cwd);
		UNLOCK(cwd_lock);
	} else if (path[0] != '/') {
		if ((r = __px_fd_check(dirfd, 0)) < 0)
			return r;
		LOCK(__px_fdlock);
		if (__px_fds[dirfd].f_path)
			r = push_all(out, &len, __px_fds[dirfd].f_path);
		else
			r = -ENOTDIR;	/* not opened by path here (inherited?) */
		UNLOCK(__px_fdlock);
	}
	if (r == 0)
		r = push_all(out, &len, path);
	if (r == 0 && len == 0)
		strcpy(out, "/");
	return r;
}

/*
 * Start-up (__qsoe_start, one thread, no TLS yet): the directory taskman
 * kept for this process.  Anything but an absolute path that fits is
 * ignored: the program starts in "/".
 */
void __px_cwd_init(const char *dir)
{
	size_t n = 0;

	while (n < PX_PATH_MAX && dir[n])
		n++;
	if (dir[0] == '/' && n < PX_PATH_MAX)
		memcpy(cwd, dir, n + 1);
}

/*
 * Make abs (checked to be a directory) the current directory: taskman's
 * copy first, so a failure there (ENOMEM) leaves both as they were.  A
 * process without taskman (-ENOSYS: started by the kernel) keeps it here.
 */
static long set_cwd(const char *abs)
{
	struct {
		struct _proc_cwd h;
		char path[PX_PATH_MAX];
	} m;
	size_t n = strlen(abs);
	long r;

	m.h = (struct _proc_cwd){ .type = _PROC_CWD, .subtype = _PROC_CWD_SET, .cw_len = (uint32_t)n };
	memcpy(m.path, abs, n);
	r = __px_sysmgr_send(&m, sizeof(m.h) + n, 0, 0);
	if (r < 0 && r != -ENOSYS)
		return r;
	LOCK(cwd_lock);
	strcpy(cwd, abs);
	UNLOCK(cwd_lock);
	return 0;
}

/* SYS_chdir: the directory must open as one. */
long __px_chdir(const char *path)
{
	char abs[PX_PATH_MAX];
	int eflag;
	long fd = __px_abspath(AT_FDCWD, path, abs, &eflag);

	if (fd < 0)
		return fd;
	fd = __px_openat(AT_FDCWD, abs, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	__px_close((int)fd);
	return set_cwd(abs);
}

/* SYS_fchdir: fd must be a directory libc opened by path. */
long __px_fchdir(int fd)
{
	char abs[PX_PATH_MAX];
	int eflag;
	long r = __px_abspath(fd, ".", abs, &eflag);
	struct _io_stat_buf sb;

	if (r == 0)
		r = __px_fstat(fd, &sb);
	if (r == 0 && (sb.sb_mode & 0170000) != 0040000)
		r = -ENOTDIR;
	if (r < 0)
		return r;
	return set_cwd(abs);
}

/* SYS_getcwd: Linux's result, the length with the NUL; ERANGE if it does not fit. */
long __px_getcwd(char *buf, size_t size)
{
	long n;

	LOCK(cwd_lock);
	n = (long)strlen(cwd) + 1;
	if ((size_t)n <= size)
		memcpy(buf, cwd, (size_t)n);
	UNLOCK(cwd_lock);
	return (size_t)n <= size ? n : -ERANGE;
}
