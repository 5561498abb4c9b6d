/*
 * taskman/skimmer/procmsg.c - the process manager's messages: waitpid,
 * ids, groups and sessions, exit reports, and what a death changes.
 */
#include "tm.h"

/* A waitpid whose answer has not come yet. */
struct waiter {
	struct waiter	*w_next;
	long		w_rcvid;
	int		w_pid;		/* who waits */
	int		w_idtype, w_id, w_options;
};

static struct waiter *waiters;

/*
 * Answer a wait with child c's event (proctab_event under options); a
 * zombie is reaped and a stop or continue consumed, unless WNOWAIT.
 */
static void
reply_event(long rcvid, struct pt_proc *c, int options)
{
	int ws = proctab_event(c, options), value;
	struct _proc_wait_reply r = { .wr_pid = c->pp_pid, .wr_status = ws,
	    .wr_uid = c->pp_uid[0] };

	r.wr_code = proctab_cld(ws, &value);
	r.wr_value = value;
	tm_reply(rcvid, 0, &r, sizeof(r));
	if (options & _WAIT_WNOWAIT)
		return;
	if (c->pp_zombie) {
		tm_proc_free(c);
		proctab_reap(&tm.t_procs, c);
	} else {
		c->pp_event = 0;
	}
}

/* Resolve waitpid's "0 = my group" and check the request; 0 or -errno. */
static int
wait_check(const struct _proc_wait *w, size_t len, int *idtype, int *id, const struct pt_proc *me)
{
	if (len != sizeof(*w) || w->subtype != 0 || (w->wt_options & ~_WAIT_OPTIONS_ALL) ||
	    !(w->wt_options & _WAIT_EVENTS))
		return -EINVAL;
	*idtype = w->wt_idtype;
	*id = w->wt_id;
	if (*idtype == _WAIT_P_PGID && *id == 0)
		*id = me->pp_pgid;
	if ((*idtype == _WAIT_P_ALL && *id != 0) || (*idtype != _WAIT_P_ALL && *id <= 0) ||
	    *idtype < _WAIT_P_ALL || *idtype > _WAIT_P_PGID)
		return -EINVAL;
	return 0;
}

void
msg_wait(struct tm_msg *m)
{
	const struct _proc_wait *w = m->m_buf;
	struct pt_proc *me = proctab_find(&tm.t_procs, m->m_info.pid), *z;
	struct waiter *q;
	int idtype, id, any, rc;

	if (me == NULL) {
		tm_error(m->m_rcvid, ESRCH);
		return;
	}
	if ((rc = wait_check(w, m->m_len, &idtype, &id, me)) < 0) {
		tm_error(m->m_rcvid, -rc);
		return;
	}
	z = proctab_wait_match(&tm.t_procs, me->pp_pid, idtype, id, w->wt_options, &any);
	if (z) {
		reply_event(m->m_rcvid, z, w->wt_options);
	} else if (!any) {
		tm_error(m->m_rcvid, ECHILD);
	} else if (w->wt_options & _WAIT_WNOHANG) {
		struct _proc_wait_reply r = { 0 };

		tm_reply(m->m_rcvid, 0, &r, sizeof(r));
	} else if ((q = malloc(sizeof(*q))) == NULL) {
		tm_error(m->m_rcvid, ENOMEM);
	} else {
		*q = (struct waiter){ waiters, m->m_rcvid, me->pp_pid, idtype, id, w->wt_options };
		waiters = q;
	}
}

/*
 * Something changed for parent's children: answer its waiters that now
 * have an event, or no matching child left (ECHILD).
 */
