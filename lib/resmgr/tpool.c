/*
 * tpool.c - thread pools in QNX Neutrino's shape (<sys/dispatch.h>,
 * docs/resmgr.md): threads that each loop block_func, handler_func on a
 * context of their own, as many as the load needs between the pool's
 * lo_water, hi_water and maximum.
 *
 * The pool counts its threads (tp_nthreads) and those waiting in
 * block_func (tp_nwaiting; a thread being made counts as waiting, so one
 * burst of messages does not make a thread per message).  A thread that
 * leaves block_func makes increment more when fewer than lo_water are
 * left waiting; a thread done with handler_func exits when hi_water
 * wait already.  Everything here is under tp_lock, which is never held
 * across block_func, handler_func, context_alloc or context_free (they
 * may take the library's own locks, and block).
 *
 * The threads are joinable, and a thread that ends is joined by the next
 * one made (or by thread_pool_destroy): a detached thread's stack is not
 * given back under taskman's memory manager (lib/c/posix/mm.c), so a
 * pool that grows and shrinks all day would use up memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rm.h"

/* One of the pool's threads. */
struct tp_thread {
	struct tp_thread	*t_next;
	thread_pool_t		*t_pool;
	void			*t_ctp;		/* its context; NULL until made */
	pthread_t		t_tid;
	int			t_waiting;	/* in block_func, or starting */
	int			t_poked;	/* unblock_func called since it blocked */
	int			t_join;		/* ours and joinable: reaped once gone */
};

struct _thread_pool {
	thread_pool_attr_t	tp_attr;	/* the numbers may change (thread_pool_control) */
	unsigned		tp_flags;	/* POOL_FLAG_* */
	pthread_mutex_t		tp_lock;	/* everything below */
	pthread_cond_t		tp_cond;	/* tp_nthreads changed */
	unsigned		tp_nthreads;	/* alive: made, not yet gone */
	unsigned		tp_nwaiting;	/* of them, in block_func or starting */
	int			tp_started;
	int			tp_destroying;
	struct tp_thread	*tp_threads;
	struct tp_thread	*tp_zombies;	/* gone, to be joined (their stacks freed) */
};

static void *tp_worker(void *arg);

/* The limits make sense: 0 or EINVAL. */
static int tp_limits_ok(const thread_pool_attr_t *a)
{
	if (a->maximum == 0 || a->increment == 0 || a->hi_water == 0)
		return EINVAL;
	return a->lo_water > a->hi_water || a->lo_water > a->maximum ? EINVAL : 0;
}

