/*
 * tests/system/sigtest.c - signals: SignalKill, SignalAction,
 * SignalProcmask, SignalSuspend, SignalWaitinfo, SignalReturn, signal
 * events, interrupted kernel calls (EINTR and SA_RESTART), faults caught
 * by handlers, default actions, and stop/continue.  Runs as init
 * (init=/proc/boot/sigtest); children are copies of itself in a role.
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define BIT(s)		(1ULL << ((s) - 1))

enum { ROLE_TESTS, ROLE_SPIN, ROLE_BLOCKER, ROLE_BADRETURN, ROLE_UNPRIV };

static const void *img;
static uint64_t imgsize;
static long deaths_chid;

/* ---- helpers ---- */

static volatile int hits, last_signo, last_code, last_pid;
static volatile long last_value;
static volatile uint64_t mask_in_handler;

static long
mask_now(void)
{
	uint64_t m = 0;

	KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, 0, (long)&m, 0);
	return (long)m;
}

static void
handler(int signo, struct __abi_siginfo *si, struct __abi_ucontext *uc)
{
	(void)uc;
	hits++;
	last_signo = signo;
	last_code = si->asi_code;
	last_pid = si->__asi_fields.__asi_kill.asi_pid;
	last_value = si->__asi_fields.__asi_kill.asi_value;
	mask_in_handler = (uint64_t)mask_now();
}

static long
set_action(int signo, void *fn, uint64_t flags, uint64_t mask)
{
	struct __abi_sigaction a = { (uint64_t)(uintptr_t)fn, flags, mask };

	return KC(SignalAction, 0, (long)__rt_sigstub, signo, (long)&a, 0, 0);
}

static long
setmask(int how, uint64_t set)
{
	return KC(SignalProcmask, 0, 0, how, (long)&set, 0, 0);
}

static void
reset(void)
{
	hits = last_signo = last_code = last_pid = 0;
	last_value = 0;
	setmask(__ABI_SIG_SETMASK, 0);
}

static long
spawn(int role)
{
	return rt_spawn(img, imgsize, "/proc/boot/sigtest", (uint64_t)role,
	    role == ROLE_UNPRIV ? 0 : PROC_ABILITY_PROCMGR);
}

/* The next ProcNotify pulse about pid: its code and wait status. */
static int
wait_note(long pid, int *code)
{
	struct _pulse p;
	long rc = KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0);
	uint64_t v = (uint64_t)(uintptr_t)p.value.sival_ptr;

	if (rc != 0 || (long)(v >> 32) != pid) {
		rt_printf("sigtest: expected a note on %ld, got rc %ld code %d value %lx\n",
		    pid, rc, p.code, (unsigned long)v);
		return -1000;
	}
	*code = p.code;
	return (int32_t)(v & 0xffffffff);
}

static int
wait_death(long pid)
{
	int code, st = wait_note(pid, &code);

	return code == _PULSE_CODE_PROCDEATH ? st : -2000;
}

/*
 * A thread that signals us after a short delay, and again every 30 ms
 * until the test is done with it (killer_done): on a loaded host the
 * first signal may come before we block, and only run the handler.
 */
static uint8_t kstack[16384] __attribute__((aligned(16)));
static volatile long kill_tid, kill_signo, killer_tid;
static volatile int kill_stop;

