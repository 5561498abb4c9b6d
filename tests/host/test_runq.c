// uses: kernel/skimmer/kern/runq.c
/*
 * Host tests of the per-CPU run queue: priority order, FIFO within a
 * level, head insertion for preempted threads, and bitmap consistency
 * against a shadow model under random operations.
 */
#include "unit.h"
#include "host_kern.h"
#include <kern/runq.h>
#include <kern/thread.h>

static struct thread *
mk(int pri)
{
	struct thread *td = calloc(1, sizeof(*td));

	td->td_pri = pri;
	return td;
}

static void
ins(struct runq *rq, struct thread *td, bool front)
{
	td->td_flags |= TDF_RUNQ;
	runq_insert(rq, td, td->td_pri, front);
}

static struct thread *
pop(struct runq *rq)
{
	struct thread *td = runq_peek(rq);

	if (td) {
		runq_remove(rq, td, td->td_pri);
		td->td_flags &= ~TDF_RUNQ;
	}
	return td;
}

UNIT_TEST(empty)
{
	struct runq rq;

	runq_init(&rq);
	CHECK_EQ(runq_top_pri(&rq), -1);
	CHECK(runq_peek(&rq) == NULL);
	CHECK(runq_consistent(&rq));
}

UNIT_TEST(highest_first_fifo_within)
{
	struct runq rq;
	struct thread *a = mk(10), *b = mk(200), *c = mk(10), *d = mk(255), *e = mk(1);

	runq_init(&rq);
	ins(&rq, a, false);
	ins(&rq, b, false);
	ins(&rq, c, false);
	ins(&rq, d, false);
	ins(&rq, e, false);
	CHECK(runq_consistent(&rq));
	CHECK_EQ(runq_top_pri(&rq), 255);
	CHECK(pop(&rq) == d);
	CHECK(pop(&rq) == b);
	CHECK(pop(&rq) == a);
	CHECK(pop(&rq) == c);
	CHECK(pop(&rq) == e);
	CHECK(pop(&rq) == NULL);
	CHECK(runq_consistent(&rq));
}

UNIT_TEST(front_insert_keeps_turn)
{
	struct runq rq;
	struct thread *a = mk(50), *b = mk(50), *p = mk(50);

	runq_init(&rq);
	ins(&rq, a, false);
	ins(&rq, b, false);
	ins(&rq, p, true);	/* a preempted thread goes back first */
	CHECK(pop(&rq) == p);
	CHECK(pop(&rq) == a);
	CHECK(pop(&rq) == b);
}

UNIT_TEST(bitmap_word_boundaries)
{
	static const int pris[] = { 0, 1, 63, 64, 65, 127, 128, 191, 192, 254, 255 };
	struct runq rq;

	runq_init(&rq);
	for (size_t i = 0; i < sizeof(pris) / sizeof(pris[0]); i++)
		ins(&rq, mk(pris[i]), false);
	for (int i = (int)(sizeof(pris) / sizeof(pris[0])) - 1; i >= 0; i--) {
		CHECK_EQ(runq_top_pri(&rq), pris[i]);
		CHECK_EQ(pop(&rq)->td_pri, pris[i]);
		CHECK(runq_consistent(&rq));
	}
}

UNIT_TEST(inconsistency_is_detected)
{
	struct runq rq;
	struct thread *a = mk(7);

	runq_init(&rq);
	ins(&rq, a, false);
	rq.rq_bitmap[0] = 0;	/* corrupt: a queued level without its bit */
	CHECK(!runq_consistent(&rq));
	rq.rq_bitmap[0] = 1ULL << 7;
	rq.rq_count = 2;	/* corrupt: wrong count */
	CHECK(!runq_consistent(&rq));
}

UNIT_TEST(random_against_model)
{
	enum { N = 64 };
	struct runq rq;
	struct thread *t[N];
	unsigned seed = 12345;

	runq_init(&rq);
	for (int i = 0; i < N; i++)
		t[i] = mk(0);
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245 + 12345;
		struct thread *td = t[(seed >> 8) % N];

		if (td->td_flags & TDF_RUNQ) {
			runq_remove(&rq, td, td->td_pri);
			td->td_flags &= ~TDF_RUNQ;
		} else {
			td->td_pri = (seed >> 16) % 256;
			ins(&rq, td, (seed >> 24) & 1);
		}
		int best = -1;
		for (int i = 0; i < N; i++)
			if ((t[i]->td_flags & TDF_RUNQ) && t[i]->td_pri > best)
				best = t[i]->td_pri;
		CHECK_EQ(runq_top_pri(&rq), best);
		if (step % 97 == 0)
			CHECK(runq_consistent(&rq));
	}
}
