/*
 * pipe2 (and musl's pipe): the pipe manager's protocol (docs/resmgr.md).
 * Opening its hidden node /dev/pipe makes a new pipe and gives the read
 * end; a second connection to the same server asks, with _IO_OPENFD
 * naming the first, for a write OCB on that pipe.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "px.h"

#define PX_PIPE_NODE	"/dev/pipe"

long __px_pipe2(int *fds, int flags)
{
	struct _server_info si;
	struct _io_openfd m = { .type = _IO_OPENFD };
	int keep = flags & (O_NONBLOCK | O_CLOEXEC);
	long rfd, wfd, r;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	/*
	 * pipe may not fail with EINTR, which a signal gives the open only
	 * while a server has not received its message yet (open is not one
	 * of the quick requests that __px_send_quick retries): try again.
	 */
	while ((rfd = __px_openat(AT_FDCWD, PX_PIPE_NODE, O_RDONLY | keep, 0)) == -EINTR)
		;
	if (rfd < 0)
		return rfd;
	if ((r = __px_fd_check((int)rfd, &si)) < 0)
		goto fail;
	wfd = ConnectAttach_r(ND_LOCAL_NODE, si.pid, si.chid, 0,
	    (flags & O_CLOEXEC) ? _NTO_COF_CLOEXEC : 0);
	if (wfd < 0 || wfd >= __px_fd_limit()) {
		if (wfd >= 0)
			ConnectDetach_r((int)wfd);
		r = wfd < 0 && wfd != -EAGAIN ? wfd : -EMFILE;
		goto fail;
	}
	m.ioflag = (uint32_t)(O_WRONLY | (flags & O_NONBLOCK));
	m.info.pid = (int32_t)__px_getpid();
	m.info.coid = (int32_t)rfd;
	m.info.scoid = si.scoid;
	m.info.chid = si.chid;
	if ((r = __px_send_quick((int)wfd, &m, sizeof(m), 0, 0)) < 0) {
		ConnectDetach_r((int)wfd);
		goto fail;
	}
	__px_fd_set((int)wfd, (unsigned)(O_WRONLY | (flags & O_NONBLOCK)), !!(flags & O_CLOEXEC), 0);
	fds[0] = (int)rfd;
	fds[1] = (int)wfd;
	return 0;
fail:
	__px_close((int)rfd);
	return r;
}
