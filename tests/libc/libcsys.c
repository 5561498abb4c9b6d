/*
 * tests/libc/libcsys.c - taskman's system services through libc
 * (docs/libc.md, docs/taskman.md "System services"): the system log
 * (slogf, vslogf, syslog, and the raw _SYS_SLOG messages with their error
 * paths: malformed writes, small reply buffers, a waiting reader woken by
 * a new entry or ended by a time-out, clearing as root only), taskman's
 * own notes in the log, the host name (sethostname/gethostname/uname,
 * EPERM as uid 1000, EINVAL, ENAMETOOLONG) and the time of day (the RTC's
 * time at boot, clock_settime/settimeofday round trips as root, EPERM as
 * uid 1000, EINVAL).  Runs under taskman (libcsys.script).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/procmsg.h>
#include <sys/slog.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "ltest.h"

#define Y2024	1704067200LL	/* 2024-01-01T00:00:00Z */

static uint64_t rbuf[(_SLOG_READ_MIN + 16384) / 8];

/* Raw _SYS_SLOG read from seq; the status (bytes in rbuf) or -errno. */
static long
slog_read_raw(int subtype, uint64_t seq, size_t room)
{
	struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = (uint16_t)subtype, .sr_seq = seq };

	return MsgSend_r(SYSMGR_COID, &q, sizeof(q), rbuf, room);
}

/*
 * The newest entry from pid whose text contains s (searching the whole
 * log), or NULL.  Points into rbuf.
 */
static const struct _slog_entry *
find_entry(int pid, const char *s)
{
	static char text[_SLOG_TEXT_MAX + 1];
	const struct _slog_entry *found = NULL;
	uint64_t seq = 0;

	for (;;) {
		const struct _sys_slog_read_reply *r = (const void *)rbuf;
		size_t off = sizeof(*r);

		if (slog_read_raw(_SLOG_READ, seq, sizeof(rbuf)) < 0 || r->rr_count == 0)
			return found;
		for (uint32_t i = 0; i < r->rr_count; i++, off += ((const struct _slog_entry *)
		    ((const char *)rbuf + off))->se_size) {
			const struct _slog_entry *e = (const void *)((const char *)rbuf + off);

			memcpy(text, e + 1, e->se_len);
			text[e->se_len] = '\0';
			seq = e->se_seq + 1;
			if ((pid < 0 || e->se_pid == pid) && strstr(text, s) != NULL) {
				static struct _slog_entry copy;

				copy = *e;
				found = &copy;
			}
		}
	}
}

