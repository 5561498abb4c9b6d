/*
 * kern/event.c - sigevent delivery.
 */
#include <kern/event.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <abi/errno.h>
#include <abi/msg.h>
#include "ipc_internal.h"

int
event_check(const struct sigevent *ev, unsigned allowed)
{
	switch (SIGEV_GET_TYPE(ev)) {
	case SIGEV_NONE:
		return (allowed & EVF_NONE) ? 0 : -EINVAL;
	case SIGEV_PULSE:
		if (!(allowed & EVF_PULSE))
			return -EINVAL;
		if (ev->sigev_priority != -1 && (ev->sigev_priority < 1 || ev->sigev_priority > 255))
			return -EINVAL;
		if (ev->sigev_code < _PULSE_CODE_MINAVAIL || ev->sigev_code > _PULSE_CODE_MAXAVAIL)
			return -EINVAL;		/* negative codes are the kernel's */
		return 0;
	case SIGEV_INTR:
		return (allowed & EVF_INTR) ? 0 : -EINVAL;
	case SIGEV_SIGNAL:
	case SIGEV_SIGNAL_CODE:
	case SIGEV_SIGNAL_THREAD:
		return -ENOSYS;		/* signals: not yet */
	default:
		return -EINVAL;
	}
}

int
event_deliver(struct proc *p, const struct sigevent *ev, struct thread *intr_td)
{
	struct conn_ref cr;
	int rc, pri;

	switch (SIGEV_GET_TYPE(ev)) {
	case SIGEV_PULSE:
		if (!conn_lookup(p, ev->sigev_coid, &cr))
			return -EBADF;
		pri = ev->sigev_priority == -1 ? 10 : ev->sigev_priority;
		rc = ipc_pulse_send(cr.cr_chan, ev->sigev_code,
		    (int64_t)(intptr_t)ev->sigev_value.sival_ptr, cr.cr_scoid, pri, true);
		chan_release(cr.cr_chan);
		return rc;
	case SIGEV_INTR:
		if (intr_td) {
			__atomic_fetch_add(&intr_td->td_intr_pending, 1, __ATOMIC_RELEASE);
			lwkt_schedule(intr_td);
		}
		return 0;
	default:
		return 0;
	}
}
