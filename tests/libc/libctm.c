/*
 * tests/libc/libctm.c - issue #10's error paths of taskman through libc
 * (docs/taskman.md, "Tests"): fork when memory is exhausted (ENOMEM or a
 * child that runs; every frame back afterwards), waitpid's edge cases
 * (ECHILD, WNOHANG, a pid that is not a child, process-group waits,
 * EINTR from a handler, orphans), two servers on one prefix (a union
 * tried in order; one detaching leaves the other) and servers that die in
 * the middle of an open (the open fails, it does not hang).  The servers
 * are forked copies of this program speaking the raw messages
 * (sys/iomsg.h), so they check what libc sends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include <sys/wait.h>
#include "ltest.h"

#define SELF	"/proc/boot/libctm"
#define MiB	(1024UL * 1024)

extern char **environ;

static void stop_all_servers(void);

static void msleep(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

/* ---- fork under memory pressure ------------------------------------------------- */

/*
 * Fill memory: mappings of 64 MiB, then 1 MiB, then single pages, until
 * taskman says ENOMEM to each size.  Shared anonymous mappings, because
 * they are given their frames when mapped (private anonymous memory is
 * lazy: taskman would say yes, and a touch past the end of memory would
 * be SIGBUS).  They are written here too.  How many bytes.
 */
static unsigned long fill_memory(void)
{
	static const unsigned long sizes[] = { 64 * MiB, MiB, 4096 };
	unsigned long total = 0;

	for (unsigned i = 0; i < 3; i++) {
		for (int n = 0; n < 4096; n++) {
			char *p = mmap(NULL, sizes[i], PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				break;
			for (unsigned long o = 0; o < sizes[i]; o += 4096)
				p[o] = 1;
			total += sizes[i];
		}
	}
	return total;
}

/*
 * With memory full: fork fails with ENOMEM or EAGAIN, or the child runs
 * (it writes a page, which copy-on-write may have no frame for: then it
 * dies of a signal, and taskman reports it).  Nothing hangs; 0 if every
 * fork ended so.
 */
static int fork_when_full(void)
{
	volatile char *page = malloc(4096);
	int failed = 0, err = 0;

	if (page == NULL)
		return 19;
	page[0] = 1;
	if (fill_memory() < MiB)
		return 20;
	for (int i = 0; i < 8; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			page[0] = 2;		/* needs a frame of its own */
			_exit(0);
		}
		if (pid < 0) {
			if (errno != ENOMEM && errno != EAGAIN)
				return 21;
			failed++;
			err = errno;
			continue;
		}
		if (waitpid(pid, &st, 0) != pid || !(WIFEXITED(st) || WIFSIGNALED(st)))
			return 22;
	}
	lt_printf("libctm: %d of 8 forks failed with memory full (%s)\n", failed,
	    failed ? strerror(err) : "-");
	return 0;
}

LTEST(tm, fork_under_memory_pressure)
{
	long before, after = 0;
	pid_t pid;
	int st;

	stop_all_servers();
	before = sysconf(_SC_AVPHYS_PAGES);
	pid = fork();
	if (pid == 0)
		_exit(fork_when_full());
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	/* Every frame comes back (a CPU may still be tearing the filler down)... */
	for (int i = 0; i < 300 && (after = sysconf(_SC_AVPHYS_PAGES)) < before - 64; i++)
		msleep(10);
	LT_CHECK(after >= before - 64);
	/* ... and fork works again. */
	pid = fork();
	if (pid == 0)
		_exit(7);
	LT_CHECK(pid > 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	return 0;
}

/* ---- waitpid's edge cases ------------------------------------------------------ */

static pid_t child_exit(int code, int own_group)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (own_group)
			setpgid(0, own_group > 1 ? own_group : 0);
		msleep(50);
		_exit(code);
	}
	return pid;
}

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

