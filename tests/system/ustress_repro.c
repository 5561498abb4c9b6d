/*
 * tests/system/ustress_repro.c - minimal reproductions of kernel bugs that
 * the user-level stress test (ustress.c) found, kept as regression tests.
 * Run as init (init=/proc/boot/ustress_repro): it spawns copies of itself
 * (arg = role | data << 8) and learns of their deaths through ProcNotify.
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>

#define KC(name, a, b, c, d, e, f)						\
	__kercall(__KER_##name, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

enum { ROLE_TESTS, ROLE_EXIT_OVER_SIBLINGS };

#define SIBLINGS	8
#define STACK		4096

static const void *img;
static uint64_t imgsize;
static long deaths_chid;

/*
 * Wait up to ms for a death pulse; returns (pid << 32 | status) or -1.
 */
static int64_t
wait_death(unsigned ms)
{
	struct _pulse p;
	uint64_t t = (uint64_t)ms * 1000000;

	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, &t, 0, 0);
	if (KC(MsgReceivePulse, deaths_chid, &p, sizeof(p), 0, 0, 0) != 0 ||
	    p.code != _PULSE_CODE_PROCDEATH)
		return -1;
	return (int64_t)(uintptr_t)p.value.sival_ptr;
}

/* ---- kernel bug 1 --------------------------------------------------------------
 * proc_thread_exit() waited for td_holds to drop while it held pr_lock (with
 * interrupts off), sleeping.  ThreadDestroy(-1) (exit) holds each sibling
 * while it wakes it; a sibling of higher priority on the exiting thread's
 * CPU preempts it at once, reaches proc_thread_exit, takes pr_lock and
 * sleeps; the exiting thread then takes pr_lock for its next batch on the
 * same CPU: "panic: spinlock proc: recursive acquire" (a deadlock without
 * CONFIG_INVARIANTS).  ProcDestroy of a process whose threads outrank the
 * killer hits the same.
 */
static volatile uint32_t never;
static uint8_t stacks[SIBLINGS][STACK] __attribute__((aligned(16)));

static void
blocked_sibling(void *arg)
{
	(void)arg;
	for (;;)
		KC(FutexWait, &never, 0, 0, 0, 0, 0);
}

static int
exit_over_siblings(void)
{
	uint64_t t = 2000000;

	for (int i = 0; i < SIBLINGS; i++)
		if (rt_thread_create(blocked_sibling, NULL, stacks[i], STACK, 30) < 0)
			return 2;
	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, &t, 0, 0);
	return 7;		/* ThreadDestroy(-1) from priority 10, siblings at 30 */
}

UTEST(kbug, exit_with_higher_priority_siblings)
{
	for (int round = 0; round < 20; round++) {
		long pid = rt_spawn(img, imgsize, "/proc/boot/ustress_repro",
		    ROLE_EXIT_OVER_SIBLINGS, 0);
		int64_t d;

		UT_CHECK(pid > 1);
		d = wait_death(3000);
		UT_CHECK(d >= 0);		/* no hang */
		UT_EQ(d >> 32, pid);
		UT_EQ((int32_t)d, 7 << 8);	/* wait status: exit(7) */
	}
	return 0;
}

/* ---- kernel bug 2 --------------------------------------------------------------
 * A client that a receiver has taken off ch_senders to copy its message
 * (td_ipcbusy) is on no queue until deliver() puts it on ch_repliers, but
 * two paths trusted td_state to say which queue it was on:
 *  - msg_receive() set STATE_REPLY before the copy, and rcvid lookups take
 *    STATE_REPLY to mean "on ch_repliers": a MsgError/MsgReply of that
 *    rcvid during the copy (the unblock pulse of a client whose time-out
 *    fires then, on an _NTO_CHF_UNBLOCK channel) removed it from
 *    ch_repliers, which it was not on, and finished it;
 *  - unqueue_self() (time-out, kill) waited for td_ipcbusy to clear before
 *    it took ch_lock, so a receiver could take the client in between; a
 *    killed client then removed itself from ch_repliers in the same way.
 * deliver() then queued the departed client on ch_repliers anyway.  The
 * bogus TAILQ_REMOVE had pointed ch_repliers' tail at ch_senders' head, so
 * that insert made the client the head of ch_senders: the next MsgReceive
 * got its old message again.  ustress saw duplicated and misrouted
 * requests, "thread written after free (byte 216)" (td_ipclink), hangs and
 * a kernel trap: 3 of 8 runs at smp=4 failed before the fix, none after.
 *
 * This test drives the first path's exact sequence: server B, above server
 * A's priority, wakes every 20 us and calls MsgError(rcvid, EINTR) on the
 * rcvid of the message that A is receiving (a 1 MiB copy).  B works the
 * rcvid out (rcvid = msggen << 22 | slot bits, msggen goes up by one per
 * send; one ordinary message calibrates it).  A correct kernel refuses the
 * MsgError until the client is REPLY-blocked for real and leaves no ghost
 * in the send queue.  Under QEMU it passes on the unfixed kernel as well:
 * nothing else happens while a CPU is in that copy (B never runs during
 * it, on one CPU or on four), so only the stress test reaches the window.
 * It stays as a regression test of the outcome.
 */
