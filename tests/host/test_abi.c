// uses:
/*
 * Host tests of the kernel-call ABI headers (abi/neutrino.h).
 *
 * The sizes and offsets are checked at compile time by the headers
 * themselves; compiling this file on x86_64 checks that they hold there
 * too.  At run time we check values that the headers copy from QNX or
 * musl, and that the headers coexist with the host libc: unit.h brings in
 * glibc's <signal.h> and <sched.h> first, so struct sigevent and struct
 * sched_param are glibc's here, and the ABI layouts are reached through
 * their reserved names (abi/sigevent.h explains).
 */
#include "unit.h"

#include <sched.h>
#include <stddef.h>
#include <sys/uio.h>
#include <time.h>

#include <abi/neutrino.h>

#ifndef __ABI_FOREIGN_SIGEVENT
#error "glibc's <signal.h> came first: abi/sigevent.h should have left it the names"
#endif
#ifndef __ABI_FOREIGN_SCHED_PARAM
#error "glibc's <sched.h> came first: abi/thread.h should have left it the name"
#endif

UNIT_TEST(pulse_codes_are_qnx)
{
	CHECK_EQ(_PULSE_TYPE, 0);
	CHECK_EQ(_PULSE_SUBTYPE, 0);
	CHECK_EQ(_PULSE_CODE_UNBLOCK, -32);
	CHECK_EQ(_PULSE_CODE_DISCONNECT, -33);
	CHECK_EQ(_PULSE_CODE_THREADDEATH, -34);
	CHECK_EQ(_PULSE_CODE_COIDDEATH, -35);
	CHECK_EQ(_PULSE_CODE_NET_DETACH, -38);
	CHECK_EQ(_PULSE_CODE_MINAVAIL, 0);
	CHECK_EQ(_PULSE_CODE_MAXAVAIL, 127);

	/* Every system code fits the int8_t code field and is negative. */
	struct _pulse p = { .code = _PULSE_CODE_UNBLOCK };
	CHECK_EQ(p.code, -32);
	CHECK(_PULSE_CODE_MAXAVAIL <= INT8_MAX);
}

UNIT_TEST(flags_are_qnx)
{
	CHECK_EQ(_NTO_CHF_FIXED_PRIORITY, 0x1);
	CHECK_EQ(_NTO_CHF_UNBLOCK, 0x2);
	CHECK_EQ(_NTO_CHF_DISCONNECT, 0x8);
	CHECK_EQ(_NTO_CHF_COID_DISCONNECT, 0x40);
	CHECK_EQ(_NTO_CHF_REPLY_LEN, 0x80);
	CHECK_EQ(_NTO_CHF_PRIVATE, 0x1000);
	CHECK_EQ(_NTO_COF_CLOEXEC, 0x1);
	CHECK_EQ(_NTO_COF_DEAD, 0x2);
	CHECK_EQ(_NTO_SIDE_CHANNEL, 0x40000000);
	CHECK_EQ(_NTO_MI_UNBLOCK_REQ, 0x100);
	CHECK_EQ(_NTO_TCTL_IO, 14);
	CHECK_EQ(_NTO_INTR_FLAGS_TRK_MSK, 8);
	CHECK_EQ(_NTO_SYNC_WAITING, 0x80000000u);
	CHECK(_NTO_SYNC_WAITING > 0);	/* unsigned: no sign surprises in tests */

	/* _msg_info.flags is an int16_t: every _NTO_MI_ and _NTO_COF_ bit fits. */
	struct _msg_info mi = { .flags = _NTO_MI_UNBLOCK_REQ | _NTO_MI_BITS_64 };
	CHECK_EQ(mi.flags & _NTO_MI_BITS_64, _NTO_MI_BITS_64);
	CHECK((_NTO_COF_GLOBAL | _NTO_MI_BITS_DIFF) <= INT16_MAX);
}

UNIT_TEST(states_and_timeouts)
{
	CHECK_EQ(STATE_DEAD, 0);
	CHECK_EQ(STATE_SEND, 4);
	CHECK_EQ(STATE_RECEIVE, 5);
	CHECK_EQ(STATE_REPLY, 6);
	CHECK_EQ(STATE_NANOSLEEP, 0x0c);
	CHECK_EQ(STATE_INTR, 0x10);
	CHECK_EQ(STATE_NET_REPLY, 0x14);
	CHECK_EQ(_NTO_TIMEOUT_SEND, 0x10);
	CHECK_EQ(_NTO_TIMEOUT_REPLY, 0x40);
	CHECK_EQ(_NTO_TIMEOUT_SEM, 0x20000);

	/* TIMER_ABSTIME is bit 0, which no timeout state uses. */
	unsigned states = _NTO_TIMEOUT_SEND | _NTO_TIMEOUT_RECEIVE |
	    _NTO_TIMEOUT_REPLY | _NTO_TIMEOUT_SIGSUSPEND |
	    _NTO_TIMEOUT_SIGWAITINFO | _NTO_TIMEOUT_NANOSLEEP |
	    _NTO_TIMEOUT_MUTEX | _NTO_TIMEOUT_CONDVAR | _NTO_TIMEOUT_JOIN |
	    _NTO_TIMEOUT_INTR | _NTO_TIMEOUT_SEM;
	CHECK_EQ(states & TIMER_ABSTIME, 0);
	CHECK_EQ(states & ~(unsigned)_NTO_TIMEOUT_MASK, 0);
}

