/*
 * utils/slay.c - `slay [-s signal] [-q] name...`: send a signal (SIGTERM
 * by default) to every process running a program of that name, as QNX's
 * slay does.  Exit status 0 if each name matched at least one process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "usage.h"

QSOE_USAGE("usage: slay [-s signal] [-q] name...\n"
    "Signal every process running a program of each name.\n"
    "  -s signal  a name (TERM, SIGKILL) or a number; TERM by default\n"
    "  -q         quiet: say nothing when a name matches no process\n");

static const struct { const char *name; int sig; } signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "STOP", SIGSTOP },
	{ "CONT", SIGCONT }, { "TSTP", SIGTSTP }, { "ALRM", SIGALRM }, { "PIPE", SIGPIPE },
};

static int
parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return n > 0 && n < _NSIG ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (strcmp(s, signames[i].name) == 0)
			return signames[i].sig;
	return -1;
}

int
main(int argc, char **argv)
{
	struct _proc_pidinfo q = { .type = _PROC_PIDINFO };
	struct _proc_pidinfo_reply r;
	int sig = SIGTERM, quiet = 0, i, bad = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			if ((sig = parse_signal(argv[++i])) < 0) {
				fprintf(stderr, "slay: unknown signal %s\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "-q") == 0) {
			quiet = 1;
		} else {
			break;
		}
	}
	if (i == argc) {
		usage_short();
		return 2;
	}
	for (; i < argc; i++) {
		int hits = 0;

		for (q.pi_pid = 1; MsgSend_r(SYSMGR_COID, &q, sizeof(q), &r, sizeof(r)) == 0;
		    q.pi_pid = r.pr_pid + 1) {
			if ((r.pr_flags & _PIDINFO_ZOMBIE) || strcmp(r.pr_name, argv[i]) != 0 ||
			    r.pr_pid == getpid())
				continue;
			if (kill(r.pr_pid, sig) < 0) {
				fprintf(stderr, "slay: %s (pid %d): %s\n", argv[i], r.pr_pid,
				    strerror(errno));
				bad = 1;
			}
			hits++;
		}
		if (hits == 0) {
			if (!quiet)
				fprintf(stderr, "slay: unable to find process(es) %s\n", argv[i]);
			bad = 1;
		}
	}
	return bad;
}