/* Run fn in a child with uid and euid 1000; its exit status (0: fn returned 0). */
static int
as_user(int (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(setuid(1000) != 0 ? 99 : fn());
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

LTEST(slog, slogf_and_read_back)
{
	const struct _slog_entry *e;
	struct timespec now;

	LT_EQ(slogf(_SLOG_SETCODE(_SLOGC_TEST, 1), _SLOG_WARNING, "hello %d from %s\n", 42, "slogf"),
	    (long)strlen("hello 42 from slogf"));
	e = find_entry(getpid(), "hello 42 from slogf");
	LT_CHECK(e != NULL);
	LT_EQ(e->se_severity, _SLOG_WARNING);
	LT_EQ(e->se_opcode, _SLOG_SETCODE(_SLOGC_TEST, 1));
	LT_EQ(e->se_len, strlen("hello 42 from slogf"));	/* the newline dropped */
	LT_CHECK(strcmp(e->se_name, "libcsys") == 0);
	LT_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
	LT_CHECK(e->se_time / 1000000000ULL <= (uint64_t)now.tv_sec);
	LT_CHECK(e->se_time / 1000000000ULL + 60 >= (uint64_t)now.tv_sec);
	/* Errors: a bad severity; a long text is cut. */
	errno = 0;
	LT_EQ(slogf(0, 8, "x"), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(slogf(0, -1, "x"), -1);
	LT_EQ(errno, EINVAL);
	{
		char big[400];

		memset(big, 'b', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "longone", 7);
		LT_EQ(slogf(0, _SLOG_DEBUG2, "%s", big), _SLOG_TEXT_MAX);
		e = find_entry(getpid(), "longone");
		LT_CHECK(e != NULL);
		LT_EQ(e->se_len, _SLOG_TEXT_MAX);
	}
	return 0;
}

static int
vlog(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vslogf(7, _SLOG_INFO, fmt, ap);
	va_end(ap);
	return r;
}

LTEST(slog, vslogf_and_syslog)
{
	const struct _slog_entry *e;
	char want[64];

	LT_EQ(vlog("via %s", "vslogf"), 10);
	LT_CHECK((e = find_entry(getpid(), "via vslogf")) != NULL);
	LT_EQ(e->se_opcode, 7);
	LT_EQ(e->se_severity, _SLOG_INFO);
	openlog("sysid", LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "syslog says %d", 7);
	snprintf(want, sizeof(want), "sysid[%d]: syslog says 7", getpid());
	LT_CHECK((e = find_entry(getpid(), want)) != NULL);
	LT_EQ(e->se_severity, LOG_WARNING);
	LT_EQ(e->se_opcode, _SLOG_SETCODE(_SLOGC_SYSLOG, LOG_DAEMON >> 3));
	/* setlogmask: a masked priority is not logged. */
	setlogmask(LOG_UPTO(LOG_ERR));
	syslog(LOG_INFO, "masked-out");
	syslog(LOG_ERR, "let-through");
	setlogmask(0xff);
	LT_CHECK(find_entry(getpid(), "masked-out") == NULL);
	LT_CHECK((e = find_entry(getpid(), "let-through")) != NULL);
	LT_EQ(e->se_severity, LOG_ERR);
	closelog();
	syslog(LOG_USER | LOG_NOTICE, "no ident");
	LT_CHECK((e = find_entry(getpid(), "no ident")) != NULL);
	LT_EQ(e->se_len, strlen("no ident"));
	return 0;
}

/* taskman's notes (tm_log) are in the log too: setting the host name makes one. */
LTEST(slog, taskman_notes)
{
	const struct _slog_entry *e;

	LT_EQ(sethostname("qsoe", 4), 0);
	e = find_entry(1, "taskman: host name set to qsoe");
	LT_CHECK(e != NULL);
	LT_CHECK(strcmp(e->se_name, "taskman") == 0);
	LT_EQ(e->se_severity, _SLOG_INFO);
	return 0;
}

/* A _SLOG_WRITE of `len` bytes of text after h; the status. */
static long
slog_write_raw(struct _sys_slog h, const char *text, size_t len, size_t extra)
{
	struct {
		struct _sys_slog h;
		char t[600];
	} m;

	m.h = h;
	memcpy(m.t, text, len);
	return MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + len + extra, NULL, 0);
}

LTEST(slog, malformed)
{
	struct _sys_slog h = { .type = _SYS_SLOG, .subtype = _SLOG_WRITE, .sl_severity = 3, .sl_len = 3 };
	struct _sys_slog bad;
	char big[600];

	LT_EQ(slog_write_raw(h, "abc", 3, 0), 0);
	LT_EQ(slog_write_raw(h, "abc", 3, 1), -EINVAL);	/* longer than it says */
	LT_EQ(slog_write_raw(h, "abc", 2, 0), -EINVAL);	/* shorter */
	LT_EQ(MsgSend_r(SYSMGR_COID, &h, 8, NULL, 0), -EINVAL);	/* a cut header */
	LT_EQ(slog_write_raw(h, "a\0c", 3, 0), -EINVAL);	/* a NUL */
	bad = h, bad.sl_severity = 8;
	LT_EQ(slog_write_raw(bad, "abc", 3, 0), -EINVAL);
	bad = h, bad.sl_zero = 1;
	LT_EQ(slog_write_raw(bad, "abc", 3, 0), -EINVAL);
	bad = h, bad.sl_zero2 = 5;
	LT_EQ(slog_write_raw(bad, "abc", 3, 0), -EINVAL);
	bad = h, bad.subtype = 99;
	LT_EQ(slog_write_raw(bad, "abc", 3, 0), -EINVAL);
	memset(big, 'z', sizeof(big));
	bad = h, bad.sl_len = _SLOG_TEXT_MAX + 1;
	LT_EQ(slog_write_raw(bad, big, _SLOG_TEXT_MAX + 1, 0), -EINVAL);
	bad = h, bad.sl_len = sizeof(big);
	LT_EQ(slog_write_raw(bad, big, sizeof(big), 0), -EINVAL);
	/* Reads: a reply buffer without room for the largest record; bad fields. */
	LT_EQ(slog_read_raw(_SLOG_READ, 0, _SLOG_READ_MIN - 1), -EINVAL);
	LT_CHECK(slog_read_raw(_SLOG_READ, 0, _SLOG_READ_MIN) >= 24);
	{
		struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = _SLOG_READ, .sr_zero = 1 };

		LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), rbuf, sizeof(rbuf)), -EINVAL);
		q.sr_zero = 0;
		LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q) - 1, rbuf, sizeof(rbuf)), -EINVAL);
		LT_EQ(MsgSend_r(SYSMGR_COID, &q, 4, rbuf, sizeof(rbuf)), -EINVAL);
		q.subtype = _SLOG_CLEAR, q.sr_seq = 1;
		LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), NULL, 0), -EINVAL);
	}
	/* taskman is still there and logging. */
	LT_CHECK(slogf(0, 5, "after-malformed") > 0);
	LT_CHECK(find_entry(getpid(), "after-malformed") != NULL);
	return 0;
}

