/*
 * libcres - the first resource managers on libresmgr (docs/resmgr.md),
 * through libc: devnull's /dev/null, zero, full, random, urandom, and the
 * pipe manager's pipes; malformed messages; a server killed under a
 * blocked client.  Runs under taskman; its script starts devnull and
 * pipe first.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <sys/iomsg.h>
#include "ltest.h"

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, 0);
}

LTEST(dev, null)
{
	char b[8] = "abcdefg";
	int fd = open("/dev/null", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, b, 7), 7);
	LT_EQ(read(fd, b, sizeof(b)), 0);
	LT_EQ(close(fd), 0);
	return 0;
}

LTEST(dev, zero)
{
	char b[300];
	int fd = open("/dev/zero", O_RDONLY);

	LT_CHECK(fd >= 0);
	memset(b, 0xff, sizeof(b));
	LT_EQ(read(fd, b, sizeof(b)), sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		LT_EQ(b[i], 0);
	LT_EQ(write(fd, b, 1), -1);
	LT_EQ(errno, EBADF);		/* opened read-only */
	close(fd);
	return 0;
}

LTEST(dev, full)
{
	char b[16] = { 1 };
	int fd = open("/dev/full", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, b, sizeof(b)), -1);
	LT_EQ(errno, ENOSPC);
	LT_EQ(read(fd, b, sizeof(b)), sizeof(b));
	LT_EQ(b[0], 0);
	close(fd);
	return 0;
}

LTEST(dev, random)
{
	static const char *const names[] = { "/dev/random", "/dev/urandom" };
	unsigned char a[64], b[64];

	for (int k = 0; k < 2; k++) {
		int fd = open(names[k], O_RDONLY), nz = 0;

		LT_CHECK(fd >= 0);
		LT_EQ(read(fd, a, sizeof(a)), sizeof(a));
		LT_EQ(read(fd, b, sizeof(b)), sizeof(b));
		LT_CHECK(memcmp(a, b, sizeof(a)) != 0);
		for (size_t i = 0; i < sizeof(a); i++)
			nz += a[i] != 0;
		LT_CHECK(nz > 32);
		close(fd);
	}
	return 0;
}

