/*
 * libctoybox - toybox's applets (ports/toybox, docs/toybox.md) run the
 * way a shell runs them: posix_spawn of /proc/boot/<applet> (a link to
 * /proc/boot/toybox, which dispatches on argv[0]), stdout and stderr into
 * pipes, stdin from a pipe or /dev/null; each test checks the exact
 * output and the exit status.  Runs under taskman; its script starts
 * devnull, pipe and fs-ram (/tmp) first: the applets that write files are
 * tested on /tmp, and for their errors on the read-only /proc/boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ltest.h"

#define OUT_MAX		16384

struct result {
	int	status;		/* exit code, or 128 + the signal that ended it */
	char	out[OUT_MAX];	/* stdout, NUL-terminated */
	char	err[OUT_MAX];	/* stderr */
};

struct pump {
	int		fd;
	char		*buf;	/* read into (drain) or written from (feed) */
	size_t		len;	/* bytes read, or to write */
};

static char *env_default[] = { "PATH=/proc/boot", "HOME=/", NULL };
static const char *stdin_file = "/dev/null";	/* stdin when there is no input */

/* Read fd to EOF into p->buf (keeping the first OUT_MAX - 1 bytes). */
static void *drain(void *arg)
{
	struct pump *p = arg;
	char sink[256];
	long r;

	for (;;) {
		if (p->len < OUT_MAX - 1)
			r = read(p->fd, p->buf + p->len, OUT_MAX - 1 - p->len);
		else
			r = read(p->fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (p->len < OUT_MAX - 1)
			p->len += (size_t)r;
	}
	p->buf[p->len] = '\0';
	return 0;
}

/*
 * Write p->buf to fd, then close it.  A reader that goes away early (head)
 * ends it: the pipe server's SIGPIPE is aimed at this thread, which
 * blocks it, so the write fails with EPIPE instead.
 */
static void *feed(void *arg)
{
	struct pump *p = arg;
	size_t done = 0;
	sigset_t pipe_set;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, 0);

	while (done < p->len) {
		long r = write(p->fd, p->buf + done, p->len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	close(p->fd);
	return 0;
}

static int wait_status(pid_t pid)
{
	int st = -1;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/*
 * Spawn path with argv and envp, stdin from in (or stdin_file, opened by
 * spawn, when in is NULL); collect its output and status in r.  0, or -1
 * if it did not start.
 */
static int run_env(struct result *r, const char *in, const char *path, char *const argv[],
    char *const envp[])
{
	int o[2], e[2], i[2] = { -1, -1 }, rc;
	struct pump po = { 0 }, pe = { 0 }, pi = { 0 };
	posix_spawn_file_actions_t fa;
	pthread_t te, ti;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	/* FD_CLOEXEC: the child gets only what the dup2 actions give it. */
	if (pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC) || (in && pipe2(i, O_CLOEXEC)))
		return -1;
	posix_spawn_file_actions_init(&fa);
	if (in)
		posix_spawn_file_actions_adddup2(&fa, i[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, stdin_file, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	rc = posix_spawn(&pid, path, &fa, 0, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(o[1]);
	close(e[1]);
	if (in)
		close(i[0]);
	if (rc != 0) {
		snprintf(r->err, sizeof(r->err), "posix_spawn %s: %s", path, strerror(rc));
		close(o[0]), close(e[0]);
		if (in)
			close(i[1]);
		return -1;
	}
	po = (struct pump){ o[0], r->out, 0 };
	pe = (struct pump){ e[0], r->err, 0 };
	pthread_create(&te, 0, drain, &pe);
	if (in) {
		pi = (struct pump){ i[1], (char *)in, strlen(in) };
		pthread_create(&ti, 0, feed, &pi);
	}
	drain(&po);
	pthread_join(te, 0);
	if (in)
		pthread_join(ti, 0);
	close(o[0]);
	close(e[0]);
	r->status = wait_status(pid);
	return 0;
}

/* /proc/boot/<argv[0]> with the default environment. */
static int run(struct result *r, const char *in, char *const argv[])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/boot/%s", argv[0]);
	return run_env(r, in, path, argv, env_default);
}

/* Show s with its control characters escaped, for a failure report. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		if (*s == '\n')
			n += (size_t)snprintf(buf + n, size - n, "\\n");
		else if ((unsigned char)*s < ' ')
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", (unsigned char)*s);
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return buf;
}

/* Compare r with the expected status and stdout (and stderr unless NULL). */
static int expect(int line, const struct result *r, int status, const char *out, const char *err)
{
	char a[100], b[100], c[60];

	if (r->status != status || strcmp(r->out, out) != 0 || (err && strcmp(r->err, err) != 0)) {
		snprintf(lt_reason, sizeof(lt_reason),
		    "line %d: status %d (want %d), out \"%s\" (want \"%s\"), err \"%s\"", line,
		    r->status, status, shown(r->out, a, sizeof(a)), shown(out, b, sizeof(b)),
		    shown(r->err, c, sizeof(c)));
		return -1;
	}
	return 0;
}

#define ARGV(...)	((char *const[]){ __VA_ARGS__, NULL })
/* Run argv into r (a struct result); want exit status st, any output. */
#define RUN_STATUS(r, in, st, ...) do {					\
	LT_EQ(run(&(r), in, ARGV(__VA_ARGS__)), 0);			\
	if ((r).status != (st)) {					\
		char e_[100];						\
		snprintf(lt_reason, sizeof(lt_reason),			\
		    "line %d: status %d (want %d), err \"%s\"", __LINE__,	\
		    (r).status, st, shown((r).err, e_, sizeof(e_)));	\
		return -1;						\
	}								\
} while (0)
/* Run argv with stdin in; want exit status st, stdout out and no stderr. */
#define RUN_OK(in, st, out, ...) do {					\
	static struct result r_;					\
	LT_EQ(run(&r_, in, ARGV(__VA_ARGS__)), 0);			\
	if (expect(__LINE__, &r_, st, out, "") != 0)			\
		return -1;						\
} while (0)
/* The same, with stderr checked against err (NULL: not checked). */
#define RUN_ERR(in, st, out, err, ...) do {				\
	static struct result r_;					\
	LT_EQ(run(&r_, in, ARGV(__VA_ARGS__)), 0);			\
	if (expect(__LINE__, &r_, st, out, err) != 0)			\
		return -1;						\
} while (0)

static const char *motd(void)
{
	static char buf[512];
	int fd = open("/proc/boot/motd", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

LTEST(toybox, dispatch_on_argv0)
{
	static struct result r;

	/* The link's name picks the applet; so does toybox's first argument. */
	RUN_OK(0, 0, "hello world\n", "echo", "hello", "world");
	RUN_OK(0, 0, "via toybox\n", "toybox", "echo", "via", "toybox");
	/* argv[0] decides, not the path: the link "true" run as "false". */
	LT_EQ(run_env(&r, 0, "/proc/boot/true", ARGV("false"), env_default), 0);
	LT_EQ(r.status, 1);
	RUN_ERR(0, 127, "", "toybox: Unknown command no-such-applet\n", "toybox", "no-such-applet");
	return 0;
}

LTEST(toybox, echo_printf)
{
	RUN_OK(0, 0, "no newline", "echo", "-n", "no newline");
	RUN_OK(0, 0, "a\tb\n", "echo", "-e", "a\\tb");
	RUN_OK(0, 0, "a-42-2a-3.50\n", "printf", "%s-%d-%x-%.2f\\n", "a", "42", "42", "3.5");
	RUN_OK(0, 0, "x\ny\n", "printf", "%s\\n", "x", "y");
	return 0;
}

LTEST(toybox, true_false_test)
{
	RUN_OK(0, 0, "", "true");
	RUN_OK(0, 1, "", "false");
	RUN_OK(0, 0, "", "test", "1", "-eq", "1");
	RUN_OK(0, 1, "", "test", "1", "-eq", "2");
	RUN_OK(0, 0, "", "test", "abc", "=", "abc");
	RUN_OK(0, 1, "", "test", "-z", "abc");
	RUN_OK(0, 0, "", "[", "-f", "/proc/boot/motd", "]");
	RUN_OK(0, 0, "", "[", "-d", "/proc/boot", "]");
	RUN_OK(0, 1, "", "[", "-d", "/proc/boot/motd", "]");
	RUN_OK(0, 1, "", "[", "-e", "/proc/boot/no-such", "]");
	RUN_OK(0, 0, "", "[", "-L", "/proc/boot/ls", "]");
	RUN_OK(0, 0, "", "[", "-x", "/proc/boot/toybox", "]");
	RUN_ERR(0, 2, "", NULL, "[", "1", "-eq", "1");	/* no closing ] */
	return 0;
}

LTEST(toybox, seq_yes)
{
	static struct result r;
	int o[2];
	char buf[7];
	pid_t pid;
	posix_spawn_file_actions_t fa;

	RUN_OK(0, 0, "1\n2\n3\n", "seq", "3");
	RUN_OK(0, 0, "1\n3\n5\n7\n", "seq", "1", "2", "7");
	RUN_OK(0, 0, "5,4,3\n", "seq", "-s", ",", "5", "-1", "3");
	/* yes runs until its reader goes: SIGPIPE (or EPIPE) ends it. */
	LT_EQ(pipe(o), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_addclose(&fa, o[0]);
	posix_spawn_file_actions_addclose(&fa, o[1]);
	LT_EQ(posix_spawn(&pid, "/proc/boot/yes", &fa, 0, ARGV("yes", "ok"), env_default), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(o[1]);
	for (size_t got = 0; got < 6; ) {
		long n = read(o[0], buf + got, 6 - got);

		LT_CHECK(n > 0);
		got += (size_t)n;
	}
	buf[6] = '\0';
	LT_CHECK(strcmp(buf, "ok\nok\n") == 0);
	close(o[0]);
	r.status = wait_status(pid);
	LT_CHECK(r.status == 128 + SIGPIPE || r.status == 1);
	return 0;
}

LTEST(toybox, cat)
{
	RUN_OK(0, 0, motd(), "cat", "/proc/boot/motd");
	RUN_OK("from stdin\n", 0, "from stdin\n", "cat");
	RUN_OK("in\n", 0, "in\n", "cat", "-", "-");	/* EOF the second time */
	RUN_OK("in\n", 0, "", "cat", "/dev/null");
	/* stdin a /proc/boot file that spawn opens: the child dups taskman's OCB. */
	stdin_file = "/proc/boot/motd";
	RUN_OK(0, 0, motd(), "cat");
	stdin_file = "/dev/null";
	RUN_ERR(0, 1, "", "cat: /no/such/file: No such file or directory\n", "cat", "/no/such/file");
	/* A missing file among good ones: the rest is still printed. */
	RUN_ERR("x\n", 1, "x\n", "cat: /proc/boot/none: No such file or directory\n",
	    "cat", "-", "/proc/boot/none");
	return 0;
}

LTEST(toybox, ls)
{
	static struct result r;

	RUN_STATUS(r, 0, 0, "ls", "/proc/boot");
	LT_CHECK(strstr(r.out, "\nmotd\n") != NULL);
	LT_CHECK(strstr(r.out, "\ntoybox\n") != NULL);
	LT_CHECK(strstr(r.out, "\nls\n") != NULL);
	LT_CHECK(strstr(r.out, "\nlibctoybox\n") != NULL);
	LT_CHECK(strncmp(r.out, "[\n", 2) == 0);	/* sorted: "[" first */
	RUN_OK(0, 0, "/proc/boot/motd\n", "ls", "/proc/boot/motd");
	RUN_STATUS(r, 0, 0, "ls", "-l", "/proc/boot/ls");
	/*
	 * libc's lstat of a link knows only its type and size (docs/libc.md),
	 * so ls shows "?" for the rest, the target included: check the type.
	 */
	LT_CHECK(r.out[0] == 'l');
	LT_CHECK(strstr(r.out, " /proc/boot/ls -> ") != NULL);
	RUN_STATUS(r, 0, 0, "ls", "-l", "/proc/boot/motd");
	LT_CHECK(strncmp(r.out, "-rw-r--r-- 1 ", 13) == 0);
	LT_CHECK(strstr(r.out, " /proc/boot/motd\n") != NULL);
	RUN_ERR(0, 1, "", "ls: /proc/boot/none: No such file or directory\n", "ls", "/proc/boot/none");
	return 0;
}

LTEST(toybox, wc)
{
	static struct result r;
	const char *m = motd();
	char want[64];
	int lines = 0, words = 0, inword = 0;

	for (const char *p = m; *p; p++) {
		lines += *p == '\n';
		if (*p == ' ' || *p == '\n' || *p == '\t')
			inword = 0;
		else if (!inword)
			inword = 1, words++;
	}
	snprintf(want, sizeof(want), "%d %d %d /proc/boot/motd\n", lines, words, (int)strlen(m));
	LT_EQ(run(&r, 0, ARGV("wc", "/proc/boot/motd")), 0);
	/* wc pads its columns; compare with the blanks squeezed. */
	for (char *s = r.out, *d = r.out; ; s++) {
		if (*s == ' ' && (d == r.out || d[-1] == ' '))
			continue;
		if ((*d++ = *s) == '\0')
			break;
	}
	LT_CHECK(strcmp(r.out, want) == 0);
	RUN_OK("a b\nc\n\n", 0, "3\n", "wc", "-l");
	RUN_OK("a b\nc\n\n", 0, "3\n", "wc", "-w");
	RUN_OK("a b\nc\n\n", 0, "7\n", "wc", "-c");
	return 0;
}

LTEST(toybox, sort_uniq)
{
	RUN_OK("pear\napple\nfig\n", 0, "apple\nfig\npear\n", "sort");
	RUN_OK("pear\napple\nfig\n", 0, "pear\nfig\napple\n", "sort", "-r");
	RUN_OK("10\n9\n100\n", 0, "9\n10\n100\n", "sort", "-n");
	RUN_OK("b 2\na 3\nc 1\n", 0, "c 1\nb 2\na 3\n", "sort", "-k", "2");
	RUN_OK("b\na\nb\na\n", 0, "a\nb\n", "sort", "-u");
	RUN_OK("a\na\nb\na\n", 0, "a\nb\na\n", "uniq");
	RUN_OK("a\na\nb\n", 0, "      2 a\n      1 b\n", "uniq", "-c");
	RUN_OK("a\na\nb\n", 0, "a\n", "uniq", "-d");
	return 0;
}

LTEST(toybox, grep)
{
	static const char *in = "one\ntwo\nthree\nfour\n";

	RUN_OK(in, 0, "two\nthree\n", "grep", "t");
	RUN_OK(in, 1, "", "grep", "xyz");			/* no match: 1 */
	RUN_OK(in, 0, "3\n", "grep", "-c", "o");
	return 0;
}

LTEST(toybox, grep_more)
{
	static const char *in = "one\ntwo\nthree\nfour\n";

	RUN_OK(in, 0, "one\nfour\n", "grep", "-v", "t");
	RUN_OK(in, 0, "3:three\n", "grep", "-n", "^th");
	RUN_OK(in, 0, "one\ntwo\n", "grep", "-E", "^(one|two)$");
	RUN_OK(in, 0, "two\n", "grep", "-i", "TWO");
	RUN_OK(in, 0, "", "grep", "-q", "four");
	RUN_OK(0, 0, "/proc/boot/motd:1\n/dev/null:0\n", "grep", "-c", "QSOE",
	    "/proc/boot/motd", "/dev/null");
	RUN_ERR(in, 2, "", "grep: /proc/boot/none: No such file or directory\n",
	    "grep", "x", "/proc/boot/none");			/* an error: 2 */
	return 0;
}

LTEST(toybox, sed)
{
	RUN_OK("a-a-a\n", 0, "b-a-a\n", "sed", "s/a/b/");
	RUN_OK("a-a-a\n", 0, "b-b-b\n", "sed", "s/a/b/g");
	RUN_OK("1\n2\n3\n", 0, "2\n", "sed", "-n", "2p");
	RUN_OK("1\n2\n3\n", 0, "1\n3\n", "sed", "2d");
	RUN_OK("key=val\n", 0, "val:key\n", "sed", "-E", "s/(.*)=(.*)/\\2:\\1/");
	RUN_OK("x\n", 0, "x\ny\n", "sed", "-e", "a\\", "-e", "y");
	RUN_ERR("x\n", 1, "", NULL, "sed", "s/unterminated");
	return 0;
}

LTEST(toybox, head_tail)
{
	static const char *in = "1\n2\n3\n4\n5\n";

	RUN_OK(in, 0, "1\n2\n", "head", "-n", "2");
	RUN_OK(in, 0, "4\n5\n", "tail", "-n", "2");
	RUN_OK(in, 0, "3\n4\n5\n", "tail", "-n", "+3");
	RUN_OK(in, 0, "5\n", "tail", "-c", "2");
	RUN_OK(0, 0, "Welcome", "head", "-c", "7", "/proc/boot/motd");
	return 0;
}

LTEST(toybox, cut_tr)
{
	RUN_OK("a:b:c\n1:2:3\n", 0, "b\n2\n", "cut", "-d", ":", "-f", "2");
	RUN_OK("a:b:c\n", 0, "a:c\n", "cut", "-d", ":", "-f", "1,3");
	RUN_OK("abcdef\n", 0, "bcd\n", "cut", "-c", "2-4");
	RUN_OK("hello\n", 0, "HELLO\n", "tr", "a-z", "A-Z");
	RUN_OK("hello\n", 0, "heo\n", "tr", "-d", "l");
	RUN_OK("aabbcc\n", 0, "abc\n", "tr", "-s", "abc");
	return 0;
}

LTEST(toybox, od)
{
	RUN_OK("AB\n", 0, "0000000   A   B  \\n\n0000003\n", "od", "-c");
	RUN_OK("AB\n", 0, " 41 42 0a\n", "od", "-An", "-tx1");
	RUN_OK("ABCD", 0, "0000000  041101  042103\n0000004\n", "od");
	RUN_OK(0, 0, "   W   e   l\n", "od", "-An", "-c", "-N", "3", "/proc/boot/motd");
	return 0;
}

LTEST(toybox, names)
{
	RUN_OK(0, 0, "c\n", "basename", "/a/b/c.txt", ".txt");
	RUN_OK(0, 0, "c.txt\n", "basename", "/a/b/c.txt");
	RUN_OK(0, 0, "/a/b\n", "dirname", "/a/b/c");
	RUN_OK(0, 0, ".\n", "dirname", "c");
	RUN_OK(0, 0, "/proc/boot/toybox\n", "readlink", "/proc/boot/ls");
	RUN_OK(0, 1, "", "readlink", "/proc/boot/motd");	/* not a link */
	RUN_OK(0, 0, "/proc/boot/sed\n", "which", "sed");
	RUN_OK(0, 1, "", "which", "no-such-program");
	return 0;
}

LTEST(toybox, env_uname)
{
	static struct result r;

	RUN_OK(0, 0, "PATH=/proc/boot\nHOME=/\n", "env");
	LT_EQ(run_env(&r, 0, "/proc/boot/env", ARGV("env", "-i", "A=1", "B=two"),
	    (char *[]){ "X=y", NULL }), 0);
	LT_CHECK(expect(__LINE__, &r, 0, "A=1\nB=two\n", "") == 0);
	RUN_OK(0, 0, "PATH=/proc/boot\nHOME=/\nC=3\n", "env", "C=3");
	RUN_OK(0, 0, "HOME=/\n", "env", "-u", "PATH");
	RUN_OK(0, 0, "QSOE\n", "uname", "-s");
	RUN_OK(0, 0, "riscv64\n", "uname", "-m");
	RUN_OK(0, 0, "QSOE qsoe 0.1.0 Skimmer riscv64 Toybox\n", "uname", "-a");
	return 0;
}

LTEST(toybox, stat_find_du)
{
	static struct result r;
	struct stat st;
	char want[80];

	LT_EQ(stat("/proc/boot/motd", &st), 0);
	snprintf(want, sizeof(want), "%ld regular file\n", (long)st.st_size);
	RUN_OK(0, 0, want, "stat", "-c", "%s %F", "/proc/boot/motd");
	RUN_OK(0, 0, "symbolic link 777\n", "stat", "-c", "%F %a", "/proc/boot/ls");
	RUN_OK(0, 0, "/proc/boot/motd\n", "find", "/proc/boot", "-name", "motd");
	RUN_OK(0, 0, "/proc/boot/sed\n", "find", "/proc/boot", "-type", "l", "-name", "s?d");
	RUN_STATUS(r, 0, 0, "find", "/proc/boot", "-type", "f");
	LT_CHECK(strstr(r.out, "/proc/boot/toybox\n") != NULL);
	LT_CHECK(strstr(r.out, "/proc/boot/sed\n") == NULL);
	snprintf(want, sizeof(want), "%ld\t/proc/boot/motd\n", ((long)st.st_blocks + 1) / 2);
	RUN_OK(0, 0, want, "du", "/proc/boot/motd");
	RUN_ERR(0, 1, "", "find: '/none': No such file or directory\n", "find", "/none");
	return 0;
}

LTEST(toybox, tee_xargs)
{
	RUN_OK("t\n", 0, "t\n", "tee");
	RUN_OK("t\n", 0, "t\n", "tee", "/dev/null");
	RUN_OK("a b\nc\n", 0, "a b c\n", "xargs", "echo");
	RUN_OK("a b c\n", 0, "x a b\nx c\n", "xargs", "-n", "2", "echo", "x");
	return 0;
}

LTEST(toybox, date_sleep)
{
	struct timespec t0, t1;
	long ms;

	RUN_OK(0, 0, "1970-01-02 00:00:00\n", "date", "-u", "-d", "@86400", "+%Y-%m-%d %H:%M:%S");
	RUN_OK(0, 0, "2000\n", "date", "-u", "-d", "2000-06-15 12:00:00", "+%Y");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	RUN_OK(0, 0, "", "sleep", "0.2");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	LT_CHECK(ms >= 200);
	RUN_ERR(0, 1, "", NULL, "sleep", "bogus");
	return 0;
}

LTEST(toybox, kill)
{
	static struct result r;
	char pid[16];
	pid_t sl;

	LT_EQ(posix_spawn(&sl, "/proc/boot/sleep", 0, 0, ARGV("sleep", "30"), env_default), 0);
	snprintf(pid, sizeof(pid), "%d", (int)sl);
	RUN_OK(0, 0, "", "kill", "-s", "TERM", pid);
	LT_EQ(wait_status(sl), 128 + SIGTERM);
	LT_EQ(posix_spawn(&sl, "/proc/boot/sleep", 0, 0, ARGV("sleep", "30"), env_default), 0);
	snprintf(pid, sizeof(pid), "%d", (int)sl);
	RUN_OK(0, 0, "", "kill", "-9", pid);
	LT_EQ(wait_status(sl), 128 + SIGKILL);
	RUN_ERR(0, 1, "", NULL, "kill", pid);			/* gone: ESRCH */
	RUN_STATUS(r, 0, 0, "kill", "-l");
	LT_CHECK(strstr(r.out, "TERM") != NULL);
	return 0;
}

/* taskman serves the image at "/", with the attached names in its directories. */
LTEST(toybox, root_and_dev)
{
	static struct result r;

	RUN_STATUS(r, 0, 0, "ls", "/");
	LT_CHECK(strstr(r.out, "proc\n") != NULL);
	LT_CHECK(strstr(r.out, "dev\n") != NULL);
	RUN_STATUS(r, 0, 0, "ls", "/dev");
	LT_CHECK(strstr(r.out, "null\n") != NULL);
	LT_CHECK(strstr(r.out, "pipe\n") != NULL);
	RUN_OK(0, 0, "/proc/boot/toybox\n", "readlink", "-f", "/proc/boot/ls");
	RUN_OK(0, 0, "/proc/boot/motd\n", "readlink", "-f", "/proc/./boot/../boot/motd");
	RUN_OK(0, 0, "/proc/boot/motd\n", "find", "/proc/boot", "-name", "motd", "-exec", "echo",
	    "{}", ";");
	RUN_OK(0, 0, "/proc\n/proc/boot\n", "find", "/", "-maxdepth", "2", "-name", "[pb]???",
	    "-type", "d");
	return 0;
}

/* Pipelines of applets, as the shell (mksh) runs them. */
LTEST(toybox, shell_pipelines)
{
	RUN_OK(0, 0, "10\n9\n8\n", "sh", "-c", "seq 10 | sort -rn | head -3");
	/* Five processes: 1, 10..19; reversed; the first three; edited. */
	RUN_OK(0, 0, "x9\nx8\nx7\n", "sh", "-c",
	    "seq 20 | grep 1 | sort -r | head -n 3 | sed 's/^1/x/'");
	RUN_OK(0, 0, "3\n", "sh", "-c", "echo a b c | tr ' ' '\\n' | wc -l");
	RUN_OK(0, 0, "1\n", "sh", "-c", "false; echo $?");
	RUN_OK(0, 0, "none\n", "sh", "-c", "grep -q nomatch /proc/boot/motd || echo none");
	RUN_OK(0, 0, "QSOE\n", "sh", "-c", "x=$(uname -s); echo $x");
	RUN_OK("b\na\n", 0, "a\nb\n", "sh", "-c", "sort | cat");
	RUN_ERR(0, 1, "", "cat: /none: No such file or directory\n", "sh", "-c", "cat /none");
	return 0;
}

/* devnull's devices take writes, times and modes. */
LTEST(toybox, devices)
{
	RUN_OK(0, 0, "character device 666\n", "stat", "-c", "%F %a", "/dev/null");
	RUN_OK(0, 0, "", "touch", "/dev/null");
	RUN_OK(0, 0, "", "cp", "/proc/boot/motd", "/dev/null");
	RUN_OK(0, 0, "", "chmod", "600", "/dev/full");
	RUN_OK(0, 0, "600\n", "stat", "-c", "%a", "/dev/full");
	RUN_OK(0, 0, "", "chmod", "a+rw", "/dev/full");
	RUN_OK(0, 0, "666\n", "stat", "-c", "%a", "/dev/full");
	/* Without ugoa, chmod honours the umask (taskman's 022). */
	RUN_OK(0, 0, "", "chmod", "444", "/dev/full");
	RUN_OK(0, 0, "", "chmod", "+w", "/dev/full");
	RUN_OK(0, 0, "644\n", "stat", "-c", "%a", "/dev/full");
	RUN_OK(0, 0, "", "chmod", "666", "/dev/full");
	RUN_ERR(0, 1, "", NULL, "chmod", "600", "/dev/no-such");
	return 0;
}

/* Applets that run others: through PATH, with fork and exec. */
LTEST(toybox, exec_others)
{
	RUN_OK(0, 0, "hi\n", "env", "echo", "hi");
	RUN_OK(0, 0, "A=1\n", "env", "-i", "A=1", "env");
	RUN_ERR(0, 127, "", NULL, "env", "no-such-program");
	return 0;
}

/* The applets that write, on the read-only image: their errors. */
LTEST(toybox, read_only_errors)
{
	RUN_ERR(0, 1, "", "mkdir: '/proc/boot/d': Read-only file system\n", "mkdir", "/proc/boot/d");
	RUN_ERR(0, 1, "", NULL, "rm", "/proc/boot/motd");
	RUN_ERR(0, 1, "", NULL, "rmdir", "/proc/boot");
	RUN_ERR(0, 1, "", NULL, "ln", "-s", "x", "/proc/boot/newlink");
	RUN_ERR(0, 1, "", NULL, "touch", "/proc/boot/newfile");
	RUN_ERR(0, 1, "", NULL, "cp", "/proc/boot/motd", "/proc/boot/motd2");
	RUN_ERR(0, 1, "", NULL, "mv", "/proc/boot/motd", "/proc/boot/motd2");
	RUN_ERR(0, 1, "", NULL, "chmod", "600", "/proc/boot/motd");
	return 0;
}

/* The applets that write, on fs-ram's /tmp (its script starts fs-ram -d /tmp). */
LTEST(toybox, tmp_files)
{
	RUN_OK(0, 0, "", "mkdir", "-p", "/tmp/tb/a/b");
	RUN_OK(0, 0, "", "touch", "/tmp/tb/a/f");
	RUN_OK(0, 0, "", "cp", "/proc/boot/motd", "/tmp/tb/motd");
	RUN_OK(0, 0, motd(), "cat", "/tmp/tb/motd");
	RUN_OK(0, 0, "", "ln", "-s", "a/f", "/tmp/tb/link");
	RUN_OK(0, 0, "a/f\n", "readlink", "/tmp/tb/link");
	RUN_OK(0, 0, "", "ln", "/tmp/tb/motd", "/tmp/tb/hard");
	RUN_OK(0, 0, "2\n", "stat", "-c", "%h", "/tmp/tb/motd");
	RUN_OK(0, 0, "", "mv", "/tmp/tb/hard", "/tmp/tb/a/b/moved");
	RUN_OK(0, 0, "", "chmod", "640", "/tmp/tb/a/f");
	RUN_OK(0, 0, "640 regular empty file\n", "stat", "-c", "%a %F", "/tmp/tb/a/f");
	RUN_OK(0, 0, "symbolic link 3 1 0\n", "stat", "-c", "%F %s %h %u", "/tmp/tb/link");
	RUN_OK(0, 0, "a\nlink\nmotd\n", "ls", "/tmp/tb");
	RUN_OK(0, 0, "/tmp/tb/a/b/moved\n", "find", "/tmp/tb", "-name", "moved");
	RUN_OK(0, 0, "one\ntwo\n", "sh", "-c", "printf 'one\\nTWO\\n' >/tmp/tb/s; "
	    "sed -i s/TWO/two/ /tmp/tb/s; cat /tmp/tb/s");
	RUN_ERR(0, 1, "", NULL, "rmdir", "/tmp/tb/a");		/* not empty */
	RUN_OK(0, 0, "", "rm", "-r", "/tmp/tb");
	RUN_ERR(0, 1, "", NULL, "ls", "/tmp/tb");
	return 0;
}

/* The text utilities added for issue #11. */
LTEST(toybox, text_more)
{
	RUN_OK("b\na\nc\n", 0, "c\na\nb\n", "tac");
	RUN_OK("abc\nxy\n", 0, "cba\nyx\n", "rev");
	RUN_OK("b\na\n", 0, "     1\tb\n     2\ta\n", "nl");
	RUN_OK("a\nb\n", 0, "a\ta\nb\tb\n", "paste", "-", "/tmp/tx");
	RUN_OK("a\tb\n", 0, "a       b\n", "expand");
	RUN_OK("hello\n", 0, "3015617425 6\n", "cksum");	/* POSIX cksum of "hello\n" */
	RUN_OK(0, 0, "Welcome to QSOE, the QNX-Style Open Environment.\n", "strings",
	    "/proc/boot/motd");
	RUN_OK("a\nb\n", 0, "\t\ta\n\t\tb\n", "comm", "-", "/tmp/tx");
	RUN_OK("a\nb\n", 0, "", "cmp", "-", "/tmp/tx");
	RUN_ERR("a\nc\n", 1, "- /tmp/tx differ: char 3, line 2\n", NULL, "cmp", "-", "/tmp/tx");
	RUN_OK(0, 0, "", "link", "/tmp/tx", "/tmp/ty");
	RUN_OK(0, 0, "2\n", "stat", "-c", "%h", "/tmp/tx");
	RUN_OK(0, 0, "", "unlink", "/tmp/ty");
	RUN_ERR(0, 1, "", NULL, "unlink", "/tmp/ty");		/* gone */
	RUN_OK(0, 0, "    January 2000     \nSu Mo Tu We Th Fr Sa \n"
	    "                   1 \n", "sh", "-c", "cal 1 2000 | head -3");
	RUN_OK(0, 0, "/tmp\n", "sh", "-c", "cd /tmp && pwd");
	return 0;
}

/* df from /proc/mounts (taskman's) and each file system's statvfs. */
LTEST(toybox, df)
{
	RUN_OK(0, 0, "taskman / taskman ro 0 0\ntaskman /dev/shmem taskman ro 0 0\n"
	    "pipe /dev/pipe pipe rw 0 0\nfs-ram /tmp fs-ram rw 0 0\n",
	    "cat", "/proc/mounts");	/* taskman's /dev/shmem and the pipe manager's FIFO directory too */
	RUN_OK(0, 0, "Filesystem     1K-blocks Used Available Use% Mounted on\n"
	    "fs-ram             32768    4     32764   1% /tmp\n", "df", "/tmp");
	RUN_OK(0, 0, "/\n/tmp\n", "sh", "-c", "df | sed 1d | while read a b c d e f; do echo $f; done");
	RUN_OK(0, 0, "0\n", "sh", "-c", "df / | sed 1d | while read a b c d e f; do echo $d; done");
	return 0;
}

int main(void)
{
	/*
	 * taskman's script gives its programs no fds: take 0-2, so that the
	 * pipes made for the applets are never fds 0-2 themselves.
	 */
	while (open("/dev/null", O_RDWR) < 2)
		;
	{
		int fd = open("/tmp/tx", O_WRONLY | O_CREAT | O_TRUNC, 0644);	/* "a\nb\n" for text_more */

		if (fd < 0 || write(fd, "a\nb\n", 4) != 4 || close(fd) != 0)
			return 2;
	}
	return lt_run_all() ? 1 : 0;
}


