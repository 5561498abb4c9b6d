/*
 * File descriptors.  On QSOE an fd is a connection id (docs/kernel-calls.md,
 * ConnectAttach): read, write, close, lseek, fstat, ioctl ... become _IO_*
 * messages to the server behind the connection.  Those messages are not
 * defined yet, so for now every fd call checks that the fd names a
 * connection (EBADF if not) and then fails with ENOSYS.
 */
#include <errno.h>
#include <sys/neutrino.h>
#include "px.h"

/* The fd-taking call on fd: -EBADF for no connection, else -ENOSYS. */
long __px_fd_io(int fd)
{
	struct _server_info info;

	if (fd < 0 || fd >= _NTO_SIDE_CHANNEL)
		return -EBADF;
	/* It reports the next connection at or above fd, so compare. */
	if (ConnectServerInfo_r(0, fd, &info) != fd)
		return -EBADF;
	return -ENOSYS;
}
