/*
 * I/O on an fd: each call is one _IO_* message to the server behind the
 * connection (sys/iomsg.h); the server's status is the result.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/dcmd_chr.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include "px.h"

#define IOV_STACK	64	/* readv/writev with more parts go one by one */

/*
 * A send on an fd whose server has gone fails with ESRCH (or EBADF, once
 * the kernel marks the connection dead): to the caller the fd is bad.
 */
static long io(long r)
{
	return r == -ESRCH ? -EBADF : r;
}

/* SYS_openat: the two-step open, then the fd table entry. */
long __px_openat(int dirfd, const char *path, int flags, unsigned mode)
{
	char abs[PX_PATH_MAX];
	struct _io_stat_buf sb;
	int eflag;
	long fd = __px_abspath(dirfd, path, abs, &eflag);

	if (fd < 0)
		return fd;
	if (flags & O_CREAT)
		mode = __px_create_mode(mode);
	fd = __px_connect(AT_FDCWD, abs, _IO_CONNECT_OPEN, (unsigned)flags, mode, 0, 0);
	if (fd < 0)
		return fd;
	/* The server may not check these: a directory is wanted. */
	if ((flags & O_DIRECTORY) || eflag) {
		long r = __px_fstat((int)fd, &sb);

		if (r == 0 && !S_ISDIR(sb.sb_mode))
			r = -ENOTDIR;
		if (r < 0) {
			__px_close((int)fd);
			return r;
		}
	}
	__px_fd_set((int)fd, (unsigned)flags, (flags & O_CLOEXEC) != 0, abs);
	return fd;
}

/* SYS_close: _IO_CLOSE, then the connection goes, whatever the server said. */
long __px_close(int fd)
{
	struct _io_close m = { .type = _IO_CLOSE };
	long r = __px_fd_check(fd, 0);

	if (r < 0)
		return r;
	__px_send_quick(fd, &m, sizeof(m), 0, 0);
	__px_fd_clear(fd);
	ConnectDetach_r(fd);
	return 0;			/* the fd is gone whatever the server said */
}

/*
 * O_NONBLOCK that fcntl(F_SETFL) set travels with each read and write
 * (_IO_XFLAG_NONBLOCK): the server's OCB keeps only the open's flags.
 */
static uint32_t nonblock(int fd)
{
	return (__px_fds[fd].f_oflag & O_NONBLOCK) ? _IO_XFLAG_NONBLOCK : 0;
}

/*
 * A terminal's answer to a read from the background (_IO_EBACKGROUND):
 * SIGTTIN to the caller's group, then 1 to read again; or the error.
 */
static long read_job(void)
{
	long j = __px_job_signal(SIGTTIN);

	return j == 0 ? -EIO : j;
}

/* ... and to a write or a change: 1 to send again, *flag set if the caller ignores SIGTTOU. */
static long write_job(int *flag)
{
	long j = __px_job_signal(SIGTTOU);

	if (j == 0)
		*flag = 1;
	return j < 0 ? j : 1;
}

static long rd(int fd, void *buf, size_t n, int xtype, off_t off)
{
	struct {
		struct _io_read		r;
		struct _xtype_offset	o;
	} m = { { .type = _IO_READ, .xtype = (uint32_t)xtype, .nbytes = n }, { off } };
	long r;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	m.r.xtype |= nonblock(fd);
	while ((r = io(MsgSend_r(fd, &m, xtype ? sizeof(m) : sizeof(m.r), buf, n))) ==
	    -_IO_EBACKGROUND)
		if ((r = read_job()) < 0)
			break;
	return r;
}

