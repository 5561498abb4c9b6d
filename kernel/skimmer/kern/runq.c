/*
 * kern/runq.c - per-CPU priority run queues.  Pure code (host-testable).
 */
#include <kern/bitops.h>
#include <kern/runq.h>
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
	struct threadq *q = &rq->rq_queues[pri];

	if (front)
		TAILQ_INSERT_HEAD(q, td, td_runq);
	else
		TAILQ_INSERT_TAIL(q, td, td_runq);
	rq->rq_bitmap[pri / 64] |= 1ULL << (pri % 64);
	rq->rq_count++;
}

void
runq_remove(struct runq *rq, struct thread *td, int pri)
{
	struct threadq *q = &rq->rq_queues[pri];

	TAILQ_REMOVE(q, td, td_runq);
	if (TAILQ_EMPTY(q))
		rq->rq_bitmap[pri / 64] &= ~(1ULL << (pri % 64));
	rq->rq_count--;
}

int
runq_top_pri(const struct runq *rq)
{
	if (rq->rq_count == 0)
		return -1;	/* the common case of a switch to a woken peer */
	for (int i = NPRI / 64 - 1; i >= 0; i--)
		if (rq->rq_bitmap[i])
			return i * 64 + highbit64(rq->rq_bitmap[i]);
	return -1;
}

struct thread *
runq_peek(const struct runq *rq)
{
	int pri = runq_top_pri(rq);

	return pri < 0 ? NULL : TAILQ_FIRST(&rq->rq_queues[pri]);
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
