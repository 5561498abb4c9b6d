/*
 * dup, dup3, fcntl.  A duplicate is a new connection to the same server
 * that asks it, with _IO_DUP, to share the OCB of the old one (as QNX's
 * libc does); a server without _IO_DUP refuses, and so does the dup.
 * FD_CLOEXEC and the status flags are libc's (px.h, struct px_fd): the
 * kernel takes _NTO_COF_CLOEXEC when a connection is made but has no call
 * to change it later.
 */
#define _GNU_SOURCE		/* AT_EMPTY_PATH, F_OFD_* */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "lock.h"
#include "px.h"

/*
 * A duplicate of fd at the lowest free number >= min (exact: at min or
 * EBUSY), with FD_CLOEXEC if cloexec: the new fd or -errno.
 */
long __px_dup(int fd, int min, int exact, int cloexec)
{
	struct _server_info si;
	struct _io_dup m = { .type = _IO_DUP };
	struct px_fd old;
	long nfd, r;

	if ((r = __px_fd_check(fd, &si)) < 0)
		return r;
	if (min < 0 || min >= PX_FD_MAX)
		return -EINVAL;
	nfd = ConnectAttach_r(ND_LOCAL_NODE, si.pid, si.chid, (unsigned)min,
	    cloexec ? _NTO_COF_CLOEXEC : 0);
	if (nfd < 0)
		return nfd == -EAGAIN ? -EMFILE : nfd;
	if (nfd >= __px_fd_limit() || (exact && nfd != min)) {	/* RLIMIT_NOFILE */
		ConnectDetach_r((int)nfd);
		return nfd >= __px_fd_limit() ? -EMFILE : -EBUSY;
	}
	m.info.pid = (int32_t)__px_getpid();
	m.info.coid = fd;
	m.info.scoid = si.scoid;
	m.info.chid = si.chid;
	if ((r = __px_send_quick((int)nfd, &m, sizeof(m), 0, 0)) < 0) {
		ConnectDetach_r((int)nfd);
		return r;
	}
	LOCK(__px_fdlock);
	old = __px_fds[fd];
	UNLOCK(__px_fdlock);
	/* (The path copy races with a close of fd; it is only a hint for *at calls.) */
	__px_fd_set((int)nfd, old.f_oflag, cloexec, old.f_path);
	__px_fds[nfd].f_known = old.f_known;
	return nfd;
}

/* SYS_dup3 (dup2 too): close fd2 if open, then duplicate fd exactly there. */
long __px_dup3(int fd, int fd2, int flags)
{
	long r;

	if (fd == fd2 || (flags & ~O_CLOEXEC))
		return -EINVAL;
	if ((r = __px_fd_check(fd, 0)) < 0)
		return r;
	if (fd2 < 0 || fd2 >= __px_fd_limit())
		return -EBADF;
	if (__px_fd_check(fd2, 0) == 0)
		__px_close(fd2);
	return __px_dup(fd, fd2, 1, flags & O_CLOEXEC);	/* EBUSY: musl retries */
}

/* F_GETFL of an fd libc did not open: the server's _IO_FDINFO. */
static long server_flags(int fd)
{
	struct _io_fdinfo m = { .type = _IO_FDINFO };
	struct _io_fdinfo_reply r;
	long st = __px_send_quick(fd, &m, sizeof(m), &r, sizeof(r));

	return st < 0 ? st : (long)r.fr_ioflag;
}

_Static_assert(sizeof(struct flock) == sizeof(struct _io_flock), "struct flock is _io_flock");
_Static_assert(offsetof(struct flock, l_start) == offsetof(struct _io_flock, l_start), "l_start");
_Static_assert(offsetof(struct flock, l_len) == offsetof(struct _io_flock, l_len), "l_len");
_Static_assert(offsetof(struct flock, l_pid) == offsetof(struct _io_flock, l_pid), "l_pid");

/*
 * F_GETLK, F_SETLK, F_SETLKW: _IO_LOCK with the caller's struct flock
 * (musl's layout is struct _io_flock), straight from and into it, so a
 * bad pointer is the kernel's EFAULT.  F_SETLKW may wait in the server
 * for long: a signal ends it with EINTR (the server's unblock), so it is
 * a plain MsgSend and not __px_send_quick.
 */
static long lock(int fd, int cmd, struct flock *fl)
{
	struct _io_lock m = { .type = _IO_LOCK, .subtype = (uint32_t)cmd,
	    .nbytes = sizeof(struct _io_flock) };
	struct _io_lock_reply rep;
	iov_t siov[2], riov[2];
	long r;

	SETIOV(&siov[0], &m, sizeof(m));
	SETIOV(&siov[1], fl, sizeof(*fl));
	SETIOV(&riov[0], &rep, sizeof(rep));
	SETIOV(&riov[1], fl, sizeof(*fl));
	if (cmd == F_SETLKW)
		r = MsgSendv_r(fd, siov, 2, riov, 2);
	else
		while ((r = MsgSendv_r(fd, siov, 2, riov, cmd == F_GETLK ? 2 : 1)) == -EINTR)
			;
	if (r == -ESRCH)
		r = -EBADF;	/* the server is gone */
	return r < 0 ? r : 0;
}

#define SETFL_MASK	(O_APPEND | O_NONBLOCK)

/* SYS_fcntl: dup, FD_CLOEXEC, status flags, record locks. */
long __px_fcntl(int fd, int cmd, long arg)
{
	long r = __px_fd_check(fd, 0);
	struct px_fd *f = &__px_fds[fd];

	if (r < 0)
		return r;
	switch (cmd) {
	case F_DUPFD:		return __px_dup(fd, (int)arg, 0, 0);
	case F_DUPFD_CLOEXEC:	return __px_dup(fd, (int)arg, 0, 1);
	case F_GETFD:		return f->f_cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		f->f_cloexec = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->f_known ? (long)(f->f_oflag & ~(unsigned)(O_CREAT | O_EXCL |
		    O_NOCTTY | O_TRUNC | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW)) :
		    server_flags(fd);
	case F_SETFL:
		LOCK(__px_fdlock);
		f->f_oflag = (f->f_oflag & ~(unsigned)SETFL_MASK) | ((unsigned)arg & SETFL_MASK);
		UNLOCK(__px_fdlock);
		return 0;
	case F_GETLK: case F_SETLK: case F_SETLKW:
		return lock(fd, cmd, (struct flock *)arg);
	case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
		return -EINVAL;		/* open-file-description locks: not supported */
	default:
		return -EINVAL;
	}
}