thread_pool_t *thread_pool_create(thread_pool_attr_t *attr, unsigned flags)
{
	thread_pool_t *tp;

	if (attr == NULL || attr->handle == NULL || attr->block_func == NULL ||
	    attr->handler_func == NULL || attr->context_alloc == NULL ||
	    tp_limits_ok(attr) != 0 ||
	    (flags & ~(unsigned)(POOL_FLAG_EXIT_SELF | POOL_FLAG_USE_SELF)) ||
	    flags == (POOL_FLAG_EXIT_SELF | POOL_FLAG_USE_SELF)) {
		errno = EINVAL;
		return NULL;
	}
	if ((tp = calloc(1, sizeof(*tp))) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	tp->tp_attr = *attr;
	tp->tp_flags = flags;
	pthread_mutex_init(&tp->tp_lock, NULL);
	pthread_cond_init(&tp->tp_cond, NULL);
	return tp;
}

/* tp_lock held: count a new thread (waiting), on the list. */
static struct tp_thread *tp_enter(thread_pool_t *tp)
{
	struct tp_thread *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->t_pool = tp;
	t->t_waiting = 1;
	t->t_next = tp->tp_threads;
	tp->tp_threads = t;
	tp->tp_nthreads++;
	tp->tp_nwaiting++;
	pthread_cond_broadcast(&tp->tp_cond);
	return t;
}

/* tp_lock held: take t off the list and the counts (it waits no longer). */
static void tp_leave(thread_pool_t *tp, struct tp_thread *t)
{
	struct tp_thread **q;

	for (q = &tp->tp_threads; *q != t; q = &(*q)->t_next)
		;
	*q = t->t_next;
	tp->tp_nthreads--;
	pthread_cond_broadcast(&tp->tp_cond);
}

/*
 * tp_lock held: join the threads that ended.  Each put itself on the
 * list as its last act under tp_lock and touches nothing after, so the
 * join waits for no lock of ours.
 */
static void tp_reap(thread_pool_t *tp)
{
	struct tp_thread *t;

	while ((t = tp->tp_zombies) != NULL) {
		tp->tp_zombies = t->t_next;
		if (t->t_join)
			pthread_join(t->t_tid, NULL);
		free(t);
	}
}

/* tp_lock held: make one more thread; 0 or an errno. */
static int tp_spawn(thread_pool_t *tp)
{
	struct tp_thread *t;
	int r, detached = PTHREAD_CREATE_JOINABLE;

	tp_reap(tp);
	if ((t = tp_enter(tp)) == NULL)
		return ENOMEM;
	if (tp->tp_attr.attr)
		pthread_attr_getdetachstate(tp->tp_attr.attr, &detached);
	t->t_join = detached == PTHREAD_CREATE_JOINABLE;
	if ((r = pthread_create(&t->t_tid, tp->tp_attr.attr, tp_worker, t)) != 0) {
		tp->tp_nwaiting--;
		tp_leave(tp, t);
		free(t);
		return r;
	}
	return 0;
}

/* tp_lock held: fewer than lo_water wait, so make increment more (up to maximum). */
static void tp_grow(thread_pool_t *tp)
{
	const thread_pool_attr_t *a = &tp->tp_attr;

	if (tp->tp_destroying || tp->tp_nwaiting >= a->lo_water)
		return;
	for (unsigned n = 0; n < a->increment && tp->tp_nthreads < a->maximum; n++)
		if (tp_spawn(tp) != 0)
			return;		/* no memory: the next message tries again */
}

/* Wake a thread blocked with t's context (the pool's unblock_func). */
static void tp_poke(thread_pool_t *tp, struct tp_thread *t)
{
	t->t_poked = 1;
	if (tp->tp_attr.unblock_func)
		tp->tp_attr.unblock_func(t->t_ctp);
	else if (tp->tp_attr.block_func == dispatch_block)
		dispatch_unblock(t->t_ctp);
}

/* tp_lock held: wake up to n waiting threads not woken yet. */
static void tp_poke_waiting(thread_pool_t *tp, unsigned n)
{
	for (struct tp_thread *t = tp->tp_threads; t && n > 0; t = t->t_next)
		if (t->t_waiting && t->t_ctp && !t->t_poked) {
			tp_poke(tp, t);
			n--;
		}
}

/* tp_lock held: after new limits, make threads or wake the surplus so it exits. */
static void tp_trim(thread_pool_t *tp)
{
	const thread_pool_attr_t *a = &tp->tp_attr;
	unsigned n = 0;

	tp_grow(tp);
	if (tp->tp_nwaiting > a->hi_water)
		n = tp->tp_nwaiting - a->hi_water;
	if (tp->tp_nthreads > a->maximum && tp->tp_nthreads - a->maximum > n)
		n = tp->tp_nthreads - a->maximum;
	tp_poke_waiting(tp, n);
}

/*
 * The life of one thread (t counted already, waiting): its context, the
 * loop, and its end once the pool is destroyed or hi_water others wait.
 */
static void tp_run(thread_pool_t *tp, struct tp_thread *t)
{
	const thread_pool_attr_t *a = &tp->tp_attr;	/* functions never change */
	void *ctp = a->context_alloc(a->handle), *r;
	/* The library's own loop: a reply goes with the next receive (dispatch_replyrecv). */
	int rr = ctp != NULL && a->block_func == dispatch_block && a->handler_func == dispatch_handler;

	if (rr)
		dispatch_replyrecv(ctp, 1);
	pthread_mutex_lock(&tp->tp_lock);
	t->t_ctp = ctp;
	while (ctp != NULL && !tp->tp_destroying) {
		pthread_mutex_unlock(&tp->tp_lock);
		r = a->block_func(ctp);
		pthread_mutex_lock(&tp->tp_lock);
		t->t_waiting = t->t_poked = 0;
		tp->tp_nwaiting--;
		tp_grow(tp);
		pthread_mutex_unlock(&tp->tp_lock);
		if (r != NULL)
			a->handler_func(r);
		pthread_mutex_lock(&tp->tp_lock);
		if (tp->tp_destroying || tp->tp_nwaiting >= a->hi_water ||
		    tp->tp_nthreads > a->maximum)
			break;			/* enough wait (or too many): this one goes */
		t->t_waiting = 1;
		tp->tp_nwaiting++;
	}
	if (t->t_waiting)
		tp->tp_nwaiting--;
	t->t_waiting = 0;
	pthread_mutex_unlock(&tp->tp_lock);
	if (rr)
		dispatch_flush(ctp);	/* the last reply: no receive follows */
	if (ctp != NULL && a->context_free)
		a->context_free(ctp);
	pthread_mutex_lock(&tp->tp_lock);
	tp_leave(tp, t);
	t->t_next = tp->tp_zombies;	/* freed (and joined) by tp_reap */
	tp->tp_zombies = t;
	pthread_mutex_unlock(&tp->tp_lock);	/* tp may be freed from here on */
}

static void *tp_worker(void *arg)
{
	struct tp_thread *t = arg;

	tp_run(t->t_pool, t);
	return NULL;
}

int thread_pool_start(void *pool)
{
	thread_pool_t *tp = pool;
	struct tp_thread *self = NULL;
	unsigned want;
	int r = 0;

	if (tp == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&tp->tp_lock);
	if (tp->tp_started || tp->tp_destroying) {
		pthread_mutex_unlock(&tp->tp_lock);
		errno = EINVAL;
		return -1;
	}
	tp->tp_started = 1;
	want = tp->tp_attr.lo_water ? tp->tp_attr.lo_water : 1;
	if (want > tp->tp_attr.maximum)
		want = tp->tp_attr.maximum;
	if ((tp->tp_flags & POOL_FLAG_USE_SELF) && (self = tp_enter(tp)) != NULL) {
		self->t_tid = pthread_self();
		want--;
	}
	while (want-- > 0 && (r = tp_spawn(tp)) == 0)
		;
	if (tp->tp_nthreads == 0) {
		tp->tp_started = 0;
		pthread_mutex_unlock(&tp->tp_lock);
		errno = r ? EAGAIN : ENOMEM;
		return -1;
	}
	pthread_mutex_unlock(&tp->tp_lock);
	if (self != NULL) {
		tp_run(tp, self);
		return 0;		/* the pool was destroyed */
	}
	if (tp->tp_flags & POOL_FLAG_EXIT_SELF)
		pthread_exit(NULL);
	return 0;
}

int thread_pool_destroy(thread_pool_t *tp)
{
	struct timespec ts;

	if (tp == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&tp->tp_lock);
	for (struct tp_thread *t = tp->tp_threads; t; t = t->t_next)
		if (pthread_equal(t->t_tid, pthread_self())) {
			pthread_mutex_unlock(&tp->tp_lock);
			errno = EDEADLK;	/* its own count would never reach 0 */
			return -1;
		}
	tp->tp_destroying = 1;
	while (tp->tp_nthreads > 0) {
		tp_poke_waiting(tp, tp->tp_nthreads);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100000000;	/* again for threads that blocked meanwhile */
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_cond_timedwait(&tp->tp_cond, &tp->tp_lock, &ts);
	}
	tp_reap(tp);
	pthread_mutex_unlock(&tp->tp_lock);
	pthread_cond_destroy(&tp->tp_cond);
	pthread_mutex_destroy(&tp->tp_lock);
	free(tp);
	return 0;
}

int thread_pool_control(thread_pool_t *tp, thread_pool_attr_t *attr,
    unsigned short lower, unsigned short upper, unsigned flags)
{
	thread_pool_attr_t n;

	if (tp == NULL || attr == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&tp->tp_lock);
	n = tp->tp_attr;
	if (flags & THREAD_POOL_CONTROL_HIWATER)
		n.hi_water = attr->hi_water;
	if (flags & THREAD_POOL_CONTROL_INCREMENT)
		n.increment = attr->increment;
	if (flags & THREAD_POOL_CONTROL_LOWATER)
		n.lo_water = attr->lo_water;
	if (flags & THREAD_POOL_CONTROL_MAXIMUM)
		n.maximum = attr->maximum;
	if (tp_limits_ok(&n) != 0) {
		pthread_mutex_unlock(&tp->tp_lock);
		errno = EINVAL;
		return -1;
	}
	tp->tp_attr = n;
	if (tp->tp_started)
		tp_trim(tp);
	while (!(flags & THREAD_POOL_CONTROL_NONBLOCK) && tp->tp_started &&
	    !tp->tp_destroying && (tp->tp_nthreads < lower || tp->tp_nthreads > upper)) {
		pthread_cond_wait(&tp->tp_cond, &tp->tp_lock);
		tp_trim(tp);
	}
	pthread_mutex_unlock(&tp->tp_lock);
	return 0;
}

int thread_pool_limits(thread_pool_t *tp, int lowater, int hiwater,
    int maximum, int increment, unsigned flags)
{
	thread_pool_attr_t a;
	unsigned which = flags & THREAD_POOL_CONTROL_NONBLOCK;

	memset(&a, 0, sizeof(a));
	if (lowater >= 0)
		a.lo_water = (unsigned short)lowater, which |= THREAD_POOL_CONTROL_LOWATER;
	if (hiwater >= 0)
		a.hi_water = (unsigned short)hiwater, which |= THREAD_POOL_CONTROL_HIWATER;
	if (maximum >= 0)
		a.maximum = (unsigned short)maximum, which |= THREAD_POOL_CONTROL_MAXIMUM;
	if (increment >= 0)
		a.increment = (unsigned short)increment, which |= THREAD_POOL_CONTROL_INCREMENT;
	return thread_pool_control(tp, &a, lowater >= 0 ? (unsigned short)lowater : 0,
	    maximum >= 0 ? (unsigned short)maximum : 0xffff, which);
}
