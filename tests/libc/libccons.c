/*
 * tests/libc/libccons.c - the console (devc-ns16550) and termios, driven
 * from the host: boots libccons-smp1/-smp4 run it from libccons.script as
 * a session leader with /dev/console as fds 0-2 and controlling terminal
 * (`reopen`, `[+session]`), while tools/console types what
 * tests/console/libccons.scn says.  Each test that needs the host prints
 * "READY <what>" on the console and waits; the scenario answers.
 *
 * The test protocol goes through DebugWrite (ltest.h), the console
 * through the driver.  Both reach the same UART, so every console write
 * here is followed by tcdrain: nothing of the driver's is still queued
 * when a TEST line is printed, and the two never interleave.
 */
#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <sys/select.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/iomsg.h>
#include <sys/dcmd_chr.h>
#include "ltest.h"

#define UART_PA		0x10000000
#define BURST_LINES	3000

extern char **environ;
static struct termios saved;

static void drain(void)
{
	tcdrain(1);
}

static void say(const char *s)
{
	write(1, s, strlen(s));
	drain();
}

/* Read one canonical line (or whatever a read gives) into buf, NUL-terminated. */
static ssize_t get(char *buf, size_t n)
{
	ssize_t r = read(0, buf, n - 1);

	buf[r > 0 ? r : 0] = '\0';
	drain();			/* the echo is out before the next TEST line */
	return r;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void restore(void)
{
	tcsetattr(0, TCSANOW, &saved);
}

static int t_stdio_is_the_console(void)
{
	struct termios t;
	struct winsize ws, big = { .ws_row = 50, .ws_col = 132 };
	int fd, n = -1;

	LT_EQ(isatty(0), 1);
	LT_EQ(isatty(1), 1);
	LT_EQ(isatty(2), 1);
	LT_EQ(tcgetattr(0, &t), 0);
	LT_CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	LT_EQ(t.c_cc[VINTR], 3);
	LT_EQ(ioctl(0, TIOCGWINSZ, &ws), 0);
	LT_EQ(ws.ws_row, 24);
	LT_EQ(ws.ws_col, 80);
	LT_EQ(ioctl(1, TIOCSWINSZ, &big), 0);
	memset(&ws, 0, sizeof(ws));
	LT_EQ(ioctl(2, TIOCGWINSZ, &ws), 0);
	LT_EQ(ws.ws_col, 132);
	big = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	LT_EQ(ioctl(0, TIOCSWINSZ, &big), 0);
	/* The script made us a session leader with the console as controlling terminal. */
	LT_EQ(getsid(0), getpid());
	LT_EQ(tcgetsid(0), getpid());
	LT_EQ(tcgetpgrp(0), getpgrp());
	LT_EQ(ioctl(0, TIOCSCTTY, 0), 0);		/* ours already */
	LT_EQ(ioctl(0, FIONREAD, &n), 0);
	LT_EQ(n, 0);
	errno = 0;
	LT_EQ(tcsetpgrp(0, 99999), -1);
	LT_EQ(errno, EPERM);
	errno = 0;
	LT_EQ(tcsetpgrp(0, -5), -1);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(tcflush(0, 99), -1);
	LT_EQ(errno, EINVAL);
	errno = 0;
	LT_EQ(tcflow(0, 77), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(tcflush(0, TCIFLUSH), 0);
	LT_EQ(tcdrain(1), 0);
	/* The other names of the same device. */
	for (int i = 0; i < 2; i++) {
		fd = open(i ? "/dev/tty" : "/dev/ser1", O_RDWR);
		LT_CHECK(fd >= 0);
		LT_EQ(isatty(fd), 1);
		LT_EQ(tcgetsid(fd), getpid());
		close(fd);
	}
	/* /dev/tty is the controlling terminal: a new session has none (ENXIO). */
	{
		pid_t pid = fork();
		int st = -1;

		if (pid == 0) {
			setsid();
			_exit(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO ? 0 : 1);
		}
		LT_CHECK(pid > 0);
		LT_EQ(waitpid(pid, &st, 0), pid);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	/* Not a terminal: ENOTTY everywhere. */
	fd = open("/dev/null", O_RDWR);
	LT_CHECK(fd >= 0);
	errno = 0;
	LT_EQ(isatty(fd), 0);
	LT_EQ(errno, ENOTTY);
	errno = 0;
	LT_EQ(tcgetattr(fd, &t), -1);
	LT_EQ(errno, ENOTTY);
	errno = 0;
	LT_EQ(tcsetpgrp(fd, getpgrp()), -1);
	LT_EQ(errno, ENOTTY);
	errno = 0;
	LT_EQ(ioctl(fd, TIOCGWINSZ, &ws), -1);
	LT_EQ(errno, ENOTTY);
	close(fd);
	return 0;
}

/* Run as "libccons noio" by posix_spawn: no I/O ability, so EPERM. */
static int noio_child(void)
{
	void *p = mmap_device_memory(NULL, 4096, PROT_READ, 0, UART_PA);

	return p == MAP_FAILED && errno == EPERM ? 0 : 1;
}

static int t_device_memory(void)
{
	volatile uint8_t *u;
	char *argv[] = { "libccons", "noio", NULL };
	pid_t pid;
	int st;

	/* Programs the startup script starts have the I/O ability. */
	u = mmap_device_memory(NULL, 4096, PROT_READ | PROT_WRITE | PROT_NOCACHE, 0, UART_PA);
	LT_CHECK(u != MAP_FAILED);
	LT_CHECK((u[5] & 0x80) == 0);		/* LSR: no FIFO error: it is the UART */
	LT_EQ(munmap_device_memory((void *)u, 4096), 0);
	errno = 0;
	LT_CHECK(mmap_device_memory(NULL, 4096, PROT_READ, 0, 0x80200000) == MAP_FAILED);
	LT_EQ(errno, EINVAL);			/* RAM (the kernel) is not device memory */
	errno = 0;
	LT_CHECK(mmap_device_memory(NULL, 4096, PROT_READ, 0, UART_PA + 8) == MAP_FAILED);
	LT_EQ(errno, EINVAL);			/* not page-aligned */
	/* A program another program starts has no I/O ability. */
	LT_EQ(posix_spawn(&pid, "/proc/boot/libccons", NULL, NULL, argv, environ), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	return 0;
}

static int t_canonical_read(void)
{
	char b[128];

	tcflush(0, TCIFLUSH);
	say("READY canon\n");
	LT_EQ(get(b, sizeof(b)), 12);
	LT_CHECK(strcmp(b, "hello world\n") == 0);
	return 0;
}

static int t_erase_kill(void)
{
	char b[128];

	say("READY erase\n");
	LT_EQ(get(b, sizeof(b)), 3);		/* "abx^?c^Uxyz^?^?q\r" */
	LT_CHECK(strcmp(b, "xq\n") == 0);
	say("READY werase\n");
	LT_EQ(get(b, sizeof(b)), 10);		/* "one two^Wthree\r" */
	LT_CHECK(strcmp(b, "one three\n") == 0);
	return 0;
}

static int t_echo_off(void)
{
	struct termios t = saved;
	char b[128];

	t.c_lflag &= ~(tcflag_t)ECHO;
	LT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	say("READY noecho\n");
	LT_EQ(get(b, sizeof(b)), 7);
	restore();
	say("GOT noecho\n");
	LT_CHECK(strcmp(b, "secret\n") == 0);
	return 0;
}

static int t_eof(void)
{
	char b[128];

	say("READY eof\n");
	LT_EQ(get(b, sizeof(b)), 0);		/* ^D at the start of a line */
	say("READY eof2\n");
	LT_EQ(get(b, sizeof(b)), 2);		/* "ab^D": the line without the EOF */
	LT_CHECK(strcmp(b, "ab") == 0);
	return 0;
}

static int t_raw_vmin_vtime(void)
{
	struct termios t = saved;
	char b[16];
	double t0;
	int fl;

	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	LT_EQ(tcsetattr(0, TCSAFLUSH, &t), 0);
	say("READY raw\n");
	LT_EQ(get(b, sizeof(b)), 3);		/* "ab", a pause, "c": one read of 3 */
	restore();
	LT_CHECK(strcmp(b, "abc") == 0);
	/* MIN 0, TIME 5: nothing comes, 0 after half a second. */
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 5;
	LT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	t0 = now();
	fl = (int)get(b, sizeof(b));
	t0 = now() - t0;
	restore();
	LT_EQ(fl, 0);
	LT_CHECK(t0 > 0.3 && t0 < 5);
	/* MIN 0, TIME 0: a poll. */
	t.c_cc[VTIME] = 0;
	LT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	t0 = now();
	fl = (int)get(b, sizeof(b));
	t0 = now() - t0;
	restore();
	LT_EQ(fl, 0);
	LT_CHECK(t0 < 0.45);			/* well below VTIME 5 */
	/* O_NONBLOCK with nothing to read: EAGAIN. */
	fl = fcntl(0, F_GETFL);
	LT_EQ(fcntl(0, F_SETFL, fl | O_NONBLOCK), 0);
	errno = 0;
	LT_EQ(read(0, b, sizeof(b)), -1);
	LT_EQ(errno, EAGAIN);
	LT_EQ(fcntl(0, F_SETFL, fl), 0);
	return 0;
}

static volatile sig_atomic_t nint, nquit, ntstp, nalrm;

static void on_sig(int s)
{
	if (s == SIGINT)
		nint++;
	else if (s == SIGQUIT)
		nquit++;
	else if (s == SIGTSTP)
		ntstp++;
	else if (s == SIGALRM)
		nalrm++;
}

static void catch(int s)
{
	struct sigaction sa = { .sa_handler = on_sig };

	sigaction(s, &sa, NULL);	/* no SA_RESTART */
}

static int t_intr_to_foreground_group_only(void)
{
	int p[2], st;
	pid_t pid;
	char c = 0;

	nint = 0;
	catch(SIGINT);
	LT_EQ(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		setpgid(0, 0);
		read(p[0], &c, 1);	/* the parent has made us the foreground */
		say("READY intr\n");
		for (int i = 0; i < 300; i++)
			usleep(100000);
		_exit(3);		/* ^C never came */
	}
	LT_CHECK(pid > 0);
	setpgid(pid, pid);
	LT_EQ(tcsetpgrp(0, pid), 0);
	LT_EQ(tcgetpgrp(0), pid);
	LT_EQ(write(p[1], "g", 1), 1);
	LT_EQ(waitpid(pid, &st, 0), pid);
	close(p[0]);
	close(p[1]);
	LT_EQ(tcsetpgrp(0, getpgrp()), 0);	/* from the background: SIGTTOU is ignored (main) */
	drain();
	LT_CHECK(WIFSIGNALED(st));
	LT_EQ(WTERMSIG(st), SIGINT);
	LT_EQ(nint, 0);				/* we were in the background */
	return 0;
}

static int t_intr_quit_susp(void)
{
	nint = nquit = ntstp = 0;
	catch(SIGINT);
	catch(SIGQUIT);
	catch(SIGTSTP);
	say("READY sigs\n");
	for (int i = 0; i < 2000 && !(nint && nquit && ntstp); i++)
		usleep(10000);
	drain();
	LT_EQ(nint, 1);
	LT_EQ(nquit, 1);
	LT_EQ(ntstp, 1);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	return 0;
}

static int t_blocked_read_eintr(void)
{
	char b[64];
	ssize_t r;

	nalrm = 0;
	catch(SIGALRM);
	alarm(1);
	errno = 0;
	r = read(0, b, sizeof(b));
	LT_EQ(r, -1);
	LT_EQ(errno, EINTR);
	LT_EQ(nalrm, 1);
	say("READY after eintr\n");
	LT_EQ(get(b, sizeof(b)), 11);
	LT_CHECK(strcmp(b, "still here\n") == 0);
	return 0;
}

static int t_blocked_reader_dies(void)
{
	char b[64];
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		read(0, b, sizeof(b));
		_exit(0);
	}
	LT_CHECK(pid > 0);
	usleep(300000);			/* it is blocked in the driver now */
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFSIGNALED(st));
	say("READY dead\n");
	LT_EQ(get(b, sizeof(b)), 6);		/* the line is ours, not the dead reader's */
	LT_CHECK(strcmp(b, "alive\n") == 0);
	return 0;
}

static int t_poll_select(void)
{
	struct pollfd pf[2] = { { 0, POLLIN, 0 }, { 1, POLLOUT, 0 } };
	fd_set rs;
	struct timeval tv = { 0, 50000 };
	char b[64];

	tcflush(0, TCIFLUSH);
	LT_EQ(poll(pf, 2, 100), 1);		/* nothing typed: only writable */
	LT_EQ(pf[0].revents, 0);
	LT_EQ(pf[1].revents, POLLOUT);
	FD_ZERO(&rs);
	FD_SET(0, &rs);
	LT_EQ(select(1, &rs, 0, 0, &tv), 0);
	say("READY poll\n");
	LT_EQ(poll(pf, 1, 20000), 1);		/* woken by the typed line */
	LT_EQ(pf[0].revents, POLLIN);
	FD_ZERO(&rs);
	FD_SET(0, &rs);
	LT_EQ(select(1, &rs, 0, 0, 0), 1);
	LT_EQ(get(b, sizeof(b)), 7);
	LT_CHECK(strcmp(b, "polled\n") == 0);
	return 0;
}

static int t_malformed_messages(void)
{
	struct { struct _io_devctl d; char data[64]; } m;
	struct { struct _io_devctl_reply r; char data[64]; } rep;
	struct _io_write w = { .type = _IO_WRITE, .nbytes = 1000 };
	struct termios t;

	memset(&m, 0, sizeof(m));
	m.d.type = _IO_DEVCTL;
	m.d.dcmd = DCMD_CHR_TCSETATTR;
	m.d.nbytes = 60;			/* claims 60 bytes, sends none */
	LT_EQ(MsgSend_r(0, &m, sizeof(m.d), &rep, sizeof(rep)), -EINVAL);
	m.d.nbytes = 4;				/* room for less than the command needs */
	LT_EQ(MsgSend_r(0, &m, sizeof(m), &rep, sizeof(rep)), -EINVAL);
	m.d.dcmd = 0x7777;
	m.d.nbytes = 0;
	LT_EQ(MsgSend_r(0, &m, sizeof(m.d), &rep, sizeof(rep)), -ENOTTY);
	m.d.dcmd = (int32_t)(_DEVCTL_DATA_FROM | (0x3fffu << 16) | (_DCMD_CHR << 8) | 1);
	m.d.nbytes = 0x3fff;			/* a huge size */
	LT_EQ(MsgSend_r(0, &m, sizeof(m.d), &rep, sizeof(rep)), -ENOTTY);
	LT_EQ(MsgSend_r(0, &m, 2, &rep, sizeof(rep)), -EINVAL);
	LT_EQ(MsgSend_r(1, &w, sizeof(w), 0, 0), -EINVAL);	/* a write of more than it sent */
	/* The driver lives on. */
	LT_EQ(tcgetattr(0, &t), 0);
	LT_EQ(isatty(0), 1);
	return 0;
}

/*
 * The kernel's console writes the same UART (DebugWrite): while the
 * burst goes out, another thread writes KERNEL_TILDES single '~' through
 * the kernel.  The host strips them from the burst and counts them:
 * neither writer loses a byte (docs/console.md, "Sharing the UART").
 */
#define KERNEL_TILDES	300

static void *tilde_writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < KERNEL_TILDES; i++) {
		DebugWrite("~", 1);
		usleep(1000);
	}
	return NULL;
}

