/*
 * taskman/skimmer/fork.c - _PROC_FORK: a new process that is a copy of
 * the sender, built from the kernel's two mechanisms: MemClone (its whole
 * address space, copy-on-write) and ThreadClone (the sending thread,
 * which is REPLY-blocked on us, returning 0 from its MsgSend in the
 * child).  sys/procmsg.h says what the child's libc must redo.
 */
#include "tm.h"

/* The child's record: a copy of the parent's region map and abilities. */
static struct tm_proc *
child_priv(const struct tm_proc *ptp)
{
	struct tm_proc *tp = calloc(1, sizeof(*tp));

	if (tp == NULL)
		return NULL;
	if (vmmap_copy(&tp->tp_vm, &ptp->tp_vm) < 0) {
		free(tp);
		return NULL;
	}
	tp->tp_abilities = ptp->tp_abilities;	/* never more than the parent's */
	return tp;
}

/*
 * Make pid a copy of parent p with tp as its record: memory, table entry
 * (ids, group, session, credentials), group in the kernel, and the thread
 * last, once everything it may ask about exists.  0 or -errno; on an
 * error the entry is gone again (the caller destroys the process).
 */
static long
fork_into(long pid, struct pt_proc *p, struct tm_proc *tp, int tid)
{
	struct pt_proc *c;
	long rc = __kc_MemClone(pid, p->pp_pid, 0, (long)USER_SPACE_TOP, 0, 0);

	if (rc == 0)
		rc = tm_pager_attach(pid);
	if (rc == 0)
		rc = tm_lazy_mark(pid, &tp->tp_vm);	/* what the parent never touched */
	if (rc < 0)
		return rc;
	c = proctab_add(&tm.t_procs, (int)pid, p->pp_pid, p->pp_name);
	if (c == NULL)
		return -ENOMEM;
	c->pp_priv = tp;
	tm_set_group(c);
	rc = __kc_ThreadClone(pid, p->pp_pid, tid, 0, 0, 0);
	if (rc < 0) {
		c->pp_priv = NULL;
		proctab_reap(&tm.t_procs, c);
	}
	return rc < 0 ? rc : 0;
}

void
msg_fork(struct tm_msg *m)
{
	const struct _proc_fork *f = m->m_buf;
	struct pt_proc *p = proctab_find(&tm.t_procs, m->m_info.pid);
	struct tm_proc *ptp = p ? p->pp_priv : NULL, *tp;
	long pid, rc;

	if (m->m_len != sizeof(*f) || f->subtype != 0 || (f->fk_flags & ~(uint32_t)_FORK_FLAGS_ALL) ||
	    f->fk_zero != 0) {
		tm_error(m->m_rcvid, EINVAL);
		return;
	}
	if (ptp == NULL || tm.t_shutdown || !proctab_nproc_ok(&tm.t_procs, p)) {
		tm_error(m->m_rcvid, ptp ? EAGAIN : EPERM);	/* EPERM: not one of ours */
		return;
	}
	if ((tp = child_priv(ptp)) == NULL) {
		tm_error(m->m_rcvid, ENOMEM);
		return;
	}
	pid = __kc_ProcCreate((long)p->pp_name, tp->tp_abilities, 0, 0, 0, 0);
	rc = pid < 0 ? pid : fork_into(pid, p, tp, m->m_info.tid);
	if (rc < 0) {
		if (pid > 0)
			__kc_ProcDestroy(pid, SIGKILL, 0, 0, 0, 0);	/* its death pulse finds no entry */
		vmmap_fini(&tp->tp_vm);
		free(tp);
		tm_error(m->m_rcvid, rc == -EEXIST ? ENOMEM : (int)-rc);
		return;
	}
	if (f->fk_flags & _FORK_WAITFDS)
		tp->tp_spawn_rcvid = m->m_rcvid;	/* msg_spawn_done or proc_died answers */
	else
		tm_reply(m->m_rcvid, pid, NULL, 0);
}