/* Writes to the random devices are taken (mixed in); 64 KiB of output has balanced bits. */
LTEST(dev, random_bits)
{
	static unsigned char b[65536];
	int fd = open("/dev/urandom", O_RDWR);
	long ones = 0;
	size_t have = 0;

	LT_CHECK(fd >= 0);
	LT_EQ(write(fd, "more seed", 9), 9);
	while (have < sizeof(b)) {
		long r = read(fd, b + have, sizeof(b) - have);

		LT_CHECK(r > 0);
		have += (size_t)r;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		ones += __builtin_popcount(b[i]);
	LT_CHECK(ones > 262144 - 2000 && ones < 262144 + 2000);	/* within ~8 sigma of half */
	close(fd);
	return 0;
}

LTEST(dev, stat_dup_lseek)
{
	struct stat st;
	char c = 1;
	int fd = open("/dev/zero", O_RDONLY), fd2;

	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(S_ISCHR(st.st_mode));
	LT_EQ(st.st_mode & 0777, 0666);
	LT_EQ(stat("/dev/null", &st), 0);
	LT_CHECK(S_ISCHR(st.st_mode));
	LT_EQ(lseek(fd, 10, SEEK_SET), 10);
	fd2 = dup(fd);
	LT_CHECK(fd2 >= 0);
	LT_EQ(close(fd), 0);
	LT_EQ(read(fd2, &c, 1), 1);
	LT_EQ(c, 0);
	LT_EQ(lseek(fd2, 0, SEEK_CUR), 10);	/* the dup shares the OCB */
	LT_EQ(close(fd2), 0);
	LT_EQ(open("/dev/nothing", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* Permissions: a non-root child may not write a 0600 file nor chmod it. */
/* A device is not a file system: its ENOTTY for DCMD_FSYS_STATVFS is ENOSYS. */
LTEST(dev, no_statvfs)
{
	struct statvfs sv;
	int fd = open("/dev/zero", O_RDONLY);

	LT_EQ(statvfs("/dev/null", &sv), -1);
	LT_EQ(errno, ENOSYS);
	LT_CHECK(fd >= 0);
	LT_EQ(fstatvfs(fd, &sv), -1);
	LT_EQ(errno, ENOSYS);
	close(fd);
	return 0;
}

LTEST(dev, permissions)
{
	int st = -1;
	pid_t pid;

	LT_EQ(chmod("/dev/full", 0600), 0);
	pid = fork();
	if (pid == 0) {
		int r = 0;

		if (setuid(1000) != 0)
			_exit(10);
		if (open("/dev/full", O_WRONLY) != -1 || errno != EACCES)
			r |= 1;
		if (chmod("/dev/null", 0600) != -1 || errno != EPERM)
			r |= 2;
		if (open("/dev/null", O_RDWR) < 0)
			r |= 4;
		_exit(r);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(chmod("/dev/full", 0666), 0);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

/* Malformed messages get errors and the server goes on. */
LTEST(dev, malformed)
{
	struct { uint16_t type, combine; uint32_t x; } shortread = { _IO_READ, 0, 0 };
	struct _io_read comb = { .type = _IO_READ, .combine_len = 3, .nbytes = 1 };
	struct _io_write lie = { .type = _IO_WRITE, .nbytes = 100000 };
	struct { struct _io_connect c; char p[8]; } badc = { { .type = _IO_CONNECT,
	    .subtype = _IO_CONNECT_OPEN, .handle = 1, .path_len = 60 }, "" };
	uint16_t unknown[4] = { 0x1ff, 0, 0, 0 };
	char c;
	int fd = open("/dev/null", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(MsgSend_r(fd, &shortread, sizeof(shortread), 0, 0), -EINVAL);
	LT_EQ(MsgSend_r(fd, &comb, sizeof(comb), 0, 0), -ENOSYS);
	LT_EQ(MsgSend_r(fd, unknown, sizeof(unknown), 0, 0), -ENOSYS);
	LT_EQ(MsgSend_r(fd, unknown, 1, 0, 0), -EINVAL);
	LT_EQ(MsgSend_r(fd, &lie, sizeof(lie), 0, 0), -EINVAL);
	LT_EQ(MsgSend_r(fd, &badc, sizeof(badc), 0, 0), -EINVAL);
	for (int i = 0; i < 500; i++) {		/* random garbage */
		uint32_t g[16];

		for (int j = 0; j < 16; j++)
			g[j] = (uint32_t)rand();
		g[0] = (g[0] & 0xffff0000) | (0x100 + (g[0] & 0x1f));
		if ((g[0] & 0xffff) == _IO_CLOSE || (g[0] & 0xffff) == _IO_CONNECT)
			continue;
		MsgSend_r(fd, g, (size_t)(rand() % 64), 0, 0);
	}
	LT_EQ(read(fd, &c, 1), 0);	/* still there */
	LT_EQ(write(fd, &c, 1), 1);
	close(fd);
	return 0;
}

/* Random messages to the pipe manager (non-blocking ends, so none waits): it goes on. */
LTEST(pipe, malformed)
{
	char b[8];
	int p[2];

	LT_EQ(pipe2(p, O_NONBLOCK), 0);
	srand(777);
	for (int i = 0; i < 2000; i++) {
		uint32_t g[32];

		for (int j = 0; j < 32; j++)
			g[j] = (uint32_t)rand();
		g[0] = (g[0] & 0xffff0000) | (0x100 + (g[0] % 0x1b));
		if ((g[0] & 0xffff) == _IO_CLOSE || (g[0] & 0xffff) == _IO_CONNECT)
			continue;
		if (i % 2)
			g[0] &= 0xffff;		/* combine_len 0: reaches the handlers */
		MsgSend_r(p[i % 2], g, (size_t)(rand() % 128), b, sizeof(b));
	}
	while (read(p[0], b, sizeof(b)) > 0)	/* whatever random writes left */
		;
	LT_EQ(write(p[1], "ok", 2), 2);		/* still there */
	LT_EQ(read(p[0], b, sizeof(b)), 2);
	LT_CHECK(memcmp(b, "ok", 2) == 0);
	close(p[0]);
	close(p[1]);
	return 0;
}

LTEST(pipe, basic)
{
	int p[2];
	char b[16];
	struct stat st;

	LT_EQ(pipe(p), 0);
	LT_EQ(write(p[1], "hello", 5), 5);
	LT_EQ(read(p[0], b, sizeof(b)), 5);
	LT_CHECK(memcmp(b, "hello", 5) == 0);
	LT_EQ(fstat(p[0], &st), 0);
	LT_CHECK(S_ISFIFO(st.st_mode));
	LT_EQ(lseek(p[0], 0, SEEK_SET), -1);
	LT_EQ(errno, ESPIPE);
	LT_EQ(read(p[1], b, 1), -1);		/* the write end */
	LT_EQ(errno, EBADF);
	LT_EQ(write(p[0], b, 1), -1);
	LT_EQ(errno, EBADF);
	LT_EQ(close(p[1]), 0);
	LT_EQ(read(p[0], b, sizeof(b)), 0);	/* EOF */
	LT_EQ(close(p[0]), 0);
	LT_EQ(pipe2(p, O_DIRECT << 4), -1);
	LT_EQ(errno, EINVAL);
	return 0;
}

static volatile int sigs;
static void on_sig(int s) { (void)s; sigs++; }

LTEST(pipe, epipe_sigpipe)
{
	struct sigaction sa = { .sa_handler = on_sig }, old;
	int p[2];

	sigs = 0;
	LT_EQ(sigaction(SIGPIPE, &sa, &old), 0);
	LT_EQ(pipe(p), 0);
	LT_EQ(close(p[0]), 0);
	LT_EQ(write(p[1], "x", 1), -1);
	LT_EQ(errno, EPIPE);
	LT_EQ(sigs, 1);
	close(p[1]);
	sigaction(SIGPIPE, &old, 0);
	return 0;
}

LTEST(pipe, nonblock)
{
	static char b[4096], big[2 * PIPE_BUF];
	long total = 0, r;
	int p[2];

	LT_EQ(pipe2(p, O_NONBLOCK), 0);
	LT_EQ(read(p[0], b, 1), -1);
	LT_EQ(errno, EAGAIN);
	while ((r = write(p[1], b, sizeof(b))) > 0 && total < (1 << 20))
		total += r;
	LT_EQ(r, -1);
	LT_EQ(errno, EAGAIN);
	LT_CHECK(total >= 4096);
	LT_EQ(read(p[0], b, 100), 100);	/* room for 100 bytes */
	LT_EQ(write(p[1], b, PIPE_BUF), -1);	/* PIPE_BUF: all or nothing */
	LT_EQ(errno, EAGAIN);
	LT_EQ(write(p[1], big, sizeof(big)), 100);	/* longer: what fits */
	LT_EQ(read(p[0], b, sizeof(b)), sizeof(b));
	LT_EQ(write(p[1], b, 100), 100);	/* room again */
	close(p[0]);
	close(p[1]);
	return 0;
}

/* O_NONBLOCK set later by fcntl reaches the server with each call. */
LTEST(pipe, setfl_nonblock)
{
	int p[2];
	char c;

	LT_EQ(pipe(p), 0);
	LT_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	LT_EQ(read(p[0], &c, 1), -1);
	LT_EQ(errno, EAGAIN);
	LT_EQ(write(p[1], "q", 1), 1);
	LT_EQ(read(p[0], &c, 1), 1);
	LT_EQ(c, 'q');
	close(p[0]);
	close(p[1]);
	return 0;
}

struct delayed { int fd, ms; pthread_t target; };

static void *late_writer(void *arg)
{
	struct delayed *d = arg;

	msleep(d->ms);
	return (void *)(long)write(d->fd, "w", 1);
}

LTEST(pipe, blocked_reader_woken)
{
	int p[2];
	char c = 0;
	pthread_t t;
	struct delayed d;

	LT_EQ(pipe(p), 0);
	d = (struct delayed){ p[1], 100, 0 };
	LT_EQ(pthread_create(&t, 0, late_writer, &d), 0);
	LT_EQ(read(p[0], &c, 1), 1);
	LT_EQ(c, 'w');
	pthread_join(t, 0);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* poll and select (_IO_NOTIFY): readiness now, a wake-up later, time-outs, EOF, bad fds. */
LTEST(pipe, poll_select)
{
	int p[2], fd;
	char c;
	pthread_t t;
	struct delayed d;
	struct pollfd pf[3];
	fd_set rs, ws;
	struct timeval tv = { 0, 100000 };
	struct timespec t0, t1;

	LT_EQ(pipe(p), 0);
	pf[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pf[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	LT_EQ(poll(pf, 2, 0), 1);			/* empty: writable only */
	LT_EQ(pf[0].revents, 0);
	LT_EQ(pf[1].revents, POLLOUT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	LT_EQ(poll(pf, 1, 150), 0);			/* nothing to read: the time-out */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	LT_CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 140);
	d = (struct delayed){ p[1], 100, 0 };
	LT_EQ(pthread_create(&t, 0, late_writer, &d), 0);
	LT_EQ(poll(pf, 1, 5000), 1);			/* woken by the write */
	LT_EQ(pf[0].revents, POLLIN);
	pthread_join(t, 0);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	LT_EQ(select(p[1] + 1, &rs, &ws, 0, &tv), 2);
	LT_CHECK(FD_ISSET(p[0], &rs) && FD_ISSET(p[1], &ws));
	LT_EQ(read(p[0], &c, 1), 1);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	tv = (struct timeval){ 0, 50000 };
	LT_EQ(select(p[0] + 1, &rs, 0, 0, &tv), 0);	/* empty again */
	LT_CHECK(!FD_ISSET(p[0], &rs));
	close(p[1]);
	LT_EQ(poll(pf, 1, 1000), 1);			/* no writer left: readable (EOF) */
	LT_CHECK(pf[0].revents & POLLIN);
	/* A negative fd is skipped; a closed one is POLLNVAL; select says EBADF. */
	fd = open("/proc/boot/motd", O_RDONLY);	/* no _IO_NOTIFY there: always ready */
	LT_CHECK(fd >= 0);
	pf[0] = (struct pollfd){ -1, POLLIN, 0 };
	pf[1] = (struct pollfd){ 60, POLLIN, 0 };
	pf[2] = (struct pollfd){ fd, POLLIN, 0 };
	LT_EQ(poll(pf, 3, 0), 2);
	LT_EQ(pf[0].revents, 0);
	LT_EQ(pf[1].revents, POLLNVAL);
	LT_EQ(pf[2].revents, POLLIN);
	FD_ZERO(&rs);
	FD_SET(60, &rs);
	errno = 0;
	LT_EQ(select(61, &rs, 0, 0, 0), -1);
	LT_EQ(errno, EBADF);
	close(fd);
	close(p[0]);
	return 0;
}

static void *late_signal(void *arg)
{
	struct delayed *d = arg;

	msleep(d->ms);
	pthread_kill(d->target, SIGUSR1);
	return 0;
}

LTEST(pipe, blocked_reader_eintr)
{
	struct sigaction sa = { .sa_handler = on_sig }, old;
	int p[2];
	char c;
	pthread_t t;
	struct delayed d;

	sigs = 0;
	LT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	LT_EQ(pipe(p), 0);
	d = (struct delayed){ p[1], 100, pthread_self() };
	LT_EQ(pthread_create(&t, 0, late_signal, &d), 0);
	LT_EQ(read(p[0], &c, 1), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(sigs, 1);
	pthread_join(t, 0);
	LT_EQ(write(p[1], "z", 1), 1);		/* the pipe still works */
	LT_EQ(read(p[0], &c, 1), 1);
	LT_EQ(c, 'z');
	close(p[0]);
	close(p[1]);
	sigaction(SIGUSR1, &old, 0);
	return 0;
}

LTEST(pipe, across_fork)
{
	int p[2], st = -1;
	char b[64];
	long n = 0, r;
	pid_t pid;

	LT_EQ(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 10; i++)
			if (write(p[1], "child!", 6) != 6)
				_exit(1);
		_exit(0);
	}
	LT_CHECK(pid > 0);
	LT_EQ(close(p[1]), 0);
	while ((r = read(p[0], b, sizeof(b))) > 0)
		n += r;		/* EOF once the child's end is gone */
	LT_EQ(r, 0);
	LT_EQ(n, 60);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(st, 0);
	close(p[0]);
	return 0;
}

#define ATOM_N	60

static void *atom_writer(void *arg)
{
	static char blk[2][PIPE_BUF];
	struct delayed *d = arg;
	char *b = blk[d->ms];

	memset(b, 'A' + d->ms, PIPE_BUF);
	for (int i = 0; i < ATOM_N; i++)
		if (write(d->fd, b, PIPE_BUF) != PIPE_BUF)
			return (void *)1;
	return 0;
}

/* Two writers of PIPE_BUF bytes: every block arrives whole. */
LTEST(pipe, atomic_pipe_buf)
{
	static char b[PIPE_BUF];
	struct delayed d[2];
	pthread_t t[2];
	size_t have = 0;
	int p[2], blocks = 0;
	void *ret;
	long r;

	LT_EQ(pipe(p), 0);
	for (int i = 0; i < 2; i++) {
		d[i] = (struct delayed){ p[1], i, 0 };
		LT_EQ(pthread_create(&t[i], 0, atom_writer, &d[i]), 0);
	}
	while (blocks < 2 * ATOM_N) {
		r = read(p[0], b + have, sizeof(b) - have);
		LT_CHECK(r > 0);
		have += (size_t)r;
		if (have == sizeof(b)) {
			for (size_t i = 1; i < sizeof(b); i++)
				LT_EQ(b[i], b[0]);
			blocks++, have = 0;
		}
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], &ret);
		LT_EQ((long)ret, 0);
	}
	close(p[0]);
	close(p[1]);
	return 0;
}

static void *big_writer(void *arg)
{
	struct delayed *d = arg;
	char *b = malloc(100000);

	for (int i = 0; i < 100000; i++)
		b[i] = (char)(i * 7);
	long r = write(d->fd, b, 100000);
	free(b);
	return (void *)r;
}

/* A write bigger than the pipe goes in pieces as the reader drains it. */
LTEST(pipe, big_write)
{
	static char b[100000];
	struct delayed d;
	pthread_t t;
	size_t have = 0;
	void *ret;
	int p[2];

	LT_EQ(pipe(p), 0);
	d = (struct delayed){ p[1], 0, 0 };
	LT_EQ(pthread_create(&t, 0, big_writer, &d), 0);
	while (have < sizeof(b)) {
		long r = read(p[0], b + have, 3000);

		LT_CHECK(r > 0);
		have += (size_t)r;
	}
	pthread_join(t, &ret);
	LT_EQ((long)ret, 100000);
	for (int i = 0; i < 100000; i++)
		LT_EQ(b[i], (char)(i * 7));
	close(p[0]);
	close(p[1]);
	return 0;
}

static void *killer(void *arg)
{
	struct delayed *d = arg;

	msleep(d->ms);
	kill(d->fd, SIGKILL);
	return 0;
}

/* A pipe server killed under a blocked reader: an error, not a hang; then ENOENT. */
LTEST(pipe, server_killed)
{
	char *argv[] = { "pipe", "/libcres-pipe", 0 };
	struct delayed d;
	pthread_t t;
	pid_t pid;
	int fd = -1, st;
	char c;

	LT_EQ(posix_spawn(&pid, "/proc/boot/pipe", 0, 0, argv, 0), 0);
	for (int i = 0; i < 200 && fd < 0; i++)
		if ((fd = open("/libcres-pipe", O_RDWR)) < 0)
			msleep(10);
	LT_CHECK(fd >= 0);
	d = (struct delayed){ pid, 200, 0 };
	LT_EQ(pthread_create(&t, 0, killer, &d), 0);
	LT_EQ(read(fd, &c, 1), -1);	/* blocked: a writer (itself) is there */
	LT_CHECK(errno == EBADF || errno == ESRCH);
	pthread_join(t, 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFSIGNALED(st));
	close(fd);
	for (int i = 0; i < 100 && (fd = open("/libcres-pipe", O_RDWR)) < 0 && errno != ENOENT; i++)
		msleep(10);
	LT_EQ(fd, -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
