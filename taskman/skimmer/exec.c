/*
 * taskman/skimmer/exec.c - _PROC_EXEC: replace the sender's program, in
 * the same process.  Everything that can fail for the caller's reasons
 * (no such program, not executable, arguments too big) is checked before
 * the point of no return, ThreadExec; after it, the old image is unmapped
 * and the new one loaded as spawn loads one, and the reply starts it.  A
 * program the caller sent (_SPAWN_IMAGE) is copied into taskman before
 * ThreadExec, since the caller's memory that held it goes with the old
 * image.
 */
#include "tm.h"

/* Check the request and the program; 0 with the program, or -errno (the caller goes on). */
static long
exec_check(struct tm_msg *m, struct spawn_req *r, struct pt_proc **pp, struct tm_prog *pg)
{
	long rc = spawnmsg_decode(m->m_buf, m->m_len, r);

	*pp = proctab_find(&tm.t_procs, m->m_info.pid);
	if (rc < 0)
		return rc;
	if ((r->sr_msg->sp_flags & ~(uint32_t)_SPAWN_IMAGE) || r->sr_msg->sp_pgroup || r->sr_nfds)
		return -EINVAL;		/* exec keeps groups and fds as they are */
	if (*pp == NULL || (*pp)->pp_priv == NULL)
		return -EPERM;		/* taskman itself, or not one of ours */
	if (tm.t_shutdown)
		return -EAGAIN;
	return tm_find_program(r, m->m_rcvid, m->m_len, pg);
}

/* Past the point of no return: the new image, or the process's end. */
static void
exec_load(struct tm_msg *m, struct pt_proc *p, const struct tm_prog *pg, const char *name,
    long used)
{
	struct tm_proc *tp = p->pp_priv;
	long rc, sp;

	forget_waiters(p->pp_pid);		/* its other threads are gone */
	slog_proc_gone(p->pp_pid);
	pathtab_detach_pid(&tm.t_paths, p->pp_pid);	/* ... and its channels */
	shmfs_grant_drop(p->pp_pid);		/* its file-object grants: the old image's */
	tm_unmap_all(p->pp_pid, &tp->tp_vm);
	rc = tm_load_elf(p->pp_pid, pg, &tp->tp_vm);
	sp = rc < 0 ? rc : tm_write_stack(p->pp_pid, used, &tp->tp_vm);
	if (sp < 0) {
		tm_log("taskman: exec of %s in pid %d failed late (%ld): ending it\n",
		    name, p->pp_pid, sp);
		__kc_ProcDestroy(p->pp_pid, SIGKILL, 0, 0, 0, 0);
		return;
	}
	strncpy(p->pp_name, name, sizeof(p->pp_name) - 1);
	if (tp->tp_spawn_rcvid) {	/* a spawn parent waiting for fds that exec did not take */
		tm_reply(tp->tp_spawn_rcvid, p->pp_pid, NULL, 0);
		tp->tp_spawn_rcvid = 0;
	}
	tm_reply(m->m_rcvid, sp, NULL, 0);	/* the new program's a0 */
}

void
msg_exec(struct tm_msg *m)
{
	struct tm_prog pg = { 0 };
	struct spawn_req r;
	struct pt_proc *p;
	long rc = exec_check(m, &r, &p, &pg), used = 0;

	if (rc == 0)
		rc = used = tm_build_stack(&r, p, p->pp_ppid, &pg);
	if (rc >= 0)
		rc = __kc_ThreadExec(p->pp_pid, m->m_info.tid, (long)pg.pg_entry,
		    (long)(USER_STACK_TOP - (uint64_t)used), (long)tm_prog_name(r.sr_path), 0);
	if (rc < 0)
		tm_error(m->m_rcvid, (int)-rc);
	else {
		/* For /proc/<pid>/exefile and cmdline; out of memory keeps the old ones. */
		(void)proctab_setexec(p, r.sr_path, r.sr_strings, r.sr_strings_len, r.sr_argc);
		exec_load(m, p, &pg, tm_prog_name(r.sr_path), used);
	}
	tm_prog_free(&pg);
}
