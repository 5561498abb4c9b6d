/*
 * utils/on.c - `on [-p prio[r|f|o]] [-C cpu] command [args]`: run a
 * command at a priority and scheduling policy, and on a CPU, as QNX's
 * on(1) does locally.  on changes its own thread (SchedSet, ThreadCtl
 * _NTO_TCTL_RUNMASK) and then execs the command, whose thread it is.
 *
 * Skimmer's run mask is the lowest CPU of the mask: the thread moves
 * there and stays (a thread belongs to one CPU), so -C names one CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include "usage.h"

QSOE_USAGE("usage: on [-p priority[r|f|o]] [-C cpu] command [args...]\n"
    "Run command at a priority and policy, on a CPU.\n"
    "  -p priority[policy]  1..255; policy r (round robin), f (FIFO) or o (other);\n"
    "                       without one, the policy stays\n"
    "  -C cpu               run on this CPU (0 is the first)\n");

/* "10", "10r", "10f", "10o": 0, or -1 if malformed. */
static int
parse_prio(const char *s, int *prio, int *policy)
{
	char *end;
	long p = strtol(s, &end, 10);

	if (end == s || p < 1 || p > 255)
		return -1;
	*prio = (int)p;
	if (*end == '\0')
		*policy = SCHED_NOCHANGE;
	else if (strcmp(end, "r") == 0)
		*policy = SCHED_RR;
	else if (strcmp(end, "f") == 0)
		*policy = SCHED_FIFO;
	else if (strcmp(end, "o") == 0)
		*policy = SCHED_OTHER;
	else
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	int c, prio = -1, policy = SCHED_NOCHANGE, cpu = -1, r;
	char *end;

	while ((c = getopt(argc, argv, "+p:C:")) != -1) {
		switch (c) {
		case 'p':
			if (parse_prio(optarg, &prio, &policy) < 0)
				goto usage;
			break;
		case 'C':
			cpu = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end || cpu < 0 || cpu > 63)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (prio > 0) {
		struct __abi_sched_param sp = { .sched_priority = prio };

		if ((r = SchedSet_r(0, 0, policy, &sp)) < 0) {
			fprintf(stderr, "on: priority %d: %s\n", prio, strerror(-r));
			return 1;
		}
	}
	if (cpu >= 0 && (r = ThreadCtl_r(_NTO_TCTL_RUNMASK, (void *)(1UL << cpu))) < 0) {
		fprintf(stderr, "on: cpu %d: %s\n", cpu, strerror(-r));
		return 1;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "on: %s: %s\n", argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
usage:
	usage_short();
	return 2;
}
