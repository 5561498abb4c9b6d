/*
 * tests/libc/libcthread.c - musl's pthreads on QSOE: ThreadCreate through
 * clone, futexes through FutexWait/FutexWake, TLS through tp, thread stacks
 * from the local memory manager.  At -smp 4 the threads run on different
 * CPUs.  Runs as the first process (init=/proc/boot/libcthread).
 */
#define _GNU_SOURCE	/* gettid */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "ltest.h"

#define NTHREADS	6

static void *square(void *arg)
{
	uintptr_t v = (uintptr_t)arg;

	return (void *)(v * v);
}

LTEST(thread, create_join)
{
	pthread_t t[NTHREADS];

	for (uintptr_t i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_create(&t[i], 0, square, (void *)(i + 2)), 0);
	for (uintptr_t i = 0; i < NTHREADS; i++) {
		void *r;

		LT_EQ(pthread_join(t[i], &r), 0);
		LT_EQ((uintptr_t)r, (i + 2) * (i + 2));
	}
	/* Again, so that stacks and tids are recycled. */
	for (int round = 0; round < 20; round++) {
		void *r;

		LT_EQ(pthread_create(&t[0], 0, square, (void *)7), 0);
		LT_EQ(pthread_join(t[0], &r), 0);
		LT_EQ((uintptr_t)r, 49);
	}
	return 0;
}

static void *own_tid(void *arg)
{
	*(pid_t *)arg = gettid();
	return 0;
}

LTEST(thread, ids)
{
	pthread_t t;
	pid_t tid = 0;

	LT_EQ(gettid(), 1);		/* Skimmer numbers threads from 1 */
	LT_EQ(pthread_create(&t, 0, own_tid, &tid), 0);
	LT_EQ(pthread_join(t, 0), 0);
	LT_CHECK(tid > 1);
	LT_CHECK(pthread_equal(pthread_self(), pthread_self()));
	return 0;
}

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;	/* volatile: the mutex, not luck, must keep it right */

static void *count(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mtx);
		counter = counter + 1;
		if (i % 1000 == 0)
			sched_yield();	/* hold the lock across a yield: contention */
		pthread_mutex_unlock(&mtx);
	}
	return 0;
}

LTEST(thread, mutex_contention)
{
	pthread_t t[NTHREADS];

	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_create(&t[i], 0, count, 0), 0);
	for (int i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_join(t[i], 0), 0);
	LT_EQ(counter, NTHREADS * 20000L);
	LT_EQ(pthread_mutex_trylock(&mtx), 0);
	LT_EQ(pthread_mutex_trylock(&mtx), EBUSY);
	LT_EQ(pthread_mutex_unlock(&mtx), 0);
	return 0;
}

/* A bounded queue: producers and consumers on two condition variables. */
enum { QLEN = 4, ITEMS = 3000 };
static struct {
	pthread_mutex_t	m;
	pthread_cond_t	not_empty, not_full;
	int		buf[QLEN], head, n;
	long		sum;
} q = { .m = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
	.not_full = PTHREAD_COND_INITIALIZER };

static void *produce(void *arg)
{
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q.m);
		while (q.n == QLEN)
			pthread_cond_wait(&q.not_full, &q.m);
		q.buf[(q.head + q.n++) % QLEN] = i;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.m);
	}
	return 0;
}

static void *consume(void *arg)
{
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&q.m);
		while (q.n == 0)
			pthread_cond_wait(&q.not_empty, &q.m);
		q.sum += q.buf[q.head];
		q.head = (q.head + 1) % QLEN;
		q.n--;
		pthread_cond_signal(&q.not_full);
		pthread_mutex_unlock(&q.m);
	}
	return 0;
}

LTEST(thread, condvar)
{
	pthread_t p[3], c[3];

	for (int i = 0; i < 3; i++) {
		LT_EQ(pthread_create(&p[i], 0, produce, 0), 0);
		LT_EQ(pthread_create(&c[i], 0, consume, 0), 0);
	}
	for (int i = 0; i < 3; i++) {
		LT_EQ(pthread_join(p[i], 0), 0);
		LT_EQ(pthread_join(c[i], 0), 0);
	}
	LT_EQ(q.sum, 3L * ITEMS * (ITEMS + 1) / 2);
	LT_EQ(q.n, 0);
	return 0;
}

LTEST(thread, condvar_timeout)
{
	pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
	struct timespec t0, t1, until;

	clock_gettime(CLOCK_REALTIME, &t0);
	until = t0;
	until.tv_nsec += 40 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mtx);
	LT_EQ(pthread_cond_timedwait(&cv, &mtx, &until), ETIMEDOUT);
	pthread_mutex_unlock(&mtx);
	clock_gettime(CLOCK_REALTIME, &t1);
	LT_CHECK((t1.tv_sec - t0.tv_sec) * 1000000000LL + t1.tv_nsec - t0.tv_nsec >= 40000000);
	return 0;
}