static long wr(int fd, const iov_t *data, int parts, size_t n, int xtype, off_t off)
{
	struct {
		struct _io_write	w;
		struct _xtype_offset	o;
	} m = { { .type = _IO_WRITE, .xtype = (uint32_t)xtype, .nbytes = n }, { off } };
	iov_t s[IOV_STACK + 1];
	int bg = 0;
	long r;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	m.w.xtype |= nonblock(fd);
	SETIOV(&s[0], &m, xtype ? sizeof(m) : sizeof(m.w));
	memcpy(&s[1], data, (size_t)parts * sizeof(iov_t));
	while ((r = io(MsgSendv_r(fd, s, (size_t)parts + 1, 0, 0))) == -_IO_EBACKGROUND) {
		if ((r = write_job(&bg)) < 0)
			break;
		if (bg)
			m.w.xtype |= _IO_XFLAG_BACKGROUND;
	}
	return r;
}

/* SYS_read, SYS_write, SYS_pread64, SYS_pwrite64. */
long __px_read(int fd, void *buf, size_t n)
{
	return rd(fd, buf, n, _IO_XTYPE_NONE, 0);
}

long __px_pread(int fd, void *buf, size_t n, off_t off)
{
	return off < 0 ? -EINVAL : rd(fd, buf, n, _IO_XTYPE_OFFSET, off);
}

long __px_write(int fd, const void *buf, size_t n)
{
	iov_t v;

	SETIOV(&v, buf, n);
	return wr(fd, &v, 1, n, _IO_XTYPE_NONE, 0);
}

long __px_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	iov_t v;

	SETIOV(&v, buf, n);
	return off < 0 ? -EINVAL : wr(fd, &v, 1, n, _IO_XTYPE_OFFSET, off);
}

/* The total of an iovec array, or -EINVAL. */
static long iov_total(const struct iovec *iov, int n)
{
	size_t t = 0;

	if (n < 0 || n > 1024)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		if (__builtin_add_overflow(t, iov[i].iov_len, &t) || t > (size_t)LONG_MAX)
			return -EINVAL;
	return (long)t;
}

/* SYS_readv: one _IO_READ whose reply is scattered into the parts. */
long __px_readv(int fd, const struct iovec *iov, int n)
{
	struct _io_read m = { .type = _IO_READ };
	long t = iov_total(iov, n), r;

	if (t < 0)
		return t;
	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	m.nbytes = (uint64_t)t;
	m.xtype = nonblock(fd);
	while ((r = io(MsgSendsv_r(fd, &m, sizeof(m), iov, (size_t)n))) == -_IO_EBACKGROUND)
		if ((r = read_job()) < 0)
			break;
	return r;
}

/* SYS_writev: one _IO_WRITE gathering the parts (up to IOV_STACK of them). */
long __px_writev(int fd, const struct iovec *iov, int n)
{
	long t = iov_total(iov, n), done = 0, r;

	if (t < 0)
		return t;
	if (n <= IOV_STACK)
		return wr(fd, iov, n, (size_t)t, _IO_XTYPE_NONE, 0);
	for (int i = 0; i < n; i++, done += r)
		if ((r = wr(fd, &iov[i], 1, iov[i].iov_len, _IO_XTYPE_NONE, 0)) < 0 ||
		    (size_t)r < iov[i].iov_len)
			return done ? done + (r > 0 ? r : 0) : r;
	return done;
}

/* SYS_lseek: _IO_LSEEK; the reply is the new offset. */
long __px_lseek(int fd, off_t off, int whence)
{
	struct _io_lseek m = { .type = _IO_LSEEK, .whence = (int16_t)whence, .offset = off };
	struct _io_lseek_reply r;
	long st;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	if (whence < SEEK_SET || whence > 4)
		return -EINVAL;		/* 3, 4: Linux's SEEK_DATA, SEEK_HOLE, for the servers that know them */
	st = io(__px_send_quick(fd, &m, sizeof(m), &r, sizeof(r)));
	return st < 0 ? st : (long)r.lr_offset;
}

/* SYS_fstat: _IO_STAT; struct _io_stat_buf is musl's riscv64 struct stat. */
long __px_fstat(int fd, void *st)
{
	struct _io_stat m = { .type = _IO_STAT };
	long r;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	r = io(__px_send_quick(fd, &m, sizeof(m), st, sizeof(struct _io_stat_buf)));
	return r < 0 ? r : 0;
}

