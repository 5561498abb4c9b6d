/*
 * taskman/common/proctab.c - processes, zombies, groups and sessions.
 * See proctab.h.  A list: lookups are O(n), which is fine for the tens of
 * processes of a small system; a hash can replace it behind these calls.
 */
#include "proctab.h"
#include <sys/procmsg.h>

#include <abi/errno.h>
#include <stdlib.h>
#include <string.h>

void
proctab_init(struct proctab *t)
{
	memset(t, 0, sizeof(*t));
}

static void
proc_free(struct pt_proc *p)
{
	free(p->pp_cwd);
	free(p->pp_exefile);
	free(p->pp_cmdline);
	free(p);
}

void
proctab_fini(struct proctab *t)
{
	while (t->pt_procs) {
		struct pt_proc *p = t->pt_procs;

		t->pt_procs = p->pp_next;
		proc_free(p);
	}
	t->pt_count = 0;
}

struct pt_proc *
proctab_find(const struct proctab *t, int pid)
{
	for (struct pt_proc *p = t->pt_procs; p; p = p->pp_next)
		if (p->pp_pid == pid)
			return p;
	return NULL;
}

/* The limits of a process without a parent. */
static void
rlimit_defaults(struct pt_proc *p)
{
	for (int i = 0; i < _RLIMIT_NLIMITS; i++)
		p->pp_rlim[i][0] = p->pp_rlim[i][1] = _RLIMIT_INFINITY;
	p->pp_rlim[_RLIMIT_STACK][0] = PROCTAB_STACK_DEFAULT;
	p->pp_rlim[_RLIMIT_NOFILE][0] = p->pp_rlim[_RLIMIT_NOFILE][1] = PROCTAB_NOFILE_DEFAULT;
	p->pp_rlim[_RLIMIT_CORE][0] = 0;	/* no core dumps exist */
}

