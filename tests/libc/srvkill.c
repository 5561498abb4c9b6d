/*
 * srvkill - killing a server never hangs its clients (docs/resmgr.md,
 * "When a server dies"): for devnull, the pipe manager, fs-ram and the
 * console driver in turn, the test starts the server itself (fork and
 * exec: fork passes the I/O ability the console driver needs), opens it,
 * lets a thread block in a read where the server can block one (a pipe,
 * the console), kills the server (SIGKILL, or slay's SIGTERM), and
 * checks: the blocked read fails instead of hanging, every fd of the dead
 * server fails with EBADF, a new open fails with ENOENT, and after the
 * server is started again the path works (while the old fds stay dead).
 * Runs under taskman; its script starts no server, so the console is
 * free to be killed (output goes through DebugWrite).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ltest.h"

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Start prog (argv) as a child with our abilities; wait until path opens. */
static pid_t start(const char *prog, char *const argv[], const char *path)
{
	pid_t pid = fork();
	struct stat st;

	if (pid == 0) {
		execv(prog, argv);
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 500; i++) {
		if (stat(path, &st) == 0 && st.st_dev == (dev_t)pid)
			return pid;
		msleep(10);
	}
	return -1;
}

/* Kill pid: SIGKILL, or slay NAME (SIGTERM by default); 0 once it is reaped. */
static int stop(pid_t pid, const char *slay_name)
{
	int st;

	if (slay_name) {
		char *argv[] = { "slay", (char *)slay_name, 0 };
		pid_t s;

		if (posix_spawn(&s, "/proc/boot/slay", 0, 0, argv, 0) != 0 ||
		    waitpid(s, &st, 0) != s || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return -1;
	} else if (kill(pid, SIGKILL) != 0) {
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st))
		return -1;
	return 0;
}

/* A thread blocked in read(fd). */
struct reader {
	int		fd;
	volatile int	done;
	long		r;
	int		err;
};

static void *do_read(void *arg)
{
	struct reader *rd = arg;
	char c;

	rd->r = read(rd->fd, &c, 1);
	rd->err = errno;
	rd->done = 1;
	return 0;
}