static int t_burst_nothing_lost(void)
{
	static char buf[BURST_LINES * 80];
	const char *abc = "0123456789abcdefghijklmnopqrstuvwxyz";
	size_t len = 0;

	for (int n = 0; n < BURST_LINES; n++) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "BURST %05d ", n);
		for (int i = 0; i < 64; i++)
			buf[len++] = abc[(n * 7 + i) % 36];
		buf[len++] = '\n';
	}
	pthread_t t;

	say("READY burst\n");
	LT_EQ(pthread_create(&t, NULL, tilde_writer, NULL), 0);
	for (size_t off = 0; off < len; ) {
		size_t k = len - off < 5000 ? len - off : 5000;
		ssize_t r = write(1, buf + off, k);

		LT_EQ(r, (ssize_t)k);		/* a blocking write is whole */
		off += k;
	}
	pthread_join(t, NULL);
	say("BURST DONE\n");
	return 0;
}

/*
 * Random _IO_* messages on a connection of its own (the driver survives
 * them), then the settings put back: they may have changed termios, the
 * window, the output flow or the foreground group.  Last, as it may print
 * junk.
 */
static int t_fuzz(void)
{
	static union {
		uint64_t		q[64];
		struct _io_devctl	d;
		struct _io_write	w;
	} m;
	char rep[512];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int fd = open("/dev/ser1", O_RDWR), errs = 0;

	LT_CHECK(fd >= 0);
	for (int i = 0; i < 1000; i++) {
		size_t len;

		for (int k = 0; k < 64; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			m.q[k] = x;
		}
		m.d.type = (uint16_t)(0x100 + x % 0x14);	/* an _IO_* type */
		m.d.combine_len = (x >> 8) % 4 ? 0 : (uint16_t)(x >> 16);
		if (m.d.type == _IO_CLOSE || m.d.type == _IO_READ)
			m.d.type = _IO_STAT;		/* keep the connection; never wait */
		if (m.d.type == _IO_WRITE)
			m.w.nbytes = (x >> 24) % 64;	/* small writes, honest or not */
		if (m.d.type == _IO_DEVCTL && m.d.dcmd == DCMD_CHR_TCDRAIN)
			m.d.dcmd = 0;			/* (a drain waits while output is stopped) */
		len = (size_t)((x >> 32) % sizeof(m));
		errs += MsgSend_r(fd, &m, len, rep, sizeof(rep)) < 0;
	}
	close(fd);
	tcflow(1, TCOON);
	restore();
	ioctl(0, TIOCSWINSZ, &ws);
	tcsetpgrp(0, getpgrp());
	drain();
	LT_CHECK(errs > 500);			/* most were refused */
	LT_EQ(isatty(0), 1);
	LT_EQ(tcgetsid(0), getpid());
	LT_EQ(write(1, "fuzzed\n", 7), 7);
	drain();
	return 0;
}

