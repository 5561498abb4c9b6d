/*
 * tests/system/ipctest.c - channels, connections, send/receive/reply,
 * pulses and their error paths, between threads of one process (run as
 * init: init=/proc/boot/ipctest).  Threads are placed on the least loaded
 * CPU, so at -smp 4 clients and servers run on different CPUs.
 */
#include "utest.h"
#include <abi/neutrino.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)

static long ChannelCreate(long f) { return KC(ChannelCreate, f, 0, 0, 0, 0, 0); }
static long ChannelDestroy(long c) { return KC(ChannelDestroy, c, 0, 0, 0, 0, 0); }
static long ConnectAttach(long nd, long pid, long chid, long idx, long fl)
{ return KC(ConnectAttach, nd, pid, chid, idx, fl, 0); }
static long ConnectDetach(long co) { return KC(ConnectDetach, co, 0, 0, 0, 0, 0); }
static long MsgSend(long co, const void *s, long sb, void *r, long rb)
{ return KC(MsgSend, co, (long)s, sb, (long)r, rb, 0); }
static long MsgSendv(long co, const iov_t *s, long sp, const iov_t *r, long rp)
{ return KC(MsgSendv, co, (long)s, sp, (long)r, rp, 0); }
static long MsgReceive(long ch, void *m, long b, struct _msg_info *i)
{ return KC(MsgReceive, ch, (long)m, b, (long)i, 0, 0); }
static long MsgReply(long r, long st, const void *m, long b)
{ return KC(MsgReply, r, st, (long)m, b, 0, 0); }
static long MsgError(long r, long e) { return KC(MsgError, r, e, 0, 0, 0, 0); }
static long MsgRead(long r, void *m, long b, long off) { return KC(MsgRead, r, (long)m, b, off, 0, 0); }
static long MsgWrite(long r, const void *m, long b, long off)
{ return KC(MsgWrite, r, (long)m, b, off, 0, 0); }
static long MsgSendPulse(long co, long pri, long code, long val)
{ return KC(MsgSendPulse, co, pri, code, val, 0, 0); }
static long MsgReceivePulse(long ch, void *p, long b, struct _msg_info *i)
{ return KC(MsgReceivePulse, ch, (long)p, b, (long)i, 0, 0); }
static long MsgInfo(long r, struct _msg_info *i) { return KC(MsgInfo, r, (long)i, 0, 0, 0, 0); }

#define STACK	16384
static uint8_t stacks[8][STACK] __attribute__((aligned(16)));

/* ---- a small echo server: replies with each byte + 1 ------------------- */

struct server {
	long	chid;
	long	done_coid;	/* where it pulses when it ends */
	volatile long handled;
	volatile long bad;
	int	mode;		/* 0 echo, 1 hold (no reply), 2 MsgError(EPERM) */
	volatile long held_rcvid;
};

static uint8_t srvbuf[2][20000];

static void
server_main(void *arg)
{
	struct server *sv = arg;
	uint8_t *buf = srvbuf[sv == NULL ? 0 : (sv->mode == 0 ? 0 : 1)];
	struct _msg_info info;

	for (;;) {
		long rcvid = MsgReceive(sv->chid, buf, sizeof(srvbuf[0]), &info);

		if (rcvid < 0)
			break;		/* channel destroyed: -ESRCH */
		if (rcvid == 0) {	/* a pulse: code 1 means quit */
			if (((struct _pulse *)buf)->code == 1)
				break;
			continue;
		}
		if (info.msglen < 0 || info.msglen > (long)sizeof(srvbuf[0]))
			sv->bad++;
		for (long i = 0; i < info.msglen; i++)
			buf[i]++;
		sv->handled++;
		if (sv->mode == 1) {
			sv->held_rcvid = rcvid;
			MsgSendPulse(sv->done_coid, -1, 3, 0);
			continue;
		}
		if (sv->mode == 2) {
			MsgError(rcvid, EPERM);
			continue;
		}
		if (MsgReply(rcvid, info.msglen, buf, info.msglen) != 0)
			sv->bad++;
	}
	MsgSendPulse(sv->done_coid, -1, 2, 0);
}

/* Our own channel, to be told when helper threads end. */
static long done_chid, done_coid;

/* Wait for a pulse with code on our channel: 2 = a thread ended, 3 = a message is held. */
static int
wait_pulse(int code)
{
	struct _pulse p;
	long rc = MsgReceive(done_chid, &p, sizeof(p), NULL);

	if (rc < 0)
		return (int)rc;
	if (rc != 0 || p.code != code) {
		rt_printf("ipctest: expected pulse %d, got rcvid %ld code %d\n", code, rc, p.code);
		return -1;
	}
	return 0;
}

static int
wait_done_pulse(void)
{
	return wait_pulse(2);
}

static int
start_server(struct server *sv, int mode, int stack)
{
	sv->chid = ChannelCreate(0);
	sv->done_coid = done_coid;
	sv->handled = sv->bad = 0;
	sv->mode = mode;
	sv->held_rcvid = 0;
	if (sv->chid <= 0)
		return -1;
	return rt_thread_create(server_main, sv, stacks[stack], STACK, 0) > 0 ? 0 : -1;
}

static int
stop_server(struct server *sv)
{
	long co = ConnectAttach(0, 0, sv->chid, 0, 0);

	if (co < 0 || MsgSendPulse(co, -1, 1, 0) != 0)
		return -1;
	ConnectDetach(co);
	if (wait_done_pulse() != 0)
		return -1;
	return ChannelDestroy(sv->chid) == 0 ? 0 : -1;
}

/* ---- tests ---------------------------------------------------------------- */

UTEST(chan, create_destroy_and_bad_ids)
{
	long chid = ChannelCreate(0);

	UT_CHECK(chid > 0);
	UT_EQ(ChannelDestroy(chid), 0);
	UT_EQ(ChannelDestroy(chid), -EINVAL);	/* stale */
	UT_EQ(ChannelDestroy(0), -EINVAL);
	UT_EQ(ChannelDestroy(-1), -EINVAL);
	UT_EQ(ChannelDestroy(100000), -EINVAL);
	UT_EQ(ChannelCreate(0x40000000), -EINVAL);	/* unknown flag */
	return 0;
}

UTEST(conn, attach_detach_and_bad_ids)
{
	long chid = ChannelCreate(0), co, side, hi, r;
	struct _server_info si;

	UT_CHECK(chid > 0);
	co = ConnectAttach(0, 0, chid, 0, 0);
	UT_CHECK(co >= 0 && co < _NTO_SIDE_CHANNEL);
	side = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	UT_CHECK(side >= _NTO_SIDE_CHANNEL);
	UT_EQ(KC(ConnectServerInfo, 0, co, (long)&si, 0, 0, 0), co);
	UT_EQ(si.chid, chid);
	UT_EQ(ConnectAttach(1, 0, chid, 0, 0), -EINVAL);	/* remote node */
	UT_EQ(ConnectAttach(0, 999999, chid, 0, 0), -ESRCH);	/* no such pid */
	UT_EQ(ConnectAttach(0, 0, chid + 7, 0, 0), -ESRCH);	/* no such channel */
	UT_EQ(ConnectAttach(0, 0, chid, -5, 0), -EINVAL);
	UT_EQ(ConnectAttach(0, 0, chid, 0, 0x8000), -EINVAL);	/* unknown flag */
	UT_EQ(KC(ConnectServerInfo, 0, co, 16, 0, 0, 0), -EFAULT);
	UT_EQ(KC(ConnectServerInfo, 1, co, (long)&si, 0, 0, 0), co);	/* by pid (ours) */
	UT_EQ(KC(ConnectServerInfo, 999999, co, (long)&si, 0, 0, 0), -ESRCH);
	/* A coid not in use: the next higher one that is (fork and exec list fds so). */
	hi = ConnectAttach(0, 0, chid, co + 5, 0);
	UT_CHECK(hi >= co + 5);
	UT_EQ(KC(ConnectServerInfo, 0, hi, (long)&si, 0, 0, 0), hi);
	UT_EQ(ConnectDetach(co), 0);
	r = KC(ConnectServerInfo, 0, co, (long)&si, 0, 0, 0);
	UT_CHECK(r > co && r <= hi);
	UT_EQ(si.coid, r);
	UT_EQ(ConnectDetach(hi), 0);
	UT_EQ(ConnectDetach(co), -EINVAL);
	UT_EQ(ConnectDetach(side), 0);
	UT_EQ(ConnectDetach(-3), -EINVAL);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

UTEST(msg, send_bad_coid)
{
	char b[4];

	UT_EQ(MsgSend(-1, b, 4, b, 4), -EBADF);
	UT_EQ(MsgSend(200, b, 4, b, 4), -EBADF);
	UT_EQ(MsgSend(_NTO_SIDE_CHANNEL | 60, b, 4, b, 4), -EBADF);
	/* Bits past 31 make no coid, even with the low bits of a real one. */
	long chid = ChannelCreate(0), co = ConnectAttach(0, 0, chid, 0, 0),
	    sco = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	uint64_t zero = 0;

	UT_CHECK(chid > 0 && co >= 0 && sco > 0);
	UT_EQ(MsgSend(co + (1L << 32), b, 4, b, 4), -EBADF);
	UT_EQ(MsgSend(sco | (1L << 31), b, 4, b, 4), -EBADF);
	UT_EQ(MsgSend(co | INT64_MIN, b, 4, b, 4), -EBADF);
	UT_EQ(MsgSend(sco | (long)(~0UL << 40), b, 4, b, 4), -EBADF);
	/* The real ones reach the channel (nobody receives: a send time-out). */
	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND, 0, (long)&zero, 0, 0);
	UT_EQ(MsgSend(co, b, 4, b, 4), -ETIMEDOUT);
	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND, 0, (long)&zero, 0, 0);
	UT_EQ(MsgSend(sco, b, 4, b, 4), -ETIMEDOUT);
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ConnectDetach(sco), 0);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

static int
roundtrip(long co, long n)
{
	static uint8_t out[20000], in[20000];

	for (long i = 0; i < n; i++)
		out[i] = (uint8_t)(i * 7 + n);
	memset(in, 0, sizeof(in));
	if (MsgSend(co, out, n, in, n) != n)
		return -1;
	for (long i = 0; i < n; i++)
		if (in[i] != (uint8_t)(out[i] + 1))
			return -2;
	return 0;
}

UTEST(msg, roundtrip_sizes)
{
	static const long sizes[] = { 0, 1, 16, 255, 256, 4095, 4096, 4097, 12345, 20000 };
	struct server sv;
	long co;

	UT_EQ(start_server(&sv, 0, 0), 0);
	co = ConnectAttach(0, 0, sv.chid, 0, 0);
	UT_CHECK(co >= 0);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		UT_EQ(roundtrip(co, sizes[i]), 0);
	for (int i = 0; i < 300; i++)
		UT_EQ(roundtrip(co, 64 + i % 50), 0);
	UT_EQ(sv.bad, 0);
	ConnectDetach(co);
	UT_EQ(stop_server(&sv), 0);
	return 0;
}

