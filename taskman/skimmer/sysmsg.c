/*
 * taskman/skimmer/sysmsg.c - system services: sysconf, uname, the host
 * name, setting the time of day, shutdown.
 */
#include "tm.h"
#include <abi/time.h>
#include <abi/sysinfo.h>

#define SIGKILL_	9

static char hostname[_SYS_HOSTNAME_MAX + 1] = "qsoe";	/* uname's nodename */

/* Whether the sender m came from has euid 0. */
static int
sender_is_root(const struct tm_msg *m)
{
	const struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);

	return p != NULL && p->pp_uid[1] == 0;
}

void
msg_sysconf(struct tm_msg *m)
{
	const struct _sys_conf *c = m->m_buf;
	struct _sys_conf_reply r;
	struct _sys_info si;

	if (m->m_len != sizeof(*c) || c->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (__kc_SysInfo((long)&si, 0, 0, 0, 0, 0) < 0) {
		tm_error(m->m_rcvid, EIO);	/* (the kernel always answers) */
		return;
	}
	switch (c->sc_name) {
	case _SYS_SC_PAGESIZE:	r.cr_value = TM_PAGE; break;
	case _SYS_SC_ARG_MAX:	r.cr_value = _SPAWN_ARGS_MAX; break;
	case _SYS_SC_CLK_TCK:	r.cr_value = 100; break;
	case _SYS_SC_NPROCESSORS_CONF:	r.cr_value = si.si_ncpus_conf; break;
	case _SYS_SC_NPROCESSORS_ONLN:	r.cr_value = si.si_ncpus_onln; break;
	case _SYS_SC_PHYS_PAGES:	r.cr_value = (int64_t)si.si_total_pages; break;
	case _SYS_SC_AVPHYS_PAGES:	r.cr_value = (int64_t)si.si_free_pages; break;
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
	memcpy(u.un_nodename, hostname, sizeof(hostname));	/* NUL-terminated, 65 bytes */
	strncpy(u.un_release, "0.1.0", sizeof(u.un_release) - 1);
	strncpy(u.un_version, "Skimmer", sizeof(u.un_version) - 1);
	strncpy(u.un_machine, "riscv64", sizeof(u.un_machine) - 1);
	tm_reply(m->m_rcvid, 0, &u, sizeof(u));
}

void
msg_hostname(struct tm_msg *m)
{
	const struct _sys_hostname *h = m->m_buf;
	const char *name = (const char *)(h + 1);

	if (m->m_len < sizeof(*h) || h->subtype != _SYS_HOSTNAME_SET ||
	    m->m_info.srcmsglen != (int64_t)m->m_len || m->m_len - sizeof(*h) != h->hn_len) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (!sender_is_root(m)) {
		tm_error(m->m_rcvid, EPERM);
		return;
	}
	if (h->hn_len == 0 || memchr(name, '\0', h->hn_len) != NULL) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (h->hn_len > _SYS_HOSTNAME_MAX) {
		tm_error(m->m_rcvid, ENAMETOOLONG);
		return;
	}
	memcpy(hostname, name, h->hn_len);
	hostname[h->hn_len] = '\0';
	tm_log("taskman: host name set to %s\n", hostname);
	tm_reply(m->m_rcvid, 0, NULL, 0);
}

void
msg_clock(struct tm_msg *m)
{
	const struct _sys_clock *c = m->m_buf;
	long rc;

	if (m->m_len != sizeof(*c) || c->subtype != _SYS_CLOCK_SET || c->ck_zero != 0 ||
	    c->ck_ns < 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (!sender_is_root(m)) {
		tm_error(m->m_rcvid, EPERM);
		return;
	}
	rc = __kc_ClockTime(CLOCK_REALTIME, (long)&c->ck_ns, 0, 0, 0, 0);
	if (rc < 0) {
		tm_error(m->m_rcvid, (int)-rc);
		return;
	}
	tm_reply(m->m_rcvid, 0, NULL, 0);
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
	if (!sender_is_root(m)) {
		tm_error(m->m_rcvid, EPERM);
		return;
	}
	if (s->subtype == _SYS_SHUTDOWN_REBOOT) {
		long rc = __kc_SysShutdownMode(SYS_SHUTDOWN_MODE_REBOOT, 0, 0, 0, 0, 0);

		if (rc < 0) {
			tm_error(m->m_rcvid, (int)-rc);
			return;
		}
	}
	tm_log("taskman: %s requested by pid %d (%s), status %d\n",
	    s->subtype == _SYS_SHUTDOWN_REBOOT ? "reboot" : "shutdown", p->pp_pid,
	    p->pp_name, s->sd_status);
	tm_reply(m->m_rcvid, 0, NULL, 0);
	shutdown_begin(s->sd_status);
}
