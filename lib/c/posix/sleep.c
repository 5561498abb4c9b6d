/*
 * nanosleep and clock_nanosleep, on TimerTimeout(_NTO_TIMEOUT_NANOSLEEP),
 * which sleeps in the call itself and reports the wake-up as ETIMEDOUT.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/neutrino.h>
#include "px.h"
#include "qsoe_kernel.h"

#define NSEC	1000000000ULL

static uint64_t to_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec > UINT64_MAX / NSEC - 1)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
}

/*
 * SYS_clock_nanosleep: sleep until req (TIMER_ABSTIME) or for req; 0 when
 * the time has come, -EINTR (rest in *rem) or -EINVAL.  May block.
 */
long __px_clock_nanosleep(volatile int *cancel, clockid_t clk, int flags,
    const struct timespec *req, struct timespec *rem)
{
	uint64_t ns, start = 0, now = 0;
	long r;

	if (req->tv_sec < 0 || (unsigned long)req->tv_nsec >= NSEC)
		return -EINVAL;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	ns = to_ns(req);
	if (rem && !(flags & TIMER_ABSTIME) && (r = ClockTime_r(clk, 0, &start)) < 0)
		return r;
	r = __qsoe_TimerTimeout_cp(cancel, clk,
	    _NTO_TIMEOUT_NANOSLEEP | (flags & TIMER_ABSTIME), &ns);
	if (r == -ETIMEDOUT)
		return 0;
	/* Interrupted: the kernel does not report the rest yet, so compute it. */
	if (r == -EINTR && rem && !(flags & TIMER_ABSTIME) && ClockTime_r(clk, 0, &now) == 0) {
		uint64_t left = now - start >= ns ? 0 : ns - (now - start);

		rem->tv_sec = (time_t)(left / NSEC);
		rem->tv_nsec = (long)(left % NSEC);
	}
	return r < 0 ? r : 0;
}

/* SYS_nanosleep: clock_nanosleep on CLOCK_REALTIME, relative. */
long __px_nanosleep(volatile int *cancel, const struct timespec *req, struct timespec *rem)
{
	return __px_clock_nanosleep(cancel, CLOCK_REALTIME, 0, req, rem);
}
