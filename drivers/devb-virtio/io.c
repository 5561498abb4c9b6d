/*
 * drivers/devb-virtio/io.c - the resource manager's handlers for
 * /dev/hd<n> (docs/storage.md): read, write, fsync, devctl, close, unblock.
 * stat and lseek are libresmgr's defaults over the attribute (S_IFBLK,
 * nbytes = the size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include <sys/dcmd_blk.h>
#include "devb.h"

resmgr_io_funcs_t devb_io;

/* The position of a read or write: pread/pwrite's, or the OCB's.  0 or an errno. */
static int
position(resmgr_context_t *ctp, uint32_t xtype, size_t hdr, iofunc_ocb_t *ocb,
    uint64_t *pos, int *setoff)
{
	struct _xtype_offset xo;

	if ((xtype & _IO_XTYPE_MASK) == _IO_XTYPE_NONE) {
		*pos = (uint64_t)ocb->offset;
		*setoff = 1;
		return ocb->offset < 0 ? EINVAL : 0;
	}
	if ((xtype & _IO_XTYPE_MASK) != _IO_XTYPE_OFFSET || ctp->size < hdr + sizeof(xo))
		return EINVAL;
	memcpy(&xo, (char *)ctp->msg + hdr, sizeof(xo));
	*pos = (uint64_t)xo.offset;
	*setoff = 0;
	return xo.offset < 0 ? EINVAL : 0;
}

static int
start(resmgr_context_t *ctp, struct bdev *bd, iofunc_ocb_t *ocb, int kind, uint64_t pos,
    uint64_t len, int setoff, size_t msgoff)
{
	struct creq *cr = calloc(1, sizeof(*cr));
	int r;

	if (cr == NULL)
		return ENOMEM;
	*cr = (struct creq){ .cr_rcvid = ctp->rcvid, .cr_kind = kind, .cr_ocb = ocb,
	    .cr_setoff = setoff, .cr_base = bd->bd_base, .cr_pos = bd->bd_base + pos,
	    .cr_len = len, .cr_msgoff = msgoff };
	if ((r = blk_start(bd->bd_disk, cr)) != 0) {
		free(cr);
		return r;
	}
	return _RESMGR_NOREPLY;			/* answered when the device is done */
}

static int
devb_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	struct bdev *bd = (struct bdev *)ocb->attr;
	uint64_t pos;
	int setoff, r = iofunc_read_verify(ctp, msg, ocb, NULL);

	if (r == EOK)
		r = position(ctp, msg->i.xtype, sizeof(msg->i), ocb, &pos, &setoff);
	if (r != EOK)
		return r;
	if (pos >= bd->bd_size || msg->i.nbytes == 0) {
		_RESMGR_STATUS(ctp, 0);		/* at or past the end: end of file */
		return _RESMGR_NPARTS(0);
	}
	return start(ctp, bd, ocb, VIRTIO_BLK_T_IN, pos,
	    msg->i.nbytes < bd->bd_size - pos ? msg->i.nbytes : bd->bd_size - pos, setoff, 0);
}

static int
devb_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	struct bdev *bd = (struct bdev *)ocb->attr;
	struct disk *dk = bd->bd_disk;
	uint64_t pos;
	int setoff, r = iofunc_write_verify(ctp, msg, ocb, NULL);
	size_t hdr = sizeof(msg->i);

	if (r == EOK)
		r = position(ctp, msg->i.xtype, hdr, ocb, &pos, &setoff);
	if (r != EOK)
		return r;
	if (dk->dk_ro)
		return EROFS;
	if (msg->i.nbytes == 0) {
		_RESMGR_STATUS(ctp, 0);
		return _RESMGR_NPARTS(0);
	}
	if (pos % SECTOR || msg->i.nbytes % SECTOR)
		return EINVAL;			/* whole sectors only (docs/storage.md) */
	if (pos >= bd->bd_size)
		return ENOSPC;
	if (!setoff)
		hdr += sizeof(struct _xtype_offset);
	return start(ctp, bd, ocb, VIRTIO_BLK_T_OUT, pos,
	    msg->i.nbytes < bd->bd_size - pos ? msg->i.nbytes : bd->bd_size - pos, setoff, hdr);
}

/* fsync, fdatasync: VIRTIO_BLK_T_FLUSH if the device has a write cache. */
static int
devb_sync(resmgr_context_t *ctp, io_sync_t *msg, iofunc_ocb_t *ocb)
{
	struct bdev *bd = (struct bdev *)ocb->attr;
	struct disk *dk = bd->bd_disk;

	(void)msg;
	if (!dk->dk_flush || dk->dk_ro)
		return EOK;			/* nothing is cached: every write is done */
	return start(ctp, bd, ocb, VIRTIO_BLK_T_FLUSH, 0, 0, 0, 0);
}

static int
devb_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb)
{
	struct bdev *bd = (struct bdev *)ocb->attr;
	struct disk *dk = bd->bd_disk;
	static struct _io_devctl_reply rh;
	static union { uint64_t u64; uint32_t u32; } d;
	size_t sz;

	memset(&d, 0, sizeof(d));
	switch (msg->i.dcmd) {
	case DCMD_BLK_GETSIZE:
		d.u64 = bd->bd_size;
		break;
	case DCMD_BLK_GETBLKSIZE:
		d.u32 = dk->dk_blksize;
		break;
	case DCMD_BLK_GETFLAGS:
		d.u32 = (dk->dk_ro ? BLK_FLAG_RDONLY : 0) | (dk->dk_flush ? BLK_FLAG_FLUSH : 0);
		break;
	default:
		return ENOTTY;
	}
	sz = _DEVCTL_SIZE(msg->i.dcmd);
	if (msg->i.nbytes < sz)
		return EINVAL;
	memset(&rh, 0, sizeof(rh));
	rh.nbytes = (uint32_t)sz;
	SETIOV(&ctp->iov[0], &rh, sizeof(rh));
	SETIOV(&ctp->iov[1], &d, sz);
	_RESMGR_STATUS(ctp, 0);
	return _RESMGR_NPARTS(2);
}

/* The I/O under way finishes soon: the client waits for it (no EINTR). */
static int
devb_unblock(resmgr_context_t *ctp, io_pulse_t *msg, iofunc_ocb_t *ocb)
{
	(void)ctp;
	(void)msg;
	(void)ocb;
	return _RESMGR_NOREPLY;
}

static int
devb_close_ocb(resmgr_context_t *ctp, void *reserved, iofunc_ocb_t *ocb)
{
	blk_forget_ocb(((struct bdev *)ocb->attr)->bd_disk, ocb);
	return iofunc_close_ocb_default(ctp, reserved, ocb);
}

void
devb_io_init(void)
{
	devb_io.read = devb_read;
	devb_io.write = devb_write;
	devb_io.sync = devb_sync;
	devb_io.devctl = devb_devctl;
	devb_io.unblock = devb_unblock;
	devb_io.close_ocb = devb_close_ocb;
}
