/*
 * kern/syscall.c - the dispatch table, generated from abi/kercalls.def.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/signal.h>
#include <kern/syscall.h>
#include <abi/errno.h>
#include <abi/kercall.h>

static const kercall_fn kercall_table[__KER_COUNT] = {
#define KERCALL(num, name, nargs) [num] = sys_##name,
#include <abi/kercalls.def>
#undef KERCALL
};

long
kercall_dispatch(uint64_t num, const long a[6])
{
	struct thread *td = curthread;
	long rc;

	if (num >= __KER_COUNT || kercall_table[num] == NULL)
		rc = -ENOSYS;
	else
		rc = kercall_table[num](a[0], a[1], a[2], a[3], a[4], a[5]);
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
