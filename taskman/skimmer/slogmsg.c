/*
 * taskman/skimmer/slogmsg.c - the system log (_SYS_SLOG): writing,
 * reading, waiting readers, clearing.  The ring is taskman/common/slog.c.
 */
#include "tm.h"
#include "../common/slog.h"
#include <abi/time.h>

static struct slog slog;

/* A reader held by _SLOG_READ_WAIT until an entry from sr_seq on exists. */
static struct slog_waiter {
	long		sw_rcvid;	/* 0: free */
	int		sw_pid;
	uint64_t	sw_seq;
	size_t		sw_room;	/* its reply buffer */
} waiters[_SLOG_WAITERS];

static uint64_t rbuf[(_SLOG_READ_MIN + 16 * 1024) / 8];	/* a reply */

void
tm_slog_init(void)
{
	slog_init(&slog);
}

static uint64_t
realtime_ns(void)
{
	uint64_t t = 0;

	__kc_ClockTime(CLOCK_REALTIME, 0, (long)&t, 0, 0, 0);
	return t;
}

/* Answer rcvid with the entries from seq on, in a buffer of room bytes. */
static void
reply_entries(long rcvid, uint64_t seq, size_t room)
{
	long n = slog_read(&slog, seq, rbuf, room < sizeof(rbuf) ? room : sizeof(rbuf));

	if (n < 0)
		tm_error(rcvid, (int)-n);
	else
		tm_reply(rcvid, n, rbuf, (size_t)n);
}

/* A new entry: answer the readers waiting for it. */
static void
wake_readers(void)
{
	for (int i = 0; i < _SLOG_WAITERS; i++) {
		struct slog_waiter *w = &waiters[i];

		if (w->sw_rcvid != 0 && slog_has(&slog, w->sw_seq)) {
			long rcvid = w->sw_rcvid;

			w->sw_rcvid = 0;	/* first: a failed reply logs, which comes back here */
			reply_entries(rcvid, w->sw_seq, w->sw_room);
		}
	}
}

void
tm_slog_add(int pid, const char *name, int opcode, int severity, const char *text, size_t len)
{
	slog_add(&slog, realtime_ns(), pid, name, opcode, severity, text, len);
	wake_readers();
}

static void
slog_wait(struct tm_msg *m, uint64_t seq, size_t room)
{
	for (int i = 0; i < _SLOG_WAITERS; i++) {
		struct slog_waiter *w = &waiters[i];

		if (w->sw_rcvid == 0) {
			*w = (struct slog_waiter){ m->m_rcvid, m->m_info.pid, seq, room };
			return;
		}
	}
	tm_error(m->m_rcvid, EAGAIN);
}

static void
slog_write(struct tm_msg *m)
{
	const struct _sys_slog *s = m->m_buf;
	const struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	const char *text;

	if (slog_check_write(m->m_buf, m->m_len, &text) < 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	tm_reply(m->m_rcvid, 0, NULL, 0);
	tm_slog_add(m->m_info.pid, p ? p->pp_name : "?", s->sl_opcode, s->sl_severity, text,
	    s->sl_len);
}

void
msg_slog(struct tm_msg *m)
{
	const struct _sys_slog_read *r = m->m_buf;
	const struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	size_t room = (size_t)m->m_info.dstmsglen;

	/* Everything must have fit: a longer message is not one of ours. */
	if (m->m_info.srcmsglen != (int64_t)m->m_len) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (r->subtype == _SLOG_WRITE) {
		slog_write(m);
		return;
	}
	if (m->m_len != sizeof(*r) || r->sr_zero != 0 ||
	    (r->subtype != _SLOG_READ && r->subtype != _SLOG_READ_WAIT && r->subtype != _SLOG_CLEAR) ||
	    (r->subtype == _SLOG_CLEAR ? r->sr_seq != 0 : room < _SLOG_READ_MIN)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (r->subtype == _SLOG_CLEAR) {
		if (p == NULL || p->pp_uid[1] != 0) {
			tm_error(m->m_rcvid, EPERM);
			return;
		}
		slog_clear(&slog);
		tm_reply(m->m_rcvid, 0, NULL, 0);
	} else if (r->subtype == _SLOG_READ_WAIT && !slog_has(&slog, r->sr_seq)) {
		slog_wait(m, r->sr_seq, room);
	} else {
		reply_entries(m->m_rcvid, r->sr_seq, room);
	}
}

int
slog_unblock(long rcvid)
{
	for (int i = 0; i < _SLOG_WAITERS; i++) {
		if (waiters[i].sw_rcvid == rcvid) {
			waiters[i].sw_rcvid = 0;
			tm_error(rcvid, EINTR);
			return 1;
		}
	}
	return 0;
}

void
slog_proc_gone(int pid)
{
	for (int i = 0; i < _SLOG_WAITERS; i++)
		if (waiters[i].sw_rcvid != 0 && waiters[i].sw_pid == pid)
			waiters[i].sw_rcvid = 0;
}
