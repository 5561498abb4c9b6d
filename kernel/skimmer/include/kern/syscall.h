/*
 * kern/syscall.h - the kernel-call entry.
 *
 * The arch trap code passes the call number and six argument registers;
 * kercall_dispatch() looks the number up in the table generated from
 * abi/kercalls.def and returns the result for a0 (>= 0, or -errno).
 * Handlers run in the calling thread's context with interrupts enabled,
 * may block, and follow "decode, then invoke": every argument is checked
 * before any state changes.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <kern/types.h>
#include <kern/lwkt.h>
#include <kern/signal.h>
#include <kern/thread.h>
#include <abi/errno.h>
#include <abi/kercall.h>

typedef long (*kercall_fn)(long, long, long, long, long, long);

/* sys_Name by number; NULL for a number with no call (kern/syscall.c). */
extern const kercall_fn kercall_table[__KER_COUNT];

/*
 * Run kernel call num of the calling thread with its six argument
 * registers; returns the value for a0.  Interrupts on; may block.
 * Inline: every kernel call passes here (the trap fast path).
 */
/*
 * The end of kernel call num with result rc, whoever ran it (the table,
 * or a call that blocked on the IPC fast path and resumed).
 */
static inline long
kercall_after(struct thread *td, uint64_t num, long rc)
{
	/*
	 * A TimerTimeout bounds exactly one following call, whatever it did;
	 * a restart would run that call again without its bound, so a bounded
	 * call interrupted by a signal fails with EINTR instead.
	 */
	if (num != __KER_TimerTimeout) {
		if (rc == -ERESTART && td->td_tmo_flags)
			rc = -EINTR;
		td->td_tmo_flags = 0;
	}
	return rc;
}

static inline long
kercall_dispatch(uint64_t num, const long a[6])
{
	long rc;

	if (num >= __KER_COUNT || kercall_table[num] == NULL)
		rc = -ENOSYS;
	else
		rc = kercall_table[num](a[0], a[1], a[2], a[3], a[4], a[5]);
	return kercall_after(curthread, num, rc);
}

/* One handler per kernel call: sys_Name(a0, ..., a5). */
#define KERCALL(num, name, nargs) long sys_##name(long, long, long, long, long, long);
#include <abi/kercalls.def>
#undef KERCALL

#endif
