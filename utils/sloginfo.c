/*
 * utils/sloginfo.c - `sloginfo`: print the system log that taskman keeps
 * (_SYS_SLOG, sys/procmsg.h), as QNX's sloginfo prints slogger's: one line
 * per entry,
 *
 *	Nov 26 23:17:30.123 5 taskman 1 text...
 *
 * the time (UTC), the severity (0..7, sys/slog.h), the origin's program
 * name and pid, and the text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "usage.h"

QSOE_USAGE("usage: sloginfo [-w] [-c] [-s severity]\n"
    "Print the system log: time, severity (0 shutdown .. 7 debug2), program, pid, text.\n"
    "  -w           after the log, wait for new entries and print them as they come\n"
    "  -c           clear the log after printing it (root only)\n"
    "  -s severity  print only entries of this severity or a more urgent one (0..7)\n");

static uint64_t buf[(_SLOG_READ_MIN + 8192) / 8];

static void
print_entry(const struct _slog_entry *e)
{
	time_t t = (time_t)(e->se_time / 1000000000ULL);
	struct tm tm;
	char when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%b %d %H:%M:%S", &tm);
	printf("%s.%03u %u %s %d %.*s\n", when, (unsigned)(e->se_time / 1000000 % 1000),
	    e->se_severity, e->se_name, e->se_pid, (int)e->se_len, (const char *)(e + 1));
}

/* Print the entries from *seq on (one request); 0, or -errno. */
static int
print_from(uint64_t *seq, int wait, int maxsev)
{
	struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = wait ? _SLOG_READ_WAIT : _SLOG_READ,
	    .sr_seq = *seq };
	const struct _sys_slog_read_reply *r = (const void *)buf;
	long st = MsgSend_r(SYSMGR_COID, &q, sizeof(q), buf, sizeof(buf));
	size_t off = sizeof(*r);

	if (st < 0)
		return (int)st;
	if (*seq != 0 && r->rr_first > *seq)
		printf("sloginfo: %llu entries lost\n", (unsigned long long)(r->rr_first - *seq));
	for (uint32_t i = 0; i < r->rr_count; i++) {
		const struct _slog_entry *e = (const void *)((const char *)buf + off);

		if (e->se_severity <= maxsev)
			print_entry(e);
		*seq = e->se_seq + 1;
		off += e->se_size;
	}
	if (r->rr_count == 0 && *seq < r->rr_next && !wait)
		*seq = r->rr_next;
	return (int)r->rr_count;
}

int
main(int argc, char **argv)
{
	int c, wait = 0, clear = 0, maxsev = 7, n;
	uint64_t seq = 0;
	char *end;

	while ((c = getopt(argc, argv, "wcs:")) != -1) {
		switch (c) {
		case 'w': wait = 1; break;
		case 'c': clear = 1; break;
		case 's':
			maxsev = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || maxsev < 0 || maxsev > 7)
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (optind != argc || (wait && clear))
		goto usage;
	while ((n = print_from(&seq, 0, maxsev)) > 0)
		;
	fflush(stdout);
	if (n < 0) {
		fprintf(stderr, "sloginfo: cannot read the log: %s\n", strerror(-n));
		return 1;
	}
	if (clear) {
		struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = _SLOG_CLEAR };
		long st = MsgSend_r(SYSMGR_COID, &q, sizeof(q), NULL, 0);

		if (st < 0) {
			fprintf(stderr, "sloginfo: cannot clear the log: %s\n", strerror((int)-st));
			return 1;
		}
	}
	while (wait) {
		if ((n = print_from(&seq, 1, maxsev)) < 0 && n != -EINTR) {
			fprintf(stderr, "sloginfo: cannot read the log: %s\n", strerror(-n));
			return 1;
		}
		fflush(stdout);
	}
	return 0;
usage:
	usage_short();
	return 2;
}
