/*
 * kern/runq.c - per-CPU priority run queues.  Pure code (host-testable).
 */
#include <kern/bitops.h>
#include <kern/runq.h>
#include <kern/runq_inline.h>
#include <kern/thread.h>

void
runq_init(struct runq *rq)
{
	for (int i = 0; i < NPRI / 64; i++)
		rq->rq_bitmap[i] = 0;
	for (int p = 0; p < NPRI; p++)
		TAILQ_INIT(&rq->rq_queues[p]);
	rq->rq_count = 0;
}

void
runq_insert(struct runq *rq, struct thread *td, int pri, bool front)
{
	runq_insert_inline(rq, td, pri, front);
}

void
runq_remove(struct runq *rq, struct thread *td, int pri)
{
	runq_remove_inline(rq, td, pri);
}

int
runq_top_pri(const struct runq *rq)
{
	return runq_top_pri_inline(rq);
}

struct thread *
runq_peek(const struct runq *rq)
{
	return runq_peek_inline(rq);
}

bool
runq_consistent(const struct runq *rq)
{
	int n = 0;

	for (int p = 0; p < NPRI; p++) {
		bool bit = (rq->rq_bitmap[p / 64] >> (p % 64)) & 1;
		struct thread *td;

		if (bit == TAILQ_EMPTY(&rq->rq_queues[p]))
			return false;
		TAILQ_FOREACH(td, &rq->rq_queues[p], td_runq) {
			if (td->td_pri != p || !(td->td_flags & TDF_RUNQ))
				return false;
			n++;
		}
	}
	return n == rq->rq_count;
}
