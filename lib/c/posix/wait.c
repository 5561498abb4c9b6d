/*
 * wait4 and waitid: _PROC_WAIT to taskman, which answers when a matching
 * child has ended (docs/taskman.md, "_PROC_WAIT").  Both are cancellation
 * points: the send goes through __qsoe_kercall_cp when musl asks.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/procmsg.h>
#include "px.h"
#include "qsoe_kernel.h"

#define LINUX_WFLAGS	0xe0000000	/* __WNOTHREAD, __WALL, __WCLONE: no meaning here */

/* _PROC_WAIT (idtype, id, options) into *r: 0 or -errno. */
static long proc_wait(volatile int *cancel, int idtype, int id, int options,
    struct _proc_wait_reply *r)
{
	struct _proc_wait m = { .type = _PROC_WAIT, .wt_idtype = idtype, .wt_id = id,
	    .wt_options = options & ~LINUX_WFLAGS };
	long st;

	if (__px_sysmgr < 0)
		return -ENOSYS;
	memset(r, 0, sizeof(*r));
	st = cancel ? __qsoe_kercall_cp(cancel, __KER_MsgSend, __px_sysmgr, (long)&m,
	    sizeof(m), (long)r, sizeof(*r), 0) :
	    MsgSend_r(__px_sysmgr, &m, sizeof(m), r, sizeof(*r));
	return st < 0 ? st : 0;
}

/* SYS_wait4: waitpid's pid rules become waitid's (idtype, id). */
long __px_wait4(volatile int *cancel, int pid, int *status, int options, void *ru)
{
	struct _proc_wait_reply r;
	long st;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | LINUX_WFLAGS))
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;
	st = proc_wait(cancel, pid > 0 ? _WAIT_P_PID : pid == -1 ? _WAIT_P_ALL : _WAIT_P_PGID,
	    pid > 0 ? pid : pid == -1 ? 0 : -pid, options | WEXITED, &r);
	if (st < 0)
		return st;
	if (status && r.wr_pid > 0)
		*status = r.wr_status;
	if (ru)
		memset(ru, 0, sizeof(struct rusage));	/* no accounting yet */
	return r.wr_pid;
}

/* SYS_waitid: the reply becomes the siginfo of SIGCHLD. */
long __px_waitid(volatile int *cancel, int type, int id, siginfo_t *si, int options)
{
	struct _proc_wait_reply r;
	long st;

	if (type != P_ALL && type != P_PID && type != P_PGID)
		return -EINVAL;
	st = proc_wait(cancel, type, id, options, &r);
	if (st < 0 || si == 0)
		return st;
	memset(si, 0, sizeof(*si));
	if (r.wr_pid > 0) {
		si->si_signo = SIGCHLD;
		si->si_code = r.wr_code;
		si->si_pid = r.wr_pid;
		si->si_uid = (uid_t)r.wr_uid;
		si->si_status = r.wr_value;
	}
	return 0;
}
