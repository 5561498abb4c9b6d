/*
 * kern/msg_reply.c - the server's side of a transaction: MsgReply(v),
 * MsgError, MsgRead(v), MsgWrite(v), MsgInfo.
 */
#include <kern/cpu.h>
#include <kern/event.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/trapframe.h>
#include "ipc_internal.h"

/* Put a claimed client back on its channel's reply queue (server retries). */
static void
unclaim(struct thread *c)
{
	struct channel *ch = c->td_ipcchan;
	unsigned long fl = spin_lock_irqsave(&ch->ch_lock);
	bool dead = ch->ch_dead;

	if (!dead) {
		TAILQ_INSERT_TAIL(&ch->ch_repliers, c, td_ipclink);
		c->td_state = STATE_REPLY;
	}
	spin_unlock_irqrestore(&ch->ch_lock, fl);
	if (dead) {
		c->td_ipcresult = -ESRCH;
		ipc_finish(c);
	}
}

/*
 * Reply to rcvid: copy sb (if any) into the client's reply buffer and make
 * its MsgSend return status.  error != 0: MsgError, the client gets -error.
 * replied: NULL, or where a successful reply leaves the client, finished
 * but not yet woken, in a critical section the caller must end by waking
 * it (MsgReplyReceive: msg_receive does).
 */
static inline __attribute__((always_inline)) long
msg_reply(long rcvid, long status, const struct ubuf *sb, int error, struct thread **replied)
{
	struct thread *td = curthread, *c;
	struct vmspace *vs = td->td_proc->pr_vm;
	int64_t slen = 0, n;
	bool srcfault;

	if (sb && (slen = ubuf_size(vs, sb)) < 0)
		return slen;
	/* A status that reads as an error would be one: use MsgError (docs/kernel-calls.md). */
	if (!error && status < 0 && status >= -4095)
		return -EINVAL;
	c = ipc_rcvid_claim(rcvid, td->td_proc);
	if (c == NULL)
		return -ESRCH;
	n = sb ? MIN(slen, c->td_rlen) : 0;
	/* Nothing to copy, or a short message copied directly; else the general copy. */
	if (n > 0 && !(ipc_short_ok(&c->td_rbuf, sb, n) &&
	    ipc_short_copy(c->td_proc->pr_vm, c->td_rbuf.ub_base, vs, sb->ub_base, (uint64_t)n))) {
		n = ubuf_copy(c->td_proc->pr_vm, &c->td_rbuf, 0, vs, sb, 0, n, &srcfault);
		if (n < 0 && srcfault) {
			unclaim(c);		/* our buffer is bad: the client waits on */
			return -EFAULT;
		}
		if (n < 0) {
			c->td_ipcresult = -EFAULT;
			c->td_ipcnoslot = true;		/* claimed through the rcvid: ipc_drop_chan */
			ipc_finish(c);
			return -EFAULT;
		}
	}
	c->td_ipcresult = error ? -error : status;
	c->td_ipcnoslot = true;
	if (replied) {
		/* Woken by msg_receive: nothing on the way sleeps or switches. */
		crit_enter();
		*replied = c;
		return 0;
	}
	ipc_finish(c);
	return 0;
}

/* Copy between a REPLY-blocked client's buffer and ours at offset. */
static long
msg_rw(long rcvid, const struct ubuf *ub, long offset, bool read)
{
	struct thread *td = curthread, *c;
	struct vmspace *vs = td->td_proc->pr_vm, *cvs;
	struct client_snap cs;
	int64_t len, n;
	bool srcfault;

	if (offset < 0)
		return -EINVAL;
	if ((len = ubuf_size(vs, ub)) < 0)
		return len;
	if ((c = ipc_rcvid_lookup(rcvid, td->td_proc, false, &cvs, &cs)) == NULL)
		return -ESRCH;
	if (read)
		n = offset >= cs.cs_slen ? 0 : ubuf_copy(vs, ub, 0, cvs, &cs.cs_sbuf, offset,
		    MIN(len, cs.cs_slen - offset), &srcfault);
	else
		n = offset >= cs.cs_rlen ? 0 : ubuf_copy(cvs, &cs.cs_rbuf, offset, vs, ub, 0,
		    MIN(len, cs.cs_rlen - offset), &srcfault);
	ipc_peek_done(c, cvs);
	return n;
}

