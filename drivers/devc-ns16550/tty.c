/*
 * drivers/devc-ns16550/tty.c - the terminal as a resource manager: read,
 * write and devctl handlers over the line discipline, and the queues of
 * clients waiting (REPLY-blocked: the server never blocks).
 *
 * - A read waits until the line discipline says it may complete
 *   (a whole line, VMIN bytes, or VTIME); readers go in arrival order.
 * - A write waits for room in the output ring: nothing is dropped.  Its
 *   data is read from the client (MsgRead) as room appears.
 * - A signal or time-out (the unblock pulse): a reader gets EINTR, a
 *   writer the count it already wrote (or EINTR).
 * - An OCB's last connection gone (close, or the client's death): its
 *   waiters are answered EBADF and forgotten.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/dcmd_chr.h>
#include <sys/neutrino.h>
#include "devc.h"

struct tty tty;
resmgr_io_funcs_t tty_io;

/* ---- the line discipline's callbacks ---- */

static size_t
tx_put(struct tty *t, const char *s, size_t n)
{
	size_t k = 0;

	for (; k < n && t->t_tx_len < TX_SIZE; k++)
		t->t_tx[(t->t_tx_head + t->t_tx_len++) % TX_SIZE] = s[k];
	return k;
}

static void
ld_echo(void *arg, const char *s, size_t n)
{
	tx_put(arg, s, n);		/* echo does not wait: what does not fit is dropped */
}

static void
ld_signal(void *arg, int signo)
{
	struct tty *t = arg;

	if (t->t_pgrp > 0)
		kill(-t->t_pgrp, signo);
}

static void
ld_flush_out(void *arg)
{
	((struct tty *)arg)->t_tx_len = 0;
}

static const struct ldisc_ops tty_ldops = { ld_echo, ld_signal, ld_flush_out };

/* ---- serving the queues ---- */

static void
vtime_arm(struct tty *t, int on)
{
	struct _itimer it = { on ? (uint64_t)t->t_ld.ld_t.c_cc[VTIME] * 100000000ULL : 0, 0 };

	TimerSettime(t->t_timer, 0, &it, NULL);
	t->t_timing = on;
}

/*
 * Answer the first reader.  A reader that died while waiting (its OCB
 * lives on when another process shares it, as after fork) is dropped
 * first, so that no input goes to a dead client.
 */
static void
reply_read(struct tty *t)
{
	resmgr_waiter_t *w;
	struct _msg_info info;
	char buf[LD_BUF];
	size_t n;

	while ((w = t->t_readers) != NULL && MsgInfo(w->w_rcvid, &info) < 0) {
		t->t_readers = w->w_next;
		free(w);
	}
	if (w == NULL)
		return;
	n = ld_read(&t->t_ld, buf, w->w_nbytes < sizeof(buf) ? w->w_nbytes : sizeof(buf));
	t->t_readers = w->w_next;
	MsgReply(w->w_rcvid, (long)n, buf, n);
	free(w);
	if (t->t_timing)
		vtime_arm(t, 0);
}

/* Copy what fits of the first writer's data into the ring; 1 if it made progress. */
static int
serve_writer(struct tty *t)
{
	resmgr_waiter_t *w = t->t_writers;
	char in[512], out[1024];
	size_t room = TX_SIZE - t->t_tx_len, left = w->w_nbytes - w->w_done, used, k;
	ssize_t r;

	if (room == 0 || t->t_tx_stopped)
		return 0;
	if (room > sizeof(out))
		room = sizeof(out);
	r = MsgRead(w->w_rcvid, in, left < sizeof(in) ? left : sizeof(in), w->w_hdr + w->w_done);
	if (r <= 0) {			/* the client went away or lied */
		t->t_writers = w->w_next;
		MsgError(w->w_rcvid, EFAULT);
		free(w);
		return 1;
	}
	k = ld_opost(&t->t_ld, in, (size_t)r, out, room, &used);
	if (used == 0)
		return 0;		/* a CR NL needs two bytes of room */
	tx_put(t, out, k);
	w->w_done += used;
	if (w->w_done == w->w_nbytes) {
		t->t_writers = w->w_next;
		MsgReply(w->w_rcvid, (long)w->w_done, NULL, 0);
		free(w);
	}
	return 1;
}

void
tty_serve(struct tty *t)
{
	int progress = 1;

	while (progress) {
		progress = 0;
		while (t->t_writers && serve_writer(t))
			progress = 1;
		uart_kick(t);
		while (t->t_readers && ld_read_ready(&t->t_ld, t->t_readers->w_nbytes)) {
			reply_read(t);
			progress = 1;
		}
		if (t->t_readers && !t->t_timing && ld_timer_wanted(&t->t_ld))
			vtime_arm(t, 1);
	}
	if (t->t_notify[IOFUNC_NOTIFY_INPUT].list && ld_avail(&t->t_ld) > 0)
		iofunc_notify_trigger(t->t_notify, 1, IOFUNC_NOTIFY_INPUT);
	if (t->t_notify[IOFUNC_NOTIFY_OUTPUT].list && t->t_tx_len < TX_SIZE)
		iofunc_notify_trigger(t->t_notify, 1, IOFUNC_NOTIFY_OUTPUT);
	while (t->t_drainers && t->t_tx_len == 0) {
		resmgr_waiter_t *w = t->t_drainers;
		struct _io_devctl_reply rh = { 0 };

		t->t_drainers = w->w_next;
		MsgReply(w->w_rcvid, 0, &rh, sizeof(rh));
		free(w);
	}
}

