/*
 * drivers/devc-ns16550/ctl.c - devctl: the termios settings, the window
 * size, and the terminal's session and foreground process group
 * (<sys/dcmd_chr.h>; libc turns tcgetattr, TIOCSCTTY and the rest into
 * these).
 *
 * Sessions: a session leader makes this its controlling terminal with
 * TIOCSCTTY (taskman's startup script does it for a `session` command);
 * the foreground group is set with tcsetpgrp by a member of that session,
 * to a group of that session.  ^C, ^\ and ^Z signal that group.  The
 * ids are asked of taskman (getsid, getpgid of the client's pid).  A
 * process of the session outside that group is told so when it reads,
 * writes with TOSTOP, or changes the settings (tty_background); libc
 * turns that into SIGTTIN or SIGTTOU.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/dcmd_chr.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "devc.h"

void
tty_flush(struct tty *t, int queue)
{
	if (queue == TCIFLUSH || queue == TCIOFLUSH)
		ld_flush_input(&t->t_ld);
	if (queue == TCOFLUSH || queue == TCIOFLUSH)
		t->t_tx_len = 0;
}

/* Is the session leader of sid still there? */
static int
session_alive(pid_t sid)
{
	return sid > 0 && getsid(sid) == sid;
}

static int
set_ctty(struct tty *t, pid_t pid, int force, int root)
{
	if (getsid(pid) != pid)
		return EPERM;			/* not a session leader */
	if (t->t_sid == pid)
		return EOK;
	if (session_alive(t->t_sid) && !(force && root))
		return EPERM;			/* another session's terminal */
	t->t_sid = pid;
	t->t_pgrp = getpgid(pid);
	return EOK;
}

static int
set_pgrp(struct tty *t, pid_t pid, pid_t pgrp)
{
	if (t->t_sid == 0 || getsid(pid) != t->t_sid)
		return ENOTTY;			/* not the caller's controlling terminal */
	if (pgrp <= 0)
		return EINVAL;
	if (getsid(pgrp) != t->t_sid)
		return EPERM;			/* no such group in the session */
	t->t_pgrp = pgrp;
	return EOK;
}

/*
 * Job control (<sys/iomsg.h>): is pid a process of the terminal's session
 * outside its foreground group?  Asked of taskman each time, session and
 * group in one _PROC_ID_GETIDS: a group can change at any moment.  A
 * process of another session (or none) reads and writes the terminal as
 * any file.
 */
int
tty_background(const struct tty *t, pid_t pid)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETIDS,
	    .gi_pid = pid };
	struct _proc_ids ids;	/* the session and the group in one question */

	if (t->t_sid <= 0 || t->t_pgrp <= 0 ||
	    MsgSend(SYSMGR_COID, &m, sizeof(m), &ids, sizeof(ids)) < 0)
		return 0;	/* no job control here, or the client is gone */
	return ids.pi_sid == t->t_sid && ids.pi_pgid != t->t_pgrp;
}

/* Does dcmd change the terminal (so that a background caller gets SIGTTOU)? */
static int
changes_tty(uint32_t dcmd)
{
	return dcmd == (uint32_t)DCMD_CHR_TCSETATTR || dcmd == (uint32_t)DCMD_CHR_TCSETATTRD ||
	    dcmd == (uint32_t)DCMD_CHR_TCSETATTRF || dcmd == (uint32_t)DCMD_CHR_TCSETPGRP ||
	    dcmd == (uint32_t)DCMD_CHR_TCFLUSH || dcmd == (uint32_t)DCMD_CHR_TCFLOW;
}