static void
delayed_kill(void *arg)
{
	(void)arg;
	do {
		rt_sleep_ms(30);
		if (!kill_stop)
			KC(SignalKill, 0, 0, kill_tid, kill_signo, 0, 0);
	} while (!kill_stop);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

static void killer_done(void);

static long
kill_me_later(int signo)
{
	if (killer_tid > 0 && !kill_stop)
		killer_done();		/* a failed test left one running */
	kill_tid = 1;		/* the tests run in the first thread: thread-directed */
	kill_signo = signo;
	kill_stop = 0;
	killer_tid = rt_thread_create(delayed_kill, NULL, kstack, sizeof(kstack), 10);
	return killer_tid;
}

/* The blocking call came back: stop the killer and wait for it (its stack is reused). */
static void
killer_done(void)
{
	int st;

	kill_stop = 1;
	KC(ThreadJoin, killer_tid, (long)&st, 0, 0, 0, 0);
}

/* ---- argument checks ---- */

UTEST(sig, bad_arguments)
{
	struct __abi_sigaction a = { (uint64_t)(uintptr_t)handler, 0, 0 };

	UT_EQ(KC(SignalKill, 1, 0, 0, SIGUSR1, 0, 0), -EINVAL);		/* nd */
	UT_EQ(KC(SignalKill, 0, 0, 0, 65, 0, 0), -EINVAL);
	UT_EQ(KC(SignalKill, 0, 0, 0, -1, 0, 0), -EINVAL);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR1, 500, 0), -EINVAL);	/* no such code */
	UT_EQ(KC(SignalKill, 0, 999999, 0, SIGUSR1, 0, 0), -ESRCH);
	UT_EQ(KC(SignalKill, 0, 0, 9999, SIGUSR1, 0, 0), -ESRCH);		/* no such thread */
	UT_EQ(KC(SignalKill, 0, 0, 0, 0, 0, 0), 0);			/* existence check */
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGKILL, (long)&a, 0, 0), -EINVAL);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGSTOP, (long)&a, 0, 0), -EINVAL);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, 0, (long)&a, 0, 0), -EINVAL);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, 65, (long)&a, 0, 0), -EINVAL);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, 8, 0, 0), -EFAULT);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, 0, 8, 0), -EFAULT);
	UT_EQ(KC(SignalAction, 999, (long)__rt_sigstub, SIGUSR1, (long)&a, 0, 0), -ESRCH);
	a.asa_flags = 0x100;	/* unknown flag */
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, (long)&a, 0, 0), -EINVAL);
	a.asa_flags = 0;
	a.asa_handler = 0xffffffff80200000UL;	/* the kernel */
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, (long)&a, 0, 0), -EINVAL);
	UT_EQ(KC(SignalProcmask, 0, 0, 7, (long)&a, 0, 0), -EINVAL);	/* how */
	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_PENDING, 0, 0, 0), -EINVAL);	/* nowhere to put it */
	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_PENDING, 0, 8, 0), -EFAULT);
	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, 8, 0, 0), -EFAULT);
	UT_EQ(KC(SignalProcmask, 0, 0, __ABI_SIG_BLOCK, 0, 8, 0), -EFAULT);
	UT_EQ(KC(SignalSuspend, 8, 0, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(SignalWaitinfo, 8, 0, 0, 0, 0, 0), -EFAULT);
	return 0;
}

/* ---- handlers ---- */

UTEST(sig, handler_gets_info_and_mask)
{
	reset();
	UT_EQ(set_action(SIGUSR1, handler, SA_SIGINFO, BIT(SIGUSR2)), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR1, -1, 1234), 0);	/* SI_QUEUE-style */
	UT_EQ(hits, 1);
	UT_EQ(last_signo, SIGUSR1);
	UT_EQ(last_code, -1);
	UT_EQ(last_pid, 1);
	UT_EQ(last_value, 1234);
	UT_EQ(mask_in_handler, BIT(SIGUSR1) | BIT(SIGUSR2));	/* signo and sa_mask */
	UT_EQ(mask_now(), 0);					/* restored */
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, nodefer_and_resethand)
{
	struct __abi_sigaction old;

	reset();
	UT_EQ(set_action(SIGUSR1, handler, SA_NODEFER | SA_RESETHAND, 0), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR1, 0, 0), 0);
	UT_EQ(hits, 1);
	UT_EQ(mask_in_handler, 0);
	UT_EQ(KC(SignalAction, 0, 0, SIGUSR1, 0, (long)&old, 0), 0);
	UT_EQ(old.asa_handler, __ABI_SIG_DFL);			/* reset by delivery */
	return 0;
}

