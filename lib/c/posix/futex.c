/*
 * Linux's futex(2), as much of it as musl uses, on Skimmer's FutexWait and
 * FutexWake (keyed by physical address, so shared and private futexes are
 * the same).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/neutrino.h>
#include "futex.h"
#include "px.h"
#include "qsoe_kernel.h"

#define NSEC	1000000000ULL

/* FUTEX_WAIT: sleep while *addr == val, at most ts (relative) if given. */
static long futex_wait(volatile int *cancel, volatile int *addr, int val,
    const struct timespec *ts)
{
	uint64_t ns;

	if (ts) {
		if (ts->tv_sec < 0 || (unsigned long)ts->tv_nsec >= NSEC)
			return -EINVAL;
		ns = (uint64_t)ts->tv_sec > UINT64_MAX / NSEC - 1 ? UINT64_MAX :
		    (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
		/* Armed right before the wait: nothing may come between. */
		long r = TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_MUTEX, 0, &ns, 0);
		if (r < 0)
			return r;
	}
	return __qsoe_FutexWait_cp(cancel, addr, val);
}

/*
 * musl's futex calls: WAIT (a cancellation point when cancel is not
 * NULL), WAKE and REQUEUE; others are ENOSYS.
 */
long __px_futex(volatile int *cancel, volatile int *addr, int op, int val,
    const struct timespec *ts, volatile int *addr2, int val3)
{
	switch (op & ~FUTEX_PRIVATE) {
	case FUTEX_WAIT:
		return futex_wait(cancel, addr, val, ts);
	case FUTEX_WAKE:
		return FutexWake_r(addr, val < 0 ? INT_MAX : val);
	case FUTEX_REQUEUE: {
		/*
		 * No requeue in the kernel: wake the waiters instead of moving
		 * them (val woken + (long)ts moved).  A woken waiter re-checks
		 * and waits on the second word itself, so this is correct,
		 * only less frugal.
		 */
		long n = (long)val + (long)(intptr_t)ts;

		return FutexWake_r(addr, n > INT_MAX || n < 0 ? INT_MAX : (int)n);
	}
	default:
		return -ENOSYS;
	}
}
