/*
 * kern/sys_signal.c - the Signal* kernel calls: decode and check the
 * arguments, then act through kern/signal.c.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/thread.h>
#include <arch/memlayout.h>
#include <arch/trapframe.h>

static bool
own_pid(long pid)
{
	return pid == 0 || pid == curthread->td_proc->pr_pid;
}

/* Read a user signal set (one 64-bit word). */
static long
set_in(long uset, uint64_t *set)
{
	return vm_copyin(curthread->td_proc->pr_vm, set, (uaddr_t)uset, sizeof(*set)) < 0 ?
	    -EFAULT : 0;
}

#define CLD_STOPPED_K	5	/* si_code values of SIGCHLD (Linux's) */
#define CLD_CONTINUED_K	6

/* Has process pid's SIGCHLD action SA_NOCLDSTOP? */
static bool
nocldstop(int pid)
{
	struct proc *p = proc_hold(pid);
	struct ksigact a = { 0 };

	if (p == NULL)
		return false;
	sig_action(p, SIGCHLD, NULL, &a, 0);
	proc_release(p);
	return (a.ka_flags & SA_NOCLDSTOP) != 0;
}

/* pr_cred[i] or pr_sid, read once (taskman may change it at any time). */
static int
cred(const struct proc *p, int i)
{
	return __atomic_load_n(i < 3 ? &p->pr_cred[i] : &p->pr_sid, __ATOMIC_ACQUIRE);
}

/*
 * May me send signo to p?  The process manager may signal anyone, and
 * nobody else may signal it.  Otherwise POSIX's rule on the uids taskman
 * gave the kernel (ProcSetCred): an effective uid of 0, or the sender's
 * real or effective uid equal to the target's real or saved uid, or
 * SIGCONT within one session.
 */
static bool
may_signal(struct proc *me, struct proc *p, int signo)
{
	int r = cred(me, 0), e = cred(me, 1);

	if (p == me || (me->pr_abilities & PRA_PROCMGR))
		return true;
	if (p->pr_abilities & PRA_PROCMGR)
		return false;
	if (e == 0 || r == cred(p, 0) || r == cred(p, 2) || e == cred(p, 0) || e == cred(p, 2))
		return true;
	return signo == SIGCONT && cred(me, 3) != 0 && cred(me, 3) == cred(p, 3);
}

/*
 * Signal every process of group pgid that the caller may signal (signo 0:
 * only check).  0 if it reached any, -EPERM if it may signal none of
 * them, -ESRCH if the group is empty.
 */
static long
kill_group(int pgid, const struct ksiginfo *si)
{
	struct proc *me = curthread->td_proc, *ps[64];
	int n, sent = 0, denied = 0;

	if (pgid <= 0)
		return -EINVAL;
	/* Groups are small; a bigger one than ps[] gets the first 64 (documented). */
	n = proc_hold_group(pgid, ps, (int)ARRAY_SIZE(ps));
	for (int i = 0; i < n; i++) {
		if (!may_signal(me, ps[i], si->ksi_signo))
			denied++;
		else if (si->ksi_signo == 0 || sig_post(ps[i], 0, si, 0) == 0)
			sent++;
		proc_release(ps[i]);
	}
	return sent ? 0 : denied ? -EPERM : -ESRCH;
}

/*
 * SignalKill(nd, pid, tid, signo, code, value): send signo to process pid
 * (0: the caller's), to its thread tid if tid != 0, or to every process of
 * group -pid if pid < 0 (ProcSetGroup keeps groups; tid must be 0).  signo 0 only
 * checks that the target exists.  code must be SI_USER or another
 * user code (<= 0), except from the process manager, which sends SIGCHLD
 * with CLD_* codes (> 0) and value = child pid << 32 | status (si_pid and
 * si_status of the siginfo).  A
 * process without the process-manager ability may not signal one that has
 * it (taskman).
 */
