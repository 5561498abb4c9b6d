/*
 * fork through taskman's _PROC_FORK (docs/taskman.md, "_PROC_FORK"): the
 * child is a copy-on-write copy of the caller that returns from the same
 * MsgSend with status 0.  The kernel copies no connections, so before
 * sending, the parent notes each fd's server (memory the child will see
 * as it was), and the child attaches SYSMGR_COID again and re-creates its
 * fds with _IO_DUP, as a spawned child does.  Built only when
 * <sys/procmsg.h> has _PROC_FORK; otherwise fork is ENOSYS.
 *
 * Nothing here may malloc or free: once a process has had a second
 * thread, musl's fork() holds the malloc lock around _Fork (this call),
 * so the list of fds is static, under a lock of its own.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "lock.h"
#include "pthread_impl.h"
#include "px.h"

#ifdef _PROC_FORK

static struct _proc_spawn_fd fork_fds[PX_FD_MAX];	/* under fork_lock */
static volatile int fork_lock[1];

/* The parent's fds as spawn entries, in fds; their number. */
static long note_fds(struct _proc_spawn_fd *fds)
{
	struct _server_info si;
	long n = 0;

	for (int i = 0; (i = ConnectServerInfo_r(0, i, &si)) >= 0 && i < PX_FD_MAX; i++)
		if (!(si.flags & (_NTO_COF_DEAD | _NTO_COF_NOSHARE)))
			fds[n++] = (struct _proc_spawn_fd){ .sf_fd = i, .sf_parent_fd = i,
			    .sf_pid = si.pid, .sf_chid = si.chid, .sf_scoid = si.scoid };
	return n;
}

/* The child's side: taskman, the fds, then what musl cannot know. */
static void child(const struct _proc_spawn_fd *fds, long n, int ppid)
{
	struct _msg_hdr done = { _PROC_SPAWN_DONE, 0 };

	__px_sysmgr = ConnectAttach_r(ND_LOCAL_NODE, SYSMGR_PID, SYSMGR_CHID,
	    _NTO_SIDE_CHANNEL, 0);
	for (long i = 0; i < n; i++) {
		int fd = fds[i].sf_fd;

		if (__px_inherit_fd(&fds[i], ppid,
		    __px_fds[fd].f_cloexec ? _NTO_COF_CLOEXEC : 0) < 0)
			__px_fds[fd] = (struct px_fd){ 0 };	/* (its path copy leaks) */
	}
	if (n > 0 && __px_sysmgr >= 0)
		MsgSend_r(__px_sysmgr, &done, sizeof(done), 0, 0);
	__px_pid_forget();
	__px_timers_forget();
	/*
	 * The kernel numbers the child's one thread afresh: a new process's
	 * first thread is 1.  musl's _Fork reads it back through gettid.
	 */
	__pthread_self()->tid = 1;
}

/* SYS_clone with just SIGCHLD (musl's _Fork): the child's pid, 0 in the child. */
long __px_fork(void)
{
	struct _proc_fork m = { .type = _PROC_FORK };
	long n, r, ppid = __px_getpid();

	if (ppid < 0)
		return ppid;
	LOCK(fork_lock);
	n = note_fds(fork_fds);
	m.fk_flags = n > 0 ? _FORK_WAITFDS : 0;
	r = __px_sysmgr_send(&m, sizeof(m), 0, 0);
	if (r == 0) {
		fork_lock[0] = 0;	/* the child's copy: its only thread is this one */
		child(fork_fds, n, (int)ppid);
	} else {
		UNLOCK(fork_lock);
	}
	return r;
}

#else

long __px_fork(void)
{
	return -ENOSYS;		/* taskman's protocol has no _PROC_FORK yet */
}

#endif
