/*
 * fsconnect.c - the file-system server layer's _IO_CONNECT handlers
 * (sys/fsserv.h): open, mknod (mkdir), unlink/rmdir, readlink,
 * link/symlink and rename, on the file system's name operations.  A
 * path that leaves the file system through a symbolic link, and the
 * open of a named FIFO, are answered with a link reply carrying the new
 * absolute path (_IO_CONNECT_RET_LINK, no entries), which libc resolves
 * from the start (sys/iomsg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "fsint.h"

/* Send the client of connect message c to path instead. */
static int link_reply(resmgr_context_t *ctp, struct _io_connect *c, const char *path)
{
	static struct _io_connect_link_reply lr;
	size_t n = strlen(path) + 1;

	if (sizeof(lr) + n > c->reply_max)
		return ENAMETOOLONG;
	lr = (struct _io_connect_link_reply){ .eflag = c->eflag, .path_len = (uint16_t)n };
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	SETIOV(&ctp->iov[1], path, n);
	_RESMGR_STATUS(ctp, _IO_CONNECT_RET_LINK);
	return _RESMGR_NPARTS(2);
}

/* A name operation's result r for connect message c: FS_REDIRECT becomes the link reply. */
static int answer(resmgr_context_t *ctp, struct _io_connect *c, int r)
{
	return r == FS_REDIRECT ? link_reply(ctp, c, fs_srv->redirect) : fs_res(r);
}

/*
 * A named FIFO: the name is ours, the data path the pipe manager's: send
 * the client to NODE/fifo/PATH (the FIFO's absolute path).  The pipe
 * manager stats PATH itself, checks the client against its mode and
 * owner, and keys the pipe by its st_dev and st_ino, so every open of
 * this FIFO meets the same pipe and no name can skip the check.
 */
static int fifo_reply(resmgr_context_t *ctp, struct _io_connect *c)
{
	static char path[FS_PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/fifo%s/%s", fs_srv->pipe_node,
	    fs_srv->mount, c->path) >= sizeof(path))
		return ENAMETOOLONG;
	return link_reply(ctp, c, path);
}

static int c_open(resmgr_context_t *ctp, io_open_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	const struct fs_ops *ops = fs_srv->ops;
	struct _client_info ci;
	void *node;
	int r;

	(void)h, (void)extra;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	r = ops->open(&ci, msg->i.path, msg->i.ioflag, msg->i.mode,
	    msg->i.eflag & _IO_CONNECT_EFLAG_DIR, &node);
	if (r != 0)
		return answer(ctp, &msg->i, r);
	if (S_ISFIFO(ops->mode(node)) && !(msg->i.ioflag & O_PATH)) {
		ops->close(node);	/* O_PATH (stat, chmod) stays here */
		return fifo_reply(ctp, &msg->i);
	}
	return fs_ocb_new(ctp, node, msg->i.ioflag);
}

static int c_mknod(resmgr_context_t *ctp, io_mknod_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info ci;
	int r;

	(void)h, (void)extra;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	return answer(ctp, &msg->i, fs_srv->ops->mknod(&ci, msg->i.path, msg->i.mode));
}

static int c_unlink(resmgr_context_t *ctp, io_unlink_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info ci;
	int r;

	(void)h, (void)extra;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	return answer(ctp, &msg->i, fs_srv->ops->unlink(&ci, msg->i.path,
	    S_ISDIR(msg->i.mode)));
}

/* readlink: status = the target's length, the data = the target (at most reply_max). */
static int c_readlink(resmgr_context_t *ctp, io_readlink_t *msg, RESMGR_HANDLE_T *h,
    void *extra)
{
	static char buf[FS_PATH_MAX];
	struct _client_info ci;
	const char *t;
	size_t n;
	int r;

	(void)h, (void)extra;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	if ((r = fs_srv->ops->readlink(&ci, msg->i.path, buf, &t)) != 0)
		return answer(ctp, &msg->i, r);
	n = strlen(t);
	SETIOV(&ctp->iov[0], t, n < msg->i.reply_max ? n : msg->i.reply_max);
	_RESMGR_STATUS(ctp, (long)n);
	return _RESMGR_NPARTS(1);
}

/* Extra data that must be a NUL-terminated string. */
static const char *extra_str(const struct _io_connect *c, const void *extra)
{
	return extra && memchr(extra, '\0', c->extra_len) ? extra : NULL;
}

/* link(): the client names its own fd to the existing file, which must be ours. */
static int hard_link(resmgr_context_t *ctp, io_link_t *msg, const struct _client_info *ci,
    const struct _io_connect_extra_link *el)
{
	iofunc_ocb_t *ocb;

	if (msg->i.extra_len < sizeof(*el) || el->el_pid != ctp->info.pid)
		return EINVAL;
	ocb = resmgr_ocb_lookup_coid(ctp->dpp, el->el_pid, el->el_coid);
	if (ocb == NULL)
		return EXDEV;	/* an fd of another server */
	return answer(ctp, &msg->i, fs_srv->ops->link(ci, fs_node(ocb), msg->i.path));
}

static int c_link(resmgr_context_t *ctp, io_link_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info ci;
	const char *t;
	int r;

	(void)h;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	switch (msg->i.extra_type) {
	case _IO_CONNECT_EXTRA_SYMLINK:
		if ((t = extra_str(&msg->i, extra)) == NULL)
			return EINVAL;
		return answer(ctp, &msg->i, fs_srv->ops->symlink(&ci, msg->i.path, t));
	case _IO_CONNECT_EXTRA_LINK:
		return extra ? hard_link(ctp, msg, &ci, extra) : EINVAL;
	default:
		return EINVAL;
	}
}

/* rename(): the old path comes absolute; outside our mount point it is EXDEV. */
static int c_rename(resmgr_context_t *ctp, io_rename_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	size_t mlen = strlen(fs_srv->mount);
	struct _client_info ci;
	const char *old;
	int r;

	(void)h;
	if (msg->i.extra_type != _IO_CONNECT_EXTRA_RENAME ||
	    (old = extra_str(&msg->i, extra)) == NULL)
		return EINVAL;
	if (strncmp(old, fs_srv->mount, mlen) != 0 || (old[mlen] != '/' && old[mlen] != '\0'))
		return EXDEV;
	old += mlen;
	old += strspn(old, "/");
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	return answer(ctp, &msg->i, fs_srv->ops->rename(&ci, old, msg->i.path));
}

void fs_connect_init(resmgr_connect_funcs_t *cf)
{
	cf->open = c_open;
	cf->mknod = c_mknod;
	cf->unlink = c_unlink;
	cf->readlink = c_readlink;
	cf->link = c_link;
	cf->rename = c_rename;
}
