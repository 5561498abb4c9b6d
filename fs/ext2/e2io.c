/*
 * e2io.c - fs-ext2's I/O handlers: read (file data, or dirent records on
 * a directory), write, stat, lseek (with SEEK_DATA/SEEK_HOLE), chmod,
 * chown, utime, space (truncate), openfd, fdinfo, pathconf, sync (fsync
 * really reaches the disk), devctl (statvfs, umount), fcntl record locks
 * (per inode) and the last close of an OCB.  fs-ram's (fs/ram/rfio.c) on the ext2 logic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "e2srv.h"

#ifndef O_PATH
#define O_PATH		010000000
#endif
#define XFER_MAX	(256u * 1024)		/* bytes one read returns, one write copy takes */

static char xfer[XFER_MAX] __attribute__((aligned(16)));

static struct e2_inode *ino_of(iofunc_ocb_t *o)
{
	return ((struct e2_ocb *)o)->o_ino;
}

/* A logic result: EIO means a corruption, which the log should show. */
static int res(int r)
{
	if (r == EIO)
		e2_report();
	return r;
}

/* pread/pwrite's offset, after the header; -1 if the message is too short for it. */
static int64_t xoffset(resmgr_context_t *ctp, size_t hdr)
{
	struct _xtype_offset x;

	if (ctp->size < hdr + sizeof(x))
		return -1;
	memcpy(&x, (char *)ctp->msg + hdr, sizeof(x));
	return x.offset;
}

/* _IO_READ on a directory: whole struct _io_dirent records from the OCB's position. */
static int read_dir(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	static char name[E2_NAME_MAX + 1];
	size_t max = msg->i.nbytes < 8192 ? msg->i.nbytes : 8192, len = 0;
	struct e2_inode *dir = ino_of(o);
	int64_t pos = o->offset, at = pos;
	unsigned char type;
	uint32_t ino;
	int r = 0;

	while (dir->i_d.i_links_count && (r = e2_readdir(&e2_fs, dir, &pos, name, &ino, &type)) == 1) {
		size_t nl = strlen(name), rec = (_IO_DIRENT_NAME_OFF + nl + 1 + 7) & ~(size_t)7;
		struct _io_dirent *d = (struct _io_dirent *)(xfer + len);

		if (len + rec > max) {
			if (len == 0)
				return EINVAL;	/* not even one record fits */
			pos = at;
			break;
		}
		memset(d, 0, rec);
		d->d_ino = ino;
		d->d_off = pos;
		d->d_reclen = (uint16_t)rec;
		d->d_type = type;
		memcpy(d->d_name, name, nl + 1);
		len += rec;
		at = pos;
	}
	if (r < 0 && len == 0)
		return res(-r);
	o->offset = pos;
	SETIOV(&ctp->iov[0], xfer, len);
	_RESMGR_STATUS(ctp, (long)len);
	return _RESMGR_NPARTS(1);
}

