/*
 * tests/system/ipcscale.c - the scaling figure of `make bench`: N
 * client/server pairs on N CPUs (N = 1, 2, 4, as far as the machine has
 * CPUs), each pair on its own CPU doing 0-byte MsgSend/MsgReceive/MsgReply
 * round trips on its own channel for a fixed time.  If nothing shared
 * serialises message passing, the aggregate rate grows with N.  Runs as
 * init under MTTCG (no -icount: wall time is the figure).  Prints
 *	BENCHRATE <name> <round trips> <ns>
 * for each N: the total over all pairs and the time they took.  A control
 * round does the same with a short user-mode loop in place of MsgSend
 * (no kernel entry at all), which shows how far the host itself lets N
 * vCPUs run in parallel.
 */
#include "rt.h"
#include <abi/neutrino.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define STACK		16384
#define MAXPAIRS	4
#define RUN_TICKS	10000000	/* 1 s of the 10 MHz time CSR */

static inline uint64_t
rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v) :: "memory");
	return v;
}

struct pair {
	int		cpu;
	long		chid;
	long		coid;
	volatile uint64_t count;	/* round trips done */
	volatile uint64_t end;		/* when the client stopped (time CSR) */
	volatile int	done;
};

static struct pair pairs[MAXPAIRS];
static uint8_t sstacks[MAXPAIRS][STACK] __attribute__((aligned(16)));
static uint8_t cstacks[6][MAXPAIRS][STACK] __attribute__((aligned(16)));
static volatile uint64_t go_at;		/* 0 until the round starts */
static volatile uint64_t stop_at;
static volatile int spin;		/* control round: no kernel calls */
static volatile uint64_t sink;

static long
pin(int cpu)
{
	return KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1L << cpu, 0, 0, 0, 0);
}

static void
server(void *arg)
{
	struct pair *p = arg;

	pin(p->cpu);
	for (;;) {
		long rcvid = KC(MsgReceive, p->chid, 0, 0, 0, 0, 0);

		if (rcvid > 0)
			KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
		else if (rcvid < 0)
			break;
	}
}

static void
client(void *arg)
{
	struct pair *p = arg;
	uint64_t n = 0;

	pin(p->cpu);
	while (go_at == 0 || rdtime() < go_at)
		KC(SchedYield, 0, 0, 0, 0, 0, 0);
	do {
		if (spin) {
			uint64_t x = n;

			for (int i = 0; i < 64; i++) {
				for (int j = 0; j < 100; j++)	/* about a round trip's length */
					x = x * 6364136223846793005ULL + 1;
				n++;
			}
			sink = x;
			continue;
		}
		for (int i = 0; i < 64; i++)
			if (KC(MsgSend, p->coid, 0, 0, 0, 0, 0) == 0)
				n++;
	} while (rdtime() < stop_at);
	p->end = rdtime();
	p->count = n;
	p->done = 1;
}

/* One round with n pairs; returns 0 or -1. */
static int
round_of(int n, int round)
{
	uint64_t total = 0, last = 0, t0;

	go_at = 0;
	for (int i = 0; i < n; i++) {
		pairs[i].done = 0;
		pairs[i].count = 0;
		if (rt_thread_create(client, &pairs[i], cstacks[round][i], STACK, 0) <= 0)
			return -1;
	}
	rt_sleep_ms(20);			/* every client is on its CPU */
	t0 = rdtime() + 10000;		/* 1 ms from now */
	stop_at = t0 + RUN_TICKS;
	go_at = t0;
	rt_sleep_ms(1100);
	for (int i = 0; i < n; i++) {
		while (!pairs[i].done)
			rt_sleep_ms(10);
		total += pairs[i].count;
		if (pairs[i].end > last)
			last = pairs[i].end;
	}
	rt_printf("BENCHRATE %s_%dpairs_%dcpus %lu %lu\n",
	    spin ? "control_userloop" : "ipc_roundtrip_0B", n, n,
	    (unsigned long)total, (unsigned long)((last - t0) * 100));
	return 0;
}

int
umain(uint64_t arg)
{
	static const int ns[] = { 1, 2, 4 };
	int ncpus = 1;

	(void)arg;
	while (ncpus < MAXPAIRS && pin(ncpus) == 0)
		ncpus++;
	pin(0);
	for (int i = 0; i < ncpus; i++) {
		pairs[i].cpu = i;
		pairs[i].chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
		pairs[i].coid = KC(ConnectAttach, 0, 0, pairs[i].chid, _NTO_SIDE_CHANNEL, 0, 0);
		if (pairs[i].chid <= 0 || pairs[i].coid < 0 ||
		    rt_thread_create(server, &pairs[i], sstacks[i], STACK, 0) <= 0) {
			rt_printf("ipcscale: setup failed\n");
			return 1;
		}
	}
	for (int r = 0; r < 6; r++) {
		if (ns[r % 3] > ncpus)
			continue;
		spin = r >= 3;
		if (round_of(ns[r % 3], r) != 0) {
			rt_printf("ipcscale: round of %d failed\n", ns[r % 3]);
			return 1;
		}
	}
	return 0;
}
