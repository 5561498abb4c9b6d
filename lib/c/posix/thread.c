/*
 * The calling thread: its tid, its clear-tid word, yielding, and the end
 * of a detached thread.
 */
#include <sys/neutrino.h>
#include "pthread_impl.h"
#include "px.h"
#include "qsoe_mm.h"

/*
 * SYS_set_tid_address: record where this thread's exit stores 0 (musl
 * calls it once, for the first thread) and return its tid.  Skimmer
 * numbers a process's threads from 1, so before musl knows the first
 * thread's tid, it is 1.
 */
long __px_set_tid_address(int *addr)
{
	__px_ctid = addr;
	return __px_gettid();
}

/* SYS_gettid: the tid musl recorded in the thread's descriptor. */
long __px_gettid(void)
{
	int tid = __pthread_self()->tid;

	return tid ? tid : 1;
}

/* SYS_sched_yield: to the tail of the caller's priority on its CPU. */
long __px_sched_yield(void)
{
	return SchedYield_r();
}

/* musl's __unmapself: a detached thread gives back its stack and ends. */
_Noreturn void __px_unmapself(void *base, size_t size)
{
	__qsoe_mm_unmapself(base, size, __px_ctid, 0);
}