long
sys_SignalKill(long nd, long pid, long tid, long signo, long code, long value)
{
	struct proc *me = curthread->td_proc, *p;
	struct ksiginfo si = {
		.ksi_signo = (int32_t)signo, .ksi_code = (int32_t)code,
		.ksi_pid = me->pr_pid, .ksi_value = value,
	};
	bool mgr = (me->pr_abilities & PRA_PROCMGR) != 0;
	long rc = 0;

	if (mgr && signo == SIGCHLD && code > 0) {	/* on a child's behalf */
		si.ksi_pid = (int32_t)((uint64_t)value >> 32);
		si.ksi_status = (int32_t)value;
	}
	if (mgr && signo == SIGCHLD && (code == CLD_STOPPED_K || code == CLD_CONTINUED_K) &&
	    pid > 0 && nocldstop((int)pid))
		return 0;		/* the parent asked not to hear of these (SA_NOCLDSTOP) */

	if (nd != 0 || signo < 0 || signo > NSIG_K || code > (mgr ? 127 : 0) || code < -128 ||
	    tid < 0)
		return -EINVAL;
	if (pid < 0)
		return tid ? -EINVAL : kill_group((int)-pid, &si);
	p = proc_hold(pid == 0 ? me->pr_pid : (int)pid);
	if (p == NULL)
		return -ESRCH;
	if (!may_signal(me, p, (int)signo))
		rc = -EPERM;
	else if (signo != 0)
		rc = sig_post(p, (int)tid, &si, 0);
	else if (p->pr_dying)
		rc = -ESRCH;
	proc_release(p);
	return rc;
}

/*
 * Read and check the action at uact for signo of p: a handler only for the
 * caller's own process, and only once it has a return stub (sigstub, or
 * one given before).  0, -EFAULT or -EINVAL.
 */
static long
act_in(struct proc *me, struct proc *p, long signo, long uact, long sigstub,
    struct ksigact *act)
{
	struct __abi_sigaction ua;
	uint64_t most = p == me ? USER_TOP - 1 : __ABI_SIG_IGN;

	if (vm_copyin(me->pr_vm, &ua, (uaddr_t)uact, sizeof(ua)) < 0)
		return -EFAULT;
	if ((ua.asa_flags & ~(uint64_t)__ABI_SA_KNOWN) || ua.asa_handler > most ||
	    (SIGBIT(signo) & SIG_UNCATCHABLE))
		return -EINVAL;
	if (ua.asa_handler > __ABI_SIG_IGN && sigstub == 0 && !sig_has_stub(p))
		return -EINVAL;
	*act = (struct ksigact){ ua.asa_handler, ua.asa_flags, ua.asa_mask };
	return 0;
}

/* Write action a to the caller's uoact.  0 or -EFAULT. */
static long
act_out(struct proc *me, long uoact, const struct ksigact *a)
{
	struct __abi_sigaction ua = { a->ka_handler, a->ka_flags, a->ka_mask };

	return vm_copyout(me->pr_vm, (uaddr_t)uoact, &ua, sizeof(ua)) < 0 ? -EFAULT : 0;
}

/*
 * SignalAction(pid, sigstub, signo, act, oact): the caller's process; the
 * process manager may also read another's actions and set SIG_DFL or
 * SIG_IGN there (taskman: a parent's SA_NOCLDWAIT, spawn's sigdefault);
 * handlers only a process can install for itself.  sigstub (if non-zero)
 * becomes the trampoline every handler returns to; a handler cannot be
 * installed before there is one.
 */