/* ---- job control: a child in a group of its own is in the background ---- */

static volatile sig_atomic_t nttin;

static void on_ttin(int s)
{
	(void)s;
	nttin++;
}

/* What a background child does (its exit status: 0 when it saw what it should). */
static int bg_case(int what)
{
	struct sigaction sa = { .sa_handler = on_ttin };
	struct termios t;
	sigset_t set;
	char c;

	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	switch (what) {
	case 0:					/* SIGTTIN stops it: never returns */
	case 5:
		read(0, &c, 1);
		return 10;
	case 1:					/* ignored: EIO */
		signal(SIGTTIN, SIG_IGN);
		return !(read(0, &c, 1) == -1 && errno == EIO);
	case 2:					/* blocked: EIO */
		sigemptyset(&set);
		sigaddset(&set, SIGTTIN);
		sigprocmask(SIG_BLOCK, &set, NULL);
		return !(read(0, &c, 1) == -1 && errno == EIO);
	case 3:					/* a handler without SA_RESTART: EINTR */
		sigaction(SIGTTIN, &sa, NULL);
		return !(read(0, &c, 1) == -1 && errno == EINTR && nttin == 1);
	case 4:					/* without TOSTOP a write goes out */
		return !(write(1, "", 0) == 0);
	case 6:					/* TOSTOP: SIGTTOU stops it */
	case 8:					/* a change of the settings, too */
		if (what == 6)
			write(1, "", 0);
		else if (tcgetattr(0, &t) == 0)
			tcsetattr(0, TCSANOW, &t);
		return 10;
	case 7:					/* TOSTOP, SIGTTOU ignored: the write goes out */
		signal(SIGTTOU, SIG_IGN);
		return !(write(1, "", 0) == 0);
	case 9:					/* as a shell: SIGTTOU ignored, takes the terminal */
		signal(SIGTTOU, SIG_IGN);
		return !(tcgetattr(0, &t) == 0 && tcsetattr(0, TCSANOW, &t) == 0 &&
		    tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp());
	}
	return 20;
}