struct pt_proc *
proctab_add(struct proctab *t, int pid, int ppid, const char *name)
{
	struct pt_proc *parent = ppid ? proctab_find(t, ppid) : NULL, *p;

	if (pid <= 0 || proctab_find(t, pid) || (ppid && (parent == NULL || parent->pp_zombie)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->pp_pid = pid;
	p->pp_ppid = ppid;
	p->pp_pgid = parent ? parent->pp_pgid : pid;
	p->pp_sid = parent ? parent->pp_sid : pid;
	p->pp_umask = PROCTAB_UMASK_DEFAULT;
	rlimit_defaults(p);
	if (parent) {
		memcpy(p->pp_rlim, parent->pp_rlim, sizeof(p->pp_rlim));
		memcpy(p->pp_uid, parent->pp_uid, sizeof(p->pp_uid));
		memcpy(p->pp_gid, parent->pp_gid, sizeof(p->pp_gid));
		p->pp_ngroups = parent->pp_ngroups;
		memcpy(p->pp_groups, parent->pp_groups, sizeof(p->pp_groups));
		p->pp_umask = parent->pp_umask;
		if ((parent->pp_cwd && (p->pp_cwd = strdup(parent->pp_cwd)) == NULL) ||
		    proctab_setexec(p, parent->pp_exefile, parent->pp_cmdline,
		    parent->pp_cmdline_len, UINT32_MAX) < 0) {
			proc_free(p);
			return NULL;
		}
	}
	strncpy(p->pp_name, name ? name : "", sizeof(p->pp_name) - 1);
	p->pp_next = t->pt_procs;
	t->pt_procs = p;
	t->pt_count++;
	return p;
}

const char *
proctab_cwd(const struct pt_proc *p)
{
	return p->pp_cwd ? p->pp_cwd : "/";
}

int
proctab_setexec(struct pt_proc *p, const char *path, const char *argv, size_t len,
    uint32_t argc)
{
	char *exe = path ? strdup(path) : NULL, *cmd = NULL;
	size_t n = 0;

	/* The strings' bytes: argc of them, within len, whole ones up to the cap. */
	for (uint32_t i = 0; i < argc && argv && n < len; i++) {
		size_t s = strnlen(argv + n, len - n) + 1;

		if (n + s > PROCTAB_CMDLINE_MAX || n + s > len)
			break;
		n += s;
	}
	if ((path && exe == NULL) || (n && (cmd = malloc(n)) == NULL)) {
		free(exe);
		return -ENOMEM;
	}
	if (n)
		memcpy(cmd, argv, n);
	free(p->pp_exefile);
	free(p->pp_cmdline);
	p->pp_exefile = exe;
	p->pp_cmdline = cmd;
	p->pp_cmdline_len = n;
	return 0;
}

int
proctab_setcwd(struct pt_proc *p, const char *path, size_t len)
{
	char *s;

	if (len == 0 || len >= _PROC_CWD_MAX || path[0] != '/' || memchr(path, 0, len))
		return -EINVAL;
	if ((s = malloc(len + 1)) == NULL)
		return -ENOMEM;
	memcpy(s, path, len);
	s[len] = 0;
	free(p->pp_cwd);
	p->pp_cwd = s;
	return 0;
}

struct pt_proc *
proctab_exit(struct proctab *t, int pid, int wstatus)
{
	struct pt_proc *p = proctab_find(t, pid);

	if (p == NULL || p->pp_zombie)
		return NULL;
	p->pp_zombie = 1;
	p->pp_wstatus = wstatus;
	p->pp_event = 0;
	for (struct pt_proc *c = t->pt_procs; c; c = c->pp_next)
		if (c->pp_ppid == pid)
			c->pp_ppid = PROCTAB_MGR_PID;
	return p;
}

/* Linux's encoding: stopped is sig << 8 | 0x7f, continued 0xffff. */
static int
is_stopped(int ws)
{
	return (ws & 0xff) == 0x7f && ws != 0xffff;
}

struct pt_proc *
proctab_stopcont(struct proctab *t, int pid, int wstatus)
{
	struct pt_proc *p = proctab_find(t, pid);

	if (p == NULL || p->pp_zombie || !(is_stopped(wstatus) || wstatus == 0xffff))
		return NULL;
	p->pp_event = wstatus;
	p->pp_stopped = wstatus != 0xffff;
	return p;
}

/*
 * Would group pgid be orphaned without process gone (0: as it is)?  A
 * member whose parent is gone is taskman's then: outside every session.
 */
static int
orphaned_without(const struct proctab *t, int pgid, int gone)
{
	int members = 0;

	for (const struct pt_proc *c = t->pt_procs; c; c = c->pp_next) {
		const struct pt_proc *par;

		if (c->pp_zombie || c->pp_pgid != pgid || c->pp_pid == gone)
			continue;
		members++;
		if (c->pp_ppid == gone || (par = proctab_find(t, c->pp_ppid)) == NULL ||
		    par->pp_zombie)
			continue;
		if (par->pp_pgid != pgid && par->pp_sid == c->pp_sid)
			return 0;	/* a parent that can continue it */
	}
	return members > 0;
}

int
proctab_pgrp_orphaned(const struct proctab *t, int pgid)
{
	return pgid > 0 && orphaned_without(t, pgid, 0);
}

static int
has_stopped(const struct proctab *t, int pgid, int gone)
{
	for (const struct pt_proc *c = t->pt_procs; c; c = c->pp_next)
		if (!c->pp_zombie && c->pp_pgid == pgid && c->pp_pid != gone && c->pp_stopped)
			return 1;
	return 0;
}

/* Add group g to the n groups found so far if its exit orphans it, stopped. */
static int
exit_orphan(const struct proctab *t, int pid, int g, int *groups, int n, int found)
{
	for (int i = 0; i < found && i < n; i++)
		if (groups[i] == g)
			return found;		/* counted already */
	if (orphaned_without(t, g, 0) || !orphaned_without(t, g, pid) || !has_stopped(t, g, pid))
		return found;
	if (found < n)
		groups[found] = g;
	return found + 1;
}

int
proctab_exit_orphans(const struct proctab *t, int pid, int *groups, int n)
{
	const struct pt_proc *p = proctab_find(t, pid);
	int found = 0;

	if (p == NULL || p->pp_zombie)
		return 0;
	found = exit_orphan(t, pid, p->pp_pgid, groups, n, found);
	for (const struct pt_proc *c = t->pt_procs; c; c = c->pp_next)
		if (!c->pp_zombie && c->pp_ppid == pid)
			found = exit_orphan(t, pid, c->pp_pgid, groups, n, found);
	return found;
}

int
proctab_cld(int ws, int *value)
{
	if (ws == 0xffff) {
		*value = 18;			/* SIGCONT */
		return _WAIT_CLD_CONTINUED;
	}
	if (is_stopped(ws)) {
		*value = (ws >> 8) & 0xff;
		return _WAIT_CLD_STOPPED;
	}
	if (ws & 0x7f) {
		*value = ws & 0x7f;
		return _WAIT_CLD_KILLED;
	}
	*value = (ws >> 8) & 0xff;
	return _WAIT_CLD_EXITED;
}

int
proctab_event(const struct pt_proc *p, int options)
{
	if (p->pp_zombie)
		return (options & _WAIT_WEXITED) ? p->pp_wstatus : -1;
	if (p->pp_event == 0)
		return -1;
	if (p->pp_event == 0xffff)
		return (options & _WAIT_WCONTINUED) ? p->pp_event : -1;
	return (options & _WAIT_WUNTRACED) ? p->pp_event : -1;
}

void
proctab_reap(struct proctab *t, struct pt_proc *z)
{
	struct pt_proc *parent = proctab_find(t, z->pp_ppid);

	if (parent != NULL)		/* getrusage(RUSAGE_CHILDREN) counts it now */
		parent->pp_cchild_ms += z->pp_cpu_ms + z->pp_cchild_ms;
	for (struct pt_proc **pp = &t->pt_procs; *pp; pp = &(*pp)->pp_next) {
		if (*pp == z) {
			*pp = z->pp_next;
			proc_free(z);
			t->pt_count--;
			return;
		}
	}
}

static int
wait_matches(const struct pt_proc *c, int idtype, int id)
{
	return idtype == _WAIT_P_ALL || (idtype == _WAIT_P_PID && c->pp_pid == id) ||
	    (idtype == _WAIT_P_PGID && c->pp_pgid == id);
}

struct pt_proc *
proctab_wait_match(const struct proctab *t, int parent, int idtype, int id, int options,
    int *any_child)
{
	struct pt_proc *found = NULL;

	*any_child = 0;
	for (struct pt_proc *c = t->pt_procs; c; c = c->pp_next) {
		if (c->pp_ppid != parent || c->pp_pid == parent || !wait_matches(c, idtype, id))
			continue;
		*any_child = 1;
		if (proctab_event(c, options) != -1)
			found = c;	/* the list is newest first: keep the oldest */
	}
	return found;
}

/* Is any process (live or zombie) in group pgid, other than skip? */
static const struct pt_proc *
group_member(const struct proctab *t, int pgid, const struct pt_proc *skip)
{
	for (const struct pt_proc *c = t->pt_procs; c; c = c->pp_next)
		if (c != skip && c->pp_pgid == pgid)
			return c;
	return NULL;
}

int
proctab_setsid(struct proctab *t, int pid)
{
	struct pt_proc *p = proctab_find(t, pid);

	if (p == NULL || p->pp_zombie)
		return -ESRCH;
	if (p->pp_pgid == pid || group_member(t, pid, p))
		return -EPERM;		/* a group leader, or its id names a group */
	p->pp_sid = p->pp_pgid = pid;
	return pid;
}

int
proctab_setpgid(struct proctab *t, int caller, int pid, int pgid)
{
	struct pt_proc *c = proctab_find(t, caller), *p;
	const struct pt_proc *m;

	if (pid < 0 || pgid < 0)
		return -EINVAL;
	if (pid == 0)
		pid = caller;
	if (pgid == 0)
		pgid = pid;
	p = proctab_find(t, pid);
	if (c == NULL || p == NULL || p->pp_zombie || (p != c && p->pp_ppid != caller))
		return -ESRCH;
	if (p->pp_sid != c->pp_sid || p->pp_sid == p->pp_pid)
		return -EPERM;		/* other session, or a session leader */
	if (pgid != pid && ((m = group_member(t, pgid, NULL)) == NULL || m->pp_sid != p->pp_sid))
		return -EPERM;		/* no such group in this session */
	p->pp_pgid = pgid;
	return 0;
}

int
proctab_setids(struct pt_proc *p, int which, const int ids[3])
{
	int *cur = which ? p->pp_gid : p->pp_uid;

	if (which != 0 && which != 1)
		return -EINVAL;
	for (int i = 0; i < 3; i++) {
		if (ids[i] < -1)
			return -EINVAL;
		if (ids[i] != -1 && p->pp_uid[1] != 0 &&
		    ids[i] != cur[0] && ids[i] != cur[1] && ids[i] != cur[2])
			return -EPERM;
	}
	for (int i = 0; i < 3; i++)
		if (ids[i] != -1)
			cur[i] = ids[i];
	return 0;
}

int
proctab_live_count(const struct proctab *t)
{
	int n = 0;

	for (const struct pt_proc *p = t->pt_procs; p; p = p->pp_next)
		if (!p->pp_zombie && p->pp_pid != PROCTAB_MGR_PID)
			n++;
	return n;
}

int
proctab_rlimit(struct proctab *t, int caller, int pid, int res, unsigned flags,
    uint64_t cur, uint64_t max, uint64_t old[2])
{
	const struct pt_proc *me = proctab_find(t, caller);
	struct pt_proc *p = pid ? proctab_find(t, pid) : (struct pt_proc *)me;
	int root = me != NULL && me->pp_uid[1] == 0;

	if (res < 0 || res >= _RLIMIT_NLIMITS || (flags & ~(unsigned)_RLIMIT_SET) || pid < 0 ||
	    ((flags & _RLIMIT_SET) && cur > max))
		return -EINVAL;
	if (me == NULL || p == NULL || p->pp_zombie)
		return -ESRCH;
	if (p != me && !root && (p->pp_uid[0] != me->pp_uid[0] ||
	    p->pp_uid[1] != me->pp_uid[0] || p->pp_uid[2] != me->pp_uid[0]))
		return -EPERM;
	if ((flags & _RLIMIT_SET) && max > p->pp_rlim[res][1] && !root)
		return -EPERM;
	old[0] = p->pp_rlim[res][0];
	old[1] = p->pp_rlim[res][1];
	if (flags & _RLIMIT_SET) {
		p->pp_rlim[res][0] = cur;
		p->pp_rlim[res][1] = max;
	}
	return 0;
}

int
proctab_nproc_ok(const struct proctab *t, const struct pt_proc *p)
{
	uint64_t n = 0;

	if (p->pp_uid[1] == 0 || p->pp_rlim[_RLIMIT_NPROC][0] == _RLIMIT_INFINITY)
		return 1;
	for (const struct pt_proc *q = t->pt_procs; q; q = q->pp_next)
		if (!q->pp_zombie && q->pp_uid[0] == p->pp_uid[0])
			n++;
	return n < p->pp_rlim[_RLIMIT_NPROC][0];
}