static __thread int tls_value = 5;
static __thread char tls_big[1000];

static void *tls_check(void *arg)
{
	int mine = (int)(intptr_t)arg;

	if (tls_value != 5 || tls_big[999] != 0)
		return (void *)1;	/* a new thread starts from the TLS image */
	tls_value = mine;
	tls_big[999] = (char)mine;
	for (int i = 0; i < 1000; i++) {
		sched_yield();
		if (tls_value != mine || tls_big[999] != (char)mine)
			return (void *)2;
	}
	errno = mine;			/* errno is per thread too */
	sched_yield();
	return (void *)(intptr_t)(errno == mine ? 0 : 3);
}

LTEST(thread, tls)
{
	pthread_t t[NTHREADS];

	tls_value = 99;
	for (int i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_create(&t[i], 0, tls_check, (void *)(intptr_t)(i + 10)), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;

		LT_EQ(pthread_join(t[i], &r), 0);
		LT_EQ((intptr_t)r, 0);
	}
	LT_EQ(tls_value, 99);
	return 0;
}

static sem_t done;

static void *detached(void *arg)
{
	sem_post(&done);
	return 0;
}

LTEST(thread, detached)
{
	pthread_attr_t a;
	pthread_t t;

	LT_EQ(sem_init(&done, 0, 0), 0);
	LT_EQ(pthread_attr_init(&a), 0);
	LT_EQ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED), 0);
	for (int i = 0; i < 30; i++)
		LT_EQ(pthread_create(&t, &a, detached, 0), 0);
	for (int i = 0; i < 30; i++)
		LT_EQ(sem_wait(&done), 0);
	/* Each one gives its own stack back as it ends (__unmapself). */
	usleep(20000);
	LT_EQ(pthread_attr_destroy(&a), 0);
	return 0;
}

static void *fpu_work(void *arg)
{
	double x = (double)(intptr_t)arg, s = 0;

	for (int i = 1; i <= 20000; i++) {
		s += x / i;
		if (i % 2000 == 0)
			sched_yield();	/* switch FPU state between threads */
	}
	double want = 0;
	for (int i = 1; i <= 20000; i++)
		want += x / i;
	return (void *)(intptr_t)(s == want);
}

LTEST(thread, fpu)
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		LT_EQ(pthread_create(&t[i], 0, fpu_work, (void *)(intptr_t)(i + 1)), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *r;

		LT_EQ(pthread_join(t[i], &r), 0);
		LT_EQ((intptr_t)r, 1);
	}
	return 0;
}

static sem_t go;

static void *wait_go(void *arg)
{
	sem_wait(&go);
	return arg;
}

LTEST(thread, errors)
{
	pthread_attr_t a;
	pthread_t t;
	struct timespec until;
	void *r;

	LT_EQ(pthread_attr_init(&a), 0);
	LT_EQ(pthread_attr_setstacksize(&a, 16), EINVAL);
	LT_EQ(pthread_attr_destroy(&a), 0);
	/* A thread that has not ended: EBUSY now, ETIMEDOUT after a wait. */
	LT_EQ(sem_init(&go, 0, 0), 0);
	LT_EQ(pthread_create(&t, 0, wait_go, (void *)42), 0);
	LT_EQ(pthread_tryjoin_np(t, &r), EBUSY);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 20 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	LT_EQ(pthread_timedjoin_np(t, &r, &until), ETIMEDOUT);
	errno = 0;
	LT_EQ(sem_trywait(&go), -1);
	LT_EQ(errno, EAGAIN);
	LT_EQ(sem_post(&go), 0);
	LT_EQ(pthread_join(t, &r), 0);
	LT_EQ((intptr_t)r, 42);
	return 0;
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 0, 1000 * 1000 };

	for (;;) {
		sem_post(&go);
		nanosleep(&ts, 0);	/* a cancellation point */
	}
	return arg;
}

LTEST(thread, cancel_at_cancellation_point)
{
	pthread_t t;
	void *r;

	LT_EQ(sem_init(&go, 0, 0), 0);
	LT_EQ(pthread_create(&t, 0, sleeper, 0), 0);
	LT_EQ(sem_wait(&go), 0);
	/*
	 * The thread is asleep or about to be: SIGCANCEL interrupts the
	 * sleep, or the flag stops it at its next cancellation point
	 * (libcsignal tests blocked threads in more detail).
	 */
	LT_EQ(pthread_cancel(t), 0);
	LT_EQ(pthread_join(t, &r), 0);
	LT_CHECK(r == PTHREAD_CANCELED);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