UTEST(sig, ignored_and_default_ignored)
{
	reset();
	UT_EQ(set_action(SIGUSR2, (void *)__ABI_SIG_IGN, 0, 0), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR2, 0, 0), 0);	/* discarded */
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGCHLD, 0, 0), 0);	/* default: ignore */
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGWINCH, 0, 0), 0);
	UT_EQ(set_action(SIGUSR2, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, blocked_stays_pending_until_unblocked)
{
	reset();
	UT_EQ(set_action(SIGUSR1, handler, 0, 0), 0);
	UT_EQ(setmask(__ABI_SIG_BLOCK, BIT(SIGUSR1)), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR1, 0, 0), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR1, 0, 0), 0);	/* not queued twice */
	UT_EQ(hits, 0);
	UT_EQ(setmask(__ABI_SIG_UNBLOCK, BIT(SIGUSR1)), 0);
	UT_EQ(hits, 1);
	/* SIGKILL and SIGSTOP cannot be blocked. */
	UT_EQ(setmask(__ABI_SIG_SETMASK, ~0ULL), 0);
	UT_EQ((uint64_t)mask_now(), ~0ULL & ~(BIT(SIGKILL) | BIT(SIGSTOP)));
	reset();
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

/* The handler sees and changes FP registers; the interrupted code's come back. */
static volatile double fp_seen;

static void
fp_handler(int signo)
{
	volatile double x = 3.25;

	(void)signo;
	fp_seen = x * 2;
}

UTEST(sig, fp_state_survives_a_handler)
{
	volatile double a = 1.5;
	double r;

	reset();
	UT_EQ(set_action(SIGUSR2, fp_handler, 0, 0), 0);
	r = a * 3;
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR2, 0, 0), 0);
	r = r + a;		/* 6.0: the live register must be intact */
	UT_EQ((long)(r * 100), 600);
	UT_EQ((long)(fp_seen * 100), 650);
	UT_EQ(set_action(SIGUSR2, 0, 0, 0), 0);
	return 0;
}

/* A fault with a handler: the handler skips the faulting instruction. */
static volatile uintptr_t bad_addr = 16;
static volatile uint64_t fault_addr;

static void
segv_handler(int signo, struct __abi_siginfo *si, struct __abi_ucontext *uc)
{
	uint16_t insn = *(const uint16_t *)uc->uc_gregs[0];

	(void)signo;
	fault_addr = si->__asi_fields.asi_addr;
	last_code = si->asi_code;
	uc->uc_gregs[0] += (insn & 3) == 3 ? 4 : 2;	/* a 32-bit or a compressed one */
}

static __attribute__((noinline)) int
touch_bad(void)
{
	*(volatile int *)bad_addr = 1;
	return 5;
}

UTEST(sig, fault_handler_recovers)
{
	reset();
	UT_EQ(set_action(SIGSEGV, segv_handler, SA_SIGINFO, 0), 0);
	UT_EQ(touch_bad(), 5);	/* the store is skipped */
	UT_EQ(fault_addr, 16);
	UT_EQ(last_code, __ABI_SEGV_MAPERR);
	UT_EQ(set_action(SIGSEGV, 0, 0, 0), 0);
	return 0;
}

/* ---- interrupted calls ---- */

UTEST(sig, receive_interrupted_eintr)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	char buf[8];

	reset();
	UT_CHECK(chid > 0);
	UT_EQ(set_action(SIGUSR1, handler, 0, 0), 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	UT_EQ(KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0), -EINTR);
	killer_done();
	UT_CHECK(hits >= 1);	/* the killer may have sent more */
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

static volatile long pulse_co;

static void
delayed_pulse(void *arg)
{
	(void)arg;
	rt_sleep_ms(80);
	KC(MsgSendPulse, pulse_co, 10, 5, 77, 0, 0);
}

