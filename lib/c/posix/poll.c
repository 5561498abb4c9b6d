/*
 * poll and select: the servers' _IO_NOTIFY (docs/libc.md).
 *
 * Each call makes a private channel and a connection to it.  Every fd's
 * server gets _IO_NOTIFY POLLARM with the conditions asked for and a
 * pulse on that connection as the event: it answers with what is true
 * now and, if nothing is, delivers the pulse when something becomes true.
 * With nothing ready, the call waits for a pulse (or the time-out, or a
 * signal) and asks again.  A server that does not know _IO_NOTIFY
 * (ENOSYS: /proc/boot files) counts as always ready, as a regular file
 * is; a bad fd is POLLNVAL.  Armed entries left in servers when the call
 * returns deliver to the destroyed channel later, which fails quietly,
 * and the next arming from the same connection replaces them.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "px.h"

#define IN_EV	(POLLIN | POLLRDNORM)
#define OUT_EV	(POLLOUT | POLLWRNORM)

/* Ask fd's server; its revents. */
static short ask(struct pollfd *p, int coid, int idx)
{
	struct _io_notify m = { .type = _IO_NOTIFY, .action = _NOTIFY_ACTION_POLLARM };
	struct _io_notify_reply r = { 0, 0 };
	short ev = p->events, rev = 0;
	long st;

	m.flags = (ev & IN_EV ? _NOTIFY_COND_INPUT : 0) | (ev & OUT_EV ? _NOTIFY_COND_OUTPUT : 0) |
	    (ev & (POLLPRI | POLLRDBAND) ? _NOTIFY_COND_OBAND : 0);
	m.event.sigev_notify = __ABI_SIGEV_PULSE;
	m.event.__sigev_un1.__sigev_coid = coid;
	m.event.__sigev_un2.__st.__sigev_code = _PULSE_CODE_MINAVAIL;
	m.event.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	m.event.sigev_value.sival_int = idx;
	if (p->fd >= PX_FD_MAX)
		return POLLNVAL;
	st = MsgSend_r(p->fd, &m, sizeof(m), &r, sizeof(r));
	if (st == -EBADF || st == -ESRCH)
		return POLLNVAL;
	if (st == -ENOSYS)
		return ev & (IN_EV | OUT_EV);
	if (st < 0)
		return POLLERR;
	if (r.flags & _NOTIFY_COND_INPUT)
		rev |= ev & IN_EV;
	if (r.flags & _NOTIFY_COND_OUTPUT)
		rev |= ev & OUT_EV;
	if (r.flags & _NOTIFY_COND_OBAND)
		rev |= ev & (POLLPRI | POLLRDBAND);
	if (r.flags & _NOTIFY_COND_HANGUP)
		rev |= POLLHUP;
	if (r.flags & _NOTIFY_COND_ERROR)
		rev |= POLLERR;
	return rev;
}

static uint64_t mono_ns(void)
{
	uint64_t t = 0;

	ClockTime_r(CLOCK_MONOTONIC, 0, &t);
	return t;
}

/* ppoll with descriptors or a time-out; the mask (if any) holds while it waits. */
long __px_poll(struct pollfd *fds, unsigned long n, const struct timespec *ts,
    const sigset_t *mask, size_t sz)
{
	uint64_t deadline = 0, old;
	long ready = 0, r;
	int chid, coid;

	if (n > PX_FD_MAX * 4UL)
		return -EINVAL;
	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L))
		return -EINVAL;
	if (mask && sz != 8)
		return -EINVAL;
	if (ts)
		deadline = mono_ns() + (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
	if ((chid = ChannelCreate_r(0)) < 0)
		return chid;
	if ((coid = ConnectAttach_r(ND_LOCAL_NODE, 0, chid, _NTO_SIDE_CHANNEL, 0)) < 0) {
		ChannelDestroy_r(chid);
		return coid;
	}
	for (;;) {
		struct _pulse pulse;
		uint64_t now, left;

		ready = 0;
		for (unsigned long i = 0; i < n; i++) {
			fds[i].revents = fds[i].fd < 0 ? 0 : ask(&fds[i], coid, (int)i);
			ready += fds[i].revents != 0;
		}
		if (ready)
			break;
		now = mono_ns();
		if (ts && now >= deadline)
			break;
		left = ts ? deadline - now : 0;
		if (mask)
			SignalProcmask_r(0, 0, SIG_SETMASK, (const uint64_t *)mask, &old);
		if (ts)
			TimerTimeout_r(CLOCK_MONOTONIC, _NTO_TIMEOUT_RECEIVE, 0, &left, 0);
		r = MsgReceivePulse_r(chid, &pulse, sizeof(pulse), 0);
		if (mask)
			SignalProcmask_r(0, 0, SIG_SETMASK, &old, 0);
		if (r == -EINTR) {
			ready = -EINTR;
			break;
		}
		if (r < 0 && r != -ETIMEDOUT) {
			ready = r;
			break;
		}
	}
	ConnectDetach_r(coid);
	ChannelDestroy_r(chid);
	return ready;
}

/* SYS_pselect6: poll on the fd sets; data is { mask, size }. */
long __px_pselect6(int n, void *rs, void *ws, void *es,
    const struct timespec *ts, const long *data)
{
	struct pollfd pfd[FD_SETSIZE];	/* 8 KiB of stack */
	fd_set *rfds = rs, *wfds = ws, *efds = es;
	const sigset_t *mask = data ? (const sigset_t *)data[0] : 0;
	unsigned long k = 0;
	long r, count = 0;

	if (n < 0 || n > FD_SETSIZE)
		return -EINVAL;
	for (int fd = 0; fd < n; fd++) {
		short ev = (rfds && FD_ISSET(fd, rfds) ? POLLIN : 0) |
		    (wfds && FD_ISSET(fd, wfds) ? POLLOUT : 0) | (efds && FD_ISSET(fd, efds) ? POLLPRI : 0);

		if (ev)
			pfd[k++] = (struct pollfd){ fd, ev, 0 };
	}
	r = __px_poll(pfd, k, ts, mask, data ? (size_t)data[1] : 8);
	if (r < 0)
		return r;
	for (unsigned long i = 0; i < k; i++)
		if (pfd[i].revents & POLLNVAL)
			return -EBADF;
	if (rfds)
		FD_ZERO(rfds);
	if (wfds)
		FD_ZERO(wfds);
	if (efds)
		FD_ZERO(efds);
	for (unsigned long i = 0; i < k; i++) {
		short rev = pfd[i].revents;

		if (rfds && (rev & (POLLIN | POLLHUP | POLLERR)) && (pfd[i].events & POLLIN))
			FD_SET(pfd[i].fd, rfds), count++;
		if (wfds && (rev & (POLLOUT | POLLERR)) && (pfd[i].events & POLLOUT))
			FD_SET(pfd[i].fd, wfds), count++;
		if (efds && (rev & POLLPRI))
			FD_SET(pfd[i].fd, efds), count++;
	}
	return count;
}
