/*
 * tests/system/pritest.c - priority inheritance along message passing
 * (kern/ipc_prio.c): a busy server is boosted by a higher client that has
 * to queue, the boost travels along a chain of sends (REPLY and SEND
 * blocked links), a boosted sender moves up its queue, fixed-priority
 * channels inherit nothing, pulses bring their priority, and the boost
 * ends at the next receive.  Runs as init (init=/proc/boot/pritest).
 */
#include "utest.h"
#include <abi/neutrino.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define STACK		16384
#define BASE		10	/* the servers' own priority */
#define HIGH		30

static uint8_t stacks[6][STACK] __attribute__((aligned(16)));

/* Poll our priority until it is at least want (or 2 s pass); returns what we saw. */
static int
await_pri(int want)
{
	for (int i = 0; i < 400 && rt_mypri() < want; i++)
		rt_sleep_ms(5);
	return rt_mypri();
}

static long
attach(long chid)
{
	return KC(ConnectAttach, 0, 0, chid, _NTO_SIDE_CHANNEL, 0, 0);
}

/* A client thread: send `tag` on co at priority pri; the reply lands in *out. */
struct client {
	long		co;
	int		pri;
	int		tag;
	int		empty;		/* non-zero: send 0 bytes (the tag stays unread) */
	volatile long	result;
	volatile int	done;
};

