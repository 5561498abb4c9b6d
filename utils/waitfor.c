/*
 * utils/waitfor.c - `waitfor path [seconds]`: wait until path exists (a
 * server attached it, or a file appeared), polling every 50 ms, for at
 * most `seconds` (5 by default), as QNX's waitfor does.  Exit status 0
 * when it is there, 1 after the time-out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/stat.h>
#include "usage.h"

QSOE_USAGE("usage: waitfor path [seconds]\n"
    "Wait until path exists, polling every 50 ms, for at most seconds (5).\n");

int
main(int argc, char **argv)
{
	struct timespec step = { 0, 50000000 };
	struct stat st;
	double secs = 5;
	char *end;

	if (argc < 2 || argc > 3 || (argc == 3 && ((secs = strtod(argv[2], &end)) < 0 || *end)))
		goto usage;
	for (long n = (long)(secs * 20); ; n--) {
		if (stat(argv[1], &st) == 0)
			return 0;
		if (n <= 0)
			break;
		nanosleep(&step, NULL);
	}
	fprintf(stderr, "waitfor: %s: not there after %g s\n", argv[1], secs);
	return 1;
usage:
	usage_short();
	return 2;
}
