/*
 * Scheduling of a thread: musl's pthread_setschedparam, _getschedparam
 * and _setschedprio call sched_setscheduler, sched_getparam and so on
 * with a thread's tid (musl's own sched_setscheduler() and friends for a
 * process are ENOSYS stubs and never come here).  A tid is one of this
 * process's threads, 0 the caller: SchedSet/SchedGet.  Policies are
 * SCHED_FIFO and SCHED_RR, priorities 1..255 (the kernel's EINVAL
 * otherwise), ESRCH for no such thread.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/neutrino.h>
#include "px.h"

static long param_in(const struct sched_param *p, struct __abi_sched_param *sp)
{
	if (p == NULL)
		return -EINVAL;
	memset(sp, 0, sizeof(*sp));
	sp->sched_priority = p->sched_priority;
	return 0;
}

/* SYS_sched_setscheduler: policy and priority of thread tid. */
long __px_sched_setscheduler(int tid, int policy, const struct sched_param *p)
{
	struct __abi_sched_param sp;
	long r = param_in(p, &sp);

	if (r < 0 || tid < 0 || policy < 0)
		return r < 0 ? r : -EINVAL;
	return SchedSet_r(0, tid, policy, &sp);
}

/* SYS_sched_setparam: priority of thread tid, its policy kept. */
long __px_sched_setparam(int tid, const struct sched_param *p)
{
	struct __abi_sched_param sp;
	long r = param_in(p, &sp);

	if (r < 0 || tid < 0)
		return r < 0 ? r : -EINVAL;
	return SchedSet_r(0, tid, SCHED_NOCHANGE, &sp);
}

/* SYS_sched_getparam: thread tid's own priority (not an inherited one). */
long __px_sched_getparam(int tid, struct sched_param *p)
{
	struct __abi_sched_param sp;
	long r;

	if (tid < 0 || p == NULL)
		return -EINVAL;
	if ((r = SchedGet_r(0, tid, &sp)) < 0)
		return r;
	p->sched_priority = sp.sched_priority;
	return 0;
}

/* SYS_sched_getscheduler: thread tid's policy. */
long __px_sched_getscheduler(int tid)
{
	return tid < 0 ? -EINVAL : SchedGet_r(0, tid, 0);
}

/* SYS_sched_get_priority_max/min: the kernel's range for FIFO and RR. */
long __px_sched_priority(int policy, int max)
{
	if (policy != SCHED_FIFO && policy != SCHED_RR)
		return -EINVAL;
	return max ? 255 : 1;
}
