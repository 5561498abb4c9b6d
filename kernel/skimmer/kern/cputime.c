/*
 * kern/cputime.c - user time and the CPU-time itimers (kern/cputime.h),
 * and the TimerItimer kernel call that sets them.
 */
#include <kern/cpu.h>
#include <kern/cputime.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/spinlock.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/signal.h>
#include <abi/time.h>

/* Wakes a CPU whose thread may reach an itimer's deadline: the trap is what counts. */
static struct callout itimer_callouts[CONFIG_SKIMMER_MAX_CPUS];	/* zero: initialised */

static void
itimer_poke(void *arg)
{
	(void)arg;
}

uint64_t
thread_usertime_self(void)
{
	struct thread *td = curthread;
	uint64_t t = td->td_utime;

	if (td->td_user_at)	/* (not in a trap: it runs in user mode now) */
		t += timer_now() - td->td_user_at;
	return t;
}

uint64_t
proc_usertime(struct proc *p)
{
	struct thread *td;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	uint64_t t = p->pr_utime;

	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		t += td == curthread ? thread_usertime_self() :
		    __atomic_load_n(&td->td_utime, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return t;
}

/* The clock itimer i (0: virtual, 1: prof) runs on. */
static uint64_t
itimer_clock(struct proc *p, int i)
{
	return i == 0 ? proc_usertime(p) : proc_cputime(p);
}

/*
 * With fire, fire p's due itimers (SIGVTALRM, SIGPROF to the process);
 * return the ticks until the nearest armed one is due (0: due now and
 * not fired; ~0: none armed).  Signals are sent only on the way into the
 * kernel: one made pending on the way out would wait for the next trap.
 */
static uint64_t
itimer_check(struct proc *p, bool fire_due)
{
	uint64_t now[2] = { proc_usertime(p), proc_cputime(p) }, next = ~0ULL;
	bool fire[2] = { false, false };
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	for (int i = 0; i < 2; i++) {
		struct pitimer *it = &p->pr_itimer[i];

		if (it->it_deadline == 0)
			continue;
		if (now[i] >= it->it_deadline && !fire_due) {
			next = 0;
			continue;
		}
		if (now[i] >= it->it_deadline) {
			fire[i] = true;
			it->it_deadline = it->it_interval ? now[i] + it->it_interval : 0;
		}
		if (it->it_deadline && it->it_deadline - now[i] < next)
			next = it->it_deadline - now[i];
	}
	if (p->pr_itimer[0].it_deadline == 0 && p->pr_itimer[1].it_deadline == 0)
		__atomic_store_n(&p->pr_itimer_on, false, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	for (int i = 0; i < 2; i++)
		if (fire[i]) {
			struct ksiginfo si = { .ksi_signo = i == 0 ? SIGVTALRM : SIGPROF,
			    .ksi_code = __ABI_SI_KERNEL };

			sig_post(p, 0, &si, SIGPOST_DEFER);
		}
	return next;
}

void
cputime_itimer_enter(struct proc *p)
{
	itimer_check(p, true);
}

void
cputime_itimer_leave(struct proc *p)
{
	uint64_t next = itimer_check(p, false);

	if (next != ~0ULL) {	/* (0: due already; the interrupt comes at once) */
		crit_enter();	/* this CPU's callout, armed on this CPU */
		callout_reset(&itimer_callouts[mycpu_id()], timer_now() + next,
		    itimer_poke, NULL);
		crit_exit();
	}
}

/* ns as ticks, at least 1 tick for a non-zero value (0 disarms). */
static uint64_t
ns_ticks(uint64_t ns)
{
	uint64_t t = timer_ns_to_ticks(ns);

	return ns && t == 0 ? 1 : t;
}

/*
 * TimerItimer(which, itime, oitime): the calling process's CPU-time
 * itimer `which` (ITIMER_VIRTUAL 1, ITIMER_PROF 2).  oitime (if not 0)
 * gets the time left and the interval (ns); itime (if not 0) arms it
 * (nsec from now on its clock, then every interval_nsec) or disarms it
 * (nsec 0).  EINVAL (which, a time over 2^62 ns), EFAULT.
 */
long
sys_TimerItimer(long which, long uitime, long uoitime, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct _itimer nw, old = { 0, 0 };
	struct pitimer *it;
	uint64_t now;
	unsigned long fl;
	int i = (int)which - 1;

	(void)a3, (void)a4, (void)a5;
	if (which != CPUTIME_ITIMER_VIRTUAL && which != CPUTIME_ITIMER_PROF)
		return -EINVAL;
	if (uitime && vm_copyin(p->pr_vm, &nw, (uaddr_t)uitime, sizeof(nw)) < 0)
		return -EFAULT;
	if (uitime && (nw.nsec > (1ULL << 62) || nw.interval_nsec > (1ULL << 62)))
		return -EINVAL;
	now = itimer_clock(p, i);
	it = &p->pr_itimer[i];
	fl = spin_lock_irqsave(&p->pr_lock);
	if (it->it_deadline) {
		old.nsec = timer_ticks_to_ns(it->it_deadline > now ? it->it_deadline - now : 1);
		old.interval_nsec = timer_ticks_to_ns(it->it_interval);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (uoitime && vm_copyout(p->pr_vm, (uaddr_t)uoitime, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (!uitime)
		return 0;
	fl = spin_lock_irqsave(&p->pr_lock);
	it->it_deadline = nw.nsec ? now + ns_ticks(nw.nsec) : 0;
	it->it_interval = nw.nsec ? ns_ticks(nw.interval_nsec) : 0;
	if (it->it_deadline)
		__atomic_store_n(&p->pr_itimer_on, true, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return 0;
}
