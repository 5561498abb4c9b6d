// uses: kernel/skimmer/kern/ipiq_ring.c
/*
 * Host tests of the IPI ring: FIFO order, full and empty, index
 * wrap-around, and a two-thread producer/consumer run that checks every
 * entry arrives exactly once and in order.
 */
#include "unit.h"
#include "host_kern.h"
#include <pthread.h>
#include <sched.h>
#include <kern/ipiq.h>

static void
fn_a(void *arg)
{
	(void)arg;
}

static void
fn_b(void *arg)
{
	(void)arg;
}

UNIT_TEST(fifo_and_full)
{
	static struct ipiq q;
	struct ipiq_entry e;

	ipiq_ring_init(&q);
	CHECK(!ipiq_ring_pop(&q, &e));
	for (uintptr_t i = 0; i < IPIQ_SIZE; i++)
		CHECK(ipiq_ring_push(&q, (i & 1) ? fn_b : fn_a, (void *)i));
	CHECK(!ipiq_ring_push(&q, fn_a, NULL));	/* full */
	CHECK_EQ(ipiq_ring_count(&q), IPIQ_SIZE);
	for (uintptr_t i = 0; i < IPIQ_SIZE; i++) {
		CHECK(ipiq_ring_pop(&q, &e));
		CHECK(e.ie_func == ((i & 1) ? fn_b : fn_a));
		CHECK_EQ((uintptr_t)e.ie_arg, i);
	}
	CHECK(!ipiq_ring_pop(&q, &e));
	CHECK_EQ(ipiq_ring_count(&q), 0);
}

UNIT_TEST(index_wraparound)
{
	static struct ipiq q;
	struct ipiq_entry e;

	ipiq_ring_init(&q);
	q.iq_windex = q.iq_rindex = UINT32_MAX - 5;	/* the 32-bit indices wrap */
	for (uintptr_t i = 0; i < 3 * IPIQ_SIZE; i++) {
		CHECK(ipiq_ring_push(&q, fn_a, (void *)i));
		CHECK(ipiq_ring_pop(&q, &e));
		CHECK_EQ((uintptr_t)e.ie_arg, i);
	}
	for (int i = 0; i < IPIQ_SIZE; i++)
		CHECK(ipiq_ring_push(&q, fn_a, NULL));
	CHECK(!ipiq_ring_push(&q, fn_a, NULL));
}

#define SPSC_N	2000000

static struct ipiq spsc;

static void *
producer(void *arg)
{
	(void)arg;
	for (uintptr_t i = 1; i <= SPSC_N; i++)
		while (!ipiq_ring_push(&spsc, fn_a, (void *)i))
			sched_yield();		/* a loaded host may run us on one core */
	return NULL;
}

UNIT_TEST(two_threads_exactly_once_in_order)
{
	pthread_t p;
	struct ipiq_entry e;
	uintptr_t expect = 1;

	ipiq_ring_init(&spsc);
	CHECK(pthread_create(&p, NULL, producer, NULL) == 0);
	while (expect <= SPSC_N) {
		if (ipiq_ring_pop(&spsc, &e)) {
			if ((uintptr_t)e.ie_arg != expect || e.ie_func != fn_a)
				unit_fail(__FILE__, __LINE__, "got %lu, expected %lu",
				    (unsigned long)(uintptr_t)e.ie_arg, (unsigned long)expect);
			expect++;
		} else {
			sched_yield();
		}
	}
	pthread_join(p, NULL);
	CHECK(!ipiq_ring_pop(&spsc, &e));
}
