/*
 * kern/sys_timer.c - process timers: TimerCreate, TimerDestroy,
 * TimerSettime, and ClockPeriod.
 *
 * A timer is a callout on one CPU, the one it was created on (kt_cpu);
 * every change to it runs there (ipiq_call_sync), as the callout rules
 * require.  On expiry it delivers its event for its process.  A periodic
 * timer re-arms itself; expiries it could not deliver on time, and those
 * that came while its signal was still pending, count as overruns
 * (TimerInfo, timer_getoverrun).  Timers are in the process's
 * table under pr_lock and die with the process.
 */
#include <kern/cpu.h>
#include <kern/event.h>
#include <kern/ipiq.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/time.h>

struct ktimer {
	struct proc	*kt_proc;	/* owner (the timer dies with it) */
	struct sigevent	kt_ev;
	struct callout	kt_co;		/* on kt_cpu */
	struct cpu	*kt_cpu;
	uint64_t	kt_next;	/* next expiry, ticks (kt_cpu) */
	uint64_t	kt_period;	/* ticks, 0: one shot (kt_cpu) */
	uint32_t	kt_overruns;	/* kt_cpu */
	int		kt_tid;		/* creator: SIGEV_SIGNAL_THREAD goes to it */
	int		kt_clockid;	/* const */
	bool		kt_fired;	/* kt_cpu: expired at least once */
	int		kt_refs;	/* atomic: the table's, plus calls using it */
};

static struct kobj_cache ktimer_cache;

void
ktimer_init(void)
{
	if (kobj_cache_init(&ktimer_cache, "ktimer", sizeof(struct ktimer), 8) < 0)
		panic("ktimer_init: no cache");
}

static void
fire(void *arg)
{
	struct ktimer *kt = arg;
	uint64_t now = timer_now();

	int type = SIGEV_GET_TYPE(&kt->kt_ev);

	kt->kt_fired = true;
	if ((type == SIGEV_SIGNAL || type == SIGEV_SIGNAL_CODE || type == SIGEV_SIGNAL_THREAD) &&
	    sig_is_pending(kt->kt_proc, type == SIGEV_SIGNAL_THREAD ? kt->kt_tid : 0,
	    kt->kt_ev.sigev_signo))
		kt->kt_overruns++;	/* its last signal is still pending */
	else
		event_deliver(kt->kt_proc, &kt->kt_ev, NULL, kt->kt_tid, __ABI_SI_TIMER, 0);
	if (kt->kt_period) {
		kt->kt_next += kt->kt_period;
		while (kt->kt_next <= now) {	/* missed periods */
			kt->kt_next += kt->kt_period;
			kt->kt_overruns++;
		}
		callout_reset(&kt->kt_co, kt->kt_next, fire, kt);
	}
}

/* What TimerSettime asks, carried to kt_cpu. */
struct settime {
	struct ktimer	*st_kt;
	uint64_t	st_when;	/* 0: disarm */
	uint64_t	st_period;
	uint64_t	st_old_left;	/* out: ticks left of the old setting */
	uint64_t	st_old_period;
};

static void
settime_here(void *arg)
{
	struct settime *st = arg;
	struct ktimer *kt = st->st_kt;
	uint64_t now = timer_now();

	st->st_old_left = (kt->kt_co.c_flags & CALLOUT_PENDING) && kt->kt_next > now ?
	    kt->kt_next - now : 0;
	st->st_old_period = kt->kt_period;
	callout_stop(&kt->kt_co);
	kt->kt_period = st->st_period;
	if (st->st_when) {
		kt->kt_next = st->st_when;
		callout_reset(&kt->kt_co, kt->kt_next, fire, kt);
	}
}