UTEST(sig, receive_restarts_with_sa_restart)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	static uint8_t pstack[16384] __attribute__((aligned(16)));
	struct _pulse p;

	reset();
	UT_CHECK(chid > 0);
	pulse_co = KC(ConnectAttach, 0, 0, chid, _NTO_SIDE_CHANNEL, 0, 0);
	UT_CHECK(pulse_co > 0);
	UT_EQ(set_action(SIGUSR1, handler, SA_RESTART, 0), 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);		/* at 30 ms */
	UT_CHECK(rt_thread_create(delayed_pulse, NULL, pstack, sizeof(pstack), 10) > 0);
	UT_EQ(KC(MsgReceive, chid, (long)&p, sizeof(p), 0, 0, 0), 0);	/* the pulse at 80 ms */
	killer_done();
	UT_CHECK(hits >= 1);	/* the killer may have sent more */
	UT_EQ(p.code, 5);
	UT_EQ(KC(ConnectDetach, pulse_co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

/*
 * MsgReplyReceive interrupted in its receive: with SA_RESTART it restarts
 * as a receive alone (the reply made once: a second reply would fail with
 * ESRCH into rerr); without, EINTR.  After a failed reply it fails with
 * EINTR even with SA_RESTART, so the reply's error is not lost.
 */
static volatile long rrs_result;
static uint8_t rrstack[16384] __attribute__((aligned(16)));

static void
rr_sig_client(void *arg)
{
	char b[4] = "rr";

	(void)arg;
	rrs_result = KC(MsgSend, pulse_co, (long)b, sizeof(b), 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

UTEST(sig, replyrecv_restarts_as_a_receive)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), rcvid, rerr = 1;
	static uint8_t pstack[16384] __attribute__((aligned(16)));
	struct _pulse p;
	char buf[8];

	reset();
	UT_CHECK(chid > 0);
	pulse_co = KC(ConnectAttach, 0, 0, chid, _NTO_SIDE_CHANNEL, 0, 0);
	UT_CHECK(pulse_co > 0);
	UT_EQ(set_action(SIGUSR1, handler, SA_RESTART, 0), 0);
	rrs_result = -999;
	UT_CHECK(rt_thread_create(rr_sig_client, NULL, rrstack, sizeof(rrstack), 10) > 0);
	rcvid = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);		/* at 30 ms */
	UT_CHECK(rt_thread_create(delayed_pulse, NULL, pstack, sizeof(pstack), 10) > 0);
	UT_EQ(__kc_MsgReplyReceive7(rcvid, 9, 0, 0, chid, (long)&p, sizeof(p), 0, &rerr), 0);
	killer_done();
	UT_CHECK(hits >= 1);
	UT_EQ(rerr, 0);				/* replied once */
	UT_EQ(rrs_result, 9);
	UT_EQ(p.code, 5);
	/* Without SA_RESTART: EINTR, the reply made. */
	UT_EQ(set_action(SIGUSR1, handler, 0, 0), 0);
	rrs_result = -999;
	UT_CHECK(rt_thread_create(rr_sig_client, NULL, rrstack, sizeof(rrstack), 10) > 0);
	rcvid = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0);
	UT_CHECK(rcvid > 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	rerr = 1;
	UT_EQ(__kc_MsgReplyReceive7(rcvid, 8, 0, 0, chid, (long)&p, sizeof(p), 0, &rerr), -EINTR);
	killer_done();
	UT_EQ(rerr, 0);
	UT_EQ(rrs_result, 8);
	/* A failed reply, SA_RESTART: EINTR with the reply's ESRCH. */
	UT_EQ(set_action(SIGUSR1, handler, SA_RESTART, 0), 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	UT_EQ(__kc_MsgReplyReceive7(rcvid, 7, 0, 0, chid, (long)&p, sizeof(p), 0, &rerr), -EINTR);
	killer_done();
	UT_EQ(rerr, -ESRCH);
	UT_EQ(KC(ConnectDetach, pulse_co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

/* A server that receives one message and never replies, then one more and replies 9. */
static volatile long srv_chid, srv_unblock_seen;
static uint8_t sstack[16384] __attribute__((aligned(16)));

static void
slow_server(void *arg)
{
	union { char b[16]; struct _pulse p; } u;
	char *buf = u.b;
	struct _pulse *p = &u.p;
	long rcvid;

	(void)arg;
	rcvid = KC(MsgReceive, srv_chid, (long)buf, sizeof(u), 0, 0, 0);
	if (rcvid > 0) {
		/* With _NTO_CHF_UNBLOCK a pulse comes when the client is signalled;
		   without, the test sends one when it is done. */
		long r2 = KC(MsgReceive, srv_chid, (long)buf, sizeof(u), 0, 0, 0);

		if (r2 == 0 && p->code == _PULSE_CODE_UNBLOCK)
			srv_unblock_seen = 1;
		KC(MsgReply, rcvid, 9, 0, 0, 0, 0);
	}
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

UTEST(sig, reply_blocked_eintr_without_unblock_flag)
{
	long co, rc;
	char b[4] = "abc";

	reset();
	srv_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	UT_CHECK(srv_chid > 0);
	co = KC(ConnectAttach, 0, 0, srv_chid, _NTO_SIDE_CHANNEL, 0, 0);
	UT_EQ(set_action(SIGUSR1, handler, SA_RESTART, 0), 0);	/* REPLY never restarts */
	UT_CHECK(rt_thread_create(slow_server, NULL, sstack, sizeof(sstack), 10) > 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	rc = KC(MsgSend, co, (long)b, 4, (long)b, 4, 0);
	killer_done();
	UT_EQ(rc, -EINTR);
	UT_CHECK(hits >= 1);	/* the killer may have sent more */
	UT_EQ(KC(MsgSendPulse, co, 10, 1, 0, 0, 0), 0);	/* let the server finish */
	rt_sleep_ms(20);
	UT_EQ(KC(ConnectDetach, co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, srv_chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, reply_blocked_with_unblock_flag_waits_for_server)
{
	long co, rc;
	char b[4] = "abc";

	reset();
	srv_unblock_seen = 0;
	srv_chid = KC(ChannelCreate, _NTO_CHF_UNBLOCK, 0, 0, 0, 0, 0);
	UT_CHECK(srv_chid > 0);
	co = KC(ConnectAttach, 0, 0, srv_chid, _NTO_SIDE_CHANNEL, 0, 0);
	UT_EQ(set_action(SIGUSR1, handler, 0, 0), 0);
	UT_CHECK(rt_thread_create(slow_server, NULL, sstack, sizeof(sstack), 10) > 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	rc = KC(MsgSend, co, (long)b, 4, (long)b, 4, 0);
	killer_done();
	UT_EQ(rc, 9);			/* the server's reply, after its unblock pulse */
	UT_EQ(srv_unblock_seen, 1);
	UT_CHECK(hits >= 1);	/* after the call was done; the killer may have sent more */
	rt_sleep_ms(20);
	UT_EQ(KC(ConnectDetach, co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, srv_chid, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, nanosleep_eintr)
{
	uint64_t ns = 5000000000ULL;

	reset();
	UT_EQ(set_action(SIGUSR2, handler, SA_RESTART, 0), 0);	/* never restarted */
	UT_CHECK(kill_me_later(SIGUSR2) > 0);
	UT_EQ(KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, (long)&ns, 0, 0), -EINTR);
	killer_done();
	UT_CHECK(hits >= 1);	/* the killer may have sent more */
	UT_EQ(set_action(SIGUSR2, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, suspend_runs_handler_and_restores_mask)
{
	uint64_t none = 0;

	reset();
	UT_EQ(set_action(SIGUSR1, handler, 0, 0), 0);
	UT_EQ(setmask(__ABI_SIG_BLOCK, BIT(SIGUSR1)), 0);
	UT_CHECK(kill_me_later(SIGUSR1) > 0);
	UT_EQ(KC(SignalSuspend, (long)&none, 0, 0, 0, 0, 0), -EINTR);
	killer_done();
	UT_CHECK(hits >= 1);	/* the killer may have sent more */
	UT_EQ(mask_in_handler, BIT(SIGUSR1));
	UT_EQ(mask_now(), BIT(SIGUSR1));		/* the mask from before */
	reset();
	UT_EQ(set_action(SIGUSR1, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, waitinfo_takes_blocked_signal)
{
	uint64_t set = BIT(SIGUSR2), ns = 20000000;
	struct __abi_siginfo si;

	reset();
	UT_EQ(setmask(__ABI_SIG_BLOCK, set), 0);
	UT_CHECK(kill_me_later(SIGUSR2) > 0);
	UT_EQ(KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0), SIGUSR2);
	killer_done();
	UT_EQ(si.asi_signo, SIGUSR2);
	UT_EQ(si.asi_code, 0);
	UT_EQ(si.__asi_fields.__asi_kill.asi_pid, 1);
	/* Already pending: taken at once. */
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGUSR2, -1, 55), 0);
	UT_EQ(KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0), SIGUSR2);
	UT_EQ(si.__asi_fields.__asi_kill.asi_value, 55);
	/* Nothing comes: the TimerTimeout ends it. */
	UT_EQ(KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, 0, (long)&ns, 0, 0), 0);
	UT_EQ(KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0), -ETIMEDOUT);
	reset();
	return 0;
}

UTEST(sig, timer_sends_sigalrm)
{
	struct _itimer it = { 20000000, 0 };
	long id;

	reset();
	UT_EQ(set_action(SIGALRM, handler, 0, 0), 0);
	id = KC(TimerCreate, CLOCK_MONOTONIC, 0, 0, 0, 0, 0);	/* NULL event: SIGALRM */
	UT_CHECK(id >= 0);
	UT_EQ(KC(TimerSettime, id, 0, (long)&it, 0, 0, 0), 0);
	rt_sleep_ms(200);			/* interrupted by the alarm */
	UT_EQ(hits, 1);
	UT_EQ(last_signo, SIGALRM);
	UT_EQ(last_code, __ABI_SI_TIMER);
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), 0);
	UT_EQ(set_action(SIGALRM, 0, 0, 0), 0);
	return 0;
}

/* ---- other processes ---- */

UTEST(sig, default_action_terminates)
{
	long pid = spawn(ROLE_SPIN);

	UT_CHECK(pid > 1);
	rt_sleep_ms(20);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGTERM, 0, 0), 0);
	UT_EQ(wait_death(pid), SIGTERM);		/* WIFSIGNALED, WTERMSIG 15 */
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGTERM, 0, 0), -ESRCH);
	return 0;
}

UTEST(sig, blocked_fatal_signal_waits_then_kills_blocked_thread)
{
	long pid = spawn(ROLE_BLOCKER);	/* blocks SIGTERM, then sits in MsgReceive */
	int code;

	UT_CHECK(pid > 1);
	rt_sleep_ms(30);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGTERM, 0, 0), 0);	/* pending only */
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGINT, 0, 0), 0);	/* not blocked: ends it */
	UT_EQ(wait_note(pid, &code), SIGINT);
	UT_EQ(code, _PULSE_CODE_PROCDEATH);
	return 0;
}

