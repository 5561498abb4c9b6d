/*
 * srvfuzz - a fuzz loop over every resource manager (docs/resmgr.md,
 * "The fuzz loop"): devnull (/dev/null, zero, random), the pipe manager
 * (/dev/pipe, a pipe() pair, a named FIFO), fs-ram (/tmp and a file in
 * it) and devc-ns16550 (/dev/console).  On a connection to each it sends
 * random and mutated _IO_* messages: types in and around the _IO_ range,
 * truncated headers, huge and negative lengths, combine flags, xtypes,
 * connect messages with bad paths, lengths, handles and file types,
 * devctl commands of random sizes, pulses.  Every send carries a reply
 * time-out (TimerTimeout), so a request that would block (a read of an
 * empty pipe or of the console) comes back through the server's unblock
 * handling; a server that never answers hangs the loop, and a watchdog
 * thread says where.  A second process fuzzes beside it and is killed and
 * started again every 200 rounds.  Afterwards every server must be the
 * same process and still work.
 *
 *	srvfuzz [seed [rounds]]
 *
 * The seed (printed at the start) makes a run repeatable.  Runs under
 * taskman; its script starts the four servers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "ltest.h"

#define MSG_MAX		9000		/* a little more than a server's 8 KiB buffer */
#define TIMEOUT_NS	30000000ull	/* each send's reply time-out */

static uint64_t seed = 0x5eedf00d2026ull, rng;
static long rounds = 2000;		/* messages per target */
static int quiet;			/* the console: short data, so the log stays readable */

static uint64_t rnd(void)		/* xorshift64* */
{
	rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

struct target {
	const char	*t_name;
	const char	*t_path;	/* NULL: the pipe() pair */
	int		t_flags;
	int		t_fd;
	int		t_aux;		/* the pipe() pair's other end */
	dev_t		t_dev;		/* the server's pid (st_dev), before */
};

static struct target targets[] = {
	{ "null", "/dev/null", O_RDWR, -1, -1, 0 },
	{ "zero", "/dev/zero", O_RDWR, -1, -1, 0 },
	{ "random", "/dev/random", O_RDWR, -1, -1, 0 },
	{ "devpipe", "/dev/pipe", O_RDONLY, -1, -1, 0 },
	{ "pipe-r", NULL, 0, -1, -1, 0 },
	{ "pipe-w", NULL, 1, -1, -1, 0 },
	{ "tmpdir", "/tmp", O_RDONLY, -1, -1, 0 },
	{ "tmpfile", "/tmp/fz/file", O_RDWR | O_CREAT, -1, -1, 0 },
	{ "fifo", "/tmp/fz/fifo", O_RDWR, -1, -1, 0 },
	{ "console", "/dev/console", O_RDWR, -1, -1, 0 },
};
#define NTARGETS	(int)(sizeof(targets) / sizeof(targets[0]))

/* (Re)open target t: 0 or -1.  A pipe() end keeps the other open, so it blocks. */
static int topen(struct target *t)
{
	int p[2];

	if (t->t_path == NULL) {
		if (pipe(p) != 0)
			return -1;
		t->t_fd = p[t->t_flags], t->t_aux = p[!t->t_flags];
		return 0;
	}
	t->t_fd = open(t->t_path, t->t_flags, 0644);
	if (t->t_fd < 0 && errno == ENOENT && strcmp(t->t_name, "fifo") == 0 &&
	    mkfifo(t->t_path, 0666) == 0)	/* the fuzz unlinked it */
		t->t_fd = open(t->t_path, t->t_flags);
	return t->t_fd < 0 ? -1 : 0;
}

static void detach(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		ConnectDetach(*fd);	/* if close left it (the binding was gone) */
		*fd = -1;
	}
}

static void tclose(struct target *t)
{
	detach(&t->t_fd);
	detach(&t->t_aux);
}

/* What the watchdog reports when a send does not come back. */
static volatile long progress, cur_iter;
static volatile int cur_target, cur_type, cur_len;

/* Every thread's kernel state (ThreadInfo: needs no server), to the log. */
static void show_threads(void)
{
	struct _thread_info ti;

	for (int pid = 1; pid < 200; pid++)
		for (int tid = 1; ThreadInfo(pid, tid, &ti) > 0; tid = ti.ti_tid + 1)
			lt_printf("srvfuzz: pid %d tid %d state %d prio %d cpu %d\n", pid,
			    ti.ti_tid, ti.ti_state, ti.ti_priority, ti.ti_cpu);
}

