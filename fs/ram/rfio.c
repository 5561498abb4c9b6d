/*
 * rfio.c - fs-ram's I/O handlers: read (file data, or dirent records on
 * a directory), write, stat, lseek (with SEEK_DATA/SEEK_HOLE), chmod,
 * chown, utime, space (truncate), openfd, fdinfo, pathconf, sync and
 * the last close of an OCB.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "rfsrv.h"

#ifndef O_PATH
#define O_PATH		010000000
#endif
#define READ_MAX	(1u << 20)			/* bytes one read returns at most */
#define READ_SEGS	(READ_MAX / RF_BLOCK + 2)

static struct rf_inode *ino_of(iofunc_ocb_t *o)
{
	return ((struct rf_ocb *)o)->o_ino;
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

static unsigned char dtype(mode_t m)
{
	return S_ISDIR(m) ? 4 : S_ISREG(m) ? 8 : S_ISLNK(m) ? 10 : S_ISFIFO(m) ? 1 : 0;	/* DT_* */
}

/* _IO_READ on a directory: whole struct _io_dirent records from the OCB's position. */
static int read_dir(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	static char buf[8192] __attribute__((aligned(8)));
	size_t max = msg->i.nbytes < sizeof(buf) ? msg->i.nbytes : sizeof(buf), len = 0;
	struct rf_inode *dir = ino_of(o);
	int64_t pos = o->offset, at = pos;
	const struct rf_inode *ino;
	const char *name;

	while (dir->i_nlink && rf_readdir(dir, &pos, &name, &ino)) {
		size_t nl = strlen(name), rec = (_IO_DIRENT_NAME_OFF + nl + 1 + 7) & ~(size_t)7;
		struct _io_dirent *d = (struct _io_dirent *)(buf + len);

		if (len + rec > max) {
			if (len == 0)
				return EINVAL;	/* not even one record fits */
			pos = at;
			break;
		}
		memset(d, 0, rec);
		d->d_ino = ino->i_ino;
		d->d_off = pos;
		d->d_reclen = (uint16_t)rec;
		d->d_type = dtype(ino->i_mode);
		memcpy(d->d_name, name, nl + 1);
		len += rec;
		at = pos;
	}
	o->offset = pos;
	SETIOV(&ctp->iov[0], buf, len);
	_RESMGR_STATUS(ctp, (long)len);
	return _RESMGR_NPARTS(1);
}

static int io_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *o)
{
	static struct rf_seg segs[READ_SEGS];
	static iov_t iov[READ_SEGS];
	struct rf_inode *ino = ino_of(o);
	int pread = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	int64_t off = pread ? xoffset(ctp, sizeof(msg->i)) : o->offset;
	size_t n, got;
	int r, k;

	if ((r = iofunc_read_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if (o->ioflag & O_PATH)
		return EBADF;
	if (S_ISDIR(ino->i_mode))
		return pread ? EISDIR : read_dir(ctp, msg, o);
	if (off < 0)
		return EINVAL;
	n = msg->i.nbytes < READ_MAX ? (size_t)msg->i.nbytes : READ_MAX;
	got = rf_read(ino, off, n, segs, READ_SEGS);
	for (k = 0, n = 0; n < got; k++) {
		SETIOV(&iov[k], segs[k].s_p, segs[k].s_len);
		n += segs[k].s_len;
	}
	if (!pread)
		o->offset = off + (int64_t)got;
	MsgReplyv(ctp->rcvid, (long)got, iov, (size_t)k);
	return _RESMGR_NOREPLY;
}

static int io_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *o)
{
	static char bounce[8192];
	struct rf_inode *ino = ino_of(o);
	int pwrite = (msg->i.xtype & _IO_XTYPE_MASK) == _IO_XTYPE_OFFSET;
	size_t hdr = sizeof(msg->i) + (pwrite ? sizeof(struct _xtype_offset) : 0), done = 0;
	int64_t off;
	int r, err = 0;

	if ((r = iofunc_write_verify(ctp, msg, o, NULL)) != EOK)
		return r;
	if ((o->ioflag & O_PATH) || !S_ISREG(ino->i_mode))
		return EBADF;
	off = pwrite ? xoffset(ctp, sizeof(msg->i)) : (o->ioflag & O_APPEND) ? ino->i_size :
	    o->offset;
	if (off < 0)
		return EINVAL;
	while (done < msg->i.nbytes && err == 0) {
		size_t len = (size_t)msg->i.nbytes - done, w;
		const char *p;

		if (hdr + done < ctp->size) {	/* what arrived with the message */
			p = (const char *)ctp->msg + hdr + done;
			len = ctp->size - hdr - done < len ? ctp->size - hdr - done : len;
		} else {
			ssize_t got = resmgr_msgread(ctp, bounce, len < sizeof(bounce) ? len :
			    sizeof(bounce), hdr + done);

			if (got <= 0) {
				err = got < 0 ? errno : EINVAL;
				break;
			}
			p = bounce, len = (size_t)got;
		}
		err = rf_write(&rf_fs, ino, off + (int64_t)done, p, len, &w);
		done += w;
	}
	if (done == 0 && err)
		return err;
	if (!pwrite)
		o->offset = off + (int64_t)done;
	_RESMGR_STATUS(ctp, (long)done);
	return _RESMGR_NPARTS(0);
}

static int io_stat(resmgr_context_t *ctp, io_stat_t *msg, iofunc_ocb_t *o)
{
	static struct _io_stat_buf sb;
	const struct rf_inode *i = ino_of(o);

	(void)msg;
	sb = (struct _io_stat_buf){ .sb_dev = (uint64_t)getpid(), .sb_ino = i->i_ino,
	    .sb_mode = i->i_mode, .sb_nlink = i->i_nlink, .sb_uid = i->i_uid, .sb_gid = i->i_gid,
	    .sb_size = S_ISDIR(i->i_mode) ? RF_BLOCK : i->i_size, .sb_blksize = RF_BLOCK,
	    .sb_blocks = (int64_t)rf_blocks512(i),
	    .sb_atime_sec = i->i_atime.tv_sec, .sb_atime_nsec = i->i_atime.tv_nsec,
	    .sb_mtime_sec = i->i_mtime.tv_sec, .sb_mtime_nsec = i->i_mtime.tv_nsec,
	    .sb_ctime_sec = i->i_ctime.tv_sec, .sb_ctime_nsec = i->i_ctime.tv_nsec };
	SETIOV(&ctp->iov[0], &sb, sizeof(sb));
	return _RESMGR_NPARTS(1);
}

static int io_lseek(resmgr_context_t *ctp, io_lseek_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	struct rf_inode *ino = ino_of(o);
	int64_t at;

	switch (msg->i.whence) {
	case SEEK_SET: at = msg->i.offset; break;
	case SEEK_CUR: at = __builtin_add_overflow(o->offset, msg->i.offset, &at) ? -1 : at; break;
	case SEEK_END: at = __builtin_add_overflow(ino->i_size, msg->i.offset, &at) ? -1 : at;
		break;
	case 3: case 4:		/* SEEK_DATA, SEEK_HOLE */
		if (!S_ISREG(ino->i_mode))
			return EINVAL;
		if ((at = rf_seek_data(ino, msg->i.offset, msg->i.whence == 4)) < 0)
			return (int)-at;
		break;
	default: return EINVAL;
	}
	if (at < 0 || (S_ISDIR(ino->i_mode) && msg->i.whence != SEEK_SET))
		return EINVAL;
	o->offset = at;
	lr.lr_offset = (uint64_t)at;
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

static int io_chmod(resmgr_context_t *ctp, io_chmod_t *msg, iofunc_ocb_t *o)
{
	struct _client_info cr;
	int r = rf_cred_of(ctp, &cr);

	return r ? r : rf_chmod(&rf_fs, &cr, ino_of(o), msg->i.mode);
}

static int io_chown(resmgr_context_t *ctp, io_chown_t *msg, iofunc_ocb_t *o)
{
	struct _client_info cr;
	int r = rf_cred_of(ctp, &cr);

	return r ? r : rf_chown(&rf_fs, &cr, ino_of(o), msg->i.uid, msg->i.gid);
}

static int io_utime(resmgr_context_t *ctp, io_utime_t *msg, iofunc_ocb_t *o)
{
	struct timespec ts[2] = { { msg->i.atime_sec, msg->i.atime_nsec },
	    { msg->i.mtime_sec, msg->i.mtime_nsec } };
	struct _client_info cr;
	int r = rf_cred_of(ctp, &cr);

	return r ? r : rf_utimens(&rf_fs, &cr, ino_of(o), ts);
}

/* _IO_SPACE: F_FREESP (len 0: from start to the end) and F_ALLOCSP (grow, sparse). */
static int io_space(resmgr_context_t *ctp, io_space_t *msg, iofunc_ocb_t *o)
{
	static struct _io_lseek_reply lr;
	struct rf_inode *ino = ino_of(o);
	int64_t base = msg->i.whence == SEEK_CUR ? o->offset : msg->i.whence == SEEK_END ?
	    ino->i_size : 0, start, end;
	int r;

	if ((o->ioflag & RF_ACCMODE) == O_RDONLY || (o->ioflag & O_PATH))
		return S_ISDIR(ino->i_mode) ? EISDIR : EINVAL;
	if (msg->i.whence < SEEK_SET || msg->i.whence > SEEK_END || msg->i.len < 0 ||
	    __builtin_add_overflow(base, msg->i.start, &start) || start < 0 ||
	    __builtin_add_overflow(start, msg->i.len, &end))
		return EINVAL;
	if (msg->i.subtype == _IO_SPACE_FREESP && msg->i.len == 0)
		r = rf_truncate(&rf_fs, ino, start);
	else if (msg->i.subtype == _IO_SPACE_ALLOCSP)
		r = end > ino->i_size ? rf_truncate(&rf_fs, ino, end) : 0;
	else
		r = EINVAL;	/* punching a hole in the middle: not yet */
	if (r)
		return r;
	lr.lr_offset = (uint64_t)ino->i_size;
	SETIOV(&ctp->iov[0], &lr, sizeof(lr));
	return _RESMGR_NPARTS(1);
}

/* _IO_OPENFD: a new OCB on the same inode, access checked. */
static int io_openfd(resmgr_context_t *ctp, io_openfd_t *msg, iofunc_ocb_t *o)
{
	struct rf_inode *ino = ino_of(o);
	unsigned acc = msg->i.ioflag & RF_ACCMODE;
	struct _client_info cr;
	int r;

	if (acc == RF_ACCMODE)
		return EINVAL;
	if (S_ISDIR(ino->i_mode) && acc != O_RDONLY)
		return EISDIR;
	if ((r = rf_cred_of(ctp, &cr)) != EOK ||
	    (r = rf_access(ino, &cr, (acc != O_WRONLY ? 4 : 0) | (acc != O_RDONLY ? 2 : 0))))
		return r;
	rf_ref(ino);
	return rf_ocb_new(ctp, ino, msg->i.ioflag);
}

static int io_fdinfo(resmgr_context_t *ctp, io_fdinfo_t *msg, iofunc_ocb_t *o)
{
	static struct _io_fdinfo_reply fr;
	struct rf_inode *ino = ino_of(o);

	(void)msg;
	fr = (struct _io_fdinfo_reply){ .fr_mode = ino->i_mode, .fr_ioflag = o->ioflag,
	    .fr_offset = (uint64_t)o->offset, .fr_size = (uint64_t)ino->i_size,
	    .fr_count = (uint16_t)o->refs };
	SETIOV(&ctp->iov[0], &fr, sizeof(fr));
	return _RESMGR_NPARTS(1);
}

static int io_pathconf(resmgr_context_t *ctp, io_pathconf_t *msg, iofunc_ocb_t *o)
{
	(void)o;
	switch (msg->i.name) {
	case _PC_LINK_MAX:	ctp->status = RF_LINK_MAX; break;
	case _PC_NAME_MAX:	ctp->status = RF_NAME_MAX; break;
	case _PC_PATH_MAX:	ctp->status = RF_PATH_MAX; break;
	case _PC_FILESIZEBITS:	ctp->status = 40; break;
	case _PC_NO_TRUNC:	ctp->status = 1; break;
	default:		return EINVAL;
	}
	return _RESMGR_NPARTS(0);
}

/* _IO_DEVCTL: DCMD_FSYS_STATVFS (statfs, df); anything else ENOTTY. */
static int io_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *o)
{
	static struct {
		struct _io_devctl_reply	r;
		struct _io_statvfs	sv;
	} rep;
	const struct ramfs *fs = &rf_fs;

	(void)o;
	if (msg->i.dcmd != DCMD_FSYS_STATVFS)
		return ENOTTY;
	if (msg->i.nbytes < sizeof(rep.sv))
		return EINVAL;
	rep.r = (struct _io_devctl_reply){ .nbytes = sizeof(rep.sv) };
	rep.sv = (struct _io_statvfs){ .sv_type = 0x01021994, .sv_bsize = RF_BLOCK,
	    .sv_blocks = fs->f_limit / RF_BLOCK,
	    .sv_bfree = (fs->f_limit - fs->f_used) / RF_BLOCK,
	    .sv_bavail = (fs->f_limit - fs->f_used) / RF_BLOCK,
	    .sv_files = fs->f_maxinodes, .sv_ffree = fs->f_maxinodes - fs->f_ninodes,
	    .sv_fsid = (uint64_t)getpid(), .sv_namemax = RF_NAME_MAX };
	SETIOV(&ctp->iov[0], &rep, sizeof(rep));
	return _RESMGR_NPARTS(1);
}

/* Record locks live on each inode: every OCB shares rf_mount_attr. */
static int io_lock(resmgr_context_t *ctp, io_lock_t *msg, iofunc_ocb_t *o)
{
	return iofunc_lock(ctp, msg, o, &ino_of(o)->i_locks, ino_of(o)->i_size);
}

static int io_close_dup(resmgr_context_t *ctp, io_close_t *msg, iofunc_ocb_t *o)
{
	return iofunc_close_dup(ctp, msg, o, &ino_of(o)->i_locks);
}

static int io_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *o)
{
	(void)ctp, (void)reserved;
	if (ino_of(o)->i_opens == 1)
		iofunc_lock_free(&ino_of(o)->i_locks);	/* its last open: no owner is left */
	rf_close(&rf_fs, ino_of(o));
	free(o);
	return EOK;
}

void rf_io_init(resmgr_io_funcs_t *io)
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
	io->devctl = io_devctl;
	io->close_ocb = io_close_ocb;
	io->lock = io_lock;
	io->close_dup = io_close_dup;
}
