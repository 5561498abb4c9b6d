/*
 * tests/system/ipcbench.c - the kernel figures of `make bench`: the null
 * kernel call, MsgSend/MsgReceive/MsgReply round trips (0, 16, 256 and
 * 4096 bytes, and MsgSendv with 3 iovs), pulses, futex wake-ups and
 * Sync* mutexes.  Runs as init under `qemu -icount shift=0`, where
 * instret counts executed instructions (user and kernel) and is the same
 * from run to run.
 *
 * At -smp 1 every figure is for one CPU.  With a second CPU (ThreadCtl
 * _NTO_TCTL_RUNMASK to CPU 1 succeeds) it runs the round trips only, with
 * the server pinned to CPU 1 and the client to CPU 0: the instruction
 * figure is then what the client's CPU executes (its kernel and its idle
 * loop included), and the wall figure covers both CPUs.  Prints
 *	BENCH <name> <median instructions per op> <mean ns per op>
 */
#include "rt.h"
#include "../bench/qprof.h"	/* each measured loop is a tools/qprof window */
#include <stdbool.h>
#include <abi/neutrino.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define ITER		1000
#define WARMUP		100
#define STACK		16384
#define MAXMSG		4096

static inline uint64_t
instret(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, instret" : "=r"(v) :: "memory");
	return v;
}

static inline uint64_t
rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v) :: "memory");
	return v;
}

static uint64_t samples[ITER], tsamples[ITER];
static int failed;

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

/*
 * The wall figure is the mean (the time CSR ticks at 10 MHz on QEMU virt,
 * 100 ns, too coarse for a median of short operations).
 */
static void
report(const char *name)
{
	uint64_t t = 0;

	for (int i = 0; i < ITER; i++)
		t += tsamples[i];
	rt_printf("BENCH %s %lu %lu\n", name, (unsigned long)median(samples, ITER),
	    (unsigned long)(t * 100 / ITER));
}

/*
 * Time OP (a statement) ITER times after WARMUP untimed runs, with PRE and
 * POST around it untimed; OP sets rc, and a non-zero rc ends the loop as a
 * failure.
 */
#define MEASURE_PART(name, PRE, OP, POST) do {				\
	long rc = 0;							\
	PROF_OPEN();							\
	for (int i_ = -WARMUP; i_ < ITER; i_++) {			\
		PRE;							\
		uint64_t t0_ = rdtime(), a_ = instret();		\
		OP;							\
		uint64_t b_ = instret(), t1_ = rdtime();		\
		POST;							\
		if (rc != 0) {						\
			rt_printf("ipcbench: %s: error %ld\n", name, rc); \
			failed = 1;					\
			break;						\
		}							\
		if (i_ >= 0) {						\
			samples[i_] = b_ - a_;				\
			tsamples[i_] = t1_ - t0_;			\
		}							\
	}								\
	PROF_CLOSE();							\
	if (rc == 0)							\
		report(name);						\
} while (0)

#define MEASURE(name, OP)	MEASURE_PART(name, (void)0, OP, (void)0)

static long
pin(int cpu)
{
	return KC(ThreadCtl, _NTO_TCTL_RUNMASK, 1L << cpu, 0, 0, 0, 0);
}

static uint8_t stacks[8][STACK] __attribute__((aligned(16)));
static int nstacks;

static long
start(void (*fn)(void *), void *arg, int pri)
{
	if (nstacks == 8)
		return -EAGAIN;
	return rt_thread_create(fn, arg, stacks[nstacks++], STACK, pri);
}

/* ---- message round trips ---- */

struct server {
	long		chid;
	int		cpu;
	volatile long	replylen;	/* bytes each reply carries */
	uint8_t		buf[MAXMSG];
};

static struct server srv_same, srv_cross, srv_rr;
static uint8_t sbuf[MAXMSG], rbuf[MAXMSG];

static void
server(void *arg)
{
	struct server *s = arg;

	pin(s->cpu);
	for (;;) {
		long rcvid = KC(MsgReceive, s->chid, (long)s->buf, MAXMSG, 0, 0, 0);

		if (rcvid > 0)
			KC(MsgReply, rcvid, 0, (long)s->buf, s->replylen, 0, 0);
		else if (rcvid < 0)
			break;
	}
}

/* The same server loop with QSOE's MsgReplyReceive: one kernel call a message. */
static void
server_rr(void *arg)
{
	struct server *s = arg;
	long rcvid;

	pin(s->cpu);
	rcvid = KC(MsgReceive, s->chid, (long)s->buf, MAXMSG, 0, 0, 0);
	while (rcvid >= 0)
		rcvid = __kc_MsgReplyReceive7(rcvid, 0, (long)s->buf, s->replylen, s->chid,
		    (long)s->buf, MAXMSG, 0, NULL);
}