UTEST(sig, stop_and_continue)
{
	long pid = spawn(ROLE_SPIN);
	int code;

	UT_CHECK(pid > 1);
	rt_sleep_ms(20);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGSTOP, 0, 0), 0);
	UT_EQ(wait_note(pid, &code), (SIGSTOP << 8) | 0x7f);	/* WIFSTOPPED */
	UT_EQ(code, _PULSE_CODE_PROCSTOP);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGCONT, 0, 0), 0);
	UT_EQ(wait_note(pid, &code), 0xffff);			/* WIFCONTINUED */
	UT_EQ(code, _PULSE_CODE_PROCSTOP);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGTSTP, 0, 0), 0);
	UT_EQ(wait_note(pid, &code), (SIGTSTP << 8) | 0x7f);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGKILL, 0, 0), 0);	/* a stopped process dies too */
	UT_EQ(wait_death(pid), SIGKILL);
	return 0;
}

UTEST(sig, bad_signal_return_kills)
{
	long pid = spawn(ROLE_BADRETURN);

	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), SIGSEGV);
	return 0;
}

UTEST(sig, process_group_kill)
{
	long a = spawn(ROLE_SPIN), b = spawn(ROLE_SPIN), c = spawn(ROLE_SPIN);
	int got_a = 0, got_b = 0;

	UT_CHECK(a > 1 && b > 1 && c > 1);
	UT_EQ(KC(ProcSetGroup, a, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ProcSetGroup, 999999, 500, 0, 0, 0, 0), -ESRCH);
	UT_EQ(KC(SignalKill, 0, -500, 0, SIGTERM, 0, 0), -ESRCH);	/* empty group */
	UT_EQ(KC(ProcSetGroup, a, 500, 0, 0, 0, 0), 0);
	UT_EQ(KC(ProcSetGroup, b, 500, 0, 0, 0, 0), 0);
	UT_EQ(KC(ProcSetGroup, c, 501, 0, 0, 0, 0), 0);
	UT_EQ(KC(SignalKill, 0, -500, 1, SIGTERM, 0, 0), -EINVAL);	/* no tid with a group */
	UT_EQ(KC(SignalKill, 0, -500, 0, 0, 0, 0), 0);			/* exists */
	rt_sleep_ms(20);
	UT_EQ(KC(SignalKill, 0, -500, 0, SIGTERM, 0, 0), 0);
	for (int i = 0; i < 2; i++) {
		struct _pulse p;
		uint64_t v;

		UT_EQ(KC(MsgReceive, deaths_chid, (long)&p, sizeof(p), 0, 0, 0), 0);
		v = (uint64_t)(uintptr_t)p.value.sival_ptr;
		UT_EQ(p.code, _PULSE_CODE_PROCDEATH);
		UT_EQ((int32_t)(v & 0xffffffff), SIGTERM);
		got_a += (long)(v >> 32) == a;
		got_b += (long)(v >> 32) == b;
	}
	UT_EQ(got_a + got_b, 2);
	UT_EQ(got_a, 1);
	UT_EQ(KC(SignalKill, 0, c, 0, 0, 0, 0), 0);			/* c lives on */
	UT_EQ(KC(SignalKill, 0, -501, 0, SIGKILL, 0, 0), 0);
	UT_EQ(wait_death(c), SIGKILL);
	return 0;
}

