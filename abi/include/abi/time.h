/*
 * abi/time.h - clocks, timers and kernel time-outs: clock ids,
 * struct _itimer, struct _clockperiod, struct _clockadjust,
 * struct _timer_info and the TimerTimeout() state masks.
 *
 * Times cross the boundary as uint64_t nanoseconds, as in QNX.
 */
#ifndef ABI_TIME_H
#define ABI_TIME_H

#include <abi/cdefs.h>
#include <abi/sigevent.h>
#include <abi/thread.h>

/*
 * Clock ids are musl's (Linux's) numbers, like everything at the seam, so
 * libc passes clock_gettime()'s id straight through.  QNX's differ
 * (REALTIME 0, SOFTTIME 1, MONOTONIC 2, PROCESS_CPUTIME_ID 3,
 * THREAD_CPUTIME_ID 4).  The values equal <time.h>'s, so either may come
 * first.
 */
#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME			0	/* wall clock; settable */
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC			1	/* since boot; never jumps */
#endif
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID	2	/* the caller's process's CPU time; read-only */
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID		3	/* the calling thread's CPU time; read-only */
#endif
#ifndef CLOCK_MONOTONIC_RAW
#define CLOCK_MONOTONIC_RAW		4	/* same as CLOCK_MONOTONIC */
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME			7	/* same as CLOCK_MONOTONIC (no suspend) */
#endif

/*
 * TimerSettime()/TimerTimeout() flag: the time is absolute.  musl's value
 * (QNX: 0x80000000).  In TimerTimeout()'s flags it shares bit 0 with
 * 1 << STATE_DEAD, which is never a blocking state, so the two cannot mix up.
 */
#ifndef TIMER_ABSTIME
#define TIMER_ABSTIME			1
#endif

/* TimerTimeout(): the blocking states the time-out applies to. */
#define _NTO_TIMEOUT_SEND		(1 << STATE_SEND)
#define _NTO_TIMEOUT_RECEIVE		(1 << STATE_RECEIVE)
#define _NTO_TIMEOUT_REPLY		(1 << STATE_REPLY)
#define _NTO_TIMEOUT_SIGSUSPEND		(1 << STATE_SIGSUSPEND)
#define _NTO_TIMEOUT_SIGWAITINFO	(1 << STATE_SIGWAITINFO)
#define _NTO_TIMEOUT_NANOSLEEP		(1 << STATE_NANOSLEEP)
#define _NTO_TIMEOUT_MUTEX		(1 << STATE_MUTEX)
#define _NTO_TIMEOUT_CONDVAR		(1 << STATE_CONDVAR)
#define _NTO_TIMEOUT_JOIN		(1 << STATE_JOIN)
#define _NTO_TIMEOUT_INTR		(1 << STATE_INTR)
#define _NTO_TIMEOUT_SEM		(1 << STATE_SEM)
#define _NTO_TIMEOUT_MASK		((1 << STATE_MAX) - 1)

/* TimerInfo() flags (QNX's values). */
#define _NTO_TIMER_RESET_OVERRUNS	0x00000002	/* clear the overrun count */

/* struct _timer_info.flags */
#define _NTO_TI_ACTIVE			0x0001	/* armed */
#define _NTO_TI_ABSOLUTE		0x0002	/* armed with TIMER_ABSTIME */
#define _NTO_TI_EXPIRED			0x0004	/* has fired */
#define _NTO_TI_TOD_BASED		0x0008	/* follows CLOCK_REALTIME changes */
#define _NTO_TI_TARGET_PROCESS		0x0010	/* its signal goes to the process */

#ifndef __ASSEMBLER__

/* A timer setting: first expiry, then the period (0: one-shot). */
struct _itimer {
	uint64_t	nsec;		/* first expiry; 0 disarms */
	uint64_t	interval_nsec;	/* period after that; 0: fire once */
};

__ABI_SIZE(struct _itimer, 16, 8);
__ABI_FIELD(struct _itimer, nsec, 0, 8);
__ABI_FIELD(struct _itimer, interval_nsec, 8, 8);

/* ClockPeriod(): the clock's tick, nsec plus fract femtoseconds. */
struct _clockperiod {
	uint32_t	nsec;
	int32_t		fract;		/* QNX: always 0 in practice */
};

__ABI_SIZE(struct _clockperiod, 8, 4);
__ABI_FIELD(struct _clockperiod, nsec, 0, 4);
__ABI_FIELD(struct _clockperiod, fract, 4, 4);

/* ClockAdjust(): slew the clock by tick_nsec_inc per tick for tick_count ticks. */
struct _clockadjust {
	uint32_t	tick_count;
	int32_t		tick_nsec_inc;
};

__ABI_SIZE(struct _clockadjust, 8, 4);
__ABI_FIELD(struct _clockadjust, tick_count, 0, 4);
__ABI_FIELD(struct _clockadjust, tick_nsec_inc, 4, 4);

/* TimerInfo(): the state of one timer. */
struct _timer_info {
	struct _itimer	itime;		/* time to expiry, period */
	struct _itimer	otime;		/* the setting it was armed with */
	uint32_t	flags;		/* _NTO_TI_* */
	int32_t		tid;		/* thread a signal goes to */
	int32_t		notify;		/* the event's sigev_notify */
	int32_t		clockid;	/* CLOCK_* it runs on */
	uint32_t	overruns;	/* expiries not yet delivered */
	uint32_t	__pad;		/* always 0 */
	struct __abi_sigevent event;	/* what it delivers */
};

__ABI_SIZE(struct _timer_info, 88, 8);
__ABI_FIELD(struct _timer_info, itime, 0, 16);
__ABI_FIELD(struct _timer_info, otime, 16, 16);
__ABI_FIELD(struct _timer_info, flags, 32, 4);
__ABI_FIELD(struct _timer_info, tid, 36, 4);
__ABI_FIELD(struct _timer_info, notify, 40, 4);
__ABI_FIELD(struct _timer_info, clockid, 44, 4);
__ABI_FIELD(struct _timer_info, overruns, 48, 4);
__ABI_FIELD(struct _timer_info, __pad, 52, 4);
__ABI_FIELD(struct _timer_info, event, 56, 32);

#endif /* !__ASSEMBLER__ */

#endif