long
sys_SignalAction(long pid, long sigstub, long signo, long uact, long uoact, long a5)
{
	struct proc *me = curthread->td_proc, *p = me;
	struct ksigact act, old;
	long rc = 0;

	(void)a5;
	if (!own_pid(pid)) {
		if (!proc_is_manager(me))
			return -EPERM;
		if ((p = proc_hold((int)pid)) == NULL)
			return -ESRCH;
		sigstub = 0;		/* never installed in another process */
	}
	if (signo < 1 || signo > NSIG_K || (uint64_t)sigstub >= USER_TOP)
		rc = -EINVAL;
	if (rc == 0 && uact)
		rc = act_in(me, p, signo, uact, sigstub, &act);
	if (rc == 0 && uoact) {		/* check it is writable before anything changes */
		sig_action(p, (int)signo, NULL, &old, 0);
		rc = act_out(me, uoact, &old);
	}
	if (rc == 0 && uact) {
		sig_action(p, (int)signo, &act, &old, (uint64_t)sigstub);
		if (uoact)
			(void)act_out(me, uoact, &old);
	}
	if (p != me)
		proc_release(p);
	return rc;
}

/*
 * The process manager sets the mask a new process's first thread starts
 * with (spawn's sigmask), before the thread exists.
 */
static long
initial_mask(int pid, long how, long uset, long uold)
{
	struct proc *p = proc_hold(pid);
	uint64_t set = 0, old;
	long rc = 0;

	if (p == NULL)
		return -ESRCH;
	if (uset && (how < __ABI_SIG_BLOCK || how > __ABI_SIG_SETMASK))
		rc = -EINVAL;
	else if (uset && set_in(uset, &set) < 0)
		rc = -EFAULT;
	else if ((old = sig_initmask(p, uset ? (int)how : -1, set)) == (uint64_t)-1)
		rc = -EBUSY;		/* it has threads: each sets its own */
	else if (uold && vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)uold, &old,
	    sizeof(old)) < 0)
		rc = -EFAULT;
	proc_release(p);
	return rc;
}

/*
 * SignalProcmask(pid, tid, how, set, oldset): the calling thread's mask
 * (other threads: not yet); the process manager may set the initial mask
 * of another process that has no thread yet.  SIGKILL and SIGSTOP cannot
 * be blocked.  how SIG_PENDING (QNX's) writes to oldset the signals
 * pending on the thread or its process and changes nothing (sigpending).
 */