/* The process manager sends SIGCHLD on a child's behalf: CLD_* code, pid and status. */
static volatile int chld_code, chld_pid, chld_status;

static void
chld_handler(int signo, struct __abi_siginfo *si, struct __abi_ucontext *uc)
{
	(void)signo;
	(void)uc;
	chld_code = si->asi_code;
	chld_pid = si->__asi_fields.__asi_chld.asi_pid;
	chld_status = si->__asi_fields.__asi_chld.asi_status;
}

UTEST(sig, sigchld_from_the_process_manager)
{
	UT_EQ(set_action(SIGCHLD, chld_handler, SA_SIGINFO, 0), 0);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGCHLD, 1, (long)((uint64_t)1234 << 32 | 7)), 0);
	UT_EQ(chld_code, 1);		/* CLD_EXITED */
	UT_EQ(chld_pid, 1234);
	UT_EQ(chld_status, 7);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGCHLD, 200, 0), -EINVAL);	/* above the codes */
	UT_EQ(set_action(SIGCHLD, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, blocked_default_ignored_signal_stays_pending)
{
	uint64_t set = BIT(SIGCHLD), ns = 10000000;
	struct __abi_siginfo si;

	reset();
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGCHLD, 0, 0), 0);		/* not blocked: discarded */
	UT_EQ(setmask(__ABI_SIG_BLOCK, set), 0);
	UT_EQ(KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SIGWAITINFO, 0, (long)&ns, 0, 0), 0);
	UT_EQ(KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0), -ETIMEDOUT);
	UT_EQ(KC(SignalKill, 0, 0, 0, SIGCHLD, 0, 0), 0);		/* blocked: kept */
	UT_EQ(KC(SignalWaitinfo, (long)&set, (long)&si, 0, 0, 0, 0), SIGCHLD);
	reset();
	return 0;
}