static long
server_start_fn(struct server *s, int cpu, void (*fn)(void *))
{
	long co;

	s->cpu = cpu;
	s->chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	if (s->chid <= 0)
		return -1;
	co = KC(ConnectAttach, 0, 0, s->chid, _NTO_SIDE_CHANNEL, 0, 0);
	if (co < 0 || start(fn, s, 0) <= 0)
		return -1;
	return co;
}

static long
server_start(struct server *s, int cpu)
{
	return server_start_fn(s, cpu, server);
}

static void
roundtrips(struct server *s, long co, const char *where)
{
	static const long sizes[] = { 0, 16, 256, 4096 };
	char name[64];
	iov_t si[3], ri[3];

	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		long n = sizes[k];

		s->replylen = n;
		rt_snprintf(name, sizeof(name), "msg_roundtrip_%ldB_%s", n, where);
		MEASURE(name, rc = KC(MsgSend, co, (long)sbuf, n, (long)rbuf, n, 0));
	}
	/* MsgSendv: 3 iovs of 16 bytes each way (48 bytes). */
	for (int i = 0; i < 3; i++) {
		SETIOV(&si[i], sbuf + 64 * i, 16);
		SETIOV(&ri[i], rbuf + 64 * i, 16);
	}
	s->replylen = 48;
	rt_snprintf(name, sizeof(name), "msgsendv_3iov_48B_%s", where);
	MEASURE(name, rc = KC(MsgSendv, co, (long)si, 3, (long)ri, 3, 0));
}

/*
 * The round trip against a server that answers and waits with one call,
 * MsgReplyReceive (QSOE), instead of MsgReply and MsgReceive: the client
 * makes the same MsgSend.
 */
static void
roundtrips_replyrecv(struct server *s, long co, const char *where)
{
	static const long sizes[] = { 0, 16 };
	char name[64];

	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		long n = sizes[k];

		s->replylen = n;
		rt_snprintf(name, sizeof(name), "msg_roundtrip_%ldB_replyrecv_%s", n, where);
		MEASURE(name, rc = KC(MsgSend, co, (long)sbuf, n, (long)rbuf, n, 0));
	}
}

/*
 * The 0-byte round trip in two legs, on one CPU: a server stamps instret
 * and the time as soon as MsgReceive returns.  The send leg runs from the
 * client's MsgSend to there (trap, send path, switch, the server's return
 * to user mode); the reply leg from there to the client's return (the
 * server's MsgReply and its next MsgReceive, the switch back, the client's
 * return).
 */
static long stamp_chid;
static volatile uint64_t stamp_i, stamp_t;

static void
stamp_server(void *arg)
{
	(void)arg;
	for (;;) {
		long rcvid = KC(MsgReceive, stamp_chid, 0, 0, 0, 0, 0);

		stamp_i = instret();
		stamp_t = rdtime();
		if (rcvid > 0)
			KC(MsgReply, rcvid, 0, 0, 0, 0, 0);
		else if (rcvid < 0)
			break;
	}
}

static void
roundtrip_legs(void)
{
	static uint64_t rsamples[ITER], rtsamples[ITER];
	long co;

	stamp_chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	co = KC(ConnectAttach, 0, 0, stamp_chid, _NTO_SIDE_CHANNEL, 0, 0);
	if (stamp_chid <= 0 || co < 0 || start(stamp_server, NULL, 0) <= 0) {
		failed = 1;
		return;
	}
	PROF_OPEN();
	for (int i = -WARMUP; i < ITER; i++) {
		uint64_t t0 = rdtime(), a = instret();
		long rc = KC(MsgSend, co, 0, 0, 0, 0, 0);
		uint64_t b = instret(), t1 = rdtime();

		if (rc != 0) {
			failed = 1;
			return;
		}
		if (i >= 0) {
			samples[i] = stamp_i - a;
			tsamples[i] = stamp_t - t0;
			rsamples[i] = b - stamp_i;
			rtsamples[i] = t1 - stamp_t;
		}
	}
	PROF_CLOSE();
	report("msg_0B_send_leg_same_cpu");
	memcpy(samples, rsamples, sizeof(samples));
	memcpy(tsamples, rtsamples, sizeof(tsamples));
	report("msg_0B_reply_leg_same_cpu");
}

/* ---- pulses ---- */

static long pulse_chid;

