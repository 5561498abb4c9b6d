/*
 * tests/libc/libcname.c - QNX's name_attach/name_detach (libresmgr) and
 * name_open/name_close (libc): a forked server with its own MsgReceive
 * loop on attach->chid, clients sending it messages through the name,
 * the disconnect pulses it sees, global names, detach and death, a taken
 * name (EEXIST), and every argument error.  Runs under taskman (docs/resmgr.md, "Names").
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/dispatch.h>
#include "ltest.h"

#define MSG_DOUBLE	0x4001		/* outside the _IO_* range */
#define MSG_STATS	0x4002
#define MSG_DETACH	0x4003
#define MSG_QUIT	0x4004

struct msg {
	uint16_t	type;
	uint16_t	subtype;
	int32_t		value;
};

union rx {
	struct _pulse	pulse;
	uint16_t	type;
	struct msg	m;
	char		buf[512];	/* a whole _IO_CONNECT with its path */
};

/*
 * The server: name_attach(name, flags), say so on fd ready, then serve
 * until MSG_QUIT.  MSG_STATS answers connects * 1000 + disconnects.
 */
static int serve(const char *name, unsigned flags, int ready)
{
	name_attach_t *na = name_attach(NULL, name, flags);
	int connects = 0, disconnects = 0;
	char c = na ? 'y' : 'n';

	if (write(ready, &c, 1) != 1 || na == NULL)
		return 1;
	for (;;) {
		union rx rx;
		int rcvid = MsgReceive(na->chid, &rx, sizeof(rx), NULL);

		if (rcvid < 0)
			return 2;
		if (rcvid == 0) {
			if (rx.pulse.code == _PULSE_CODE_DISCONNECT) {
				disconnects++;
				ConnectDetach(rx.pulse.scoid);
			}
			continue;
		}
		switch (rx.type) {
		case _IO_CONNECT:
			connects++;
			MsgReply(rcvid, 0, NULL, 0);
			break;
		case MSG_DOUBLE:
			MsgReply(rcvid, rx.m.value * 2, NULL, 0);
			break;
		case MSG_STATS:
			MsgReply(rcvid, connects * 1000 + disconnects, NULL, 0);
			break;
		case MSG_DETACH:
			MsgReply(rcvid, name_detach(na, NAME_FLAG_DETACH_SAVEDPP), NULL, 0);
			break;
		case MSG_QUIT:
			MsgReply(rcvid, 0, NULL, 0);
			return 0;
		default:
			MsgError(rcvid, rx.type >= _IO_BASE && rx.type <= _IO_MAX ? ENOSYS : EINVAL);
		}
	}
}

/* Fork a server for name; its pid once it has attached, or -1. */
static pid_t start(const char *name, unsigned flags)
{
	int p[2];
	pid_t pid;
	char c = 0;

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) == 0)
		_exit(serve(name, flags, p[1]));
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1 || c != 'y') {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return pid;
}

static long ask(int coid, uint16_t type, int32_t value)
{
	struct msg m = { .type = type, .value = value };

	return MsgSend(coid, &m, sizeof(m), NULL, 0);
}