#define BIG	(1 << 20)
static uint8_t bigmsg[BIG], bigrecv[BIG];
static volatile uint32_t a_go, a_done, b_go, b_done, calibrated, nsend;
static volatile long a_rcvid, a_poll_rc, b_rc, calib_rcvid;
static volatile uint32_t calib_nsend;
static long ub_chid;
static uint8_t srv_stacks[2][8192] __attribute__((aligned(16)));

static void
futex_wait_nonzero(volatile uint32_t *w)
{
	while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == 0)
		KC(FutexWait, w, 0, 0, 0, 0, 0);
}

static void
set_wake(volatile uint32_t *w, uint32_t v)
{
	__atomic_store_n(w, v, __ATOMIC_RELEASE);
	KC(FutexWake, w, 10, 0, 0, 0, 0);
}

/* Server A: when told, wait 1 ms, receive the big message, then poll once more. */
static void
ub_receiver(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t d = 1000000, t = 100000000;

		futex_wait_nonzero(&a_go);
		a_go = 0;
		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, &d, 0, 0);
		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, &t, 0, 0);
		a_rcvid = KC(MsgReceive, ub_chid, bigrecv, BIG, 0, 0, 0);
		futex_wait_nonzero(&b_done);	/* the client is finished */
		/* Nobody is sending now: a polling receive must find nothing. */
		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, 0, 0, 0);
		a_poll_rc = KC(MsgReceive, ub_chid, bigrecv, 16, 0, 0, 0);
		set_wake(&a_done, 1);
	}
}

/* Server B: calibrate on one message, then MsgError each round's rcvid until it takes. */
static void
ub_errorer(void *arg)
{
	char b[8];

	(void)arg;
	calib_rcvid = KC(MsgReceive, ub_chid, b, sizeof(b), 0, 0, 0);
	calib_nsend = nsend;
	KC(MsgReply, calib_rcvid, 0, 0, 0, 0, 0);
	set_wake(&calibrated, 1);
	for (;;) {
		long gen, rcvid;

		futex_wait_nonzero(&b_go);
		b_go = 0;
		gen = ((calib_rcvid >> 22) + (long)(nsend - calib_nsend)) & 0x1ff;
		rcvid = gen << 22 | (calib_rcvid & 0x3fffff);
		for (long i = 0; i < 20000; i++) {
			uint64_t nap = 20000;	/* wake often: each wake preempts A's copy */

			if ((b_rc = KC(MsgError, rcvid, EINTR, 0, 0, 0, 0)) != -ESRCH)
				break;
			KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, &nap, 0, 0);
		}
		set_wake(&b_done, 1);
	}
}

UTEST(kbug, error_during_receive_copy)
{
	char r[8];
	long co;

	ub_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	co = KC(ConnectAttach, 0, 0, ub_chid, _NTO_SIDE_CHANNEL, 0, 0);
	UT_CHECK(ub_chid > 0 && co > 0);
	UT_CHECK(rt_thread_create(ub_receiver, NULL, srv_stacks[0], sizeof(srv_stacks[0]), 20) > 0);
	UT_CHECK(rt_thread_create(ub_errorer, NULL, srv_stacks[1], sizeof(srv_stacks[1]), 30) > 0);
	nsend++;
	UT_EQ(KC(MsgSend, co, r, sizeof(r), r, sizeof(r), 0), 0);	/* B calibrates */
	futex_wait_nonzero(&calibrated);
	for (int round = 0; round < 10; round++) {
		long rc;

		a_done = b_done = 0;
		a_rcvid = a_poll_rc = b_rc = 0;
		nsend++;
		set_wake(&a_go, 1);
		set_wake(&b_go, 1);
		rc = KC(MsgSend, co, bigmsg, BIG, r, sizeof(r), 0);
		futex_wait_nonzero(&a_done);
		UT_EQ(b_rc, 0);
		UT_EQ(rc, -EINTR);
		UT_CHECK(a_rcvid > 0);
		UT_EQ(a_poll_rc, -ETIMEDOUT);	/* the client left no ghost in the send queue */
	}
	return 0;
}

int
umain(uint64_t arg)
{
	if ((arg & 0xff) == ROLE_EXIT_OVER_SIBLINGS)
		return exit_over_siblings();
	img = (const void *)(uintptr_t)arg;
	imgsize = rt_arg2;
	deaths_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (deaths_chid <= 0 || KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0) != 0) {
		rt_printf("ustress_repro: cannot set up\n");
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