/* Receives pulses at its own, higher priority (a FIXED_PRIORITY channel). */
static void
pulse_server(void *arg)
{
	uint8_t buf[64];

	(void)arg;
	for (;;)
		if (KC(MsgReceive, pulse_chid, (long)buf, sizeof(buf), 0, 0, 0) < 0)
			break;
}

static void
pulses(void)
{
	uint8_t buf[64];
	long chid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	long co = KC(ConnectAttach, 0, 0, chid, _NTO_SIDE_CHANNEL, 0, 0);
	long pco;

	/* Send to our own channel, then take it: no thread switch. */
	MEASURE("pulse_send_then_receive_1thread",
	    rc = KC(MsgSendPulse, co, -1, 1, 0, 0, 0);
	    if (rc == 0)
		    rc = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0));
	/* ... and each half alone: queue one pulse, take one queued pulse. */
	MEASURE_PART("pulse_send_queue_1thread", (void)0,
	    rc = KC(MsgSendPulse, co, -1, 1, 0, 0, 0),
	    KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0));
	MEASURE_PART("pulse_receive_queued_1thread",
	    KC(MsgSendPulse, co, -1, 1, 0, 0, 0),
	    rc = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0),
	    (void)0);
	/*
	 * Pulse records come from a kobj cache that gives its slab's frame
	 * back when the last record is freed, so each pulse above allocated
	 * and freed a page.  With one pulse left queued on another channel
	 * the slab stays: the difference is that page's cost.
	 */
	long xchid = KC(ChannelCreate, 0, 0, 0, 0, 0, 0);
	long xco = KC(ConnectAttach, 0, 0, xchid, _NTO_SIDE_CHANNEL, 0, 0);

	if (xchid <= 0 || xco < 0 || KC(MsgSendPulse, xco, -1, 1, 0, 0, 0) != 0) {
		failed = 1;
		return;
	}
	MEASURE_PART("pulse_send_queue_1thread_slab_kept", (void)0,
	    rc = KC(MsgSendPulse, co, -1, 1, 0, 0, 0),
	    KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0));
	MEASURE("pulse_send_then_receive_1thread_slab_kept",
	    rc = KC(MsgSendPulse, co, -1, 1, 0, 0, 0);
	    if (rc == 0)
		    rc = KC(MsgReceive, chid, (long)buf, sizeof(buf), 0, 0, 0));
	KC(MsgReceive, xchid, (long)buf, sizeof(buf), 0, 0, 0);
	/* To a receiver blocked in MsgReceive: it runs, and blocks again. */
	pulse_chid = KC(ChannelCreate, _NTO_CHF_FIXED_PRIORITY, 0, 0, 0, 0, 0);
	pco = KC(ConnectAttach, 0, 0, pulse_chid, _NTO_SIDE_CHANNEL, 0, 0);
	if (pulse_chid <= 0 || pco < 0 || start(pulse_server, NULL, rt_mypri() + 1) <= 0) {
		rt_printf("ipcbench: pulse setup failed\n");
		failed = 1;
		return;
	}
	MEASURE("pulse_to_blocked_receiver", rc = KC(MsgSendPulse, pco, -1, 1, 0, 0, 0));
}

/* ---- futexes ---- */

static volatile uint32_t fword;

/* The other half of the ping-pong: waits for an odd value, makes it even. */
static void
futex_partner(void *arg)
{
	(void)arg;
	for (;;) {
		uint32_t v = fword;

		if ((v & 1) == 0) {
			KC(FutexWait, (long)&fword, v, 0, 0, 0, 0);
			continue;
		}
		fword = v + 1;
		KC(FutexWake, (long)&fword, 1, 0, 0, 0, 0);
	}
}

static long
futex_pingpong(void)
{
	uint32_t v = fword + 1;

	fword = v;
	KC(FutexWake, (long)&fword, 1, 0, 0, 0, 0);
	while (fword == v)
		KC(FutexWait, (long)&fword, v, 0, 0, 0, 0);
	return fword == v + 1 ? 0 : -1;
}

static void
futexes(void)
{
	MEASURE("futex_wake_no_waiter", rc = KC(FutexWake, (long)&fword, 1, 0, 0, 0, 0));
	if (start(futex_partner, NULL, 0) <= 0) {
		failed = 1;
		return;
	}
	MEASURE("futex_pingpong_roundtrip", rc = futex_pingpong());
}

/* ---- Sync* mutexes ---- */

static sync_t mtx __attribute__((aligned(8)));

