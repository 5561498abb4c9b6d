/*
 * kern/sys_thread.c - thread kernel calls.
 */
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <kern/cpu.h>
#include <abi/errno.h>
#include <abi/thread.h>
#include <arch/trapframe.h>

/* The calling user thread's saved registers (top of its kernel stack). */
static struct trapframe *
user_frame(struct thread *td)
{
	return (struct trapframe *)(td->td_kstack_top - sizeof(struct trapframe));
}

/*
 * ThreadDestroy(tid, priority, status): tid 0 (or the caller's own) ends
 * the calling thread; tid -1 ends every thread of the process (exit);
 * another tid of the process ends that thread (at its next return to user
 * mode or wake-up), and returns 0 (-ESRCH if there is no such thread).
 */
long
sys_ThreadDestroy(long tid, long priority, long status, long a3, long a4, long a5)
{
	struct thread *td = curthread;

	if (tid == -1)
		proc_kill_others(WSTATUS_EXITED((int)status));
	else if (tid != 0 && tid != td->td_tid)
		return proc_thread_kill((int)tid, (int)status);
	proc_thread_exit((int)status);
}

/*
 * ThreadCreate(pid, func, arg, attr): a thread in the caller's process
 * (pid 0 or its own) running func(arg) on the stack attr gives, returning
 * into attr->__exitfunc.  Returns the new tid.
 */
long
sys_ThreadCreate(long pid, long func, long arg, long attrp, long a4, long a5)
{
	struct thread *td = curthread;
	struct proc *me = td->td_proc, *p;
	struct _thread_attr attr;
	struct uregs r;
	long rc;
	int pri = td->td_basepri;
	uint64_t top;

	if (attrp == 0)
		return -EINVAL;		/* the caller provides the stack (docs/kernel-calls.md) */
	if (vm_copyin(me->pr_vm, &attr, (uaddr_t)attrp, sizeof(attr)) < 0)
		return -EFAULT;
	if (pid != 0 && pid != me->pr_pid && !(me->pr_abilities & PRA_PROCMGR))
		return -EPERM;		/* threads in other processes: taskman only */
	if (attr.__flags & ~(_NTO_TA_DETACHED | _NTO_TA_EXPLICIT_SCHED | _NTO_TA_LIBC_MASK))
		return -EINVAL;
	if (attr.__flags & _NTO_TA_EXPLICIT_SCHED) {
		pri = attr.__param.sched_priority;
		if (pri < 1 || pri > 255 || (attr.__policy != SCHED_FIFO && attr.__policy != SCHED_RR))
			return -EINVAL;
	}
	top = (uint64_t)(uintptr_t)attr.__stackaddr + attr.__stacksize;
	if (attr.__stacksize < 256 || top < attr.__stacksize || (top & 15))
		return -EINVAL;
	p = proc_hold(pid == 0 ? me->pr_pid : (int)pid);
	if (p == NULL)
		return -ESRCH;
	memset(&r, 0, sizeof(r));	/* nothing of ours in its other registers */
	rc = -EFAULT;
	if (vm_check(p->pr_vm, (uaddr_t)(uintptr_t)attr.__stackaddr, attr.__stacksize,
	    VMP_R | VMP_W) == 0) {
		r.ur_pc = (uint64_t)func;
		r.ur_sp = top;
		r.ur_a0 = (uint64_t)arg;
		r.ur_ra = (uint64_t)(uintptr_t)attr.__exitfunc;
		/* Same program: same gp; a new program's crt0 sets its own. */
		r.ur_gp = p == me ? user_frame(td)->tf_regs[REG_GP] : 0;
		r.ur_detached = (attr.__flags & _NTO_TA_DETACHED) != 0;
		r.ur_policy = (attr.__flags & _NTO_TA_EXPLICIT_SCHED) ? attr.__policy :
		    td->td_policy;
		rc = proc_thread_create(p, &r, pri, proc_pick_cpu());
	}
	proc_release(p);
	return rc;
}

/* ThreadJoin(tid, status): wait for a joinable thread of ours to end. */
long
sys_ThreadJoin(long tid, long statusp, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	int status, rc;

	if (tid <= 0)
		return -EINVAL;
	if (statusp && vm_check(td->td_proc->pr_vm, (uaddr_t)statusp, sizeof(uint64_t), VMP_W) < 0)
		return -EFAULT;
	rc = proc_thread_join((int)tid, &status);
	if (rc < 0)
		return rc;
	if (statusp) {
		uint64_t v = (uint64_t)(int64_t)status;	/* QNX: a void *, the exit value */

		if (vm_copyout(td->td_proc->pr_vm, (uaddr_t)statusp, &v, sizeof(v)) < 0)
			return -EFAULT;
	}
	return 0;
}

