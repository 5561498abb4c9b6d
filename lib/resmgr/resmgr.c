/*
 * resmgr.c - the resource manager layer: attaching prefixes with
 * taskman's path manager, binding OCBs to client connections, and
 * decoding every message before a handler sees it.  Nothing a client
 * sends is trusted: a message shorter than its header, a path without
 * its NUL, extra data past the end or a combine message gets an error
 * reply (EINVAL, ENOSYS), never a crash.  Any number of threads may
 * call in at once (rm.h says what is locked, and in which order).
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
	if (len > sizeof(m.p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	pthread_mutex_lock(&dpp->d_lock);
	for (i = 0; i < RM_ATTACH_MAX && dpp->d_attach[i].a_id; i++)
		;
	if (i < RM_ATTACH_MAX)
		dpp->d_attach[i].a_id = -1;	/* reserved: taskman is asked unlocked */
	pthread_mutex_unlock(&dpp->d_lock);
	if (i == RM_ATTACH_MAX) {
		errno = ENOSPC;
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
	r = MsgSend(SYSMGR_COID, &m, sizeof(m.a) + len, 0, 0);
	pthread_mutex_lock(&dpp->d_lock);
	dpp->d_attach[i] = r < 0 ? (struct rm_attach){ 0 } :
	    (struct rm_attach){ r, connect_funcs, io_funcs, handle };
	pthread_mutex_unlock(&dpp->d_lock);
	return r < 0 ? -1 : r;
}

int resmgr_detach(dispatch_t *dpp, int id, unsigned flags)
{
	struct _path_detach m = { .type = _PATH_DETACH, .pd_id = id };
	int i;

	(void)flags;
	pthread_mutex_lock(&dpp->d_lock);
	for (i = 0; i < RM_ATTACH_MAX && (id <= 0 || dpp->d_attach[i].a_id != id); i++)
		;
	if (i < RM_ATTACH_MAX)
		dpp->d_attach[i].a_id = 0;
	pthread_mutex_unlock(&dpp->d_lock);
	if (i == RM_ATTACH_MAX) {
		errno = ENOENT;
		return -1;
	}
	return MsgSend(SYSMGR_COID, &m, sizeof(m), 0, 0) < 0 ? -1 : 0;
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
	struct rm_bind *b;
	iofunc_ocb_t *ocb = NULL;

	pthread_mutex_lock(&dpp->d_lock);
	if ((b = rm_bind_find(dpp, scoid, coid)) != NULL && b->b_pid == pid)
		ocb = b->b_ocb;
	pthread_mutex_unlock(&dpp->d_lock);
	return ocb;
}

RESMGR_OCB_T *resmgr_ocb_lookup_coid(dispatch_t *dpp, int pid, int coid)
{
	iofunc_ocb_t *ocb = NULL;

	pthread_mutex_lock(&dpp->d_lock);
	for (int i = 0; i < dpp->d_nbinds && ocb == NULL; i++)
		if (dpp->d_binds[i].b_pid == pid && dpp->d_binds[i].b_coid == coid)
			ocb = dpp->d_binds[i].b_ocb;
	pthread_mutex_unlock(&dpp->d_lock);
	return ocb;
}

iofunc_ocb_t *rm_unbind_locked(dispatch_t *dpp, struct rm_bind *b, const resmgr_io_funcs_t **iop)
{
	iofunc_ocb_t *ocb = b->b_ocb;

	*iop = b->b_io;
	*b = dpp->d_binds[--dpp->d_nbinds];
	return --ocb->refs == 0 && ocb->busy == 0 ? ocb : NULL;
}

void rm_ocb_close(resmgr_context_t *ctp, iofunc_ocb_t *ocb, const resmgr_io_funcs_t *io)
{
	if (ocb != NULL && io->close_ocb)
		io->close_ocb(ctp, NULL, ocb);
}

iofunc_ocb_t *rm_ocb_hold(dispatch_t *dpp, int scoid, int coid, int pid,
    const resmgr_io_funcs_t **iop)
{
	struct rm_bind *b;
	iofunc_ocb_t *ocb = NULL;

	pthread_mutex_lock(&dpp->d_lock);
	if ((b = rm_bind_find(dpp, scoid, coid)) != NULL && (pid < 0 || b->b_pid == pid)) {
		ocb = b->b_ocb;
		ocb->busy++;
		*iop = b->b_io;
	}
	pthread_mutex_unlock(&dpp->d_lock);
	return ocb;
}