/* Run bg_case(what) in a background child; its wait status (a stopped child is killed). */
static int run_bg(int what)
{
	int st = -1, st2;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(bg_case(what));
	}
	if (pid < 0)
		return -1;
	setpgid(pid, pid);
	if (waitpid(pid, &st, WUNTRACED) != pid)
		return -1;
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st2, 0);
	}
	return st;
}

static int t_job_control(void)
{
	struct termios t;
	int st;

	LT_EQ(tcgetpgrp(0), getpgrp());		/* we are the foreground */
	st = run_bg(0);
	LT_CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	for (int what = 1; what <= 4; what++) {
		st = run_bg(what);
		lt_printf("job control case %d: status %#x\n", what, st);
		LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	LT_EQ(tcgetattr(0, &t), 0);
	t.c_lflag |= TOSTOP;
	LT_EQ(tcsetattr(0, TCSANOW, &t), 0);
	st = run_bg(5);				/* a read still stops it with SIGTTIN */
	LT_CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	st = run_bg(6);
	LT_CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	st = run_bg(7);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	restore();				/* TOSTOP off */
	st = run_bg(8);
	LT_CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU);
	st = run_bg(9);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(tcsetpgrp(0, getpgrp()), 0);	/* back from the child's dead group (SIGTTOU ignored) */
	LT_EQ(tcgetpgrp(0), getpgrp());
	/* a bad devctl flag word is refused */
	struct { struct _io_devctl d; int v; } m = { { .type = _IO_DEVCTL,
	    .dcmd = DCMD_CHR_TCGETPGRP, .nbytes = sizeof(int), .zero = 7 }, 0 };
	LT_EQ(MsgSend_r(0, &m, sizeof(m), &m, sizeof(m)), -EINVAL);
	return 0;
}

