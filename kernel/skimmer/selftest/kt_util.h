/*
 * selftest/kt_util.h - helpers shared by the kernel self-tests.
 */
#ifndef SELFTEST_KT_UTIL_H
#define SELFTEST_KT_UTIL_H

#include <kern/lwkt.h>
#include <kern/timer.h>
#include <abi/errno.h>

/* Wait for `count` threads to call kt_join_done (any CPU). */
struct kt_join {
	volatile int	j_count;
	struct thread	*j_waiter;
};

static inline void
kt_join_init(struct kt_join *j, int count)
{
	j->j_count = count;
	j->j_waiter = curthread;
}

static inline void
kt_join_done(struct kt_join *j)
{
	struct thread *w = j->j_waiter;

	/* Read the waiter first: after the decrement j may be gone. */
	if (__atomic_sub_fetch(&j->j_count, 1, __ATOMIC_ACQ_REL) == 0)
		lwkt_schedule(w);
}

/* 0 when all are done, -ETIMEDOUT after ms milliseconds. */
static inline int
kt_join_wait(struct kt_join *j, uint64_t ms)
{
	uint64_t deadline = timer_now() + timer_ns_to_ticks(ms * 1000000);
	int rc = 0;

	crit_enter();
	while (__atomic_load_n(&j->j_count, __ATOMIC_ACQUIRE) > 0) {
		uint64_t now = timer_now();

		if (now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		lwkt_sleep(deadline - now);
	}
	crit_exit();
	return rc;
}

/* Busy-wait for us microseconds (keeps the CPU). */
static inline void
kt_spin_us(uint64_t us)
{
	uint64_t end = timer_now() + timer_ns_to_ticks(us * 1000);

	while (timer_now() < end)
		;
}

/*
 * Let deferred frees finish (exited threads are freed after an IPI round
 * trip), so that free-memory counts are stable.  Up to 1 s.
 */
static inline void
kt_quiesce(void)
{
	for (int i = 0; i < 1000 && lwkt_reaps_pending(); i++) {
		crit_enter();
		lwkt_sleep(timer_ns_to_ticks(1000000));
		crit_exit();
	}
}

/* Sleep for ms milliseconds. */
static inline void
kt_sleep_ms(uint64_t ms)
{
	crit_enter();
	lwkt_sleep(timer_ns_to_ticks(ms * 1000000));
	crit_exit();
}

#endif
