/*
 * clock_gettime and clock_getres, on ClockTime and ClockPeriod.  Clock ids
 * are the same numbers on both sides of the seam.
 */
#include <sys/neutrino.h>
#include "px.h"

#define NSEC	1000000000ULL

long __px_clock_gettime(clockid_t clk, struct timespec *ts)
{
	uint64_t ns;
	long r = ClockTime_r(clk, 0, &ns);

	if (r < 0)
		return r;
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
	return 0;
}

long __px_clock_getres(clockid_t clk, struct timespec *ts)
{
	struct _clockperiod cp;
	long r = ClockPeriod_r(clk, 0, &cp, 0);

	if (r < 0)
		return r;
	if (ts) {
		ts->tv_sec = 0;
		ts->tv_nsec = cp.nsec;
	}
	return 0;
}
