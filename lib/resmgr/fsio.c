/*
 * fsio.c - the file-system server layer's I/O handlers (sys/fsserv.h):
 * read (file data, or struct _io_dirent records on a directory), write,
 * stat, lseek (with SEEK_DATA/SEEK_HOLE), chmod, chown, utime, space
 * (truncate), openfd, fdinfo, pathconf, sync, devctl (statvfs, umount),
 * fcntl record locks (per node), mmap (taskman's grant) and the last close
 * of an OCB, on the file system's node operations.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/stat.h>
#include "fsint.h"

#define DIR_MAX		8192		/* bytes of dirent records one read returns at most */

/* read's data (the file system's buffer) and directory records; write's copies. */
static char xfer[FS_XFER_MAX] __attribute__((aligned(16)));

/* pread/pwrite's offset, after the header; -1 if the message is too short for it. */
static int64_t xoffset(resmgr_context_t *ctp, size_t hdr)
{
	struct _xtype_offset x;

	if (ctp->size < hdr + sizeof(x))
		return -1;
	memcpy(&x, (char *)ctp->msg + hdr, sizeof(x));
	return x.offset;
}

/* One directory entry as a record at d (rec bytes, zeroed first). */
static void dirent_fill(struct _io_dirent *d, size_t rec, const char *name, size_t nl,
    uint64_t ino, int64_t pos, unsigned char type)
{
	memset(d, 0, rec);
	d->d_ino = ino;
	d->d_off = pos;
	d->d_reclen = (uint16_t)rec;
	d->d_type = type;
	memcpy(d->d_name, name, nl + 1);
}

/* _IO_READ on a directory: whole struct _io_dirent records from the OCB's position. */
static int read_dir(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	static char name[FS_PATH_MAX];
	size_t max = msg->i.nbytes < DIR_MAX ? msg->i.nbytes : DIR_MAX, len = 0;
	int64_t pos = o->offset, at = pos;
	unsigned char type;
	uint64_t ino;
	int r;

	while ((r = fs_srv->ops->readdir(fs_node(o), &pos, name, &ino, &type)) == 1) {
		size_t nl = strlen(name), rec = (_IO_DIRENT_NAME_OFF + nl + 1 + 7) & ~(size_t)7;

		if (len + rec > max) {
			if (len == 0)
				return EINVAL;	/* not even one record fits */
			pos = at;
			break;
		}
		dirent_fill((struct _io_dirent *)(xfer + len), rec, name, nl, ino, pos, type);
		len += rec;
		at = pos;
	}
	if (r < 0 && len == 0)
		return fs_res(-r);
	o->offset = pos;
	SETIOV(&ctp->iov[0], xfer, len);
	_RESMGR_STATUS(ctp, (long)len);
	return _RESMGR_NPARTS(1);
}

