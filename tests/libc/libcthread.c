/*
 * tests/libc/libcthread.c - musl's pthreads on QSOE: ThreadCreate through
 * clone, futexes through FutexWait/FutexWake, TLS through tp, thread stacks
 * from the local memory manager.  At -smp 4 the threads run on different
 * CPUs.  Runs as the first process (init=/proc/boot/libcthread).
 */
#define _GNU_SOURCE	/* gettid */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
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

/* ---- priority inheritance and another thread's scheduling ---------------- */

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Run the calling thread on CPU 0 only, at priority pri (FIFO). */
static int pin(int pri)
{
	struct sched_param sp = { .sched_priority = pri };

	if (ThreadCtl(_NTO_TCTL_RUNMASK, (void *)(uintptr_t)1) == -1)
		return -1;
	return pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
}

/* The current (possibly inherited) priority of thread tid of ours. */
static int curpri(int tid)
{
	struct __abi_sched_param sp;

	return SchedGet(0, tid, &sp) < 0 ? -1 : sp.sched_curpriority;
}

static pthread_mutex_t inv_m;
static volatile int inv_seq, inv_locked, inv_h_got, inv_m_done, inv_l_tid;
static volatile int inv_l_pri_after, inv_bad;

static void spin(long n)
{
	for (volatile long i = 0; i < n; i++)
		;
}

#define SPIN_L	20000000L	/* the low thread's work while it holds the mutex */
#define SPIN_M	60000000L	/* the medium thread's: much more */

static void *inv_low(void *arg)
{
	(void)arg;
	if (pin(10) != 0)
		inv_bad = 1;
	inv_l_tid = (int)gettid();
	pthread_mutex_lock(&inv_m);
	inv_locked = 1;
	spin(SPIN_L);
	pthread_mutex_unlock(&inv_m);
	inv_l_pri_after = curpri(0);
	return 0;
}

static void *inv_high(void *arg)
{
	(void)arg;
	if (pin(30) != 0)
		inv_bad = 1;
	pthread_mutex_lock(&inv_m);
	inv_h_got = __atomic_add_fetch(&inv_seq, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&inv_m);
	return 0;
}

static void *inv_medium(void *arg)
{
	(void)arg;
	if (pin(20) != 0)
		inv_bad = 1;
	spin(SPIN_M);
	inv_m_done = __atomic_add_fetch(&inv_seq, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/*
 * Low (10) holds the mutex, high (30) waits for it, medium (20) spins,
 * all on CPU 0, the controller (50) asleep.  With inheritance low runs at
 * 30 until it unlocks, so high gets the mutex before medium is done;
 * without it medium starves low and high waits for medium.  *boosted:
 * low's current priority while high waited.
 */
static int inversion(int protocol, int *boosted)
{
	pthread_mutexattr_t ma;
	pthread_t l, h, m;
	int i;

	inv_seq = inv_locked = inv_h_got = inv_m_done = inv_l_tid = inv_bad = 0;
	inv_l_pri_after = -1;
	if (pthread_mutexattr_init(&ma) || pthread_mutexattr_setprotocol(&ma, protocol) ||
	    pthread_mutex_init(&inv_m, &ma) || pin(50))
		return -1;
	pthread_create(&l, 0, inv_low, 0);
	for (i = 0; i < 500 && !inv_locked; i++)
		msleep(2);
	pthread_create(&h, 0, inv_high, 0);
	msleep(20);				/* high blocks on the mutex */
	*boosted = curpri(inv_l_tid);
	pthread_create(&m, 0, inv_medium, 0);
	pthread_join(m, 0);
	pthread_join(h, 0);
	pthread_join(l, 0);
	pthread_mutex_destroy(&inv_m);
	return inv_bad || !inv_locked ? -1 : 0;
}

LTEST(thread, prio_inherit_inversion)
{
	int boosted;

	LT_EQ(inversion(PTHREAD_PRIO_INHERIT, &boosted), 0);
	LT_EQ(boosted, 30);				/* low inherited high's priority */
	LT_EQ(inv_l_pri_after, 10);			/* and dropped back at unlock */
	LT_CHECK(inv_h_got != 0 && inv_m_done != 0);
	LT_CHECK(inv_h_got < inv_m_done);		/* high before medium finished */
	/* The control: without inheritance medium does finish first. */
	LT_EQ(inversion(PTHREAD_PRIO_NONE, &boosted), 0);
	LT_EQ(boosted, 10);
	LT_CHECK(inv_h_got > inv_m_done);
	return 0;
}

static volatile int pi_hold, pi_release;
static pthread_mutex_t pi_m;

static void *pi_holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pi_m);
	pi_hold = 1;
	while (!pi_release)
		msleep(1);
	pthread_mutex_unlock(&pi_m);
	return 0;
}

