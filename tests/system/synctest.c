/*
 * tests/system/synctest.c - the Sync* calls (kern/sync.c): mutexes with a
 * user-space fast path and priority inheritance (also along a chain of
 * mutexes), condition variables, semaphores, time-outs, signals and bad
 * arguments.  Runs as init (init=/proc/boot/synctest).
 */
#include "utest.h"
#include <stdbool.h>
#include <abi/neutrino.h>
#include <abi/signal.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)
#define STACK		16384
#define BASE		10

static uint8_t stacks[8][STACK] __attribute__((aligned(16)));
static sync_t m1 __attribute__((aligned(8))), m2 __attribute__((aligned(8)));
static sync_t cv __attribute__((aligned(8))), sem __attribute__((aligned(8)));

static void
timeout_ms(int states, long ms)
{
	uint64_t ns = (uint64_t)ms * 1000000;

	KC(TimerTimeout, CLOCK_MONOTONIC, states, 0, (long)&ns, 0, 0);
}

/* What libc does: take a free mutex with a compare-and-swap, else ask the kernel. */
static long
lock(sync_t *m, uint32_t me)
{
	uint32_t free = 0;

	if (__atomic_compare_exchange_n(&m->__owner, &free, me, false, __ATOMIC_ACQUIRE,
	    __ATOMIC_RELAXED))
		return 0;
	return KC(SyncMutexLock, (long)m, 0, 0, 0, 0, 0);
}

static long
unlock(sync_t *m, uint32_t me)
{
	uint32_t mine = me;

	if (__atomic_compare_exchange_n(&m->__owner, &mine, 0, false, __ATOMIC_RELEASE,
	    __ATOMIC_RELAXED))
		return 0;
	return KC(SyncMutexUnlock, (long)m, 0, 0, 0, 0, 0);
}

static long
init(sync_t *s, unsigned type, int count)
{
	struct _sync_attr a = { 0 };

	a.__count = count;
	return KC(SyncTypeCreate, type, (long)s, (long)&a, 0, 0, 0);
}

/* A thread body with its own tid (rt_thread_create's caller learns it; so do we). */
struct worker {
	void		(*fn)(struct worker *);
	volatile uint32_t tid;
	int		pri;
	volatile long	rc;
	volatile int	done;
	volatile int	ready;
	sync_t		*a, *b;
};

static void
worker_main(void *arg)
{
	struct worker *w = arg;

	while (w->tid == 0)		/* set by start() right after creation */
		KC(SchedYield, 0, 0, 0, 0, 0, 0);
	rt_setpri(w->pri);
	w->fn(w);
	w->done = 1;
	KC(ThreadDestroy, 0, 0, 0, 0, 0, 0);
}

static int
start(struct worker *w, int slot)
{
	long tid;

	w->done = w->ready = 0;
	w->tid = 0;
	tid = rt_thread_create(worker_main, w, stacks[slot], STACK, BASE);
	if (tid <= 0)
		return -1;
	w->tid = (uint32_t)tid;
	return 0;
}

static void
join(struct worker *w)
{
	/*
	 * Up to 30 s: a worker that is only slow (a 4-hart guest on a host
	 * loaded by other test runs) must not look lost; one that never ends
	 * still fails the checks that follow.
	 */
	for (int i = 0; i < 6000 && !w->done; i++)
		rt_sleep_ms(5);
}

/* ---- bad arguments ---- */