UTEST(msg, iov_scatter_gather)
{
	struct server sv;
	char a[3] = "abc", b[1] = "d", c[5] = "efghi";
	char r1[2], r2[4], r3[20];
	iov_t s[3], r[3];
	long co;

	UT_EQ(start_server(&sv, 0, 0), 0);
	co = ConnectAttach(0, 0, sv.chid, 0, 0);
	SETIOV(&s[0], a, 3); SETIOV(&s[1], b, 1); SETIOV(&s[2], c, 5);
	SETIOV(&r[0], r1, 2); SETIOV(&r[1], r2, 4); SETIOV(&r[2], r3, 20);
	UT_EQ(MsgSendv(co, s, 3, r, 3), 9);
	UT_CHECK(memcmp(r1, "bc", 2) == 0 && memcmp(r2, "defg", 4) == 0 && memcmp(r3, "hij", 3) == 0);
	/* Bad iov arrays: EFAULT before anything is sent. */
	UT_EQ(MsgSendv(co, (const iov_t *)8, 1, r, 3), -EFAULT);
	UT_EQ(MsgSendv(co, s, -1, r, 3), -EINVAL);
	UT_EQ(MsgSendv(co, s, 100000, r, 3), -EINVAL);
	ConnectDetach(co);
	UT_EQ(stop_server(&sv), 0);
	return 0;
}

UTEST(msg, bad_buffers_give_efault)
{
	struct server sv;
	char buf[8] = "1234567";
	long co;

	UT_EQ(start_server(&sv, 0, 0), 0);
	co = ConnectAttach(0, 0, sv.chid, 0, 0);
	UT_EQ(MsgSend(co, (void *)0, 8, buf, 8), -EFAULT);			/* NULL */
	UT_EQ(MsgSend(co, (void *)0xffffffff80200000UL, 8, buf, 8), -EFAULT);	/* kernel */
	UT_EQ(MsgSend(co, buf, 8, (void *)0x3000000000UL, 8), -EFAULT);	/* unmapped reply */
	UT_EQ(MsgSend(co, buf, 8, (void *)umain, 8), -EFAULT);		/* read-only text */
	UT_EQ(roundtrip(co, 8), 0);		/* and the server is still fine */
	ConnectDetach(co);
	UT_EQ(stop_server(&sv), 0);
	return 0;
}

UTEST(msg, error_and_stale_rcvids)
{
	struct server sv;
	char b[4] = "abc";
	long co;

	UT_EQ(start_server(&sv, 2, 0), 0);	/* replies with MsgError(EPERM) */
	co = ConnectAttach(0, 0, sv.chid, 0, 0);
	UT_EQ(MsgSend(co, b, 4, b, 4), -EPERM);
	UT_EQ(MsgReply(0, 0, NULL, 0), -ESRCH);
	UT_EQ(MsgReply(12345, 0, NULL, 0), -ESRCH);
	UT_EQ(MsgReply(-7, 0, NULL, 0), -ESRCH);
	UT_EQ(MsgError(12345, 0), -EINVAL);
	UT_EQ(MsgRead(12345, b, 4, 0), -ESRCH);
	ConnectDetach(co);
	UT_EQ(stop_server(&sv), 0);
	return 0;
}

/* A held client: MsgRead/MsgWrite/MsgInfo at offsets, then reply twice. */
static struct server held_sv;

static void
held_client(void *arg)
{
	static char in[16];
	static const char out[] = "hello, server!";
	long co = ConnectAttach(0, 0, held_sv.chid, 0, 0);
	long *result = arg;

	*result = MsgSend(co, out, sizeof(out), in, sizeof(in));
	if (*result == 42 && memcmp(in, "WORLD", 5) != 0)
		*result = -1000;
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, read_write_info_hold)
{
	static long result;
	struct _msg_info mi;
	char b[8];
	long rcvid;

	UT_EQ(start_server(&held_sv, 1, 0), 0);
	result = -999;
	UT_CHECK(rt_thread_create(held_client, &result, stacks[1], STACK, 0) > 0);
	UT_EQ(wait_pulse(3), 0);
	rcvid = held_sv.held_rcvid;
	UT_EQ(MsgRead(rcvid, b, 5, 7), 5);
	UT_CHECK(memcmp(b, "server", 5) == 0);
	UT_EQ(MsgRead(rcvid, b, 8, 100), 0);	/* past the end */
	UT_EQ(MsgRead(rcvid, b, 8, -1), -EINVAL);
	UT_EQ(MsgRead(rcvid, (void *)8, 8, 0), -EFAULT);
	UT_EQ(MsgWrite(rcvid, "WORLD", 5, 0), 5);
	UT_EQ(MsgInfo(rcvid, &mi), 0);
	UT_EQ(mi.msglen, 15);
	UT_EQ(mi.srcmsglen, 15);
	UT_EQ(mi.dstmsglen, 16);
	UT_EQ(MsgInfo(rcvid, (struct _msg_info *)8), -EFAULT);
	UT_EQ(MsgReply(rcvid, 42, NULL, 0), 0);
	UT_EQ(MsgReply(rcvid, 42, NULL, 0), -ESRCH);	/* replied already */
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(result, 42);
	UT_EQ(stop_server(&held_sv), 0);
	return 0;
}

UTEST(pulse, queue_order_and_errors)
{
	long chid = ChannelCreate(0), co = ConnectAttach(0, 0, chid, 0, 0);
	struct _pulse p;
	struct _msg_info mi;

	UT_EQ(MsgSendPulse(co, 10, 5, 100), 0);
	UT_EQ(MsgSendPulse(co, 20, 6, 200), 0);	/* higher priority: first */
	UT_EQ(MsgSendPulse(co, 10, 7, 300), 0);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), &mi), 0);
	UT_EQ(p.code, 6);
	UT_EQ(p.value.sival_int, 200);
	UT_EQ(MsgReceivePulse(chid, &p, sizeof(p), NULL), 0);
	UT_EQ(p.code, 5);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), 0);
	UT_EQ(p.code, 7);
	UT_EQ(MsgSendPulse(co, 10, -5, 0), -EINVAL);	/* system codes are the kernel's */
	UT_EQ(MsgSendPulse(co, 10, 128, 0), -EINVAL);
	UT_EQ(MsgSendPulse(co, 0, 1, 0), -EINVAL);
	UT_EQ(MsgSendPulse(co, 256, 1, 0), -EINVAL);
	UT_EQ(MsgSendPulse(999, 10, 1, 0), -EBADF);
	UT_EQ(MsgReceive(chid + 9, &p, sizeof(p), NULL), -ESRCH);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), (struct _msg_info *)8), -EFAULT);
	/* Overflow: the queue refuses more than its limit, then drains. */
	int n = 0;
	while (MsgSendPulse(co, 10, 3, n) == 0 && n < 5000)
		n++;
	UT_CHECK(n > 0 && n < 5000);
	UT_EQ(MsgSendPulse(co, 10, 3, 0), -EAGAIN);
	for (int i = 0; i < n; i++) {
		UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), 0);
		UT_EQ(p.value.sival_int, i);
	}
	ConnectDetach(co);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

/* ChannelDestroy with a REPLY-blocked and a SEND-blocked client. */
static struct server dsv;

static void
blocked_client(void *arg)
{
	long *result = arg;
	long co = ConnectAttach(0, 0, dsv.chid, 0, 0);
	char b[4] = "xyz";

	*result = MsgSend(co, b, 4, b, 4);
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(chan, coid_disconnect_pulse)
{
	long watch = ChannelCreate(_NTO_CHF_COID_DISCONNECT), deaf = ChannelCreate(0);
	long srv = ChannelCreate(0), co, co2;
	struct _pulse p;
	uint64_t ns = 20000000;

	UT_CHECK(watch > 0 && deaf > 0 && srv > 0);
	UT_EQ(ChannelCreate(_NTO_CHF_COID_DISCONNECT), -EBUSY);	/* one per process */
	co = ConnectAttach(0, 0, srv, _NTO_SIDE_CHANNEL, 0);
	co2 = ConnectAttach(0, 0, srv, 0, 0);
	UT_CHECK(co > 0 && co2 > 0);
	UT_EQ(ChannelDestroy(srv), 0);
	for (int i = 0; i < 2; i++) {	/* one pulse per connection, with its coid */
		UT_EQ(MsgReceive(watch, &p, sizeof(p), NULL), 0);
		UT_EQ(p.code, _PULSE_CODE_COIDDEATH);
		UT_CHECK(p.value.sival_int == (int)co || p.value.sival_int == (int)co2);
	}
	UT_EQ(MsgSend(co, &p, 1, NULL, 0), -ESRCH);	/* the coid is dead until detached */
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ConnectDetach(co2), 0);
	/* Nothing more, and nothing on the channel that did not ask. */
	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, (long)&ns, 0, 0);
	UT_EQ(MsgReceive(watch, &p, sizeof(p), NULL), -ETIMEDOUT);
	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, (long)&ns, 0, 0);
	UT_EQ(MsgReceive(deaf, &p, sizeof(p), NULL), -ETIMEDOUT);
	UT_EQ(ChannelDestroy(watch), 0);
	UT_EQ(ChannelDestroy(deaf), 0);
	return 0;
}

UTEST(chan, destroy_fails_blocked_clients)
{
	static long r1, r2;
	long rcvid;

	UT_EQ(start_server(&dsv, 1, 0), 0);	/* receives once, never replies */
	r1 = r2 = 0;
	UT_CHECK(rt_thread_create(blocked_client, &r1, stacks[1], STACK, 0) > 0);
	UT_EQ(wait_pulse(3), 0);
	rcvid = dsv.held_rcvid;
	/* The client is REPLY-blocked and the server back in MsgReceive. */
	UT_EQ(ChannelDestroy(dsv.chid), 0);	/* fails the client and the server */
	UT_EQ(wait_done_pulse(), 0);		/* the client ended */
	UT_EQ(wait_done_pulse(), 0);		/* the server ended */
	UT_EQ(r1, -ESRCH);
	UT_EQ(MsgReply(rcvid, 0, NULL, 0), -ESRCH);
	return 0;
}

/* ---- time-outs, clocks and scheduling ------------------------------------ */

static long TimerTimeout(long id, long flags, const struct sigevent *ev, const uint64_t *nt)
{ return KC(TimerTimeout, id, flags, (long)ev, (long)nt, 0, 0); }
static long ClockTime(long id, const uint64_t *nv, uint64_t *ov)
{ return KC(ClockTime, id, (long)nv, (long)ov, 0, 0, 0); }