LTEST(slog, reader_waits)
{
	const struct _sys_slog_read_reply *r = (const void *)rbuf;
	const struct _slog_entry *e = (const void *)(r + 1);
	uint64_t next, t = 100000000;	/* 100 ms */
	int st = -1;
	pid_t pid;

	LT_CHECK(slog_read_raw(_SLOG_READ, ~0ULL, sizeof(rbuf)) >= 0);
	next = r->rr_next;
	/* Nothing new: a time-out ends the wait with EINTR (the unblock). */
	LT_EQ(TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_REPLY, NULL, &t, NULL), 0);
	LT_EQ(slog_read_raw(_SLOG_READ_WAIT, next + 1000, sizeof(rbuf)), -EINTR);
	/* A child logs while we wait for it. */
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		_exit(slogf(0, 2, "woken-up") > 0 ? 0 : 1);
	}
	LT_CHECK(pid > 0);
	LT_CHECK(slog_read_raw(_SLOG_READ_WAIT, next, sizeof(rbuf)) > 24);
	LT_CHECK(r->rr_count >= 1);
	LT_EQ(e->se_seq, next);
	LT_EQ(e->se_pid, pid);
	LT_CHECK(memcmp(e + 1, "woken-up", 8) == 0);
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* An entry that is there already: no wait. */
	LT_CHECK(slog_read_raw(_SLOG_READ_WAIT, next, sizeof(rbuf)) > 24);
	return 0;
}

static int
clear_as_user(void)
{
	struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = _SLOG_CLEAR };

	return MsgSend_r(SYSMGR_COID, &q, sizeof(q), NULL, 0) == -EPERM ? 0 : 1;
}

LTEST(slog, clear)
{
	const struct _sys_slog_read_reply *r = (const void *)rbuf;
	struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = _SLOG_CLEAR };
	uint64_t next;

	LT_CHECK(slogf(0, 5, "before-clear") > 0);
	LT_EQ(as_user(clear_as_user), 0);
	LT_CHECK(find_entry(getpid(), "before-clear") != NULL);
	LT_EQ(MsgSend_r(SYSMGR_COID, &q, sizeof(q), NULL, 0), 0);
	LT_CHECK(find_entry(-1, "before-clear") == NULL);
	LT_CHECK(slog_read_raw(_SLOG_READ, 0, sizeof(rbuf)) == 24);
	LT_EQ(r->rr_first, r->rr_next);
	next = r->rr_next;
	LT_CHECK(slogf(0, 5, "after-clear") > 0);
	LT_CHECK(slog_read_raw(_SLOG_READ, 0, sizeof(rbuf)) > 24);
	LT_EQ(r->rr_count, 1);
	LT_EQ(r->rr_first, next);
	return 0;
}

/* ---------------------------------------------------------------------- */

static int
sethostname_as_user(void)
{
	return sethostname("x", 1) == -1 && errno == EPERM ? 0 : 1;
}

/* A raw _SYS_HOSTNAME SET of len bytes of name, hn_len = said; the status. */
static long
hostname_raw(const char *name, size_t len, uint32_t said)
{
	struct {
		struct _sys_hostname h;
		char n[128];
	} m = { .h = { .type = _SYS_HOSTNAME, .subtype = _SYS_HOSTNAME_SET, .hn_len = said } };

	memcpy(m.n, name, len);
	return MsgSend_r(SYSMGR_COID, &m, sizeof(m.h) + len, NULL, 0);
}

