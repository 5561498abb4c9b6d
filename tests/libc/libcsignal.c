/*
 * tests/libc/libcsignal.c - signals through musl and the POSIX layer:
 * sigaction (SA_SIGINFO, sa_mask, SIG_IGN, errors), sigprocmask and
 * pthread_sigmask, delivery on unblock, EINTR and SA_RESTART, sigsuspend,
 * sigtimedwait, raise, kill, sigqueue, pthread_kill, alarm, setitimer,
 * POSIX timers, pthread_cancel of blocked threads, and a SIGSEGV handler
 * that siglongjmps out.  Runs as the first process (init=).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "ltest.h"

static volatile sig_atomic_t hits, last_signo, last_code, last_pid;
static volatile long last_value;
static volatile pthread_t last_thread;
static sigset_t mask_in_handler;

static void on_info(int signo, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_signo = signo;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_value = (long)si->si_value.sival_ptr;
	last_thread = pthread_self();
	pthread_sigmask(SIG_BLOCK, 0, &mask_in_handler);
}

static void on_plain(int signo)
{
	hits++;
	last_signo = signo;
	last_thread = pthread_self();
}

static int set_handler(int signo, void *fn, int flags, const sigset_t *mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
	else
		sa.sa_handler = (void (*)(int))fn;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	return sigaction(signo, &sa, 0);
}

static void reset(void)
{
	sigset_t none;

	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, 0);
	hits = last_signo = last_code = last_pid = 0;
	last_value = 0;
	last_thread = 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A thread that sends sig to target after ms (pthread_kill: thread-directed). */
struct later {
	pthread_t	l_target;
	int		l_sig;
	long		l_ms;
};

static void *kill_later_fn(void *p)
{
	struct later *l = p;

	sleep_ms(l->l_ms);
	pthread_kill(l->l_target, l->l_sig);
	return 0;
}

static pthread_t kill_later(struct later *l, int sig, long ms)
{
	pthread_t t;

	l->l_target = pthread_self();
	l->l_sig = sig;
	l->l_ms = ms;
	if (pthread_create(&t, 0, kill_later_fn, l) != 0)
		return 0;
	return t;
}

