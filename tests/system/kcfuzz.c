/*
 * tests/system/kcfuzz.c - random kernel calls from unprivileged processes:
 * nothing user space does may panic or hang the kernel.
 *
 * init (this program) spawns fuzzers on every CPU, one after another
 * while the time budget lasts.  A fuzzer makes thousands of calls with a
 * number from 0 to past the end of kercalls.def and arguments drawn from
 * values that break things: 0, -1, small ids, huge numbers, kernel
 * addresses, unaligned and unmapped user addresses, and pointers into a
 * scratch area of its own (so it cannot smash its own stack on purpose).
 * Every call is bounded by a TimerTimeout of a millisecond, so none blocks
 * for long.  A fuzzer may well end itself (ThreadDestroy, a signal it sent
 * itself, a handler at a random address): that is fine, a new one takes
 * its place.  The test checks that fuzzers keep being created and ending,
 * that every one ends within its budget, and the kernel's own checks do
 * the rest (a panic powers off with 99; the frame count is checked when
 * init ends).  The seed is printed.
 */
#include "utest.h"
#include <abi/neutrino.h>
#include <abi/procmgr.h>
#include <abi/signal.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define FUZZERS		3		/* at a time */
#define CALLS		3000		/* per fuzzer */
#define RUN_MS		6000

enum { ROLE_TESTS, ROLE_FUZZ };

static const void *img;
static uint64_t imgsize;
static uint8_t scratch[3 * 4096] __attribute__((aligned(4096)));

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* An argument that is likely to be wrong in an interesting way. */
static long
arg(uint64_t *s)
{
	static const long fixed[] = {
		0, 1, 2, 3, -1, -2, 4096, 0x7fffffff, (long)0x80000000UL, -4096,
		(long)0xffffffff80200000UL, (long)0x3fffffff00UL, 0x40000000, 0x1000,
		_NTO_SIDE_CHANNEL, _NTO_SIDE_CHANNEL + 1,
	};
	uint64_t r = rnd(s);

	switch (r % 6) {
	case 0:
		return fixed[(r >> 8) % (sizeof(fixed) / sizeof(fixed[0]))];
	case 1:
		return (long)(r >> 3) % 64;				/* small ids */
	case 2:
		return (long)(uintptr_t)&scratch[(r >> 8) % sizeof(scratch)];	/* ours, any alignment */
	case 3:
		return (long)(uintptr_t)&scratch[((r >> 8) % (sizeof(scratch) / 16)) * 16];
	case 4:
		return (long)(r >> 16);					/* huge */
	default:
		return (long)r;
	}
}

static int
fuzz(uint64_t seed)
{
	uint64_t s = seed | 1, ns = 1000000;
	struct __abi_sigaction ign = { __ABI_SIG_IGN, 0, 0 };

	/* Live longer: a signal it sends itself is ignored (until it changes that). */
	for (int sig = 1; sig <= 64; sig++)
		KC(SignalAction, 0, 0, sig, (long)&ign, 0, 0);
	for (int i = 0; i < CALLS; i++) {
		long num = (long)(rnd(&s) % (__KER_COUNT + 3));
		long a[6];

		for (int j = 0; j < 6; j++)
			a[j] = arg(&s);
		if ((num == __KER_ThreadDestroy || num == __KER_SignalReturn ||
		    num == __KER_ThreadCreate) && (rnd(&s) % 16) != 0)
			continue;		/* the easy ways to die: only sometimes */
		if (num == __KER_DebugWrite || num == __KER_TimerTimeout)
			continue;		/* the console stays readable; our bound stays ours */
		KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_MASK & ~_NTO_TIMEOUT_NANOSLEEP, 0,
		    (long)&ns, 0, 0);
		__kercall(num, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	return CALLS / 100;	/* lived to the end */
}


static long pids[FUZZERS], full;	/* fuzzers that made all their calls */

/* Wait up to ms for a death; forget its pid.  1 if one came, 0 on time-out, -1 on error. */
static int
one_death(long chid, uint64_t ms)
{
	uint64_t ns = ms * 1000000ULL;
	struct _pulse p;
	long rc;

	KC(TimerTimeout, CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, (long)&ns, 0, 0);
	rc = KC(MsgReceive, chid, (long)&p, sizeof(p), 0, 0, 0);
	if (rc == -ETIMEDOUT)
		return 0;
	if (rc != 0 || p.code != _PULSE_CODE_PROCDEATH)
		return -1;
	for (int i = 0; i < FUZZERS; i++)
		if (pids[i] == (long)((uint64_t)(uintptr_t)p.value.sival_ptr >> 32))
			pids[i] = 0;
	full += (int32_t)(uint64_t)(uintptr_t)p.value.sival_ptr == (CALLS / 100) << 8;
	return 1;
}

/*
 * A fuzzer may stop itself (SIGSTOP) or spin at a high priority for a
 * while; one that has not ended in 3 s gets SIGKILL, which must end it
 * within 5 s whatever state it is in.
 */
static int
reap(long chid, long *killed)
{
	int rc = one_death(chid, 3000);

	if (rc != 0)
		return rc;
	for (int i = 0; i < FUZZERS; i++)
		if (pids[i] && KC(SignalKill, 0, pids[i], 0, SIGKILL, 0, 0) == 0)
			(*killed)++;
	return one_death(chid, 5000) == 1 ? 1 : -1;
}

UTEST(fuzz, random_kernel_calls)
{
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0), started = 0, ended = 0, killed = 0;
	uint64_t seed, t0 = 0, now = 0;

	KC(ClockTime, CLOCK_MONOTONIC, 0, (long)&seed, 0, 0, 0);
	seed = seed * 0x9e3779b97f4a7c15ULL | 1;
	rt_printf("kcfuzz: seed 0x%lx\n", (unsigned long)seed);
	UT_EQ(KC(ProcNotify, chid, 0, 0, 0, 0, 0), 0);
	KC(ClockTime, CLOCK_MONOTONIC, 0, (long)&t0, 0, 0, 0);
	do {
		for (int i = 0; i < FUZZERS; i++) {
			if (pids[i])
				continue;
			/* The child's seed rides in the argument with the role. */
			pids[i] = rt_spawn(img, imgsize, "/proc/boot/kcfuzz",
			    ROLE_FUZZ | (rnd(&seed) & ~0xffUL), 0);
			UT_CHECK(pids[i] > 1);
			started++;
		}
		UT_EQ(reap(chid, &killed), 1);		/* not a hang */
		ended++;
		KC(ClockTime, CLOCK_MONOTONIC, 0, (long)&now, 0, 0, 0);
	} while (now - t0 < RUN_MS * 1000000ULL);
	while (ended < started) {
		UT_EQ(reap(chid, &killed), 1);
		ended++;
	}
	rt_printf("kcfuzz: %ld fuzzers ended, %ld of them after all %d calls (%ld needed SIGKILL)\n",
	    ended, full, CALLS, killed);
	UT_CHECK(started > FUZZERS);
	return 0;
}

int
umain(uint64_t arg0)
{
	if ((arg0 & 0xff) == ROLE_FUZZ)
		return fuzz(arg0 >> 8);
	img = (const void *)arg0;
	imgsize = rt_arg2;
	return utest_run_all() ? 1 : 0;
}