void rm_ocb_release(resmgr_context_t *ctp, iofunc_ocb_t *ocb, const resmgr_io_funcs_t *io)
{
	int last;

	pthread_mutex_lock(&ctp->dpp->d_lock);
	last = --ocb->busy == 0 && ocb->refs == 0;
	pthread_mutex_unlock(&ctp->dpp->d_lock);
	if (last)
		rm_ocb_close(ctp, ocb, io);
}

int resmgr_open_bind(resmgr_context_t *ctp, RESMGR_OCB_T *ocb, const resmgr_io_funcs_t *io)
{
	dispatch_t *dpp = ctp->dpp;
	const resmgr_io_funcs_t *oldio = NULL;
	iofunc_ocb_t *old = NULL;
	struct rm_bind *b;
	int r = EOK;

	if (io == NULL)
		io = ctp->io_funcs;
	pthread_mutex_lock(&dpp->d_lock);
	ocb->refs++;	/* first: the unbind below may be ocb's own */
	if ((b = rm_bind_find(dpp, ctp->info.scoid, ctp->info.coid)) != NULL)
		old = rm_unbind_locked(dpp, b, &oldio);
	if (dpp->d_nbinds == dpp->d_maxbinds) {
		int n = dpp->d_maxbinds ? 2 * dpp->d_maxbinds : 32;
		struct rm_bind *nb = realloc(dpp->d_binds, (size_t)n * sizeof(*nb));

		if (nb == NULL) {
			ocb->refs--;
			r = ENOMEM;
		} else {
			dpp->d_binds = nb, dpp->d_maxbinds = n;
		}
	}
	if (r == EOK)
		dpp->d_binds[dpp->d_nbinds++] = (struct rm_bind){ ctp->info.scoid,
		    ctp->info.coid, ctp->info.pid, ocb, io };
	pthread_mutex_unlock(&dpp->d_lock);
	rm_ocb_close(ctp, old, oldio);
	return r;
}

/*
 * The close_dup handler of a connection that goes (record locks), run
 * with the OCB held and its attribute locked, as the client (pid, scoid,
 * coid) that closes it: on a disconnect ctp->info is a pulse's.
 */
static void close_dup(resmgr_context_t *ctp, iofunc_ocb_t *ocb, const resmgr_io_funcs_t *io,
    int pid, int scoid, int coid)
{
	io_close_t m = { .i = { .type = _IO_CLOSE } };
	struct _msg_info save = ctp->info;

	if (io->close_dup == NULL)
		return;
	ctp->info.pid = pid, ctp->info.scoid = scoid, ctp->info.coid = coid;
	if (ocb->attr)
		iofunc_attr_lock(ocb->attr);
	io->close_dup(ctp, &m, ocb);
	if (ocb->attr)
		iofunc_attr_unlock(ocb->attr);
	ctp->info = save;
}

/*
 * Unbind ctp's sender's connection (scoid, coid), after its close_dup;
 * close its OCB if that was the last reference.
 */
static int unbind_conn(resmgr_context_t *ctp, int scoid, int coid)
{
	dispatch_t *dpp = ctp->dpp;
	const resmgr_io_funcs_t *io = NULL, *uio;
	iofunc_ocb_t *ocb = NULL;
	struct rm_bind *b;
	int pid = 0;

	pthread_mutex_lock(&dpp->d_lock);
	if ((b = rm_bind_find(dpp, scoid, coid)) != NULL) {
		ocb = b->b_ocb, io = b->b_io, pid = b->b_pid;
		ocb->busy++;
	}
	pthread_mutex_unlock(&dpp->d_lock);
	if (b == NULL)
		return EBADF;
	close_dup(ctp, ocb, io, pid, scoid, coid);
	pthread_mutex_lock(&dpp->d_lock);
	if ((b = rm_bind_find(dpp, scoid, coid)) != NULL)
		rm_unbind_locked(dpp, b, &uio);	/* NULL: we hold it busy */
	pthread_mutex_unlock(&dpp->d_lock);
	rm_ocb_release(ctp, ocb, io);
	return b == NULL ? EBADF : EOK;	/* EBADF: another thread was first */
}

int resmgr_unbind(resmgr_context_t *ctp)
{
	return unbind_conn(ctp, ctp->info.scoid, ctp->info.coid);
}

/* A client process dropped its last connection (or died): its OCBs go. */
void rm_disconnect(resmgr_context_t *ctp, int scoid)
{
	dispatch_t *dpp = ctp->dpp;

	for (;;) {
		int coid = -1;

		pthread_mutex_lock(&dpp->d_lock);
		for (int i = 0; i < dpp->d_nbinds && coid < 0; i++)
			if (dpp->d_binds[i].b_scoid == scoid)
				coid = dpp->d_binds[i].b_coid;
		pthread_mutex_unlock(&dpp->d_lock);
		if (coid < 0)
			return;
		unbind_conn(ctp, scoid, coid);	/* EBADF: another thread was first */
	}
}

