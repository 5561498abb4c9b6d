/*
 * resmgr.c - the resource manager layer: attaching prefixes with
 * taskman's path manager, binding OCBs to client connections, and
 * decoding every message before a handler sees it.  Nothing a client
 * sends is trusted: a message shorter than its header, a path without
 * its NUL, extra data past the end or a combine message gets an error
 * reply (EINVAL, ENOSYS), never a crash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "rm.h"

int resmgr_attach(dispatch_t *dpp, resmgr_attr_t *attr, const char *path,
    int file_type, unsigned flags, const resmgr_connect_funcs_t *connect_funcs,
    const resmgr_io_funcs_t *io_funcs, RESMGR_HANDLE_T *handle)
{
	struct { struct _path_attach a; char p[_IO_CONNECT_PATH_MAX]; } m;
	size_t len = strlen(path) + 1;
	int i, r;

	(void)attr;
	for (i = 0; i < RM_ATTACH_MAX && dpp->d_attach[i].a_id; i++)
		;
	if (i == RM_ATTACH_MAX || len > sizeof(m.p)) {
		errno = i == RM_ATTACH_MAX ? ENOSPC : ENAMETOOLONG;
		return -1;
	}
	memset(&m.a, 0, sizeof(m.a));
	m.a.type = _PATH_ATTACH;
	m.a.pa_flags = flags;
	m.a.pa_chid = dpp->d_chid;
	m.a.pa_handle = (uint32_t)i + 1;
	m.a.pa_file_type = file_type;
	m.a.pa_path_len = (uint16_t)len;
	memcpy(m.p, path, len);
	if ((r = MsgSend(SYSMGR_COID, &m, sizeof(m.a) + len, 0, 0)) < 0)
		return -1;
	dpp->d_attach[i] = (struct rm_attach){ r, connect_funcs, io_funcs, handle };
	return r;
}

int resmgr_detach(dispatch_t *dpp, int id, unsigned flags)
{
	struct _path_detach m = { .type = _PATH_DETACH, .pd_id = id };

	(void)flags;
	for (int i = 0; i < RM_ATTACH_MAX; i++)
		if (dpp->d_attach[i].a_id == id) {
			dpp->d_attach[i].a_id = 0;
			return MsgSend(SYSMGR_COID, &m, sizeof(m), 0, 0) < 0 ? -1 : 0;
		}
	errno = ENOENT;
	return -1;
}

ssize_t resmgr_msgread(resmgr_context_t *ctp, void *buf, size_t n, size_t offset)
{
	return MsgRead(ctp->rcvid, buf, n, offset);
}

int resmgr_msgreply(int rcvid, long status, const void *buf, size_t n)
{
	return MsgReply(rcvid, status, buf, n);
}

/* ---- bindings ------------------------------------------------------------ */

struct rm_bind *rm_bind_find(dispatch_t *dpp, int scoid, int coid)
{
	for (int i = 0; i < dpp->d_nbinds; i++)
		if (dpp->d_binds[i].b_scoid == scoid && dpp->d_binds[i].b_coid == coid)
			return &dpp->d_binds[i];
	return NULL;
}

RESMGR_OCB_T *resmgr_ocb_lookup(dispatch_t *dpp, int pid, int coid, int scoid)
{
	struct rm_bind *b = rm_bind_find(dpp, scoid, coid);

	return b && b->b_pid == pid ? b->b_ocb : NULL;
}

RESMGR_OCB_T *resmgr_ocb_lookup_coid(dispatch_t *dpp, int pid, int coid)
{
	for (int i = 0; i < dpp->d_nbinds; i++)
		if (dpp->d_binds[i].b_pid == pid && dpp->d_binds[i].b_coid == coid)
			return dpp->d_binds[i].b_ocb;
	return NULL;
}

/* Drop binding b; the OCB's last one frees it through close_ocb. */
void rm_unbind(resmgr_context_t *ctp, struct rm_bind *b)
{
	dispatch_t *dpp = ctp->dpp;
	iofunc_ocb_t *ocb = b->b_ocb;
	const resmgr_io_funcs_t *io = b->b_io;

	*b = dpp->d_binds[--dpp->d_nbinds];
	if (--ocb->refs == 0 && io->close_ocb)
		io->close_ocb(ctp, NULL, ocb);
}

