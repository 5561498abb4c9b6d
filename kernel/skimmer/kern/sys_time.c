/*
 * kern/sys_time.c - scheduling and time kernel calls: SchedYield,
 * SchedGet, SchedSet, ClockTime, TimerTimeout.
 */
#include <kern/cpu.h>
#include <kern/signal.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/timer.h>
#include <kern/printf.h>
#include <kern/vm.h>
#include <arch/memlayout.h>
#include <abi/errno.h>
#include <abi/neutrino.h>

/*
 * CLOCK_REALTIME = monotonic + this offset (ns): from the RTC at boot
 * (realtime_init), then set through ClockTime.
 */
static int64_t realtime_offset_ns;	/* atomic */

/* Goldfish RTC registers: reading TIME_LOW latches TIME_HIGH (ns since the Epoch). */
#define GOLDFISH_RTC_TIME_LOW	0x00
#define GOLDFISH_RTC_TIME_HIGH	0x04

static uint64_t monotonic_ns(void);

void
realtime_init(paddr_t rtc_base)
{
	volatile uint32_t *rtc;
	uint64_t lo, hi;

	if (rtc_base == 0)
		return;
	rtc = phys_to_virt(rtc_base);
	lo = rtc[GOLDFISH_RTC_TIME_LOW / 4];
	hi = rtc[GOLDFISH_RTC_TIME_HIGH / 4];
	__atomic_store_n(&realtime_offset_ns, (int64_t)((hi << 32 | lo) - monotonic_ns()),
	    __ATOMIC_RELAXED);
	kprintf("skimmer: realtime clock from the RTC: %lu s since the Epoch\n",
	    (unsigned long)((hi << 32 | lo) / 1000000000UL));
}

long
sys_SchedYield(long a0, long a1, long a2, long a3, long a4, long a5)
{
	lwkt_yield();
	return 0;
}

/*
 * The thread (pid, tid) names, held: pid 0 is the caller's process, tid 0
 * the calling thread (in another process: its first thread, tid 1).  A
 * thread of another process only for the process manager.  NULL with
 * *err = -ESRCH or -EPERM.
 */
static struct thread *
sched_target(long pid, long tid, long *err)
{
	struct thread *me = curthread, *td;
	struct proc *p;

	*err = -ESRCH;
	if (pid == 0 || pid == me->td_proc->pr_pid) {
		p = me->td_proc;
		if (tid == 0)
			tid = me->td_tid;
	} else if (!(me->td_proc->pr_abilities & PRA_PROCMGR)) {
		*err = -EPERM;
		return NULL;
	} else if ((p = proc_hold((int)pid)) == NULL) {
		return NULL;
	}
	if (tid == 0)
		tid = 1;
	td = proc_thread_hold(p, (int)tid);
	if (p != me->td_proc)
		proc_release(p);	/* the thread's hold keeps what we need */
	return td;
}

static void
sched_done(struct thread *td)
{
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
}

/* SchedGet(pid, tid, param): the policy; param gets the base and current priorities. */
long
sys_SchedGet(long pid, long tid, long param, long a3, long a4, long a5)
{
	struct __abi_sched_param sp;
	struct thread *td;
	long rc;

	if ((td = sched_target(pid, tid, &rc)) == NULL)
		return rc;
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = td->td_basepri;
	sp.sched_curpriority = td->td_pri;
	rc = td->td_policy;
	sched_done(td);
	if (param && vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)param, &sp, sizeof(sp)) < 0)
		return -EFAULT;
	return rc;
}

/* SchedSet(pid, tid, policy, param): a thread's own priority (and policy). */
long
sys_SchedSet(long pid, long tid, long policy, long param, long a4, long a5)
{
	struct thread *me = curthread, *td;
	struct __abi_sched_param sp;
	long rc;

	if (policy != SCHED_NOCHANGE && policy != SCHED_FIFO && policy != SCHED_RR)
		return -EINVAL;
	if (vm_copyin(me->td_proc->pr_vm, &sp, (uaddr_t)param, sizeof(sp)) < 0)
		return -EFAULT;
	if (sp.sched_priority < 1 || sp.sched_priority > 255)
		return -EINVAL;
	if ((td = sched_target(pid, tid, &rc)) == NULL)
		return rc;
	if (td == me) {
		if (policy != SCHED_NOCHANGE)
			lwkt_setpolicy_self((int)policy);
		td->td_basepri = sp.sched_priority;
		lwkt_setpri_self(MAX(sp.sched_priority, td->td_mtxpri));	/* keep a mutex's inheritance */
	} else {
		lwkt_setsched(td, sp.sched_priority, policy == SCHED_NOCHANGE ? 0 : (int)policy);
	}
	sched_done(td);
	return 0;
}