static uint64_t
now_ns(void)
{
	uint64_t t = 0;

	ClockTime(CLOCK_MONOTONIC, NULL, &t);
	return t;
}

static long
sleep_ns(uint64_t ns)
{
	return TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, NULL, &ns);
}

UTEST(time, clocktime)
{
	uint64_t a = 0, b = 0, set = 1700000000ULL * 1000000000ULL, rt = 0;

	UT_EQ(ClockTime(CLOCK_MONOTONIC, NULL, &a), 0);
	UT_EQ(ClockTime(CLOCK_MONOTONIC, NULL, &b), 0);
	UT_CHECK(b >= a && a > 0);
	UT_EQ(ClockTime(99, NULL, &a), -EINVAL);
	UT_EQ(ClockTime(CLOCK_MONOTONIC, &a, NULL), -EINVAL);	/* cannot be set */
	UT_EQ(ClockTime(CLOCK_MONOTONIC, NULL, (uint64_t *)8), -EFAULT);
	UT_EQ(ClockTime(CLOCK_REALTIME, &set, NULL), 0);		/* init may set it */
	UT_EQ(ClockTime(CLOCK_REALTIME, NULL, &rt), 0);
	UT_CHECK(rt >= set && rt - set < 1000000000ULL);
	return 0;
}

UTEST(time, nanosleep)
{
	uint64_t t0 = now_ns();

	UT_EQ(sleep_ns(5000000), -ETIMEDOUT);
	UT_CHECK(now_ns() - t0 >= 5000000);
	UT_EQ(TimerTimeout(CLOCK_MONOTONIC, 1 << 30, NULL, NULL), -EINVAL);
	UT_EQ(TimerTimeout(42, _NTO_TIMEOUT_RECEIVE, NULL, NULL), -EINVAL);
	UT_EQ(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, (struct sigevent *)8, NULL), -EFAULT);
	return 0;
}

UTEST(time, receive_timeout_and_poll)
{
	long chid = ChannelCreate(0);
	uint64_t t = 3000000, t0 = now_ns();
	char b[8];

	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t) >= 0);
	UT_EQ(MsgReceive(chid, b, sizeof(b), NULL), -ETIMEDOUT);
	UT_CHECK(now_ns() - t0 >= 3000000);
	/* ntime NULL: an immediate time-out, a poll. */
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL) >= 0);
	UT_EQ(MsgReceive(chid, b, sizeof(b), NULL), -ETIMEDOUT);
	/* One shot: the Nop in between uses it up. */
	long co = ConnectAttach(0, 0, chid, 0, 0);
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL) >= 0);
	KC(Nop, 0, 0, 0, 0, 0, 0);
	UT_EQ(MsgSendPulse(co, 10, 9, 0), 0);
	UT_EQ(MsgReceive(chid, b, sizeof(b), NULL), 0);
	ConnectDetach(co);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

/* MsgSend to our own channel with nobody receiving: only a time-out ends it. */
UTEST(msg, send_to_self_times_out)
{
	long chid = ChannelCreate(0), co = ConnectAttach(0, 0, chid, 0, 0);
	uint64_t t = 2000000;
	char b[4] = "abc";

	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_SEND, NULL, &t) >= 0);
	UT_EQ(MsgSend(co, b, 4, b, 4), -ETIMEDOUT);
	/* The channel is clean afterwards: a poll finds nothing. */
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL) >= 0);
	UT_EQ(MsgReceive(chid, b, sizeof(b), NULL), -ETIMEDOUT);
	ConnectDetach(co);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

/* REPLY time-out: without _NTO_CHF_UNBLOCK the client leaves at once. */
static struct server tsv;
static volatile long tmo_result;

static void
timed_client(void *arg)
{
	long co = ConnectAttach(0, 0, tsv.chid, 0, 0);
	uint64_t t = 3000000;
	char b[4] = "abc";

	(void)arg;
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_REPLY, NULL, &t);
	tmo_result = MsgSend(co, b, 4, b, 4);
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, reply_timeout_without_unblock_flag)
{
	long rcvid;

	UT_EQ(start_server(&tsv, 1, 0), 0);
	tmo_result = 1;
	UT_CHECK(rt_thread_create(timed_client, NULL, stacks[1], STACK, 0) > 0);
	UT_EQ(wait_pulse(3), 0);		/* the server holds the message */
	rcvid = tsv.held_rcvid;
	UT_EQ(wait_done_pulse(), 0);		/* the client left by itself */
	UT_EQ(tmo_result, -ETIMEDOUT);
	UT_EQ(MsgReply(rcvid, 0, NULL, 0), -ESRCH);	/* too late */
	UT_EQ(stop_server(&tsv), 0);
	return 0;
}

/* With _NTO_CHF_UNBLOCK the server gets an unblock pulse and decides. */
UTEST(msg, reply_timeout_unblock_pulse)
{
	long chid = ChannelCreate(_NTO_CHF_UNBLOCK), rcvid;
	struct _msg_info mi;
	union { struct _pulse p; char b[64]; } u;

	UT_CHECK(chid > 0);
	tsv.chid = chid;
	tmo_result = 1;
	UT_CHECK(rt_thread_create(timed_client, NULL, stacks[1], STACK, 0) > 0);
	rcvid = MsgReceive(chid, u.b, sizeof(u.b), NULL);
	UT_CHECK(rcvid > 0);
	/* The client's time-out comes as a pulse naming its rcvid. */
	UT_EQ(MsgReceive(chid, u.b, sizeof(u.b), NULL), 0);
	UT_EQ(u.p.code, _PULSE_CODE_UNBLOCK);
	UT_EQ(u.p.value.sival_int, rcvid);
	UT_EQ(MsgInfo(rcvid, &mi), 0);
	UT_CHECK(mi.flags & _NTO_MI_UNBLOCK_REQ);
	UT_EQ(tmo_result, 1);			/* still blocked: the server decides */
	UT_EQ(MsgError(rcvid, EINTR), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(tmo_result, -EINTR);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

/* The receiver runs at its client's priority, and drops back to its own. */
static struct server psv;
static volatile long seen_pri, after_pri;

static void
pri_server(void *arg)
{
	struct __abi_sched_param sp;
	char b[8];
	long rcvid = MsgReceive(psv.chid, b, sizeof(b), NULL);

	(void)arg;
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	seen_pri = sp.sched_curpriority;
	MsgReply(rcvid, 0, NULL, 0);
	uint64_t t = 0;
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t);
	MsgReceive(psv.chid, b, sizeof(b), NULL);	/* waits (times out) at its own */
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	after_pri = sp.sched_curpriority;
	MsgSendPulse(done_coid, -1, 2, 0);
}

/* Our own priority (SchedSet, SCHED_NOCHANGE): 0 or -errno. */
static long
set_my_pri(int pri)
{
	struct __abi_sched_param sp;

	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = pri;
	return KC(SchedSet, 0, 0, SCHED_NOCHANGE, (long)&sp, 0, 0);
}

UTEST(sched, receiver_inherits_client_priority)
{
	long co;
	char b[4] = "pri";

	for (int fixed = 0; fixed < 2; fixed++) {
		psv.chid = ChannelCreate(fixed ? _NTO_CHF_FIXED_PRIORITY : 0);
		co = ConnectAttach(0, 0, psv.chid, 0, 0);
		UT_CHECK(rt_thread_create(pri_server, NULL, stacks[2], STACK, 12) > 0);
		UT_EQ(set_my_pri(40), 0);
		UT_EQ(MsgSend(co, b, 4, NULL, 0), 0);
		UT_EQ(set_my_pri(10), 0);
		UT_EQ(wait_done_pulse(), 0);
		UT_EQ(seen_pri, fixed ? 12 : 40);
		UT_EQ(after_pri, 12);
		ConnectDetach(co);
		UT_EQ(ChannelDestroy(psv.chid), 0);
	}
	return 0;
}

UTEST(sched, get_set_yield_and_errors)
{
	struct __abi_sched_param sp;

	memset(&sp, 0, sizeof(sp));
	UT_EQ(KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0), SCHED_FIFO);
	UT_EQ(sp.sched_priority, 10);
	UT_EQ(KC(SchedYield, 0, 0, 0, 0, 0, 0), 0);
	sp.sched_priority = 0;
	UT_EQ(KC(SchedSet, 0, 0, SCHED_FIFO, (long)&sp, 0, 0), -EINVAL);
	sp.sched_priority = 256;
	UT_EQ(KC(SchedSet, 0, 0, SCHED_FIFO, (long)&sp, 0, 0), -EINVAL);
	sp.sched_priority = 10;
	UT_EQ(KC(SchedSet, 0, 0, 7, (long)&sp, 0, 0), -EINVAL);
	UT_EQ(KC(SchedSet, 0, 0, SCHED_FIFO, 8, 0, 0), -EFAULT);
	UT_EQ(KC(SchedGet, 0, 0, 8, 0, 0, 0), -EFAULT);
	UT_EQ(KC(SchedGet, 0, 999, (long)&sp, 0, 0, 0), -ESRCH);
	UT_EQ(KC(SchedSet, 0, 0, SCHED_RR, (long)&sp, 0, 0), 0);
	UT_EQ(KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0), SCHED_RR);
	UT_EQ(KC(SchedSet, 0, 0, SCHED_FIFO, (long)&sp, 0, 0), 0);
	return 0;
}

/* A thread that waits on a futex until told to end. */
static volatile int sched_sleeper_go;

