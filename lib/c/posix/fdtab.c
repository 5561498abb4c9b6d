/*
 * The fd table: what libc knows about each fd besides the connection the
 * kernel holds (px.h, struct px_fd), and the check that an fd is one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include "lock.h"
#include "px.h"

struct px_fd __px_fds[PX_FD_MAX];
volatile int __px_fdlock[1];

/*
 * Is fd an open connection in the fd range?  0 and its server in *info
 * (may be NULL), or -EBADF.
 */
int __px_fd_check(int fd, struct _server_info *info)
{
	struct _server_info si;

	if (fd < 0 || fd >= PX_FD_MAX)
		return -EBADF;
	/* ConnectServerInfo reports the next connection at or above fd: compare. */
	if (ConnectServerInfo_r(0, fd, info ? info : &si) != fd)
		return -EBADF;
	return 0;
}

/* Record a new fd's flags and path (a copy; none if out of memory). */
void __px_fd_set(int fd, unsigned oflag, int cloexec, const char *path)
{
	char *copy = path ? strdup(path) : 0;
	char *old;

	LOCK(__px_fdlock);
	old = __px_fds[fd].f_path;
	__px_fds[fd] = (struct px_fd){ oflag, 1, cloexec != 0, copy };
	UNLOCK(__px_fdlock);
	free(old);
}

/* Forget fd (it was closed). */
void __px_fd_clear(int fd)
{
	char *old;

	LOCK(__px_fdlock);
	old = __px_fds[fd].f_path;
	__px_fds[fd] = (struct px_fd){ 0 };
	UNLOCK(__px_fdlock);
	free(old);
}