static int io_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	struct e2_inode *ip = ino_of(o);
	int pread = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	int64_t off = pread ? xoffset(ctp, sizeof(msg->i)) : o->offset;
	ssize_t got;
	int r;

	if ((r = iofunc_read_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if (o->ioflag & O_PATH)
		return EBADF;
	if (S_ISDIR(ip->i_d.i_mode))
		return pread ? EISDIR : read_dir(ctp, msg, o);
	if (off < 0)
		return EINVAL;
	got = e2_read(&e2_fs, ip, off, xfer, msg->i.nbytes < XFER_MAX ? msg->i.nbytes : XFER_MAX);
	if (got < 0)
		return res((int)-got);
	if (!pread)
		o->offset = off + got;
	SETIOV(&ctp->iov[0], xfer, (size_t)got);
	_RESMGR_STATUS(ctp, (long)got);
	return _RESMGR_NPARTS(1);
}

static int io_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *o)
{
	struct e2_inode *ip = ino_of(o);
	int pwrite = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	size_t hdr = sizeof(msg->i) + (pwrite ? sizeof(struct _xtype_offset) : 0), done = 0;
	int64_t off;
	int r, err = 0;

	if ((r = iofunc_write_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if ((o->ioflag & O_PATH) || !S_ISREG(ip->i_d.i_mode))
		return EBADF;
	off = pwrite ? xoffset(ctp, sizeof(msg->i)) : (o->ioflag & O_APPEND) ? e2_size(ip) :
	    o->offset;
	if (off < 0)
		return EINVAL;
	while (done < msg->i.nbytes && err == 0) {
		size_t len = (size_t)msg->i.nbytes - done, w;
		ssize_t got = resmgr_msgread(ctp, xfer, len < XFER_MAX ? len : XFER_MAX, hdr + done);

		if (got <= 0) {
			err = got < 0 ? errno : EINVAL;
			break;
		}
		err = e2_write(&e2_fs, ip, off + (int64_t)done, xfer, (size_t)got, &w);
		done += w;
	}
	if (done == 0 && err)
		return res(err);
	if (!pwrite)
		o->offset = off + (int64_t)done;
	_RESMGR_STATUS(ctp, (long)done);
	return _RESMGR_NPARTS(0);
}

static int io_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *o)
{
	static struct _io_stat_buf sb;
	const struct e2_inode *i = ino_of(o);
	struct timespec a, m, c;

	(void)msg;
	e2_times(&e2_fs, i, &a, &m, &c);
	sb = (struct _io_stat_buf){ .sb_dev = (uint64_t)getpid(), .sb_ino = i->i_ino,
	    .sb_mode = i->i_d.i_mode, .sb_nlink = i->i_d.i_links_count, .sb_uid = e2_uid(i),
	    .sb_gid = e2_gid(i), .sb_size = e2_size(i), .sb_blksize = e2_fs.f_bsize,
	    .sb_blocks = (int64_t)e2_blocks512(i),
	    .sb_atime_sec = a.tv_sec, .sb_atime_nsec = a.tv_nsec,
	    .sb_mtime_sec = m.tv_sec, .sb_mtime_nsec = m.tv_nsec,
	    .sb_ctime_sec = c.tv_sec, .sb_ctime_nsec = c.tv_nsec };
	SETIOV(&ctp->iov[0], &sb, sizeof(sb));
	return _RESMGR_NPARTS(1);
}

static int io_lseek(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	struct e2_inode *ip = ino_of(o);
	int64_t at;

	switch (msg->i.whence) {
	case SEEK_SET: at = msg->i.offset; break;
	case SEEK_CUR: at = __builtin_add_overflow(o->offset, msg->i.offset, &at) ? -1 : at; break;
	case SEEK_END: at = __builtin_add_overflow(e2_size(ip), msg->i.offset, &at) ? -1 : at;
		break;
	case 3: case 4:		/* SEEK_DATA, SEEK_HOLE */
		if (!S_ISREG(ip->i_d.i_mode))
			return EINVAL;
		if ((at = e2_seek_data(&e2_fs, ip, msg->i.offset, msg->i.whence == 4)) < 0)
			return res((int)-at);
		break;
	default: return EINVAL;
	}
	if (at < 0 || (S_ISDIR(ip->i_d.i_mode) && msg->i.whence != SEEK_SET))
		return EINVAL;
	o->offset = at;
	lr.lr_offset = (uint64_t)at;
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

static int io_chmod(resmgr_context_t *ctp, io_chmod_t *msg, iofunc_ocb_t *o)
{
	struct e2_cred cr;
	int r = e2_cred_of(ctp, &cr);

	return r ? r : res(e2_chmod(&e2_fs, &cr, ino_of(o), msg->i.mode));
}

static int io_chown(resmgr_context_t *ctp, io_chown_t *msg, iofunc_ocb_t *o)
{
	struct e2_cred cr;
	int r = e2_cred_of(ctp, &cr);

	return r ? r : res(e2_chown(&e2_fs, &cr, ino_of(o), msg->i.uid, msg->i.gid));
}

static int io_utime(resmgr_context_t *ctp, io_utime_t *msg, iofunc_ocb_t *o)
{
	struct timespec ts[2] = { { msg->i.atime_sec, msg->i.atime_nsec },
	    { msg->i.mtime_sec, msg->i.mtime_nsec } };
	struct e2_cred cr;
	int r = e2_cred_of(ctp, &cr);

	return r ? r : res(e2_utimens(&e2_fs, &cr, ino_of(o), ts));
}

/* _IO_SPACE: F_FREESP (len 0: from start to the end) and F_ALLOCSP (grow, sparse). */
static int io_space(resmgr_context_t *ctp, io_space_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	struct e2_inode *ip = ino_of(o);
	int64_t base = msg->i.whence == SEEK_CUR ? o->offset : msg->i.whence == SEEK_END ?
	    e2_size(ip) : 0, start, end;
	int r;

	if ((o->ioflag & E2_ACCMODE) == O_RDONLY || (o->ioflag & O_PATH))
		return S_ISDIR(ip->i_d.i_mode) ? EISDIR : EINVAL;
	if (msg->i.whence < SEEK_SET || msg->i.whence > SEEK_END || msg->i.len < 0 ||
	    __builtin_add_overflow(base, msg->i.start, &start) || start < 0 ||
	    __builtin_add_overflow(start, msg->i.len, &end))
		return EINVAL;
	if (msg->i.subtype == _IO_SPACE_FREESP && msg->i.len == 0)
		r = e2_truncate(&e2_fs, ip, start);
	else if (msg->i.subtype == _IO_SPACE_ALLOCSP)
		r = end > e2_size(ip) ? e2_truncate(&e2_fs, ip, end) : 0;
	else
		r = EINVAL;	/* punching a hole in the middle: not yet */
	if (r)
		return res(r);
	lr.lr_offset = (uint64_t)e2_size(ip);
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

/* _IO_OPENFD: a new OCB on the same inode, access checked. */
static int io_openfd(resmgr_context_t *ctp, io_openfd_t *msg, iofunc_ocb_t *o)
{
	struct e2_inode *ip = ino_of(o);
	unsigned acc = msg->i.ioflag & E2_ACCMODE;
	struct e2_cred cr;
	int r;

	if (acc == E2_ACCMODE)
		return EINVAL;
	if (S_ISDIR(ip->i_d.i_mode) && acc != O_RDONLY)
		return EISDIR;
	if ((r = e2_cred_of(ctp, &cr)) != EOK ||
	    (r = e2_access(ip, &cr, (acc != O_WRONLY ? 4 : 0) | (acc != O_RDONLY ? 2 : 0))))
		return r;
	e2_ref(ip);
	return e2_ocb_new(ctp, ip, msg->i.ioflag);
}

static int io_fdinfo(resmgr_context_t *ctp, io_fdinfo_t *msg, iofunc_ocb_t *o)
{
	static struct _io_fdinfo_reply fr;
	struct e2_inode *ip = ino_of(o);

	(void)msg;
	fr = (struct _io_fdinfo_reply){ .fr_mode = ip->i_d.i_mode, .fr_ioflag = o->ioflag,
	    .fr_offset = (uint64_t)o->offset, .fr_size = (uint64_t)e2_size(ip),
	    .fr_count = (uint16_t)o->refs };
	SETIOV(&ctp->iov[0], &fr, sizeof(fr));
	return _RESMGR_NPARTS(1);
}

static int io_pathconf(resmgr_context_t *ctp, io_pathconf_t *msg, iofunc_ocb_t *o)
{
	(void)o;
	switch (msg->i.name) {
	case _PC_LINK_MAX:	ctp->status = E2_LINK_MAX; break;
	case _PC_NAME_MAX:	ctp->status = E2_NAME_MAX; break;
	case _PC_PATH_MAX:	ctp->status = E2_PATH_MAX; break;
	case _PC_FILESIZEBITS:	ctp->status = 42; break;
	case _PC_NO_TRUNC:	ctp->status = 1; break;
	default:		return EINVAL;
	}
	return _RESMGR_NPARTS(0);
}

/* fsync/fdatasync: everything dirty goes to the disk, then the disk's cache is flushed. */
static int io_sync(resmgr_context_t *ctp, io_sync_t *msg, iofunc_ocb_t *o)
{
	(void)ctp, (void)msg;
	return res(e2_fsync(&e2_fs, ino_of(o)));
}

static int statvfs_reply(resmgr_context_t *ctp, io_devctl_t *msg)
{
	static struct {
		struct _io_devctl_reply	r;
		struct _io_statvfs	sv;
	} rep;
	const struct e2_super *sb = &e2_fs.f_sb;
	uint32_t avail = sb->s_free_blocks_count > sb->s_r_blocks_count ?
	    sb->s_free_blocks_count - sb->s_r_blocks_count : 0;

	if (msg->i.nbytes < sizeof(rep.sv))
		return EINVAL;
	rep.r = (struct _io_devctl_reply){ .nbytes = sizeof(rep.sv) };
	rep.sv = (struct _io_statvfs){ .sv_type = E2_MAGIC, .sv_bsize = e2_fs.f_bsize,
	    .sv_blocks = sb->s_blocks_count, .sv_bfree = sb->s_free_blocks_count,
	    .sv_bavail = avail, .sv_files = sb->s_inodes_count,
	    .sv_ffree = sb->s_free_inodes_count, .sv_fsid = (uint64_t)getpid(),
	    .sv_namemax = E2_NAME_MAX, .sv_flag = e2_fs.f_rdonly ? 1 : 0 };
	SETIOV(&ctp->iov[0], &rep, sizeof(rep));
	return _RESMGR_NPARTS(1);
}

/* DCMD_FSYS_UMOUNT: root only; EBUSY while others have files open (unless forced). */
static int umount_req(resmgr_context_t *ctp, io_devctl_t *msg)
{
	struct _client_info ci;
	uint32_t flags;
	int r;

	if (ctp->size < sizeof(msg->i) + sizeof(flags))
		return EINVAL;
	memcpy(&flags, (char *)ctp->msg + sizeof(msg->i), sizeof(flags));
	if ((r = iofunc_client_info(ctp, 0, &ci)) != EOK)
		return r;
	if (ci.euid != 0)
		return EPERM;
	if (e2_nocbs > 1 && !(flags & _DCMD_FSYS_UMOUNT_FORCE))
		return EBUSY;
	/* Everything is freed whatever happens: the server ends either way. */
	e2_umounted = 1;
	if ((r = e2_unmount(&e2_fs)) != 0) {
		fprintf(stderr, "fs-ext2: %s: unmount: cannot write the disk (run e2fsck)\n",
		    e2_device);
		return r;
	}
	resmgr_detach(ctp->dpp, e2_attach_id, 0);	/* before the answer: then the path is gone */
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

/* fcntl record locks, per inode (the OCBs share one attribute: its list would be the file system's). */
static int io_lock(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *o)
{
	struct e2_inode *ip = ino_of(o);

	return iofunc_lock(ctp, msg, o, &ip->i_locks, e2_size(ip));
}

static int io_close_dup(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *o)
{
	return iofunc_close_dup(ctp, msg, o, &ino_of(o)->i_locks);
}

static int io_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *o)
{
	struct e2_inode *ip = ino_of(o);

	(void)ctp, (void)reserved;
	if (!e2_umounted) {		/* after umount the inodes are gone */
		if (ip->i_opens == 1)
			iofunc_lock_free(&ip->i_locks);	/* its last open: no lock is held */
		e2_close(&e2_fs, ip);
	}
	free(o);
	e2_nocbs--;
	return EOK;
}

void e2_io_init(resmgr_io_funcs_t *io)
{
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