/* One command; its data in and out of d (sz bytes); *ret is devctl's ret_val. */
static int
command(resmgr_context_t *ctp, struct tty *t, int32_t dcmd, void *d)
{
	pid_t pid = ctp->info.pid;
	int v, r;
	struct _client_info ci;

	memcpy(&v, d, sizeof(v));
	switch (dcmd) {
	case DCMD_CHR_TCGETATTR:
		memcpy(d, &t->t_ld.ld_t, sizeof(struct termios));
		return EOK;
	case DCMD_CHR_TCSETATTRF:
		tty_flush(t, TCIFLUSH);
		/* fall through */
	case DCMD_CHR_TCSETATTR:
	case DCMD_CHR_TCSETATTRD:		/* applies at once: output keeps flowing */
		ld_setattr(&t->t_ld, d);
		return EOK;
	case DCMD_CHR_TCFLUSH:
		if (v != TCIFLUSH && v != TCOFLUSH && v != TCIOFLUSH)
			return EINVAL;
		tty_flush(t, v);
		return EOK;
	case DCMD_CHR_TCFLOW:
		if (v < TCOOFF || v > TCION)
			return EINVAL;
		if (v == TCOOFF || v == TCOON)
			t->t_tx_stopped = v == TCOOFF;
		return EOK;
	case DCMD_CHR_GETSIZE:
		memcpy(d, &t->t_ld.ld_ws, sizeof(struct winsize));
		return EOK;
	case DCMD_CHR_SETSIZE:
		if (memcmp(d, &t->t_ld.ld_ws, sizeof(struct winsize)) != 0) {
			memcpy(&t->t_ld.ld_ws, d, sizeof(struct winsize));
			if (t->t_pgrp > 0)
				kill(-t->t_pgrp, SIGWINCH);
		}
		return EOK;
	case DCMD_CHR_TCGETPGRP:
		if (t->t_sid == 0 || getsid(pid) != t->t_sid)
			return ENOTTY;
		v = t->t_pgrp;
		memcpy(d, &v, sizeof(v));
		return EOK;
	case DCMD_CHR_TCSETPGRP:
		return set_pgrp(t, pid, v);
	case DCMD_CHR_TCGETSID:
		if (t->t_sid == 0)
			return ENOTTY;
		v = t->t_sid;
		memcpy(d, &v, sizeof(v));
		return EOK;
	case DCMD_CHR_TCSETCTTY:
		if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
			return r;
		return set_ctty(t, pid, v == 1, ci.euid == 0);
	case DCMD_CHR_TCNOTTY:
		if (t->t_sid == 0 || getsid(pid) != t->t_sid)
			return ENOTTY;
		if (pid == t->t_sid)
			t->t_sid = t->t_pgrp = 0;
		return EOK;
	case DCMD_CHR_TCDRAIN:
		return EOK;			/* the ring is empty already */
	case DCMD_CHR_FIONREAD:
		v = (int)ld_avail(&t->t_ld);
		memcpy(d, &v, sizeof(v));
		return EOK;
	}
	return ENOTTY;
}

int
tty_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb)
{
	struct tty *t = (struct tty *)ocb->attr;
	static struct _io_devctl_reply rh;
	static union { struct termios t; struct winsize w; int i; char b[64]; } d;
	uint32_t dcmd = (uint32_t)msg->i.dcmd;
	size_t sz = _DEVCTL_SIZE(dcmd);
	int r;

	if (msg->i.zero != 0 && msg->i.zero != _IO_DEVCTL_BACKGROUND)
		return EINVAL;
	if (msg->i.zero == 0 && changes_tty(dcmd) && tty_background(t, ctp->info.pid))
		return _IO_EBACKGROUND;
	if (dcmd == (uint32_t)DCMD_CHR_TCDRAIN && (r = tty_drain(ctp, ocb)) != EOK)
		return r;			/* queued (or ENOMEM) */
	if (sz > sizeof(d) || msg->i.nbytes < sz)
		return sz > sizeof(d) ? ENOTTY : EINVAL;
	memset(&d, 0, sizeof(d));
	if (dcmd & _DEVCTL_DATA_TO) {
		if (ctp->size < sizeof(msg->i) + sz)
			return EINVAL;		/* the client sent less than the command needs */
		memcpy(&d, msg + 1, sz);
	}
	if ((r = command(ctp, t, (int32_t)dcmd, &d)) != EOK)
		return r;
	tty_serve(t);				/* new settings may let a reader or writer go on */
	memset(&rh, 0, sizeof(rh));
	rh.nbytes = (dcmd & _DEVCTL_DATA_FROM) ? (uint32_t)sz : 0;
	SETIOV(&ctp->iov[0], &rh, sizeof(rh));
	SETIOV(&ctp->iov[1], &d, rh.nbytes);
	_RESMGR_STATUS(ctp, 0);
	return _RESMGR_NPARTS(2);
}