static void
sched_sleeper(void *arg)
{
	(void)arg;
	while (!sched_sleeper_go)
		KC(FutexWait, (long)&sched_sleeper_go, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

UTEST(sched, set_and_get_another_thread)
{
	struct sched_param sp;
	long tid;

	sched_sleeper_go = 0;
	tid = rt_thread_create(sched_sleeper, NULL, stacks[3], STACK, 10);
	UT_CHECK(tid > 0);
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = 23;
	UT_EQ(KC(SchedSet, 0, tid, SCHED_RR, (long)&sp, 0, 0), 0);
	memset(&sp, 0, sizeof(sp));
	UT_EQ(KC(SchedGet, 0, tid, (long)&sp, 0, 0, 0), SCHED_RR);
	UT_EQ(sp.sched_priority, 23);
	UT_EQ(sp.sched_curpriority, 23);
	memset(&sp, 0, sizeof(sp));
	UT_EQ(KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0), SCHED_FIFO);	/* we are unchanged */
	UT_EQ(sp.sched_priority, 10);
	UT_EQ(KC(SchedGet, 999999, 1, (long)&sp, 0, 0, 0), -ESRCH);	/* no such process */
	sched_sleeper_go = 1;
	KC(FutexWake, (long)&sched_sleeper_go, 1, 0, 0, 0, 0);
	return 0;
}

/* ---- futexes -------------------------------------------------------------- */

static volatile uint32_t fword;
static volatile long fwait_result[4];

static void
futex_waiter(void *arg)
{
	long i = (long)arg;

	fwait_result[i] = KC(FutexWait, (long)&fword, 0, 0, 0, 0, 0);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(futex, errors_and_mismatch)
{
	uint64_t t = 2000000;

	fword = 5;
	UT_EQ(KC(FutexWait, (long)&fword, 4, 0, 0, 0, 0), -EAGAIN);	/* value changed */
	UT_EQ(KC(FutexWait, (long)&fword + 1, 5, 0, 0, 0, 0), -EINVAL);	/* unaligned */
	UT_EQ(KC(FutexWait, 0, 0, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(FutexWait, (long)0xffffffc000000000UL, 0, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(FutexWake, (long)&fword, -1, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(FutexWake, (long)&fword, 10, 0, 0, 0, 0), 0);		/* nobody waits */
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_MUTEX, NULL, &t) >= 0);
	UT_EQ(KC(FutexWait, (long)&fword, 5, 0, 0, 0, 0), -ETIMEDOUT);
	return 0;
}

UTEST(futex, wake_counts_between_threads)
{
	long woken = 0;

	fword = 0;
	for (long i = 0; i < 3; i++) {
		fwait_result[i] = 99;
		UT_CHECK(rt_thread_create(futex_waiter, (void *)i, stacks[4 + i], STACK, 0) > 0);
	}
	/* They may not all be waiting yet: wake two, as they arrive. */
	for (int tries = 0; woken < 2 && tries < 1000; tries++) {
		woken += KC(FutexWake, (long)&fword, 2 - woken, 0, 0, 0, 0);
		if (woken < 2)
			sleep_ns(100000);
	}
	UT_EQ(woken, 2);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(wait_done_pulse(), 0);
	for (int tries = 0; KC(FutexWake, (long)&fword, 100, 0, 0, 0, 0) != 1 && tries < 1000; tries++)
		sleep_ns(100000);
	UT_EQ(wait_done_pulse(), 0);
	for (int i = 0; i < 3; i++)
		UT_EQ(fwait_result[i], 0);
	return 0;
}

/* A pulse to ourselves and back: IPC works wherever we run now. */
static int
roundtrip_self_check(void)
{
	if (MsgSendPulse(done_coid, 10, 12, 0) != 0)
		return -1;
	return wait_pulse(12);
}

/* ---- ThreadJoin and ThreadDestroy of another thread ------------------------ */

static void
exits_with(void *arg)
{
	long st = (long)arg;

	if (st == 44)
		sleep_ns(3000000);		/* the joiner blocks first */
	KC(ThreadDestroy, 0, -1, st, 0, 0, 0);
}

static void
blocks_forever(void *arg)
{
	long chid = ChannelCreate(0);
	char b[4];

	(void)arg;
	MsgReceive(chid, b, sizeof(b), NULL);	/* until destroyed */
}

UTEST(thread, join_destroy_and_errors)
{
	struct _thread_attr attr;
	uint64_t st = 0, t = 1000000;
	long tid;

	tid = rt_thread_create(exits_with, (void *)33, stacks[4], STACK, 0);
	UT_CHECK(tid > 0);
	sleep_ns(2000000);				/* it has ended: a record waits */
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), 0);
	UT_EQ(st, 33);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), -ESRCH);	/* joined already */
	tid = rt_thread_create(exits_with, (void *)44, stacks[4], STACK, 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), 0);		/* blocks */
	UT_EQ(st, 44);
	UT_EQ(KC(ThreadJoin, 1, (long)&st, 0, 0, 0, 0), -EDEADLK);	/* ourselves */
	UT_EQ(KC(ThreadJoin, 9999, (long)&st, 0, 0, 0, 0), -ESRCH);
	UT_EQ(KC(ThreadJoin, 0, (long)&st, 0, 0, 0, 0), -EINVAL);
	/* ThreadDestroy of another thread, with a time-out on the join first. */
	tid = rt_thread_create(blocks_forever, NULL, stacks[5], STACK, 0);
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_JOIN, NULL, &t) >= 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), -ETIMEDOUT);
	UT_EQ(KC(ThreadJoin, tid, 8, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(ThreadDestroy, tid, -1, 55, 0, 0, 0), 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), 0);
	UT_EQ(st, 55);
	UT_EQ(KC(ThreadDestroy, tid, -1, 55, 0, 0, 0), -ESRCH);
	/* A detached thread cannot be joined. */
	memset(&attr, 0, sizeof(attr));
	attr.__flags = _NTO_TA_DETACHED;
	attr.__stackaddr = stacks[6];
	attr.__stacksize = STACK;
	tid = KC(ThreadCreate, 0, (long)blocks_forever, 0, (long)&attr, 0, 0);
	UT_CHECK(tid > 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ThreadDestroy, tid, -1, 0, 0, 0, 0), 0);
	return 0;
}

/* A new thread's second argument register must be clean (it once leaked kernel data). */
static volatile long seen_a1 = -1;

static void
two_args(void *arg, long a1)
{
	(void)arg;
	seen_a1 = a1;
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(thread, new_thread_registers_clean)
{
	UT_CHECK(rt_thread_create((void (*)(void *))(void *)two_args, NULL, stacks[4], STACK, 0) > 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(seen_a1, 0);
	return 0;
}

UTEST(thread, threadctl)
{
	struct {
		struct _thread_name tn;
		char buf[16];
	} n;

	UT_EQ(KC(ThreadCtl, _NTO_TCTL_IO, 0, 0, 0, 0, 0), 0);	/* init has the I/O ability */
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_RUNMASK, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1L << 40, 0, 0, 0, 0), -EINVAL);
	for (int c = 0; c < 4; c++) {				/* every CPU that exists */
		long rc = KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1L << c, 0, 0, 0, 0);

		UT_CHECK(rc == 0 || (c > 0 && rc == -EINVAL));
		UT_EQ(roundtrip_self_check(), 0);		/* still works after moving */
	}
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1, 0, 0, 0, 0), 0);
	memset(&n, 0, sizeof(n));
	n.tn.new_name_len = 6;
	n.tn.name_buf_len = 16;
	memcpy(n.buf, "tester", 6);
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_NAME, (long)&n, 0, 0, 0, 0), 0);
	UT_EQ(strcmp(n.buf, "ipctest"), 0);			/* the old name came back */
	n.tn.new_name_len = -1;
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_NAME, (long)&n, 0, 0, 0, 0), 0);
	UT_EQ(strcmp(n.buf, "tester"), 0);
	UT_EQ(KC(ThreadCtl, _NTO_TCTL_NAME, 8, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(ThreadCtl, 999, 0, 0, 0, 0, 0), -ENOSYS);
	return 0;
}

/* ---- timers ------------------------------------------------------------------ */

UTEST(timer, info_reports_state_and_overruns)
{
	struct sigevent ev;
	struct _itimer it = { 1000000, 1000000 };
	struct _timer_info ti;
	long id;

	SIGEV_NONE_INIT(&ev);
	id = KC(TimerCreate, CLOCK_MONOTONIC, (long)&ev, 0, 0, 0, 0);
	UT_CHECK(id >= 0);
	memset(&ti, 0xff, sizeof(ti));
	UT_EQ(KC(TimerInfo, 0, id, 0, (long)&ti, 0, 0), id);
	UT_EQ(ti.flags, 0);				/* not armed, never fired */
	UT_EQ(ti.clockid, CLOCK_MONOTONIC);
	UT_EQ(ti.tid, 1);
	UT_EQ(ti.notify, SIGEV_NONE);
	UT_EQ(KC(TimerSettime, id, 0, (long)&it, 0, 0, 0), 0);
	{
		uint64_t ns = 20000000;

		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, (long)&ns, 0, 0);
	}
	UT_EQ(KC(TimerInfo, 0, id, 0, (long)&ti, 0, 0), id);
	UT_EQ(ti.flags, _NTO_TI_ACTIVE | _NTO_TI_EXPIRED);
	UT_EQ(ti.itime.interval_nsec, 1000000);
	UT_CHECK(ti.itime.nsec <= 1000000);
	UT_EQ(KC(TimerInfo, 0, id, 0x100, (long)&ti, 0, 0), -EINVAL);
	UT_EQ(KC(TimerInfo, 0, id, 0, 8, 0, 0), -EFAULT);
	UT_EQ(KC(TimerInfo, 0, id + 1, 0, (long)&ti, 0, 0), -EINVAL);
	UT_EQ(KC(TimerInfo, 999, id, 0, (long)&ti, 0, 0), -EPERM);
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(TimerInfo, 0, id, 0, (long)&ti, 0, 0), -EINVAL);
	return 0;
}

static volatile int detach_go;

static void
detach_victim(void *arg)
{
	(void)arg;
	while (!detach_go)
		KC(FutexWait, (long)&detach_go, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 5, 0, 0, 0);
}

UTEST(thread, detach)
{
	long tid;
	int st;

	detach_go = 1;				/* ends at once */
	tid = rt_thread_create(detach_victim, NULL, stacks[4], STACK, 10);
	UT_CHECK(tid > 0);
	{
		uint64_t ns = 10000000;

		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_NANOSLEEP, 0, (long)&ns, 0, 0);
	}
	UT_EQ(KC(ThreadDetach, tid, 0, 0, 0, 0, 0), 0);		/* its record goes */
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), -ESRCH);
	detach_go = 0;
	tid = rt_thread_create(detach_victim, NULL, stacks[4], STACK, 10);
	UT_CHECK(tid > 0);
	UT_EQ(KC(ThreadDetach, tid, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ThreadDetach, tid, 0, 0, 0, 0, 0), -EINVAL);	/* already */
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), -EINVAL);	/* not joinable */
	UT_EQ(KC(ThreadDetach, 999, 0, 0, 0, 0, 0), -ESRCH);
	detach_go = 1;
	KC(FutexWake, (long)&detach_go, 1, 0, 0, 0, 0);
	return 0;
}

