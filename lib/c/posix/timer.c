/*
 * POSIX timers (timer_create and friends) and setitimer(ITIMER_REAL), on
 * TimerCreate/TimerSettime/TimerDestroy.
 *
 * musl hands timer_create Linux's kernel sigevent (Linux's SIGEV_*
 * numbers, below), which becomes a struct __abi_sigevent in QNX's
 * layout (abi/sigevent.h).  The kernel has no TimerInfo yet, so this
 * layer keeps a record of each timer's setting (its next expiry on
 * CLOCK_MONOTONIC and its interval) and answers timer_gettime and
 * getitimer from it.  Periodic kernel timers expire at next + k *
 * interval exactly, so the answer is exact to the clock's resolution.
 * timer_getoverrun asks the kernel (TimerInfo, as QNX's libc does): the
 * expiries that came while the timer's signal was still pending, counted
 * since the last call.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/time.h>
#include "lock.h"
#include "px.h"

#define NSEC		1000000000ULL
#define MAX_TIMERS	32	/* the kernel's ids are 0..31 (PROC_MAX_TIMERS) */

/* Linux's kernel struct sigevent, as musl's timer_create passes it. */
struct ksigevent {
	union sigval	sigev_value;
	int		sigev_signo;
	int		sigev_notify;
	int		sigev_tid;
};
#define L_SIGEV_SIGNAL		0
#define L_SIGEV_NONE		1
#define L_SIGEV_THREAD_ID	4

struct ptimer {
	int		pt_used;
	clockid_t	pt_clock;
	uint64_t	pt_next;	/* CLOCK_MONOTONIC ns of the next expiry; 0: disarmed */
	uint64_t	pt_interval;	/* ns; 0: one shot */
};

static volatile int lock[1];
static struct ptimer timers[MAX_TIMERS];
static int itimer_id = -1;		/* ITIMER_REAL's timer, made on first use */

static uint64_t mono_now(void)
{
	uint64_t t = 0;

	ClockTime_r(CLOCK_MONOTONIC, 0, &t);
	return t;
}

static int ts_ok(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && (unsigned long)ts->tv_nsec < NSEC;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec > UINT64_MAX / NSEC - 1)
		return UINT64_MAX / 2;
	return (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
}

static void ns_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
}

/* Time left until pt's next expiry, now included in the schedule (lock held). */
static uint64_t left_ns(const struct ptimer *pt, uint64_t now)
{
	if (pt->pt_next == 0)
		return 0;
	if (pt->pt_next > now)
		return pt->pt_next - now;
	if (pt->pt_interval == 0)
		return 0;
	return pt->pt_interval - (now - pt->pt_next) % pt->pt_interval;
}

/* Make a kernel timer for ev (NULL: SIGALRM) and its record: the id or -errno. */
static long timer_new(clockid_t clk, const struct __abi_sigevent *ev)
{
	long id = TimerCreate_r(clk, ev);

	if (id < 0)
		return id;
	if (id >= MAX_TIMERS) {		/* no room for its record */
		TimerDestroy_r((int)id);
		return -EAGAIN;
	}
	LOCK(lock);
	timers[id] = (struct ptimer){ 1, clk, 0, 0 };
	UNLOCK(lock);
	return id;
}