UTEST(sig, sa_nocldstop_drops_stop_notices)
{
	reset();
	UT_EQ(set_action(SIGCHLD, chld_handler, SA_SIGINFO | SA_NOCLDSTOP, 0), 0);
	chld_code = 0;
	UT_EQ(KC(SignalKill, 0, 1, 0, SIGCHLD, 5, 0), 0);	/* CLD_STOPPED: dropped */
	UT_EQ(chld_code, 0);
	UT_EQ(KC(SignalKill, 0, 1, 0, SIGCHLD, 1, 0), 0);	/* CLD_EXITED: delivered */
	UT_EQ(chld_code, 1);
	UT_EQ(set_action(SIGCHLD, 0, 0, 0), 0);
	return 0;
}

UTEST(sig, manager_sets_another_process_actions_and_first_mask)
{
	struct __abi_sigaction ign = { __ABI_SIG_IGN, 0, 0 }, old, h = { 0x10000, 0, 0 };
	uint64_t set = BIT(SIGUSR2), got = 0;
	long pid = spawn(ROLE_SPIN), empty = KC(ProcCreate, (long)"empty", 0, 0, 0, 0, 0);

	UT_CHECK(pid > 1 && empty > 1);
	UT_EQ(KC(SignalAction, pid, 0, SIGTERM, (long)&ign, (long)&old, 0), 0);
	UT_EQ(old.asa_handler, __ABI_SIG_DFL);
	UT_EQ(KC(SignalAction, pid, 0, SIGTERM, (long)&h, 0, 0), -EINVAL);	/* no handlers */
	UT_EQ(KC(SignalAction, 999999, 0, SIGTERM, 0, (long)&old, 0), -ESRCH);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGTERM, 0, 0), 0);
	rt_sleep_ms(20);
	UT_EQ(KC(SignalKill, 0, pid, 0, 0, 0, 0), 0);			/* ignored: alive */
	UT_EQ(KC(SignalProcmask, pid, 0, __ABI_SIG_BLOCK, (long)&set, 0, 0), -EBUSY);
	UT_EQ(KC(SignalProcmask, empty, 0, __ABI_SIG_SETMASK, (long)&set, 0, 0), 0);
	UT_EQ(KC(SignalProcmask, empty, 0, __ABI_SIG_BLOCK, 0, (long)&got, 0), 0);
	UT_EQ(got, set);
	UT_EQ(KC(SignalKill, 0, pid, 0, SIGKILL, 0, 0), 0);
	UT_EQ(wait_death(pid), SIGKILL);
	UT_EQ(KC(ProcDestroy, empty, 0, 0, 0, 0, 0), 0);
	UT_EQ(wait_death(empty), 0);
	return 0;
}