/* pidin's thread states, through a pipe, to the log (what is everyone waiting for?). */
static void show_pidin(void)
{
	char *argv[] = { "pidin", 0 };
	posix_spawn_file_actions_t fa;
	static char b[8192];
	size_t n = 0;
	ssize_t r;
	pid_t pid;
	int p[2];

	if (pipe(p) != 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	if (posix_spawn(&pid, "/proc/boot/pidin", &fa, 0, argv, 0) == 0) {
		close(p[1]);
		while (n < sizeof(b) - 1 && (r = read(p[0], b + n, sizeof(b) - 1 - n)) > 0)
			n += (size_t)r;
		b[n] = '\0';
		for (char *l = strtok(b, "\n"); l; l = strtok(NULL, "\n"))
			lt_printf("srvfuzz: | %s\n", l);
		waitpid(pid, NULL, 0);
	} else {
		close(p[1]);
	}
	close(p[0]);
	posix_spawn_file_actions_destroy(&fa);
}

static void *watchdog(void *arg)
{
	long last = -1;
	int still = 0;

	(void)arg;
	for (;;) {
		struct timespec ts = { 1, 0 };

		nanosleep(&ts, NULL);
		if (progress == -1)
			return 0;
		still = progress == last ? still + 1 : 0;
		last = progress;
		if (still == 10)
			lt_printf("srvfuzz: no answer for 10 s: seed %#llx target %s "
			    "iteration %ld type %#x length %d\n", (unsigned long long)seed,
			    targets[cur_target].t_name, cur_iter, cur_type, cur_len),
			show_threads(), show_pidin();
	}
}

static const uint64_t sizes[] = { 0, 1, 7, 8, 16, 4095, 4096, 4097, 8192, 65536,
    0x7fffffff, 0x80000000ull, 0xffffffffull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull };

/* A length field: mostly interesting values, sometimes anything. */
static uint64_t rlen(void)
{
	return below(4) ? sizes[below(sizeof(sizes) / sizeof(sizes[0]))] : rnd();
}

static const char *const paths[] = { "", "x", "fz", "fz/file", "fz/fifo", "fz/new", "..",
    "../..", "a/b/c", "/", "//", "fz/", ".", "0.0", "1.1", "4294967295.1", "12.x",
    "fz/file/x", "null", "zero" };

/* An _IO_CONNECT: a random subtype, path, lengths, handle, flags and extra. */
static size_t make_connect(char *m)
{
	struct _io_connect *c = (struct _io_connect *)m;
	size_t plen, n;
	const char *p = paths[below(sizeof(paths) / sizeof(paths[0]))];

	memset(c, 0, sizeof(*c));
	c->type = _IO_CONNECT;
	c->subtype = (uint16_t)(below(4) ? below(11) : rnd());
	c->file_type = below(3) ? 0 : (uint32_t)rnd();
	c->reply_max = (uint16_t)(below(2) ? 4096 : rnd());
	c->entry_max = (uint16_t)below(20);
	c->handle = below(8) ? 1 : (uint32_t)(below(2) ? below(20) : rnd());
	c->ioflag = (uint32_t)(below(2) ? below(4) | (rnd() & (O_CREAT | O_EXCL | O_TRUNC |
	    O_APPEND | O_NONBLOCK | O_DIRECTORY | O_NOFOLLOW)) : rnd());
	c->mode = (uint32_t)(below(2) ? (below(2) ? S_IFIFO : S_IFREG) | 0644 : rnd());
	c->eflag = (uint8_t)rnd();
	if (below(8) == 0) {		/* a long path, maybe without its NUL */
		plen = 1 + below(1100);
		for (size_t i = 0; i < plen; i++)
			c->path[i] = (char)('a' + below(26));
	} else {
		plen = strlen(p) + 1;
		memcpy(c->path, p, plen);
	}
	c->path_len = (uint16_t)(below(6) ? plen : rnd());
	c->extra_type = (uint8_t)(below(2) ? below(11) : rnd());
	n = _IO_CONNECT_EXTRA_OFF(plen);
	c->extra_len = (uint16_t)(below(2) ? below(64) : rnd());
	for (size_t i = 0; i < 64 && n + i < MSG_MAX; i++)
		m[n + i] = below(4) ? (char)('a' + below(26)) : '\0';
	if (below(4) == 0)		/* a link extra naming our pid */
		*(int32_t *)(m + n) = getpid(), *(int32_t *)(m + n + 4) = (int32_t)below(40);
	n += 64;
	return below(6) ? n : below((unsigned)n + 1);
}

/* An I/O message of type (the valid layout, then mutated). */
static size_t make_io(char *m, unsigned type)
{
	size_t hdr = 16 + below(80), n;

	for (size_t i = 0; i < hdr; i++)
		m[i] = (char)rnd();
	((uint16_t *)m)[0] = (uint16_t)type;
	((uint16_t *)m)[1] = below(10) ? 0 : below(2) ? _IO_COMBINE_FLAG | (uint16_t)below(64) :
	    (uint16_t)rnd();
	switch (type) {
	case _IO_READ:
	case _IO_WRITE:
		((uint32_t *)m)[1] = below(3) ? (uint32_t)(below(2) ? 0 : _IO_XTYPE_OFFSET) |
		    (below(2) ? _IO_XFLAG_NONBLOCK : 0) : (uint32_t)rnd();
		((uint64_t *)m)[1] = below(2) ? below(9000) : rlen();
		hdr = 16;
		break;
	case _IO_DEVCTL:
		((uint32_t *)m)[1] = (uint32_t)(below(2) ? (uint32_t)below(4) << 30 |
		    (uint32_t)below(0x4000) << 16 | (uint32_t)below(0x30) << 8 | below(64) :
		    (uint32_t)rnd());
		((uint32_t *)m)[2] = (uint32_t)(below(2) ? below(9000) : rlen());
		hdr = 16;
		break;
	case _IO_NOTIFY:
		/*
		 * only events that cannot hurt us: none, an ignored signal, nonsense
		 * (an unblock event would break whatever call the thread is in then)
		 */
		((int32_t *)m)[4] = (int32_t)(below(4) == 0 ? 0 : below(2) ? 1 : 99);
		((int32_t *)m)[6] = SIGUSR2;
		hdr = 48;
		break;
	case _IO_DUP:
	case _IO_OPENFD:
		if (below(2)) {		/* name a real connection of ours */
			struct _msg_info *mi = (struct _msg_info *)(m + (type == _IO_DUP ? 8 : 16));
			struct _server_info si;
			int coid = targets[below(NTARGETS)].t_fd;

			memset(mi, 0, sizeof(*mi));
			if (coid >= 0 && ConnectServerInfo(0, coid, &si) == coid) {
				mi->pid = getpid(), mi->coid = coid;
				mi->scoid = si.scoid, mi->chid = si.chid;
			}
			if (type == _IO_OPENFD)
				((uint32_t *)m)[1] = below(4);	/* ioflag */
		}
		hdr = type == _IO_DUP ? 80 : 88;
		break;
	case _IO_MMAP:			/* a grant to taskman, mostly well formed */
		((uint32_t *)m)[1] = below(4) ? below(8) : (uint32_t)rnd();
		if (below(4))
			memset(m + 8, 0, 16);
		hdr = 24;
		break;
	case _IO_LSEEK:
	case _IO_SPACE:
		((int64_t *)m)[1] = (int64_t)rlen();
		hdr = type == _IO_SPACE ? 24 : 16;
		break;
	default:
		break;
	}
	n = hdr + (below(3) || quiet ? below(quiet ? 16 : 64) : below(MSG_MAX - (unsigned)hdr));
	for (size_t i = hdr; i < n; i++)
		m[i] = (char)('a' + below(26));	/* printable: some reaches the console */
	return below(8) ? n : below((unsigned)hdr + 1);	/* sometimes truncated */
}

static long nok, nerr[134];		/* replies: accepted; refused, by errno */

/* One random message (or pulse) on fd; the type is left in cur_type. */
static void one(int fd)
{
	static char m[MSG_MAX] __attribute__((aligned(8)));
	static char reply[16384] __attribute__((aligned(8)));
	uint64_t ns = TIMEOUT_NS;
	unsigned type;
	size_t len;

	static const uint16_t served[] = { _IO_READ, _IO_WRITE, _IO_STAT, _IO_NOTIFY,
	    _IO_DEVCTL, _IO_PATHCONF, _IO_LSEEK, _IO_CHMOD, _IO_CHOWN, _IO_UTIME, _IO_OPENFD,
	    _IO_FDINFO, _IO_SPACE, _IO_MSG, _IO_DUP, _IO_CLOSE, _IO_SYNC, _IO_MMAP };
	static const uint16_t busy[] = { _IO_READ, _IO_WRITE, _IO_DEVCTL };
	unsigned k = below(100);

	if (k < 3) {
		cur_type = -1, cur_len = 0;
		MsgSendPulse(fd, -1, (int)below(128), (int)rnd());
		return;
	}
	if (k < 11) {
		type = _IO_CONNECT;
		len = make_connect(m);
	} else {
		type = k < 16 ? (unsigned)rnd() & 0xffff :	/* anything */
		    k < 23 ? 0xf0 + below(0x140) :		/* in and around the range */
		    k < 63 ? served[below(sizeof(served) / sizeof(served[0]))] :
		    busy[below(3)];
		len = make_io(m, type);
	}
	if (type == _IO_CLOSE && below(4))
		type = _IO_STAT, ((uint16_t *)m)[0] = _IO_STAT;	/* fewer closes */
	cur_type = (int)type, cur_len = (int)len;
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, NULL, &ns, NULL);
	if (MsgSend(fd, m, len, reply, below(4) ? sizeof(reply) : below(64)) >= 0)
		nok++;
	else
		nerr[errno > 0 && errno < 134 ? errno : 0]++;
}