/* SYS_timer_create: SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID (the caller). */
long __px_timer_create(clockid_t clk, const struct ksigevent *ksev, int *res)
{
	struct __abi_sigevent ev;
	long id;

	memset(&ev, 0, sizeof(ev));
	if (ksev) {
		int signo = ksev->sigev_signo;

		switch (ksev->sigev_notify) {
		case L_SIGEV_NONE:
			__ABI_SIGEV_NONE_INIT(&ev);
			break;
		case L_SIGEV_THREAD_ID:
			/* The kernel signals only the creating thread. */
			if (ksev->sigev_tid != __px_gettid())
				return -ENOSYS;
			/* fall through */
		case L_SIGEV_SIGNAL:
			if (signo < 1 || signo > 64)
				return -EINVAL;
			__ABI_SIGEV_SIG(&ev, ksev->sigev_notify == L_SIGEV_SIGNAL ?
			    __ABI_SIGEV_SIGNAL_CODE : __ABI_SIGEV_SIGNAL_THREAD,
			    signo, ksev->sigev_value.sival_ptr, __ABI_SI_TIMER);
			break;
		default:
			return -EINVAL;
		}
	}
	id = timer_new(clk, ksev ? &ev : 0);
	if (id < 0)
		return id;
	*res = (int)id;
	return 0;
}

/* Arm (value != 0) or disarm timer id; the old setting into *oval.  Lock held. */
static long arm(int id, int flags, uint64_t value, uint64_t interval,
    uint64_t *oval, uint64_t *oint)
{
	struct ptimer *pt = &timers[id];
	struct _itimer it = { value, interval }, old;
	uint64_t now = mono_now(), next = 0;
	long r;

	if (value && (flags & TIMER_ABSTIME)) {
		if (pt->pt_clock == CLOCK_REALTIME) {	/* the kernel counts absolute times on MONOTONIC */
			uint64_t rt = 0;

			ClockTime_r(CLOCK_REALTIME, 0, &rt);
			value = value > rt ? now + (value - rt) : now;
		}
		next = it.nsec = value > 0 ? value : 1;
	} else if (value) {
		next = now + value;
	}
	r = TimerSettime_r(id, flags, &it, &old);
	if (r < 0)
		return r;
	pt->pt_next = next;
	pt->pt_interval = value ? interval : 0;
	*oval = old.nsec;
	*oint = old.interval_nsec;
	return 0;
}

static int known(int id)
{
	return id >= 0 && id < MAX_TIMERS && timers[id].pt_used;
}

/* SYS_timer_settime: val (relative, or absolute with TIMER_ABSTIME); the old one into old. */
long __px_timer_settime(int id, int flags, const struct itimerspec *val, struct itimerspec *old)
{
	uint64_t ov, oi;
	long r;

	if (!ts_ok(&val->it_value) || !ts_ok(&val->it_interval) || (flags & ~TIMER_ABSTIME))
		return -EINVAL;
	LOCK(lock);
	r = known(id) ? arm(id, flags, ts_ns(&val->it_value), ts_ns(&val->it_interval), &ov, &oi)
	    : -EINVAL;
	UNLOCK(lock);
	if (r == 0 && old) {
		ns_ts(ov, &old->it_value);
		ns_ts(oi, &old->it_interval);
	}
	return r;
}

/* SYS_timer_gettime: from the record. */
long __px_timer_gettime(int id, struct itimerspec *val)
{
	uint64_t left = 0, iv = 0, now = mono_now();
	long r = -EINVAL;

	LOCK(lock);
	if (known(id)) {
		left = left_ns(&timers[id], now);
		iv = timers[id].pt_interval;
		r = 0;
	}
	UNLOCK(lock);
	if (r == 0) {
		ns_ts(left, &val->it_value);
		ns_ts(iv, &val->it_interval);
	}
	return r;
}

/* SYS_timer_getoverrun: TimerInfo's count, reset as it is read; at most DELAYTIMER_MAX. */
long __px_timer_getoverrun(int id)
{
	struct _timer_info ti;
	long r;

	LOCK(lock);
	r = known(id) ? 0 : -EINVAL;
	UNLOCK(lock);
	if (r == 0)
		r = TimerInfo_r(0, id, _NTO_TIMER_RESET_OVERRUNS, &ti);
	if (r < 0)
		return r == -ESRCH ? -EINVAL : r;
	return ti.overruns > DELAYTIMER_MAX ? DELAYTIMER_MAX : (long)ti.overruns;
}