/* Input arrived: with VMIN and VTIME both set, VTIME is an inter-byte timer. */
void
tty_received(struct tty *t)
{
	if (t->t_timing && t->t_ld.ld_t.c_cc[VMIN] > 0)
		vtime_arm(t, 1);
}

void
tty_vtime(struct tty *t)
{
	if (!t->t_timing)
		return;			/* a stale expiry */
	t->t_timing = 0;
	if (t->t_readers)
		reply_read(t);		/* whatever there is, maybe nothing */
	tty_serve(t);
}

/* ---- handlers ---- */

/* tcdrain: answered when the output ring is empty (the FIFO holds the rest). */
int
tty_drain(resmgr_context_t *ctp, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	resmgr_waiter_t *w;

	if (t->t_tx_len == 0)
		return EOK;
	if ((w = resmgr_waiter_new(ctp, ocb, 0, 0)) == NULL)
		return ENOMEM;
	resmgr_waitq_add(&t->t_drainers, w);
	return _RESMGR_NOREPLY;
}

static int
tty_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	resmgr_waiter_t *w;
	int nonblock, r;

	if ((r = iofunc_read_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if (tty_background(t, ctp->info.pid))
		return _IO_EBACKGROUND;		/* libc: SIGTTIN, or EIO */
	if (msg->i.nbytes == 0)
		return EOK;
	if (t->t_readers == NULL && ld_read_ready(&t->t_ld, msg->i.nbytes)) {
		if ((w = resmgr_waiter_new(ctp, ocb, msg->i.nbytes, 0)) == NULL)
			return ENOMEM;
		t->t_readers = w;
		reply_read(t);
		return _RESMGR_NOREPLY;
	}
	if (nonblock)
		return EAGAIN;
	if ((w = resmgr_waiter_new(ctp, ocb, msg->i.nbytes, 0)) == NULL)
		return ENOMEM;
	resmgr_waitq_add(&t->t_readers, w);
	tty_serve(t);
	return _RESMGR_NOREPLY;
}

static int
tty_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	resmgr_waiter_t *w;
	int nonblock, r;

	if ((r = iofunc_write_verify(ctp, msg, ocb, &nonblock)) != EOK)
		return r;
	if ((msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET)
		return ESPIPE;
	if ((t->t_ld.ld_t.c_lflag & TOSTOP) && !(msg->i.xtype & _IO_XFLAG_BACKGROUND) &&
	    tty_background(t, ctp->info.pid))
		return _IO_EBACKGROUND;		/* libc: SIGTTOU, or writes again */
	if (msg->i.nbytes == 0)
		return EOK;
	if ((w = resmgr_waiter_new(ctp, ocb, msg->i.nbytes, sizeof(io_write_t))) == NULL)
		return ENOMEM;
	resmgr_waitq_add(&t->t_writers, w);
	tty_serve(t);
	if (nonblock)			/* still queued: it would block */
		resmgr_waitq_cancel(&t->t_writers, w);
	return _RESMGR_NOREPLY;
}

static int
tty_unblock(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	resmgr_waiter_t *w;
	size_t done = 0;

	(void)msg;
	if ((w = resmgr_waitq_remove(&t->t_readers, ctp->rcvid)) == NULL &&
	    (w = resmgr_waitq_remove(&t->t_drainers, ctp->rcvid)) == NULL &&
	    (w = resmgr_waitq_remove(&t->t_writers, ctp->rcvid)) != NULL)
		done = w->w_done;
	if (w == NULL)
		return _RESMGR_NOREPLY;	/* not waiting here (answered already) */
	free(w);
	if (t->t_readers == NULL && t->t_timing)
		vtime_arm(t, 0);
	if (done == 0)
		return EINTR;
	_RESMGR_STATUS(ctp, (long)done);
	return _RESMGR_NPARTS(0);
}

static int
tty_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;

	(void)reserved;
	resmgr_waitq_fail_ocb(&t->t_readers, ocb, EBADF);
	resmgr_waitq_fail_ocb(&t->t_writers, ocb, EBADF);
	resmgr_waitq_fail_ocb(&t->t_drainers, ocb, EBADF);
	if (t->t_readers == NULL && t->t_timing)
		vtime_arm(t, 0);
	return iofunc_close_ocb_default(ctp, NULL, ocb);
}

/* select/poll: readable when a read would not wait, writable when the ring has room. */
static int
tty_notify(resmgr_context_t *ctp, io_notify_t *msg, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	int trig = (ld_avail(&t->t_ld) > 0 ? _NOTIFY_COND_INPUT : 0) |
	    (t->t_tx_len < TX_SIZE ? _NOTIFY_COND_OUTPUT : 0);

	return iofunc_notify(ctp, msg, t->t_notify, trig, NULL, NULL);
}

static int
tty_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb)
{
	ocb->attr->nbytes = 0;
	return iofunc_stat_default(ctp, msg, ocb);
}

void
tty_init(struct tty *t, int chid)
{
	struct __abi_sigevent ev = { 0 };
	int coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0);

	ld_init(&t->t_ld, &tty_ldops, t);
	ev.sigev_notify = __ABI_SIGEV_PULSE;
	ev.__sigev_un1.__sigev_coid = coid;
	ev.__sigev_un2.__st.__sigev_code = CODE_VTIME;
	ev.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	t->t_timer = TimerCreate(CLOCK_MONOTONIC, &ev);
	tty_io.read = tty_read;
	tty_io.write = tty_write;
	tty_io.unblock = tty_unblock;
	tty_io.close_ocb = tty_close_ocb;
	tty_io.stat = tty_stat;
	tty_io.devctl = tty_devctl;
	tty_io.notify = tty_notify;
}
