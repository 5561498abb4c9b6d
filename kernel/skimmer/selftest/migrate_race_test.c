/*
 * selftest/migrate_race_test.c - a wake-up must not overtake a thread's
 * arrival on its CPU.
 *
 * lwkt_setcpu_self(B) on CPU A publishes td_cpu = B in lwkt_switch_tail
 * and then sends migrate_arrive to B, which puts the thread on B's thread
 * list and run queue; lwkt_create() on A for CPU B sends create_here.  A
 * wake-up (lwkt_schedule) from a third CPU C that sees td_cpu == B in
 * between travels on the ring C->B, not A->B, so B can run it first.  The
 * thread must not be queued and run on B before it is on B's thread list:
 * if it is, it runs unlisted, and its next migration or exit unlinks it
 * from a list it is not on (corrupting A's old list or dereferencing NULL
 * links) while the late migrate_arrive/create_here lists it on B again.
 * The stress test (stress=) found the migration case.
 *
 * The tests make the window wide on purpose: the A->B ring is full (B is
 * held in a critical section), so A waits in ipiq_send, and a slow IPI
 * call from C keeps A there until the thread either ran on B (the bug) or
 * a time-out passed.  They need three CPUs and pass on fewer.
 */
#include <kern/cpu.h>
#include <kern/ipiq.h>
#include <kern/ktest.h>
#include <kern/lwkt.h>
#include <arch/intr.h>
#include "kt_util.h"

#define CPU_C	0	/* the waker (the test thread's CPU) */
#define CPU_A	1	/* the mover starts here */
#define CPU_B	2	/* ... and moves here */

static volatile int h_spinning, slow_started, t_ran, t_ran_unlisted;
static struct thread *target;	/* the thread to wake as soon as it is B's (atomic) */

static void
noop(void *arg)
{
	(void)arg;
}

static uint64_t
ms_from_now(uint64_t ms)
{
	return timer_now() + timer_ns_to_ticks(ms * 1000000);
}

static bool
listed_here(void)
{
	struct thread *it;
	bool found = false;

	crit_enter();
	TAILQ_FOREACH(it, &mycpu()->gd_threads, td_allq)
		if (it == curthread)
			found = true;
	crit_exit();
	return found;
}

/* On B: no IPI processing here until `slow` runs on A (or 2 s). */
static void
holder(void *arg)
{
	uint64_t end = ms_from_now(2000);

	crit_enter();
	h_spinning = 1;
	while (!slow_started && timer_now() < end)
		cpu_relax_arch();
	crit_exit();
	kt_join_done(arg);
}

/* Sent to A by the waker: runs in A's ipiq_send loop, holding A until the mover ran. */
static void
slow(void *arg)
{
	uint64_t end = ms_from_now(300);

	(void)arg;
	slow_started = 1;
	while (!t_ran && timer_now() < end)
		cpu_relax_arch();
}

/* On A, once B is held: fill the A->B ring so that A's next send to B waits. */
static void
fill_ring_a_to_b(void)
{
	struct ipiq *q = &cpus[CPU_B].gd_ipiq[CPU_A];
	uint64_t end = ms_from_now(2000);

	while (!h_spinning && timer_now() < end)
		kt_sleep_ms(1);
	crit_enter();
	while (ipiq_ring_count(q) < IPIQ_SIZE)
		ipiq_send(&cpus[CPU_B], noop, NULL);
	crit_exit();
}

/* Now running on B: were we listed there first?  Never end unlisted. */
static void
arrived(struct kt_join *j)
{
	t_ran_unlisted = !listed_here();
	t_ran = 1;
	while (!listed_here())	/* lwkt_exit would unlink us from a list we are not on */
		kt_sleep_ms(1);
	kt_join_done(j);
}

static void
mover(void *arg)
{
	fill_ring_a_to_b();
	lwkt_setcpu_self(&cpus[CPU_B]);
	arrived(arg);
}

static void
newborn(void *arg)
{
	arrived(arg);
}

struct creator_arg {
	struct kt_join	*ca_join;
	int		ca_rc;
};

static void
creator(void *arg)
{
	struct creator_arg *ca = arg;

	fill_ring_a_to_b();
	/* Publishes target, then waits in ipiq_send(B, create_here). */
	ca->ca_rc = lwkt_create(newborn, ca->ca_join, &cpus[CPU_B], 120, "race-new", &target);
	kt_join_done(ca->ca_join);
}

/* On C: wake the target as soon as it is B's, then send `slow` to A. */
static void
waker(void *arg)
{
	uint64_t end = ms_from_now(2000);
	struct thread *td;

	while (((td = __atomic_load_n(&target, __ATOMIC_ACQUIRE)) == NULL ||
	    __atomic_load_n(&td->td_cpu, __ATOMIC_ACQUIRE) != &cpus[CPU_B]) && timer_now() < end)
		cpu_relax_arch();
	if (td != NULL)
		lwkt_schedule(td);
	ipiq_send(&cpus[CPU_A], slow, NULL);
	kt_join_done(arg);
}

static void
race_reset(void)
{
	h_spinning = slow_started = t_ran = t_ran_unlisted = 0;
	__atomic_store_n(&target, NULL, __ATOMIC_RELEASE);
}

KTEST(migrate, wake_does_not_overtake_move)
{
	struct kt_join j;

	if (ncpus < 3)
		return 0;
	race_reset();
	kt_join_init(&j, 3);
	KT_EQ(lwkt_create(holder, &j, &cpus[CPU_B], 40, "race-hold", NULL), 0);
	KT_EQ(lwkt_create(mover, &j, &cpus[CPU_A], 120, "race-move", &target), 0);
	KT_EQ(lwkt_create(waker, &j, &cpus[CPU_C], 150, "race-wake", NULL), 0);
	KT_EQ(kt_join_wait(&j, 5000), 0);
	KT_CHECK(t_ran, "the mover never ran on cpu %d", CPU_B);
	KT_CHECK(!t_ran_unlisted, "the mover ran on cpu %d before migrate_arrive put it on "
	    "that CPU's thread list (a wake-up from cpu %d overtook the migration)", CPU_B, CPU_C);
	KT_CHECK(lwkt_runq_consistent(), "run queue inconsistent");
	return 0;
}

KTEST(migrate, wake_does_not_overtake_create)
{
	struct kt_join j;
	struct creator_arg ca = { &j, -1 };

	if (ncpus < 3)
		return 0;
	race_reset();
	kt_join_init(&j, 4);	/* holder, creator, newborn, waker */
	KT_EQ(lwkt_create(holder, &j, &cpus[CPU_B], 40, "race-hold", NULL), 0);
	KT_EQ(lwkt_create(creator, &ca, &cpus[CPU_A], 120, "race-make", NULL), 0);
	KT_EQ(lwkt_create(waker, &j, &cpus[CPU_C], 150, "race-wake", NULL), 0);
	KT_EQ(kt_join_wait(&j, 5000), 0);
	KT_EQ(ca.ca_rc, 0);
	KT_CHECK(t_ran, "the new thread never ran on cpu %d", CPU_B);
	KT_CHECK(!t_ran_unlisted, "a new thread ran on cpu %d before create_here put it on "
	    "that CPU's thread list (a wake-up from cpu %d overtook its creation)", CPU_B, CPU_C);
	KT_CHECK(lwkt_runq_consistent(), "run queue inconsistent");
	return 0;
}