int resmgr_open_bind(resmgr_context_t *ctp, RESMGR_OCB_T *ocb, const resmgr_io_funcs_t *io)
{
	dispatch_t *dpp = ctp->dpp;
	struct rm_bind *b;

	if (io == NULL)
		io = ctp->io_funcs;
	ocb->refs++;	/* first: the unbind below may be ocb's own */
	if ((b = rm_bind_find(dpp, ctp->info.scoid, ctp->info.coid)) != NULL)
		rm_unbind(ctp, b);
	if (dpp->d_nbinds == dpp->d_maxbinds) {
		int n = dpp->d_maxbinds ? 2 * dpp->d_maxbinds : 32;
		struct rm_bind *nb = realloc(dpp->d_binds, (size_t)n * sizeof(*nb));

		if (nb == NULL) {
			ocb->refs--;
			return ENOMEM;
		}
		dpp->d_binds = nb, dpp->d_maxbinds = n;
	}
	dpp->d_binds[dpp->d_nbinds++] = (struct rm_bind){ ctp->info.scoid,
	    ctp->info.coid, ctp->info.pid, ocb, io };
	return EOK;
}

int resmgr_unbind(resmgr_context_t *ctp)
{
	struct rm_bind *b = rm_bind_find(ctp->dpp, ctp->info.scoid, ctp->info.coid);

	if (b == NULL)
		return EBADF;
	rm_unbind(ctp, b);
	return EOK;
}

/* A client process dropped its last connection (or died): its OCBs go. */
void rm_disconnect(resmgr_context_t *ctp, int scoid)
{
	dispatch_t *dpp = ctp->dpp;

	for (int i = 0; i < dpp->d_nbinds; )
		if (dpp->d_binds[i].b_scoid == scoid)
			rm_unbind(ctp, &dpp->d_binds[i]);
		else
			i++;
}

/* ---- decoding ------------------------------------------------------------- */

