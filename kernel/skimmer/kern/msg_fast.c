/*
 * kern/msg_fast.c - the IPC fast path (docs/performance.md, "Round 5"):
 * MsgSend, MsgReceive, MsgReply and MsgReplyReceive in their common case,
 * from trap.S with interrupts off.  Each checks its whole case first and
 * then makes the general path's (kern/msg.c) state changes in the same
 * order; a call that blocks keeps only its trap frame and is resumed by
 * ipc_cont_resume (kern/msg.c).
 *
 * This file is compiled with s1-s11 as caller-saved registers
 * (kernel.mk): its entry points are called only by trap.S, which has
 * saved every user register in the trap frame and reloads them all from
 * it, and on their common path they never return (they leave through
 * cont_return_arch or a switch), so saving the callee-saved registers in
 * their prologues would be wasted work.  Nothing else may call into this
 * file: it does not preserve those registers for its callers.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/lwkt_switch.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <kern/runq_inline.h>
#include <kern/syscall.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/kercall.h>
#include <arch/trapframe.h>
#include "ipc_internal.h"
#include "msg_fast.h"

/*
 * A short message (n bytes, n >= 0) into dst's receive or reply buffer:
 * nothing to copy, or copied by the short copy from src in svs.  False:
 * the general path must copy it (an iov, too long, a fault).
 */
static inline __attribute__((always_inline)) bool
fast_copy(struct thread *dst, struct vmspace *svs, uaddr_t src, int64_t n)
{
	return n == 0 || (!dst->td_rbuf.ub_iov && n <= IPC_SHORT_MAX &&
	    ipc_short_copy(dst->td_proc->pr_vm, dst->td_rbuf.ub_base, svs, src, (uint64_t)n));
}

/*
 * The caller may block and hand over at once: wake_peer's conditions.
 * Relaxed loads, as proc_user_return_td's test: a flag raised just after
 * the test is seen by the wait loop when the thread runs again, as it
 * would be just after wake_peer's test.
 */
static inline bool
fast_self_ok(struct thread *td)
{
	const struct proc *p = td->td_proc;

	return td->td_tmo_flags == 0 && !__atomic_load_n(&td->td_ipcprop, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&td->td_killed, __ATOMIC_RELAXED) &&
	    !((__atomic_load_n(&td->td_sig.ts_pend, __ATOMIC_RELAXED) |
	    __atomic_load_n(&p->pr_sig.ps_pend, __ATOMIC_RELAXED)) & ~td->td_sig.ts_blocked);
}

/* ipc_block_crit's first steps for td blocking on the fast path in kernel call `call`. */
static inline __attribute__((always_inline)) void
fast_block_begin(struct thread *td, int call)
{
	td->td_contcall = call;
	td->td_critcount++;		/* ipc_block's crit_enter */
	td->td_unblock_req = false;
}

void cont_return_arch(struct thread *old, vaddr_t top, struct trapframe *tf)
    __attribute__((noreturn));
extern char ipc_cont_entry_arch[];

/*
 * ipc_block_crit(wake) as the fast path ends it: td blocks keeping only
 * its trap frame (the caller has moved sepc past the ecall), and the CPU
 * switches straight to wake, whose transaction we finished with a result
 * its plain end can return (cont_plain_result: a receiver gets an rcvid;
 * a client, claimed through its rcvid, a status that is no error).  If wake
 * blocked on the fast path too and ends by the plain case, its call ends
 * here and the CPU returns to user mode in it (lwkt_switch_cont's and
 * ipc_cont_resume's steps without their frames); otherwise
 * lwkt_switch_cont switches to it, and it ends its call itself.
 */
