/*
 * drivers/devb-virtio/devb.h - the virtio-blk driver's state
 * (docs/storage.md).  One thread: the dispatch loop owns everything.
 */
#ifndef DEVB_H
#define DEVB_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include <hw/virtio.h>

#define CODE_INTR	(_PULSE_CODE_MINAVAIL + 1)	/* value: the disk's index */
#define DISKS_MAX	4
#define SECTOR		512		/* virtio-blk's unit, whatever blk_size says */
#define SLOTS		16		/* requests in flight per disk */
#define CHUNK		(32 * 1024)	/* bytes per virtio request (a slot's buffer) */

/* virtio-blk (virtio 1.x, "Block Device") */
#define VIRTIO_BLK_F_SIZE_MAX	(1ULL << 1)
#define VIRTIO_BLK_F_SEG_MAX	(1ULL << 2)
#define VIRTIO_BLK_F_RO		(1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE	(1ULL << 6)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0

/* A client's read, write or flush, from its message to its reply. */
struct creq {
	struct creq	*cr_next;	/* the disk's wait list */
	int		cr_rcvid;
	int		cr_kind;	/* VIRTIO_BLK_T_* */
	iofunc_ocb_t	*cr_ocb;	/* NULL once the OCB is closed; for the offset */
	int		cr_setoff;	/* update the OCB's offset (not pread/pwrite) */
	uint64_t	cr_base;	/* the partition's first byte on the disk */
	uint64_t	cr_pos;		/* byte position on the disk */
	uint64_t	cr_len;		/* bytes in all */
	uint64_t	cr_done;	/* bytes done */
	size_t		cr_msgoff;	/* where a write's data starts in its message */
};

/* One request's DMA buffers and descriptor chain. */
struct slot {
	struct creq	*sl_req;	/* NULL: free */
	int		sl_head;	/* the chain's first descriptor */
	uint32_t	sl_skip;	/* a read's bytes before the client's first */
	uint32_t	sl_count;	/* the client's bytes in this chunk */
	uint8_t		*sl_buf;	/* CHUNK bytes */
	uint64_t	sl_buf_pa;
	uint8_t		*sl_hdr;	/* 16-byte request header, then the status byte */
	uint64_t	sl_hdr_pa;
};

struct disk;

/* What a name serves: the whole disk, or one MBR partition of it. */
struct bdev {
	iofunc_attr_t	bd_attr;	/* first: ocb->attr is the bdev */
	struct disk	*bd_disk;
	uint64_t	bd_base;	/* first byte on the disk (sector-aligned) */
	uint64_t	bd_size;	/* bytes */
	char		bd_name[64];	/* /dev/hd0, /dev/hd0t131, /dev/hd0t131.1 */
};

#define PARTS_MAX	4		/* the MBR's primary entries */

struct disk {
	struct bdev	dk_whole;
	struct bdev	dk_parts[PARTS_MAX];
	int		dk_nparts;
	struct vdev	dk_vd;
	struct virtq	dk_vq;
	int		dk_index;
	int		dk_intr;	/* interrupt attachment id */
	uint64_t	dk_size;	/* bytes */
	uint32_t	dk_blksize;	/* the device's preferred block size */
	int		dk_ro;		/* VIRTIO_BLK_F_RO */
	int		dk_flush;	/* VIRTIO_BLK_F_FLUSH */
	struct slot	dk_slots[SLOTS];
	struct creq	*dk_wait;	/* requests without a slot, oldest first */
	struct creq	**dk_wait_tail;
	char		dk_name[32];	/* the whole disk's name, for messages */
};

/* blk.c */
int blk_init(struct disk *dk, int index, int coid);
int blk_start(struct disk *dk, struct creq *cr);	/* queue it; 0 or an errno */
void blk_intr(struct disk *dk);				/* the interrupt pulse */
void blk_forget_ocb(struct disk *dk, iofunc_ocb_t *ocb);
/* Read one sector synchronously (before the loop runs).  0 or an errno. */
int blk_read_sector(struct disk *dk, uint64_t sector, uint8_t *buf);

/* mbr.c: the MBR's primary partitions as dk_parts[].  Their number. */
int mbr_scan(struct disk *dk);

/* io.c */
extern resmgr_io_funcs_t devb_io;
void devb_io_init(void);

#endif
