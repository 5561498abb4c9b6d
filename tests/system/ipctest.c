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
	long chid = ChannelCreate(0), co, side;
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
	UT_EQ(ConnectDetach(co), 0);
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