LTEST(sig, bad_arguments)
{
	struct sigaction sa, old;
	sigset_t s;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_plain;
	errno = 0;
	LT_EQ(sigaction(0, &sa, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(sigaction(65, &sa, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(sigaction(SIGKILL, &sa, 0), -1);		/* refused by the kernel */
	LT_EQ(errno, EINVAL);
	LT_EQ(sigaction(SIGSTOP, &sa, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(sigaction(SIGKILL, 0, &old), 0);		/* but it can be read */
	LT_CHECK(old.sa_handler == SIG_DFL);
	sa.sa_flags = 0x100;				/* no such flag */
	LT_EQ(sigaction(SIGUSR1, &sa, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(kill(getpid(), 65), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(kill(getpid(), -1), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(kill(999999, SIGUSR1), -1);
	LT_EQ(errno, ESRCH);
	LT_EQ(syscall(SYS_tgkill, 0, 1, SIGUSR1), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(syscall(SYS_tkill, 9999, SIGUSR1), -1);	/* no such thread */
	LT_EQ(errno, ESRCH);
	LT_EQ(kill(getpid(), 0), 0);			/* existence check */
	LT_EQ(kill(0, SIGUSR1), -1);			/* process groups: taskman's */
	LT_EQ(errno, ENOSYS);
	LT_EQ(kill(-1, SIGUSR1), -1);
	LT_EQ(errno, ENOSYS);
	LT_EQ(raise(65), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(pthread_kill(pthread_self(), 65), EINVAL);
	sigemptyset(&s);
	LT_EQ(sigprocmask(7, &s, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(sigprocmask(5, &s, 0), -1);		/* the kernel's SIG_PENDING is not POSIX's */
	LT_EQ(errno, EINVAL);
	LT_EQ(syscall(SYS_rt_sigpending, (sigset_t *)8, 8), -1);
	LT_EQ(errno, EFAULT);
	return 0;
}

/* sigpending: blocked signals sent to the thread and to the process; gone once taken. */
LTEST(sig, pending)
{
	sigset_t m, p, old;
	int sig = 0;

	reset();
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	LT_EQ(sigprocmask(SIG_BLOCK, &m, &old), 0);
	LT_EQ(sigpending(&p), 0);
	LT_CHECK(!sigismember(&p, SIGUSR1) && !sigismember(&p, SIGUSR2));
	LT_EQ(raise(SIGUSR1), 0);			/* to this thread */
	LT_EQ(kill(getpid(), SIGUSR2), 0);		/* to the process */
	LT_EQ(sigpending(&p), 0);
	LT_CHECK(sigismember(&p, SIGUSR1) && sigismember(&p, SIGUSR2) && !sigismember(&p, SIGTERM));
	LT_EQ(sigwait(&m, &sig), 0);
	LT_EQ(sigwait(&m, &sig), 0);
	LT_EQ(sigpending(&p), 0);
	LT_CHECK(!sigismember(&p, SIGUSR1) && !sigismember(&p, SIGUSR2));
	LT_EQ(sigprocmask(SIG_SETMASK, &old, 0), 0);
	return 0;
}

LTEST(sig, siginfo_from_sigqueue_and_kill)
{
	sigset_t m;

	reset();
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	LT_EQ(set_handler(SIGUSR1, on_info, SA_SIGINFO, &m), 0);
	LT_EQ(sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 42 }), 0);
	LT_EQ(hits, 1);				/* ran before sigqueue returned */
	LT_EQ(last_signo, SIGUSR1);
	LT_EQ(last_code, SI_QUEUE);
	LT_EQ(last_pid, getpid());
	LT_EQ(last_value, 42);
	LT_EQ(sigismember(&mask_in_handler, SIGUSR1), 1);	/* itself */
	LT_EQ(sigismember(&mask_in_handler, SIGUSR2), 1);	/* sa_mask */
	pthread_sigmask(SIG_BLOCK, 0, &m);
	LT_EQ(sigismember(&m, SIGUSR1), 0);			/* restored */
	LT_EQ(kill(getpid(), SIGUSR1), 0);
	LT_EQ(hits, 2);
	LT_EQ(last_code, SI_USER);
	LT_EQ(last_pid, getpid());
	LT_EQ(raise(SIGUSR1), 0);
	LT_EQ(hits, 3);
	LT_EQ(last_code, SI_TKILL);
	LT_CHECK((void *)signal(SIGUSR1, SIG_DFL) == (void *)on_info);
	return 0;
}

LTEST(sig, old_action_and_ignore)
{
	struct sigaction old;
	sigset_t m;

	reset();
	sigemptyset(&m);
	sigaddset(&m, SIGTERM);
	LT_EQ(set_handler(SIGUSR2, on_plain, SA_RESTART | SA_NODEFER, &m), 0);
	LT_EQ(sigaction(SIGUSR2, 0, &old), 0);
	LT_CHECK(old.sa_handler == on_plain);
	LT_EQ(old.sa_flags & (SA_RESTART | SA_NODEFER), SA_RESTART | SA_NODEFER);
	LT_EQ(sigismember(&old.sa_mask, SIGTERM), 1);
	LT_EQ(sigismember(&old.sa_mask, SIGINT), 0);
	LT_EQ(signal(SIGUSR2, SIG_IGN), on_plain);
	LT_EQ(raise(SIGUSR2), 0);			/* discarded */
	LT_EQ(hits, 0);
	LT_EQ(signal(SIGUSR2, SIG_DFL), SIG_IGN);
	LT_EQ(raise(SIGCHLD), 0);			/* default: ignored */
	return 0;
}

LTEST(sig, blocked_then_delivered_on_unblock)
{
	sigset_t b, old;

	reset();
	LT_EQ(set_handler(SIGUSR1, on_plain, 0, 0), 0);
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	LT_EQ(sigprocmask(SIG_BLOCK, &b, &old), 0);
	LT_EQ(sigismember(&old, SIGUSR1), 0);
	LT_EQ(raise(SIGUSR1), 0);
	LT_EQ(raise(SIGUSR1), 0);			/* not queued twice */
	LT_EQ(hits, 0);
	LT_EQ(sigprocmask(SIG_UNBLOCK, &b, &old), 0);
	LT_EQ(sigismember(&old, SIGUSR1), 1);
	LT_EQ(hits, 1);
	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&b);
	LT_EQ(pthread_sigmask(SIG_SETMASK, &b, 0), 0);
	LT_EQ(pthread_sigmask(SIG_SETMASK, 0, &old), 0);
	LT_EQ(sigismember(&old, SIGKILL), 0);
	LT_EQ(sigismember(&old, SIGSTOP), 0);
	LT_EQ(sigismember(&old, SIGTERM), 1);
	reset();
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

static sigset_t thread_mask;

static void *mask_reader(void *arg)
{
	pthread_sigmask(SIG_BLOCK, 0, &thread_mask);
	return arg;
}

LTEST(sig, new_thread_inherits_mask)
{
	sigset_t b;
	pthread_t t;

	reset();
	sigemptyset(&b);
	sigaddset(&b, SIGUSR2);
	sigaddset(&b, SIGHUP);
	LT_EQ(pthread_sigmask(SIG_BLOCK, &b, 0), 0);
	LT_EQ(pthread_create(&t, 0, mask_reader, 0), 0);
	LT_EQ(pthread_join(t, 0), 0);
	LT_EQ(sigismember(&thread_mask, SIGUSR2), 1);
	LT_EQ(sigismember(&thread_mask, SIGHUP), 1);
	LT_EQ(sigismember(&thread_mask, SIGUSR1), 0);
	LT_EQ(sigismember(&thread_mask, SIGINT), 0);	/* not the app set musl blocks while creating */
	reset();
	return 0;
}

/* Interrupted calls: nanosleep always EINTR; MsgReceive per SA_RESTART. */
LTEST(sig, nanosleep_eintr)
{
	struct timespec ts = { 5, 0 }, rem;
	struct later l;
	pthread_t k;
	uint64_t t0 = now_ms();

	reset();
	LT_EQ(set_handler(SIGUSR1, on_plain, SA_RESTART, 0), 0);
	LT_CHECK((k = kill_later(&l, SIGUSR1, 30)) != 0);
	LT_EQ(nanosleep(&ts, &rem), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(hits, 1);
	LT_CHECK(now_ms() - t0 < 2000);
	LT_CHECK(rem.tv_sec >= 3 && rem.tv_sec <= 4);
	LT_EQ(pthread_join(k, 0), 0);
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

static volatile int pulse_coid;

static void *pulse_later(void *arg)
{
	sleep_ms(100);
	MsgSendPulse(pulse_coid, 10, 5, 77);
	return arg;
}

LTEST(sig, receive_eintr_or_restart)
{
	struct _pulse p;
	struct later l;
	pthread_t k, pt;
	int chid = ChannelCreate(0);

	reset();
	LT_CHECK(chid > 0);
	pulse_coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	LT_CHECK(pulse_coid > 0);
	/* Without SA_RESTART: EINTR. */
	LT_EQ(set_handler(SIGUSR1, on_plain, 0, 0), 0);
	LT_CHECK((k = kill_later(&l, SIGUSR1, 30)) != 0);
	LT_EQ(MsgReceive(chid, &p, sizeof(p), 0), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(hits, 1);
	LT_EQ(pthread_join(k, 0), 0);
	/* With SA_RESTART: the receive goes on and gets the pulse at 100 ms. */
	LT_EQ(set_handler(SIGUSR1, on_plain, SA_RESTART, 0), 0);
	LT_CHECK((k = kill_later(&l, SIGUSR1, 30)) != 0);
	LT_EQ(pthread_create(&pt, 0, pulse_later, 0), 0);
	LT_EQ(MsgReceive(chid, &p, sizeof(p), 0), 0);
	LT_EQ(p.code, 5);
	LT_EQ(hits, 2);
	LT_EQ(pthread_join(k, 0), 0);
	LT_EQ(pthread_join(pt, 0), 0);
	LT_EQ(ConnectDetach(pulse_coid), 0);
	LT_EQ(ChannelDestroy(chid), 0);
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

LTEST(sig, sem_wait_eintr)
{
	sem_t s;
	struct later l;
	pthread_t k;

	reset();
	LT_EQ(sem_init(&s, 0, 0), 0);
	LT_EQ(set_handler(SIGUSR2, on_plain, 0, 0), 0);	/* no SA_RESTART */
	LT_CHECK((k = kill_later(&l, SIGUSR2, 30)) != 0);
	LT_EQ(sem_wait(&s), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(hits, 1);
	LT_EQ(pthread_join(k, 0), 0);
	signal(SIGUSR2, SIG_DFL);
	return 0;
}

LTEST(sig, sigsuspend_runs_handler_and_restores_mask)
{
	sigset_t b, none, now;
	struct later l;
	pthread_t k;

	reset();
	LT_EQ(set_handler(SIGUSR1, on_info, SA_SIGINFO, 0), 0);
	sigemptyset(&b);
	sigaddset(&b, SIGUSR1);
	LT_EQ(sigprocmask(SIG_BLOCK, &b, 0), 0);
	LT_CHECK((k = kill_later(&l, SIGUSR1, 30)) != 0);
	sigemptyset(&none);
	LT_EQ(sigsuspend(&none), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(hits, 1);
	LT_EQ(last_code, SI_TKILL);
	LT_CHECK(pthread_equal(last_thread, pthread_self()));
	LT_EQ(sigprocmask(SIG_BLOCK, 0, &now), 0);
	LT_EQ(sigismember(&now, SIGUSR1), 1);		/* the mask from before */
	LT_EQ(pthread_join(k, 0), 0);
	reset();
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

LTEST(sig, pause_waits_for_a_handler)
{
	struct later l;
	pthread_t k;
	struct pollfd pfd = { -1, 0, 0 };

	reset();
	LT_EQ(set_handler(SIGUSR2, on_plain, SA_RESTART, 0), 0);
	LT_CHECK((k = kill_later(&l, SIGUSR2, 30)) != 0);
	LT_EQ(pause(), -1);
	LT_EQ(errno, EINTR);
	LT_EQ(hits, 1);
	LT_EQ(pthread_join(k, 0), 0);
	LT_EQ(poll(&pfd, 1, 0), 0);		/* a negative fd is skipped: nothing ready */
	LT_EQ(poll(&pfd, 1, 20), 0);		/* ... and the time-out ends it */
	signal(SIGUSR2, SIG_DFL);
	return 0;
}

LTEST(sig, sigtimedwait)
{
	sigset_t set;
	siginfo_t si;
	struct later l;
	pthread_t k;
	struct timespec ts = { 0, 50 * 1000000 }, bad = { 0, 1000000000 };
	uint64_t t0;

	reset();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	LT_EQ(sigprocmask(SIG_BLOCK, &set, 0), 0);
	/* A signal that comes while we wait. */
	LT_CHECK((k = kill_later(&l, SIGUSR2, 30)) != 0);
	LT_EQ(sigwaitinfo(&set, &si), SIGUSR2);
	LT_EQ(si.si_signo, SIGUSR2);
	LT_EQ(si.si_code, SI_TKILL);
	LT_EQ(si.si_pid, getpid());
	LT_EQ(pthread_join(k, 0), 0);
	/* One already pending, with a value. */
	LT_EQ(sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 9 }), 0);
	LT_EQ(sigtimedwait(&set, &si, &ts), SIGUSR2);
	LT_EQ(si.si_code, SI_QUEUE);
	LT_EQ(si.si_value.sival_int, 9);
	/* Nothing comes: EAGAIN after the time-out, not before. */
	t0 = now_ms();
	LT_EQ(sigtimedwait(&set, &si, &ts), -1);
	LT_EQ(errno, EAGAIN);
	LT_CHECK(now_ms() - t0 >= 50);
	ts.tv_nsec = 0;					/* a poll */
	LT_EQ(sigtimedwait(&set, &si, &ts), -1);
	LT_EQ(errno, EAGAIN);
	LT_EQ(sigtimedwait(&set, &si, &bad), -1);
	LT_EQ(errno, EINVAL);
	reset();
	return 0;
}

/* pthread_kill reaches the thread it names, and interrupts its sleep. */
static volatile int woke_eintr;

static void *long_sleeper(void *arg)
{
	struct timespec ts = { 10, 0 };

	woke_eintr = nanosleep(&ts, 0) == -1 && errno == EINTR;
	return arg;
}

LTEST(sig, pthread_kill_other_thread)
{
	pthread_t t;

	reset();
	woke_eintr = 0;
	LT_EQ(set_handler(SIGUSR1, on_plain, 0, 0), 0);
	LT_EQ(pthread_create(&t, 0, long_sleeper, 0), 0);
	sleep_ms(30);
	LT_EQ(pthread_kill(t, 0), 0);
	LT_EQ(pthread_kill(t, SIGUSR1), 0);
	LT_EQ(pthread_join(t, 0), 0);
	LT_EQ(hits, 1);
	LT_CHECK(pthread_equal(last_thread, t));
	LT_EQ(woke_eintr, 1);
	signal(SIGUSR1, SIG_DFL);
	return 0;
}

LTEST(sig, alarm_interrupts_sleep)
{
	struct timespec ts = { 5, 0 };
	uint64_t t0 = now_ms(), dt;

	reset();
	LT_EQ(set_handler(SIGALRM, on_info, SA_SIGINFO, 0), 0);
	LT_EQ(alarm(10), 0);
	LT_EQ(alarm(1), 10);		/* the rest of the first, rounded up */
	LT_EQ(nanosleep(&ts, 0), -1);
	LT_EQ(errno, EINTR);
	dt = now_ms() - t0;
	LT_CHECK(dt >= 1000 && dt < 1500);
	LT_EQ(hits, 1);
	LT_EQ(last_signo, SIGALRM);
	LT_EQ(last_code, SI_TIMER);
	LT_EQ(alarm(0), 0);		/* nothing left */
	signal(SIGALRM, SIG_DFL);
	return 0;
}

LTEST(sig, setitimer_periodic)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, old, cur;
	uint64_t t0 = now_ms();

	reset();
	LT_EQ(set_handler(SIGALRM, on_plain, 0, 0), 0);
	LT_EQ(setitimer(ITIMER_REAL, &it, &old), 0);
	LT_EQ(old.it_value.tv_sec, 0);
	LT_EQ(old.it_value.tv_usec, 0);
	while (hits < 5 && now_ms() - t0 < 2000)
		sleep_ms(5);
	LT_CHECK(hits >= 5);
	LT_CHECK(now_ms() - t0 >= 100);
	LT_EQ(getitimer(ITIMER_REAL, &cur), 0);
	LT_EQ(cur.it_interval.tv_usec, 20000);
	LT_CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
	    cur.it_value.tv_usec <= 20000);
	memset(&it, 0, sizeof(it));
	LT_EQ(setitimer(ITIMER_REAL, &it, &old), 0);		/* disarm */
	LT_EQ(old.it_interval.tv_usec, 20000);
	LT_EQ(getitimer(ITIMER_REAL, &cur), 0);
	LT_EQ(cur.it_value.tv_usec, 0);
	hits = 0;
	sleep_ms(60);
	LT_EQ(hits, 0);
	/* A one-shot reads back what is left. */
	it.it_value.tv_sec = 1;
	LT_EQ(setitimer(ITIMER_REAL, &it, 0), 0);
	LT_EQ(getitimer(ITIMER_REAL, &cur), 0);
	LT_CHECK(cur.it_value.tv_sec == 1 || cur.it_value.tv_usec > 900000);
	memset(&it, 0, sizeof(it));
	LT_EQ(setitimer(ITIMER_REAL, &it, 0), 0);
	/* Errors. */
	LT_EQ(setitimer(7, &it, 0), -1);
	LT_EQ(errno, EINVAL);
	it.it_value.tv_usec = 1000000;
	LT_EQ(setitimer(ITIMER_REAL, &it, 0), -1);
	LT_EQ(errno, EINVAL);
	signal(SIGALRM, SIG_DFL);
	return 0;
}

LTEST(sig, timer_create_sigev_signal)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000000 } }, cur, old;
	timer_t t;
	sigset_t set;
	siginfo_t si;
	struct timespec lim = { 1, 0 };

	reset();
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 77;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	LT_EQ(sigprocmask(SIG_BLOCK, &set, 0), 0);
	LT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	LT_EQ(timer_settime(t, 0, &its, 0), 0);
	LT_EQ(timer_gettime(t, &cur), 0);
	LT_CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	    cur.it_value.tv_nsec <= 20 * 1000000);
	LT_EQ(sigtimedwait(&set, &si, &lim), SIGUSR1);
	LT_EQ(si.si_code, SI_TIMER);
	LT_EQ(si.si_value.sival_int, 77);
	LT_EQ(timer_gettime(t, &cur), 0);		/* expired */
	LT_EQ(cur.it_value.tv_nsec, 0);
	/* Periodic, absolute start; the old setting comes back. */
	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec += 1;
	its.it_interval.tv_nsec = 10 * 1000000;
	LT_EQ(timer_settime(t, TIMER_ABSTIME, &its, &old), 0);
	LT_EQ(old.it_value.tv_nsec, 0);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 10 * 1000000;
	LT_EQ(timer_settime(t, 0, &its, &old), 0);
	LT_CHECK(old.it_value.tv_sec <= 1 && (old.it_value.tv_sec || old.it_value.tv_nsec));
	LT_EQ(old.it_interval.tv_nsec, 10 * 1000000);
	LT_EQ(sigtimedwait(&set, &si, &lim), SIGUSR1);
	LT_EQ(sigtimedwait(&set, &si, &lim), SIGUSR1);
	/* Expiries while the signal stays pending are overruns, reset as they are read. */
	nanosleep(&(struct timespec){ 0, 150 * 1000000 }, 0);
	LT_EQ(sigtimedwait(&set, &si, &lim), SIGUSR1);
	LT_CHECK(timer_getoverrun(t) >= 3);		/* ~14 of the 10 ms periods */
	LT_CHECK(timer_getoverrun(t) <= 1);		/* read: reset */
	LT_EQ(timer_delete(t), 0);
	LT_EQ(timer_getoverrun(t), -1);			/* deleted */
	LT_EQ(errno, EINVAL);
	LT_EQ(timer_delete(t), -EINVAL);		/* musl returns the raw result */
	/* Errors. */
	ev.sigev_signo = 65;
	LT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), -1);
	LT_EQ(errno, EINVAL);
	ev.sigev_signo = SIGUSR1;
	LT_EQ(timer_create(12345, &ev, &t), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	its.it_value.tv_nsec = 1000000000;
	LT_EQ(timer_settime(t, 0, &its, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(timer_delete(t), 0);
	while (sigtimedwait(&set, &si, &(struct timespec){ 0, 0 }) > 0)
		;
	reset();
	return 0;
}

/* SIGEV_THREAD_ID: the creating thread gets it, even when another could. */
static volatile pthread_t timer_thread;
static volatile int tid_result;

static void *tid_timer(void *arg)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000000 } };
	timer_t t;
	struct timespec ts = { 2, 0 };

	(void)arg;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	tid_result = -1;
	if (timer_create(CLOCK_REALTIME, &ev, &t) != 0 || timer_settime(t, 0, &its, 0) != 0)
		return 0;
	tid_result = nanosleep(&ts, 0) == -1 && errno == EINTR ? 1 : -2;
	timer_delete(t);
	return 0;
}

LTEST(sig, timer_create_sigev_thread_id)
{
	struct sigevent ev;
	pthread_t t;
	timer_t tm;

	reset();
	LT_EQ(set_handler(SIGUSR2, on_plain, 0, 0), 0);
	LT_EQ(pthread_create(&t, 0, tid_timer, 0), 0);
	LT_EQ(pthread_join(t, 0), 0);
	LT_EQ(tid_result, 1);
	LT_EQ(hits, 1);
	LT_CHECK(pthread_equal(last_thread, t));
	/* Another thread's tid: the kernel signals only the creator. */
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_notify_thread_id = 9999;
	LT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &tm), -1);
	LT_EQ(errno, ENOSYS);
	signal(SIGUSR2, SIG_DFL);
	return 0;
}

/* SIGEV_THREAD: musl's helper thread runs the function (it makes its own timer). */
static volatile int notified;
static volatile pthread_t notify_thread;

static void on_timer(union sigval v)
{
	notified += v.sival_int;
	notify_thread = pthread_self();
}

LTEST(sig, timer_create_sigev_thread)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 10 * 1000000 }, { 0, 10 * 1000000 } }, cur;
	timer_t t;
	uint64_t t0 = now_ms();
	int n;

	notified = 0;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_timer;
	ev.sigev_value.sival_int = 1;
	LT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	LT_EQ(timer_settime(t, 0, &its, 0), 0);
	LT_EQ(timer_gettime(t, &cur), 0);
	LT_EQ(cur.it_interval.tv_nsec, 10 * 1000000);
	while (notified < 3 && now_ms() - t0 < 2000)
		sleep_ms(5);
	LT_CHECK(notified >= 3);
	LT_CHECK(!pthread_equal(notify_thread, pthread_self()));
	LT_EQ(timer_delete(t), 0);
	sleep_ms(30);
	n = notified;
	sleep_ms(50);
	LT_EQ(notified, n);			/* deleted: no more calls */
	LT_EQ(timer_create(12345, &ev, &t), -1);	/* the helper's error comes back */
	LT_EQ(errno, EINVAL);
	return 0;
}

/* pthread_cancel of a thread blocked in a condvar wait, then in nanosleep. */
static pthread_mutex_t cmx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ccv = PTHREAD_COND_INITIALIZER;
static volatile int cleaned, waiting;

static void cleanup(void *arg)
{
	cleaned++;
	if (arg)
		pthread_mutex_unlock(arg);
}

static void *cond_waiter(void *arg)
{
	pthread_mutex_lock(&cmx);
	pthread_cleanup_push(cleanup, &cmx);
	waiting = 1;
	for (;;)
		pthread_cond_wait(&ccv, &cmx);
	pthread_cleanup_pop(1);
	return arg;
}

static void *sleeper(void *arg)
{
	struct timespec ts = { 30, 0 };

	pthread_cleanup_push(cleanup, 0);
	waiting = 1;
	nanosleep(&ts, 0);
	pthread_cleanup_pop(0);
	return arg;
}

static int cancel_blocked(void *(*fn)(void *))
{
	pthread_t t;
	void *r;
	uint64_t t0;

	cleaned = waiting = 0;
	LT_EQ(pthread_create(&t, 0, fn, 0), 0);
	while (!waiting)
		sleep_ms(1);
	sleep_ms(20);			/* now blocked in the kernel */
	t0 = now_ms();
	LT_EQ(pthread_cancel(t), 0);
	LT_EQ(pthread_join(t, &r), 0);
	LT_CHECK(r == PTHREAD_CANCELED);
	LT_CHECK(now_ms() - t0 < 1000);
	LT_EQ(cleaned, 1);
	return 0;
}

LTEST(sig, cancel_blocked_in_cond_wait)
{
	LT_EQ(cancel_blocked(cond_waiter), 0);
	LT_EQ(pthread_mutex_trylock(&cmx), 0);	/* the cleanup handler unlocked it */
	LT_EQ(pthread_mutex_unlock(&cmx), 0);
	return 0;
}

LTEST(sig, cancel_blocked_in_nanosleep)
{
	return cancel_blocked(sleeper);
}

/* Many cancels racing with the moment the thread blocks: none is lost. */
static void *sem_sleeper(void *arg)
{
	sem_t *s = arg;

	waiting = 1;
	for (;;)
		sem_wait(s);
	return 0;
}

LTEST(sig, cancel_races_with_blocking)
{
	sem_t s;

	LT_EQ(sem_init(&s, 0, 0), 0);
	for (int i = 0; i < 40; i++) {
		pthread_t t;
		void *r;

		waiting = 0;
		LT_EQ(pthread_create(&t, 0, sem_sleeper, &s), 0);
		while (!waiting)
			sched_yield();
		LT_EQ(pthread_cancel(t), 0);
		LT_EQ(pthread_join(t, &r), 0);
		LT_CHECK(r == PTHREAD_CANCELED);
	}
	return 0;
}

/* A SIGSEGV handler that siglongjmps out; twice, so the mask must come back. */
static sigjmp_buf jb;
static volatile uintptr_t bad_addr = 16;
static volatile void *fault_at;

static void on_segv(int signo, siginfo_t *si, void *uc)
{
	(void)signo;
	(void)uc;
	fault_at = si->si_addr;
	siglongjmp(jb, 1);
}

LTEST(sig, segv_handler_siglongjmps)
{
	sigset_t now;

	reset();
	LT_EQ(set_handler(SIGSEGV, on_segv, SA_SIGINFO, 0), 0);
	for (int i = 0; i < 2; i++) {
		fault_at = 0;
		if (sigsetjmp(jb, 1) == 0) {
			*(volatile int *)bad_addr = 1;
			LT_CHECK(!"the store did not fault");
		}
		LT_EQ((uintptr_t)fault_at, 16);
		LT_EQ(sigprocmask(SIG_BLOCK, 0, &now), 0);
		LT_EQ(sigismember(&now, SIGSEGV), 0);	/* sigsetjmp's mask is back */
	}
	signal(SIGSEGV, SIG_DFL);
	return 0;
}

/* ---- sigaltstack and SA_ONSTACK ----------------------------------------- */

static char alt1[16384] __attribute__((aligned(16)));
static volatile uintptr_t h_local, h2_local;
static volatile int h_ss_flags, h_eperm, h_uc_flags;

static int on_alt1(uintptr_t a)
{
	return a > (uintptr_t)alt1 && a <= (uintptr_t)alt1 + sizeof(alt1);
}

static void on_usr2_nested(int signo)
{
	volatile char here;

	(void)signo;
	h2_local = (uintptr_t)&here;
}

static void on_alt_handler(int signo, siginfo_t *si, void *ucv)
{
	volatile char here;
	stack_t o, n = { .ss_sp = alt1, .ss_size = sizeof(alt1) };
	ucontext_t *uc = ucv;

	(void)signo, (void)si;
	h_local = (uintptr_t)&here;
	h_uc_flags = uc->uc_stack.ss_flags;		/* the interrupted context's */
	h_ss_flags = sigaltstack(0, &o) == 0 ? o.ss_flags : -1;
	h_eperm = sigaltstack(&n, 0) == -1 && errno == EPERM;
	raise(SIGUSR2);				/* nested: further down the same stack */
}

LTEST(sig, altstack_flags)
{
	stack_t ss, o;
	static char small[MINSIGSTKSZ - 1];

	reset();
	LT_EQ(sigaltstack(0, &o), 0);			/* none at first */
	LT_EQ(o.ss_flags, SS_DISABLE);
	ss = (stack_t){ .ss_sp = small, .ss_size = sizeof(small) };
	LT_EQ(sigaltstack(&ss, 0), -1);
	LT_EQ(errno, ENOMEM);
	ss = (stack_t){ .ss_sp = alt1, .ss_size = sizeof(alt1), .ss_flags = SS_ONSTACK };
	LT_EQ(sigaltstack(&ss, 0), -1);
	LT_EQ(errno, EINVAL);
	ss.ss_flags = 4;				/* unknown: the kernel's EINVAL */
	LT_EQ(sigaltstack(&ss, 0), -1);
	LT_EQ(errno, EINVAL);
	ss.ss_flags = (int)SS_AUTODISARM;
	LT_EQ(sigaltstack(&ss, 0), -1);
	LT_EQ(errno, EINVAL);
	ss = (stack_t){ .ss_sp = (void *)-65536L, .ss_size = 8192 };	/* past user space */
	LT_EQ(sigaltstack(&ss, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(syscall(SYS_sigaltstack, (stack_t *)8, 0), -1);	/* (musl reads ss itself) */
	LT_EQ(errno, EFAULT);
	ss = (stack_t){ .ss_sp = alt1, .ss_size = sizeof(alt1) };
	LT_EQ(sigaltstack(&ss, (stack_t *)8), -1);	/* nothing changes */
	LT_EQ(errno, EFAULT);
	LT_EQ(sigaltstack(0, &o), 0);
	LT_EQ(o.ss_flags, SS_DISABLE);
	LT_EQ(sigaltstack(&ss, 0), 0);
	LT_EQ(sigaltstack(0, &o), 0);
	LT_CHECK(o.ss_sp == alt1);
	LT_EQ(o.ss_size, sizeof(alt1));
	LT_EQ(o.ss_flags, 0);				/* not on it */
	ss.ss_flags = SS_DISABLE;
	LT_EQ(sigaltstack(&ss, &o), 0);
	LT_CHECK(o.ss_sp == alt1);
	LT_EQ(sigaltstack(0, &o), 0);
	LT_EQ(o.ss_flags, SS_DISABLE);
	LT_EQ(o.ss_size, 0);
	return 0;
}

/* SA_ONSTACK runs on the alternate stack, reports SS_ONSTACK there, nests below. */
LTEST(sig, altstack_handler)
{
	stack_t ss = { .ss_sp = alt1, .ss_size = sizeof(alt1) }, o;
	volatile char mine;

	reset();
	LT_EQ(sigaltstack(&ss, 0), 0);
	LT_EQ(set_handler(SIGUSR1, on_alt_handler, SA_SIGINFO | SA_ONSTACK, 0), 0);
	LT_EQ(set_handler(SIGUSR2, on_usr2_nested, SA_ONSTACK, 0), 0);
	h_local = h2_local = 0;
	LT_EQ(raise(SIGUSR1), 0);
	LT_CHECK(on_alt1(h_local));
	LT_EQ(h_ss_flags, SS_ONSTACK);
	LT_EQ(h_eperm, 1);				/* no change while on it */
	LT_EQ(h_uc_flags, 0);				/* it interrupted the normal stack */
	LT_CHECK(on_alt1(h2_local));			/* nested: on it too, */
	LT_CHECK(h2_local < h_local);			/* below the first frame */
	LT_EQ(sigaltstack(0, &o), 0);			/* back on the normal stack */
	LT_EQ(o.ss_flags, 0);
	/* Without SA_ONSTACK the handler stays on the normal stack. */
	LT_EQ(set_handler(SIGUSR2, on_usr2_nested, 0, 0), 0);
	h2_local = 0;
	LT_EQ(raise(SIGUSR2), 0);
	LT_CHECK(h2_local != 0 && !on_alt1(h2_local));
	LT_CHECK(h2_local < (uintptr_t)&mine);
	ss.ss_flags = SS_DISABLE;
	LT_EQ(sigaltstack(&ss, 0), 0);
	h2_local = 0;
	LT_EQ(set_handler(SIGUSR2, on_usr2_nested, SA_ONSTACK, 0), 0);	/* none: normal stack */
	LT_EQ(raise(SIGUSR2), 0);
	LT_CHECK(h2_local != 0 && !on_alt1(h2_local));
	reset();
	return 0;
}

static void *altstack_query(void *arg)
{
	stack_t o;

	(void)arg;
	if (sigaltstack(0, &o) != 0)
		return (void *)1;
	return (void *)(uintptr_t)(o.ss_flags == SS_DISABLE ? 0 : 2);
}

/* A new thread starts without its creator's alternate stack. */
LTEST(sig, altstack_not_inherited_by_threads)
{
	stack_t ss = { .ss_sp = alt1, .ss_size = sizeof(alt1) };
	pthread_t t;
	void *r;

	LT_EQ(sigaltstack(&ss, 0), 0);
	LT_EQ(pthread_create(&t, 0, altstack_query, 0), 0);
	LT_EQ(pthread_join(t, &r), 0);
	LT_CHECK(r == 0);
	ss.ss_flags = SS_DISABLE;
	LT_EQ(sigaltstack(&ss, 0), 0);
	return 0;
}

/* Stack overflow in a thread: SIGSEGV handled on the alternate stack. */
static sigjmp_buf ovf_jb;
static volatile uintptr_t ovf_local, ovf_addr;
static char alt2[16384] __attribute__((aligned(16)));

static void on_ovf(int signo, siginfo_t *si, void *uc)
{
	volatile char here;

	(void)signo, (void)uc;
	ovf_local = (uintptr_t)&here;
	ovf_addr = (uintptr_t)si->si_addr;
	siglongjmp(ovf_jb, 1);
}

static int __attribute__((noinline)) recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	if (n > 1000000)	/* 1 GiB: never reached, a 64 KiB stack overflows first */
		return pad[0];
	return recurse(n + 1) + pad[0];
}

static void *overflow_thread(void *arg)
{
	stack_t ss = { .ss_sp = alt2, .ss_size = sizeof(alt2) };

	(void)arg;
	if (sigaltstack(&ss, 0) != 0)
		return (void *)1;
	if (sigsetjmp(ovf_jb, 1) == 0) {
		recurse(0);
		return (void *)2;
	}
	return (void *)0;
}

LTEST(sig, altstack_stack_overflow)
{
	pthread_attr_t a;
	pthread_t t;
	void *r;

	reset();
	LT_EQ(set_handler(SIGSEGV, on_ovf, SA_SIGINFO | SA_ONSTACK, 0), 0);
	LT_EQ(pthread_attr_init(&a), 0);
	LT_EQ(pthread_attr_setstacksize(&a, 65536), 0);
	ovf_local = ovf_addr = 0;
	LT_EQ(pthread_create(&t, &a, overflow_thread, 0), 0);
	LT_EQ(pthread_join(t, &r), 0);
	LT_CHECK(r == 0);
	LT_CHECK(ovf_local > (uintptr_t)alt2 && ovf_local <= (uintptr_t)alt2 + sizeof(alt2));
	LT_CHECK(ovf_addr != 0 && (ovf_addr < (uintptr_t)alt2 ||
	    ovf_addr >= (uintptr_t)alt2 + sizeof(alt2)));
	signal(SIGSEGV, SIG_DFL);
	return 0;
}

/* ---- CPU-time itimers ---------------------------------------------------- */

static volatile int vt_hits, prof_hits;

static void on_vtalrm(int signo)
{
	(void)signo;
	vt_hits++;
}

static void on_prof(int signo)
{
	(void)signo;
	prof_hits++;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Spin until *flag reaches want or max_ns of CPU time pass; the CPU time spent. */
static uint64_t spin_until(volatile int *flag, int want, uint64_t max_ns)
{
	uint64_t t0 = cpu_ns(), t;
	volatile uint64_t x = 0;

	do {
		for (int i = 0; i < 50000; i++)	/* mostly user time between the clock reads */
			x += (uint64_t)i;
		t = cpu_ns() - t0;
	} while (*flag < want && t < max_ns);
	return t;
}

/* A busy loop gets SIGVTALRM after about its CPU time; a sleep does not. */
LTEST(sig, itimer_virtual)
{
	struct itimerval it = { .it_value = { 0, 100000 } }, cur, off = { 0 };
	uint64_t spent;

	reset();
	LT_EQ(set_handler(SIGVTALRM, on_vtalrm, 0, 0), 0);
	vt_hits = 0;
	LT_EQ(setitimer(ITIMER_VIRTUAL, &it, 0), 0);
	sleep_ms(300);					/* no CPU time: no signal */
	LT_EQ(vt_hits, 0);
	LT_EQ(getitimer(ITIMER_VIRTUAL, &cur), 0);
	LT_CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 50000 &&
	    cur.it_value.tv_usec <= 100000);		/* hardly any of it used */
	spent = spin_until(&vt_hits, 1, 3000000000ULL);
	LT_EQ(vt_hits, 1);
	LT_CHECK(spent >= 50000000ULL && spent < 1000000000ULL);	/* about 100 ms left */
	LT_EQ(getitimer(ITIMER_VIRTUAL, &cur), 0);	/* a one-shot: disarmed */
	LT_CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	spin_until(&vt_hits, 2, 200000000ULL);
	LT_EQ(vt_hits, 1);
	/* Periodic: about one per 20 ms of CPU time. */
	it = (struct itimerval){ .it_value = { 0, 20000 }, .it_interval = { 0, 20000 } };
	vt_hits = 0;
	LT_EQ(setitimer(ITIMER_VIRTUAL, &it, &cur), 0);
	LT_CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	spent = spin_until(&vt_hits, 5, 3000000000ULL);
	LT_EQ(vt_hits, 5);
	LT_CHECK(spent >= 70000000ULL && spent < 1000000000ULL);
	LT_EQ(setitimer(ITIMER_VIRTUAL, &off, &cur), 0);
	LT_EQ(cur.it_interval.tv_usec, 20000);
	signal(SIGVTALRM, SIG_DFL);
	return 0;
}

/*
 * A loop that makes no kernel call (no trap of its own) still gets its
 * SIGVTALRM: the kernel sets the CPU's timer for the deadline.
 */
LTEST(sig, itimer_virtual_no_traps)
{
	struct itimerval it = { .it_value = { 0, 50000 } };
	volatile uint64_t n = 0;
	uint64_t t0, per_m, limit;

	reset();
	LT_EQ(set_handler(SIGVTALRM, on_vtalrm, 0, 0), 0);
	t0 = cpu_ns();
	while (n < 1000000)
		n++;
	per_m = cpu_ns() - t0 + 1;			/* ns per million rounds */
	limit = 2000000000ULL / per_m * 1000000;	/* about 2 s of rounds */
	vt_hits = 0;
	n = 0;
	LT_EQ(setitimer(ITIMER_VIRTUAL, &it, 0), 0);
	t0 = cpu_ns();
	while (vt_hits == 0 && n < limit)
		n++;
	t0 = cpu_ns() - t0;
	LT_EQ(vt_hits, 1);
	LT_CHECK(t0 >= 30000000ULL && t0 < 1000000000ULL);	/* about 50 ms */
	signal(SIGVTALRM, SIG_DFL);
	return 0;
}

LTEST(sig, itimer_prof)
{
	struct itimerval it = { .it_value = { 0, 30000 }, .it_interval = { 0, 30000 } }, cur;
	struct _itimer bad;
	uint64_t spent;

	reset();
	LT_EQ(set_handler(SIGPROF, on_prof, 0, 0), 0);
	prof_hits = 0;
	LT_EQ(setitimer(ITIMER_PROF, &it, 0), 0);
	LT_EQ(getitimer(ITIMER_PROF, &cur), 0);
	LT_EQ(cur.it_interval.tv_usec, 30000);
	sleep_ms(200);
	LT_EQ(prof_hits, 0);
	spent = spin_until(&prof_hits, 3, 3000000000ULL);
	LT_EQ(prof_hits, 3);
	LT_CHECK(spent >= 60000000ULL && spent < 600000000ULL);
	memset(&it, 0, sizeof(it));
	LT_EQ(setitimer(ITIMER_PROF, &it, 0), 0);
	/* Errors: the kernel's EINVAL and EFAULT, and libc's. */
	LT_EQ(TimerItimer(0, 0, 0), -1);			/* ITIMER_REAL is not the kernel's */
	LT_EQ(errno, EINVAL);
	LT_EQ(TimerItimer(ITIMER_VIRTUAL, (struct _itimer *)8, 0), -1);
	LT_EQ(errno, EFAULT);
	LT_EQ(TimerItimer(ITIMER_VIRTUAL, 0, (struct _itimer *)8), -1);
	LT_EQ(errno, EFAULT);
	bad = (struct _itimer){ 1ULL << 63, 0 };
	LT_EQ(TimerItimer(ITIMER_PROF, &bad, 0), -1);
	LT_EQ(errno, EINVAL);
	it.it_value.tv_usec = -1;
	LT_EQ(setitimer(ITIMER_VIRTUAL, &it, 0), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(getitimer(3, &cur), -1);
	LT_EQ(errno, EINVAL);
	signal(SIGPROF, SIG_DFL);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
