/*
 * kern/event.c - sigevent delivery.
 */
#include <kern/event.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
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
	case SIGEV_SIGNAL_THREAD:
		if (!(allowed & EVF_SIGTHREAD))
			return -EINVAL;
		/* FALLTHROUGH */
	case SIGEV_SIGNAL:
	case SIGEV_SIGNAL_CODE:
		if (!(allowed & EVF_SIGNAL) || ev->sigev_signo < 1 || ev->sigev_signo > NSIG_K)
			return -EINVAL;
		if (SIGEV_GET_TYPE(ev) != SIGEV_SIGNAL &&
		    (ev->sigev_code > 0 || ev->sigev_code < -128))
			return -EINVAL;		/* user codes only (SI_USER and below) */
		return 0;
	default:
		return -EINVAL;
	}
}

/* A signal event: pended and the target woken; defaults act at delivery. */
static int
deliver_signal(struct proc *p, const struct sigevent *ev, int tid, int code, int sender)
{
	struct ksiginfo si = {
		.ksi_signo = ev->sigev_signo, .ksi_pid = sender,
		.ksi_value = (int64_t)(intptr_t)ev->sigev_value.sival_ptr,
		.ksi_code = SIGEV_GET_TYPE(ev) == SIGEV_SIGNAL ? code : ev->sigev_code,
	};

	return sig_post(p, SIGEV_GET_TYPE(ev) == SIGEV_SIGNAL_THREAD ? tid : 0, &si, SIGPOST_DEFER);
}

int
event_deliver(struct proc *p, const struct sigevent *ev, struct thread *intr_td, int tid,
    int code, int sender)
{
	struct conn_ref cr;
	int rc, pri;

	switch (SIGEV_GET_TYPE(ev)) {
	case SIGEV_SIGNAL:
	case SIGEV_SIGNAL_CODE:
	case SIGEV_SIGNAL_THREAD:
		return deliver_signal(p, ev, tid, code, sender);
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
