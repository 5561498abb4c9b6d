/*
 * iofunc.c - the POSIX defaults: opening with permission checks, OCBs,
 * stat, lseek, chmod/chown/utime, devctl, pathconf, dup and openfd,
 * unblock (record locks: lock.c).  Credentials come from taskman (_PROC_GETSETID GETIDS of the
 * client's pid), as QNX's ConnectClientInfo would give them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "rm.h"

/*
 * The access mode: the low two bits.  musl's O_ACCMODE also holds O_PATH
 * (as O_SEARCH), which stat() and friends send and which asks for no access.
 */
#define ACCMODE		3

static uint64_t iofunc_next_inode = 1;	/* atomic: any thread may make objects */

static int64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

void iofunc_attr_init(iofunc_attr_t *attr, mode_t mode, iofunc_attr_t *dattr,
    struct _client_info *info)
{
	pthread_mutexattr_t ma;

	(void)dattr;
	memset(attr, 0, sizeof(*attr));
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&attr->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	attr->mode = mode;
	attr->nlink = 1;
	attr->inode = __atomic_fetch_add(&iofunc_next_inode, 1, __ATOMIC_RELAXED);
	attr->uid = info ? info->euid : 0;
	attr->gid = info ? info->egid : 0;
	attr->mtime = attr->atime = attr->ctime = now();
}

int iofunc_attr_lock(iofunc_attr_t *attr)
{
	return attr ? pthread_mutex_lock(&attr->lock) : EINVAL;
}

int iofunc_attr_trylock(iofunc_attr_t *attr)
{
	return attr ? pthread_mutex_trylock(&attr->lock) : EINVAL;
}

int iofunc_attr_unlock(iofunc_attr_t *attr)
{
	return attr ? pthread_mutex_unlock(&attr->lock) : EINVAL;
}

int iofunc_client_info(resmgr_context_t *ctp, int ioflag, struct _client_info *info)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETIDS,
	    .gi_pid = ctp->info.pid };
	struct {
		struct _proc_ids	ids;
		int32_t			groups[_CLIENT_NGROUPS_MAX];
	} r;
	long n;

	(void)ioflag;
	if ((n = MsgSend(SYSMGR_COID, &m, sizeof(m), &r, sizeof(r))) < 0)
		return errno == ESRCH ? ESRCH : EACCES;
	if (n > _CLIENT_NGROUPS_MAX)
		n = _CLIENT_NGROUPS_MAX;
	info->pid = ctp->info.pid;
	info->ruid = (uid_t)r.ids.pi_ruid;
	info->euid = (uid_t)r.ids.pi_euid;
	info->rgid = (gid_t)r.ids.pi_rgid;
	info->egid = (gid_t)r.ids.pi_egid;
	info->ngroups = (int)n;
	for (long i = 0; i < n; i++)
		info->groups[i] = (gid_t)r.groups[i];
	return EOK;
}

int iofunc_check_access(resmgr_context_t *ctp, const iofunc_attr_t *attr,
    int ioflag, const struct _client_info *info)
{
	unsigned want = 0;

	(void)ctp;
	if ((ioflag & ACCMODE) != O_WRONLY)
		want |= 4;
	if ((ioflag & ACCMODE) != O_RDONLY || (ioflag & O_TRUNC))
		want |= 2;
	return iofunc_client_may(info, attr->mode, attr->uid, attr->gid, want);
}

int iofunc_ocb_attach(resmgr_context_t *ctp, unsigned ioflag, iofunc_attr_t *attr,
    const resmgr_io_funcs_t *io)
{
	iofunc_ocb_t *ocb = calloc(1, sizeof(*ocb));
	int r;

	if (ocb == NULL)
		return ENOMEM;
	ocb->attr = attr;
	ocb->ioflag = ioflag;
	attr->count++;
	if ((ioflag & ACCMODE) != O_WRONLY)
		attr->rcount++;
	if ((ioflag & ACCMODE) != O_RDONLY)
		attr->wcount++;
	if ((r = resmgr_open_bind(ctp, ocb, io)) != EOK) {
		iofunc_ocb_detach(ctp, ocb);
		free(ocb);
	}
	return r;
}