UTEST(sig, unprivileged_cannot_signal_taskman)
{
	long pid = spawn(ROLE_UNPRIV);

	UT_CHECK(pid > 1);
	UT_EQ(wait_death(pid), 0);	/* exits 0 only if it got EPERM */
	return 0;
}

/* ---- children ---- */

static int
child_blocker(void)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	char buf[8];

	setmask(__ABI_SIG_BLOCK, BIT(SIGTERM));
	KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0);
	return 3;		/* only if MsgReceive came back: it must not */
}

static int
child_badreturn(void)
{
	KC(SignalReturn, 8, 0, 0, 0, 0, 0);	/* a context that is not there */
	return 4;
}

int
umain(uint64_t arg)
{
	switch (arg & 0xff) {
	case ROLE_SPIN: {
		/*
		 * Below the parent, so it runs even on one CPU: spin in user
		 * mode.  Round robin: spinners of one priority take turns, so
		 * a killed one gets the CPU to die.
		 */
		struct sched_param sp = { .sched_priority = 5 };

		KC(SchedSet, 0, 0, SCHED_RR, (long)&sp, 0, 0);
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	}
	case ROLE_BLOCKER:
		return child_blocker();
	case ROLE_BADRETURN:
		return child_badreturn();
	case ROLE_UNPRIV:
		KC(ProcSetGroup, 1, 77, 0, 0, 0, 0);	/* (not allowed either) */
		return KC(SignalKill, 0, 1, 0, SIGTERM, 0, 0) == -EPERM &&
		    KC(SignalAction, 1, 0, SIGTERM, 0, (long)&(uint64_t[3]){0}, 0) == -EPERM &&
		    KC(SignalProcmask, 1, 0, 0, 0, (long)&(uint64_t){0}, 0) == -EPERM &&
		    KC(SignalKill, 0, 0, 0, SIGCHLD, 1, 0) == -EINVAL &&	/* kernel-only codes */
		    KC(ProcSetGroup, 0, 77, 0, 0, 0, 0) == -EPERM ? 0 : 1;
	}
	img = (const void *)arg;
	imgsize = rt_arg2;
	deaths_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (deaths_chid <= 0 || KC(ProcNotify, deaths_chid, 0, 0, 0, 0, 0) != 0) {
		rt_printf("sigtest: cannot set up\n");
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
