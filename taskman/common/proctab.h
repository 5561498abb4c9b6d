/*
 * taskman/common/proctab.h - taskman's view of processes: parent and
 * children, zombies and their wait status, process groups, sessions and
 * credentials.  Kernel pids are used as they are (the kernel assigns
 * them; taskman records each process it starts).
 *
 * Generic (no kernel calls).  Owned by taskman's server thread; not
 * thread-safe.  The table holds live processes and zombies; a zombie
 * leaves when its parent reaps it.  Orphans are given to the process
 * manager itself (PROCTAB_MGR_PID), which reaps its zombies at once
 * unless something (the startup script) still waits for them.
 */
#ifndef TM_PROCTAB_H
#define TM_PROCTAB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/procmsg.h>

#define PROCTAB_MGR_PID	1	/* taskman: the adopter of orphans */
#define PROCTAB_UMASK_DEFAULT	0022	/* the umask of a process without a parent */
#define PROCTAB_STACK_DEFAULT	(256 * 1024UL)	/* RLIMIT_STACK's soft default: the main stack */
#define PROCTAB_NOFILE_DEFAULT	256	/* RLIMIT_NOFILE's default: Skimmer's connections per process */
#define PROCTAB_CMDLINE_MAX	4096	/* bytes of argv kept for /proc/<pid>/cmdline */

struct pt_proc {
	struct pt_proc	*pp_next;	/* the table's list */
	int		pp_pid;
	int		pp_ppid;	/* parent; PROCTAB_MGR_PID once orphaned */
	int		pp_pgid;	/* process group */
	int		pp_sid;		/* session */
	int		pp_zombie;	/* dead, not yet reaped */
	int		pp_wstatus;	/* zombie: the wait status */
	int		pp_event;	/* live: a stop or continue status not yet waited for, or 0 */
	int		pp_stopped;	/* live: stopped by a signal (its last stop/continue report) */
	int		pp_uid[3];	/* real, effective, saved */
	int		pp_gid[3];
	int		pp_ngroups;	/* supplementary groups */
	int		pp_groups[_PROC_NGROUPS_MAX];
	unsigned	pp_umask;	/* file mode creation mask (_PROC_UMASK) */
	char		*pp_cwd;	/* working directory (_PROC_CWD), malloc'd; NULL: "/" */
	char		*pp_exefile;	/* the path it was spawned or exec'd by, malloc'd, or NULL */
	char		*pp_cmdline;	/* its argv, NUL after each, malloc'd, or NULL */
	size_t		pp_cmdline_len;	/* bytes of pp_cmdline (at most PROCTAB_CMDLINE_MAX) */
	char		pp_name[32];	/* for diagnostics */
	uint64_t	pp_cpu_ms;	/* zombie: its own CPU time (the kernel's report) */
	uint64_t	pp_cchild_ms;	/* CPU time of its reaped children and their descendants */
	uint64_t	pp_rlim[_RLIMIT_NLIMITS][2];	/* resource limits: soft, hard */
	void		*pp_priv;	/* the kernel-specific part's data (freed by it) */
};

struct proctab {
	struct pt_proc	*pt_procs;
	int		pt_count;	/* live + zombies */
};

void proctab_init(struct proctab *t);
void proctab_fini(struct proctab *t);

/*
 * Record process pid, a child of ppid (which must be in the table, or be
 * 0 for the manager itself, which has no parent).  It starts in its
 * parent's group and session with its credentials.  Returns the entry,
 * or NULL (pid already there, no parent, out of memory).  Its umask and
 * working directory are its parent's (0022 and "/" without a parent).
 */
struct pt_proc *proctab_add(struct proctab *t, int pid, int ppid, const char *name);

/*
 * Record the program p now runs (spawn, exec): its path and the first
 * argc of the NUL-terminated strings at argv (len bytes or more), cut to
 * PROCTAB_CMDLINE_MAX bytes at a string's end.  0, or -ENOMEM (the old
 * ones stay).  A forked child has its parent's.
 */
int proctab_setexec(struct pt_proc *p, const char *path, const char *argv, size_t len,
    uint32_t argc);

/* p's working directory: "/" until proctab_setcwd. */
const char *proctab_cwd(const struct pt_proc *p);

/*
 * Set p's working directory to the len bytes at path (no NUL needed): an
 * absolute path shorter than _PROC_CWD_MAX without NULs.  0, -EINVAL or
 * -ENOMEM (the old one stays).
 */
int proctab_setcwd(struct pt_proc *p, const char *path, size_t len);