/* SYS_getdents64: _IO_READ on a directory gives linux_dirent64 records. */
long __px_getdents(int fd, void *buf, size_t n)
{
	struct _io_stat_buf sb;
	long r = __px_fstat(fd, &sb);

	if (r < 0)
		return r;
	if (!S_ISDIR(sb.sb_mode))
		return -ENOTDIR;
	return rd(fd, buf, n, _IO_XTYPE_NONE, 0);
}

/*
 * The terminal ioctls have Linux's old numbers (0x54xx) without direction
 * or size bits, so they become <sys/dcmd_chr.h>'s commands; the ones
 * that take an int by value get it by address.  A request of another
 * kind is the dcmd itself.
 */
_Static_assert(sizeof(struct termios) == _DCMD_CHR_TERMIOS_SIZE, "struct termios: <sys/dcmd_chr.h>");
_Static_assert(sizeof(struct winsize) == 8, "struct winsize: <sys/dcmd_chr.h>");

static int32_t tty_dcmd(unsigned long req, void **arg, int *byval)
{
	int v = (int)(intptr_t)*arg;

	switch (req) {
	case TCGETS:		return DCMD_CHR_TCGETATTR;
	case TCSETS:		return DCMD_CHR_TCSETATTR;
	case TCSETSW:		return DCMD_CHR_TCSETATTRD;
	case TCSETSF:		return DCMD_CHR_TCSETATTRF;
	case TIOCGWINSZ:	return DCMD_CHR_GETSIZE;
	case TIOCSWINSZ:	return DCMD_CHR_SETSIZE;
	case TIOCGPGRP:		return DCMD_CHR_TCGETPGRP;
	case TIOCSPGRP:		return DCMD_CHR_TCSETPGRP;
	case TIOCGSID:		return DCMD_CHR_TCGETSID;
	case FIONREAD:		return DCMD_CHR_FIONREAD;
	case TIOCNOTTY:		return DCMD_CHR_TCNOTTY;
	case TCSBRK:		return DCMD_CHR_TCDRAIN;	/* tcdrain; a break is only a drain */
	case TCFLSH:
	case TCXONC:
	case TIOCSCTTY:
		*byval = v;
		*arg = byval;
		return req == TCFLSH ? DCMD_CHR_TCFLUSH : req == TCXONC ? DCMD_CHR_TCFLOW :
		    DCMD_CHR_TCSETCTTY;
	}
	return (int32_t)req;
}

/*
 * SYS_ioctl: _IO_DEVCTL.  Other requests than the terminal's pass
 * as they are: Linux's _IOW/_IOR numbers encode direction and size as
 * QNX's dcmd does (_IOW is __DIOT, _IOR is __DIOF, the size in bits
 * 16-29).  The result is the server's ret_val.
 */
long __px_ioctl(int fd, unsigned long req, void *arg)
{
	struct _io_devctl m = { .type = _IO_DEVCTL };
	struct _io_devctl_reply rh = { 0 };
	int byval;
	size_t sz;
	iov_t s[2], r[2];
	int bg = 0;
	long st;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	m.dcmd = tty_dcmd(req, &arg, &byval);
	sz = _DEVCTL_SIZE(m.dcmd);
	m.nbytes = (uint32_t)sz;
	SETIOV(&s[0], &m, sizeof(m));
	SETIOV(&s[1], arg, ((uint32_t)m.dcmd & _DEVCTL_DATA_TO) ? sz : 0);
	SETIOV(&r[0], &rh, sizeof(rh));
	SETIOV(&r[1], arg, ((uint32_t)m.dcmd & _DEVCTL_DATA_FROM) ? sz : 0);
	while ((st = io(MsgSendv_r(fd, s, 2, r, 2))) == -_IO_EBACKGROUND) {
		if ((st = write_job(&bg)) < 0)
			break;
		if (bg)
			m.zero = _IO_DEVCTL_BACKGROUND;
	}
	return st < 0 ? st : rh.ret_val;
}