LTEST(tm, waitpid_none_and_wnohang)
{
	pid_t a;
	int st;

	stop_all_servers();
	/* No children at all. */
	LT_EQ(waitpid(-1, &st, 0), -1);
	LT_EQ(errno, ECHILD);
	LT_EQ(waitpid(-1, &st, WNOHANG), -1);
	LT_EQ(errno, ECHILD);
	/* A pid that is not a child: taskman, our parent, ourselves, nobody. */
	LT_EQ(waitpid(1, &st, WNOHANG), -1);
	LT_EQ(errno, ECHILD);
	LT_EQ(waitpid(getpid(), &st, 0), -1);
	LT_EQ(errno, ECHILD);
	LT_EQ(waitpid(99999, &st, 0), -1);
	LT_EQ(errno, ECHILD);
	/* WNOHANG with a child that has not ended: 0, and st untouched. */
	a = child_exit(3, 0);
	LT_CHECK(a > 0);
	st = 12345;
	LT_EQ(waitpid(a, &st, WNOHANG), 0);
	LT_EQ(st, 12345);
	LT_EQ(waitpid(-1, &st, WNOHANG), 0);
	LT_EQ(waitpid(a, &st, 0), a);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	LT_EQ(waitpid(a, &st, WNOHANG), -1);	/* reaped */
	LT_EQ(errno, ECHILD);
	return 0;
}

LTEST(tm, waitpid_groups)
{
	pid_t a, b, c, w;
	int st;

	stop_all_servers();
	/* a and b in a's new group, c in ours. */
	a = child_exit(4, 1);
	LT_CHECK(a > 0);
	LT_EQ(setpgid(a, a), 0);		/* either of us may do it first */
	b = child_exit(5, a);
	LT_CHECK(b > 0);
	setpgid(b, a);
	c = child_exit(6, 0);
	LT_CHECK(c > 0);
	for (int i = 0; i < 2; i++) {
		w = waitpid(-a, &st, 0);
		LT_CHECK(w == a || w == b);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (w == a ? 4 : 5));
	}
	LT_EQ(waitpid(-a, &st, WNOHANG), -1);	/* none of that group is left */
	LT_EQ(errno, ECHILD);
	LT_EQ(waitpid(0, &st, 0), c);		/* our own group */
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);
	return 0;
}

/* A handler without SA_RESTART interrupts the wait; the child stays. */
LTEST(tm, waitpid_eintr)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	pid_t a;
	int st;

	stop_all_servers();
	LT_EQ(sigaction(SIGALRM, &sa, &old), 0);
	a = fork();
	if (a == 0) {
		for (;;)
			pause();
	}
	LT_CHECK(a > 0);
	alarms = 0;
	alarm(1);
	LT_EQ(waitpid(a, &st, 0), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(alarms, 1);
	LT_EQ(waitpid(a, &st, WNOHANG), 0);	/* still there */
	LT_EQ(kill(a, SIGTERM), 0);
	LT_EQ(waitpid(a, &st, 0), a);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	LT_EQ(sigaction(SIGALRM, &old, NULL), 0);
	return 0;
}

/* An orphan: our child's child, left when our child ends, is not ours. */
LTEST(tm, waitpid_orphan)
{
	pid_t a;
	int st;

	stop_all_servers();
	a = fork();
	if (a == 0) {
		pid_t g = fork();

		if (g == 0) {
			msleep(300);
			_exit(0);
		}
		_exit(g > 0 ? (int)(g & 0x7f) + 1 : 0);
	}
	LT_CHECK(a > 0);
	LT_EQ(waitpid(a, &st, 0), a);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) > 0);
	LT_EQ(waitpid(-1, &st, 0), -1);		/* the grandchild is taskman's */
	LT_EQ(errno, ECHILD);
	return 0;
}

/* ---- mmap's bad arguments, through libc ------------------------------------- */

#define MMAP_FAILS(call, err) do {					\
	errno = 0;							\
	LT_CHECK((call) == MAP_FAILED);					\
	LT_EQ(errno, err);						\
} while (0)

