/*
 * __clone for threads: Linux's clone(CLONE_VM|CLONE_THREAD|...) as musl's
 * pthread_create uses it, on ThreadCreate.
 *
 * ThreadCreate starts func(arg) with sp at the top of the stack it is
 * given, tp = 0, and no way for the new thread to learn its own tid.  So
 * the new thread starts in clone_entry(), with a clone_start block just
 * above its sp: it waits until the creator has stored the tid there, then
 * sets tp (CLONE_SETTLS) and *ptid (CLONE_PARENT_SETTID), and calls
 * func.  The creator stores *ptid too, before it lets the child go (so
 * the child cannot be gone yet): musl's pthread_create returns a thread
 * whose tid is known at once (pthread_setschedparam of it needs it).  Kernel threads are created detached: musl joins
 * through its own futex words, and the kernel keeps no zombie.
 */
#define _GNU_SOURCE	/* CLONE_* */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/neutrino.h>
#include "px.h"

struct clone_start {
	int		(*cs_func)(void *);
	void		*cs_arg;
	void		*cs_tls;		/* tp, with CLONE_SETTLS */
	int		*cs_ptid;		/* gets the tid, with CLONE_PARENT_SETTID */
	volatile int	cs_tid;			/* 0 until the creator stores the tid */
};

/* How much stack below clone_start we tell the kernel about (it checks it). */
#define CLONE_STACK_CLAIM	1024

static void *clone_entry(void *p)
{
	struct clone_start *cs = p;

	while (cs->cs_tid == 0)
		FutexWait_r(&cs->cs_tid, 0);
	if (cs->cs_tls)
		__asm__ __volatile__("mv tp, %0" : : "r"(cs->cs_tls) : "memory");
	if (cs->cs_ptid)
		*cs->cs_ptid = cs->cs_tid;
	__px_exit(cs->cs_func(cs->cs_arg));
}

/* Start func(arg) on stack as a thread of this process: its tid, or -errno. */
int __px_clone(int (*func)(void *), void *stack, int flags, void *arg,
    int *ptid, void *tls, int *ctid)
{
	uintptr_t top = ((uintptr_t)stack - sizeof(struct clone_start)) & -16UL;
	struct clone_start *cs = (struct clone_start *)top;
	struct _thread_attr attr;
	int tid;

	if ((flags & (CLONE_VM | CLONE_THREAD)) != (CLONE_VM | CLONE_THREAD))
		return -ENOSYS;		/* new processes are taskman's (not yet) */
	if (flags & CLONE_CHILD_CLEARTID) {
		if (__px_ctid && __px_ctid != ctid)
			return -EINVAL;	/* one clear-tid word per process (px.h) */
		__px_ctid = ctid;
	}
	cs->cs_func = func;
	cs->cs_arg = arg;
	cs->cs_tls = (flags & CLONE_SETTLS) ? tls : 0;
	cs->cs_ptid = (flags & CLONE_PARENT_SETTID) ? ptid : 0;
	cs->cs_tid = 0;
	memset(&attr, 0, sizeof(attr));
	attr.__flags = _NTO_TA_DETACHED;
	attr.__stackaddr = (void *)(top - CLONE_STACK_CLAIM);
	attr.__stacksize = CLONE_STACK_CLAIM;
	tid = ThreadCreate_r(0, clone_entry, cs, &attr);
	if (tid < 0)
		return tid;
	if (flags & CLONE_PARENT_SETTID)	/* before we return, as Linux's clone does */
		__atomic_store_n(ptid, tid, __ATOMIC_RELAXED);
	__atomic_store_n(&cs->cs_tid, tid, __ATOMIC_RELEASE);
	FutexWake_r(&cs->cs_tid, 1);
	return tid;
}
