/*
 * utils/stress.c - `stress [seconds [seed]]`: run the kernel's embedded
 * stress test now, with the system in use (the SysStress kernel call,
 * docs/kernel-calls.md), and wait for it.  The kernel prints the per-CPU
 * summary and PASS on the console; a violated invariant panics the
 * kernel with its report, by design.  Exit status 0 on PASS, 1 if the run
 * could not start (EPERM: the program needs the I/O or process-manager
 * ability; EBUSY: a run is going on; EINVAL: bad arguments).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include "usage.h"

QSOE_USAGE("usage: stress [seconds [seed]]\n"
    "Run the kernel's embedded stress test now (10 s by default) and wait for it.\n");

static void
say(const char *s)
{
	DebugWrite(s, strlen(s));	/* no console driver yet: the kernel's console */
}

int
main(int argc, char **argv)
{
	unsigned long secs = argc > 1 ? strtoul(argv[1], NULL, 0) : 10;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;

	if (argc > 3 || secs == 0) {
		say("usage: stress [seconds [seed]]\n");
		(void)usage_short;
		return 2;
	}
	if (SysStress((unsigned)secs, seed) != 0) {
		say(errno == EPERM ? "stress: not allowed (needs the I/O ability)\n" :
		    errno == EBUSY ? "stress: a run is going on already\n" :
		    errno == ENOSYS ? "stress: the kernel has no stress test\n" :
		    "stress: cannot start\n");
		return 1;
	}
	return 0;
}