static struct ubuf
linear(long base, long len)
{
	return (struct ubuf){ (uaddr_t)base, len, false };
}

static struct ubuf
iov(long base, long parts)
{
	return (struct ubuf){ (uaddr_t)base, parts, true };
}

long
sys_MsgReply(long rcvid, long status, long msg, long bytes, long a4, long a5)
{
	struct ubuf sb = linear(msg, bytes);

	return msg_reply(rcvid, status, &sb, 0, NULL);
}

long
sys_MsgReplyv(long rcvid, long status, long riov, long rparts, long a4, long a5)
{
	struct ubuf sb = iov(riov, rparts);

	return msg_reply(rcvid, status, &sb, 0, NULL);
}

long
sys_MsgError(long rcvid, long error, long a2, long a3, long a4, long a5)
{
	if (error <= 0 || error > 4095)
		return -EINVAL;
	return msg_reply(rcvid, 0, NULL, (int)error, NULL);
}

long
sys_MsgRead(long rcvid, long msg, long bytes, long offset, long a4, long a5)
{
	struct ubuf ub = linear(msg, bytes);

	return msg_rw(rcvid, &ub, offset, true);
}

long
sys_MsgReadv(long rcvid, long riov, long rparts, long offset, long a4, long a5)
{
	struct ubuf ub = iov(riov, rparts);

	return msg_rw(rcvid, &ub, offset, true);
}

long
sys_MsgWrite(long rcvid, long msg, long bytes, long offset, long a4, long a5)
{
	struct ubuf ub = linear(msg, bytes);

	return msg_rw(rcvid, &ub, offset, false);
}

long
sys_MsgWritev(long rcvid, long siov, long sparts, long offset, long a4, long a5)
{
	struct ubuf ub = iov(siov, sparts);

	return msg_rw(rcvid, &ub, offset, false);
}

long
sys_MsgInfo(long rcvid, long info, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread, *c;
	struct vmspace *cvs;
	struct client_snap cs;
	struct _msg_info mi;
	struct channel ch;	/* only ch_chid and ch_flags matter to make_info */

	if ((c = ipc_rcvid_lookup(rcvid, td->td_proc, false, &cvs, &cs)) == NULL)
		return -ESRCH;
	ipc_peek_done(c, cvs);
	memset(&ch, 0, sizeof(ch));
	ch.ch_chid = cs.cs_chid;
	ch.ch_flags = _NTO_CHF_SENDER_LEN | _NTO_CHF_REPLY_LEN;
	msg_make_info(&mi, &cs, &ch, cs.cs_slen);
	return vm_copyout(td->td_proc->pr_vm, (uaddr_t)info, &mi, sizeof(mi));
}

/* ---- the send and receive entry points ---------------------------------- */

long
sys_MsgSend(long coid, long smsg, long sbytes, long rmsg, long rbytes, long a5)
{
	return msg_send_linear(coid, (uaddr_t)smsg, sbytes, (uaddr_t)rmsg, rbytes);
}

long
sys_MsgSendv(long coid, long siov, long sparts, long riov, long rparts, long a5)
{
	struct ubuf sb = iov(siov, sparts), rb = iov(riov, rparts);

	return msg_send(coid, &sb, &rb);
}

long
sys_MsgSendsv(long coid, long smsg, long sbytes, long riov, long rparts, long a5)
{
	struct ubuf sb = linear(smsg, sbytes), rb = iov(riov, rparts);

	return msg_send(coid, &sb, &rb);
}

long
sys_MsgSendvs(long coid, long siov, long sparts, long rmsg, long rbytes, long a5)
{
	struct ubuf sb = iov(siov, sparts), rb = linear(rmsg, rbytes);

	return msg_send(coid, &sb, &rb);
}

long
sys_MsgReceive(long chid, long msg, long bytes, long info, long a4, long a5)
{
	return msg_receive_linear(chid, (uaddr_t)msg, bytes, (uaddr_t)info, NULL);
}