UTEST(timer, errors_and_clockperiod)
{
	struct sigevent ev;
	struct _itimer it = { 1000000, 0 };
	struct _clockperiod cp;
	long id;

	SIGEV_PULSE_INIT(&ev, done_coid, 10, 8, 0);
	UT_EQ(KC(TimerCreate, 99, (long)&ev, 0, 0, 0, 0), -EINVAL);
	id = KC(TimerCreate, CLOCK_MONOTONIC, 0, 0, 0, 0, 0);	/* SIGALRM (sigtest fires one) */
	UT_CHECK(id >= 0);
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(TimerCreate, CLOCK_MONOTONIC, 8, 0, 0, 0, 0), -EFAULT);
	id = KC(TimerCreate, CLOCK_MONOTONIC, (long)&ev, 0, 0, 0, 0);
	UT_CHECK(id >= 0);
	UT_EQ(KC(TimerSettime, id, 0x100, (long)&it, 0, 0, 0), -EINVAL);
	UT_EQ(KC(TimerSettime, id, 0, 8, 0, 0, 0), -EFAULT);
	UT_EQ(KC(TimerSettime, id + 1, 0, (long)&it, 0, 0, 0), -EINVAL);
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(TimerDestroy, -1, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ClockPeriod, CLOCK_MONOTONIC, 0, (long)&cp, 0, 0, 0), 0);
	UT_CHECK(cp.nsec > 0 && cp.nsec <= 1000000);
	UT_EQ(KC(ClockPeriod, CLOCK_MONOTONIC, (long)&cp, 0, 0, 0, 0), -EPERM);
	UT_EQ(KC(ClockPeriod, 99, 0, (long)&cp, 0, 0, 0), -EINVAL);
	return 0;
}

UTEST(timer, one_shot_and_periodic_pulses)
{
	long chid = ChannelCreate(0), co = ConnectAttach(0, 0, chid, 0, 0), id;
	struct sigevent ev;
	struct _itimer it = { 2000000, 0 }, old;
	struct _pulse p;
	uint64_t t0 = now_ns();

	SIGEV_PULSE_INIT(&ev, co, 10, 9, 42);
	id = KC(TimerCreate, CLOCK_MONOTONIC, (long)&ev, 0, 0, 0, 0);
	UT_CHECK(id >= 0);
	UT_EQ(KC(TimerSettime, id, 0, (long)&it, 0, 0, 0), 0);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), 0);
	UT_EQ(p.code, 9);
	UT_EQ(p.value.sival_int, 42);
	UT_CHECK(now_ns() - t0 >= 2000000);
	uint64_t t = 5000000;
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t) >= 0);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), -ETIMEDOUT);	/* one shot: only one */
	/* Periodic: 1 ms. */
	it.nsec = 1000000;
	it.interval_nsec = 1000000;
	UT_EQ(KC(TimerSettime, id, 0, (long)&it, 0, 0, 0), 0);
	for (int i = 0; i < 5; i++)
		UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), 0);
	it.nsec = it.interval_nsec = 0;
	UT_EQ(KC(TimerSettime, id, 0, (long)&it, (long)&old, 0, 0), 0);	/* disarm */
	UT_EQ(old.interval_nsec, 1000000);
	while (TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, NULL) >= 0 &&
	    MsgReceive(chid, &p, sizeof(p), NULL) == 0)
		;						/* drain what was queued */
	t = 3000000;
	UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t) >= 0);
	UT_EQ(MsgReceive(chid, &p, sizeof(p), NULL), -ETIMEDOUT);	/* disarmed: silent */
	UT_EQ(KC(TimerDestroy, id, 0, 0, 0, 0, 0), 0);
	ConnectDetach(co);
	UT_EQ(ChannelDestroy(chid), 0);
	return 0;
}

/* ---- MsgDeliverEvent --------------------------------------------------------- */

static long dev_chid;
static volatile uint32_t dev_gate;

static void
dev_client(void *arg)
{
	long co = ConnectAttach(0, 0, dev_chid, 0, 0);
	char b[4] = "evt";

	(void)arg;
	MsgSend(co, b, 4, NULL, 0);
	while (dev_gate == 0)				/* stay alive until released */
		KC(FutexWait, (long)&dev_gate, 0, 0, 0, 0, 0);
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, deliver_event_after_reply)
{
	struct sigevent ev;
	struct _pulse p;
	char b[8];
	long rcvid;

	dev_chid = ChannelCreate(0);
	dev_gate = 0;
	UT_CHECK(rt_thread_create(dev_client, NULL, stacks[3], STACK, 0) > 0);
	rcvid = MsgReceive(dev_chid, b, sizeof(b), NULL);
	UT_CHECK(rcvid > 0);
	UT_EQ(MsgReply(rcvid, 0, NULL, 0), 0);
	/* After the reply the rcvid still names the client for events. */
	SIGEV_PULSE_INIT(&ev, done_coid, 15, 6, 123);
	UT_EQ(KC(MsgDeliverEvent, rcvid, (long)&ev, 0, 0, 0, 0), 0);
	UT_EQ(MsgReceive(done_chid, &p, sizeof(p), NULL), 0);
	UT_EQ(p.code, 6);
	UT_EQ(p.value.sival_int, 123);
	UT_EQ(KC(MsgDeliverEvent, rcvid, 8, 0, 0, 0, 0), -EFAULT);
	SIGEV_SIGNAL_INIT(&ev, 99);					/* no such signal */
	UT_EQ(KC(MsgDeliverEvent, rcvid, (long)&ev, 0, 0, 0, 0), -EINVAL);
	SIGEV_SIGNAL_INIT(&ev, 28);			/* SIGWINCH: ignored by default */
	UT_EQ(KC(MsgDeliverEvent, rcvid, (long)&ev, 0, 0, 0, 0), 0);
	SIGEV_PULSE_INIT(&ev, done_coid, 15, 6, 123);
	UT_EQ(KC(MsgDeliverEvent, 12345, (long)&ev, 0, 0, 0, 0), -ESRCH);
	dev_gate = 1;
	KC(FutexWake, (long)&dev_gate, 1, 0, 0, 0, 0);
	UT_EQ(wait_done_pulse(), 0);
	SIGEV_NONE_INIT(&ev);				/* probe without sending anything */
	for (int i = 0; i < 100 && KC(MsgDeliverEvent, rcvid, (long)&ev, 0, 0, 0, 0) != -ESRCH; i++)
		sleep_ns(100000);			/* until the client thread is gone */
	UT_EQ(KC(MsgDeliverEvent, rcvid, (long)&ev, 0, 0, 0, 0), -ESRCH);
	UT_EQ(ChannelDestroy(dev_chid), 0);
	return 0;
}

/*
 * The short copy (kern/ipcbuf.c): a message of up to 256 bytes between
 * linear buffers is copied directly through the MMU, under the lock that
 * delivers it when the receiver waits.  Whatever it cannot copy goes to
 * the general copy, so a bad buffer must give what it always gave: a
 * fault in the receive buffer fails MsgReceive and leaves the client
 * queued with its message; a fault in the reply's source fails MsgReply
 * and leaves the client waiting; a fault in the client's reply buffer
 * fails both the MsgReply and the MsgSend.
 */
static long sc_chid;
static volatile long sc_result, sc_result2;
static uint64_t sc_reply[2];		/* 16 bytes, 8-byte aligned: the word loop */
static const uint64_t sc_msg[2] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL };

