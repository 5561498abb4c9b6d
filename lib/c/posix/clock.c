/*
 * clock_gettime, clock_settime and clock_getres, on ClockTime and
 * ClockPeriod.  Clock ids
 * are the same numbers on both sides of the seam.
 */
#include <errno.h>
#include <sys/neutrino.h>
#include "px.h"

#define NSEC	1000000000ULL

/* SYS_clock_gettime: *ts = the clock's time; EINVAL for an unknown clock. */
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

/* SYS_clock_getres: the clock's timer resolution (the timebase tick). */
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

/* Only CLOCK_REALTIME can be set, and only with the ability (EPERM). */
long __px_clock_settime(clockid_t clk, const struct timespec *ts)
{
	uint64_t ns;

	if (ts->tv_sec < 0 || (unsigned long)ts->tv_nsec >= NSEC)
		return -EINVAL;
	ns = (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
	return ClockTime_r(clk, &ns, 0);
}