/* The seam uses musl's numbers; glibc's agree, so they must match here. */
UNIT_TEST(seam_numbers_are_linux)
{
	CHECK_EQ(CLOCK_REALTIME, 0);
	CHECK_EQ(CLOCK_MONOTONIC, 1);
	CHECK_EQ(CLOCK_BOOTTIME, 7);
	CHECK_EQ(TIMER_ABSTIME, 1);
	CHECK_EQ(SCHED_OTHER, 0);
	CHECK_EQ(SCHED_FIFO, 1);
	CHECK_EQ(SCHED_RR, 2);
	CHECK_EQ(SCHED_NOCHANGE, -1);
}

UNIT_TEST(sigevent_layout)
{
	struct __abi_sigevent ev;

	CHECK_EQ(sizeof(ev), 32);
	CHECK_EQ(offsetof(struct __abi_sigevent, sigev_value), 16);
	CHECK_EQ(offsetof(struct __abi_sigevent, __sigev_un2.__st.__sigev_priority), 26);
	/* glibc's struct sigevent is a different, 64-byte struct, and both exist. */
	CHECK_EQ(sizeof(struct sigevent), 64);
	CHECK_EQ(__ABI_SIGEV_NONE, 0);
	CHECK_EQ(__ABI_SIGEV_SIGNAL, 1);
	CHECK_EQ(__ABI_SIGEV_PULSE, 4);
	CHECK_EQ(__ABI_SIGEV_UNBLOCK, 5);
	CHECK_EQ(__ABI_SIGEV_INTR, 6);
	CHECK_EQ(__ABI_SIGEV_THREAD, 7);
	CHECK(SIGEV_SIGNAL != __ABI_SIGEV_SIGNAL);	/* glibc's numbering */
}

UNIT_TEST(sigevent_initialisers)
{
	struct __abi_sigevent ev;

	memset(&ev, 0xa5, sizeof(ev));
	__ABI_SIGEV_PULSE_INIT(&ev, _NTO_SIDE_CHANNEL | 3, __ABI_SIGEV_PULSE_PRIO_INHERIT, 5, -7);
	CHECK_EQ(__ABI_SIGEV_GET_TYPE(&ev), __ABI_SIGEV_PULSE);
	CHECK_EQ(ev.__sigev_un1.__sigev_coid, 0x40000003);
	CHECK_EQ(ev.__sigev_un2.__st.__sigev_priority, -1);
	CHECK_EQ(ev.__sigev_un2.__st.__sigev_code, 5);
	CHECK_EQ(ev.sigev_value.sival_int, -7);	/* little-endian view of the pointer */

	__ABI_SIGEV_SIGNAL_THREAD_INIT(&ev, 10, 42, -1);
	CHECK_EQ(ev.sigev_notify, __ABI_SIGEV_SIGNAL_THREAD);
	CHECK_EQ(ev.__sigev_un1.__sigev_signo, 10);
	CHECK_EQ(ev.sigev_value.sival_int, 42);
	CHECK_EQ(ev.__sigev_un2.__st.__sigev_code, -1);

	/* Flag bits above the type byte survive a type change. */
	ev.sigev_notify |= __ABI_SIGEV_FLAG_SIVAL_INT;
	__ABI_SIGEV_SET_TYPE(&ev, __ABI_SIGEV_INTR);
	CHECK_EQ(__ABI_SIGEV_GET_TYPE(&ev), __ABI_SIGEV_INTR);
	CHECK_EQ(ev.sigev_notify & __ABI_SIGEV_FLAG_SIVAL_INT, __ABI_SIGEV_FLAG_SIVAL_INT);
}

UNIT_TEST(iov_is_struct_iovec)
{
	char buf[8];
	struct iovec v[2];
	iov_t *iov = v;		/* the same type as glibc's struct iovec */

	SETIOV(&iov[0], buf, sizeof(buf));
	SETIOV(&iov[1], NULL, 0);
	CHECK(GETIOVBASE(&v[0]) == buf);
	CHECK_EQ(GETIOVLEN(&v[0]), 8);
	CHECK_EQ(v[1].iov_len, 0);
}

UNIT_TEST(struct_sizes)
{
	CHECK_EQ(sizeof(struct _msg_info), 64);
	CHECK_EQ(offsetof(struct _msg_info, msglen), 32);
	CHECK_EQ(sizeof(struct _server_info), 64);
	CHECK_EQ(sizeof(struct _pulse), 24);
	CHECK_EQ(offsetof(struct _pulse, scoid), 16);
	CHECK_EQ(sizeof(struct __abi_sched_param), 48);
	CHECK_EQ(sizeof(struct sched_param), 4);	/* glibc's */
	CHECK_EQ(sizeof(struct _thread_attr), 104);
	CHECK_EQ(offsetof(struct _thread_attr, __param), 40);
	CHECK_EQ(sizeof(struct _clockperiod), 8);
	CHECK_EQ(sizeof(struct _itimer), 16);
	CHECK_EQ(sizeof(struct _timer_info), 88);
	CHECK_EQ(sizeof(sync_t), 8);
	CHECK_EQ(sizeof(struct _sync_attr), 32);
	CHECK_EQ(offsetof(struct _thread_name, name_buf), 8);
}