/* The timer id of p with a reference (kt_put it), or NULL (pr_lock taken inside). */
static struct ktimer *
lookup(struct proc *p, long id)
{
	struct ktimer *kt = NULL;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	if (id >= 0 && id < PROC_MAX_TIMERS && (kt = p->pr_timers[id]) != NULL)
		__atomic_fetch_add(&kt->kt_refs, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	return kt;
}

static void ktimer_free(struct ktimer *kt);

/* Drop a reference; the last one stops and frees the timer.  Thread context. */
static void
kt_put(struct ktimer *kt)
{
	if (__atomic_sub_fetch(&kt->kt_refs, 1, __ATOMIC_ACQ_REL) == 0)
		ktimer_free(kt);
}

long
sys_TimerCreate(long clockid, long event, long a2, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct ktimer *kt;
	unsigned long fl;
	int id = -EAGAIN, rc;

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
		return -EINVAL;
	kt = kobj_zalloc(&ktimer_cache);
	if (kt == NULL)
		return -EAGAIN;
	if (event == 0) {		/* POSIX: SIGALRM */
		SIGEV_SIGNAL_INIT(&kt->kt_ev, SIGALRM);
		rc = 0;
	} else if (vm_copyin(p->pr_vm, &kt->kt_ev, (uaddr_t)event, sizeof(kt->kt_ev)) < 0) {
		rc = -EFAULT;
	} else {
		rc = event_check(&kt->kt_ev, EVF_PULSE | EVF_NONE | EVF_SIGNAL | EVF_SIGTHREAD);
	}
	if (rc < 0) {
		kobj_free(&ktimer_cache, kt);
		return rc;
	}
	kt->kt_proc = p;
	kt->kt_refs = 1;		/* the table's */
	kt->kt_tid = curthread->td_tid;
	kt->kt_clockid = (int)clockid;
	kt->kt_cpu = mycpu();
	callout_init(&kt->kt_co);
	fl = spin_lock_irqsave(&p->pr_lock);
	for (int i = 0; i < PROC_MAX_TIMERS && !p->pr_dying; i++) {
		if (p->pr_timers[i] == NULL) {
			p->pr_timers[i] = kt;
			id = i;
			break;
		}
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (id < 0)
		kobj_free(&ktimer_cache, kt);
	return id;
}

static void
stop_here(void *arg)
{
	struct ktimer *kt = arg;

	callout_stop(&kt->kt_co);
}

static void
ktimer_free(struct ktimer *kt)
{
	ipiq_call_sync(kt->kt_cpu, stop_here, kt);
	kobj_free(&ktimer_cache, kt);
}

long
sys_TimerDestroy(long id, long a1, long a2, long a3, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct ktimer *kt = NULL;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);

	if (id >= 0 && id < PROC_MAX_TIMERS && (kt = p->pr_timers[id]) != NULL)
		p->pr_timers[id] = NULL;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (kt == NULL)
		return -EINVAL;
	kt_put(kt);		/* stopped and freed when no call still uses it */
	return 0;
}

long
sys_TimerSettime(long id, long flags, long itime, long oitime, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct ktimer *kt = lookup(p, id);
	struct _itimer it, old;
	struct settime st;

	if (kt == NULL)
		return -EINVAL;
	if (flags & ~(long)TIMER_ABSTIME) {
		kt_put(kt);
		return -EINVAL;
	}
	if (vm_copyin(p->pr_vm, &it, (uaddr_t)itime, sizeof(it)) < 0 ||
	    (oitime && vm_check(p->pr_vm, (uaddr_t)oitime, sizeof(old), VMP_W) < 0)) {
		kt_put(kt);
		return -EFAULT;
	}
	st.st_kt = kt;
	st.st_period = timer_ns_to_ticks(it.interval_nsec);
	if (it.nsec == 0)
		st.st_when = 0;
	else if (flags & TIMER_ABSTIME)
		st.st_when = MAX(timer_ns_to_ticks(it.nsec), 1);	/* CLOCK_MONOTONIC time */
	else
		st.st_when = timer_now() + MAX(timer_ns_to_ticks(it.nsec), 1);
	ipiq_call_sync(kt->kt_cpu, settime_here, &st);
	kt_put(kt);
	old.nsec = timer_ticks_to_ns(st.st_old_left);
	old.interval_nsec = timer_ticks_to_ns(st.st_old_period);
	if (oitime && vm_copyout(p->pr_vm, (uaddr_t)oitime, &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long
sys_ClockPeriod(long clockid, long newp, long oldp, long reserved, long a4, long a5)
{
	struct vmspace *vs = curthread->td_proc->pr_vm;
	struct _clockperiod cp = { (uint32_t)timer_ticks_to_ns(1), 0 };

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
		return -EINVAL;
	if (newp)
		return -EPERM;		/* tickless: the resolution is the timebase's */
	if (oldp && vm_copyout(vs, (uaddr_t)oldp, &cp, sizeof(cp)) < 0)
		return -EFAULT;
	return 0;
}

void
ktimer_proc_exit(struct proc *p)
{
	for (int i = 0; i < PROC_MAX_TIMERS; i++) {
		unsigned long fl = spin_lock_irqsave(&p->pr_lock);
		struct ktimer *kt = p->pr_timers[i];

		p->pr_timers[i] = NULL;
		spin_unlock_irqrestore(&p->pr_lock, fl);
		if (kt)
			kt_put(kt);
	}
}

/* What TimerInfo reads on kt_cpu. */
struct tinfo {
	struct ktimer	*ti_kt;
	bool		ti_reset;	/* _NTO_TIMER_RESET_OVERRUNS */
	struct _timer_info ti_info;
};

static void
info_here(void *arg)
{
	struct tinfo *ti = arg;
	struct ktimer *kt = ti->ti_kt;
	struct _timer_info *i = &ti->ti_info;
	uint64_t now = timer_now();
	bool armed = (kt->kt_co.c_flags & CALLOUT_PENDING) != 0;

	i->itime.nsec = armed && kt->kt_next > now ? timer_ticks_to_ns(kt->kt_next - now) : 0;
	i->itime.interval_nsec = timer_ticks_to_ns(kt->kt_period);
	i->flags = (armed ? _NTO_TI_ACTIVE : 0) | (kt->kt_fired ? _NTO_TI_EXPIRED : 0);
	i->overruns = kt->kt_overruns;
	if (ti->ti_reset)
		kt->kt_overruns = 0;
}

/*
 * TimerInfo(pid, id, flags, info): the state of timer id of the caller's
 * process (pid 0 or its own): time to expiry and period, whether it is
 * armed or has fired, its thread, event, clock and overruns (flags
 * _NTO_TIMER_RESET_OVERRUNS clears them).  Returns id.
 */
long
sys_TimerInfo(long pid, long id, long flags, long uinfo, long a4, long a5)
{
	struct proc *p = curthread->td_proc;
	struct tinfo ti = { 0 };

	if (pid != 0 && pid != p->pr_pid)
		return -EPERM;
	if (flags & ~(long)_NTO_TIMER_RESET_OVERRUNS)
		return -EINVAL;
	if (vm_check(p->pr_vm, (uaddr_t)uinfo, sizeof(ti.ti_info), VMP_W) < 0)
		return -EFAULT;
	ti.ti_reset = (flags & _NTO_TIMER_RESET_OVERRUNS) != 0;
	ti.ti_kt = lookup(p, id);
	if (ti.ti_kt == NULL)
		return -EINVAL;
	ti.ti_info.tid = ti.ti_kt->kt_tid;
	ti.ti_info.notify = ti.ti_kt->kt_ev.sigev_notify;
	ti.ti_info.clockid = ti.ti_kt->kt_clockid;
	ti.ti_info.event = ti.ti_kt->kt_ev;
	ipiq_call_sync(ti.ti_kt->kt_cpu, info_here, &ti);
	kt_put(ti.ti_kt);
	if (vm_copyout(p->pr_vm, (uaddr_t)uinfo, &ti.ti_info, sizeof(ti.ti_info)) < 0)
		return -EFAULT;
	return id;
}
