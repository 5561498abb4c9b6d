/*
 * kern/sys_thread.c - thread kernel calls.
 */
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/syscall.h>
#include <abi/errno.h>

/*
 * ThreadDestroy(tid, priority, status).  Only tid 0 or the caller's own
 * tid (the calling thread) is supported so far; see docs/kernel-calls.md.
 */
long
sys_ThreadDestroy(long tid, long priority, long status, long a3, long a4, long a5)
{
	struct thread *td = curthread;

	if (tid != 0 && tid != td->td_tid)
		return -ENOSYS;
	proc_thread_exit((int)status);
}
