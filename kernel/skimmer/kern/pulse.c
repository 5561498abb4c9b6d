/*
 * kern/pulse.c - pulses: MsgSendPulse, and the kernel's own (disconnect).
 *
 * A pulse goes straight to a waiting receiver, or is queued on the channel
 * by priority (FIFO within one); a full queue refuses user pulses with
 * EAGAIN.  Queue records come from a kobj cache.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/syscall.h>
#include <abi/errno.h>
#include "ipc_internal.h"

int
ipc_pulse_send(struct channel *ch, int code, int64_t value, int scoid, int pri, bool fail_full)
{
	struct pulse_rec *pu = kobj_alloc(&pulse_cache), *it;
	struct thread *r;
	unsigned long fl;
	int64_t rc;

	if (pu == NULL)
		return -EAGAIN;
	pu->pu_code = (int8_t)code;
	pu->pu_value = value;
	pu->pu_scoid = scoid;
	pu->pu_pri = pri;
	fl = spin_lock_irqsave(&ch->ch_lock);
	if (ch->ch_dead) {
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		kobj_free(&pulse_cache, pu);
		return -ESRCH;
	}
	r = TAILQ_FIRST(&ch->ch_receivers);
	if (r) {
		ipc_claim_locked(ch, &ch->ch_receivers, r, 0);
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		rc = deliver_pulse(r, pu);
		r->td_ipcresult = rc;
		kobj_free(&pulse_cache, pu);
		ipc_finish(r);
		return 0;
	}
	if (fail_full && ch->ch_npulses >= CHANNEL_MAX_PULSES) {
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		kobj_free(&pulse_cache, pu);
		return -EAGAIN;
	}
	TAILQ_FOREACH(it, &ch->ch_pulses, pu_link)
		if (it->pu_pri < pri)
			break;
	if (it)
		TAILQ_INSERT_BEFORE(it, pu, pu_link);
	else
		TAILQ_INSERT_TAIL(&ch->ch_pulses, pu, pu_link);
	ch->ch_npulses++;
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	return 0;
}

long
sys_MsgSendPulse(long coid, long priority, long code, long value, long a4, long a5)
{
	struct thread *td = curthread;
	struct conn_ref cr;
	int rc;

	if (code < _PULSE_CODE_MINAVAIL || code > _PULSE_CODE_MAXAVAIL)
		return -EINVAL;
	if (priority == -1)
		priority = td->td_pri;
	if (priority < 1 || priority > 255)
		return -EINVAL;
	if (!conn_lookup(td->td_proc, coid, &cr))
		return -EBADF;
	rc = ipc_pulse_send(cr.cr_chan, (int)code, value, cr.cr_scoid, (int)priority, true);
	chan_release(cr.cr_chan);
	return rc;
}

int
ipc_pulse(struct channel *ch, int code, int64_t value, int pri)
{
	return ipc_pulse_send(ch, code, value, 0, pri, false);
}
