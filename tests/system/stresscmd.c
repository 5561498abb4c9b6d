/*
 * tests/system/stresscmd.c - the stress test started from user space
 * (SysStress, what the shell's `stress` command calls) while user
 * threads keep message passing going on every CPU: it must pass with the
 * system in use, refuse a second run and bad arguments, and refuse
 * unprivileged callers.  Runs as init (init=/proc/boot/stresscmd).
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define STACK		16384
#define PAIRS		2

enum { ROLE_TESTS, ROLE_UNPRIV };

static const void *img;
static uint64_t imgsize;
static uint8_t stacks[2 * PAIRS + 1][STACK] __attribute__((aligned(16)));
static volatile int stop;
static volatile long sent[PAIRS], served[PAIRS], bad[PAIRS];
static long chids[PAIRS];
static volatile long second_rc = 1;

/* An echo server: replies with the message plus one. */
static void
server(void *arg)
{
	long i = (long)arg;
	uint64_t v;

	for (;;) {
		long rcvid = KC(MsgReceive, chids[i], (long)&v, sizeof(v), 0, 0, 0);

		if (rcvid <= 0)
			break;			/* the channel is gone: done */
		v++;
		served[i]++;
		KC(MsgReply, rcvid, 0, (long)&v, sizeof(v), 0, 0);
	}
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

static void
client(void *arg)
{
	long i = (long)arg, co = KC(ConnectAttach, 0, 0, chids[i], _NTO_SIDE_CHANNEL, 0, 0);

	for (uint64_t n = 1; !stop; n++) {
		uint64_t r = 0;

		if (KC(MsgSend, co, (long)&n, sizeof(n), (long)&r, sizeof(r), 0) != 0 || r != n + 1)
			bad[i]++;
		sent[i]++;
	}
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

static void
second_run(void *arg)
{
	(void)arg;
	second_rc = KC(SysStress, 2, 1, 0, 0, 0, 0);
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

UTEST(stress, bad_arguments_and_rights)
{
	long pid;
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);

	UT_EQ(KC(SysStress, 0, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SysStress, 86401, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(ProcNotify, chid, 0, 0, 0, 0, 0), 0);
	pid = rt_spawn(img, imgsize, "/proc/boot/stresscmd", ROLE_UNPRIV, 0);
	UT_CHECK(pid > 1);
	{
		struct _pulse p;

		UT_EQ(KC(MsgReceive, chid, (long)&p, sizeof(p), 0, 0, 0), 0);
		UT_EQ((int32_t)(uint64_t)(uintptr_t)p.value.sival_ptr, 0);	/* it got EPERM */
	}
	UT_EQ(KC(ChannelDestroy, chid, 0, 0, 0, 0, 0), 0);
	return 0;
}

UTEST(stress, passes_with_user_load)
{
	long rc;

	for (long i = 0; i < PAIRS; i++) {
		chids[i] = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
		UT_CHECK(chids[i] > 0);
		UT_CHECK(rt_thread_create(server, (void *)i, stacks[2 * i], STACK, 10) > 0);
		UT_CHECK(rt_thread_create(client, (void *)i, stacks[2 * i + 1], STACK, 10) > 0);
	}
	rt_sleep_ms(50);
	UT_CHECK(rt_thread_create(second_run, NULL, stacks[2 * PAIRS], STACK, 10) > 0);
	rc = KC(SysStress, 3, 0x5eed, 0, 0, 0, 0);
	/* One of the two runs got in first; the other was told it was busy. */
	for (int i = 0; i < 200 && second_rc == 1; i++)
		rt_sleep_ms(10);
	UT_CHECK((rc == 0 && second_rc == -EBUSY) || (rc == -EBUSY && second_rc == 0));
	stop = 1;
	rt_sleep_ms(50);
	for (long i = 0; i < PAIRS; i++) {
		UT_EQ(bad[i], 0);
		UT_CHECK(sent[i] > 10);			/* the user load really ran */
		UT_CHECK(served[i] >= sent[i] - 1);
		UT_EQ(KC(ChannelDestroy, chids[i], 0, 0, 0, 0, 0), 0);
	}
	return 0;
}

int
umain(uint64_t arg)
{
	if ((arg & 0xff) == ROLE_UNPRIV)
		return KC(SysStress, 1, 0, 0, 0, 0, 0) == -EPERM ? 0 : 1;
	img = (const void *)arg;
	imgsize = rt_arg2;
	return utest_run_all() ? 1 : 0;
}