/* SYS_timer_delete. */
long __px_timer_delete(int id)
{
	long r;

	LOCK(lock);
	r = known(id) ? TimerDestroy_r(id) : -EINVAL;
	if (r == 0)
		timers[id].pt_used = 0;
	UNLOCK(lock);
	return r;
}

static int tv_ok(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && (unsigned long)tv->tv_usec < 1000000;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	if ((uint64_t)tv->tv_sec > UINT64_MAX / NSEC - 1)
		return UINT64_MAX / 2;
	return (uint64_t)tv->tv_sec * NSEC + (uint64_t)tv->tv_usec * 1000;
}

/* Rounded up, so that an armed timer never reads as 0. */
static void ns_tv(uint64_t ns, struct timeval *tv)
{
	uint64_t us = (ns + 999) / 1000;

	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}

static long which_ok(int which)
{
	return which == ITIMER_REAL ? 0 : -EINVAL;
}

/*
 * ITIMER_VIRTUAL (the process's user CPU time, SIGVTALRM) and ITIMER_PROF
 * (user and system, SIGPROF) are the kernel's: TimerItimer.
 */
static long cpu_itimer(int which, const struct itimerval *val, struct itimerval *old)
{
	struct _itimer it, ot;
	long r;

	if (val) {
		if (!tv_ok(&val->it_value) || !tv_ok(&val->it_interval))
			return -EINVAL;
		it = (struct _itimer){ tv_ns(&val->it_value), tv_ns(&val->it_interval) };
	}
	r = TimerItimer_r(which, val ? &it : 0, old ? &ot : 0);
	if (r == 0 && old) {
		ns_tv(ot.nsec, &old->it_value);
		ns_tv(ot.interval_nsec, &old->it_interval);
	}
	return r;
}

/*
 * SYS_setitimer(ITIMER_REAL): one timer per process on CLOCK_MONOTONIC
 * whose expiry sends SIGALRM to the process (alarm() uses it too).
 */
long __px_setitimer(int which, const struct itimerval *val, struct itimerval *old)
{
	uint64_t ov = 0, oi = 0;
	long r = which_ok(which);

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
		return cpu_itimer(which, val, old);
	if (r < 0)
		return r;
	if (!tv_ok(&val->it_value) || !tv_ok(&val->it_interval))
		return -EINVAL;
	LOCK(lock);
	if (itimer_id < 0) {
		UNLOCK(lock);
		r = timer_new(CLOCK_MONOTONIC, 0);
		LOCK(lock);
		if (r >= 0 && itimer_id >= 0) {		/* another thread was first */
			timers[r].pt_used = 0;
			TimerDestroy_r((int)r);
		} else if (r >= 0) {
			itimer_id = (int)r;
		}
	}
	if (itimer_id >= 0)
		r = arm(itimer_id, 0, tv_ns(&val->it_value), tv_ns(&val->it_interval), &ov, &oi);
	UNLOCK(lock);
	if (r == 0 && old) {
		ns_tv(ov, &old->it_value);
		ns_tv(oi, &old->it_interval);
	}
	return r < 0 ? r : 0;
}

/* SYS_getitimer(ITIMER_REAL): from the record. */
long __px_getitimer(int which, struct itimerval *val)
{
	uint64_t left = 0, iv = 0, now = mono_now();
	long r = which_ok(which);

	if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
		return cpu_itimer(which, 0, val);
	if (r < 0)
		return r;
	LOCK(lock);
	if (itimer_id >= 0) {
		left = left_ns(&timers[itimer_id], now);
		iv = timers[itimer_id].pt_interval;
	}
	UNLOCK(lock);
	ns_tv(left, &val->it_value);
	ns_tv(iv, &val->it_interval);
	return 0;
}

/* In a fork child: the kernel copied no timers, so forget every record. */
void __px_timers_forget(void)
{
	memset(timers, 0, sizeof(timers));
	itimer_id = -1;
	lock[0] = 0;
}