/* PI mutexes: the protocol, trylock, timedlock, errorcheck, recursive. */
LTEST(thread, prio_inherit_mutex)
{
	pthread_mutexattr_t ma;
	struct timespec at;
	pthread_t t;
	int proto = -1;

	LT_EQ(pthread_mutexattr_init(&ma), 0);
	LT_EQ(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT), 0);
	LT_EQ(pthread_mutexattr_getprotocol(&ma, &proto), 0);
	LT_EQ(proto, PTHREAD_PRIO_INHERIT);
	LT_EQ(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_PROTECT), ENOTSUP);
	LT_EQ(pthread_mutexattr_setprotocol(&ma, 7), EINVAL);
	LT_EQ(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK), 0);
	LT_EQ(pthread_mutex_init(&pi_m, &ma), 0);
	LT_EQ(pthread_mutex_lock(&pi_m), 0);
	LT_EQ(pthread_mutex_lock(&pi_m), EDEADLK);
	LT_EQ(pthread_mutex_unlock(&pi_m), 0);
	LT_EQ(pthread_mutex_unlock(&pi_m), EPERM);
	pi_hold = pi_release = 0;
	LT_EQ(pthread_create(&t, 0, pi_holder, 0), 0);
	while (!pi_hold)
		msleep(1);
	LT_EQ(pthread_mutex_trylock(&pi_m), EBUSY);
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 50000000;
	if (at.tv_nsec >= 1000000000)
		at.tv_sec++, at.tv_nsec -= 1000000000;
	LT_EQ(pthread_mutex_timedlock(&pi_m, &at), ETIMEDOUT);
	pi_release = 1;
	LT_EQ(pthread_mutex_lock(&pi_m), 0);		/* handed over at its unlock */
	LT_EQ(pthread_mutex_unlock(&pi_m), 0);
	LT_EQ(pthread_join(t, 0), 0);
	LT_EQ(pthread_mutex_destroy(&pi_m), 0);
	LT_EQ(pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE), 0);
	LT_EQ(pthread_mutex_init(&pi_m, &ma), 0);
	LT_EQ(pthread_mutex_lock(&pi_m), 0);
	LT_EQ(pthread_mutex_lock(&pi_m), 0);
	LT_EQ(pthread_mutex_unlock(&pi_m), 0);
	LT_EQ(pthread_mutex_unlock(&pi_m), 0);
	LT_EQ(pthread_mutex_trylock(&pi_m), 0);
	LT_EQ(pthread_mutex_unlock(&pi_m), 0);
	LT_EQ(pthread_mutex_destroy(&pi_m), 0);
	return 0;
}

static volatile int sp_stop;

static void *sp_idle(void *arg)
{
	(void)arg;
	while (!sp_stop)
		msleep(1);
	return 0;
}

/* pthread_setschedparam/getschedparam/setschedprio of another thread. */
LTEST(thread, sched_other_thread)
{
	struct sched_param sp = { .sched_priority = 17 };
	pthread_t t;
	int policy = -1;

	sp_stop = 0;
	LT_EQ(pthread_create(&t, 0, sp_idle, 0), 0);
	LT_EQ(pthread_setschedparam(t, SCHED_RR, &sp), 0);
	sp.sched_priority = 0;
	LT_EQ(pthread_getschedparam(t, &policy, &sp), 0);
	LT_EQ(policy, SCHED_RR);
	LT_EQ(sp.sched_priority, 17);
	LT_EQ(pthread_setschedprio(t, 23), 0);
	LT_EQ(pthread_getschedparam(t, &policy, &sp), 0);
	LT_EQ(policy, SCHED_RR);				/* kept */
	LT_EQ(sp.sched_priority, 23);
	sp.sched_priority = 256;
	LT_EQ(pthread_setschedparam(t, SCHED_FIFO, &sp), EINVAL);
	sp.sched_priority = 0;
	LT_EQ(pthread_setschedparam(t, SCHED_FIFO, &sp), EINVAL);
	sp.sched_priority = 5;
	LT_EQ(pthread_setschedparam(t, SCHED_OTHER, &sp), EINVAL);	/* FIFO and RR only */
	LT_EQ(pthread_setschedparam(t, 99, &sp), EINVAL);
	LT_EQ(pthread_getschedparam(t, &policy, &sp), 0);
	LT_EQ(sp.sched_priority, 23);				/* unchanged */
	LT_EQ(sched_get_priority_max(SCHED_FIFO), 255);
	LT_EQ(sched_get_priority_min(SCHED_RR), 1);
	LT_EQ(sched_get_priority_max(99), -1);
	LT_EQ(errno, EINVAL);
	sp_stop = 1;
	LT_EQ(pthread_join(t, 0), 0);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
