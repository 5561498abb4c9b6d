/*
 * libclock - fcntl record locks (F_GETLK, F_SETLK, F_SETLKW) and lockf
 * on fs-ram's /tmp, between processes (docs/resmgr.md, "Record locks"):
 * conflicts and F_GETLK's answer, read locks shared, splitting and
 * merging, l_whence and negative lengths, F_SETLKW waiting until the
 * holder unlocks, closes or dies, EINTR from a signal, EDEADLK for a
 * two-process cycle, locks released by closing any fd on the file, a
 * waiter killed while it waits, ENOLCK, and the errors (EINVAL, EBADF,
 * EFAULT, ENOSYS from a server without locks).  Runs under taskman; its
 * script starts fs-ram on /tmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <sys/iomsg.h>
#include "ltest.h"

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A file of 100 bytes, opened with flags. */
static int mkfile(const char *path, int flags)
{
	char buf[100];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0666);

	memset(buf, 'x', sizeof(buf));
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		return -1;
	if (flags == O_RDWR)
		return fd;
	close(fd);
	return open(path, flags);
}

static int setlk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = (short)whence,
	    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK of a write lock on [start, start+len): the answer in *fl. */
static int getlk(int fd, off_t start, off_t len, struct flock *fl)
{
	*fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start,
	    .l_len = len, .l_pid = -7 };
	return fcntl(fd, F_GETLK, fl);
}

/* The child's exit status, or -1. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

LTEST(lock, getlk_free)
{
	struct flock fl;
	int fd = mkfile("/tmp/lk-free", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(getlk(fd, 0, 0, &fl), 0);
	LT_EQ(fl.l_type, F_UNLCK);
	LT_EQ(fl.l_pid, -7);			/* the rest is left as it was */
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	LT_EQ(getlk(fd, 0, 0, &fl), 0);		/* our own lock is not in our way */
	LT_EQ(fl.l_type, F_UNLCK);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Another process sees the lock, its owner and its range, and is refused. */
LTEST(lock, conflict)
{
	int fd = mkfile("/tmp/lk-conf", O_RDWR);
	pid_t me = getpid(), pid;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 20), 0);
	pid = fork();
	if (pid == 0) {
		struct flock fl;

		if (getlk(fd, 0, 15, &fl) != 0 || fl.l_type != F_WRLCK || fl.l_pid != me ||
		    fl.l_whence != SEEK_SET || fl.l_start != 10 || fl.l_len != 20)
			_exit(1);
		if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 29, 1) != -1 || errno != EAGAIN)
			_exit(2);
		if (setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10) != 0)	/* just before */
			_exit(3);
		if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 30, 0) != 0)	/* just after, to EOF */
			_exit(4);
		if (getlk(fd, 0, 0, &fl) != 0 || fl.l_type != F_WRLCK || fl.l_start != 10)
			_exit(5);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

LTEST(lock, read_shared)
{
	int fd = mkfile("/tmp/lk-rd", O_RDWR);
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 0), 0);
	pid = fork();
	if (pid == 0) {
		struct flock fl;

		if (setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 5) != 0)
			_exit(1);
		if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 5) != -1 || errno != EAGAIN)
			_exit(2);
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET };
		if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK)
			_exit(3);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* A hole unlocked in the middle splits the lock; a lock across it merges again. */