LTEST(host, hostname)
{
	char name[80], long65[66];
	struct utsname u;

	LT_EQ(gethostname(name, sizeof(name)), 0);
	LT_CHECK(strcmp(name, "qsoe") == 0);
	LT_EQ(sethostname("testbox", 7), 0);
	LT_EQ(gethostname(name, sizeof(name)), 0);
	LT_CHECK(strcmp(name, "testbox") == 0);
	LT_EQ(uname(&u), 0);
	LT_CHECK(strcmp(u.nodename, "testbox") == 0);
	LT_CHECK(find_entry(1, "host name set to testbox") != NULL);
	memset(long65, 'h', sizeof(long65));
	long65[65] = '\0';
	LT_EQ(sethostname(long65, 64), 0);		/* the longest */
	LT_EQ(uname(&u), 0);
	LT_EQ(strlen(u.nodename), 64);
	LT_EQ(sethostname(long65, 65), -1);
	LT_EQ(errno, ENAMETOOLONG);
	LT_EQ(sethostname("", 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(as_user(sethostname_as_user), 0);
	/* taskman's own checks. */
	LT_EQ(hostname_raw(long65, 65, 65), -ENAMETOOLONG);
	LT_EQ(hostname_raw("a\0b", 3, 3), -EINVAL);
	LT_EQ(hostname_raw("abc", 3, 4), -EINVAL);
	LT_EQ(hostname_raw("abc", 3, 2), -EINVAL);
	LT_EQ(hostname_raw("", 0, 0), -EINVAL);
	LT_EQ(sethostname("qsoe", 4), 0);
	LT_EQ(gethostname(name, sizeof(name)), 0);
	LT_CHECK(strcmp(name, "qsoe") == 0);
	return 0;
}

/* ---------------------------------------------------------------------- */

static int
settime_as_user(void)
{
	struct timespec ts;
	struct timeval tv = { 2000000000, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 1;
	if (clock_settime(CLOCK_REALTIME, &ts) != -1 || errno != EPERM)
		return 2;
	if (settimeofday(&tv, NULL) != -1 || errno != EPERM)
		return 3;
	return 0;
}

LTEST(time, realtime_from_rtc)
{
	struct timespec rt, mono;

	LT_EQ(clock_gettime(CLOCK_REALTIME, &rt), 0);
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &mono), 0);
	LT_CHECK(rt.tv_sec > Y2024);			/* the host's clock, through the RTC */
	LT_CHECK(rt.tv_sec > mono.tv_sec + Y2024);	/* not uptime */
	LT_CHECK(time(NULL) >= rt.tv_sec);
	return 0;
}

LTEST(time, set_as_root)
{
	struct timespec saved, mono0, mono1, ts, set = { 1893456000, 500000000 };	/* 2030-01-01 */
	struct timeval tv;
	struct _sys_clock c = { .type = _SYS_CLOCK, .subtype = _SYS_CLOCK_SET, .ck_ns = 1 };

	LT_EQ(clock_gettime(CLOCK_REALTIME, &saved), 0);
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &mono0), 0);
	LT_EQ(clock_settime(CLOCK_REALTIME, &set), 0);
	LT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	LT_CHECK(ts.tv_sec == set.tv_sec || ts.tv_sec == set.tv_sec + 1);
	tv = (struct timeval){ 1900000000, 0 };
	LT_EQ(settimeofday(&tv, NULL), 0);
	LT_EQ(gettimeofday(&tv, NULL), 0);
	LT_CHECK(tv.tv_sec == 1900000000 || tv.tv_sec == 1900000001);
	/* Errors: not root; bad values; clocks that cannot be set. */
	LT_EQ(as_user(settime_as_user), 0);
	ts = (struct timespec){ 1, 1000000000 };
	LT_EQ(clock_settime(CLOCK_REALTIME, &ts), -1);
	LT_EQ(errno, EINVAL);
	ts = (struct timespec){ -5, 0 };
	LT_EQ(clock_settime(CLOCK_REALTIME, &ts), -1);
	LT_EQ(errno, EINVAL);
	tv = (struct timeval){ 5, 1000000 };
	LT_EQ(settimeofday(&tv, NULL), -1);
	LT_EQ(errno, EINVAL);
	ts = (struct timespec){ 5, 0 };
	LT_EQ(clock_settime(CLOCK_MONOTONIC, &ts), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &ts), -1);
	LT_EQ(errno, EINVAL);
	c.ck_zero = 1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &c, sizeof(c), NULL, 0), -EINVAL);
	c.ck_zero = 0, c.ck_ns = -1;
	LT_EQ(MsgSend_r(SYSMGR_COID, &c, sizeof(c), NULL, 0), -EINVAL);
	c.ck_ns = 1, c.subtype = 2;
	LT_EQ(MsgSend_r(SYSMGR_COID, &c, sizeof(c), NULL, 0), -EINVAL);
	c.subtype = _SYS_CLOCK_SET;
	LT_EQ(MsgSend_r(SYSMGR_COID, &c, 8, NULL, 0), -EINVAL);
	LT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	LT_CHECK(ts.tv_sec >= 1900000000 && ts.tv_sec < 1900000100);	/* none of those set it */
	/* Put it back, with the time that went by. */
	LT_EQ(clock_gettime(CLOCK_MONOTONIC, &mono1), 0);
	saved.tv_sec += mono1.tv_sec - mono0.tv_sec;
	LT_EQ(clock_settime(CLOCK_REALTIME, &saved), 0);
	LT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
	LT_CHECK(ts.tv_sec > Y2024 && ts.tv_sec < 1893456000);
	return 0;
}

int
main(void)
{
	return lt_run_all() == 0 ? 0 : 1;
}
