/*
 * selftest/sched_test.c - the per-CPU LWKT scheduler: priorities,
 * preemption, FIFO and round-robin, sleeping with time-outs.
 */
#include <kern/cpu.h>
#include <kern/ktest.h>
#include <kern/lwkt.h>
#include <kern/timer.h>
#include "kt_util.h"

struct order_rec {
	struct kt_join	or_join;
	int		or_seq[8];
	volatile int	or_n;
};

struct order_arg {
	struct order_rec *oa_rec;
	int		oa_id;
};

static void
record_order(void *arg)
{
	struct order_arg *oa = arg;
	struct order_rec *r = oa->oa_rec;

	r->or_seq[r->or_n++] = oa->oa_id;
	kt_join_done(&r->or_join);
}

/* Threads made runnable while a better one runs start in priority order. */
KTEST(sched, priority_order)
{
	static const int pris[5] = { 40, 90, 60, 90, 10 };
	static const int expect[5] = { 1, 3, 2, 0, 4 };	/* by priority, FIFO within */
	struct order_rec rec = { .or_n = 0 };
	struct order_arg args[5];

	kt_join_init(&rec.or_join, 5);
	crit_enter();	/* create all before any can run */
	for (int i = 0; i < 5; i++) {
		args[i] = (struct order_arg){ &rec, i };
		KT_EQ(lwkt_create(record_order, &args[i], mycpu(), pris[i], "order", NULL), 0);
	}
	crit_exit();
	KT_EQ(kt_join_wait(&rec.or_join, 2000), 0);
	for (int i = 0; i < 5; i++)
		KT_EQ(rec.or_seq[i], expect[i]);
	KT_CHECK(lwkt_runq_consistent(), "run queue inconsistent");
	return 0;
}

static volatile int preempt_flag;

static void
set_flag(void *arg)
{
	preempt_flag = 1;
	kt_join_done(arg);
}

/* A higher-priority thread made runnable preempts at once. */
KTEST(sched, preempt_on_wakeup)
{
	struct kt_join j;

	preempt_flag = 0;
	kt_join_init(&j, 1);
	KT_EQ(lwkt_create(set_flag, &j, mycpu(), 150, "hi", NULL), 0);
	/* lwkt_create's critical section ended: we must have been preempted. */
	KT_EQ(preempt_flag, 1);
	KT_EQ(kt_join_wait(&j, 1000), 0);
	/* A lower-priority thread does not preempt us. */
	preempt_flag = 0;
	kt_join_init(&j, 1);
	KT_EQ(lwkt_create(set_flag, &j, mycpu(), 20, "lo", NULL), 0);
	KT_EQ(preempt_flag, 0);
	KT_EQ(kt_join_wait(&j, 1000), 0);
	KT_EQ(preempt_flag, 1);
	return 0;
}

static volatile int spin_stop;

struct spin_arg {
	struct kt_join	*sa_join;
	volatile uint64_t sa_count;
	int		sa_policy;
	volatile int	sa_seen_other;	/* the other spinner ran while we spun */
	struct spin_arg	*sa_other;
};

static void
spinner(void *arg)
{
	struct spin_arg *sa = arg;

	lwkt_setpolicy_self(sa->sa_policy);
	while (!spin_stop) {
		uint64_t before = sa->sa_other->sa_count;

		sa->sa_count++;
		kt_spin_us(50);
		if (sa->sa_other->sa_count != before)
			sa->sa_seen_other = 1;
	}
	kt_join_done(sa->sa_join);
}

/*
 * Two spinners at priority 30 while we (priority 100) sleep 40 ms: our
 * wake-up comes from the timer interrupt and must preempt them.
 */
static int
run_spinners(int policy, struct spin_arg *a, struct spin_arg *b)
{
	struct kt_join j;

	spin_stop = 0;
	kt_join_init(&j, 2);
	*a = (struct spin_arg){ .sa_join = &j, .sa_policy = policy, .sa_other = b };
	*b = (struct spin_arg){ .sa_join = &j, .sa_policy = policy, .sa_other = a };
	KT_EQ(lwkt_create(spinner, a, mycpu(), 30, "spinA", NULL), 0);
	KT_EQ(lwkt_create(spinner, b, mycpu(), 30, "spinB", NULL), 0);
	kt_sleep_ms(40);
	spin_stop = 1;
	KT_EQ(kt_join_wait(&j, 2000), 0);
	return 0;
}

/* FIFO: the first spinner runs until it stops; the second never interleaves. */
KTEST(sched, fifo_runs_to_block)
{
	struct spin_arg a, b;

	KT_EQ(run_spinners(SCHED_FIFO, &a, &b), 0);
	KT_CHECK(a.sa_count > 0, "first FIFO thread never ran");
	KT_EQ(a.sa_seen_other, 0);
	KT_EQ(b.sa_seen_other, 0);
	return 0;
}

/* Round-robin: equal-priority spinners share the CPU by time slices. */
KTEST(sched, rr_time_slices)
{
	struct spin_arg a, b;

	KT_EQ(run_spinners(SCHED_RR, &a, &b), 0);
	KT_CHECK(a.sa_count > 0 && b.sa_count > 0, "counts %lu %lu", a.sa_count, b.sa_count);
	KT_CHECK(a.sa_seen_other || b.sa_seen_other, "no interleaving seen");
	return 0;
}

/* lwkt_sleep times out after (at least) its time-out, and a wake ends it early. */
KTEST(sched, sleep_timeout_and_wake)
{
	uint64_t t0 = timer_now(), ticks = timer_ns_to_ticks(2000000);
	int rc;

	crit_enter();
	rc = lwkt_sleep(ticks);
	crit_exit();
	KT_EQ(rc, -ETIMEDOUT);
	KT_CHECK(timer_now() - t0 >= ticks, "woke after %lu of %lu ticks", timer_now() - t0, ticks);
	return 0;
}

static void
waker(void *arg)
{
	lwkt_schedule(arg);
}

KTEST(sched, wake_before_timeout)
{
	uint64_t t0 = timer_now();
	int rc;

	crit_enter();
	KT_EQ(lwkt_create(waker, curthread, &cpus[ncpus - 1], 50, "waker", NULL), 0);
	rc = lwkt_sleep(timer_ns_to_ticks(1000000000));
	crit_exit();
	KT_EQ(rc, 0);
	KT_CHECK(timer_now() - t0 < timer_ns_to_ticks(500000000), "wake took too long");
	return 0;
}
