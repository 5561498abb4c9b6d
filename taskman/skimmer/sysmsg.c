/*
 * taskman/skimmer/sysmsg.c - system services: sysconf, uname, shutdown.
 */
#include "tm.h"

#define SIGKILL_	9

void
msg_sysconf(struct tm_msg *m)
{
	const struct _sys_conf *c = m->m_buf;
	struct _sys_conf_reply r;

	if (m->m_len != sizeof(*c) || c->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	switch (c->sc_name) {
	case _SYS_SC_PAGESIZE:	r.cr_value = TM_PAGE; break;
	case _SYS_SC_ARG_MAX:	r.cr_value = _SPAWN_ARGS_MAX; break;
	case _SYS_SC_CLK_TCK:	r.cr_value = 100; break;
	default:		tm_error(m->m_rcvid, EINVAL); return;	/* not known here */
	}
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

void
msg_uname(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	struct _sys_uname_reply u;

	if (m->m_len != sizeof(*h) || h->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	memset(&u, 0, sizeof(u));
	strncpy(u.un_sysname, "QSOE", sizeof(u.un_sysname) - 1);
	strncpy(u.un_nodename, "qsoe", sizeof(u.un_nodename) - 1);
	strncpy(u.un_release, "0.1.0", sizeof(u.un_release) - 1);
	strncpy(u.un_version, "Skimmer", sizeof(u.un_version) - 1);
	strncpy(u.un_machine, "riscv64", sizeof(u.un_machine) - 1);
	tm_reply(m->m_rcvid, 0, &u, sizeof(u));
}

/*
 * End every other process; the loop returns (and taskman exits with
 * status) once the last death pulse has come.
 */
void
shutdown_begin(int status)
{
	if (tm.t_shutdown)
		return;
	tm.t_shutdown = 1;
	tm.t_shutdown_status = status;
	for (struct pt_proc *p = tm.t_procs.pt_procs; p; p = p->pp_next)
		if (!p->pp_zombie && p->pp_pid != SYSMGR_PID)
			__kc_ProcDestroy(p->pp_pid, SIGKILL_, 0, 0, 0, 0);
}

/*
 * During a shutdown, every 100 ms: a process the kernel no longer knows
 * (ProcDestroy says ESRCH) is dead even if its death pulse has not come,
 * so a lost pulse cannot keep the machine from powering off.
 */
void
shutdown_sweep(void)
{
	struct pt_proc *p, *next;

	for (p = tm.t_procs.pt_procs; p; p = next) {
		next = p->pp_next;
		if (!p->pp_zombie && p->pp_pid != SYSMGR_PID &&
		    __kc_ProcDestroy(p->pp_pid, SIGKILL_, 0, 0, 0, 0) == -ESRCH) {
			proc_died(p->pp_pid, SIGKILL_);
			next = tm.t_procs.pt_procs;	/* proc_died may have reaped several */
		}
	}
}

void
msg_shutdown(struct tm_msg *m)
{
	const struct _sys_shutdown *s = m->m_buf;
	struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);

	if (m->m_len != sizeof(*s) || s->sd_status < 0 || s->sd_status > 255 ||
	    (s->subtype != _SYS_SHUTDOWN_POWEROFF && s->subtype != _SYS_SHUTDOWN_REBOOT)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (p == NULL || p->pp_uid[1] != 0) {
		tm_error(m->m_rcvid, EPERM);
		return;
	}
	if (s->subtype == _SYS_SHUTDOWN_REBOOT) {
		tm_error(m->m_rcvid, ENOSYS);
		return;
	}
	tm_log("taskman: shutdown requested by pid %d (%s), status %d\n", p->pp_pid,
	    p->pp_name, s->sd_status);
	tm_reply(m->m_rcvid, 0, NULL, 0);
	shutdown_begin(s->sd_status);
}