/* The entry of pid (live or zombie), or NULL. */
struct pt_proc *proctab_find(const struct proctab *t, int pid);

/*
 * pid died with the kernel's wait status: it becomes a zombie with that
 * status, and its children (live or zombie) go to PROCTAB_MGR_PID.
 * Returns the entry (still in the table), or NULL if pid is unknown.
 */
struct pt_proc *proctab_exit(struct proctab *t, int pid, int wstatus);

/*
 * pid stopped or continued (a WIFSTOPPED or WIFCONTINUED status): the
 * event waits for waitpid(WUNTRACED/WCONTINUED), replacing one not yet
 * reported, and pp_stopped follows.  The entry, or NULL (unknown, a
 * zombie, or not such a status).
 */
struct pt_proc *proctab_stopcont(struct proctab *t, int pid, int wstatus);

/*
 * Is process group pgid orphaned (POSIX)?  It has a live member, and the
 * parent of each live member is in the group or outside its session
 * (taskman, the parent of orphans, is in no session).  Job control reads
 * it: a terminal's background read or write from an orphaned group fails
 * with EIO instead of stopping it, since no shell would continue it.
 */
int proctab_pgrp_orphaned(const struct proctab *t, int pgid);

/*
 * Before pid's exit (proctab_exit): the groups its exit will orphan that
 * have a stopped member, which POSIX says get SIGHUP and then SIGCONT.
 * Candidates are pid's own group and its live children's groups.  Fills
 * up to n of them into groups; returns how many there are (it may be
 * more than n).
 */
int proctab_exit_orphans(const struct proctab *t, int pid, int *groups, int n);

/*
 * The si_code (_WAIT_CLD_*) of a wait status; *value gets si_status (the
 * exit code, or the signal; SIGCONT for a continue).
 */
int proctab_cld(int wstatus, int *value);

/*
 * The status waitid with options (_WAIT_* bits) would report for p: its
 * end (a zombie, with WEXITED), its pending stop (WUNTRACED) or continue
 * (WCONTINUED); -1 if none.
 */
int proctab_event(const struct pt_proc *p, int options);

/* Remove a zombie (it has been reaped). */
void proctab_reap(struct proctab *t, struct pt_proc *p);

/*
 * For waitid(idtype, id, options) by parent: a matching child with an
 * event to report (proctab_event), the oldest first, or NULL; *any_child
 * is set to whether some child (live or dead) matches.  idtype is
 * _WAIT_P_ALL, _WAIT_P_PID or _WAIT_P_PGID.
 */
struct pt_proc *proctab_wait_match(const struct proctab *t, int parent, int idtype, int id,
    int options, int *any_child);

/* setsid() for pid: the new session id, or -EPERM (already a group leader). */
int proctab_setsid(struct proctab *t, int pid);

/*
 * setpgid(pid, pgid) asked by caller (pid 0: caller; pgid 0: = pid).
 * 0, -ESRCH (pid is neither caller nor its child), -EPERM (session
 * leader, another session, or no such group in the session), -EINVAL.
 */
int proctab_setpgid(struct proctab *t, int caller, int pid, int pgid);

/*
 * Credential changes, POSIX rules: an effective uid of 0 may set any id;
 * others only to one of their real, effective or saved ids.  which: 0
 * uid, 1 gid.  ids[3] = real, effective, saved, -1 meaning unchanged.
 * 0 or -EPERM/-EINVAL.
 */
int proctab_setids(struct pt_proc *p, int which, const int ids[3]);

/*
 * prlimit(pid, res, ...) asked by caller (pid 0: caller): with
 * _RLIMIT_SET in flags, cur/max become the limits.  old[2] gets the
 * limits before.  0, -EINVAL (res out of range, cur > max, unknown
 * flags), -ESRCH (no such live process), -EPERM (another process whose
 * uids are not all the caller's real uid, or raising a hard limit,
 * without euid 0).  A process without a parent starts with the defaults
 * (infinite but for RLIMIT_STACK, RLIMIT_NOFILE and RLIMIT_CORE's soft
 * 0); a child starts with its parent's.
 */
int proctab_rlimit(struct proctab *t, int caller, int pid, int res, unsigned flags,
    uint64_t cur, uint64_t max, uint64_t old[2]);

/*
 * May p create another process under RLIMIT_NPROC?  1 if its euid is 0 or
 * fewer live processes than its soft limit have its real uid, else 0.
 */
int proctab_nproc_ok(const struct proctab *t, const struct pt_proc *p);

/* How many live processes (not zombies) there are besides the manager. */
int proctab_live_count(const struct proctab *t);

#endif