/* ThreadCtl(_NTO_TCTL_NAME): read and/or set the calling thread's name. */
static long
tctl_name(struct thread *td, uaddr_t data)
{
	struct vmspace *vs = td->td_proc->pr_vm;
	struct _thread_name tn;
	char name[TD_NAME_MAX];

	if (vm_copyin(vs, &tn, data, sizeof(tn)) < 0)
		return -EFAULT;
	if (tn.name_buf_len < 0 || tn.new_name_len >= TD_NAME_MAX)
		return -EINVAL;
	if (tn.new_name_len >= 0 &&
	    vm_copyin(vs, name, data + sizeof(tn), (size_t)tn.new_name_len) < 0)
		return -EFAULT;
	if (tn.name_buf_len > 0) {
		size_t n = MIN(strlen(td->td_name) + 1, (size_t)tn.name_buf_len);

		if (vm_copyout(vs, data + sizeof(tn), td->td_name, n) < 0)
			return -EFAULT;
	}
	if (tn.new_name_len >= 0) {
		name[tn.new_name_len] = '\0';
		strlcpy(td->td_name, name, sizeof(td->td_name));
	}
	return 0;
}

/* ThreadCtl(_NTO_TCTL_RUNMASK): run on the CPUs in mask (the lowest, for now). */
static long
tctl_runmask(uint64_t mask)
{
	for (int c = 0; c < ncpus; c++) {
		if (mask & (1ULL << c)) {
			lwkt_setcpu_self(&cpus[c]);
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * ThreadCtl(cmd, data): _NTO_TCTL_IO(_PRIV) (needs the I/O ability),
 * _NTO_TCTL_RUNMASK and _NTO_TCTL_NAME.  Other commands: ENOSYS (not yet).
 */
long
sys_ThreadCtl(long cmd, long data, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;

	switch (cmd) {
	case _NTO_TCTL_IO:
	case _NTO_TCTL_IO_PRIV:
		return (td->td_proc->pr_abilities & PRA_IO) ? 0 : -EPERM;
	case _NTO_TCTL_RUNMASK:
		return tctl_runmask((uint64_t)data);
	case _NTO_TCTL_NAME:
		return tctl_name(td, (uaddr_t)data);
	default:
		return -ENOSYS;
	}
}

/*
 * ThreadInfo(pid, tid, info) -> the id of the first thread of pid with an
 * id >= tid, described in *info.  Anyone may look (as pidin does on QNX).
 */
long
sys_ThreadInfo(long pid, long tid, long info, long a3, long a4, long a5)
{
	struct _thread_info ti = { .ti_tid = -1 };
	struct thread *td, *best = NULL;
	unsigned long fl;
	struct proc *p;

	if (pid < 0 || pid > INT32_MAX)
		return -ESRCH;
	p = pid == 0 ? curthread->td_proc : proc_hold((int)pid);
	if (p == NULL)
		return -ESRCH;
	if (tid < 1)
		tid = 1;
	fl = spin_lock_irqsave(&p->pr_lock);
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid >= tid && (best == NULL || td->td_tid < best->td_tid))
			best = td;
	if (best != NULL) {
		int st = __atomic_load_n(&best->td_state, __ATOMIC_RELAXED);

		if (st == STATE_RUNNING || st == STATE_READY || st == 0)
			st = __atomic_load_n(&best->td_oncpu, __ATOMIC_RELAXED) ?
			    STATE_RUNNING : STATE_READY;
		ti = (struct _thread_info){ .ti_tid = best->td_tid, .ti_state = st,
		    .ti_priority = best->td_pri, .ti_base_priority = best->td_basepri,
		    .ti_policy = best->td_policy, .ti_cpu = best->td_cpu->gd_id,
		    .ti_runtime_ns = timer_ticks_to_ns(best == curthread ? thread_cputime_self() :
		    __atomic_load_n(&best->td_runtime, __ATOMIC_RELAXED)) };
		memcpy(ti.ti_name, best->td_name, sizeof(ti.ti_name) - 1);
	}
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (pid != 0)
		proc_release(p);
	if (best == NULL)
		return -ESRCH;
	if (vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)info, &ti, sizeof(ti)) < 0)
		return -EFAULT;
	return ti.ti_tid;
}

/* ThreadDetach(tid): see proc_thread_detach (0 is the caller). */
long
sys_ThreadDetach(long tid, long a1, long a2, long a3, long a4, long a5)
{
	if (tid == 0)
		tid = curthread->td_tid;
	if (tid < 0 || tid > INT32_MAX)
		return -ESRCH;
	return proc_thread_detach((int)tid);
}