/* The server of path is the process it was, and answers a stat. */
static int same_server(const char *path, dev_t dev)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == dev && kill((pid_t)dev, 0) == 0;
}

static struct termios tio;	/* the console's settings, before */

/* Every server is alive (the same process) and does its ordinary work. */
static int servers_work(void)
{
	char b[64], z[64];
	struct stat st;
	int fd, p[2];

	for (int t = 0; t < NTARGETS; t++) {	/* (the fuzz may rename things in /tmp/fz) */
		const char *path = targets[t].t_path;

		if (path)
			LT_CHECK(same_server(strncmp(path, "/tmp", 4) ? path : "/tmp",
			    targets[t].t_dev));
	}
	LT_CHECK((fd = open("/dev/null", O_RDWR)) >= 0);
	LT_EQ(write(fd, "x", 1), 1);
	LT_EQ(read(fd, b, 1), 0);
	close(fd);
	LT_CHECK((fd = open("/dev/zero", O_RDONLY)) >= 0);
	memset(z, 0, sizeof(z));
	LT_EQ(read(fd, b, sizeof(b)), sizeof(b));
	LT_CHECK(memcmp(b, z, sizeof(b)) == 0);
	close(fd);
	LT_CHECK((fd = open("/dev/random", O_RDONLY)) >= 0);
	LT_EQ(read(fd, b, 16), 16);
	close(fd);
	LT_EQ(pipe(p), 0);
	LT_EQ(write(p[1], "pipe", 4), 4);
	LT_EQ(read(p[0], b, sizeof(b)), 4);
	LT_CHECK(memcmp(b, "pipe", 4) == 0);
	close(p[0]);
	close(p[1]);
	LT_EQ(mkfifo("/tmp/chk.fifo", 0600), 0);
	LT_CHECK((fd = open("/tmp/chk.fifo", O_RDWR)) >= 0);
	LT_EQ(write(fd, "fifo", 4), 4);
	LT_EQ(read(fd, b, sizeof(b)), 4);
	close(fd);
	LT_EQ(unlink("/tmp/chk.fifo"), 0);
	LT_CHECK((fd = open("/tmp/chk.file", O_RDWR | O_CREAT | O_EXCL, 0600)) >= 0);
	LT_EQ(write(fd, "ramfs", 5), 5);
	LT_EQ(pread(fd, b, sizeof(b), 0), 5);
	LT_CHECK(memcmp(b, "ramfs", 5) == 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_EQ(st.st_size, 5);
	close(fd);
	LT_EQ(unlink("/tmp/chk.file"), 0);
	LT_CHECK((fd = open("/dev/console", O_RDWR | O_NONBLOCK)) >= 0);
	LT_EQ(tcsetattr(fd, TCSANOW, &tio), 0);		/* the fuzz may have changed them */
	LT_EQ(tcflow(fd, TCOON), 0);
	LT_EQ(write(fd, "\n", 1), 1);
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(S_ISCHR(st.st_mode));
	LT_EQ(read(fd, b, 1), -1);			/* nobody types */
	LT_EQ(errno, EAGAIN);
	close(fd);
	return 0;
}

/* One message to each target (reopened every 50 rounds, or if it lost its OCB). */
static long round_robin(long i)
{
	long n = 0;

	for (int t = 0; t < NTARGETS; t++) {
		struct target *tg = &targets[t];

		cur_target = t, cur_iter = i;
		quiet = tg->t_path && strcmp(tg->t_path, "/dev/console") == 0;
		if (i % 50 == 49 || tg->t_fd < 0) {
			tclose(tg);
			if (topen(tg) != 0)
				continue;
		}
		one(tg->t_fd);
		n++;
	}
	return n;
}

/*
 * A second client fuzzing beside us on connections of its own, until the
 * parent kills it, at whatever point it is: in the middle of a request, or
 * blocked in a read or a FIFO open (the servers' disconnect handling).
 */
static pid_t child = -1;

static void fuzz_child(uint64_t s)
{
	for (int t = 0; t < NTARGETS; t++) {
		targets[t].t_fd = targets[t].t_aux = -1;	/* the parent's stay its own */
		topen(&targets[t]);
	}
	rng = s ? s : 1;
	for (long i = 0; ; i++)
		round_robin(i);
}

static void stop_child(void)
{
	int st;

	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		child = -1;
	}
}