LTEST(tm, mmap_bad_arguments)
{
	const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
	int fd = open(SELF, O_RDONLY);
	char *p;

	LT_CHECK(fd >= 0);
	MMAP_FAILS(mmap(NULL, 0, rw, anon, -1, 0), EINVAL);		/* zero length */
	MMAP_FAILS(mmap(NULL, 4096, rw, MAP_ANONYMOUS, -1, 0), EINVAL);	/* neither private nor shared */
	MMAP_FAILS(mmap(NULL, 4096, rw, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0), EINVAL);
	MMAP_FAILS(mmap((void *)0x10000001UL, 4096, rw, anon | MAP_FIXED, -1, 0), EINVAL);
	MMAP_FAILS(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);	/* unaligned offset */
	MMAP_FAILS(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 77, 0), EBADF);
	MMAP_FAILS(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);	/* a file, but no fd */
	MMAP_FAILS(mmap(NULL, 4096, rw, MAP_SHARED, fd, 0), EACCES);	/* shared writes, read-only fd */
	MMAP_FAILS(mmap(NULL, 1UL << 40, rw, anon, -1, 0), ENOMEM);		/* more than there is */
	p = mmap(NULL, 2 * 4096, rw, anon, -1, 0);
	LT_CHECK(p != MAP_FAILED);
	errno = 0;
	LT_EQ(munmap(p + 1, 4096), -1);				/* unaligned */
	LT_EQ(errno, EINVAL);
	LT_EQ(munmap(p, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(mprotect(p, 4096, 0x100), -1);		/* (musl rounds an unaligned address down) */
	LT_EQ(errno, EINVAL);
	p[4096] = 1;					/* all of it still there */
	LT_EQ(munmap(p, 2 * 4096), 0);
	close(fd);
	return 0;
}

/* ---- servers: a union on one prefix, deaths during an open ------------------- */

/*
 * A forked server: attaches prefix (a directory) and serves opens of
 * `name` and of "both" (reads give `data`), ENOENT for anything else.
 * Opening "detach-<name>" makes it detach its prefix (and answer ENOENT,
 * so the open goes on to the next server); in mode 'd' it exits at the first
 * open, in mode 'k' it is killed (SIGKILL) there, in mode 'h' it never
 * answers (it is killed by the test).  SIGUSR1 tells the parent it has
 * attached.
 */
static void serve(const char *prefix, const char *name, const char *data, int mode)
{
	union { struct _msg_hdr h; struct _io_connect c; struct _io_read r; char b[1024]; } m;
	struct { struct _path_attach a; char p[64]; } pa = { { .type = _PATH_ATTACH,
	    .pa_flags = _RESMGR_FLAG_DIR, .pa_handle = 5 }, "" };
	struct _path_detach pd = { .type = _PATH_DETACH };
	struct _msg_info mi;
	int chid = ChannelCreate(0);

	if (chid < 0)
		_exit(2);
	pa.a.pa_chid = chid;
	pa.a.pa_path_len = (uint16_t)(strlen(prefix) + 1);
	strcpy(pa.p, prefix);
	if ((pd.pd_id = MsgSend(SYSMGR_COID, &pa, sizeof(pa.a) + pa.a.pa_path_len, 0, 0)) <= 0)
		_exit(3);
	kill(getppid(), SIGUSR1);
	for (;;) {
		long rcvid = MsgReceive(chid, &m, sizeof(m) - 1, &mi);

		if (rcvid <= 0)
			continue;
		((char *)&m)[mi.msglen < (long)sizeof(m) ? mi.msglen : (long)sizeof(m) - 1] = 0;
		if (m.h.type == _IO_CONNECT && mode == 'd')
			_exit(9);			/* dies, the client reply-blocked */
		if (m.h.type == _IO_CONNECT && mode == 'k')
			raise(SIGKILL);
		if (m.h.type == _IO_CONNECT && mode == 'h')
			continue;			/* never answers */
		if (m.h.type == _IO_CONNECT && strncmp(m.c.path, "detach-", 7) == 0 &&
		    strcmp(m.c.path + 7, name) == 0) {
			MsgSend(SYSMGR_COID, &pd, sizeof(pd), 0, 0);
			MsgError(rcvid, ENOENT);
		} else if (m.h.type == _IO_CONNECT) {
			if (m.c.subtype == _IO_CONNECT_OPEN &&
			    (strcmp(m.c.path, name) == 0 || strcmp(m.c.path, "both") == 0))
				MsgReply(rcvid, 0, 0, 0);
			else
				MsgError(rcvid, ENOENT);
		} else if (m.h.type == _IO_READ) {
			size_t n = strlen(data) < m.r.nbytes ? strlen(data) : m.r.nbytes;

			MsgReply(rcvid, (long)n, data, n);
		} else if (m.h.type == _IO_CLOSE) {
			MsgReply(rcvid, 0, 0, 0);
		} else {
			MsgError(rcvid, ENOSYS);
		}
	}
}

/* The servers alive, so that a failed test's are not left to hang the next one's waits. */
static pid_t servers[4];

static void stop_server(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 4; i++)
		if (servers[i] == pid)
			servers[i] = 0;
}

static void stop_all_servers(void)
{
	for (int i = 0; i < 4; i++) {
		if (servers[i] > 0 && waitpid(servers[i], NULL, WNOHANG) == 0)
			stop_server(servers[i]);	/* still ours, still running */
		servers[i] = 0;
	}
}