static int io_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	static iov_t iov[FS_READ_IOV];
	void *node = fs_node(o);
	int pread = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	int64_t off = pread ? xoffset(ctp, sizeof(msg->i)) : o->offset;
	int r, niov = FS_READ_IOV;
	ssize_t got;

	if ((r = iofunc_read_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if (o->ioflag & O_PATH)
		return EBADF;
	if (S_ISDIR(fs_srv->ops->mode(node)))
		return pread ? EISDIR : read_dir(ctp, msg, o);
	if (off < 0)
		return EINVAL;
	if ((got = fs_srv->ops->read(node, off, msg->i.nbytes, xfer, iov, &niov)) < 0)
		return fs_res((int)-got);
	if (!pread)
		o->offset = off + got;
	MsgReplyv(ctp->rcvid, (long)got, iov, (size_t)niov);
	return _RESMGR_NOREPLY;
}

/* The next piece of a write's data at done: what came with the message, or read into xfer. */
static const char *write_data(resmgr_context_t *ctp, size_t hdr, size_t done, size_t *len,
    int *err)
{
	ssize_t got;

	if (hdr + done < ctp->size) {
		if (ctp->size - hdr - done < *len)
			*len = ctp->size - hdr - done;
		return (const char *)ctp->msg + hdr + done;
	}
	got = resmgr_msgread(ctp, xfer, *len < sizeof(xfer) ? *len : sizeof(xfer), hdr + done);
	if (got <= 0) {
		*err = got < 0 ? errno : EINVAL;
		return NULL;
	}
	*len = (size_t)got;
	return xfer;
}

static int io_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *o)
{
	const struct fs_ops *ops = fs_srv->ops;
	void *node = fs_node(o);
	int pwrite = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	size_t hdr = sizeof(msg->i) + (pwrite ? sizeof(struct _xtype_offset) : 0), done = 0;
	int64_t off;
	int r, err = 0;

	if ((r = iofunc_write_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if ((o->ioflag & O_PATH) || !S_ISREG(ops->mode(node)))
		return EBADF;
	off = pwrite ? xoffset(ctp, sizeof(msg->i)) : (o->ioflag & O_APPEND) ? ops->size(node) :
	    o->offset;
	if (off < 0)
		return EINVAL;
	while (done < msg->i.nbytes && err == 0) {
		size_t len = (size_t)msg->i.nbytes - done, w;
		const char *p = write_data(ctp, hdr, done, &len, &err);

		if (p == NULL)
			break;
		err = ops->write(node, off + (int64_t)done, p, len, &w);
		done += w;
	}
	if (done == 0 && err)
		return fs_res(err);
	if (!pwrite)
		o->offset = off + (int64_t)done;
	_RESMGR_STATUS(ctp, (long)done);
	return _RESMGR_NPARTS(0);
}

static int io_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *o)
{
	static struct _io_stat_buf sb;

	(void)msg;
	memset(&sb, 0, sizeof(sb));
	fs_srv->ops->stat(fs_node(o), &sb);
	sb.sb_dev = (uint64_t)getpid();	/* one device per server */
	SETIOV(&ctp->iov[0], &sb, sizeof(sb));
	return _RESMGR_NPARTS(1);
}

static int io_lseek(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	const struct fs_ops *ops = fs_srv->ops;
	void *node = fs_node(o);
	mode_t mode = ops->mode(node);
	int64_t at;

	switch (msg->i.whence) {
	case SEEK_SET: at = msg->i.offset; break;
	case SEEK_CUR: at = __builtin_add_overflow(o->offset, msg->i.offset, &at) ? -1 : at; break;
	case SEEK_END: at = __builtin_add_overflow(ops->size(node), msg->i.offset, &at) ? -1 : at;
		break;
	case 3: case 4:		/* SEEK_DATA, SEEK_HOLE */
		if (!S_ISREG(mode))
			return EINVAL;
		if ((at = ops->seek_data(node, msg->i.offset, msg->i.whence == 4)) < 0)
			return fs_res((int)-at);
		break;
	default: return EINVAL;
	}
	if (at < 0 || (S_ISDIR(mode) && msg->i.whence != SEEK_SET))
		return EINVAL;
	o->offset = at;
	lr.lr_offset = (uint64_t)at;
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

static int io_chmod(resmgr_context_t *ctp, io_chmod_t *msg, iofunc_ocb_t *o)
{
	struct _client_info ci;
	int r = iofunc_client_info(ctp, 0, &ci);

	return r ? r : fs_res(fs_srv->ops->chmod(&ci, fs_node(o), msg->i.mode));
}

static int io_chown(resmgr_context_t *ctp, io_chown_t *msg, iofunc_ocb_t *o)
{
	struct _client_info ci;
	int r = iofunc_client_info(ctp, 0, &ci);

	return r ? r : fs_res(fs_srv->ops->chown(&ci, fs_node(o), msg->i.uid, msg->i.gid));
}

static int io_utime(resmgr_context_t *ctp, io_utime_t *msg, iofunc_ocb_t *o)
{
	struct timespec ts[2] = { { msg->i.atime_sec, msg->i.atime_nsec },
	    { msg->i.mtime_sec, msg->i.mtime_nsec } };
	struct _client_info ci;
	int r = iofunc_client_info(ctp, 0, &ci);

	return r ? r : fs_res(fs_srv->ops->utimens(&ci, fs_node(o), ts));
}

/* _IO_SPACE: F_FREESP (len 0: from start to the end) and F_ALLOCSP (grow, sparse). */
static int io_space(resmgr_context_t *ctp, io_space_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	const struct fs_ops *ops = fs_srv->ops;
	void *node = fs_node(o);
	int64_t size = ops->size(node), start, end;
	int64_t base = msg->i.whence == SEEK_CUR ? o->offset : msg->i.whence == SEEK_END ? size : 0;
	int r;

	if ((o->ioflag & FS_ACCMODE) == O_RDONLY || (o->ioflag & O_PATH))
		return S_ISDIR(ops->mode(node)) ? EISDIR : EINVAL;
	if (msg->i.whence < SEEK_SET || msg->i.whence > SEEK_END || msg->i.len < 0 ||
	    __builtin_add_overflow(base, msg->i.start, &start) || start < 0 ||
	    __builtin_add_overflow(start, msg->i.len, &end))
		return EINVAL;
	if (msg->i.subtype == _IO_SPACE_FREESP && msg->i.len == 0)
		r = ops->truncate(node, start);
	else if (msg->i.subtype == _IO_SPACE_ALLOCSP)
		r = end > size ? ops->truncate(node, end) : 0;
	else
		r = EINVAL;	/* punching a hole in the middle: not yet */
	if (r)
		return fs_res(r);
	lr.lr_offset = (uint64_t)ops->size(node);
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

/* _IO_OPENFD: a new OCB on the same node, access checked. */
static int io_openfd(resmgr_context_t *ctp, io_openfd_t *msg, iofunc_ocb_t *o)
{
	const struct fs_ops *ops = fs_srv->ops;
	void *node = fs_node(o);
	unsigned acc = msg->i.ioflag & FS_ACCMODE;
	struct _client_info ci;
	int r;

	if (acc == FS_ACCMODE)
		return EINVAL;
	if (S_ISDIR(ops->mode(node)) && acc != O_RDONLY)
		return EISDIR;
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK ||
	    (r = ops->access(node, &ci, (acc != O_WRONLY ? 4 : 0) | (acc != O_RDONLY ? 2 : 0))))
		return r;
	ops->ref(node);
	return fs_ocb_new(ctp, node, msg->i.ioflag);
}

static int io_fdinfo(resmgr_context_t *ctp, io_fdinfo_t *msg, iofunc_ocb_t *o)
{
	static struct _io_fdinfo_reply fr;
	void *node = fs_node(o);

	(void)msg;
	fr = (struct _io_fdinfo_reply){ .fr_mode = fs_srv->ops->mode(node), .fr_ioflag = o->ioflag,
	    .fr_offset = (uint64_t)o->offset, .fr_size = (uint64_t)fs_srv->ops->size(node),
	    .fr_count = (uint16_t)o->refs };
	SETIOV(&ctp->iov[0], &fr, sizeof(fr));
	return _RESMGR_NPARTS(1);
}

static int io_pathconf(resmgr_context_t *ctp, io_pathconf_t *msg, iofunc_ocb_t *o)
{
	(void)o;
	switch (msg->i.name) {
	case _PC_LINK_MAX:	ctp->status = fs_srv->link_max; break;
	case _PC_NAME_MAX:	ctp->status = fs_srv->name_max; break;
	case _PC_PATH_MAX:	ctp->status = fs_srv->path_max; break;
	case _PC_FILESIZEBITS:	ctp->status = fs_srv->filesizebits; break;
	case _PC_NO_TRUNC:	ctp->status = 1; break;
	default:		return EINVAL;
	}
	return _RESMGR_NPARTS(0);
}

/* fsync/fdatasync: what the file system keeps goes to its media. */
static int io_sync(resmgr_context_t *ctp, io_sync_t *msg, iofunc_ocb_t *o)
{
	if (fs_srv->ops->fsync == NULL)
		return iofunc_sync_default(ctp, msg, o);
	return fs_res(fs_srv->ops->fsync(fs_node(o)));
}

static int statvfs_reply(resmgr_context_t *ctp, io_devctl_t *msg)
{
	static struct {
		struct _io_devctl_reply	r;
		struct _io_statvfs	sv;
	} rep;

	if (msg->i.nbytes < sizeof(rep.sv))
		return EINVAL;
	rep.r = (struct _io_devctl_reply){ .nbytes = sizeof(rep.sv) };
	memset(&rep.sv, 0, sizeof(rep.sv));
	fs_srv->ops->statvfs(&rep.sv);
	rep.sv.sv_fsid = (uint64_t)getpid();
	SETIOV(&ctp->iov[0], &rep, sizeof(rep));
	return _RESMGR_NPARTS(1);
}

/* DCMD_FSYS_UMOUNT: root only; EBUSY while others have files open (unless forced). */
static int umount_req(resmgr_context_t *ctp, io_devctl_t *msg)
{
	struct _client_info ci;
	uint32_t flags;
	int r;

	if (fs_srv->ops->unmount == NULL)
		return ENOTTY;
	if (ctp->size < sizeof(msg->i) + sizeof(flags))
		return EINVAL;
	memcpy(&flags, (char *)ctp->msg + sizeof(msg->i), sizeof(flags));
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	if (ci.euid != 0)
		return EPERM;
	if (fs_srv->nocbs > 1 && !(flags & _DCMD_FSYS_UMOUNT_FORCE))
		return EBUSY;
	/* Everything is freed whatever happens: the server ends either way. */
	fs_srv->umounted = 1;
	if ((r = fs_srv->ops->unmount()) != 0)
		return r;
	resmgr_detach(ctp->dpp, fs_srv->attach_id, 0);	/* before the answer: then the path is gone */
	MsgReply(ctp->rcvid, 0, NULL, 0);
	return _RESMGR_NOREPLY;
}

static int io_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *o)
{
	(void)o;
	switch (msg->i.dcmd) {
	case DCMD_FSYS_STATVFS:	return statvfs_reply(ctp, msg);
	case DCMD_FSYS_UMOUNT:	return umount_req(ctp, msg);
	default:		return ENOTTY;
	}
}

/* fcntl record locks, per node (the OCBs share one attribute: its list would be the file system's). */
static int io_lock(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *o)
{
	void *node = fs_node(o);

	return iofunc_lock(ctp, msg, o, fs_srv->ops->locks(node), fs_srv->ops->size(node));
}

static int io_close_dup(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *o)
{
	return iofunc_close_dup(ctp, msg, o, fs_srv->ops->locks(fs_node(o)));
}

static int io_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *o)
{
	const struct fs_ops *ops = fs_srv->ops;
	void *node = fs_node(o);

	(void)ctp, (void)reserved;
	if (!fs_srv->umounted) {	/* after umount the nodes are gone */
		if (ops->opens(node) == 1)
			iofunc_lock_free(ops->locks(node));	/* its last open: no owner is left */
		ops->close(node);
	}
	free(o);
	fs_srv->nocbs--;
	return EOK;
}