long
sys_MsgReceivev(long chid, long riov, long rparts, long info, long a4, long a5)
{
	struct ubuf rb = iov(riov, rparts);

	return msg_receive(chid, &rb, (uaddr_t)info, false, NULL);
}

long
sys_MsgReceivePulse(long chid, long pulse, long bytes, long info, long a4, long a5)
{
	struct ubuf rb = linear(pulse, bytes);

	return msg_receive(chid, &rb, (uaddr_t)info, true, NULL);
}

long
sys_MsgReceivePulsev(long chid, long riov, long rparts, long info, long a4, long a5)
{
	struct ubuf rb = iov(riov, rparts);

	return msg_receive(chid, &rb, (uaddr_t)info, true, NULL);
}

/*
 * MsgDeliverEvent(rcvid, event): deliver event to the client process that
 * rcvid names, even after its message was replied to (the client thread
 * must still exist).  A SIGEV_PULSE goes over the client's own connection
 * sigev_coid, as in QNX; a signal goes to the client process, or with
 * SIGEV_SIGNAL_THREAD to the client thread.
 */
long
sys_MsgDeliverEvent(long rcvid, long event, long a2, long a3, long a4, long a5)
{
	struct thread *td = curthread;
	struct sigevent ev;
	struct proc *p;
	int pid, tid = 0, rc;

	if (vm_copyin(td->td_proc->pr_vm, &ev, (uaddr_t)event, sizeof(ev)) < 0)
		return -EFAULT;
	if ((rc = event_check(&ev, EVF_PULSE | EVF_NONE | EVF_SIGNAL | EVF_SIGTHREAD)) < 0)
		return rc;
	pid = ipc_rcvid_pid(rcvid, &tid);
	if (pid < 0 || (p = proc_hold(pid)) == NULL)
		return -ESRCH;
	rc = event_deliver(p, &ev, NULL, tid, __ABI_SI_QUEUE, td->td_proc->pr_pid);
	proc_release(p);
	return rc == -EBADF ? -ESRCH : rc;
}

/*
 * MsgReplyReceive (QSOE): MsgReply(rcvid, status, smsg, sbytes), then
 * MsgReceive(chid, rmsg, rbytes, info), in one kernel call.
 * a0 = rcvid in its low 32 bits, chid in its high 32 (both ints);
 * a1..a3 = status, smsg, sbytes; a4, a5 = rmsg, rbytes; a6 = info (read
 * from the frame: the table passes six).  rcvid 0 (a pulse's) replies to
 * nobody.  The receive happens whatever the reply did: a0 returns the
 * receive's result, a1 the reply's (0 or -errno; 0 with rcvid 0).
 *
 * The client the reply wakes is woken by the receive (msg_receive): when
 * the server blocks for its next message, it may switch straight to the
 * client (wake_peer), the reply side's direct switch.
 *
 * A receive interrupted by a signal restarts as a receive alone: the
 * restart finds rcvid 0 in a0.  If the reply had failed, that failure
 * would be lost, so the call fails with EINTR instead of restarting.
 */
long
sys_MsgReplyReceive(long rc_ch, long status, long smsg, long sbytes, long rmsg, long rbytes)
{
	struct trapframe *tf = proc_user_frame(curthread);
	struct ubuf sb = linear(smsg, sbytes);
	struct thread *replied = NULL;
	int rcvid = (int)(uint32_t)rc_ch, chid = (int)(rc_ch >> 32);
	long rr = 0, rc;

	if (rcvid != 0)
		rr = msg_reply(rcvid, status, &sb, 0, &replied);
	rc = msg_receive_linear(chid, (uaddr_t)rmsg, rbytes, (uaddr_t)tf->tf_regs[REG_A6], replied);
	tf->tf_regs[REG_A1] = (uint64_t)rr;
	if (rc == -ERESTART) {
		if (rr != 0)
			rc = -EINTR;
		else
			tf->tf_regs[REG_A0] = (uint64_t)rc_ch & ~0xffffffffUL;	/* receive only */
	}
	return rc;
}