static void
client_main(void *arg)
{
	struct client *c = arg;
	int tag = c->tag;

	rt_setpri(c->pri);
	c->result = KC(MsgSend, c->co, (long)&tag, c->empty ? 0 : sizeof(tag), 0, 0, 0);
	c->done = 1;
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

static int
start_client(struct client *c, int slot)
{
	c->done = 0;
	return rt_thread_create(client_main, c, stacks[slot], STACK, BASE) > 0 ? 0 : -1;
}

static long
receive(long chid, int *tag, struct _msg_info *mi)
{
	return KC(MsgReceive, chid, (long)tag, sizeof(*tag), (long)mi, 0, 0);
}

static void
wait_done(struct client *c)
{
	for (int i = 0; i < 400 && !c->done; i++)
		rt_sleep_ms(5);
}

UTEST(pi, busy_server_is_boosted_and_unwinds)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), rcvid, r2;
	struct client lo = { .pri = BASE, .tag = 1 }, hi = { .pri = HIGH, .tag = 2 };
	struct _msg_info mi;
	int tag;

	rt_setpri(BASE);
	UT_CHECK(chid > 0);
	lo.co = hi.co = attach(chid);
	UT_EQ(start_client(&lo, 0), 0);
	rcvid = receive(chid, &tag, &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(tag, 1);
	UT_EQ(rt_mypri(), BASE);
	UT_EQ(start_client(&hi, 1), 0);		/* queues: we are busy with lo */
	UT_EQ(await_pri(HIGH), HIGH);		/* boosted while busy */
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	UT_EQ(rt_mypri(), HIGH);			/* until we receive again */
	r2 = receive(chid, &tag, &mi);
	UT_CHECK(r2 > 0);
	UT_EQ(tag, 2);
	UT_EQ(mi.priority, HIGH);
	UT_EQ(rt_mypri(), HIGH);			/* the client's own now */
	UT_EQ(KC(MsgReply, r2, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(MsgSendPulse, hi.co, BASE + 2, 3, 0, 0, 0), 0);
	UT_EQ(receive(chid, &tag, &mi), 0);	/* a pulse brings its priority */
	UT_EQ(rt_mypri(), BASE + 2);
	wait_done(&lo);
	wait_done(&hi);
	UT_EQ(lo.result, 0);
	UT_EQ(hi.result, 0);
	rt_setpri(BASE);
	UT_EQ(KC(ConnectDetach, lo.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

UTEST(pi, fixed_priority_channel_inherits_nothing)
{
	long chid = KC(ChannelCreate, _NTO_CHF_FIXED_PRIORITY, 0, 0, 0, 0, 0), rcvid;
	struct client lo = { .pri = BASE + 1, .tag = 1 }, hi = { .pri = HIGH, .tag = 2 };
	struct _msg_info mi;
	int tag;

	rt_setpri(BASE);
	lo.co = hi.co = attach(chid);
	UT_EQ(start_client(&lo, 0), 0);
	rcvid = receive(chid, &tag, &mi);
	UT_CHECK(rcvid > 0);
	UT_EQ(rt_mypri(), BASE);			/* not the client's */
	UT_EQ(start_client(&hi, 1), 0);
	rt_sleep_ms(50);
	UT_EQ(rt_mypri(), BASE);			/* and no boost */
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	rcvid = receive(chid, &tag, &mi);
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	wait_done(&lo);
	wait_done(&hi);
	UT_EQ(KC(ConnectDetach, lo.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/* A second server thread: receive one message on chid, reply, leave. */
static volatile int second_got = -1;

static void
second_server(void *arg)
{
	long chid = (long)arg, rcvid;
	struct _msg_info mi;
	int tag = -1;

	rt_setpri(BASE);
	rcvid = receive(chid, &tag, &mi);
	second_got = rcvid > 0 ? (int)mi.msglen : -2;
	if (rcvid > 0)
		KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

/*
 * A high client whose message goes straight to a waiting receiver does not
 * boost the channel's busy workers: only a client that has to queue does.
 * (The 0-byte message takes the fast path's delivery under the claiming
 * lock, which once boosted the workers as if the client had queued.)
 */
UTEST(pi, message_to_waiting_receiver_boosts_no_busy_worker)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), rcvid;
	struct client lo = { .pri = BASE, .tag = 1 }, hi = { .pri = HIGH, .tag = 2, .empty = 1 };
	struct _msg_info mi;
	int tag;

	rt_setpri(BASE);
	UT_CHECK(chid > 0);
	lo.co = hi.co = attach(chid);
	UT_EQ(start_client(&lo, 0), 0);
	rcvid = receive(chid, &tag, &mi);	/* we are busy with lo */
	UT_CHECK(rcvid > 0);
	second_got = -1;
	UT_CHECK(rt_thread_create(second_server, (void *)chid, stacks[2], STACK, BASE) > 0);
	rt_sleep_ms(50);			/* it waits in MsgReceive */
	UT_EQ(start_client(&hi, 1), 0);
	wait_done(&hi);
	UT_EQ(hi.result, 0);
	UT_EQ(second_got, 0);			/* it took hi's empty message */
	UT_EQ(rt_mypri(), BASE);		/* and we were not boosted */
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	wait_done(&lo);
	UT_EQ(lo.result, 0);
	rt_sleep_ms(20);
	UT_EQ(KC(ConnectDetach, lo.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

/*
 * A chain: we (the test thread) play S2, a server; a middle thread S1
 * receives a low client's message on ch1 and, to serve it, sends to us on
 * ch2 and waits (REPLY-blocked).  A high client then queues on ch1: S1 is
 * boosted, and passes the boost on to us, S1's server.
 */
static long ch1, ch2;
static volatile int s1_pri_after;

static void
middle_server(void *arg)
{
	long co2 = attach(ch2), rcvid;
	struct _msg_info mi;
	int tag, t2 = 9;

	(void)arg;
	rt_setpri(BASE);
	for (int n = 0; n < 2; n++) {
		rcvid = receive(ch1, &tag, &mi);
		if (rcvid <= 0)
			break;
		if (tag == 1)		/* the low client's request needs S2 */
			KC(MsgSend, co2, (long)&t2, sizeof(t2), 0, 0, 0);
		s1_pri_after = rt_mypri();
		KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
	}
	KC(ConnectDetach, co2, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

UTEST(pi, boost_travels_along_reply_chain)
{
	struct client lo = { .pri = BASE, .tag = 1 }, hi = { .pri = HIGH, .tag = 2 };
	struct _msg_info mi;
	long rcvid;
	int tag;

	rt_setpri(BASE);
	ch1 = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	ch2 = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	UT_CHECK(ch1 > 0 && ch2 > 0);
	UT_CHECK(rt_thread_create(middle_server, NULL, stacks[2], STACK, BASE) > 0);
	lo.co = hi.co = attach(ch1);
	UT_EQ(start_client(&lo, 0), 0);
	rcvid = receive(ch2, &tag, &mi);	/* S1's request, on lo's behalf */
	UT_CHECK(rcvid > 0);
	UT_EQ(tag, 9);
	UT_EQ(rt_mypri(), BASE);
	UT_EQ(start_client(&hi, 1), 0);		/* queues on ch1: S1 is busy */
	UT_EQ(await_pri(HIGH), HIGH);		/* S1 -> us */
	UT_EQ(KC(MsgReply, rcvid, 0, 0, 0, 0, 0), 0);
	wait_done(&lo);
	wait_done(&hi);
	UT_EQ(lo.result, 0);
	UT_EQ(hi.result, 0);
	UT_EQ(s1_pri_after, HIGH);		/* S1 was boosted too */
	rt_setpri(BASE);
	rt_sleep_ms(20);
	UT_EQ(KC(ConnectDetach, lo.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, ch1, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, ch2, 0, 0, 0, 0, 0), 0);
	return 0;
}

/*
 * A SEND-blocked link: S1 waits in ch2's send queue behind a low sender
 * (we are busy).  Boosting S1 must move it ahead of the low sender, and
 * boost us.
 */
UTEST(pi, boosted_sender_moves_up_the_queue)
{
	struct client lo = { .pri = BASE, .tag = 1 }, hi = { .pri = HIGH, .tag = 2 };
	struct client other = { .pri = BASE, .tag = 7 }, blocker = { .pri = BASE, .tag = 5 };
	struct _msg_info mi;
	long rb, r;
	int tag;

	rt_setpri(BASE);
	ch1 = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	ch2 = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	blocker.co = other.co = attach(ch2);
	UT_EQ(start_client(&blocker, 3), 0);
	rb = receive(ch2, &tag, &mi);		/* we are now busy on ch2 */
	UT_EQ(tag, 5);
	UT_EQ(start_client(&other, 4), 0);	/* queued first on ch2, at BASE too */
	rt_sleep_ms(20);
	UT_CHECK(rt_thread_create(middle_server, NULL, stacks[2], STACK, BASE) > 0);
	lo.co = hi.co = attach(ch1);
	UT_EQ(start_client(&lo, 0), 0);		/* S1 takes it and queues on ch2 */
	rt_sleep_ms(20);
	UT_EQ(start_client(&hi, 1), 0);		/* boosts S1, which boosts us */
	UT_EQ(await_pri(HIGH), HIGH);
	UT_EQ(KC(MsgReply, rb, 0, 0, 0, 0, 0), 0);
	r = receive(ch2, &tag, &mi);		/* S1 first, though it queued last */
	UT_EQ(tag, 9);
	UT_EQ(mi.priority, HIGH);
	UT_EQ(KC(MsgReply, r, 0, 0, 0, 0, 0), 0);
	r = receive(ch2, &tag, &mi);
	UT_EQ(tag, 7);
	UT_EQ(KC(MsgReply, r, 0, 0, 0, 0, 0), 0);
	wait_done(&lo);
	wait_done(&hi);
	wait_done(&other);
	wait_done(&blocker);
	rt_setpri(BASE);
	rt_sleep_ms(20);
	UT_EQ(KC(ConnectDetach, lo.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ConnectDetach, other.co, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, ch1, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(ChannelDestroy, ch2, 0, 0, 0, 0, 0), 0);
	return 0;
}

int
umain(uint64_t arg)
{
	(void)arg;
	return utest_run_all() ? 1 : 0;
}