/* ---- orphaned process groups ---- */

static int hup_fd = -1;

static void on_hup(int s)
{
	(void)s;
	write(hup_fd, "h", 1);
}

/* Up to n bytes from fd within 5 s (a hung child must not hang the test). */
static ssize_t get_within(int fd, char *buf, size_t n)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;

	while (got < n && poll(&pf, 1, 5000) == 1 && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	return (ssize_t)got;
}

/*
 * A job (a, in a group of its own) whose leader exits leaves its child
 * b's group orphaned: b's background read fails with EIO instead of
 * stopping it; and a b that was stopped gets SIGHUP and SIGCONT (POSIX).
 */
static int t_orphaned_group(void)
{
	char buf[4] = { 0 };
	int p[2], st;
	pid_t a;

	for (int stopped = 0; stopped < 2; stopped++) {
		LT_EQ(pipe(p), 0);
		if ((a = fork()) == 0) {
			pid_t b;

			setpgid(0, 0);
			if ((b = fork()) == 0) {
				char c;
				ssize_t r;

				hup_fd = p[1];
				signal(SIGTTIN, SIG_DFL);
				if (stopped) {
					signal(SIGHUP, on_hup);
					raise(SIGSTOP);
					write(p[1], "c", 1);	/* continued */
					_exit(0);
				}
				while (getppid() == getpgrp())
					usleep(1000);		/* until a has gone */
				r = read(0, &c, 1);
				write(p[1], r == -1 && errno == EIO ? "y" : "n", 1);
				_exit(0);
			}
			if (stopped)
				waitpid(b, &st, WUNTRACED);	/* b has stopped */
			_exit(0);
		}
		LT_CHECK(a > 0);
		close(p[1]);
		LT_EQ(waitpid(a, &st, 0), a);
		if (stopped) {
			LT_EQ(get_within(p[0], buf, 2), 2);
			LT_CHECK(strcmp(buf, "hc") == 0);	/* SIGHUP, then it ran on */
		} else {
			LT_EQ(get_within(p[0], buf, 1), 1);
			LT_EQ(buf[0], 'y');			/* EIO, not stopped */
		}
		kill(-a, SIGKILL);				/* whatever is left of the job */
		close(p[0]);
		memset(buf, 0, sizeof(buf));
	}
	return 0;
}