static void
wake_waiters(int parent)
{
	for (struct waiter **pp = &waiters; *pp;) {
		struct waiter *w = *pp;
		struct pt_proc *z;
		int any;

		if (w->w_pid != parent) {
			pp = &w->w_next;
			continue;
		}
		z = proctab_wait_match(&tm.t_procs, parent, w->w_idtype, w->w_id, w->w_options, &any);
		if (z == NULL && any) {
			pp = &w->w_next;
			continue;
		}
		*pp = w->w_next;
		if (z)
			reply_event(w->w_rcvid, z, w->w_options);
		else
			tm_error(w->w_rcvid, ECHILD);
		free(w);
	}
}

void
forget_waiters(int pid)
{
	for (struct waiter **pp = &waiters; *pp;) {
		struct waiter *w = *pp;

		if (w->w_pid == pid) {
			*pp = w->w_next;
			free(w);
		} else {
			pp = &w->w_next;
		}
	}
}

void
wait_unblock(long rcvid)
{
	for (struct waiter **pp = &waiters; *pp; pp = &(*pp)->w_next) {
		struct waiter *w = *pp;

		if (w->w_rcvid == rcvid) {
			*pp = w->w_next;
			tm_error(rcvid, EINTR);
			free(w);
			return;
		}
	}
}

/* Reap the zombies taskman adopted (nobody else will). */
static void
reap_orphans(void)
{
	for (struct pt_proc *p = tm.t_procs.pt_procs, *next; p; p = next) {
		next = p->pp_next;
		if (p->pp_zombie && p->pp_ppid == SYSMGR_PID) {
			startup_child_died(p->pp_pid, p->pp_wstatus);
			tm_proc_free(p);
			proctab_reap(&tm.t_procs, p);
		}
	}
}

/* Tell parent (unless taskman) about child's event with SIGCHLD. */
static void
send_sigchld(int parent, int child, int wstatus)
{
	int value, code = proctab_cld(wstatus, &value);

	if (parent == SYSMGR_PID || tm.t_shutdown)
		return;
	__kc_SignalKill(0, parent, 0, SIGCHLD, code,
	    (long)((uint64_t)(uint32_t)child << 32 | (uint32_t)value));
}

/*
 * A death worth a console line: a program fault (its signal is one a
 * fault raises, or abort's), not a signal someone sent on purpose (^C,
 * kill, SIGPIPE), which the shell reports if it wants to.
 */
static int
fault_signal(int sig)
{
	return sig == SIGILL || sig == SIGTRAP || sig == SIGABRT || sig == SIGBUS ||
	    sig == SIGFPE || sig == SIGSEGV || sig == SIGSYS;
}

/*
 * Does parent keep no zombies (POSIX: SIGCHLD ignored, or SA_NOCLDWAIT)?
 * taskman, the process manager, may read another process's action.
 */
static int
no_zombies(int parent)
{
	struct __abi_sigaction a;

	if (parent == SYSMGR_PID || tm.t_shutdown ||
	    __kc_SignalAction(parent, 0, SIGCHLD, 0, (long)&a, 0) < 0)
		return 0;
	return a.asa_handler == __ABI_SIG_IGN || (a.asa_flags & SA_NOCLDWAIT);
}

/*
 * POSIX: groups that pid's exit orphans and that have a stopped member
 * get SIGHUP, then SIGCONT (no shell is left to continue them).  Call
 * before proctab_exit; sends after it.
 */
#define ORPHANS_MAX	16

static void
hangup_orphans(const int *groups, int n)
{
	for (int i = 0; i < n && i < ORPHANS_MAX && !tm.t_shutdown; i++) {
		__kc_SignalKill(0, -groups[i], 0, SIGHUP, 0, 0);
		__kc_SignalKill(0, -groups[i], 0, SIGCONT, 0, 0);
	}
	if (n > ORPHANS_MAX)
		tm_log("taskman: %d orphaned stopped groups, %d sent SIGHUP\n", n, ORPHANS_MAX);
}