static inline __attribute__((always_inline, noreturn)) void
fast_block(struct thread *td, struct thread *wake, int call)
{
	struct cpu *gd = mycpu();
	int wcall = wake->td_contcall;

	fast_block_begin(td, call);
	__atomic_store_n(&wake->td_ipcdone, 1, __ATOMIC_RELEASE);
	KASSERT_INV(wcall == 0 || cont_plain_result(wake, wcall), "fast path: %s's result",
	    wake->td_name);
	if (!cont_plain(gd, wake, wcall, RQF_RESCHED))
		lwkt_switch_cont(wake);
	KASSERT_INV(*(uint64_t *)wake->td_sp == (uint64_t)ipc_cont_entry_arch &&
	    !(td->td_flags & (TDF_MIGRATING | TDF_EXITING)), "fast path: %s", wake->td_name);
	/* lwkt_switch_cont's steps */
	lwkt_sleep_mark(td);
	lwkt_handoff_take(gd, wake);
	lwkt_switch_account(gd, td, wake);
	fpu_switch_arch(gd->gd_fpu_owner, td, wake);
	/*
	 * The switch's end, less td_oncpu: cont_return_arch clears it once
	 * td_sp is written.  We still run on td's stack; td is asleep on this
	 * CPU with interrupts off, so nothing can run it before we leave.
	 */
	gd->gd_stats.cs_switches++;
	wake->td_switches++;
	cont_plain_finish(wake, proc_user_frame(wake), wcall);
	cont_return_arch(td, td->td_kstack_top, proc_user_frame(wake));
}

/*
 * MsgSend's fast path: msg_send_body's steps when a receiver waits on the
 * channel, the message is short (or empty) and both threads can switch at
 * once.  When a condition fails it runs the general path
 * (trap_kercall_entered), having changed nothing.  Otherwise it does not
 * return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgSend(struct trapframe *tf)
{
	struct thread *td = curthread;
	int64_t slen = (int64_t)tf->tf_regs[REG_A2], rlen = (int64_t)tf->tf_regs[REG_A4], n;
	uaddr_t smsg = tf->tf_regs[REG_A1], rmsg = tf->tf_regs[REG_A3];
	struct cpu *gd = mycpu();
	struct proc *p = td->td_proc;
	struct conn_ref cr;
	struct channel *ch;
	struct thread *r;
	bool ok;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || rlen < 0 || !fast_self_ok(td)) {
		trap_kercall_entered(tf);
		return;
	}
	spin_lock(&p->pr_lock);		/* conn_lookup's, interrupts off already */
	ok = conn_lookup_locked(p, (long)tf->tf_regs[REG_A0], &cr);
	spin_unlock(&p->pr_lock);
	if (!ok) {
		trap_kercall_entered(tf);
		return;
	}
	ch = cr.cr_chan;
	spin_lock(&ch->ch_lock);
	r = TAILQ_FIRST(&ch->ch_receivers);
	if (ch->ch_dead || r == NULL || r->td_pulseonly || !lwkt_handoff_ok(gd, r))
		goto out;
	n = MIN(slen, r->td_rlen);
	if (!fast_copy(r, p->pr_vm, smsg, n))
		goto out;
	/*
	 * The call is under way: sepc past the ecall (user_kercall's first
	 * step) before anyone can see us REPLY-blocked and read or rewrite
	 * the frame (ThreadExec, fork's ThreadClone).
	 */
	tf->tf_sepc += 4;
	send_record(td, &(struct ubuf){ smsg, slen, false }, &(struct ubuf){ rmsg, rlen, false },
	    slen, rlen, &cr);
	ipc_claim_locked(ch, &ch->ch_receivers, r, 0);
	deliver_ok_locked(ch, r, td, n);
	spin_unlock(&ch->ch_lock);
	fast_block(td, r, __KER_MsgSend);
out:
	spin_unlock(&ch->ch_lock);
	chan_release(ch);
	trap_kercall_entered(tf);
}

/*
 * The receive half of a fast path: receiving again on the channel we work
 * for (msg_receive_body's keepref), a linear buffer, info writable.  A
 * pulse or sender waiting sends the call to the general path: a look
 * without ch_lock first (the caller looks again under it), so that such a
 * call does not check info twice (vm_check, a page walk).
 */