/* _IO_CONNECT: path and extra checked, then the attachment's function. */
static int connect_msg(resmgr_context_t *ctp)
{
	struct _io_connect *c = (struct _io_connect *)ctp->msg;
	const resmgr_connect_funcs_t *f;
	struct rm_attach *a;
	size_t xoff;
	void *extra;

	if (ctp->size < sizeof(*c) || c->path_len == 0 ||
	    sizeof(*c) + c->path_len > ctp->size ||
	    strnlen(c->path, c->path_len) != (size_t)c->path_len - 1u)
		return EINVAL;
	xoff = _IO_CONNECT_EXTRA_OFF(c->path_len);
	if (c->extra_len && xoff + c->extra_len > ctp->size)
		return EINVAL;
	extra = c->extra_len ? (char *)c + xoff : NULL;
	if (c->handle == 0 || c->handle > RM_ATTACH_MAX ||
	    (a = &ctp->dpp->d_attach[c->handle - 1])->a_id == 0)
		return ENOENT;
	ctp->id = a->a_id;
	ctp->io_funcs = a->a_io;
	f = a->a_connect;
	switch (c->subtype) {
	case _IO_CONNECT_OPEN:
		return f->open ? f->open(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	case _IO_CONNECT_UNLINK:
		return f->unlink ? f->unlink(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	case _IO_CONNECT_RENAME:
		return f->rename ? f->rename(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	case _IO_CONNECT_MKNOD:
		return f->mknod ? f->mknod(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	case _IO_CONNECT_READLINK:
		return f->readlink ? f->readlink(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	case _IO_CONNECT_LINK:
		return f->link ? f->link(ctp, (io_open_t *)c, a->a_handle, extra) : ENOSYS;
	default:
		return ENOSYS;
	}
}

/* The smallest well-formed message of each I/O type (0: not served). */
static size_t io_min(unsigned type)
{
	switch (type) {
	case _IO_READ:		return sizeof(struct _io_read);
	case _IO_WRITE:		return sizeof(struct _io_write);
	case _IO_STAT:		return sizeof(struct _io_stat);
	case _IO_NOTIFY:	return sizeof(struct _io_notify);
	case _IO_DEVCTL:	return sizeof(struct _io_devctl);
	case _IO_PATHCONF:	return sizeof(struct _io_pathconf);
	case _IO_LSEEK:		return sizeof(struct _io_lseek);
	case _IO_CHMOD:		return sizeof(struct _io_chmod);
	case _IO_CHOWN:		return sizeof(struct _io_chown);
	case _IO_UTIME:		return sizeof(struct _io_utime);
	case _IO_OPENFD:	return sizeof(struct _io_openfd);
	case _IO_FDINFO:	return sizeof(struct _io_fdinfo);
	case _IO_SPACE:		return sizeof(struct _io_space);
	case _IO_MSG:		return sizeof(struct _io_msg);
	case _IO_DUP:		return sizeof(struct _io_dup);
	case _IO_CLOSE:		return sizeof(struct _io_close);
	case _IO_SYNC:		return sizeof(struct _io_sync);
	default:		return 0;
	}
}

#define CALL(fn, type) (io->fn ? io->fn(ctp, (type *)m, ocb) : ENOSYS)

/* A message on a connection bound to ocb through io. */
static int io_call(resmgr_context_t *ctp, const resmgr_io_funcs_t *io, iofunc_ocb_t *ocb)
{
	void *m = ctp->msg;

	ctp->io_funcs = io;
	switch (ctp->msg->hdr.type) {
	case _IO_READ:		return CALL(read, io_read_t);
	case _IO_WRITE:		return CALL(write, io_write_t);
	case _IO_STAT:		return CALL(stat, io_stat_t);
	case _IO_NOTIFY:	return CALL(notify, io_notify_t);
	case _IO_DEVCTL:	return CALL(devctl, io_devctl_t);
	case _IO_PATHCONF:	return CALL(pathconf, io_pathconf_t);
	case _IO_LSEEK:		return CALL(lseek, io_lseek_t);
	case _IO_CHMOD:		return CALL(chmod, io_chmod_t);
	case _IO_CHOWN:		return CALL(chown, io_chown_t);
	case _IO_UTIME:		return CALL(utime, io_utime_t);
	case _IO_OPENFD:	return CALL(openfd, io_openfd_t);
	case _IO_FDINFO:	return CALL(fdinfo, io_fdinfo_t);
	case _IO_SPACE:		return CALL(space, io_space_t);
	case _IO_SYNC:		return CALL(sync, io_sync_t);
	case _IO_MSG:		return CALL(msg, io_msg_t);
	case _IO_DUP:		return CALL(dup, io_dup_t);
	default:		return ENOSYS;
	}
}

/*
 * _IO_DUP and _IO_OPENFD come on a new connection and name another one,
 * which must exist and belong to the process named (the kernel vouches
 * for scoid and pid only through our own bindings).
 */
static int named_call(resmgr_context_t *ctp, const struct _msg_info *named)
{
	struct rm_bind *b = rm_bind_find(ctp->dpp, named->scoid, named->coid);

	if (b == NULL || b->b_pid != named->pid)
		return EBADF;
	return io_call(ctp, b->b_io, b->b_ocb);
}

static int io_msg(resmgr_context_t *ctp)
{
	unsigned type = ctp->msg->hdr.type;
	const uint16_t *combine = (const uint16_t *)ctp->msg + 1;
	size_t min = io_min(type);
	struct rm_bind *b;

	if (min == 0)
		return ENOSYS;
	if (ctp->size < min)
		return EINVAL;
	if (*combine != 0)
		return ENOSYS;	/* combine messages: not supported (sys/iomsg.h) */
	if (type == _IO_DUP)
		return named_call(ctp, &((struct _io_dup *)ctp->msg)->info);
	if (type == _IO_OPENFD)
		return named_call(ctp, &((struct _io_openfd *)ctp->msg)->info);
	if ((b = rm_bind_find(ctp->dpp, ctp->info.scoid, ctp->info.coid)) == NULL)
		return EBADF;
	if (type == _IO_CLOSE) {
		rm_unbind(ctp, b);
		return EOK;
	}
	return io_call(ctp, b->b_io, b->b_ocb);
}

void rm_message(resmgr_context_t *ctp)
{
	int r;

	if (ctp->size < sizeof(struct _msg_hdr))
		r = EINVAL;
	else if (ctp->msg->hdr.type == _IO_CONNECT)
		r = connect_msg(ctp);
	else
		r = io_msg(ctp);
	rm_answer(ctp, r);
}
