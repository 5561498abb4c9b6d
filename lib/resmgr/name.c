/*
 * name.c - QNX's name_attach() and name_detach(): a server's name in the
 * path manager, _NAME_DIR_LOCAL/NAME (or _NAME_DIR_GLOBAL/NAME), attached
 * with file type _FTYPE_NAME to the dispatch's channel.  Clients reach
 * it with name_open() (libc's lib/c/posix/name.c).  A server that runs
 * its own MsgReceive loop on attach->chid answers the _IO_CONNECT itself;
 * one that runs dispatch_handler gets name_connect_open below, which
 * accepts the connection (no OCB: other _IO_* messages get EBADF).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rm.h"

static int name_connect_open(resmgr_context_t *ctp, io_open_t *msg, RESMGR_HANDLE_T *handle,
    void *extra)
{
	(void)ctp, (void)msg, (void)handle, (void)extra;
	return EOK;
}

static const resmgr_connect_funcs_t name_connect = { .nfuncs = _RESMGR_CONNECT_NFUNCS,
    .open = name_connect_open };
static const resmgr_io_funcs_t name_io = { .nfuncs = _RESMGR_IO_NFUNCS };

/* A relative path of non-empty components, none of them "..". */
static int name_ok(const char *path)
{
	const char *s = path;

	if (path == NULL || *path == '\0' || *path == '/')
		return 0;
	for (;;) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (s[n] == '\0')
			return 1;
		s += n + 1;
	}
}

name_attach_t *name_attach(dispatch_t *dpp, const char *path, unsigned flags)
{
	char full[_IO_CONNECT_PATH_MAX];
	name_attach_t *na;
	int made = 0, id, e;

	if (!name_ok(path) || (flags & ~(unsigned)NAME_FLAG_ATTACH_GLOBAL)) {
		errno = EINVAL;
		return NULL;
	}
	if ((size_t)snprintf(full, sizeof(full), "%s/%s", (flags & NAME_FLAG_ATTACH_GLOBAL) ?
	    _NAME_DIR_GLOBAL : _NAME_DIR_LOCAL, path) >= sizeof(full)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((na = calloc(1, sizeof(*na))) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if (dpp == NULL) {
		if ((dpp = dispatch_create()) == NULL) {
			free(na);
			return NULL;
		}
		made = 1;
	}
	id = resmgr_attach(dpp, NULL, full, _FTYPE_NAME, 0, &name_connect, &name_io, NULL);
	if (id < 0) {
		e = errno;
		if (made)
			dispatch_destroy(dpp);
		free(na);
		errno = e;
		return NULL;
	}
	na->dpp = dpp;
	na->chid = dispatch_chid(dpp);
	na->mntid = id;
	return na;
}

int name_detach(name_attach_t *attach, unsigned flags)
{
	int r;

	if (attach == NULL || (flags & ~(unsigned)NAME_FLAG_DETACH_SAVEDPP)) {
		errno = EINVAL;
		return -1;
	}
	r = resmgr_detach(attach->dpp, attach->mntid, 0);
	if (!(flags & NAME_FLAG_DETACH_SAVEDPP))
		dispatch_destroy(attach->dpp);
	free(attach);
	return r;
}
