/*
 * kern/ipc_prio.c - priority inheritance along message passing.
 *
 * QNX's rule: a server thread receives at its client's priority.  That
 * alone does not help a high-priority client whose server is busy: the
 * server threads work at the priorities of the clients they hold, maybe
 * lower ones, while the new client waits.  So each channel knows its
 * workers (threads that received a message on it and have not asked for
 * another yet), and a client that has to queue raises every worker below
 * its priority to it (ipc_boost_workers).
 *
 * Chains.  A boosted worker may itself be blocked in MsgSend on another
 * server.  It then has to pass the boost on: reposition itself in that
 * channel's send queue (SEND) and boost that channel's workers (SEND or
 * REPLY).  The booster cannot do this safely from outside (the worker's
 * queue state belongs to its channel and may change under it), so it only
 * marks the worker (td_ipcprop) and wakes it; the worker propagates from
 * its own context in ipc_block (ipc_propagate), one hop per wake-up, each
 * hop under the lock of the channel it is blocked on.  A cycle of sends is
 * a deadlock anyway; priorities only rise, so propagation along it ends.
 *
 * A channel with _NTO_CHF_FIXED_PRIORITY has no workers: its server
 * threads inherit nothing, as QNX's flag says.
 *
 * Unwinding.  A boost lasts until the boosted thread next calls
 * MsgReceive, which returns it to its base priority and then to the
 * priority of whatever it receives next, as in QNX.  The high-priority
 * client it served meanwhile is usually what it receives next.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <abi/thread.h>
#include "ipc_internal.h"

void
ipc_worker_leave(struct thread *td)
{
	struct channel *ch = td->td_workchan;
	unsigned long fl;

	if (ch == NULL)
		return;
	fl = spin_lock_irqsave(&ch->ch_lock);
	TAILQ_REMOVE(&ch->ch_workers, td, td_worklink);
	td->td_workchan = NULL;
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	chan_release(ch);
}

void
ipc_boost_workers(struct channel *ch, int pri)
{
	struct thread *td, *batch[8];
	unsigned long fl;
	int n;

	do {
		n = 0;
		fl = spin_lock_irqsave(&ch->ch_lock);
		TAILQ_FOREACH(td, &ch->ch_workers, td_worklink) {
			/* td_boostpri: one that is being boosted to pri already is skipped. */
			if (__atomic_load_n(&td->td_pri, __ATOMIC_RELAXED) >= pri ||
			    __atomic_load_n(&td->td_boostpri, __ATOMIC_RELAXED) >= pri)
				continue;
			__atomic_fetch_add(&td->td_holds, 1, __ATOMIC_ACQUIRE);
			batch[n++] = td;
			if (n == (int)ARRAY_SIZE(batch))
				break;
		}
		spin_unlock_irqrestore(&ch->ch_lock, fl);
		for (int i = 0; i < n; i++) {
			lwkt_boost(batch[i], pri, false);
			__atomic_fetch_sub(&batch[i]->td_holds, 1, __ATOMIC_RELEASE);
		}
	} while (n == (int)ARRAY_SIZE(batch));
}

void
ipc_propagate(struct thread *td)
{
	struct channel *ch = td->td_ipcchan;
	unsigned long fl;

	if (ch == NULL || (td->td_state != STATE_SEND && td->td_state != STATE_REPLY))
		return;
	fl = spin_lock_irqsave(&ch->ch_lock);
	if (td->td_state == STATE_SEND && !__atomic_load_n(&td->td_ipcbusy, __ATOMIC_ACQUIRE)) {
		/* Still queued (not being received): move up to our new priority. */
		TAILQ_REMOVE(&ch->ch_senders, td, td_ipclink);
		ipc_senders_insert(ch, td, false);
	}
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	ipc_boost_workers(ch, td->td_pri);
}
