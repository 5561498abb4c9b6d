/*
 * rfconnect.c - fs-ram's _IO_CONNECT handlers: open, mknod (mkdir),
 * unlink/rmdir, readlink, link/symlink and rename.  A path that leaves
 * the file system through a symbolic link is answered with a link reply
 * carrying the new absolute path (_IO_CONNECT_RET_LINK, no entries),
 * which libc resolves from the start (sys/iomsg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "rfsrv.h"

static struct rf_lookup lk;	/* big: static; the reply goes before the next message */

int rf_cred_of(resmgr_context_t *ctp, struct _client_info *cr)
{
	return iofunc_client_info(ctp, 0, cr);
}

int rf_ocb_new(resmgr_context_t *ctp, struct rf_inode *ino, unsigned ioflag)
{
	struct rf_ocb *ocb = calloc(1, sizeof(*ocb));
	int r;

	if (ocb == NULL) {
		rf_close(&rf_fs, ino);
		return ENOMEM;
	}
	ocb->o_ocb.attr = &rf_mount_attr;
	ocb->o_ocb.ioflag = ioflag;
	ocb->o_ino = ino;
	if ((r = resmgr_open_bind(ctp, &ocb->o_ocb, &rf_io)) != EOK) {
		rf_close(&rf_fs, ino);
		free(ocb);
	}
	return r;
}

/* A ramfs result r for connect message c: RF_REDIRECT becomes the link reply. */
static int answer(resmgr_context_t *ctp, struct _io_connect *c, int r)
{
	static struct _io_connect_link_reply lr;
	size_t n = strlen(lk.l_path) + 1;

	if (r != RF_REDIRECT)
		return r;
	if (sizeof(lr) + n > c->reply_max)
		return ENAMETOOLONG;
	lr = (struct _io_connect_link_reply){ .eflag = c->eflag, .path_len = (uint16_t)n };
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	SETIOV(&ctp->iov[1], lk.l_path, n);
	_RESMGR_STATUS(ctp, _IO_CONNECT_RET_LINK);
	return _RESMGR_NPARTS(2);
}

static int c_open(resmgr_context_t *ctp, io_open_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct rf_inode *ino;
	struct _client_info cr;
	int r;

	(void)h, (void)extra;
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	r = rf_open(&rf_fs, &cr, msg->i.path, msg->i.ioflag, msg->i.mode,
	    msg->i.eflag & _IO_CONNECT_EFLAG_DIR, &lk, &ino);
	if (r != 0)
		return answer(ctp, &msg->i, r);
	if (S_ISFIFO(ino->i_mode) && !(msg->i.ioflag & O_PATH)) {
		/*
		 * The name is ours, the data path the pipe manager's: send
		 * the client to NODE/fifo/PATH (the FIFO's absolute path).
		 * The pipe manager stats PATH itself, checks the client
		 * against its mode and owner, and keys the pipe by its
		 * st_dev and st_ino, so every open of this FIFO meets the
		 * same pipe and no name can skip the check.  O_PATH (stat,
		 * chmod) stays here.
		 */
		if ((size_t)snprintf(lk.l_path, sizeof(lk.l_path), "%s/fifo%s/%s", rf_pipe_node,
		    strcmp(rf_mount, "/") == 0 ? "" : rf_mount, msg->i.path) >= sizeof(lk.l_path)) {
			rf_close(&rf_fs, ino);
			return answer(ctp, &msg->i, ENAMETOOLONG);
		}
		rf_close(&rf_fs, ino);
		return answer(ctp, &msg->i, RF_REDIRECT);
	}
	return rf_ocb_new(ctp, ino, msg->i.ioflag);
}

static int c_mknod(resmgr_context_t *ctp, io_mknod_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info cr;
	int r;

	(void)h, (void)extra;
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	return answer(ctp, &msg->i, rf_mknod(&rf_fs, &cr, msg->i.path, msg->i.mode, &lk));
}

static int c_unlink(resmgr_context_t *ctp, io_unlink_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info cr;
	int r;

	(void)h, (void)extra;
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	return answer(ctp, &msg->i, rf_unlink(&rf_fs, &cr, msg->i.path, S_ISDIR(msg->i.mode),
	    &lk));
}

/* readlink: status = the target's length, the data = the target (at most reply_max). */
static int c_readlink(resmgr_context_t *ctp, io_readlink_t *msg, RESMGR_HANDLE_T *h,
    void *extra)
{
	const char *t;
	struct _client_info cr;
	size_t n;
	int r;

	(void)h, (void)extra;
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	if ((r = rf_readlink(&rf_fs, &cr, msg->i.path, &lk, &t)) != 0)
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
static int hard_link(resmgr_context_t *ctp, io_link_t *msg, const struct _client_info *cr,
    const struct _io_connect_extra_link *el)
{
	iofunc_ocb_t *ocb;

	if (msg->i.extra_len < sizeof(*el) || el->el_pid != ctp->info.pid)
		return EINVAL;
	ocb = resmgr_ocb_lookup_coid(ctp->dpp, el->el_pid, el->el_coid);
	if (ocb == NULL)
		return EXDEV;	/* an fd of another server */
	return answer(ctp, &msg->i, rf_link(&rf_fs, cr, ((struct rf_ocb *)ocb)->o_ino,
	    msg->i.path, &lk));
}

static int c_link(resmgr_context_t *ctp, io_link_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	struct _client_info cr;
	const char *t;
	int r;

	(void)h;
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	switch (msg->i.extra_type) {
	case _IO_CONNECT_EXTRA_SYMLINK:
		if ((t = extra_str(&msg->i, extra)) == NULL)
			return EINVAL;
		return answer(ctp, &msg->i, rf_symlink(&rf_fs, &cr, msg->i.path, t, &lk));
	case _IO_CONNECT_EXTRA_LINK:
		return extra ? hard_link(ctp, msg, &cr, extra) : EINVAL;
	default:
		return EINVAL;
	}
}

/* rename(): the old path comes absolute; outside our mount point it is EXDEV. */
static int c_rename(resmgr_context_t *ctp, io_rename_t *msg, RESMGR_HANDLE_T *h, void *extra)
{
	size_t mlen = strlen(rf_fs.f_mount);
	struct _client_info cr;
	const char *old;
	int r;

	(void)h;
	if (msg->i.extra_type != _IO_CONNECT_EXTRA_RENAME ||
	    (old = extra_str(&msg->i, extra)) == NULL)
		return EINVAL;
	if (strncmp(old, rf_fs.f_mount, mlen) != 0 || (old[mlen] != '/' && old[mlen] != '\0'))
		return EXDEV;
	old += mlen;
	old += strspn(old, "/");
	if ((r = rf_cred_of(ctp, &cr)) != EOK)
		return r;
	return answer(ctp, &msg->i, rf_rename(&rf_fs, &cr, old, msg->i.path, &lk));
}

void rf_connect_init(resmgr_connect_funcs_t *cf)
{
	cf->open = c_open;
	cf->mknod = c_mknod;
	cf->unlink = c_unlink;
	cf->readlink = c_readlink;
	cf->link = c_link;
	cf->rename = c_rename;
}