UTEST(sync, bad_arguments)
{
	static sync_t s __attribute__((aligned(8)));
	struct _sync_attr a = { 0 };

	UT_EQ(KC(SyncTypeCreate, 77, (long)&s, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)&s + 4, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, 0, 0, 0, 0, 0), -EFAULT);
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)0xffffffff80200000UL, 0, 0, 0, 0),
	    -EFAULT);
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)((uintptr_t)rt_mypri & ~7UL), 0, 0, 0, 0),
	    -EFAULT);					/* read-only text */
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)&s, 8, 0, 0, 0), -EFAULT);
	a.__flags = 0x4;
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)&s, (long)&a, 0, 0, 0), -EINVAL);
	a.__flags = (int32_t)_NTO_SYNC_SHARED;		/* not yet */
	UT_EQ(KC(SyncTypeCreate, _NTO_SYNC_MUTEX_FREE, (long)&s, (long)&a, 0, 0, 0), -EINVAL);
	UT_EQ(init(&s, _NTO_SYNC_SEM, -1), -EINVAL);
	UT_EQ(init(&s, _NTO_SYNC_SEM, 0), 0);
	UT_EQ(KC(SyncMutexLock, (long)&s, 0, 0, 0, 0, 0), -EINVAL);	/* a semaphore */
	UT_EQ(KC(SyncMutexUnlock, (long)&s, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SyncCondvarSignal, (long)&s, 0, 0, 0, 0, 0), -EINVAL);
	UT_EQ(init(&s, _NTO_SYNC_MUTEX_FREE, 0), 0);
	UT_EQ(KC(SyncSemPost, (long)&s, 0, 0, 0, 0, 0), -EINVAL);	/* a mutex */
	UT_EQ(KC(SyncSemWait, (long)&s, 1, 0, 0, 0, 0), -EINVAL);
	UT_EQ(KC(SyncMutexLock, 8, 0, 0, 0, 0, 0), -EFAULT);
	return 0;
}

/* ---- mutexes ---- */

static volatile long counter;

static void
hammer(struct worker *w)
{
	for (int i = 0; i < 3000; i++) {
		long r = lock(&m1, w->tid);

		if (r != 0) {
			rt_printf("synctest: hammer %u: SyncMutexLock gave %ld at %d (owner %#x)\n",
			    w->tid, r, i, m1.__owner);
			w->rc = -1;
			return;
		}
		long c = counter;
		if ((i & 63) == 0)
			KC(SchedYield, 0, 0, 0, 0, 0, 0);	/* invite contention */
		counter = c + 1;
		if (unlock(&m1, w->tid) != 0) {
			w->rc = -2;
			return;
		}
	}
	w->rc = 0;
}

UTEST(sync, mutex_counts_exactly_under_contention)
{
	struct worker w[4];

	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	counter = 0;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .fn = hammer, .pri = BASE };
		UT_EQ(start(&w[i], i), 0);
	}
	for (int i = 0; i < 4; i++)
		join(&w[i]);
	for (int i = 0; i < 4; i++)
		UT_EQ(w[i].rc, 0);
	UT_EQ(counter, 4 * 3000);
	UT_EQ(m1.__owner, 0);
	return 0;
}