/*
 * The servers work; thousands of random messages; they still work.  (One
 * test, so the order is sure.)
 */
LTEST(srvfuzz, loop)
{
	struct stat st;
	pthread_t wd;
	long sent = 0;

	LT_EQ(mkdir("/tmp/fz", 0777), 0);
	LT_EQ(mkfifo("/tmp/fz/fifo", 0666), 0);
	for (int t = 0; t < NTARGETS; t++) {
		LT_EQ(topen(&targets[t]), 0);
		LT_EQ(fstat(targets[t].t_fd, &st), 0);
		targets[t].t_dev = st.st_dev;		/* the server's pid */
	}
	LT_EQ(tcgetattr(targets[NTARGETS - 1].t_fd, &tio), 0);
	if (servers_work() != 0)
		return -1;
	lt_printf("srvfuzz: seed %#llx, %ld messages per target, %d targets\n",
	    (unsigned long long)seed, rounds, NTARGETS);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	LT_EQ(pthread_create(&wd, 0, watchdog, 0), 0);
	rng = seed;
	for (long i = 0; i < rounds; i++) {
		if (i % 200 == 100) {		/* another client, killed in mid-request */
			stop_child();
			if ((child = fork()) == 0)
				fuzz_child(seed ^ 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1));
		}
		sent += round_robin(i);
		progress = sent;
	}
	stop_child();
	progress = -1;
	pthread_join(wd, 0);
	for (int t = 0; t < NTARGETS; t++)
		tclose(&targets[t]);
	lt_printf("srvfuzz: %ld messages sent: %ld accepted, EINVAL %ld, ENOSYS %ld, EBADF %ld, "
	    "EINTR/ETIMEDOUT %ld, ENOENT %ld, other %ld\n", sent, nok, nerr[EINVAL], nerr[ENOSYS],
	    nerr[EBADF], nerr[EINTR] + nerr[ETIMEDOUT], nerr[ENOENT], sent - nok - nerr[EINVAL] -
	    nerr[ENOSYS] - nerr[EBADF] - nerr[EINTR] - nerr[ETIMEDOUT] - nerr[ENOENT]);
	unlink("/tmp/fz/file");
	return servers_work();
}

int main(int argc, char **argv)
{
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		rounds = strtol(argv[2], NULL, 0);
	if (seed == 0)
		seed = 1;		/* xorshift's one bad state */
	return lt_run_all() ? 1 : 0;
}