static inline bool
fast_receive_ok(struct thread *td, struct channel *ch, int chid, int64_t rlen, uaddr_t info)
{
	struct proc *p = td->td_proc;

	return rlen >= 0 && ch != NULL && chid > 0 && chid < PROC_MAX_CHANNELS &&
	    __atomic_load_n(&p->pr_chans[chid], __ATOMIC_RELAXED) == ch &&
	    !__atomic_load_n(&ch->ch_pulses.tqh_first, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&ch->ch_senders.tqh_first, __ATOMIC_RELAXED) &&
	    (!info || vm_check(p->pr_vm, info, sizeof(struct _msg_info), VMP_W) == 0);
}

/*
 * msg_receive_body's and msg_receive_loop's steps up to the block, when
 * nothing waits on ch (the caller checked, under ch_lock).  ch_lock held.
 */
static inline __attribute__((always_inline)) void
fast_receive_locked(struct cpu *gd, struct thread *td, struct channel *ch, uaddr_t rmsg,
    int64_t rlen, uaddr_t info)
{
	int pri = MAX(td->td_basepri, td->td_mtxpri);

	td->td_rbuf = (struct ubuf){ rmsg, rlen, false };
	td->td_rlen = rlen;
	if (td->td_pri != pri)		/* msg_receive_body's lwkt_setpri_self */
		lwkt_setpri_locked(gd, td, pri);
	td->td_rinfo = info;
	td->td_ipcdone = 0;
	td->td_ipcchan = ch;		/* the worker's reference becomes the call's */
	TAILQ_REMOVE(&ch->ch_workers, td, td_worklink);
	td->td_workchan = NULL;
	TAILQ_INSERT_TAIL(&ch->ch_receivers, td, td_ipclink);
	td->td_state = STATE_RECEIVE;
	td->td_pulseonly = false;
}

/*
 * MsgReplyReceive's fast path: the server loop's reply (to a client of
 * the channel it works for) and its next receive on that channel when
 * nothing waits there: msg_reply's and msg_receive_body's steps, then the
 * direct switch to the client.  Both halves are checked under the slot
 * lock and ch_lock before either changes anything.  When a condition
 * fails it runs the general path (trap_kercall_entered), having changed
 * nothing; otherwise it does not return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgReplyReceive(struct trapframe *tf)
{
	struct thread *td = curthread;
	uint64_t a0 = tf->tf_regs[REG_A0];
	int rcvid = (int)(uint32_t)a0, chid = (int)((int64_t)a0 >> 32);
	long status = (long)tf->tf_regs[REG_A1];
	uaddr_t smsg = tf->tf_regs[REG_A2], rmsg = tf->tf_regs[REG_A4], info = tf->tf_regs[REG_A6];
	int64_t slen = (int64_t)tf->tf_regs[REG_A3], rlen = (int64_t)tf->tf_regs[REG_A5];
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct proc *p = td->td_proc;
	struct channel *ch = td->td_workchan, *cch;
	struct cpu *gd = mycpu();
	struct spinlock *sl;
	struct thread *c;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || (status < 0 && status >= -4095) || rcvid <= 0 || slot == 0 ||
	    !fast_self_ok(td) || !fast_receive_ok(td, ch, chid, rlen, info))
		goto general;
	sl = ipc_slot_lock(slot);
	spin_lock(sl);
	c = rcvid_client_locked(rcvid, slot, p, &cch);
	if (c == NULL) {
		spin_unlock(sl);
		goto general;
	}
	if (cch != ch || !TAILQ_EMPTY(&ch->ch_pulses) || !TAILQ_EMPTY(&ch->ch_senders) ||
	    !lwkt_handoff_ok(gd, c))
		goto out;
	if (!fast_copy(c, p->pr_vm, smsg, MIN(slen, c->td_rlen)))
		goto out;
	tf->tf_sepc += 4;		/* under way (as MsgSend's) */
	/* The reply (msg_reply): claim the client, give it its result. */
	ipc_claim_locked(ch, &ch->ch_repliers, c, status);
	c->td_ipcnoslot = true;
	/* The receive (msg_receive_body, msg_receive_loop) up to its block. */
	fast_receive_locked(gd, td, ch, rmsg, rlen, info);
	spin_unlock(&ch->ch_lock);
	spin_unlock(sl);
	fast_block(td, c, __KER_MsgReplyReceive);