/*
 * SYS_fstatfs: _IO_DEVCTL DCMD_FSYS_STATVFS; a server without it (ENOTTY)
 * has nothing to say: ENOSYS.
 */
long __px_fstatfs(int fd, struct statfs *buf)
{
	struct _io_devctl m = { .type = _IO_DEVCTL, .dcmd = DCMD_FSYS_STATVFS,
	    .nbytes = sizeof(struct _io_statvfs) };
	struct _io_devctl_reply rh;
	struct _io_statvfs sv;
	iov_t r[2];
	long st;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	SETIOV(&r[0], &rh, sizeof(rh));
	SETIOV(&r[1], &sv, sizeof(sv));
	st = io(MsgSendsv_r(fd, &m, sizeof(m), r, 2));
	if (st < 0)
		return st == -ENOTTY ? -ENOSYS : st;
	*buf = (struct statfs){ .f_type = sv.sv_type, .f_bsize = sv.sv_bsize,
	    .f_blocks = sv.sv_blocks, .f_bfree = sv.sv_bfree, .f_bavail = sv.sv_bavail,
	    .f_files = sv.sv_files, .f_ffree = sv.sv_ffree,
	    .f_fsid = { { (int)sv.sv_fsid, (int)(sv.sv_fsid >> 32) } },
	    .f_namelen = sv.sv_namemax, .f_frsize = sv.sv_bsize, .f_flags = sv.sv_flag };
	return 0;
}

/* SYS_statfs: open with O_PATH, fstatfs, close. */
long __px_statfs(const char *path, struct statfs *buf)
{
	long fd = __px_openat(AT_FDCWD, path, O_RDONLY | O_PATH, 0), r;

	if (fd < 0)
		return fd;
	r = __px_fstatfs((int)fd, buf);
	__px_close((int)fd);
	return r;
}

/* SYS_fsync, SYS_fdatasync: _IO_SYNC. */
long __px_fsync(int fd, int data)
{
	struct _io_sync m = { .type = _IO_SYNC, .flag = data ? _IO_SYNC_DATA : 0 };
	long r;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	r = io(MsgSend_r(fd, &m, sizeof(m), 0, 0));
	return r < 0 ? r : 0;
}

/*
 * SYS_sync: _IO_SYNC to every file system that may write, found in
 * taskman's mount table (/proc/mounts: "server mountpoint type rw|ro 0 0";
 * the lines name directory attachments only).  Each mount point is opened
 * as a directory and fsync'd; the file systems answer by writing all
 * they hold dirty (fs-ext2: every dirty block, then the disk's flush).
 * sync() reports nothing, so errors (a server that does not sync, a
 * directory the caller may not read) are skipped.
 */
long __px_sync(void)
{
	char buf[4096], *line, *next;
	size_t have = 0;
	long fd = __px_openat(AT_FDCWD, "/proc/mounts", O_RDONLY | O_CLOEXEC, 0), n;

	if (fd < 0)
		return 0;
	while (have < sizeof(buf) - 1 &&
	    (n = __px_read((int)fd, buf + have, sizeof(buf) - 1 - have)) > 0)
		have += (size_t)n;
	__px_close((int)fd);
	buf[have] = '\0';
	for (line = buf; *line; line = next) {
		char *mp, *opt, *end;

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if ((mp = strchr(line, ' ')) == 0 || (end = strchr(++mp, ' ')) == 0 ||
		    (opt = strchr(end + 1, ' ')) == 0)
			continue;
		*end = '\0';
		if (mp[0] != '/' || strncmp(opt + 1, "rw", 2) != 0)
			continue;		/* read-only: nothing to write */
		fd = __px_openat(AT_FDCWD, mp, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC, 0);
		if (fd >= 0) {
			__px_fsync((int)fd, 0);
			__px_close((int)fd);
		}
	}
	return 0;
}