void iofunc_ocb_detach(resmgr_context_t *ctp, iofunc_ocb_t *ocb)
{
	iofunc_attr_t *attr = ocb->attr;

	(void)ctp;
	attr->count--;
	if ((ocb->ioflag & ACCMODE) != O_WRONLY)
		attr->rcount--;
	if ((ocb->ioflag & ACCMODE) != O_RDONLY)
		attr->wcount--;
}

int iofunc_open(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr,
    iofunc_attr_t *dattr, struct _client_info *info)
{
	struct _client_info ci;
	int r;

	(void)dattr;
	if (info == NULL && (r = iofunc_client_info(ctp, 0, info = &ci)) != EOK)
		return r;
	if ((msg->i.ioflag & ACCMODE) == ACCMODE)
		return EINVAL;
	if (S_ISDIR(attr->mode) && (msg->i.ioflag & ACCMODE) != O_RDONLY)
		return EISDIR;
	return iofunc_check_access(ctp, attr, (int)msg->i.ioflag, info);
}

int iofunc_open_default(resmgr_context_t *ctp, io_open_t *msg, iofunc_attr_t *attr, void *extra)
{
	int r;

	(void)extra;
	if (msg->i.path[0] != '\0' && !S_ISDIR(attr->mode))
		return ENOENT;	/* a plain attach serves only its own name */
	iofunc_attr_lock(attr);
	if ((r = iofunc_open(ctp, msg, attr, NULL, NULL)) == EOK)
		r = iofunc_ocb_attach(ctp, msg->i.ioflag, attr, NULL);
	iofunc_attr_unlock(attr);
	return r;
}

int iofunc_read_default(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)msg, (void)ocb;
	return ENOSYS;
}

int iofunc_write_default(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)msg, (void)ocb;
	return ENOSYS;
}

int iofunc_read_verify(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb, int *nonblock)
{
	(void)ctp;
	if ((msg->i.xtype & _IO_XTYPE_MASK) != _IO_XTYPE_NONE &&
	    (msg->i.xtype & _IO_XTYPE_MASK) != _IO_XTYPE_OFFSET)
		return EINVAL;
	if (nonblock)
		*nonblock = (ocb->ioflag & O_NONBLOCK) || (msg->i.xtype & _IO_XFLAG_NONBLOCK);
	return (ocb->ioflag & ACCMODE) == O_WRONLY ? EBADF : EOK;
}

int iofunc_write_verify(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb, int *nonblock)
{
	size_t hdr = sizeof(msg->i) + ((msg->i.xtype & _IO_XTYPE_MASK) ==
	    _IO_XTYPE_OFFSET ? sizeof(struct _xtype_offset) : 0);

	if ((msg->i.xtype & _IO_XTYPE_MASK) != _IO_XTYPE_NONE &&
	    (msg->i.xtype & _IO_XTYPE_MASK) != _IO_XTYPE_OFFSET)
		return EINVAL;
	if ((size_t)ctp->info.srcmsglen < hdr + msg->i.nbytes)
		return EINVAL;	/* claims more data than it sent */
	if (nonblock)
		*nonblock = (ocb->ioflag & O_NONBLOCK) || (msg->i.xtype & _IO_XFLAG_NONBLOCK);
	return (ocb->ioflag & ACCMODE) == O_RDONLY ? EBADF : EOK;
}

int iofunc_close_ocb_default(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	(void)reserved;
	iofunc_attr_lock(ocb->attr);
	iofunc_ocb_detach(ctp, ocb);
	if (ocb->attr->count == 0)
		iofunc_lock_free(&ocb->attr->lock_list);	/* no owner is left with an fd */
	iofunc_attr_unlock(ocb->attr);
	free(ocb);
	return EOK;
}

