/*
 * name.c - QNX's name_open() and name_close(), the client half of
 * name_attach() (libresmgr's name.c).  A name is a path that the path
 * manager resolves, _NAME_DIR_LOCAL/NAME (or the global table), and the
 * connection that open() makes to its server is the coid to MsgSend()
 * on: the server answers the _IO_CONNECT with EOK.  A name that starts
 * with '/' is a whole path, any server's.
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <fcntl.h>
#include <stdio.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include "px.h"

int name_open(const char *name, int flags);
int name_close(int coid);

int name_open(const char *name, int flags)
{
	char path[_IO_CONNECT_PATH_MAX];
	const char *p = path;
	long fd;

	if (name == NULL || name[0] == '\0' || (flags & ~_NAME_FLAG_ATTACH_GLOBAL)) {
		errno = EINVAL;
		return -1;
	}
	if (name[0] == '/')
		p = name;
	else if ((size_t)snprintf(path, sizeof(path), "%s/%s", (flags & _NAME_FLAG_ATTACH_GLOBAL) ?
	    _NAME_DIR_GLOBAL : _NAME_DIR_LOCAL, name) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = __px_openat(AT_FDCWD, p, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		errno = (int)-fd;
		return -1;
	}
	return (int)fd;
}

int name_close(int coid)
{
	long r = __px_close(coid);

	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}