/* An fd whose server is gone: every call EBADF. */
static int dead_fd(int fd)
{
	struct stat st;
	char c;

	LT_EQ(read(fd, &c, 1), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(write(fd, "x", 1), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(fstat(fd, &st), -1);
	LT_EQ(errno, EBADF);
	return 0;
}

/* A new open of path fails with ENOENT (taskman forgets the prefix when the server dies). */
static int gone(const char *path, int flags)
{
	int fd = -1;

	for (int i = 0; i < 100; i++) {
		if ((fd = open(path, flags)) < 0 && errno == ENOENT)
			return 0;
		if (fd >= 0)
			close(fd);
		msleep(10);
	}
	LT_EQ(fd, -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/*
 * The common part: fd (and fd2) open on the server pid; a reader blocks
 * on fd if block; kill it; the reader's error, the dead fds, ENOENT.
 */
static int kill_and_check(pid_t pid, const char *slay_name, int fd, int fd2, int block,
    const char *path, int flags)
{
	struct reader rd = { fd, 0, 0, 0 };
	pthread_t t;

	if (block) {
		LT_EQ(pthread_create(&t, 0, do_read, &rd), 0);
		msleep(300);
		LT_EQ(rd.done, 0);			/* it really waits */
	}
	LT_EQ(stop(pid, slay_name), 0);
	if (block) {
		for (int i = 0; i < 300 && !rd.done; i++)
			msleep(10);
		LT_EQ(rd.done, 1);			/* no hang */
		pthread_join(t, 0);
		LT_EQ(rd.r, -1);
		LT_EQ(rd.err, EBADF);
	}
	if (dead_fd(fd) || dead_fd(fd2) || gone(path, flags))
		return -1;
	LT_EQ(close(fd2), 0);			/* the fd is freed (nobody to tell) */
	LT_EQ(fcntl(fd2, F_GETFD), -1);
	LT_EQ(errno, EBADF);
	return 0;
}

LTEST(kill, devnull)
{
	char *argv[] = { "devnull", 0 };
	pid_t pid = start("/proc/boot/devnull", argv, "/dev/zero");
	char b[8] = "xxxxxxx";
	int fd, fd2;

	LT_CHECK(pid > 0);
	LT_CHECK((fd = open("/dev/zero", O_RDONLY)) >= 0);
	LT_CHECK((fd2 = open("/dev/null", O_RDWR)) >= 0);
	LT_EQ(read(fd, b, 4), 4);
	if (kill_and_check(pid, "devnull", fd, fd2, 0, "/dev/null", O_RDWR))
		return -1;
	LT_EQ(open("/dev/zero", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	pid = start("/proc/boot/devnull", argv, "/dev/zero");	/* again */
	LT_CHECK(pid > 0);
	LT_CHECK((fd2 = open("/dev/zero", O_RDONLY)) >= 0);
	LT_EQ(read(fd2, b, 4), 4);
	LT_EQ(b[0] | b[1] | b[2] | b[3], 0);
	LT_EQ(dead_fd(fd), 0);				/* the old fd stays dead */
	close(fd);
	close(fd2);
	LT_EQ(stop(pid, 0), 0);
	return 0;
}

LTEST(kill, pipe)
{
	char *argv[] = { "pipe", "/kpipe", 0 };
	pid_t pid = start("/proc/boot/pipe", argv, "/kpipe");
	int fd, fd2, p[2];
	char c;

	LT_CHECK(pid > 0);
	LT_CHECK((fd = open("/kpipe", O_RDWR)) >= 0);	/* a pipe that is its own writer */
	LT_CHECK((fd2 = open("/kpipe", O_RDWR)) >= 0);
	if (kill_and_check(pid, 0, fd, fd2, 1, "/kpipe", O_RDWR))
		return -1;
	pid = start("/proc/boot/pipe", argv, "/kpipe");
	LT_CHECK(pid > 0);
	LT_CHECK((p[0] = open("/kpipe", O_RDWR)) >= 0);
	LT_EQ(write(p[0], "p", 1), 1);
	LT_EQ(read(p[0], &c, 1), 1);
	LT_EQ(c, 'p');
	LT_EQ(dead_fd(fd), 0);
	close(fd);
	close(p[0]);
	LT_EQ(stop(pid, "pipe"), 0);			/* slay: SIGTERM */
	return 0;
}

/* The system's pipe(): its blocked reader and writer when the pipe manager goes. */
LTEST(kill, pipe_system)
{
	char *argv[] = { "pipe", 0 };
	pid_t pid = start("/proc/boot/pipe", argv, "/dev/pipe");
	struct reader rd;
	pthread_t t;
	int p[2];

	LT_CHECK(pid > 0);
	LT_EQ(pipe(p), 0);
	rd = (struct reader){ p[0], 0, 0, 0 };
	LT_EQ(pthread_create(&t, 0, do_read, &rd), 0);
	msleep(300);
	LT_EQ(rd.done, 0);
	LT_EQ(stop(pid, 0), 0);
	for (int i = 0; i < 300 && !rd.done; i++)
		msleep(10);
	LT_EQ(rd.done, 1);
	pthread_join(t, 0);
	LT_EQ(rd.r, -1);
	LT_EQ(rd.err, EBADF);
	LT_EQ(dead_fd(p[1]), 0);
	close(p[0]);
	close(p[1]);
	LT_EQ(pipe(p), -1);				/* no pipe manager */
	LT_EQ(errno, ENOENT);
	pid = start("/proc/boot/pipe", argv, "/dev/pipe");
	LT_CHECK(pid > 0);
	LT_EQ(pipe(p), 0);
	LT_EQ(write(p[1], "s", 1), 1);
	LT_EQ(close(p[1]), 0);
	LT_EQ(read(p[0], &rd.err, 1), 1);
	close(p[0]);
	LT_EQ(stop(pid, 0), 0);
	return 0;
}

LTEST(kill, fsram)
{
	char *argv[] = { "fs-ram", "/kram", 0 };
	pid_t pid = start("/proc/boot/fs-ram", argv, "/kram");
	struct stat st;
	char b[8];
	int fd, fd2;

	LT_CHECK(pid > 0);
	LT_CHECK((fd = open("/kram/f", O_RDWR | O_CREAT, 0644)) >= 0);
	LT_EQ(write(fd, "ram", 3), 3);
	LT_CHECK((fd2 = open("/kram", O_RDONLY | O_DIRECTORY)) >= 0);
	/* fs-ram never keeps a client waiting: there is no read to block */
	if (kill_and_check(pid, "fs-ram", fd, fd2, 0, "/kram/f", O_RDONLY))
		return -1;
	LT_EQ(stat("/kram/f", &st), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(mkdir("/kram/d", 0755), -1);
	LT_CHECK(errno == ENOENT || errno == EROFS);	/* the image at / may answer */
	pid = start("/proc/boot/fs-ram", argv, "/kram");
	LT_CHECK(pid > 0);
	LT_EQ(stat("/kram/f", &st), -1);		/* a new, empty file system */
	LT_EQ(errno, ENOENT);
	LT_CHECK((fd2 = open("/kram/f", O_RDWR | O_CREAT, 0644)) >= 0);
	LT_EQ(write(fd2, "new", 3), 3);
	LT_EQ(pread(fd2, b, sizeof(b), 0), 3);
	LT_EQ(dead_fd(fd), 0);
	close(fd);
	close(fd2);
	LT_EQ(stop(pid, 0), 0);
	return 0;
}

/* The console driver: a reader waiting for a line when it dies. */
LTEST(kill, console)
{
	char *argv[] = { "devc-ns16550", 0 };
	pid_t pid = start("/proc/boot/devc-ns16550", argv, "/dev/console");
	struct stat st;
	int fd, fd2;

	LT_CHECK(pid > 0);
	LT_CHECK((fd = open("/dev/console", O_RDWR)) >= 0);
	LT_CHECK((fd2 = open("/dev/ser1", O_RDWR)) >= 0);
	LT_EQ(write(fd2, "\n", 1), 1);
	if (kill_and_check(pid, 0, fd, fd2, 1, "/dev/console", O_RDWR))
		return -1;
	LT_EQ(open("/dev/ser1", O_RDWR), -1);
	LT_EQ(errno, ENOENT);
	/* again: the interrupt and the registers are free for the new driver */
	pid = start("/proc/boot/devc-ns16550", argv, "/dev/console");
	LT_CHECK(pid > 0);
	LT_CHECK((fd2 = open("/dev/console", O_RDWR | O_NONBLOCK)) >= 0);
	LT_EQ(write(fd2, "console again\n", 14), 14);
	LT_EQ(tcdrain(fd2), 0);				/* the transmitter interrupt works */
	LT_EQ(fstat(fd2, &st), 0);
	LT_CHECK(S_ISCHR(st.st_mode));
	LT_EQ(dead_fd(fd), 0);
	close(fd);
	close(fd2);
	LT_EQ(stop(pid, "devc-ns16550"), 0);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