static int stop(pid_t pid, const char *name, int flags)
{
	int coid = name_open(name, flags), st = -1;

	if (coid >= 0) {
		ask(coid, MSG_QUIT, 0);
		name_close(coid);
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Two clients, messages, close: the server counts connects and disconnect pulses. */
LTEST(name, attach_open_send_close)
{
	pid_t pid = start("qsoe/echo", 0);
	int a, b;
	long r = -1;

	LT_CHECK(pid > 0);
	a = name_open("qsoe/echo", 0);
	LT_CHECK(a >= 0);
	b = name_open("/dev/name/local/qsoe/echo", 0);	/* a whole path */
	LT_CHECK(b >= 0);
	LT_EQ(ask(a, MSG_DOUBLE, 21), 42);
	LT_EQ(ask(b, MSG_DOUBLE, 5), 10);
	LT_EQ(name_close(a), 0);
	/* the disconnect pulse comes after close: wait for it (a message a would overtake it) */
	for (int i = 0; i < 200 && (r = ask(b, MSG_STATS, 0)) != 2001; i++)
		usleep(5000);
	LT_EQ(r, 2001);
	LT_EQ(ask(a, MSG_DOUBLE, 1), -1);			/* a is gone */
	LT_EQ(errno, EBADF);
	LT_EQ(name_close(b), 0);
	LT_EQ(stop(pid, "qsoe/echo", 0), 0);
	return 0;
}

/* Global names are a table of their own. */
LTEST(name, global)
{
	pid_t pid = start("gname", NAME_FLAG_ATTACH_GLOBAL);
	int c;

	LT_CHECK(pid > 0);
	LT_EQ(name_open("gname", 0), -1);
	LT_EQ(errno, ENOENT);
	c = name_open("gname", NAME_FLAG_ATTACH_GLOBAL);
	LT_CHECK(c >= 0);
	LT_EQ(ask(c, MSG_DOUBLE, 4), 8);
	LT_EQ(name_close(c), 0);
	LT_EQ(stop(pid, "gname", NAME_FLAG_ATTACH_GLOBAL), 0);
	return 0;
}

/* After name_detach the name is gone (the open coid still works); after death, too. */
LTEST(name, detach_and_death)
{
	pid_t pid = start("qsoe/gone", 0);
	int c, d, st = -1;

	LT_CHECK(pid > 0);
	c = name_open("qsoe/gone", 0);
	LT_CHECK(c >= 0);
	LT_EQ(ask(c, MSG_DETACH, 0), 0);
	LT_EQ(name_open("qsoe/gone", 0), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(ask(c, MSG_DOUBLE, 3), 6);			/* the connection stays */
	LT_EQ(ask(c, MSG_QUIT, 0), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	LT_EQ(ask(c, MSG_DOUBLE, 3), -1);			/* the server is dead */
	name_close(c);
	/* A killed server's name goes with it. */
	pid = start("qsoe/killed", 0);
	LT_CHECK(pid > 0);
	d = name_open("qsoe/killed", 0);
	LT_CHECK(d >= 0);
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_EQ(ask(d, MSG_DOUBLE, 1), -1);
	name_close(d);
	LT_EQ(name_open("qsoe/killed", 0), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* A name has one server: a second name_attach fails with EEXIST until the first is gone. */
LTEST(name, taken)
{
	pid_t pid = start("qsoe/taken", 0);
	name_attach_t *na;
	int c, st = -1;

	LT_CHECK(pid > 0);
	errno = 0;
	LT_CHECK(name_attach(NULL, "qsoe/taken", 0) == NULL);
	LT_EQ(errno, EEXIST);
	/* the same name in the global table is another name */
	na = name_attach(NULL, "qsoe/taken", NAME_FLAG_ATTACH_GLOBAL);
	LT_CHECK(na != NULL);
	LT_EQ(name_detach(na, 0), 0);
	c = name_open("qsoe/taken", 0);				/* still the first server's */
	LT_CHECK(c >= 0);
	LT_EQ(ask(c, MSG_DOUBLE, 7), 14);
	name_close(c);
	LT_EQ(kill(pid, SIGKILL), 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	na = name_attach(NULL, "qsoe/taken", 0);		/* free again */
	LT_CHECK(na != NULL);
	errno = 0;
	LT_CHECK(name_attach(NULL, "qsoe/taken", 0) == NULL);	/* also for its own process */
	LT_EQ(errno, EEXIST);
	LT_EQ(name_detach(na, 0), 0);
	return 0;
}

/* Bad arguments: EINVAL or ENAMETOOLONG, and nothing attached. */
LTEST(name, errors)
{
	static char longname[1100];
	name_attach_t *na;

	const char *bad[] = { "", "/abs", "a/../b", "..", "a//b", "a/", NULL };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		LT_CHECK(name_attach(NULL, bad[i], 0) == NULL);
		LT_EQ(errno, EINVAL);
	}
	errno = 0;
	LT_CHECK(name_attach(NULL, "ok", 0x80) == NULL);
	LT_EQ(errno, EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	errno = 0;
	LT_CHECK(name_attach(NULL, longname, 0) == NULL);
	LT_EQ(errno, ENAMETOOLONG);
	LT_EQ(name_open(longname, 0), -1);
	LT_EQ(errno, ENAMETOOLONG);
	LT_EQ(name_open(NULL, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(name_open("", 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(name_open("x", 0x80), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(name_open("nobody/has/this", 0), -1);
	LT_EQ(errno, ENOENT);
	LT_EQ(name_detach(NULL, 0), -1);
	LT_EQ(errno, EINVAL);
	/* In this process: attach, detach with a bad flag (EINVAL, still attached), detach. */
	na = name_attach(NULL, "qsoe/self", 0);
	LT_CHECK(na != NULL && na->chid > 0 && na->mntid > 0 && na->dpp != NULL);
	LT_EQ(name_detach(na, 0x80), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(name_detach(na, 0), 0);
	return 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	return lt_run_all() ? 1 : 0;
}