/* Fork a server (serve()); its pid once it has attached, or -1. */
static pid_t start_server(const char *prefix, const char *name, const char *data, int mode)
{
	struct timespec ts = { 5, 0 };
	sigset_t u1, old;
	pid_t pid;
	int got;

	sigemptyset(&u1);
	sigaddset(&u1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &u1, &old);
	pid = fork();
	if (pid == 0)
		serve(prefix, name, data, mode);
	got = pid > 0 ? sigtimedwait(&u1, NULL, &ts) : -1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (got != SIGUSR1) {
		if (pid > 0)
			kill(pid, SIGKILL), waitpid(pid, NULL, 0);
		return -1;
	}
	for (int i = 0; i < 4; i++)
		if (servers[i] == 0) {
			servers[i] = pid;
			break;
		}
	return pid;
}

/* Open path and read it: the bytes read as a string in buf, or "E<errno>". */
static const char *read_path(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, size, "E%d", errno);
		return buf;
	}
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return buf;
}

#define READS(path, want) do {						\
	char __b[32];							\
	read_path(path, __b, sizeof(__b));				\
	if (strcmp(__b, want) != 0) {					\
		snprintf(lt_reason, sizeof(lt_reason), "%s:%d: %s gives %s, not %s", \
		    __FILE__, __LINE__, path, __b, want);		\
		return -1;						\
	}								\
} while (0)

#define ENOENT_S	"E2"

LTEST(tm, prefix_attached_twice)
{
	pid_t a, b;

	stop_all_servers();
	a = start_server("/libctm-u", "a", "from a", 0);
	LT_CHECK(a > 0);
	b = start_server("/libctm-u", "b", "from b", 0);
	LT_CHECK(b > 0);
	READS("/libctm-u/a", "from a");		/* b says ENOENT, then a is tried */
	READS("/libctm-u/b", "from b");
	READS("/libctm-u/both", "from b");	/* the newer attachment first */
	READS("/libctm-u/none", ENOENT_S);	/* each says ENOENT */
	/* b detaches: a alone serves the prefix. */
	READS("/libctm-u/detach-b", ENOENT_S);
	READS("/libctm-u/both", "from a");
	READS("/libctm-u/b", ENOENT_S);
	READS("/libctm-u/a", "from a");
	/* b again, then a dies: b alone. */
	stop_server(b);
	b = start_server("/libctm-u", "b", "from b", 0);
	LT_CHECK(b > 0);
	READS("/libctm-u/both", "from b");
	stop_server(a);
	READS("/libctm-u/a", ENOENT_S);
	READS("/libctm-u/both", "from b");
	stop_server(b);
	READS("/libctm-u/both", ENOENT_S);
	return 0;
}

/*
 * A server dies while a client's open waits for its answer: the open
 * fails (the kernel ends the client's send), and the prefix goes with
 * the server.  Whether it exits, is killed by a signal at that moment,
 * or is killed by another process while it sits on the request.
 */
static int open_fails(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

LTEST(tm, server_dies_during_open)
{
	pid_t s, k;
	int st, e;

	stop_all_servers();
	s = start_server("/libctm-d", "x", "x", 'd');
	LT_CHECK(s > 0);
	e = open_fails("/libctm-d/x");
	lt_printf("libctm: open as the server died: %s\n", strerror(e));
	LT_CHECK(e != 0 && e != ENOENT);	/* not "no such file": the server failed */
	LT_EQ(waitpid(s, &st, 0), s);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	LT_EQ(open_fails("/libctm-d/x"), ENOENT);	/* its prefix went with it */
	s = start_server("/libctm-d", "x", "x", 'k');
	LT_CHECK(s > 0);
	e = open_fails("/libctm-d/x");
	LT_CHECK(e != 0 && e != ENOENT);
	LT_EQ(waitpid(s, &st, 0), s);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* A server that sits on the open until a third process kills it. */
	s = start_server("/libctm-d", "x", "x", 'h');
	LT_CHECK(s > 0);
	k = fork();
	if (k == 0) {
		msleep(200);
		_exit(kill(s, SIGKILL) == 0 ? 0 : 1);
	}
	LT_CHECK(k > 0);
	e = open_fails("/libctm-d/x");
	LT_CHECK(e != 0 && e != ENOENT);
	LT_EQ(waitpid(k, &st, 0), k);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(waitpid(s, &st, 0), s);
	LT_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	LT_EQ(open_fails("/libctm-d/x"), ENOENT);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
