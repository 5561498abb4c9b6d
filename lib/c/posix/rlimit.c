/*
 * Resource limits: taskman keeps them per process (_PROC_RLIMIT), a
 * child starts with its parent's and exec keeps them, so musl's
 * getrlimit/setrlimit/prlimit (all SYS_prlimit64) ask it.  libc enforces
 * RLIMIT_NOFILE itself, because it allocates the fds (__px_fd_limit);
 * taskman enforces RLIMIT_AS and RLIMIT_NPROC (docs/taskman.md).
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/procmsg.h>
#include "px.h"

static long nofile = -1;	/* this process's RLIMIT_NOFILE soft limit, or -1: not asked */

/* SYS_prlimit64: the limits of pid (0: the caller) before, and new ones if new. */
long __px_prlimit(int pid, int res, const struct rlimit *new, struct rlimit *old)
{
	struct _proc_rlimit m = { .type = _PROC_RLIMIT, .rl_pid = pid, .rl_resource = res };
	struct _proc_rlimit_reply r;
	long st;

	if (new) {
		m.rl_flags = _RLIMIT_SET;
		m.rl_cur = new->rlim_cur;
		m.rl_max = new->rlim_max;
	}
	if ((st = __px_sysmgr_send(&m, sizeof(m), &r, sizeof(r))) < 0)
		return st;
	if (old) {
		old->rlim_cur = r.rr_cur;
		old->rlim_max = r.rr_max;
	}
	if (new && res == RLIMIT_NOFILE && (pid == 0 || pid == __px_getpid()))
		__atomic_store_n(&nofile, (long)(new->rlim_cur > PX_FD_MAX ? PX_FD_MAX :
		    new->rlim_cur), __ATOMIC_RELAXED);
	return 0;
}

/*
 * How many fds this process may have: fd numbers from here on are EMFILE.
 * RLIMIT_NOFILE's soft limit (asked once; a fork child has the same, exec
 * starts a new image, and this process's own setrlimit updates it), at
 * most PX_FD_MAX; PX_FD_MAX if taskman cannot say (the first process).
 */
int __px_fd_limit(void)
{
	long n = __atomic_load_n(&nofile, __ATOMIC_RELAXED);
	struct rlimit l;

	if (n < 0) {
		n = __px_prlimit(0, RLIMIT_NOFILE, 0, &l) < 0 || l.rlim_cur > PX_FD_MAX ?
		    PX_FD_MAX : (long)l.rlim_cur;
		__atomic_store_n(&nofile, n, __ATOMIC_RELAXED);
	}
	return (int)n;
}