static void
sc_client(void *arg)
{
	long co = ConnectAttach(0, 0, sc_chid, 0, 0);

	(void)arg;
	sleep_ns(20000000);		/* the test thread blocks in MsgReceive first */
	sc_result = MsgSend(co, sc_msg, sizeof(sc_msg), sc_reply, sizeof(sc_reply));
	/* Then a reply buffer in read-only text. */
	sc_result2 = MsgSend(co, sc_msg, sizeof(sc_msg), (void *)umain, 16);
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, short_copy_faults_give_the_general_errors)
{
	uint64_t in[2] = { 0, 0 }, out[2] = { 11, 22 };
	struct _msg_info mi;
	long rcvid;

	sc_chid = ChannelCreate(0);
	sc_result = sc_result2 = -999;
	sc_reply[0] = sc_reply[1] = 0;
	UT_CHECK(sc_chid > 0);
	UT_CHECK(rt_thread_create(sc_client, NULL, stacks[4], STACK, 0) > 0);
	/* Waiting when the message comes: the sender's direct copy faults in our buffer. */
	UT_EQ(MsgReceive(sc_chid, (void *)0x3000000000UL, 16, &mi), -EFAULT);	/* unmapped */
	/* The client is queued now: the receive side's copy, into text and the kernel. */
	UT_EQ(MsgReceive(sc_chid, (void *)umain, 16, &mi), -EFAULT);
	UT_EQ(MsgReceive(sc_chid, (void *)0xffffffff80200000UL, 16, &mi), -EFAULT);
	UT_EQ(sc_result, -999);			/* still waiting, message and all */
	rcvid = MsgReceive(sc_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(mi.msglen, 16);
	UT_CHECK(in[0] == sc_msg[0] && in[1] == sc_msg[1]);
	/* A bad source for the reply fails MsgReply; the client waits on. */
	UT_EQ(MsgReply(rcvid, 5, (void *)0x3000000000UL, 16), -EFAULT);
	UT_EQ(MsgReply(rcvid, 5, (void *)0xffffffff80200000UL, 16), -EFAULT);
	UT_EQ(sc_result, -999);
	UT_EQ(MsgReply(rcvid, 5, out, sizeof(out)), 0);
	/* The second message: its reply buffer is read-only. */
	rcvid = MsgReceive(sc_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(MsgReply(rcvid, 6, out, sizeof(out)), -EFAULT);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(sc_result, 5);
	UT_CHECK(sc_reply[0] == 11 && sc_reply[1] == 22);
	UT_EQ(sc_result2, -EFAULT);
	/* Pulses and _msg_info are copied out directly too; bad places fail as before. */
	{
		long co = ConnectAttach(0, 0, sc_chid, 0, 0);
		struct _pulse p;

		UT_CHECK(co >= 0);
		UT_EQ(MsgSendPulse(co, -1, 7, 70), 0);
		UT_EQ(MsgReceive(sc_chid, (void *)0xffffffff80200000UL, sizeof(p), NULL), -EFAULT);
		UT_EQ(MsgSendPulse(co, -1, 8, 80), 0);
		UT_EQ(MsgReceive(sc_chid, (void *)umain, sizeof(p), NULL), -EFAULT);
		UT_EQ(MsgSendPulse(co, -1, 9, 90), 0);
		memset(&mi, 0xff, sizeof(mi));
		UT_EQ(MsgReceive(sc_chid, &p, sizeof(p), &mi), 0);
		UT_EQ(p.code, 9);
		UT_EQ(p.value.sival_int, 90);
		UT_EQ(mi.msglen, (long)sizeof(p));
		UT_EQ(ConnectDetach(co), 0);
	}
	UT_EQ(ChannelDestroy(sc_chid), 0);
	return 0;
}

/*
 * Overlapping buffers of one process: the short copy must give memmove's
 * result (the general copy's), not a forward copy's smear.
 */
static uint8_t ov[40];

static void
ov_client(void *arg)
{
	long co = ConnectAttach(0, 0, sc_chid, 0, 0);

	(void)arg;
	sleep_ns(20000000);
	sc_result = MsgSend(co, ov, 16, ov + 20, 16);	/* the reply overlaps the message too */
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, short_copy_overlapping_buffers)
{
	struct _msg_info mi;
	long rcvid;
	int ok = 1;

	for (int i = 0; i < 40; i++)
		ov[i] = (uint8_t)i;
	sc_chid = ChannelCreate(0);
	UT_CHECK(sc_chid > 0);
	UT_CHECK(rt_thread_create(ov_client, NULL, stacks[4], STACK, 0) > 0);
	rcvid = MsgReceive(sc_chid, ov + 4, 16, &mi);	/* ov[0..15] into ov[4..19] */
	UT_CHECK(rcvid > 0);
	for (int i = 0; i < 16; i++)
		ok &= ov[4 + i] == i;
	UT_CHECK(ok);
	UT_EQ(MsgReply(rcvid, 0, ov + 18, 16), 0);	/* ov[18..33] into ov[20..35] */
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(sc_result, 0);
	for (int i = 0; i < 16; i++)
		ok &= ov[20 + i] == (i < 2 ? 14 + i : 18 + i);
	UT_CHECK(ok);
	UT_EQ(ChannelDestroy(sc_chid), 0);
	return 0;
}

/* ---- MsgReplyReceive (QSOE): MsgReply, then MsgReceive, in one call ---------- */

static long
MsgReplyReceive(long rcvid, long st, const void *sm, long sb, long chid, void *rm, long rb,
    struct _msg_info *i, long *rerr)
{
	return __kc_MsgReplyReceive7(rcvid, st, (long)sm, sb, chid, (long)rm, rb, (long)i, rerr);
}

static long rr_chid;
static volatile long rr_res[4];
static uint64_t rr_rep[4][2];

/* Client idx: one 16-byte message, the reply into rr_rep[idx], the result into rr_res[idx]. */
static void
rr_client(void *arg)
{
	long idx = (long)arg, co = ConnectAttach(0, 0, rr_chid, 0, 0);
	uint64_t m[2] = { 100 + (uint64_t)idx, 200 };

	rr_res[idx] = MsgSend(co, m, sizeof(m), rr_rep[idx], sizeof(rr_rep[idx]));
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

static long
rr_start(long idx, int stack)
{
	rr_res[idx] = -999;
	rr_rep[idx][0] = rr_rep[idx][1] = 0;
	return rt_thread_create(rr_client, (void *)idx, stacks[stack], STACK, 0);
}

/*
 * Each failure of the reply is reported in rerr and the receive still
 * happens; each failure of the receive leaves the reply made.
 */
UTEST(msg, replyrecv_errors)
{
	uint64_t in[2], out[2] = { 11, 22 };
	struct _msg_info mi;
	struct _pulse p;
	long rcvid, rerr, co, tid, st;

	rr_chid = ChannelCreate(0);
	UT_CHECK(rr_chid > 0);
	co = ConnectAttach(0, 0, rr_chid, 0, 0);
	UT_CHECK(co >= 0);
	UT_CHECK(rr_start(0, 4) > 0);
	rcvid = MsgReceive(rr_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(in[0], 100);
	/* A bad rcvid (another generation, a slot nobody has, negative): ESRCH, and a pulse is received. */
	UT_EQ(MsgSendPulse(co, -1, 5, 50), 0);
	rerr = 1;
	memset(&mi, 0xff, sizeof(mi));
	UT_EQ(MsgReplyReceive(rcvid ^ (1L << 22), 1, out, 16, rr_chid, &p, sizeof(p), &mi, &rerr), 0);
	UT_EQ(rerr, -ESRCH);
	UT_EQ(p.code, 5);
	UT_EQ(p.value.sival_int, 50);
	UT_EQ(mi.msglen, (long)sizeof(p));
	UT_EQ(MsgSendPulse(co, -1, 6, 60), 0);
	UT_EQ(MsgReplyReceive(4095, 1, out, 16, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -ESRCH);
	UT_EQ(p.code, 6);
	UT_EQ(MsgSendPulse(co, -1, 6, 61), 0);
	UT_EQ(MsgReplyReceive(-5, 1, out, 16, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -ESRCH);
	UT_EQ(p.value.sival_int, 61);
	UT_EQ(rr_res[0], -999);			/* the client still waits */
	/* A fault in the reply's source: EFAULT, the client waits on, the receive happens. */
	UT_EQ(MsgSendPulse(co, -1, 7, 70), 0);
	UT_EQ(MsgReplyReceive(rcvid, 1, (void *)0x3000000000UL, 16, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -EFAULT);
	UT_EQ(p.code, 7);
	UT_EQ(MsgSendPulse(co, -1, 7, 71), 0);
	UT_EQ(MsgReplyReceive(rcvid, 1, (void *)0xffffffff80200000UL, 16, rr_chid, &p, sizeof(p), NULL,
	    &rerr), 0);
	UT_EQ(rerr, -EFAULT);
	UT_EQ(p.value.sival_int, 71);
	/* A status that reads as an error: EINVAL, as MsgReply; the client waits on. */
	UT_EQ(MsgSendPulse(co, -1, 7, 72), 0);
	UT_EQ(MsgReplyReceive(rcvid, -EPERM, NULL, 0, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -EINVAL);
	UT_EQ(rr_res[0], -999);
	/* A fault in the receive buffer: the reply is made, the receive fails. */
	UT_EQ(MsgSendPulse(co, -1, 8, 80), 0);
	UT_EQ(MsgReplyReceive(rcvid, 42, out, sizeof(out), rr_chid, (void *)umain, sizeof(p), NULL,
	    &rerr), -EFAULT);
	UT_EQ(rerr, 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(rr_res[0], 42);
	UT_CHECK(rr_rep[0][0] == 11 && rr_rep[0][1] == 22);
	/* Too late now: ESRCH; rcvid 0 replies to nobody (0); a bad _msg_info fails the receive. */
	UT_EQ(MsgSendPulse(co, -1, 9, 90), 0);
	UT_EQ(MsgReplyReceive(rcvid, 0, NULL, 0, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -ESRCH);
	UT_EQ(MsgSendPulse(co, -1, 9, 91), 0);
	rerr = 1;
	UT_EQ(MsgReplyReceive(0, 5, out, 16, rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, 0);
	UT_EQ(p.value.sival_int, 91);
	UT_EQ(MsgReplyReceive(0, 0, NULL, 0, rr_chid, &p, sizeof(p), (struct _msg_info *)umain, &rerr),
	    -EFAULT);
	/* A bad chid: the reply is made, the receive fails with ESRCH. */
	UT_CHECK(rr_start(1, 4) > 0);
	rcvid = MsgReceive(rr_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(MsgReplyReceive(rcvid, 7, NULL, 0, 999, in, sizeof(in), NULL, &rerr), -ESRCH);
	UT_EQ(rerr, 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(rr_res[1], 7);
	/* A pulse waiting when it receives: the reply is made, the pulse received. */
	UT_CHECK(rr_start(2, 4) > 0);
	rcvid = MsgReceive(rr_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(MsgSendPulse(co, -1, 10, 100), 0);
	UT_EQ(MsgReplyReceive(rcvid, 3, out, sizeof(out), rr_chid, &p, sizeof(p), &mi, &rerr), 0);
	UT_EQ(rerr, 0);
	UT_EQ(p.code, 10);
	UT_EQ(p.value.sival_int, 100);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(rr_res[2], 3);
	UT_CHECK(rr_rep[2][0] == 11 && rr_rep[2][1] == 22);
	/* The client killed before the reply: ESRCH, and the receive happens. */
	tid = rr_start(3, 4);
	UT_CHECK(tid > 0);
	rcvid = MsgReceive(rr_chid, in, sizeof(in), &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(KC(ThreadDestroy, tid, -1, 66, 0, 0, 0), 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), 0);
	UT_EQ(st, 66);
	UT_EQ(rr_res[3], -999);
	UT_EQ(MsgSendPulse(co, -1, 11, 110), 0);
	UT_EQ(MsgReplyReceive(rcvid, 0, out, sizeof(out), rr_chid, &p, sizeof(p), NULL, &rerr), 0);
	UT_EQ(rerr, -ESRCH);
	UT_EQ(p.code, 11);
	UT_EQ(rr_res[3], -999);
	/* A time-out bounds the receive: the reply is made first. */
	{
		uint64_t t = 0;

		UT_CHECK(rr_start(0, 4) > 0);
		rcvid = MsgReceive(rr_chid, in, sizeof(in), &mi);
		UT_CHECK(rcvid > 0);
		UT_CHECK(TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t) >= 0);
		UT_EQ(MsgReplyReceive(rcvid, 9, NULL, 0, rr_chid, in, sizeof(in), NULL, &rerr), -ETIMEDOUT);
		UT_EQ(rerr, 0);
		UT_EQ(wait_done_pulse(), 0);
		UT_EQ(rr_res[0], 9);
	}
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ChannelDestroy(rr_chid), 0);
	return 0;
}

/*
 * A server loop on MsgReplyReceive alone against two clients: every size
 * (nothing, the short copy, the general copy), a reply and the next
 * message in one buffer (the reply must be made before the receive
 * writes it), queued senders, pulses in between.
 */
static struct {
	long chid;
	volatile long handled, bad, pulses;
	uint8_t buf[5000];
} rrs;

static void
rr_server(void *arg)
{
	struct _msg_info info;
	long rerr, rcvid = MsgReceive(rrs.chid, rrs.buf, sizeof(rrs.buf), &info);

	(void)arg;
	while (rcvid >= 0) {
		if (rcvid == 0) {
			if (((struct _pulse *)rrs.buf)->code == 1)
				break;
			rrs.pulses++;
			rcvid = MsgReplyReceive(0, 0, NULL, 0, rrs.chid, rrs.buf, sizeof(rrs.buf), &info, &rerr);
			if (rerr != 0)
				rrs.bad++;
			continue;
		}
		for (long i = 0; i < info.msglen; i++)
			rrs.buf[i]++;
		rrs.handled++;
		rcvid = MsgReplyReceive(rcvid, info.msglen, rrs.buf, info.msglen, rrs.chid, rrs.buf,
		    sizeof(rrs.buf), &info, &rerr);
		if (rerr != 0)
			rrs.bad++;
	}
	MsgSendPulse(done_coid, -1, 2, 0);
}

static volatile long rrc_bad[2];

static void
rr_loop_client(void *arg)
{
	static const long sizes[] = { 0, 16, 255, 300, 4000 };
	static uint8_t m[2][4000], r[2][4000];
	long idx = (long)arg, co = ConnectAttach(0, 0, rrs.chid, 0, 0);

	for (int k = 0; k < 60; k++) {
		long n = sizes[k % 5], got;

		for (long i = 0; i < n; i++)
			m[idx][i] = (uint8_t)(i + k + idx);
		memset(r[idx], 0, sizeof(r[idx]));
		got = MsgSend(co, m[idx], n, r[idx], n);
		if (got != n)
			rrc_bad[idx]++;
		for (long i = 0; i < n; i++)
			if (r[idx][i] != (uint8_t)(i + k + idx + 1))
				rrc_bad[idx]++;
		if (k % 7 == 0)
			MsgSendPulse(co, -1, 4, k);
	}
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(msg, replyrecv_server_loop)
{
	long co;

	memset(&rrs, 0, sizeof(rrs));
	rrc_bad[0] = rrc_bad[1] = 0;
	rrs.chid = ChannelCreate(0);
	UT_CHECK(rrs.chid > 0);
	UT_CHECK(rt_thread_create(rr_server, NULL, stacks[3], STACK, 0) > 0);
	UT_CHECK(rt_thread_create(rr_loop_client, (void *)0, stacks[4], STACK, 0) > 0);
	UT_CHECK(rt_thread_create(rr_loop_client, (void *)1, stacks[5], STACK, 0) > 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(rrc_bad[0], 0);
	UT_EQ(rrc_bad[1], 0);
	UT_EQ(rrs.handled, 120);
	UT_EQ(rrs.pulses, 18);
	UT_EQ(rrs.bad, 0);
	co = ConnectAttach(0, 0, rrs.chid, 0, 0);
	UT_CHECK(co >= 0);
	UT_EQ(MsgSendPulse(co, -1, 1, 0), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ChannelDestroy(rrs.chid), 0);
	return 0;
}

/*
 * Priority inheritance through MsgReplyReceive: the server takes each
 * message's priority, and waits at its own.
 */
static volatile long rr_pri[3];

static void
rr_pri_server(void *arg)
{
	struct __abi_sched_param sp;
	uint64_t t = 0;
	char b[8];
	long rerr, rcvid = MsgReceive(psv.chid, b, sizeof(b), NULL);

	(void)arg;
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	rr_pri[0] = sp.sched_curpriority;
	rcvid = MsgReplyReceive(rcvid, 0, NULL, 0, psv.chid, b, sizeof(b), NULL, &rerr);
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	rr_pri[1] = rcvid > 0 && rerr == 0 ? sp.sched_curpriority : -1;
	TimerTimeout(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, NULL, &t);
	rcvid = MsgReplyReceive(rcvid, 0, NULL, 0, psv.chid, b, sizeof(b), NULL, &rerr);
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	rr_pri[2] = rcvid == -ETIMEDOUT && rerr == 0 ? sp.sched_curpriority : -1;
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(sched, replyrecv_priority_inheritance)
{
	long co;
	char b[4] = "pri";

	for (int fixed = 0; fixed < 2; fixed++) {
		psv.chid = ChannelCreate(fixed ? _NTO_CHF_FIXED_PRIORITY : 0);
		co = ConnectAttach(0, 0, psv.chid, 0, 0);
		rr_pri[0] = rr_pri[1] = rr_pri[2] = 0;
		UT_CHECK(rt_thread_create(rr_pri_server, NULL, stacks[2], STACK, 12) > 0);
		UT_EQ(set_my_pri(40), 0);
		UT_EQ(MsgSend(co, b, 4, NULL, 0), 0);
		UT_EQ(set_my_pri(25), 0);
		UT_EQ(MsgSend(co, b, 4, NULL, 0), 0);
		UT_EQ(set_my_pri(10), 0);
		UT_EQ(wait_done_pulse(), 0);
		UT_EQ(rr_pri[0], fixed ? 12 : 40);
		UT_EQ(rr_pri[1], fixed ? 12 : 25);
		UT_EQ(rr_pri[2], 12);
		ConnectDetach(co);
		UT_EQ(ChannelDestroy(psv.chid), 0);
	}
	return 0;
}

/*
 * The fast path (docs/performance.md, Round 5): client and server on one
 * CPU, the server waiting, short messages.  The threads pin themselves to
 * CPU 0, so at -smp 4 too the fast path is taken and threads block on it
 * (keeping only their trap frame); the tests check what the general path
 * gives: results, bytes, rerr, kills, and the cases it falls back on.
 */
static void
pin0(void)
{
	KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1, 0, 0, 0, 0);
}

static struct {
	long chid, chid2, coid;
	volatile long bad, handled, held, other;
	uint8_t buf[300];
} fps;

/* Replies 1000 + n and each byte + 1 (n, the length, is byte 0); no info. */
static void
fast_server(void *arg)
{
	long rerr, rcvid;

	(void)arg;
	pin0();
	rcvid = MsgReceive(fps.chid, fps.buf, sizeof(fps.buf), NULL);
	while (rcvid > 0) {
		long n = fps.buf[0];

		for (long i = 0; i < n; i++)
			fps.buf[i]++;
		fps.handled++;
		rerr = -1;
		rcvid = MsgReplyReceive(rcvid, 1000 + n, fps.buf, n, fps.chid, fps.buf,
		    sizeof(fps.buf), NULL, &rerr);
		if (rerr != 0)
			fps.bad++;
	}
	if (rcvid != 0 || ((struct _pulse *)fps.buf)->code != 1)
		fps.bad++;
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(fast, pinned_replyrecv_loop)
{
	static uint8_t m[256], r[256];
	long co;

	pin0();
	memset(&fps, 0, sizeof(fps));
	fps.chid = ChannelCreate(0);
	UT_CHECK(fps.chid > 0);
	co = ConnectAttach(0, 0, fps.chid, 0, 0);
	UT_CHECK(co >= 0);
	UT_CHECK(rt_thread_create(fast_server, NULL, stacks[2], STACK, 0) > 0);
	for (int k = 0; k < 300; k++) {
		long n = 1 + (k * 37) % 255;

		m[0] = (uint8_t)n;
		for (long i = 1; i < n; i++)
			m[i] = (uint8_t)(i * 7 + k);
		memset(r, 0, sizeof(r));
		UT_EQ(MsgSend(co, m, n, r, n), 1000 + n);
		UT_EQ(r[0], (uint8_t)(n + 1));
		for (long i = 1; i < n; i++)
			if (r[i] != (uint8_t)(m[i] + 1))
				return rt_printf("byte %ld of round %d: %u\n", i, k, r[i]), 1;
	}
	/* A reply shorter than the room, a message longer than the server's bytes. */
	m[0] = 4;
	memset(r, 0xee, sizeof(r));
	UT_EQ(MsgSend(co, m, 200, r, 100), 1004);
	UT_EQ(r[0], 5);
	UT_EQ(r[4], 0xee);
	UT_EQ(MsgSendPulse(co, -1, 1, 0), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(fps.handled, 301);
	UT_EQ(fps.bad, 0);
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ChannelDestroy(fps.chid), 0);
	return 0;
}

/* Holds the first message (tells the test), then serves until told to quit. */
static void
fast_hold_server(void *arg)
{
	long rerr, rcvid;

	(void)arg;
	pin0();
	fps.held = MsgReceive(fps.chid, fps.buf, sizeof(fps.buf), NULL);
	MsgSendPulse(done_coid, -1, 3, 0);
	rcvid = MsgReceive(fps.chid, fps.buf, sizeof(fps.buf), NULL);
	while (rcvid > 0) {
		fps.handled++;
		rcvid = MsgReplyReceive(rcvid, 7, NULL, 0, fps.chid, fps.buf, sizeof(fps.buf),
		    NULL, &rerr);
	}
	MsgSendPulse(done_coid, -1, 2, 0);
}

static void
fast_client(void *arg)
{
	long co = ConnectAttach(0, 0, fps.chid, 0, 0);
	char b[8] = "client";

	(void)arg;
	pin0();
	fps.other = MsgSend(co, b, sizeof(b), b, sizeof(b));	/* not if destroyed */
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(fast, destroy_a_client_blocked_on_the_fast_path)
{
	uint64_t st = 0;
	long tid, co;
	char b[4] = "go";

	pin0();
	memset(&fps, 0, sizeof(fps));
	fps.other = -999;
	fps.chid = ChannelCreate(0);
	UT_CHECK(fps.chid > 0);
	UT_CHECK(rt_thread_create(fast_hold_server, NULL, stacks[2], STACK, 0) > 0);
	sleep_ns(2000000);			/* it waits in MsgReceive */
	tid = rt_thread_create(fast_client, NULL, stacks[3], STACK, 0);
	UT_CHECK(tid > 0);
	UT_EQ(wait_pulse(3), 0);		/* the message is held: REPLY-blocked */
	UT_CHECK(fps.held > 0);
	UT_EQ(KC(ThreadDestroy, tid, -1, 77, 0, 0, 0), 0);
	UT_EQ(KC(ThreadJoin, tid, (long)&st, 0, 0, 0, 0), 0);
	UT_EQ(st, 77);
	UT_EQ(fps.other, -999);			/* its MsgSend never returned */
	UT_EQ(MsgReply(fps.held, 0, NULL, 0), -ESRCH);
	/* The server blocked on the fast path serves on; then destroy it there. */
	co = ConnectAttach(0, 0, fps.chid, 0, 0);
	UT_EQ(MsgSend(co, b, 2, NULL, 0), 7);
	UT_EQ(MsgSend(co, b, 2, NULL, 0), 7);
	UT_EQ(fps.handled, 2);
	UT_EQ(ChannelDestroy(fps.chid), 0);	/* its MsgReplyReceive fails: ESRCH */
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(MsgSend(co, b, 2, NULL, 0), -ESRCH);
	UT_EQ(ConnectDetach(co), 0);
	return 0;
}

/*
 * Where the fast path does not apply, MsgReplyReceive takes the general
 * path: a reply to a client of another channel, a pulse waiting, info.
 */
static void
fast_two_channel_server(void *arg)
{
	struct _msg_info info;
	long rerr, rcvid;

	(void)arg;
	pin0();
	rcvid = MsgReceive(fps.chid, fps.buf, sizeof(fps.buf), NULL);	/* from chid */
	/* Reply to it, receive on chid2 (the general path). */
	rcvid = MsgReplyReceive(rcvid, 11, NULL, 0, fps.chid2, fps.buf, sizeof(fps.buf), &info,
	    &rerr);
	if (rcvid <= 0 || rerr != 0 || info.chid != fps.chid2 || info.msglen != 3)
		fps.bad++;
	/* A pulse queued meanwhile: received before blocking (the general path). */
	MsgSendPulse(done_coid, -1, 3, 0);
	while (fps.other == 0)
		sleep_ns(1000000);
	rcvid = MsgReplyReceive(rcvid, 12, NULL, 0, fps.chid2, fps.buf, sizeof(fps.buf), &info,
	    &rerr);
	if (rcvid != 0 || rerr != 0 || ((struct _pulse *)fps.buf)->code != 9)
		fps.bad++;
	MsgSendPulse(done_coid, -1, 2, 0);
}

static void
fast_second_client(void *arg)
{
	long co = ConnectAttach(0, 0, fps.chid2, 0, 0);

	(void)arg;
	pin0();
	if (MsgSend(co, "abc", 3, NULL, 0) != 12)
		fps.bad++;
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(fast, falls_back_to_the_general_path)
{
	long co, co2;

	pin0();
	memset(&fps, 0, sizeof(fps));
	fps.chid = ChannelCreate(0);
	fps.chid2 = ChannelCreate(0);
	UT_CHECK(fps.chid > 0 && fps.chid2 > 0);
	co = ConnectAttach(0, 0, fps.chid, 0, 0);
	co2 = ConnectAttach(0, 0, fps.chid2, 0, 0);
	UT_CHECK(rt_thread_create(fast_two_channel_server, NULL, stacks[2], STACK, 0) > 0);
	UT_CHECK(rt_thread_create(fast_second_client, NULL, stacks[3], STACK, 0) > 0);
	sleep_ns(2000000);			/* the second client waits on chid2 */
	UT_EQ(MsgSend(co, "x", 1, NULL, 0), 11);
	UT_EQ(wait_pulse(3), 0);
	UT_EQ(MsgSendPulse(co2, -1, 9, 0), 0);
	fps.other = 1;
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(fps.bad, 0);
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ConnectDetach(co2), 0);
	UT_EQ(ChannelDestroy(fps.chid), 0);
	UT_EQ(ChannelDestroy(fps.chid2), 0);
	return 0;
}

/*
 * QNX's three calls, on CPU 0; it counts each message's info mismatches.
 * Every third receive asks for no info: the kernel then builds only part
 * of it, and the next receive that asks must still get all of it.
 */
static void
fast_three_call_server(void *arg)
{
	struct _msg_info info;
	long rcvid, n;

	(void)arg;
	pin0();
	for (unsigned k = 0;; k++) {
		int want = k % 3 != 2;

		memset(&info, 0xa5, sizeof(info));
		rcvid = MsgReceive(fps.chid, fps.buf, sizeof(fps.buf), want ? &info : NULL);
		if (rcvid < 0)
			break;
		if (rcvid == 0) {		/* a pulse: code 1 quits, 6 counts */
			if (((struct _pulse *)fps.buf)->code == 1)
				break;
			if (want && info.msglen != sizeof(struct _pulse) && info.msglen != 0)
				fps.bad++;
			fps.other++;
			continue;
		}
		/* ipctest runs as init (pid 1); the tests run in its first thread. */
		if (want && (info.pid != 1 || info.tid != 1 || info.chid != fps.chid ||
		    info.msglen != fps.buf[0] || info.priority != 10 ||
		    info.srcmsglen != fps.buf[0] || info.dstmsglen != fps.buf[0] ||
		    info.flags != _NTO_MI_BITS_64 || info.coid != fps.coid || info.scoid <= 0))
			fps.bad++;
		if (!want && info.msglen != (long)0xa5a5a5a5a5a5a5a5)	/* untouched */
			fps.bad++;
		fps.handled++;
		n = fps.buf[0];			/* not info's: a bad info is counted, not used */
		for (long i = 0; i < n; i++)
			fps.buf[i]++;
		if (MsgReply(rcvid, 2000 + n, fps.buf, n) != 0)
			fps.bad++;
	}
	MsgSendPulse(done_coid, -1, 2, 0);
}

/* From another CPU if there is one: pulses to the server blocked on CPU 0. */
static void
fast_pulser(void *arg)
{
	long co = ConnectAttach(0, 0, fps.chid, 0, 0);

	(void)arg;
	KC(ThreadCtl, _NTO_TCTL_RUNMASK, 2, 0, 0, 0, 0);	/* CPU 1; EINVAL at -smp 1 */
	for (int i = 0; i < 50; i++) {
		MsgSendPulse(co, -1, 6, i);
		sleep_ns(200000);
	}
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(fast, pinned_three_calls_and_pulses_from_another_cpu)
{
	struct __abi_sched_param sp;
	static uint8_t m[256], r[256];
	long co, oldpri;

	pin0();
	memset(&fps, 0, sizeof(fps));
	UT_EQ(KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0), SCHED_FIFO);
	oldpri = sp.sched_priority;
	UT_EQ(set_my_pri(10), 0);
	fps.chid = ChannelCreate(_NTO_CHF_SENDER_LEN | _NTO_CHF_REPLY_LEN);
	UT_CHECK(fps.chid > 0);
	co = ConnectAttach(0, 0, fps.chid, 0, 0);
	fps.coid = co;
	UT_CHECK(rt_thread_create(fast_three_call_server, NULL, stacks[2], STACK, 0) > 0);
	UT_CHECK(rt_thread_create(fast_pulser, NULL, stacks[3], STACK, 0) > 0);
	for (int k = 0; k < 400; k++) {
		long n = 1 + (k * 53) % 255;

		m[0] = (uint8_t)n;
		for (long i = 1; i < n; i++)
			m[i] = (uint8_t)(i ^ k);
		UT_EQ(MsgSend(co, m, n, r, n), 2000 + n);
		UT_EQ(r[0], (uint8_t)(n + 1));
		UT_EQ(r[n - 1], (uint8_t)(m[n - 1] + 1));
	}
	UT_EQ(wait_done_pulse(), 0);		/* the pulser */
	UT_EQ(MsgSendPulse(co, -1, 1, 0), 0);
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(fps.handled, 400);
	UT_EQ(fps.other, 50);
	UT_EQ(fps.bad, 0);
	UT_EQ(ConnectDetach(co), 0);
	UT_EQ(ChannelDestroy(fps.chid), 0);
	UT_EQ(set_my_pri(oldpri), 0);
	return 0;
}

/*
 * A thread blocked on the fast path that runs again and sleeps again in
 * the general wait (here: boosted, it passes the boost on) has kernel
 * frames on its stack; a fast reply must then switch to it, not end its
 * call from outside (with INVARIANTS a kernel assertion checks it).  S
 * works for chP and waits on Q in a MsgSend; B, higher, queues on chP and
 * boosts S, which wakes, boosts Q and sleeps again; then Q replies with
 * MsgReplyReceive.  All on CPU 0.
 */
static struct {
	long chp, chq;
	volatile long s_got, a_got, b_got, q_pri, bad;
} fpb;

static void
fpb_q(void *arg)
{
	struct __abi_sched_param sp;
	long rerr, rcvid;
	char b[8];

	(void)arg;
	pin0();
	rcvid = MsgReceive(fpb.chq, b, sizeof(b), NULL);	/* S's message, held */
	MsgSendPulse(done_coid, -1, 3, 0);
	sleep_ns(20000000);		/* meanwhile B queues on chP */
	KC(SchedGet, 0, 0, (long)&sp, 0, 0, 0);
	fpb.q_pri = sp.sched_curpriority;	/* 30: the boost reached it through S */
	rcvid = MsgReplyReceive(rcvid, 5, NULL, 0, fpb.chq, b, sizeof(b), NULL, &rerr);
	if (rcvid != 0 || rerr != 0)	/* the test's pulse next */
		fpb.bad++;
	MsgSendPulse(done_coid, -1, 2, 0);
}

static void
fpb_s(void *arg)
{
	long coq = ConnectAttach(0, 0, fpb.chq, 0, 0), rcvid;
	char b[8];

	(void)arg;
	pin0();
	rcvid = MsgReceive(fpb.chp, b, sizeof(b), NULL);	/* A's: we work for chP */
	fpb.s_got = MsgSend(coq, "s", 1, NULL, 0);		/* blocks on Q */
	MsgReply(rcvid, 7, NULL, 0);
	rcvid = MsgReceive(fpb.chp, b, sizeof(b), NULL);	/* B's */
	MsgReply(rcvid, 9, NULL, 0);
	ConnectDetach(coq);
	MsgSendPulse(done_coid, -1, 2, 0);
}

static void
fpb_client(void *arg)
{
	long co = ConnectAttach(0, 0, fpb.chp, 0, 0);
	long rc;

	pin0();
	rc = MsgSend(co, "c", 1, NULL, 0);
	if (arg)
		fpb.b_got = rc;
	else
		fpb.a_got = rc;
	ConnectDetach(co);
	MsgSendPulse(done_coid, -1, 2, 0);
}

UTEST(fast, reply_to_a_client_that_slept_again)
{
	long coq;

	pin0();
	memset(&fpb, 0, sizeof(fpb));
	fpb.chp = ChannelCreate(0);
	fpb.chq = ChannelCreate(0);
	UT_CHECK(fpb.chp > 0 && fpb.chq > 0);
	UT_CHECK(rt_thread_create(fpb_q, NULL, stacks[2], STACK, 10) > 0);
	UT_CHECK(rt_thread_create(fpb_s, NULL, stacks[3], STACK, 10) > 0);
	sleep_ns(2000000);
	UT_CHECK(rt_thread_create(fpb_client, NULL, stacks[4], STACK, 10) > 0);	/* A */
	UT_EQ(wait_pulse(3), 0);		/* S waits on Q */
	UT_CHECK(rt_thread_create(fpb_client, (void *)1, stacks[5], STACK, 30) > 0);	/* B */
	for (int i = 0; i < 3; i++)		/* S, A, B */
		UT_EQ(wait_done_pulse(), 0);
	coq = ConnectAttach(0, 0, fpb.chq, 0, 0);
	UT_EQ(MsgSendPulse(coq, -1, 1, 0), 0);	/* Q's last receive */
	UT_EQ(wait_done_pulse(), 0);
	UT_EQ(fpb.s_got, 5);
	UT_EQ(fpb.a_got, 7);
	UT_EQ(fpb.b_got, 9);
	UT_EQ(fpb.q_pri, 30);
	UT_EQ(fpb.bad, 0);
	UT_EQ(ConnectDetach(coq), 0);
	UT_EQ(ChannelDestroy(fpb.chp), 0);
	UT_EQ(ChannelDestroy(fpb.chq), 0);
	return 0;
}

int
umain(uint64_t arg)
{
	(void)arg;
	done_chid = ChannelCreate(0);
	done_coid = ConnectAttach(0, 0, done_chid, 0, 0);
	if (done_chid <= 0 || done_coid < 0) {
		rt_printf("ipctest: cannot set up (%ld %ld)\n", done_chid, done_coid);
		return 1;
	}
	return utest_run_all() ? 1 : 0;
}
