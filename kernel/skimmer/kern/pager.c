/*
 * kern/pager.c - page faults the kernel cannot resolve go to a pager.
 *
 * The process manager names a pager channel for a process (ProcPager).
 * When a thread of that process faults on a page that is not mapped (or
 * not mapped with the access it needs, and not copy-on-write), the kernel
 * stops the thread in STATE_WAITPAGE and sends the pager a pulse,
 * _PULSE_CODE_PAGEFAULT with value pid << 32 | tid.  The pager asks for
 * the details (PageFaultInfo: address and access), maps what it wants
 * (MemMap), and ends the wait with PageResume: 0 runs the faulting
 * instruction again, a signal number delivers that signal instead (as a
 * fault: the thread's handler if it has one, otherwise the process ends).
 * A kill ends the wait as well.  This is the L4 pager model, which is
 * also how taskman works on seL4.
 *
 * taskman pages every process it starts: private anonymous memory is
 * reserved with lazy marks (MemMap MEM_LAZY, kern/vm.c), and a thread's
 * first touch of a marked page comes here; taskman fills a cluster
 * (MemMap MEM_FILL) or answers SIGSEGV (SIGBUS when out of memory).
 *
 * Kernel copies never come here.  A copy into or out of user memory
 * (vm_copyin/vm_copyout/vm_copy: MsgSend, MsgReply, MsgRead, MsgWrite,
 * kernel-call arguments, signal frames) that meets a lazy page fills it
 * itself from the mark (vm_lazy_fill); any other missing page is
 * -EFAULT as before.  The thread making a copy is often not the one
 * whose memory it touches, and may be the pager itself: taskman's
 * MsgReply into a client's untouched read() buffer cannot wait for
 * taskman, and a server's MsgReply must not wait on its client's pager.
 * The mark is the "zero-fill allowed" note the pager leaves for the
 * kernel, the usual L4-style compromise; the policy (which pages, which
 * access, how many at a time, which signal) stays the pager's, and
 * taskman, which has no pager and eager memory, never waits for itself.
 *
 * Locking: td_page_* fields are written by the faulting thread before it
 * sends the pulse and read by the pager after; the pager's answer goes
 * through td_page_done (atomic) and a wake-up.
 */
#include <kern/cpu.h>
#include <kern/ipc.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/procmgr.h>
#include <abi/thread.h>

int
pager_fault(uint64_t addr, unsigned access, int *signo)
{
	struct thread *td = curthread;
	struct proc *p = td->td_proc;
	unsigned long fl = spin_lock_irqsave(&p->pr_lock);
	struct channel *ch = p->pr_pager;
	int rc;

	if (ch)
		ipc_chan_hold(ch);
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (ch == NULL)
		return -ENOENT;		/* no pager: the fault is the thread's */
	td->td_page_addr = addr;
	td->td_page_access = access;
	td->td_page_signo = 0;
	__atomic_store_n(&td->td_page_done, 0, __ATOMIC_RELEASE);
	td->td_state = STATE_WAITPAGE;
	rc = ipc_pulse(ch, _PULSE_CODE_PAGEFAULT,
	    (int64_t)((uint64_t)p->pr_pid << 32 | (uint32_t)td->td_tid), td->td_pri);
	ipc_chan_release(ch);
	if (rc == 0) {
		crit_enter();
		while (!__atomic_load_n(&td->td_page_done, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&td->td_killed, __ATOMIC_ACQUIRE))
			lwkt_sleep(0);
		crit_exit();
	}
	td->td_state = STATE_RUNNING;
	if (rc < 0)
		return rc;		/* the pager is gone: the fault is the thread's */
	*signo = td->td_page_signo;
	return 0;
}

/* Thread tid of pid waiting for its pager, held (with its process); NULL if none. */
static struct thread *
waiting_thread(long pid, long tid, struct proc **pp)
{
	struct proc *p = proc_hold((int)pid);
	struct thread *td = NULL;
	unsigned long fl;

	if (p == NULL)
		return NULL;
	fl = spin_lock_irqsave(&p->pr_lock);
	TAILQ_FOREACH(td, &p->pr_threads, td_plink)
		if (td->td_tid == tid)
			break;
	if (td && td->td_state == STATE_WAITPAGE && !td->td_page_done)
		__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
	else
		td = NULL;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (td == NULL)
		proc_release(p);
	*pp = p;
	return td;
}

/*
 * ProcPager(pid, chid): page faults of pid go to the caller's channel chid
 * (0: no pager any more).  Process manager only.
 */
long
sys_ProcPager(long pid, long chid, long a2, long a3, long a4, long a5)
{
	struct channel *ch = NULL, *old;
	struct proc *p;
	unsigned long fl;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if (chid && (ch = ipc_chan_lookup(curthread->td_proc, chid)) == NULL)
		return -EINVAL;
	p = proc_hold((int)pid);
	if (p == NULL) {
		if (ch)
			ipc_chan_release(ch);
		return -ESRCH;
	}
	fl = spin_lock_irqsave(&p->pr_lock);
	old = p->pr_pager;
	p->pr_pager = p->pr_dying ? NULL : ch;
	spin_unlock_irqrestore(&p->pr_lock, fl);
	if (old)
		ipc_chan_release(old);
	if (ch && p->pr_pager != ch)
		ipc_chan_release(ch);	/* dying: not kept */
	proc_release(p);
	return 0;
}

/* PageFaultInfo(pid, tid, info): what thread tid of pid faulted on. */
long
sys_PageFaultInfo(long pid, long tid, long uinfo, long a3, long a4, long a5)
{
	struct _page_fault info = { 0 };
	struct thread *td;
	struct proc *p;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	td = waiting_thread(pid, tid, &p);
	if (td == NULL)
		return -ESRCH;
	info.pf_vaddr = td->td_page_addr;
	info.pf_access = td->td_page_access;
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
	proc_release(p);
	return vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)uinfo, &info, sizeof(info)) < 0 ?
	    -EFAULT : 0;
}

/*
 * PageResume(pid, tid, signo): end thread tid's wait for its pager: 0
 * retries the faulting instruction, a signal number (1..64) raises that
 * signal as the fault.  -ESRCH if it is not waiting.
 */
long
sys_PageResume(long pid, long tid, long signo, long a3, long a4, long a5)
{
	struct thread *td;
	struct proc *p;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if (signo < 0 || signo > NSIG_K)
		return -EINVAL;
	td = waiting_thread(pid, tid, &p);
	if (td == NULL)
		return -ESRCH;
	td->td_page_signo = (int)signo;
	__atomic_store_n(&td->td_page_done, 1, __ATOMIC_RELEASE);
	lwkt_schedule(td);
	__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
	proc_release(p);
	return 0;
}
