/*
 * kern/runq.h - a per-CPU run queue: 256 priority levels, FIFO within a
 * level, and a bitmap to find the highest non-empty level in O(1).
 *
 * Priorities follow QNX: 0 is the idle thread's, 1..255 are for everyone
 * else, higher is more urgent.  A run queue belongs to one CPU and is
 * touched only by that CPU inside a critical section; it has no lock.
 * Pure code: it builds on the host for the unit tests.
 */
#ifndef KERN_RUNQ_H
#define KERN_RUNQ_H

#include <kern/types.h>
#include <kern/queue.h>

#define PRI_MIN		0	/* the idle thread only */
#define PRI_MAX		255
#define NPRI		256

struct thread;
TAILQ_HEAD(threadq, thread);

struct runq {
	uint64_t	rq_bitmap[NPRI / 64];	/* bit p set iff rq_queues[p] non-empty */
	int		rq_count;		/* threads queued */
	struct threadq	rq_queues[NPRI];	/* last: 4 KiB, past a load's reach */
};

void runq_init(struct runq *rq);
/* Queue td (not queued) at priority pri: at the tail, or at the head if front. */
void runq_insert(struct runq *rq, struct thread *td, int pri, bool front);
/* Remove td, which must be queued at pri. */
void runq_remove(struct runq *rq, struct thread *td, int pri);
/* Highest queued priority, or -1 if empty. */
int runq_top_pri(const struct runq *rq);
/* First thread at the highest priority (not removed), or NULL. */
struct thread *runq_peek(const struct runq *rq);
/* Check the bitmap against the lists and the count (INVARIANTS, tests). */
bool runq_consistent(const struct runq *rq);

#endif
