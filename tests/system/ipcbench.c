/*
 * tests/system/ipcbench.c - the seed of `make bench`: instructions per
 * null kernel call and per MsgSend/MsgReceive/MsgReply round trip with a
 * 0-byte message, client and server on the same CPU.  Run under
 * `qemu -icount shift=0`, where instret counts executed instructions
 * (user and kernel) and is the same from run to run.  Prints
 *	BENCH <name> <median instructions per op> <median ns per op>
 */
#include "rt.h"
#include <abi/neutrino.h>

#define ITER	1000
#define WARMUP	100

static inline uint64_t
instret(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, instret" : "=r"(v));
	return v;
}

static inline uint64_t
rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v));
	return v;
}

static uint64_t samples[ITER], tsamples[ITER];

static uint64_t
median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t x = v[i];
		int j = i - 1;

		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
	return v[n / 2];
}

static void
report(const char *name)
{
	uint64_t m = median(samples, ITER), t = median(tsamples, ITER);

	/* The time CSR ticks at 10 MHz on QEMU virt: 100 ns per tick. */
	rt_printf("BENCH %s %lu %lu\n", name, (unsigned long)m, (unsigned long)t * 100);
}

static long chid;
static uint8_t stack[16384] __attribute__((aligned(16)));

static void
server(void *arg)
{
	(void)arg;
	for (;;) {
		long rcvid = __kercall(__KER_MsgReceive, chid, 0, 0, 0, 0, 0);

		if (rcvid > 0)
			__kercall(__KER_MsgReply, rcvid, 0, 0, 0, 0, 0);
		else if (rcvid < 0)
			break;
	}
}

int
umain(uint64_t arg)
{
	long co;

	(void)arg;
	for (int i = -WARMUP; i < ITER; i++) {
		uint64_t t0 = rdtime(), a = instret();

		__kercall(__KER_Nop, 0, 0, 0, 0, 0, 0);
		uint64_t b = instret(), t1 = rdtime();
		if (i >= 0) {
			samples[i] = b - a;
			tsamples[i] = t1 - t0;
		}
	}
	report("null_kercall");

	chid = __kercall(__KER_ChannelCreate, 0, 0, 0, 0, 0, 0);
	co = __kercall(__KER_ConnectAttach, 0, 0, chid, 0, 0, 0);
	if (chid <= 0 || co < 0 || rt_thread_create(server, NULL, stack, sizeof(stack), 0) <= 0) {
		rt_printf("ipcbench: setup failed\n");
		return 1;
	}
	for (int i = -WARMUP; i < ITER; i++) {
		uint64_t t0 = rdtime(), a = instret();
		long rc = __kercall(__KER_MsgSend, co, 0, 0, 0, 0, 0);
		uint64_t b = instret(), t1 = rdtime();

		if (rc != 0) {
			rt_printf("ipcbench: MsgSend failed: %ld\n", rc);
			return 1;
		}
		if (i >= 0) {
			samples[i] = b - a;
			tsamples[i] = t1 - t0;
		}
	}
	report("msg_roundtrip_0B_same_cpu");
	return 0;
}