out:
	spin_unlock(&cch->ch_lock);
	spin_unlock(sl);
general:
	trap_kercall_entered(tf);
}

/*
 * MsgReply's fast path: msg_reply's steps (the claim, the result, the
 * client's wake-up) when the reply is short (or empty), without the
 * general entry; it does not block.  When a condition fails it runs the
 * general path (trap_kercall_entered), having changed nothing.  From
 * trap.S, interrupts off; returns to trap.S, which returns to user mode.
 */
void
ipc_fast_MsgReply(struct trapframe *tf)
{
	struct thread *td = curthread, *c;
	long rcvid = (long)tf->tf_regs[REG_A0], status = (long)tf->tf_regs[REG_A1];
	uaddr_t smsg = tf->tf_regs[REG_A2];
	int64_t slen = (int64_t)tf->tf_regs[REG_A3];
	unsigned slot = (unsigned)rcvid & (MAX_THREADS - 1);
	struct spinlock *sl;
	struct channel *ch;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (slen < 0 || (status < 0 && status >= -4095) || rcvid <= 0 || rcvid > 0x7fffffff ||
	    slot == 0)
		goto general;
	sl = ipc_slot_lock(slot);
	spin_lock(sl);
	c = rcvid_client_locked(rcvid, slot, td->td_proc, &ch);
	if (c == NULL) {
		spin_unlock(sl);
		goto general;
	}
	if (!fast_copy(c, td->td_proc->pr_vm, smsg, MIN(slen, c->td_rlen))) {
		spin_unlock(&ch->ch_lock);
		spin_unlock(sl);
		goto general;
	}
	ipc_claim_locked(ch, &ch->ch_repliers, c, status);	/* msg_reply's claim */
	c->td_ipcnoslot = true;
	spin_unlock(&ch->ch_lock);
	spin_unlock(sl);
	/* The rest is user_kercall's and trap_kercall's, with the handler's result 0. */
	tf->tf_sepc += 4;
	intr_enable_arch();
	ipc_finish(c);
	kercall_result_arch(td, tf, kercall_after(td, __KER_MsgReply, 0));
	intr_disable_arch();
	kercall_return_arch(td, tf);
	return;
general:
	trap_kercall_entered(tf);
}

/*
 * MsgReceive's fast path: the server loop's receive on the channel it
 * works for when nothing waits there (no pulse, no sender).  The server
 * blocks without a kernel stack and the CPU runs the best thread it has,
 * often the client its MsgReply just woke.  When a condition fails it
 * runs the general path (trap_kercall_entered), having changed nothing;
 * otherwise it does not return.  From trap.S, interrupts off.
 */
void
ipc_fast_MsgReceive(struct trapframe *tf)
{
	struct thread *td = curthread;
	int chid = (int)tf->tf_regs[REG_A0];
	uaddr_t rmsg = tf->tf_regs[REG_A1], info = tf->tf_regs[REG_A3];
	int64_t rlen = (int64_t)tf->tf_regs[REG_A2];
	struct channel *ch = td->td_workchan;

	cputime_user_enter(td);		/* trap_kercall's first step */
	if (ch == NULL || (long)tf->tf_regs[REG_A0] != chid || !fast_self_ok(td) ||
	    !fast_receive_ok(td, ch, chid, rlen, info))
		goto general;
	spin_lock(&ch->ch_lock);
	if (!TAILQ_EMPTY(&ch->ch_pulses) || !TAILQ_EMPTY(&ch->ch_senders) || ch->ch_dead) {
		spin_unlock(&ch->ch_lock);
		goto general;
	}
	tf->tf_sepc += 4;		/* under way (as MsgSend's) */
	fast_receive_locked(mycpu(), td, ch, rmsg, rlen, info);
	spin_unlock(&ch->ch_lock);
	fast_block_begin(td, __KER_MsgReceive);
	lwkt_sleep_cont();
general:
	trap_kercall_entered(tf);
}
