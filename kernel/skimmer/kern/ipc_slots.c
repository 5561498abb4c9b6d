/*
 * kern/ipc_slots.c - rcvids: a table of user threads with generations.
 *
 * rcvid = msggen << 22 | slotgen << 12 | slot  (slot 1..MAX_THREADS-1;
 * 0 is the pulse rcvid).  The slot names the client thread; slotgen, bumped
 * each time the slot gets a new thread, makes the rcvid of a dead thread
 * stale; msggen (9 bits), bumped on each MsgSend, makes the rcvid of an
 * earlier message stale for MsgReply and friends.  MsgDeliverEvent needs
 * only the thread (slot and slotgen): as in QNX, a server may deliver an
 * event to a client it has already replied to.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include "ipc_internal.h"

#define SLOT_BITS	RCVID_SLOT_BITS
#define NSTRIPES	IPC_SLOT_STRIPES

_Static_assert(MAX_THREADS == (1 << SLOT_BITS), "rcvid layout");

/* The table and its locks: kern/ipc_internal.h.  slot_hint is a lock-free allocation hint. */
struct ipc_slot_stripe ipc_slot_stripes[NSTRIPES];
struct thread *ipc_slots[MAX_THREADS];
static uint16_t slot_gens[MAX_THREADS];		/* 10 bits used */
static unsigned slot_hint = 1;

void
ipc_slots_init(void)
{
	for (int i = 0; i < NSTRIPES; i++)
		spin_init(&ipc_slot_stripes[i].ss_lock, "rcvid-slots");
}

int
ipc_thread_init(struct thread *td)
{
	for (unsigned n = 0; n < MAX_THREADS; n++) {
		unsigned i = (__atomic_fetch_add(&slot_hint, 1, __ATOMIC_RELAXED) % (MAX_THREADS - 1)) + 1;
		unsigned long fl = spin_lock_irqsave(ipc_slot_lock(i));
		bool got = ipc_slots[i] == NULL;

		if (got) {
			ipc_slots[i] = td;
			slot_gens[i] = (slot_gens[i] + 1) & 0x3ff;
			td->td_rcvid = (int)((uint32_t)slot_gens[i] << RCVID_SLOT_BITS | i);
		}
		spin_unlock_irqrestore(ipc_slot_lock(i), fl);
		if (got) {
			td->td_slot = (int)i;
			return 0;
		}
	}
	return -EAGAIN;
}

void
ipc_thread_fini(struct thread *td)
{
	unsigned long fl;

	if (td->td_slot == 0)
		return;
	fl = spin_lock_irqsave(ipc_slot_lock(td->td_slot));
	ipc_slots[td->td_slot] = NULL;
	spin_unlock_irqrestore(ipc_slot_lock(td->td_slot), fl);
	td->td_slot = 0;
}

void
ipc_drop_chan_slow(struct thread *td)
{
	struct channel *ch;
	unsigned long fl;

	/*
	 * A server that peeked at our transaction before it ended (MsgRead,
	 * MsgWrite) may still be copying: our buffers must not change yet.
	 */
	crit_enter();
	while (__atomic_load_n(&td->td_ipcbusy, __ATOMIC_ACQUIRE))
		lwkt_sleep(timer_ns_to_ticks(50000));
	crit_exit();
	if (td->td_ipcnoslot) {
		/*
		 * MsgReply or MsgError claimed the transaction through our
		 * rcvid, under our slot lock, and made us STATE_READY there:
		 * a lookup that takes the slot lock after it stops at the
		 * state and never reads td_ipcchan, and none can have started
		 * before it and still be running.  So no slot lock here.
		 */
		td->td_ipcnoslot = false;
		ch = td->td_ipcchan;
		td->td_ipcchan = NULL;
	} else {
		fl = spin_lock_irqsave(ipc_slot_lock(td->td_slot));
		ch = td->td_ipcchan;
		td->td_ipcchan = NULL;
		spin_unlock_irqrestore(ipc_slot_lock(td->td_slot), fl);
	}
	if (ch)
		chan_release(ch);
}

struct thread *
ipc_rcvid_lookup(long rcvid, struct proc *p, bool claim, struct vmspace **vsp,
    struct client_snap *snap)
{
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct thread *td;
	struct channel *ch;
	unsigned long fl;

	if (claim)
		return ipc_rcvid_claim(rcvid, p);
	if (!rcvid_ok(rcvid, slot))
		return NULL;
	fl = spin_lock_irqsave(ipc_slot_lock(slot));
	td = rcvid_client_locked(rcvid, slot, p, &ch);
	if (td) {
		/* Peek: the client's space stays valid through our reference. */
		*vsp = td->td_proc->pr_vm;
		vm_hold(*vsp);
		ipc_snap(td, snap);
		__atomic_fetch_add(&td->td_ipcbusy, 1, __ATOMIC_ACQUIRE);
		spin_unlock(&ch->ch_lock);
	}
	spin_unlock_irqrestore(ipc_slot_lock(slot), fl);
	return td;
}

struct thread *
ipc_rcvid_claim(long rcvid, struct proc *p)
{
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct thread *td;
	struct channel *ch;
	unsigned long fl;

	if (!rcvid_ok(rcvid, slot))
		return NULL;
	fl = spin_lock_irqsave(ipc_slot_lock(slot));
	td = rcvid_client_locked(rcvid, slot, p, &ch);
	if (td) {
		TAILQ_REMOVE(&ch->ch_repliers, td, td_ipclink);
		td->td_state = STATE_READY;
		spin_unlock(&ch->ch_lock);
	}
	spin_unlock_irqrestore(ipc_slot_lock(slot), fl);
	return td;
}

void
ipc_peek_done(struct thread *td, struct vmspace *vs)
{
	vm_release(vs);
	__atomic_fetch_sub(&td->td_ipcbusy, 1, __ATOMIC_RELEASE);	/* td may go now */
}

int
ipc_rcvid_pid(long rcvid, int *tid)
{
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct thread *td;
	unsigned long fl;
	int pid = -1;

	if (rcvid <= 0 || rcvid > 0x7fffffff || slot == 0)
		return -1;
	fl = spin_lock_irqsave(ipc_slot_lock(slot));
	td = ipc_slots[slot];
	if (td && rcvid_slotgen(td->td_rcvid) == rcvid_slotgen(rcvid) && td->td_proc) {
		pid = td->td_proc->pr_pid;
		*tid = td->td_tid;
	}
	spin_unlock_irqrestore(ipc_slot_lock(slot), fl);
	return pid;
}