UTEST(sync, mutex_errors_and_timeout)
{
	struct worker w = { 0 };

	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	UT_EQ(lock(&m1, 1), 0);
	UT_EQ(KC(SyncMutexLock, (long)&m1, 0, 0, 0, 0, 0), -EDEADLK);
	m1.__owner = 1 | _NTO_SYNC_WAITING;		/* so unlock goes to the kernel */
	UT_EQ(KC(SyncMutexUnlock, (long)&m1, 0, 0, 0, 0, 0), 0);
	UT_EQ(m1.__owner, 0);
	UT_EQ(KC(SyncMutexUnlock, (long)&m1, 0, 0, 0, 0, 0), -EPERM);	/* not ours */
	m1.__owner = 77;				/* someone else */
	UT_EQ(KC(SyncMutexUnlock, (long)&m1, 0, 0, 0, 0, 0), -EPERM);
	timeout_ms(_NTO_TIMEOUT_MUTEX, 30);
	UT_EQ(KC(SyncMutexLock, (long)&m1, 0, 0, 0, 0, 0), -ETIMEDOUT);
	UT_EQ(m1.__owner, 77 | _NTO_SYNC_WAITING);	/* still 77's */
	UT_EQ(KC(SyncDestroy, (long)&m1, 0, 0, 0, 0, 0), -EBUSY);
	m1.__owner = 0;
	UT_EQ(KC(SyncDestroy, (long)&m1, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(SyncMutexLock, (long)&m1, 0, 0, 0, 0, 0), -EINVAL);	/* destroyed */
	UT_EQ(KC(SyncDestroy, (long)&m1, 0, 0, 0, 0, 0), -EINVAL);
	(void)w;
	return 0;
}

/* A low thread holds a; the test (high) waits for it: the holder is raised, then drops. */
static volatile int holder_pri_seen, holder_pri_after;

static void
hold_then_release(struct worker *w)
{
	lock(w->a, w->tid);
	w->ready = 1;
	for (int i = 0; i < 400 && rt_mypri() < 30; i++)
		rt_sleep_ms(5);
	holder_pri_seen = rt_mypri();
	w->rc = unlock(w->a, w->tid);
	holder_pri_after = rt_mypri();
}

UTEST(sync, mutex_priority_inheritance_and_handoff)
{
	struct worker lo = { .fn = hold_then_release, .pri = BASE, .a = &m1 };

	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	rt_setpri(30);
	UT_EQ(start(&lo, 0), 0);
	while (!lo.ready)
		rt_sleep_ms(2);
	UT_EQ(lock(&m1, 1), 0);			/* waits: lo inherits 30 */
	UT_EQ(m1.__owner & _NTO_SYNC_OWNER_MASK, 1);	/* handed straight to us */
	join(&lo);
	UT_EQ(lo.rc, 0);
	UT_EQ(holder_pri_seen, 30);
	UT_EQ(holder_pri_after, BASE);		/* unwound at unlock */
	UT_EQ(unlock(&m1, 1), 0);
	rt_setpri(BASE);
	return 0;
}

/* A chain: lo holds m1; mid holds m2 and waits for m1; we wait for m2. */
static void
hold_m2_wait_m1(struct worker *w)
{
	lock(&m2, w->tid);
	w->ready = 1;
	lock(&m1, w->tid);			/* blocks on lo */
	holder_pri_after = rt_mypri();		/* still 30: it holds m2 we wait on */
	unlock(&m1, w->tid);
	w->rc = unlock(&m2, w->tid);
}

UTEST(sync, mutex_inheritance_travels_a_chain)
{
	struct worker lo = { .fn = hold_then_release, .pri = BASE, .a = &m1 };
	struct worker mid = { .fn = hold_m2_wait_m1, .pri = 20 };

	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	UT_EQ(init(&m2, _NTO_SYNC_MUTEX_FREE, 0), 0);
	rt_setpri(30);
	UT_EQ(start(&lo, 0), 0);
	while (!lo.ready)
		rt_sleep_ms(2);
	UT_EQ(start(&mid, 1), 0);
	while (!mid.ready)
		rt_sleep_ms(2);
	rt_sleep_ms(10);				/* mid is blocked on m1 now */
	UT_EQ(lock(&m2, 1), 0);			/* us -> mid -> lo: lo reaches 30 */
	join(&lo);
	join(&mid);
	UT_EQ(holder_pri_seen, 30);
	UT_EQ(mid.rc, 0);
	UT_EQ(unlock(&m2, 1), 0);
	rt_setpri(BASE);
	return 0;
}

/* ---- condition variables ---- */

static volatile int ready_flag, woke;

static void
cv_waiter(struct worker *w)
{
	lock(&m1, w->tid);
	w->ready = 1;
	while (!ready_flag)
		if (KC(SyncCondvarWait, (long)&cv, (long)&m1, 0, 0, 0, 0) != 0)
			break;
	__atomic_fetch_add(&woke, 1, __ATOMIC_RELAXED);
	w->rc = (m1.__owner & _NTO_SYNC_OWNER_MASK) == w->tid ? 0 : -1;	/* held again */
	unlock(&m1, w->tid);
}

UTEST(sync, condvar_signal_and_broadcast)
{
	struct worker w[3];

	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	UT_EQ(init(&cv, _NTO_SYNC_COND, 0), 0);
	ready_flag = woke = 0;
	for (int i = 0; i < 3; i++) {
		w[i] = (struct worker){ .fn = cv_waiter, .pri = BASE };
		UT_EQ(start(&w[i], i), 0);
		while (!w[i].ready)
			rt_sleep_ms(2);
	}
	rt_sleep_ms(20);
	UT_EQ(woke, 0);
	lock(&m1, 1);
	ready_flag = 1;
	UT_EQ(KC(SyncCondvarSignal, (long)&cv, 0, 0, 0, 0, 0), 0);	/* one */
	unlock(&m1, 1);
	for (int i = 0; i < 400 && woke == 0; i++)	/* a loaded host may take a while */
		rt_sleep_ms(5);
	rt_sleep_ms(20);
	UT_EQ(woke, 1);					/* and only one */
	UT_EQ(KC(SyncCondvarSignal, (long)&cv, 1, 0, 0, 0, 0), 0);	/* the rest */
	for (int i = 0; i < 3; i++)
		join(&w[i]);
	UT_EQ(woke, 3);
	for (int i = 0; i < 3; i++)
		UT_EQ(w[i].rc, 0);
	return 0;
}

UTEST(sync, condvar_timeout_and_errors)
{
	UT_EQ(init(&m1, _NTO_SYNC_MUTEX_FREE, 0), 0);
	UT_EQ(init(&cv, _NTO_SYNC_COND, 0), 0);
	UT_EQ(KC(SyncCondvarWait, (long)&cv, (long)&m1, 0, 0, 0, 0), -EPERM);	/* not held */
	lock(&m1, 1);
	timeout_ms(_NTO_TIMEOUT_CONDVAR, 30);
	UT_EQ(KC(SyncCondvarWait, (long)&cv, (long)&m1, 0, 0, 0, 0), -ETIMEDOUT);
	UT_EQ(m1.__owner & _NTO_SYNC_OWNER_MASK, 1);		/* held again */
	UT_EQ(KC(SyncCondvarWait, (long)&m1, (long)&m1, 0, 0, 0, 0), -EINVAL);	/* not a cv */
	UT_EQ(unlock(&m1, 1), 0);
	return 0;
}

/* ---- semaphores ---- */

static void
sem_taker(struct worker *w)
{
	w->ready = 1;
	w->rc = KC(SyncSemWait, (long)&sem, 0, 0, 0, 0, 0);
}

static volatile int handled;

static void
on_usr1(int signo)
{
	(void)signo;
	handled++;
}

UTEST(sync, semaphore_counts_waits_and_interrupts)
{
	struct worker w = { .fn = sem_taker, .pri = BASE };
	struct __abi_sigaction act = { (uint64_t)(uintptr_t)on_usr1, 0, 0 };

	UT_EQ(init(&sem, _NTO_SYNC_SEM, 2), 0);
	UT_EQ(KC(SyncSemWait, (long)&sem, 1, 0, 0, 0, 0), 0);
	UT_EQ(KC(SyncSemWait, (long)&sem, 1, 0, 0, 0, 0), 0);
	UT_EQ(KC(SyncSemWait, (long)&sem, 1, 0, 0, 0, 0), -EAGAIN);	/* try: empty */
	timeout_ms(_NTO_TIMEOUT_SEM, 20);
	UT_EQ(KC(SyncSemWait, (long)&sem, 0, 0, 0, 0, 0), -ETIMEDOUT);
	UT_EQ(start(&w, 0), 0);
	while (!w.ready)
		rt_sleep_ms(2);
	rt_sleep_ms(10);
	UT_EQ(w.done, 0);				/* blocked */
	UT_EQ(KC(SyncSemPost, (long)&sem, 0, 0, 0, 0, 0), 0);
	join(&w);
	UT_EQ(w.rc, 0);
	UT_EQ(sem.__count, 0);				/* the post went to the waiter */
	UT_EQ(KC(SyncSemPost, (long)&sem, 0, 0, 0, 0, 0), 0);
	UT_EQ(sem.__count, 1);
	/* A signal ends a semaphore wait with EINTR. */
	UT_EQ(KC(SyncSemWait, (long)&sem, 1, 0, 0, 0, 0), 0);
	UT_EQ(KC(SignalAction, 0, (long)__rt_sigstub, SIGUSR1, (long)&act, 0, 0), 0);
	UT_EQ(start(&w, 1), 0);
	while (!w.ready)
		rt_sleep_ms(2);
	/* Until it is really waiting, a signal only runs the handler: send again. */
	for (int i = 0; i < 400 && !w.done; i++) {
		UT_EQ(KC(SignalKill, 0, 0, w.tid, SIGUSR1, 0, 0), 0);
		rt_sleep_ms(5);
	}
	join(&w);
	UT_EQ(w.rc, -EINTR);
	UT_CHECK(handled >= 1);
	UT_EQ(KC(SyncDestroy, (long)&sem, 0, 0, 0, 0, 0), 0);
	UT_EQ(KC(SyncSemPost, (long)&sem, 0, 0, 0, 0, 0), -EINVAL);
	return 0;
}

int
umain(uint64_t arg)
{
	(void)arg;
	rt_setpri(BASE);
	return utest_run_all() ? 1 : 0;
}