/* A process's end as forget, wake and SIGCHLD see it. */
void
proc_died(int pid, int wstatus)
{
	struct pt_proc *p = proctab_find(&tm.t_procs, pid);
	struct tm_proc *tp = p ? p->pp_priv : NULL;
	int parent, orphans[ORPHANS_MAX], norphans;

	if (p == NULL || p->pp_zombie)
		return;		/* a spawn that failed half-way, or already known */
	pathtab_detach_pid(&tm.t_paths, pid);
	bootfs_proc_gone(pid);
	shmfs_proc_gone(pid);
	forget_waiters(pid);
	slog_proc_gone(pid);
	if (tp && tp->tp_spawn_rcvid) {
		tm_reply(tp->tp_spawn_rcvid, pid, NULL, 0);	/* it ran, and ended */
		tp->tp_spawn_rcvid = 0;
	}
	tm_proc_free(p);
	shmfs_file_gc();		/* the file objects only it mapped */
	parent = p->pp_ppid;
	norphans = proctab_exit_orphans(&tm.t_procs, pid, orphans, ORPHANS_MAX);
	proctab_exit(&tm.t_procs, pid, wstatus);
	hangup_orphans(orphans, norphans);
	if (fault_signal(wstatus & 0x7f) && !tm.t_shutdown)
		tm_log("taskman: pid %d (%s) killed by signal %d\n", pid, p->pp_name,
		    wstatus & 0x7f);
	send_sigchld(parent, pid, wstatus);
	if (no_zombies(parent))
		proctab_reap(&tm.t_procs, p);	/* waits find it gone: ECHILD once none is left */
	wake_waiters(parent);
	reap_orphans();
}

/* The kernel's report of a dead process's CPU time (just before its death pulse). */
void
proc_times(int pid, uint32_t ms)
{
	struct pt_proc *p = proctab_find(&tm.t_procs, pid);

	if (p != NULL)
		p->pp_cpu_ms = ms;
}