int iofunc_stat_default(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *ocb)
{
	struct _io_stat_buf *sbp = (struct _io_stat_buf *)ctp->msg, sb;	/* the reply goes in the context */
	iofunc_attr_t *a = ocb->attr;

	(void)msg;
	_Static_assert(sizeof(sb) <= sizeof(*ctp->msg), "the stat reply fits the context");
	memset(&sb, 0, sizeof(sb));
	sb.sb_ino = a->inode, sb.sb_mode = a->mode, sb.sb_nlink = (uint32_t)a->nlink;
	sb.sb_uid = a->uid, sb.sb_gid = a->gid, sb.sb_rdev = a->rdev;
	sb.sb_size = a->nbytes, sb.sb_blksize = 4096, sb.sb_blocks = (a->nbytes + 511) / 512;
	sb.sb_atime_sec = a->atime, sb.sb_mtime_sec = a->mtime, sb.sb_ctime_sec = a->ctime;
	sb.sb_dev = (uint64_t)getpid();	/* one device per server */
	*sbp = sb;
	SETIOV(&ctp->iov[0], sbp, sizeof(*sbp));
	return _RESMGR_NPARTS(1);
}

int iofunc_lseek_default(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *ocb)
{
	struct _io_lseek_reply *lr = (struct _io_lseek_reply *)ctp->msg;	/* msg is read first */
	int64_t base;

	if (S_ISFIFO(ocb->attr->mode) || S_ISSOCK(ocb->attr->mode))
		return ESPIPE;
	switch (msg->i.whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = ocb->offset; break;
	case SEEK_END: base = ocb->attr->nbytes; break;
	default: return EINVAL;
	}
	if (base + msg->i.offset < 0)
		return EINVAL;
	ocb->offset = base + msg->i.offset;
	memset(lr, 0, sizeof(*lr));
	lr->lr_offset = (uint64_t)ocb->offset;
	SETIOV(&ctp->iov[0], lr, sizeof(*lr));
	return _RESMGR_NPARTS(1);
}

/* The owner or root may change an object's attributes. */
static int owner_check(resmgr_context_t *ctp, iofunc_attr_t *a, struct _client_info *ci)
{
	int r = iofunc_client_info(ctp, 0, ci);

	if (r != EOK)
		return r;
	return ci->euid == 0 || ci->euid == a->uid ? EOK : EPERM;
}

int iofunc_chmod_default(resmgr_context_t *ctp, io_chmod_t *msg, iofunc_ocb_t *ocb)
{
	struct _client_info ci;
	int r = owner_check(ctp, ocb->attr, &ci);

	if (r != EOK)
		return r;
	ocb->attr->mode = (ocb->attr->mode & S_IFMT) | (msg->i.mode & 07777);
	ocb->attr->ctime = now();
	return EOK;
}

int iofunc_chown_default(resmgr_context_t *ctp, io_chown_t *msg, iofunc_ocb_t *ocb)
{
	struct _client_info ci;
	iofunc_attr_t *a = ocb->attr;
	int r = owner_check(ctp, a, &ci);

	if (r != EOK)
		return r;
	/*
	 * POSIX_CHOWN_RESTRICTED: only root gives a file away; the owner may
	 * change its group to one of the owner's own.
	 */
	if (ci.euid != 0 && ((msg->i.uid != -1 && (uid_t)msg->i.uid != a->uid) ||
	    (msg->i.gid != -1 && (gid_t)msg->i.gid != a->gid &&
	    !iofunc_client_ingroup(&ci, (gid_t)msg->i.gid))))
		return EPERM;
	if (msg->i.uid != -1)
		a->uid = (uid_t)msg->i.uid;
	if (msg->i.gid != -1)
		a->gid = (gid_t)msg->i.gid;
	a->ctime = now();
	return EOK;
}

int iofunc_utime_default(resmgr_context_t *ctp, io_utime_t *msg, iofunc_ocb_t *ocb)
{
	struct _client_info ci;
	int r = owner_check(ctp, ocb->attr, &ci);

	if (r != EOK)
		return r;
	if (msg->i.atime_nsec != _IO_UTIME_OMIT)
		ocb->attr->atime = msg->i.atime_nsec == _IO_UTIME_NOW ? now() : msg->i.atime_sec;
	if (msg->i.mtime_nsec != _IO_UTIME_OMIT)
		ocb->attr->mtime = msg->i.mtime_nsec == _IO_UTIME_NOW ? now() : msg->i.mtime_sec;
	ocb->attr->ctime = now();
	return EOK;
}