/* libc's fast path: compare-and-swap a free mutex, else ask the kernel. */
static long
lock(sync_t *m, uint32_t me)
{
	uint32_t free = 0;

	if (__atomic_compare_exchange_n(&m->__owner, &free, me, false, __ATOMIC_ACQUIRE,
	    __ATOMIC_RELAXED))
		return 0;
	return KC(SyncMutexLock, (long)m, 0, 0, 0, 0, 0);
}

static long
unlock(sync_t *m, uint32_t me)
{
	uint32_t mine = me;

	if (__atomic_compare_exchange_n(&m->__owner, &mine, 0, false, __ATOMIC_RELEASE,
	    __ATOMIC_RELAXED))
		return 0;
	return KC(SyncMutexUnlock, (long)m, 0, 0, 0, 0, 0);
}

static volatile uint32_t partner_tid;

/* Takes and gives back the mutex for ever: each lock waits for the main thread's unlock. */
static void
mutex_partner(void *arg)
{
	(void)arg;
	while (partner_tid == 0)
		KC(SchedYield, 0, 0, 0, 0, 0, 0);
	for (;;) {
		if (lock(&mtx, partner_tid) != 0 || unlock(&mtx, partner_tid) != 0)
			break;
	}
}

static void
mutexes(void)
{
	struct _sync_attr a = { 0 };
	uint32_t me;
	long tid;

	if (KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)&mtx, (long)&a, 0, 0, 0) != 0) {
		failed = 1;
		return;
	}
	MEASURE("mutex_uncontended_kernel",
	    rc = KC(SyncMutexLock, (long)&mtx, 0, 0, 0, 0, 0);
	    if (rc == 0)
		    rc = KC(SyncMutexUnlock, (long)&mtx, 0, 0, 0, 0, 0));
	/* The kernel wrote our tid as the owner: that is the fast path's value. */
	KC(SyncMutexLock, (long)&mtx, 0, 0, 0, 0, 0);
	me = mtx.__owner & _NTO_SYNC_OWNER_MASK;
	KC(SyncMutexUnlock, (long)&mtx, 0, 0, 0, 0, 0);
	MEASURE("mutex_uncontended_user_cas",
	    rc = lock(&mtx, me);
	    if (rc == 0)
		    rc = unlock(&mtx, me));
	/*
	 * Contended: we hold it, the partner waits in SyncMutexLock; our
	 * unlock hands it over and our lock waits for the partner's unlock.
	 */
	lock(&mtx, me);
	tid = start(mutex_partner, NULL, 0);
	if (tid <= 0) {
		failed = 1;
		return;
	}
	partner_tid = (uint32_t)tid;
	while ((mtx.__owner & _NTO_SYNC_WAITING) == 0)
		KC(SchedYield, 0, 0, 0, 0, 0, 0);
	MEASURE("mutex_contended_pingpong",
	    rc = unlock(&mtx, me);
	    if (rc == 0)
		    rc = lock(&mtx, me));
}

/* ---- the scheduler alone: SchedYield with and without another thread ---- */

static void
yielder(void *arg)
{
	(void)arg;
	for (;;)
		KC(SchedYield, 0, 0, 0, 0, 0, 0);
}

/* Last: the yielder stays ready for ever. */
static void
yields(void)
{
	MEASURE("sched_yield_alone", rc = KC(SchedYield, 0, 0, 0, 0, 0, 0));
	if (start(yielder, NULL, 0) <= 0) {
		failed = 1;
		return;
	}
	MEASURE("sched_yield_pingpong_2switches", rc = KC(SchedYield, 0, 0, 0, 0, 0, 0));
}

int
umain(uint64_t arg)
{
	long co;

	(void)arg;
	pin(0);
	if (pin(1) == 0) {
		/* A second CPU: the cross-CPU round trips only. */
		pin(0);
		co = server_start(&srv_cross, 1);
		if (co < 0) {
			rt_printf("ipcbench: setup failed\n");
			return 1;
		}
		roundtrips(&srv_cross, co, "cross_cpu");
		return failed;
	}
	MEASURE("null_kercall", rc = KC(Nop, 0, 0, 0, 0, 0, 0));
	co = server_start(&srv_same, 0);
	if (co < 0) {
		rt_printf("ipcbench: setup failed\n");
		return 1;
	}
	roundtrips(&srv_same, co, "same_cpu");
	co = server_start_fn(&srv_rr, 0, server_rr);
	if (co < 0) {
		rt_printf("ipcbench: setup failed\n");
		return 1;
	}
	roundtrips_replyrecv(&srv_rr, co, "same_cpu");
	roundtrip_legs();
	pulses();
	futexes();
	mutexes();
	yields();
	return failed;
}
