/*
 * clock_gettime, clock_settime and clock_getres, on ClockTime and
 * ClockPeriod.  Clock ids
 * are the same numbers on both sides of the seam.
 */
#include <errno.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/resource.h>
#include <sys/times.h>
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

/*
 * Only CLOCK_REALTIME can be set.  The kernel lets only the process
 * manager set it, and knows no uids: taskman sets it for root
 * (_SYS_CLOCK; EPERM for others).  Other clocks go to the kernel, which
 * says EINVAL, and so does everything in the first process (no taskman:
 * it is the process manager itself, or a test program started in its
 * place).
 */
long __px_clock_settime(clockid_t clk, const struct timespec *ts)
{
	struct _sys_clock m = { .type = _SYS_CLOCK, .subtype = _SYS_CLOCK_SET };
	uint64_t ns;

	if (ts->tv_sec < 0 || (unsigned long)ts->tv_nsec >= NSEC ||
	    (uint64_t)ts->tv_sec > (uint64_t)INT64_MAX / NSEC - 1)
		return -EINVAL;
	ns = (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
	if (clk != CLOCK_REALTIME || __px_sysmgr < 0)
		return ClockTime_r(clk, &ns, 0);
	m.ck_ns = (int64_t)ns;
	return __px_sysmgr_send(&m, sizeof(m), 0, 0);
}

/* A CPU-time clock as a timeval. */
static long cpu_timeval(clockid_t clk, struct timeval *tv)
{
	uint64_t ns;
	long r = ClockTime_r(clk, 0, &ns);

	if (r < 0)
		return r;
	tv->tv_sec = (time_t)(ns / NSEC);
	tv->tv_usec = (suseconds_t)(ns % NSEC / 1000);
	return 0;
}

/* The CPU time of the caller's waited-for children (taskman), in ms. */
static long children_ms(uint64_t *ms)
{
	struct _msg_hdr m = { _PROC_TIMES, 0 };
	struct _proc_times_reply r;
	long st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r));

	if (st < 0)
		return st;
	*ms = r.tr_children_ms;
	return 0;
}

/*
 * SYS_getrusage: CPU times only.  Skimmer does not split user from
 * system time, so all of it is ru_utime; the other fields are 0.
 */
long __px_getrusage(int who, struct rusage *ru)
{
	uint64_t ms;
	long r;

	memset(ru, 0, sizeof(*ru));
	switch (who) {
	case RUSAGE_SELF:
		return cpu_timeval(CLOCK_PROCESS_CPUTIME_ID, &ru->ru_utime);
	case RUSAGE_THREAD:
		return cpu_timeval(CLOCK_THREAD_CPUTIME_ID, &ru->ru_utime);
	case RUSAGE_CHILDREN:
		if ((r = children_ms(&ms)) < 0)
			return r;
		ru->ru_utime.tv_sec = (time_t)(ms / 1000);
		ru->ru_utime.tv_usec = (suseconds_t)(ms % 1000 * 1000);
		return 0;
	default:
		return -EINVAL;
	}
}

/* SYS_times: in musl's clock ticks (100 a second); the result is uptime. */
long __px_times(struct tms *t)
{
	const uint64_t tick_ns = NSEC / 100;
	uint64_t self, now, ms;
	long r;

	if ((r = ClockTime_r(CLOCK_MONOTONIC, 0, &now)) < 0)
		return r;
	if (t) {
		if ((r = ClockTime_r(CLOCK_PROCESS_CPUTIME_ID, 0, &self)) < 0 ||
		    (r = children_ms(&ms)) < 0)
			return r;
		*t = (struct tms){ .tms_utime = (clock_t)(self / tick_ns),
		    .tms_cutime = (clock_t)(ms / 10) };
	}
	return (long)(now / tick_ns);
}