/* ---- decoding ------------------------------------------------------------- */

/* _IO_CONNECT: path and extra checked, then the attachment's function. */
static int connect_msg(resmgr_context_t *ctp)
{
	struct _io_connect *c = (struct _io_connect *)ctp->msg;
	const resmgr_connect_funcs_t *f;
	struct rm_attach a = { 0 };
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
	if (c->handle != 0 && c->handle <= RM_ATTACH_MAX) {
		pthread_mutex_lock(&ctp->dpp->d_lock);
		a = ctp->dpp->d_attach[c->handle - 1];
		pthread_mutex_unlock(&ctp->dpp->d_lock);
	}
	if (a.a_id <= 0)
		return ENOENT;
	ctp->id = a.a_id;
	ctp->io_funcs = a.a_io;
	f = a.a_connect;
	switch (c->subtype) {
	case _IO_CONNECT_OPEN:
		return f->open ? f->open(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
	case _IO_CONNECT_UNLINK:
		return f->unlink ? f->unlink(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
	case _IO_CONNECT_RENAME:
		return f->rename ? f->rename(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
	case _IO_CONNECT_MKNOD:
		return f->mknod ? f->mknod(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
	case _IO_CONNECT_READLINK:
		return f->readlink ? f->readlink(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
	case _IO_CONNECT_LINK:
		return f->link ? f->link(ctp, (io_open_t *)c, a.a_handle, extra) : ENOSYS;
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
	case _IO_LOCK:		return sizeof(struct _io_lock);
	case _IO_SPACE:		return sizeof(struct _io_space);
	case _IO_MSG:		return sizeof(struct _io_msg);
	case _IO_DUP:		return sizeof(struct _io_dup);
	case _IO_CLOSE:		return sizeof(struct _io_close);
	case _IO_SYNC:		return sizeof(struct _io_sync);
	case _IO_MMAP:		return sizeof(struct _io_mmap);
	default:		return 0;
	}
}

#define CALL(fn, type) (io->fn ? io->fn(ctp, (type *)m, ocb) : ENOSYS)

/* A message on a connection bound to ocb through io (held busy, attr locked). */
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
	case _IO_LOCK:		return CALL(lock, io_lock_t);
	case _IO_SPACE:		return CALL(space, io_space_t);
	case _IO_SYNC:		return CALL(sync, io_sync_t);
	case _IO_MSG:		return CALL(msg, io_msg_t);
	case _IO_DUP:		return CALL(dup, io_dup_t);
	case _IO_MMAP:		return io->mmap ? io->mmap(ctp, m, ocb) : ENODEV;
	default:		return ENOSYS;
	}
}

/*
 * The OCB bound to (scoid, coid) (and pid, if >= 0) is held busy and its
 * attribute locked while its handler runs (QNX's lock_ocb), so a second
 * thread serving the same object waits, and a close or disconnect in
 * another thread frees the OCB only once the handler is done.
 */
static int held_call(resmgr_context_t *ctp, int scoid, int coid, int pid)
{
	const resmgr_io_funcs_t *io;
	iofunc_ocb_t *ocb = rm_ocb_hold(ctp->dpp, scoid, coid, pid, &io);
	iofunc_attr_t *attr;
	int r;

	if (ocb == NULL)
		return EBADF;
	attr = ocb->attr;
	if (attr)
		iofunc_attr_lock(attr);
	r = io_call(ctp, io, ocb);
	if (attr)
		iofunc_attr_unlock(attr);
	rm_ocb_release(ctp, ocb, io);
	return r;
}

/*
 * _IO_DUP and _IO_OPENFD come on a new connection and name another one,
 * which must exist and belong to the process named (the kernel vouches
 * for scoid and pid only through our own bindings).
 */
static int named_call(resmgr_context_t *ctp, const struct _msg_info *named)
{
	return held_call(ctp, named->scoid, named->coid, named->pid);
}

static int io_msg(resmgr_context_t *ctp)
{
	unsigned type = ctp->msg->hdr.type;
	const uint16_t *combine = (const uint16_t *)ctp->msg + 1;
	size_t min = io_min(type);

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
	if (type == _IO_CLOSE)
		return unbind_conn(ctp, ctp->info.scoid, ctp->info.coid);
	return held_call(ctp, ctp->info.scoid, ctp->info.coid, -1);
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