long
sys_SignalProcmask(long pid, long tid, long how, long uset, long uold, long a5)
{
	struct thread *td = curthread;
	uint64_t set = 0, old = td->td_sig.ts_blocked;

	(void)a5;
	if (!own_pid(pid)) {
		if (!(td->td_proc->pr_abilities & PRA_PROCMGR))
			return -EPERM;
		return initial_mask((int)pid, how, uset, uold);
	}
	if (tid != 0 && tid != td->td_tid)
		return -ENOSYS;
	if (how == __ABI_SIG_PENDING) {
		uint64_t pend = __atomic_load_n(&td->td_sig.ts_pend, __ATOMIC_RELAXED) |
		    __atomic_load_n(&td->td_proc->pr_sig.ps_pend, __ATOMIC_RELAXED);

		if (uold == 0)
			return -EINVAL;
		return vm_copyout(td->td_proc->pr_vm, (uaddr_t)uold, &pend, sizeof(pend)) < 0 ?
		    -EFAULT : 0;
	}
	if (uset && (how < __ABI_SIG_BLOCK || how > __ABI_SIG_SETMASK))
		return -EINVAL;
	if (uset && set_in(uset, &set) < 0)
		return -EFAULT;
	if (uold && vm_copyout(td->td_proc->pr_vm, (uaddr_t)uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (uset)
		sig_setmask(td, (int)how, set);
	return 0;
}

/*
 * SignalSuspend(set): wait with mask set until a handler runs (-EINTR);
 * TimerTimeout(_NTO_TIMEOUT_SIGSUSPEND) bounds it (-ETIMEDOUT).
 */
long
sys_SignalSuspend(long uset, long a1, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	uint64_t set, deadline = 0;

	if (set_in(uset, &set) < 0)
		return -EFAULT;
	deadline = thread_tmo_deadline(td, STATE_SIGSUSPEND);
	return sig_suspend(set, deadline);
}

/*
 * SignalWaitinfo(set, info): take a pending signal of set (normally
 * blocked by the caller) and return its number; its siginfo_t into info
 * (if non-NULL).  TimerTimeout(_NTO_TIMEOUT_SIGWAITINFO) bounds the wait.
 */
long
sys_SignalWaitinfo(long uset, long uinfo, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct __abi_siginfo info;
	struct ksiginfo si;
	uint64_t set, deadline = 0;
	long rc;

	if (set_in(uset, &set) < 0)
		return -EFAULT;
	memset(&info, 0, sizeof(info));
	if (uinfo && vm_copyout(td->td_proc->pr_vm, (uaddr_t)uinfo, &info, sizeof(info)) < 0)
		return -EFAULT;		/* checked before a signal is taken */
	deadline = thread_tmo_deadline(td, STATE_SIGWAITINFO);
	rc = sig_waitinfo(set, &si, deadline);
	if (rc > 0 && uinfo) {
		sig_fill_info(&info, &si);
		if (vm_copyout(td->td_proc->pr_vm, (uaddr_t)uinfo, &info, sizeof(info)) < 0)
			return -EFAULT;	/* the signal is consumed, as on Linux */
	}
	return rc;
}

/*
 * SignalReturn(ucontext): the end of a handler (called by the stub).
 * Restores the registers, FP state and mask saved in the frame.  A bad
 * context ends the process with SIGSEGV.
 */
long
sys_SignalReturn(long uc, long a1, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct trapframe *tf = proc_user_frame(td);
	uint64_t mask;

	if (sig_frame_pop_arch(tf, (uint64_t)uc, &mask) < 0) {
		proc_kill(td->td_proc, NULL, WSTATUS_SIGNALED(SIGSEGV));
		return (long)tf->tf_regs[REG_A0];
	}
	sig_setmask(td, __ABI_SIG_SETMASK, mask);
	return (long)tf->tf_regs[REG_A0];
}

/*
 * SignalAltstack(ss, oss): the calling thread's alternate signal stack.
 * oss (if not 0) gets the current one (SS_ONSTACK while the thread runs
 * on it, SS_DISABLE and zeros without one); ss (if not 0) replaces it:
 * flags 0 with ss_sp and ss_size, or SS_DISABLE.  EFAULT, EPERM (the
 * thread runs on it), EINVAL (other flags, a stack past user space),
 * ENOMEM (smaller than MINSIGSTKSZ).
 */
long
sys_SignalAltstack(long uss, long uoss, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct tsig *ts = &td->td_sig;
	struct __abi_stack ss, oss;
	bool on = sig_on_altstack(td, proc_user_frame(td)->tf_regs[REG_SP]);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (uss && vm_copyin(td->td_proc->pr_vm, &ss, (uaddr_t)uss, sizeof(ss)) < 0)
		return -EFAULT;
	if (uss) {
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~__ABI_SS_DISABLE)
			return -EINVAL;
		if (!(ss.ss_flags & __ABI_SS_DISABLE) && ss.ss_size < __ABI_MINSIGSTKSZ)
			return -ENOMEM;
		if (!(ss.ss_flags & __ABI_SS_DISABLE) &&
		    (ss.ss_sp >= USER_TOP || ss.ss_size > USER_TOP - ss.ss_sp))
			return -EINVAL;
	}
	if (uoss) {
		oss = (struct __abi_stack){ .ss_sp = ts->ts_ss_sp, .ss_size = ts->ts_ss_size,
		    .ss_flags = ts->ts_ss_size == 0 ? __ABI_SS_DISABLE : on ? __ABI_SS_ONSTACK : 0 };
		if (vm_copyout(td->td_proc->pr_vm, (uaddr_t)uoss, &oss, sizeof(oss)) < 0)
			return -EFAULT;
	}
	if (uss && (ss.ss_flags & __ABI_SS_DISABLE))
		ts->ts_ss_sp = ts->ts_ss_size = 0;
	else if (uss)
		ts->ts_ss_sp = ss.ss_sp, ts->ts_ss_size = ss.ss_size;
	return 0;
}