LTEST(lock, split_merge)
{
	int fd = mkfile("/tmp/lk-split", O_RDWR);
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100), 0);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20), 0);
	pid = fork();
	if (pid == 0) {
		struct flock fl;

		if (getlk(fd, 40, 20, &fl) != 0 || fl.l_type != F_UNLCK)
			_exit(1);
		if (getlk(fd, 50, 0, &fl) != 0 || fl.l_type != F_WRLCK || fl.l_start != 60 ||
		    fl.l_len != 40)
			_exit(2);
		if (getlk(fd, 0, 41, &fl) != 0 || fl.l_start != 0 || fl.l_len != 40)
			_exit(3);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 30, 40), 0);	/* one lock, 0-99 */
	pid = fork();
	if (pid == 0) {
		struct flock fl;

		if (getlk(fd, 99, 1, &fl) != 0 || fl.l_start != 0 || fl.l_len != 100)
			_exit(1);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* SEEK_CUR from the offset, SEEK_END from the size, negative lengths. */
LTEST(lock, whence)
{
	int fd = mkfile("/tmp/lk-wh", O_RDWR);
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(lseek(fd, 20, SEEK_SET), 20);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 5, 5), 0);		/* 25-29 */
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 5), 0);	/* 90-94 */
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, -10), 0);	/* 40-49 */
	pid = fork();
	if (pid == 0) {
		struct flock fl;

		if (getlk(fd, 0, 30, &fl) != 0 || fl.l_start != 25 || fl.l_len != 5)
			_exit(1);
		if (getlk(fd, 30, 50, &fl) != 0 || fl.l_start != 40 || fl.l_len != 10)
			_exit(2);
		if (getlk(fd, 50, 0, &fl) != 0 || fl.l_start != 90 || fl.l_len != 5)
			_exit(3);
		if (getlk(fd, 95, 0, &fl) != 0 || fl.l_type != F_UNLCK)
			_exit(4);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

LTEST(lock, errors)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = mkfile("/tmp/lk-err", O_RDWR), ro = open("/tmp/lk-err", O_RDONLY);
	int wo = open("/tmp/lk-err", O_WRONLY), boot;

	LT_CHECK(fd >= 0 && ro >= 0 && wo >= 0);
	LT_EQ(setlk(fd, F_SETLK, 7, SEEK_SET, 0, 1), -1);		/* bad l_type */
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, 3, 0, 1), -1);		/* bad l_whence */
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), -1);	/* before byte 0 */
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -3), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_END, -101, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_END, 0x7fffffffffffff00LL, 0x1000), -1);
	LT_EQ(errno, EOVERFLOW);
	fl.l_type = F_UNLCK;
	LT_EQ(fcntl(fd, F_GETLK, &fl), -1);				/* F_GETLK of F_UNLCK */
	LT_EQ(errno, EINVAL);
	LT_EQ(setlk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), -1);	/* not open for writing */
	LT_EQ(errno, EBADF);
	LT_EQ(setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), -1);	/* not open for reading */
	LT_EQ(errno, EBADF);
	LT_EQ(setlk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), 0);
	LT_EQ(setlk(wo, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), 0);
	LT_EQ(setlk(wo, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);	/* unlock: any mode */
	LT_EQ(setlk(555, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(fcntl(fd, F_GETLK, (struct flock *)8), -1);
	LT_EQ(errno, EFAULT);
	LT_EQ(fcntl(fd, F_SETLK, (struct flock *)8), -1);
	LT_EQ(errno, EFAULT);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET };
	LT_EQ(fcntl(fd, F_OFD_SETLK, &fl), -1);			/* not supported */
	LT_EQ(errno, EINVAL);
	LT_EQ(flock(fd, LOCK_EX), -1);					/* not supported */
	LT_EQ(errno, ENOSYS);
	boot = open("/proc/boot/libclock", O_RDONLY);		/* taskman keeps no locks */
	LT_CHECK(boot >= 0);
	LT_EQ(setlk(boot, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), -1);
	LT_EQ(errno, ENOSYS);
	close(boot);
	close(ro);
	close(wo);
	LT_EQ(close(fd), 0);
	return 0;
}

/* F_SETLKW waits until the holder unlocks, and then has the lock. */
LTEST(lock, wait_unlock)
{
	int fd = mkfile("/tmp/lk-w", O_RDWR);
	struct flock fl;
	pid_t pid;
	int st;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	pid = fork();
	if (pid == 0) {
		if (setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 5, 10) != 0)
			_exit(1);
		msleep(300);	/* hold it while the parent looks */
		_exit(0);
	}
	msleep(200);
	LT_EQ(waitpid(pid, &st, WNOHANG), 0);		/* still waiting */
	LT_EQ(getlk(fd, 10, 5, &fl), 0);			/* and holding nothing */
	LT_EQ(fl.l_type, F_UNLCK);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	msleep(100);
	LT_EQ(getlk(fd, 0, 0, &fl), 0);			/* the child has it now */
	LT_EQ(fl.l_type, F_WRLCK);
	LT_EQ(fl.l_pid, pid);
	LT_EQ(fl.l_start, 5);
	LT_EQ(reap(pid), 0);
	LT_EQ(getlk(fd, 0, 0, &fl), 0);			/* its death released it */
	LT_EQ(fl.l_type, F_UNLCK);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Closing any fd on the file, even another one, releases the process's locks. */
LTEST(lock, close_releases)
{
	int fd = mkfile("/tmp/lk-cl", O_RDWR), fd2, fd3;
	struct flock fl;
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0);
	pid = fork();
	if (pid == 0) {		/* waits for the parent's lock */
		if (setlk(fd, F_SETLKW, F_RDLCK, SEEK_SET, 0, 1) != 0)
			_exit(1);
		_exit(0);
	}
	msleep(100);
	fd2 = open("/tmp/lk-cl", O_RDONLY);		/* another open of the file */
	LT_CHECK(fd2 >= 0);
	LT_EQ(close(fd2), 0);
	LT_EQ(reap(pid), 0);				/* let in */
	LT_EQ(getlk(fd, 0, 0, &fl), 0);
	LT_EQ(fl.l_type, F_UNLCK);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0);	/* and with a dup */
	fd3 = dup(fd);
	LT_CHECK(fd3 >= 0);
	LT_EQ(close(fd3), 0);
	pid = fork();
	if (pid == 0)
		_exit(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0) == 0 ? 0 : 1);
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal ends F_SETLKW with EINTR, and the lock is not taken later. */
LTEST(lock, wait_eintr)
{
	int fd = mkfile("/tmp/lk-intr", O_RDWR);
	struct flock fl;
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_alarm };

		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		if (setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) != -1 || errno != EINTR)
			_exit(1);
		msleep(400);	/* the parent unlocks meanwhile: we must not get it */
		if (getlk(fd, 0, 1, &fl) != 0 || fl.l_type != F_UNLCK)
			_exit(2);
		_exit(0);
	}
	msleep(1200);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);
	LT_EQ(reap(pid), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/*
 * A holds byte 0 and waits for byte 1, which B holds and waits for byte
 * 0: the second to ask gets EDEADLK (normally the parent, which asks
 * 300 ms later).
 */
LTEST(lock, deadlock)
{
	int fd = mkfile("/tmp/lk-dl", O_RDWR);
	struct flock fl;
	pid_t pid;
	int r, e, i;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	pid = fork();
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1) != 0)
			_exit(1);
		if (setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1) == 0)
			_exit(0);
		_exit(errno == EDEADLK ? 2 : 3);
	}
	for (i = 0; i < 100 && getlk(fd, 1, 1, &fl) == 0 && fl.l_type == F_UNLCK; i++)
		msleep(10);
	msleep(300);
	r = setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
	e = errno;
	if (r == -1) {
		LT_EQ(e, EDEADLK);
		LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);
		LT_EQ(reap(pid), 0);			/* it got byte 0 */
	} else {
		LT_EQ(r, 0);				/* the child was second */
		LT_EQ(reap(pid), 2);
	}
	LT_EQ(close(fd), 0);
	return 0;
}

