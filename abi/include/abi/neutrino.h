/*
 * abi/neutrino.h - the kernel-call ABI types and constants that the kernel
 * and libc share: everything QNX's <sys/neutrino.h> (and <sys/siginfo.h>)
 * define for the kernel calls, under QNX's names.
 *
 * Split by subject; include this one, or a part:
 *	abi/msg.h	iov_t, struct _msg_info, struct _pulse, _NTO_CHF/COF/MI_*,
 *			_PULSE_*, _NTO_SIDE_CHANNEL, ND_LOCAL_NODE
 *	abi/sigevent.h	union sigval, struct sigevent, SIGEV_*
 *	abi/thread.h	STATE_*, SCHED_*, struct sched_param, struct _thread_attr,
 *			_NTO_TCTL_*, struct _thread_name
 *	abi/time.h	CLOCK_*, TIMER_ABSTIME, struct _itimer, struct _clockperiod,
 *			struct _clockadjust, struct _timer_info, _NTO_TIMEOUT_*
 *	abi/intr.h	_NTO_INTR_FLAGS_*
 *	abi/sync.h	sync_t, struct _sync_attr, _NTO_SYNC_*, _NTO_SCTL_*
 * The call numbers are in abi/kercalls.def, the error numbers in
 * abi/errno.h, and what the calls do in docs/kernel-calls.md.
 *
 * Where a name is also libc's (union sigval, struct sigevent, struct
 * sched_param), a libc header included first keeps it, and the layout is
 * then reachable under a reserved name; abi/sigevent.h explains.  Include
 * libc headers before this one.
 */
#ifndef ABI_NEUTRINO_H
#define ABI_NEUTRINO_H

#include <abi/cdefs.h>
#include <abi/sigevent.h>
#include <abi/msg.h>
#include <abi/thread.h>
#include <abi/time.h>
#include <abi/intr.h>
#include <abi/sync.h>

#endif