/*
 * _IO_MMAP: vouch to taskman that the client may map this file
 * MAP_SHARED with prot (docs/resmgr.md): a regular file (ENODEV), the
 * OCB open for reading, and for writing too for PROT_WRITE (EACCES).  The
 * grant names the client (the kernel's pid for the sender), the file
 * (our device, the node's inode) and the access; taskman keys it by our
 * pid.  The reply gives the client the identity to name.
 */
static int io_mmap(resmgr_context_t *ctp, io_mmap_t *msg, iofunc_ocb_t *o)
{
	static struct _io_stat_buf sb;
	struct _mem_file_grant g = { .type = _MEM_CTRL, .subtype = _MEM_CTRL_FILEGRANT };
	unsigned acc = o->ioflag & FS_ACCMODE;
	uint32_t prot = msg->i.prot;
	void *node = fs_node(o);

	if (msg->i.zero[0] || msg->i.zero[1] ||
	    (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return EINVAL;
	if ((o->ioflag & O_PATH) || !S_ISREG(fs_srv->ops->mode(node)))
		return ENODEV;
	if (acc == O_WRONLY || ((prot & PROT_WRITE) && acc != O_RDWR))
		return EACCES;		/* every mapping reads; a writable one writes back */
	memset(&sb, 0, sizeof(sb));
	fs_srv->ops->stat(node, &sb);
	g.mg_prot = (prot & ~(uint32_t)PROT_WRITE) | PROT_READ | (acc == O_RDWR ? PROT_WRITE : 0);
	g.mg_pid = ctp->info.pid;
	g.mg_dev = (uint64_t)getpid();	/* io_stat's st_dev */
	g.mg_ino = sb.sb_ino;
	if (MsgSend(SYSMGR_COID, &g, sizeof(g), 0, 0) < 0)
		return errno;
	msg->o = (struct _io_mmap_reply){ .allowed_prot = g.mg_prot, .dev = g.mg_dev,
	    .ino = g.mg_ino };
	SETIOV(&ctp->iov[0], &msg->o, sizeof(msg->o));
	return _RESMGR_NPARTS(1);
}

void fs_io_init(resmgr_io_funcs_t *io)
{
	io->mmap = io_mmap;
	io->read = io_read;
	io->write = io_write;
	io->stat = io_stat;
	io->lseek = io_lseek;
	io->chmod = io_chmod;
	io->chown = io_chown;
	io->utime = io_utime;
	io->space = io_space;
	io->openfd = io_openfd;
	io->fdinfo = io_fdinfo;
	io->pathconf = io_pathconf;
	io->sync = io_sync;
	io->devctl = io_devctl;
	io->lock = io_lock;
	io->close_dup = io_close_dup;
	io->close_ocb = io_close_ocb;
}
