/*
 * libcfifo - named FIFOs (docs/resmgr.md, "Named FIFOs"): mkfifo and
 * mknod on fs-ram, whose open of a FIFO sends the client on to the pipe
 * manager.  Blocking opens, O_NONBLOCK (ENXIO), two processes, EOF,
 * EPIPE, PIPE_BUF atomicity, unlink while open, stat and fstat, an open
 * interrupted by a signal or by the opener's death, permissions.  Runs
 * under taskman; its script starts devnull, pipe and fs-ram on /tmp.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

static volatile int sigs;
static void on_sig(int s) { (void)s; sigs++; }

LTEST(fifo, mkfifo_stat)
{
	struct stat st, st2;
	struct dirent *de;
	DIR *d;
	int fd, seen = 0;

	LT_EQ(mkdir("/tmp/ms", 0755), 0);
	LT_EQ(mkfifo("/tmp/ms/p", 0640), 0);
	LT_EQ(stat("/tmp/ms/p", &st), 0);
	LT_CHECK(S_ISFIFO(st.st_mode));
	LT_EQ(st.st_mode & 07777, 0640);
	LT_EQ(st.st_nlink, 1);
	LT_EQ(st.st_size, 0);
	LT_EQ(lstat("/tmp/ms/p", &st2), 0);
	LT_CHECK(S_ISFIFO(st2.st_mode));
	LT_EQ(st2.st_ino, st.st_ino);
	LT_EQ(mkfifo("/tmp/ms/p", 0600), -1);
	LT_EQ(errno, EEXIST);
	LT_EQ(mknod("/tmp/ms/q", S_IFIFO | 0600, 0), 0);
	LT_EQ(stat("/tmp/ms/q", &st2), 0);
	LT_CHECK(S_ISFIFO(st2.st_mode));
	LT_CHECK(st2.st_ino != st.st_ino);
	LT_EQ(mknod("/tmp/ms/c", S_IFCHR | 0600, 0), -1);
	LT_EQ(errno, EPERM);
	LT_EQ(mknod("/tmp/ms/d", S_IFDIR | 0700, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(mknod("/tmp/ms/r", 0600, 0), 0);			/* type 0: a regular file */
	LT_EQ(stat("/tmp/ms/r", &st2), 0);
	LT_CHECK(S_ISREG(st2.st_mode));
	LT_EQ(mkfifo("/tmp/nodir/p", 0600), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(mkfifo("/proc/boot/p", 0600), -1);
	LT_CHECK(errno != ENOSYS);
	LT_EQ(chmod("/tmp/ms/p", 0666), 0);			/* O_PATH: stays on fs-ram */
	LT_EQ(stat("/tmp/ms/p", &st2), 0);
	LT_EQ(st2.st_mode & 07777, 0666);
	LT_EQ(access("/tmp/ms/p", R_OK | W_OK), 0);		/* no open: no peer counted */
	LT_CHECK((d = opendir("/tmp/ms")) != NULL);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, "p") == 0 && de->d_type == DT_FIFO)
			seen++;
	closedir(d);
	LT_EQ(seen, 1);
	/* an open fd's fstat comes from the pipe manager: the same dev and ino */
	fd = open("/tmp/ms/p", O_RDONLY | O_NONBLOCK);
	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st2), 0);
	LT_CHECK(S_ISFIFO(st2.st_mode));
	LT_EQ(st2.st_ino, st.st_ino);
	LT_EQ(st2.st_dev, st.st_dev);
	LT_EQ(lseek(fd, 0, SEEK_SET), -1);
	LT_EQ(errno, ESPIPE);
	LT_EQ(close(fd), 0);
	LT_EQ(unlink("/tmp/ms/p"), 0);
	LT_EQ(stat("/tmp/ms/p", &st2), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(open("/tmp/ms/p", O_RDONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* Two processes: the child writes, the parent reads to EOF. */
LTEST(fifo, two_processes)
{
	char b[64];
	long n = 0, r;
	int fd, st = -1;
	pid_t pid;

	LT_EQ(mkfifo("/tmp/tp", 0600), 0);
	pid = fork();
	if (pid == 0) {
		int w = open("/tmp/tp", O_WRONLY);	/* waits for the parent */

		if (w < 0 || write(w, "hello, ", 7) != 7 || write(w, "fifo", 4) != 4)
			_exit(1);
		_exit(close(w) == 0 ? 0 : 2);
	}
	LT_CHECK(pid > 0);
	fd = open("/tmp/tp", O_RDONLY);			/* waits for the child */
	LT_CHECK(fd >= 0);
	while ((r = read(fd, b + n, sizeof(b) - 1 - (size_t)n)) > 0)
		n += r;
	LT_EQ(r, 0);
	b[n] = '\0';
	LT_CHECK(strcmp(b, "hello, fifo") == 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(close(fd), 0);
	LT_EQ(unlink("/tmp/tp"), 0);
	return 0;
}

struct opener {
	const char	*path;
	int		flags;
	volatile int	fd;		/* -2 until the open returns */
	int		err;
};

static void *do_open(void *arg)
{
	struct opener *o = arg;
	int fd = open(o->path, o->flags);

	o->err = errno;
	o->fd = fd;
	return 0;
}

/* A reader's open waits for a writer, a writer's for a reader. */
LTEST(fifo, blocking_open)
{
	struct opener o;
	pthread_t t;
	char c;
	int fd;

	LT_EQ(mkfifo("/tmp/bo", 0600), 0);
	for (int side = 0; side < 2; side++) {
		o = (struct opener){ "/tmp/bo", side ? O_WRONLY : O_RDONLY, -2, 0 };
		LT_EQ(pthread_create(&t, 0, do_open, &o), 0);
		msleep(300);
		LT_EQ(o.fd, -2);			/* still waiting */
		fd = open("/tmp/bo", side ? O_RDONLY : O_WRONLY);
		LT_CHECK(fd >= 0);
		pthread_join(t, 0);
		LT_CHECK(o.fd >= 0);
		if (side) {
			LT_EQ(write(o.fd, "w", 1), 1);
			LT_EQ(read(fd, &c, 1), 1);
		} else {
			LT_EQ(write(fd, "r", 1), 1);
			LT_EQ(read(o.fd, &c, 1), 1);
		}
		LT_EQ(c, side ? 'w' : 'r');
		close(fd);
		close(o.fd);
	}
	LT_EQ(unlink("/tmp/bo"), 0);
	return 0;
}

/* O_NONBLOCK: a reader opens at once, a writer without a reader gets ENXIO. */
LTEST(fifo, nonblock)
{
	int r, w, rw;
	char c;

	LT_EQ(mkfifo("/tmp/nb", 0600), 0);
	LT_EQ(open("/tmp/nb", O_WRONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENXIO);
	r = open("/tmp/nb", O_RDONLY | O_NONBLOCK);
	LT_CHECK(r >= 0);
	LT_EQ(read(r, &c, 1), 0);			/* no writer: EOF, not EAGAIN */
	w = open("/tmp/nb", O_WRONLY | O_NONBLOCK);	/* a reader is there now */
	LT_CHECK(w >= 0);
	LT_EQ(read(r, &c, 1), -1);			/* a writer, no data */
	LT_EQ(errno, EAGAIN);
	LT_EQ(write(w, "n", 1), 1);
	LT_EQ(read(r, &c, 1), 1);
	LT_EQ(c, 'n');
	LT_EQ(close(r), 0);
	LT_EQ(close(w), 0);
	LT_EQ(open("/tmp/nb", O_WRONLY | O_NONBLOCK), -1);	/* the reader went */
	LT_EQ(errno, ENXIO);
	rw = open("/tmp/nb", O_RDWR);			/* both sides: never waits */
	LT_CHECK(rw >= 0);
	LT_EQ(write(rw, "x", 1), 1);
	LT_EQ(read(rw, &c, 1), 1);
	LT_EQ(close(rw), 0);
	LT_EQ(unlink("/tmp/nb"), 0);
	return 0;
}

/* EOF once the last writer goes; EPIPE and SIGPIPE once the last reader goes. */
LTEST(fifo, eof_epipe)
{
	struct sigaction sa = { .sa_handler = on_sig }, old;
	char b[8];
	int r, w, w2;

	LT_EQ(mkfifo("/tmp/ee", 0600), 0);
	r = open("/tmp/ee", O_RDONLY | O_NONBLOCK);
	w = open("/tmp/ee", O_WRONLY);
	w2 = open("/tmp/ee", O_WRONLY);
	LT_CHECK(r >= 0 && w >= 0 && w2 >= 0);
	LT_EQ(write(w, "ab", 2), 2);
	LT_EQ(close(w), 0);
	LT_EQ(read(r, b, sizeof(b)), 2);
	LT_EQ(read(r, b, 1), -1);			/* w2 is still there */
	LT_EQ(errno, EAGAIN);
	LT_EQ(close(w2), 0);
	LT_EQ(read(r, b, 1), 0);			/* EOF */
	sigs = 0;
	LT_EQ(sigaction(SIGPIPE, &sa, &old), 0);
	w = open("/tmp/ee", O_WRONLY);
	LT_CHECK(w >= 0);
	LT_EQ(close(r), 0);
	LT_EQ(write(w, "x", 1), -1);
	LT_EQ(errno, EPIPE);
	LT_EQ(sigs, 1);
	LT_EQ(close(w), 0);
	sigaction(SIGPIPE, &old, 0);
	LT_EQ(unlink("/tmp/ee"), 0);
	return 0;
}

#define NBLK	60

/* Two writer processes of PIPE_BUF blocks: every block arrives whole. */
LTEST(fifo, pipe_buf_atomic)
{
	static char b[PIPE_BUF];
	int fd, st, bad = 0, count[2] = { 0, 0 };
	pid_t pid[2];

	LT_EQ(mkfifo("/tmp/pb", 0600), 0);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			int w = open("/tmp/pb", O_WRONLY);

			memset(b, 'A' + i, sizeof(b));
			for (int k = 0; k < NBLK; k++)
				if (w < 0 || write(w, b, sizeof(b)) != (ssize_t)sizeof(b))
					_exit(1);
			_exit(0);
		}
		LT_CHECK(pid[i] > 0);
	}
	fd = open("/tmp/pb", O_RDONLY);
	LT_CHECK(fd >= 0);
	for (;;) {
		size_t n = 0;
		ssize_t r = 0;

		while (n < sizeof(b) && (r = read(fd, b + n, sizeof(b) - n)) > 0)
			n += (size_t)r;
		if (n == 0)
			break;
		if (n != sizeof(b) || (b[0] != 'A' && b[0] != 'B')) {
			bad++;
			break;
		}
		for (size_t k = 1; k < n; k++)
			if (b[k] != b[0]) {
				bad++;
				break;
			}
		count[b[0] - 'A']++;
	}
	for (int i = 0; i < 2; i++) {
		LT_EQ(waitpid(pid[i], &st, 0), pid[i]);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	LT_EQ(bad, 0);
	LT_EQ(count[0], NBLK);
	LT_EQ(count[1], NBLK);
	close(fd);
	LT_EQ(unlink("/tmp/pb"), 0);
	return 0;
}

/* Unlinked while open: the pipe goes on; a new FIFO of that name is another one. */
LTEST(fifo, unlink_open)
{
	struct stat st;
	int r, w, r2;
	char c;

	LT_EQ(mkfifo("/tmp/uo", 0600), 0);
	r = open("/tmp/uo", O_RDONLY | O_NONBLOCK);
	w = open("/tmp/uo", O_WRONLY);
	LT_CHECK(r >= 0 && w >= 0);
	LT_EQ(unlink("/tmp/uo"), 0);
	LT_EQ(stat("/tmp/uo", &st), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(write(w, "u", 1), 1);
	LT_EQ(mkfifo("/tmp/uo", 0600), 0);
	r2 = open("/tmp/uo", O_RDONLY | O_NONBLOCK);
	LT_CHECK(r2 >= 0);
	LT_EQ(read(r2, &c, 1), 0);			/* nothing of the old one, no writer */
	LT_EQ(open("/tmp/uo", O_WRONLY | O_NONBLOCK) >= 0, 1);	/* r2 is its reader */
	LT_EQ(read(r, &c, 1), 1);
	LT_EQ(c, 'u');
	LT_EQ(fstat(w, &st), 0);
	LT_CHECK(S_ISFIFO(st.st_mode));
	LT_EQ(close(w), 0);
	LT_EQ(read(r, &c, 1), 0);
	close(r);
	close(r2);
	LT_EQ(unlink("/tmp/uo"), 0);
	return 0;
}

struct delayed {
	pthread_t	target;
	int		ms;
};

static void *late_signal(void *arg)
{
	struct delayed *d = arg;

	msleep(d->ms);
	pthread_kill(d->target, SIGUSR1);
	return 0;
}

/*
 * A blocked open that a signal interrupts fails with EINTR and leaves no
 * reader behind (a non-blocking writer then gets ENXIO); one whose
 * process is killed leaves none either.
 */
LTEST(fifo, open_interrupted)
{
	struct sigaction sa = { .sa_handler = on_sig }, old;
	struct delayed d = { pthread_self(), 200 };
	pthread_t t;
	pid_t pid;
	int st, fd;

	LT_EQ(mkfifo("/tmp/oi", 0600), 0);
	sigs = 0;
	LT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	LT_EQ(pthread_create(&t, 0, late_signal, &d), 0);
	LT_EQ(open("/tmp/oi", O_RDONLY), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(sigs, 1);
	pthread_join(t, 0);
	sigaction(SIGUSR1, &old, 0);
	LT_EQ(open("/tmp/oi", O_WRONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENXIO);
	pid = fork();
	if (pid == 0) {
		open("/tmp/oi", O_RDONLY);		/* waits until killed */
		_exit(3);
	}
	LT_CHECK(pid > 0);
	msleep(300);
	fd = open("/tmp/oi", O_WRONLY | O_NONBLOCK);	/* the waiting child is a reader */
	LT_CHECK(fd >= 0);
	LT_EQ(waitpid(pid, &st, 0), pid);		/* ... and was let go */
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	LT_EQ(close(fd), 0);
	pid = fork();
	if (pid == 0) {
		open("/tmp/oi", O_RDONLY);
		_exit(4);
	}
	msleep(300);
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	for (int i = 0; i < 50 && (fd = open("/tmp/oi", O_WRONLY | O_NONBLOCK)) >= 0; i++)
		close(fd), msleep(20);			/* the disconnect may lag */
	LT_EQ(fd, -1);
	LT_EQ(errno, ENXIO);
	LT_EQ(unlink("/tmp/oi"), 0);
	return 0;
}

/*
 * fs-ram checks the FIFO's mode before it sends the client on; the pipe
 * manager checks it again, and the directories above it, for its own name.
 */
LTEST(fifo, permissions)
{
	pid_t pid;
	int st = -1;

	LT_EQ(mkfifo("/tmp/pm", 0600), 0);
	/* A FIFO anyone may open, in a directory only root may search. */
	LT_EQ(mkdir("/tmp/pmdir", 0700), 0);
	LT_EQ(mkfifo("/tmp/pmdir/open", 0666), 0);
	LT_EQ(chmod("/tmp/pmdir/open", 0666), 0);	/* past the umask */
	pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(1);
		if (open("/tmp/pmdir/open", O_RDONLY | O_NONBLOCK) != -1 || errno != EACCES)
			_exit(6);
		if (open("/dev/pipe/fifo/tmp/pmdir/open", O_RDONLY | O_NONBLOCK) != -1 ||
		    errno != EACCES)
			_exit(7);
		if (open("/tmp/pm", O_RDONLY | O_NONBLOCK) != -1 || errno != EACCES)
			_exit(2);
		if (open("/tmp/pm", O_WRONLY | O_NONBLOCK) != -1 || errno != EACCES)
			_exit(3);
		/* The pipe manager's own name for it gets the same check. */
		if (open("/dev/pipe/fifo/tmp/pm", O_RDONLY | O_NONBLOCK) != -1 || errno != EACCES)
			_exit(4);
		if (open("/dev/pipe/fifo/tmp/pm", O_WRONLY | O_NONBLOCK) != -1 || errno != EACCES)
			_exit(5);
		_exit(0);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	/* Searchable again: the same name opens (no writer: O_NONBLOCK read). */
	LT_EQ(chmod("/tmp/pmdir", 0711), 0);
	pid = fork();
	if (pid == 0) {
		int fd;

		if (setuid(1000) != 0)
			_exit(1);
		if ((fd = open("/tmp/pmdir/open", O_RDONLY | O_NONBLOCK)) < 0)
			_exit(8);
		if ((fd = open("/dev/pipe/fifo/tmp/pmdir/open", O_RDONLY | O_NONBLOCK)) < 0)
			_exit(9);
		_exit(0);
	}
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	LT_EQ(unlink("/tmp/pmdir/open"), 0);
	LT_EQ(rmdir("/tmp/pmdir"), 0);
	LT_EQ(unlink("/tmp/pm"), 0);
	return 0;
}

/*
 * The pipe manager's names: NODE/fifo/PATH must name a FIFO (ENOENT for a
 * missing one, a file, the old DEV.INO form, or a path under NODE itself,
 * which would make it ask itself); an open FIFO's fstat shows the name's
 * mode, owner, device and inode.
 */
LTEST(fifo, manager_names)
{
	struct stat st, fst;
	int fd;

	LT_EQ(mkfifo("/tmp/mn", 0640), 0);
	LT_EQ(stat("/tmp/mn", &st), 0);
	fd = open("/dev/pipe/fifo/tmp/mn", O_RDONLY | O_NONBLOCK);
	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &fst), 0);
	LT_CHECK(S_ISFIFO(fst.st_mode));
	LT_EQ(fst.st_mode & 07777, 0640);
	LT_EQ(fst.st_uid, st.st_uid);
	LT_EQ(fst.st_dev, st.st_dev);
	LT_EQ(fst.st_ino, st.st_ino);
	LT_EQ(close(fd), 0);
	LT_EQ(open("/dev/pipe/fifo/tmp/none", O_RDONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(open("/dev/pipe/fifo/proc/boot/motd", O_RDONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENOENT);				/* not a FIFO */
	LT_EQ(open("/dev/pipe/fifo/dev/pipe/fifo/tmp/mn", O_RDONLY | O_NONBLOCK), -1);
	LT_EQ(errno, ENOENT);				/* under the node: no self-deadlock */
	{
		char old[64];

		snprintf(old, sizeof(old), "/dev/pipe/%llu.%llu", (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino);
		LT_EQ(open(old, O_RDONLY | O_NONBLOCK), -1);
		LT_EQ(errno, ENOENT);			/* a guessable name is no way in */
	}
	LT_EQ(unlink("/tmp/mn"), 0);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
