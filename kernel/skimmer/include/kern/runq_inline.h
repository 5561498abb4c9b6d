/*
 * kern/runq_inline.h - the run queue's operations (kern/runq.h), inline:
 * the scheduler (kern/lwkt.c) runs them on every wake-up and switch.
 * kern/runq.c provides the same as functions, built from these, for
 * everyone else and for the host tests.
 */
#ifndef KERN_RUNQ_INLINE_H
#define KERN_RUNQ_INLINE_H

#include <kern/bitops.h>
#include <kern/runq.h>
#include <kern/thread.h>

static inline void
runq_insert_inline(struct runq *rq, struct thread *td, int pri, bool front)
{
	struct threadq *q = &rq->rq_queues[pri];

	if (front)
		TAILQ_INSERT_HEAD(q, td, td_runq);
	else
		TAILQ_INSERT_TAIL(q, td, td_runq);
	rq->rq_bitmap[pri / 64] |= 1ULL << (pri % 64);
	rq->rq_count++;
}

static inline void
runq_remove_inline(struct runq *rq, struct thread *td, int pri)
{
	struct threadq *q = &rq->rq_queues[pri];

	TAILQ_REMOVE(q, td, td_runq);
	if (TAILQ_EMPTY(q))
		rq->rq_bitmap[pri / 64] &= ~(1ULL << (pri % 64));
	rq->rq_count--;
}

static inline int
runq_top_pri_inline(const struct runq *rq)
{
	if (rq->rq_count == 0)
		return -1;	/* the common case of a switch to a woken peer */
	for (int i = NPRI / 64 - 1; i >= 0; i--)
		if (rq->rq_bitmap[i])
			return i * 64 + highbit64(rq->rq_bitmap[i]);
	return -1;
}

static inline struct thread *
runq_peek_inline(const struct runq *rq)
{
	int pri = runq_top_pri_inline(rq);

	return pri < 0 ? NULL : TAILQ_FIRST(&rq->rq_queues[pri]);
}

#endif