/* _PROC_TIMES: the CPU time of the sender's waited-for children. */
void
msg_times(struct tm_msg *m)
{
	const struct _msg_hdr *h = m->m_buf;
	struct pt_proc *me = proctab_find(&tm.t_procs, m->m_info.pid);
	struct _proc_times_reply r;

	if (me == NULL) {
		tm_error(m->m_rcvid, ESRCH);
		return;
	}
	if (m->m_len != sizeof(*h) || h->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	r.tr_children_ms = me->pp_cchild_ms;
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

/* _PROC_UMASK: get or set the sender's file mode creation mask; the old one. */
void
msg_umask(struct tm_msg *m)
{
	const struct _proc_umask *u = m->m_buf;
	struct pt_proc *me = proctab_find(&tm.t_procs, m->m_info.pid);
	unsigned old;

	if (me == NULL) {
		tm_error(m->m_rcvid, ESRCH);
		return;
	}
	if (m->m_len != sizeof(*u) || (u->subtype != _PROC_UMASK_GET &&
	    u->subtype != _PROC_UMASK_SET) || (u->um_mask & ~0777u) ||
	    (u->subtype == _PROC_UMASK_GET && u->um_mask != 0)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	old = me->pp_umask;
	if (u->subtype == _PROC_UMASK_SET)
		me->pp_umask = u->um_mask;
	tm_reply(m->m_rcvid, (long)old, NULL, 0);
}

/* _PROC_CWD: set the sender's working directory (what its children and exec inherit). */
void
msg_cwd(struct tm_msg *m)
{
	const struct _proc_cwd *c = m->m_buf;
	struct pt_proc *me = proctab_find(&tm.t_procs, m->m_info.pid);
	int rc;

	if (me == NULL) {
		tm_error(m->m_rcvid, ESRCH);
		return;
	}
	if (m->m_len < sizeof(*c) || c->subtype != _PROC_CWD_SET ||
	    c->cw_len != m->m_len - sizeof(*c)) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	rc = proctab_setcwd(me, (const char *)(c + 1), c->cw_len);
	if (rc < 0)
		tm_error(m->m_rcvid, -rc);
	else
		tm_reply(m->m_rcvid, 0, NULL, 0);
}

/* _PROC_RLIMIT: prlimit for the sender (proctab_rlimit's rules). */
void
msg_rlimit(struct tm_msg *m)
{
	const struct _proc_rlimit *q = m->m_buf;
	struct _proc_rlimit_reply r;
	uint64_t old[2];
	int rc;

	if (m->m_len != sizeof(*q) || q->subtype != 0 ||
	    (!(q->rl_flags & _RLIMIT_SET) && (q->rl_cur != 0 || q->rl_max != 0))) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	rc = proctab_rlimit(&tm.t_procs, m->m_info.pid, q->rl_pid, q->rl_resource, q->rl_flags,
	    q->rl_cur, q->rl_max, old);
	if (rc < 0) {
		tm_error(m->m_rcvid, -rc);
		return;
	}
	r.rr_cur = old[0];
	r.rr_max = old[1];
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

/* _PROC_PIDINFO: the first process with a pid >= pi_pid. */
void
msg_pidinfo(struct tm_msg *m)
{
	const struct _proc_pidinfo *q = m->m_buf;
	struct _proc_pidinfo_reply r;
	const struct pt_proc *best = NULL;
	const struct tm_proc *tp;

	if (m->m_len != sizeof(*q) || q->subtype != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	for (const struct pt_proc *p = tm.t_procs.pt_procs; p; p = p->pp_next)
		if (p->pp_pid >= q->pi_pid && (best == NULL || p->pp_pid < best->pp_pid))
			best = p;
	if (best == NULL) {
		tm_error(m->m_rcvid, ESRCH);
		return;
	}
	tp = best->pp_priv;
	memset(&r, 0, sizeof(r));
	r.pr_pid = best->pp_pid;
	r.pr_ppid = best->pp_ppid;
	r.pr_pgid = best->pp_pgid;
	r.pr_sid = best->pp_sid;
	r.pr_uid = best->pp_uid[0];
	r.pr_gid = best->pp_gid[0];
	r.pr_flags = best->pp_zombie ? _PIDINFO_ZOMBIE : 0;
	r.pr_vm_bytes = tp ? tp->tp_vm.vm_bytes : 0;
	r.pr_cpu_ms = best->pp_zombie ? best->pp_cpu_ms : 0;
	memcpy(r.pr_name, best->pp_name, sizeof(r.pr_name) - 1);
	tm_reply(m->m_rcvid, 0, &r, sizeof(r));
}

void
proc_stopcont(int pid, int wstatus)
{
	struct pt_proc *p = proctab_stopcont(&tm.t_procs, pid, wstatus);

	if (p == NULL)
		return;
	send_sigchld(p->pp_ppid, pid, wstatus);
	wake_waiters(p->pp_ppid);
}

static void
reply_ids(struct tm_msg *m, const struct pt_proc *p)
{
	struct {
		struct _proc_ids	ids;
		int32_t			groups[_PROC_NGROUPS_MAX];
	} r = { { p->pp_pid, p->pp_ppid, p->pp_pgid, p->pp_sid, p->pp_uid[0], p->pp_uid[1],
	    p->pp_uid[2], p->pp_gid[0], p->pp_gid[1], p->pp_gid[2] }, { 0 } };

	memcpy(r.groups, p->pp_groups, (size_t)p->pp_ngroups * sizeof(r.groups[0]));
	tm_reply(m->m_rcvid, p->pp_ngroups, &r,
	    sizeof(r.ids) + (size_t)p->pp_ngroups * sizeof(r.groups[0]));
}

/* The ids array a set*id subtype means, for proctab_setids. */
static int
cred_request(const struct _proc_getsetid *g, const struct pt_proc *me, int ids[3])
{
	int root = me->pp_uid[1] == 0;

	ids[0] = ids[1] = ids[2] = -1;
	switch (g->subtype) {
	case _PROC_ID_SETUID:
	case _PROC_ID_SETGID:
		if (root)
			ids[0] = ids[2] = g->gi_id[0];
		ids[1] = g->gi_id[0];
		break;
	case _PROC_ID_SETREUID:
	case _PROC_ID_SETREGID:
		ids[0] = g->gi_id[0];
		ids[1] = g->gi_id[1];
		break;
	default:
		ids[0] = g->gi_id[0];
		ids[1] = g->gi_id[1];
		ids[2] = g->gi_id[2];
	}
	return g->subtype == _PROC_ID_SETGID || g->subtype == _PROC_ID_SETREGID ||
	    g->subtype == _PROC_ID_SETRESGID;
}

void
msg_getsetid(struct tm_msg *m)
{
	const struct _proc_getsetid *g = m->m_buf;
	struct pt_proc *me = proctab_find(&tm.t_procs, m->m_info.pid), *p;
	int ids[3], rc;

	if (m->m_len < sizeof(*g) || g->gi_zero != 0 || me == NULL ||
	    g->subtype < _PROC_ID_GETIDS || g->subtype > _PROC_ID_ORPHANED ||
	    (g->subtype != _PROC_ID_SETGROUPS && m->m_len != sizeof(*g))) {
		tm_error(m->m_rcvid, me ? EINVAL : ESRCH);
		return;
	}
	switch (g->subtype) {
	case _PROC_ID_GETGROUPS:
		if (g->gi_pid != 0 || g->gi_id[0] != 0) {
			tm_error(m->m_rcvid, EINVAL);
			return;
		}
		tm_reply(m->m_rcvid, me->pp_ngroups, me->pp_groups,
		    (size_t)me->pp_ngroups * sizeof(me->pp_groups[0]));
		return;
	case _PROC_ID_SETGROUPS:
		if (g->gi_pid != 0 || g->gi_id[0] < 0 || g->gi_id[0] > _PROC_NGROUPS_MAX ||
		    m->m_len != sizeof(*g) + (size_t)g->gi_id[0] * sizeof(int32_t))
			rc = -EINVAL;
		else if (me->pp_uid[1] != 0)
			rc = -EPERM;
		else {
			memcpy(me->pp_groups, g + 1, (size_t)g->gi_id[0] * sizeof(int32_t));
			me->pp_ngroups = g->gi_id[0];
			rc = 0;
		}
		break;
	case _PROC_ID_ORPHANED:
		rc = g->gi_pid != 0 || g->gi_id[0] != 0 ? -EINVAL :
		    proctab_pgrp_orphaned(&tm.t_procs, me->pp_pgid);
		break;
	case _PROC_ID_GETIDS:
		p = g->gi_pid ? proctab_find(&tm.t_procs, g->gi_pid) : me;
		if (p == NULL || p->pp_zombie || g->gi_pid < 0)
			tm_error(m->m_rcvid, ESRCH);
		else
			reply_ids(m, p);
		return;
	case _PROC_ID_SETSID:
		rc = proctab_setsid(&tm.t_procs, me->pp_pid);
		if (rc > 0)
			tm_set_group(me);
		break;
	case _PROC_ID_SETPGID:
		rc = proctab_setpgid(&tm.t_procs, me->pp_pid, g->gi_pid, g->gi_id[0]);
		p = proctab_find(&tm.t_procs, g->gi_pid ? g->gi_pid : me->pp_pid);
		if (rc == 0 && p)
			tm_set_group(p);
		break;
	default:
		rc = cred_request(g, me, ids);
		rc = proctab_setids(me, rc, ids);
		if (rc == 0)
			tm_set_group(me);	/* the kernel's copy of the uids (kill's check) */
	}
	if (rc < 0)
		tm_error(m->m_rcvid, -rc);
	else
		tm_reply(m->m_rcvid, rc, NULL, 0);
}