/* A waiter killed while it waits is forgotten; the next one gets the lock. */
LTEST(lock, waiter_killed)
{
	int fd = mkfile("/tmp/lk-kill", O_RDWR);
	pid_t a, b;

	LT_CHECK(fd >= 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0);
	a = fork();
	if (a == 0)
		_exit(setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 0) == 0 ? 5 : 6);
	msleep(100);
	LT_EQ(kill(a, SIGKILL), 0);
	LT_EQ(reap(a), 1000 + SIGKILL);
	b = fork();
	if (b == 0)
		_exit(setlk(fd, F_SETLKW, F_RDLCK, SEEK_SET, 0, 0) == 0 ? 0 : 1);
	msleep(100);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	LT_EQ(reap(b), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* musl's lockf on top of fcntl. */
LTEST(lock, lockf)
{
	int fd = mkfile("/tmp/lk-lockf", O_RDWR);
	pid_t pid;

	LT_CHECK(fd >= 0);
	LT_EQ(lseek(fd, 10, SEEK_SET), 10);
	LT_EQ(lockf(fd, F_LOCK, 10), 0);			/* 10-19 */
	LT_EQ(lockf(fd, F_TEST, 10), 0);			/* ours */
	pid = fork();
	if (pid == 0) {
		if (lseek(fd, 0, SEEK_CUR) != 10)		/* a shared offset */
			_exit(1);
		if (lockf(fd, F_TEST, 5) != -1 || errno != EACCES)
			_exit(2);
		if (lockf(fd, F_TLOCK, 5) != -1 || (errno != EAGAIN && errno != EACCES))
			_exit(3);
		if (lseek(fd, 20, SEEK_SET) != 20 || lockf(fd, F_TLOCK, 0) != 0)
			_exit(4);
		_exit(0);
	}
	LT_EQ(reap(pid), 0);
	LT_EQ(lseek(fd, 10, SEEK_SET), 10);
	LT_EQ(lockf(fd, F_ULOCK, 10), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* One object holds at most 1024 locks: ENOLCK beyond, and unlocking still works. */
LTEST(lock, enolck)
{
	int fd = mkfile("/tmp/lk-many", O_RDWR), i, r = 0;

	LT_CHECK(fd >= 0);
	for (i = 0; i < 1100 && (r = setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2 * i, 1)) == 0; i++)
		;
	LT_EQ(r, -1);
	LT_EQ(errno, ENOLCK);
	LT_EQ(i, 1024);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);	/* one fewer */
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5000, 1), 0);	/* the 1024th again */
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 6000, 1), -1);
	LT_EQ(errno, ENOLCK);
	LT_EQ(setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	LT_EQ(setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Malformed _IO_LOCK messages, sent raw: the server refuses them. */
LTEST(lock, malformed)
{
	struct {
		struct _io_lock		l;
		struct _io_flock	f;
	} m = { { .type = _IO_LOCK, .subtype = F_SETLK, .nbytes = sizeof(struct _io_flock) },
	    { .l_type = F_WRLCK, .l_whence = SEEK_SET } };
	int fd = mkfile("/tmp/lk-raw", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(MsgSend(fd, &m, sizeof(m), NULL, 0), 0);		/* well formed */
	LT_EQ(MsgSend(fd, &m, 8, NULL, 0), -1);			/* shorter than the header */
	LT_EQ(errno, EINVAL);
	LT_EQ(MsgSend(fd, &m, sizeof(m.l), NULL, 0), -1);		/* no flock */
	LT_EQ(errno, EINVAL);
	m.l.nbytes = 8;
	LT_EQ(MsgSend(fd, &m, sizeof(m), NULL, 0), -1);		/* a wrong size */
	LT_EQ(errno, EINVAL);
	m.l.nbytes = sizeof(struct _io_flock);
	m.l.subtype = 99;
	LT_EQ(MsgSend(fd, &m, sizeof(m), NULL, 0), -1);		/* no such command */
	LT_EQ(errno, EINVAL);
	m.l.subtype = F_SETLK;
	m.l.combine_len = 1;
	LT_EQ(MsgSend(fd, &m, sizeof(m), NULL, 0), -1);		/* combine: not supported */
	LT_EQ(errno, ENOSYS);
	LT_EQ(close(fd), 0);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