static const struct ltest tests[] = {	/* in the scenario's order */
	{ "cons.stdio_is_the_console", t_stdio_is_the_console },
	{ "cons.device_memory", t_device_memory },
	{ "cons.canonical_read", t_canonical_read },
	{ "cons.erase_kill", t_erase_kill },
	{ "cons.echo_off", t_echo_off },
	{ "cons.eof", t_eof },
	{ "cons.raw_vmin_vtime", t_raw_vmin_vtime },
	{ "cons.intr_to_foreground_group_only", t_intr_to_foreground_group_only },
	{ "cons.intr_quit_susp", t_intr_quit_susp },
	{ "cons.blocked_read_eintr", t_blocked_read_eintr },
	{ "cons.blocked_reader_dies", t_blocked_reader_dies },
	{ "cons.poll_select", t_poll_select },
	{ "cons.malformed_messages", t_malformed_messages },
	{ "cons.burst_nothing_lost", t_burst_nothing_lost },
	{ "cons.job_control", t_job_control },
	{ "cons.orphaned_group", t_orphaned_group },
	{ "cons.fuzz", t_fuzz },
};

/* lt_run_all's protocol, in this order (a section's order is the linker's). */
static int run_all(void)
{
	int pass = 0, fail = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		lt_reason[0] = '\0';
		lt_printf("TEST START %s\n", tests[i].lt_name);
		if (tests[i].lt_fn() == 0) {
			lt_printf("TEST PASS %s\n", tests[i].lt_name);
			pass++;
		} else {
			lt_printf("TEST FAIL %s: %s\n", tests[i].lt_name,
			    lt_reason[0] ? lt_reason : "returned an error");
			fail++;
		}
	}
	lt_printf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "noio") == 0)
		return noio_child();
	if (tcgetattr(0, &saved) < 0) {
		lt_printf("libccons: fd 0 is not a terminal (errno %d)\n", errno);
		saved.c_lflag = ICANON | ECHO | ISIG | ECHOE | ECHOK | IEXTEN;
	}
	signal(SIGTTOU, SIG_IGN);	/* as a shell: takes the terminal back from the background */
	return run_all() ? 1 : 0;
}