int iofunc_devctl_default(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)msg, (void)ocb;
	return ENOTTY;
}

int iofunc_unblock_default(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)msg, (void)ocb;
	return EINTR;
}

int iofunc_pathconf_default(resmgr_context_t *ctp, io_pathconf_t *msg, iofunc_ocb_t *ocb)
{
	(void)ocb;
	switch (msg->i.name) {
	case _PC_LINK_MAX:	ctp->status = 1; break;
	case _PC_NAME_MAX:	ctp->status = 255; break;
	case _PC_PATH_MAX:	ctp->status = _IO_CONNECT_PATH_MAX; break;
	case _PC_PIPE_BUF:	ctp->status = 4096; break;
	default:		return EINVAL;
	}
	return _RESMGR_NPARTS(0);
}

int iofunc_sync_default(resmgr_context_t *ctp, io_sync_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp, (void)ocb;
	return msg->i.flag & ~(uint32_t)_IO_SYNC_DATA ? EINVAL : EOK;
}

int iofunc_fdinfo_default(resmgr_context_t *ctp, io_fdinfo_t *msg, iofunc_ocb_t *ocb)
{
	struct _io_fdinfo_reply *fr = (struct _io_fdinfo_reply *)ctp->msg;

	(void)msg;
	*fr = (struct _io_fdinfo_reply){ .fr_mode = ocb->attr->mode, .fr_ioflag = ocb->ioflag,
	    .fr_offset = (uint64_t)ocb->offset, .fr_size = (uint64_t)ocb->attr->nbytes,
	    .fr_count = (uint16_t)ocb->refs };
	SETIOV(&ctp->iov[0], fr, sizeof(*fr));
	return _RESMGR_NPARTS(1);
}

/* _IO_DUP: the new connection shares the OCB (offset and flags). */
int iofunc_dup_default(resmgr_context_t *ctp, io_dup_t *msg, iofunc_ocb_t *ocb)
{
	(void)msg;
	return resmgr_open_bind(ctp, ocb, NULL);
}

/* _IO_OPENFD: a new, independent OCB on the same object, access checked. */
int iofunc_openfd_default(resmgr_context_t *ctp, io_openfd_t *msg, iofunc_ocb_t *ocb)
{
	struct _client_info ci;
	int r;

	if ((msg->i.ioflag & ACCMODE) == ACCMODE)
		return EINVAL;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK ||
	    (r = iofunc_check_access(ctp, ocb->attr, (int)msg->i.ioflag, &ci)) != EOK)
		return r;
	return iofunc_ocb_attach(ctp, msg->i.ioflag, ocb->attr, NULL);
}

void iofunc_func_init(unsigned nconnect, resmgr_connect_funcs_t *c,
    unsigned nio, resmgr_io_funcs_t *io)
{
	memset(c, 0, sizeof(*c));
	memset(io, 0, sizeof(*io));
	c->nfuncs = nconnect;
	c->open = iofunc_open_default;
	io->nfuncs = nio;
	io->read = iofunc_read_default;
	io->write = iofunc_write_default;
	io->close_ocb = iofunc_close_ocb_default;
	io->stat = iofunc_stat_default;
	io->devctl = iofunc_devctl_default;
	io->unblock = iofunc_unblock_default;
	io->pathconf = iofunc_pathconf_default;
	io->lseek = iofunc_lseek_default;
	io->chmod = iofunc_chmod_default;
	io->chown = iofunc_chown_default;
	io->utime = iofunc_utime_default;
	io->openfd = iofunc_openfd_default;
	io->fdinfo = iofunc_fdinfo_default;
	io->sync = iofunc_sync_default;
	io->dup = iofunc_dup_default;
	io->lock = iofunc_lock_default;
	io->close_dup = iofunc_close_dup_default;
}