static uint64_t
monotonic_ns(void)
{
	return timer_ticks_to_ns(timer_now());
}

long
sys_ClockTime(long id, long newp, long oldp, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct vmspace *vs = td->td_proc->pr_vm;
	uint64_t now, nv;
	bool realtime = id == CLOCK_REALTIME;

	if (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID) {
		if (newp)
			return -EINVAL;		/* CPU-time clocks cannot be set */
		now = timer_ticks_to_ns(id == CLOCK_THREAD_CPUTIME_ID ?
		    thread_cputime_self() : proc_cputime(td->td_proc));
		if (oldp && vm_copyout(vs, (uaddr_t)oldp, &now, sizeof(now)) < 0)
			return -EFAULT;
		return 0;
	}
	if (!realtime && id != CLOCK_MONOTONIC && id != CLOCK_MONOTONIC_RAW && id != CLOCK_BOOTTIME)
		return -EINVAL;
	if (newp && !realtime)
		return -EINVAL;
	if (newp && !(td->td_proc->pr_abilities & PRA_PROCMGR))
		return -EPERM;
	if (newp && vm_copyin(vs, &nv, (uaddr_t)newp, sizeof(nv)) < 0)
		return -EFAULT;
	now = monotonic_ns() + (realtime ? __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED) : 0);
	if (oldp && vm_copyout(vs, (uaddr_t)oldp, &now, sizeof(now)) < 0)
		return -EFAULT;
	if (newp)
		__atomic_store_n(&realtime_offset_ns, (int64_t)(nv - monotonic_ns()), __ATOMIC_RELAXED);
	return 0;
}

/*
 * TimerTimeout(clockid, flags, event, ntime, otime): bound the next call's
 * wait in the states of flags (see docs/kernel-calls.md).  Only SIGEV_UNBLOCK
 * (or no event) is supported so far.  With _NTO_TIMEOUT_NANOSLEEP the call
 * itself sleeps and returns -ETIMEDOUT when the time has come.
 */
long
sys_TimerTimeout(long id, long flags, long event, long ntime, long otime, long a5)
{
	struct thread *td = curthread;
	struct vmspace *vs = td->td_proc->pr_vm;
	uint32_t states = (uint32_t)flags & ~TIMER_ABSTIME;
	uint32_t prev = td->td_tmo_flags;
	struct sigevent ev;
	uint64_t t = 0, zero = 0, deadline;

	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return -EINVAL;
	if (flags < 0 || (states & ~(uint32_t)_NTO_TIMEOUT_MASK))
		return -EINVAL;
	if (event) {
		if (vm_copyin(vs, &ev, (uaddr_t)event, sizeof(ev)) < 0)
			return -EFAULT;
		if ((ev.sigev_notify & SIGEV_TYPE_MASK) != SIGEV_UNBLOCK)
			return -ENOSYS;		/* other events: not yet */
	}
	if (ntime && vm_copyin(vs, &t, (uaddr_t)ntime, sizeof(t)) < 0)
		return -EFAULT;
	if (otime && vm_copyout(vs, (uaddr_t)otime, &zero, sizeof(zero)) < 0)
		return -EFAULT;
	if (flags & TIMER_ABSTIME) {
		int64_t mono = (int64_t)t - (id == CLOCK_REALTIME ?
		    __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED) : 0);

		deadline = mono <= 0 ? 1 : timer_ns_to_ticks((uint64_t)mono);
	} else {
		deadline = timer_now() + timer_ns_to_ticks(t);
	}
	td->td_tmo_flags = states;
	td->td_tmo_now = ntime == 0;
	td->td_tmo_deadline = deadline ? deadline : 1;
	if (states & _NTO_TIMEOUT_NANOSLEEP) {
		td->td_tmo_flags = 0;
		td->td_state = STATE_NANOSLEEP;
		crit_enter();
		while (!td->td_tmo_now && timer_now() < deadline && !sig_interrupted(td))
			lwkt_sleep(deadline - timer_now());
		crit_exit();
		td->td_state = STATE_RUNNING;
		return sig_interrupted(td) ? -EINTR : -ETIMEDOUT;	/* never restarted */
	}
	return prev;
}
