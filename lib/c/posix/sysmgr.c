/*
 * The connection to taskman (SYSMGR_COID) and what libc does at start-up
 * in a program taskman spawned: attach that side channel, then re-create
 * the descriptors the parent passed (docs/taskman.md, "Fd inheritance").
 *
 * The first process (init=, the kernel-started test programs) has no
 * taskman to talk to: for it __px_sysmgr stays -1 and every message to
 * taskman fails with ENOSYS.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>
#include "px.h"

int __px_sysmgr = -1;		/* SYSMGR_COID once attached, else -1 */

/* One message to taskman: its status, or -errno (-ENOSYS without taskman). */
long __px_sysmgr_send(const void *msg, size_t len, void *reply, size_t rlen)
{
	if (__px_sysmgr < 0)
		return -ENOSYS;
	return __px_send_quick(__px_sysmgr, msg, len, reply, rlen);
}

long __px_send_quick(int coid, const void *smsg, size_t sbytes, void *rmsg, size_t rbytes)
{
	long r;

	while ((r = MsgSend_r(coid, smsg, sbytes, rmsg, rbytes)) == -EINTR)
		;
	return r;
}

/*
 * Re-create inherited fd f (spawn, fork): connect at its number with
 * connection flags cof, then ask the server to share the parent's OCB
 * (_IO_DUP naming ppid's connection).  0, or -errno and the fd stays
 * closed (a server without _IO_DUP, or one that finds no such connection).
 */
int __px_inherit_fd(const struct _proc_spawn_fd *f, int ppid, int cof)
{
	struct _io_dup d = { .type = _IO_DUP };
	int coid, r;

	if (f->sf_fd < 0 || f->sf_fd >= PX_FD_MAX)
		return -EBADF;
	coid = ConnectAttach_r(ND_LOCAL_NODE, f->sf_pid, f->sf_chid, (unsigned)f->sf_fd, cof);
	if (coid < 0)
		return coid;
	d.info.pid = ppid;
	d.info.chid = f->sf_chid;
	d.info.coid = f->sf_parent_fd;
	d.info.scoid = f->sf_scoid;
	r = coid != f->sf_fd ? -EBUSY : (int)__px_send_quick(coid, &d, sizeof(d), 0, 0);
	if (r < 0)
		ConnectDetach_r(coid);
	return r < 0 ? r : 0;
}

/*
 * SYSMGR_COID: after an exec the connection is already there (taskman's
 * reply to _PROC_EXEC came on it); otherwise attach it.  Never CLOEXEC.
 */
static int sysmgr_attach(void)
{
	struct _server_info si;

	if (ConnectServerInfo_r(0, SYSMGR_COID, &si) == SYSMGR_COID &&
	    si.pid == SYSMGR_PID && si.chid == SYSMGR_CHID)
		return SYSMGR_COID;
	return ConnectAttach_r(ND_LOCAL_NODE, SYSMGR_PID, SYSMGR_CHID, _NTO_SIDE_CHANNEL, 0);
}

/*
 * The startup script's reopen (and [+session]): path as fds 0, 1 and 2,
 * then, for a session leader, its controlling terminal.  A failure leaves
 * the program without them, as if started with nothing open.  It runs as
 * the first constructor, once libc is initialised (an open may allocate,
 * and malloc needs AT_RANDOM): __qsoe_start only notes what auxv says.
 */
static const char *stdio_path;
static long stdio_ctty;

__attribute__((constructor(101))) static void open_stdio(void)
{
	const char *path = stdio_path;
	long fd;

	if (path == 0)
		return;
	stdio_path = 0;
	fd = __px_openat(AT_FDCWD, path, O_RDWR, 0);

	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (i != fd)
			__px_dup3((int)fd, i, 0);
	if (fd > 2)
		__px_close((int)fd);
	if (stdio_ctty)
		__px_ioctl(0, TIOCSCTTY, 0);
}

/*
 * Called by crt1 before anything else (no TLS, no errno yet) in a program
 * that taskman started; sp is its initial stack.  Attaches SYSMGR_COID
 * (or finds it, after an exec), takes the inherited fds and tells taskman
 * it is done with them.
 */
void __qsoe_start(long *sp)
{
	long *p = sp + 1 + sp[0] + 1;
	const struct _proc_spawn_fd *fds = 0;
	long nfds = 0, ppid = 0, ctty = 0;
	const char *stdio = 0, *cwd = 0;
	struct _msg_hdr done = { _PROC_SPAWN_DONE, 0 };

	while (*p)			/* envp */
		p++;
	for (p++; p[0] != _AT_NULL; p += 2) {
		if (p[0] == _AT_QSOE_FDS)
			fds = (const struct _proc_spawn_fd *)p[1];
		else if (p[0] == _AT_QSOE_NFDS)
			nfds = p[1];
		else if (p[0] == _AT_QSOE_PPID)
			ppid = p[1];
		else if (p[0] == _AT_QSOE_STDIO)
			stdio = (const char *)p[1];
		else if (p[0] == _AT_QSOE_CTTY)
			ctty = p[1];
		else if (p[0] == _AT_QSOE_CWD)
			cwd = (const char *)p[1];
	}
	if (cwd)
		__px_cwd_init(cwd);
	__px_sysmgr = sysmgr_attach();
	if (__px_sysmgr >= 0 && stdio) {
		stdio_path = stdio;
		stdio_ctty = ctty;
	}
	if (__px_sysmgr < 0 || nfds <= 0 || fds == 0)
		return;
	for (long i = 0; i < nfds && i < _SPAWN_FDS_MAX; i++)
		__px_inherit_fd(&fds[i], (int)ppid, 0);
	__px_send_quick(__px_sysmgr, &done, sizeof(done), 0, 0);
}
