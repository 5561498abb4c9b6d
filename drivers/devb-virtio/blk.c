/*
 * drivers/devb-virtio/blk.c - virtio-blk requests (docs/storage.md).
 *
 * A client's read or write (struct creq) goes to the device in chunks of
 * at most CHUNK bytes, one virtio request per chunk, through a slot: a
 * DMA buffer, a header and a status byte.  A disk has SLOTS slots, so up
 * to SLOTS clients' requests are in flight at once; others wait in
 * arrival order.  The client stays REPLY-blocked meanwhile: a read's data
 * goes to it with MsgWrite chunk by chunk, a write's comes from it with
 * MsgRead, and the reply ends it when the last chunk is done.
 *
 * Reads may start and end anywhere: the chunk covers whole sectors and
 * the client gets its part.  Writes must be whole sectors (io.c checks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/neutrino.h>
#include "devb.h"

#define HDR_BYTES	32		/* a slot's header (16) and status, in one page */

static void issue(struct disk *dk, struct slot *sl);

int
blk_init(struct disk *dk, int index, int coid)
{
	uint64_t want = VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH;
	uint64_t bufs_pa, hdrs_pa;
	uint8_t *bufs, *hdrs;

	dk->dk_index = index;
	dk->dk_wait = NULL;
	dk->dk_wait_tail = &dk->dk_wait;
	if (vio_negotiate(&dk->dk_vd, want) < 0)
		return -1;
	dk->dk_ro = (dk->dk_vd.vd_features & VIRTIO_BLK_F_RO) != 0;
	dk->dk_flush = (dk->dk_vd.vd_features & VIRTIO_BLK_F_FLUSH) != 0;
	dk->dk_size = vio_config64(&dk->dk_vd, 0) * SECTOR;	/* capacity, in sectors */
	dk->dk_blksize = (dk->dk_vd.vd_features & VIRTIO_BLK_F_BLK_SIZE) ?
	    vio_config32(&dk->dk_vd, 20) : SECTOR;
	if (dk->dk_blksize < SECTOR || dk->dk_blksize > 65536)
		dk->dk_blksize = SECTOR;
	if (vio_queue_init(&dk->dk_vd, &dk->dk_vq, 0, 128) < 0)
		return -1;
	if (dk->dk_vq.vq_num < 3 * SLOTS) {
		errno = ENOSPC;			/* a queue too small for our slots */
		return -1;
	}
	if ((bufs = vio_dma_alloc((size_t)SLOTS * CHUNK, &bufs_pa)) == NULL ||
	    (hdrs = vio_dma_alloc(4096, &hdrs_pa)) == NULL)
		return -1;
	for (int i = 0; i < SLOTS; i++) {
		struct slot *sl = &dk->dk_slots[i];

		sl->sl_req = NULL;
		sl->sl_buf = bufs + (size_t)i * CHUNK;
		sl->sl_buf_pa = bufs_pa + (uint64_t)i * CHUNK;
		sl->sl_hdr = hdrs + i * HDR_BYTES;
		sl->sl_hdr_pa = hdrs_pa + (uint64_t)i * HDR_BYTES;
	}
	if ((dk->dk_intr = vio_intr_attach(&dk->dk_vd, coid, CODE_INTR, index)) < 0)
		return -1;
	vio_ready(&dk->dk_vd);
	return 0;
}

static struct slot *
free_slot(struct disk *dk)
{
	for (int i = 0; i < SLOTS; i++)
		if (dk->dk_slots[i].sl_req == NULL)
			return &dk->dk_slots[i];
	return NULL;
}

int
blk_start(struct disk *dk, struct creq *cr)
{
	struct slot *sl = dk->dk_wait == NULL ? free_slot(dk) : NULL;

	if (sl == NULL) {			/* wait for a slot, in order */
		cr->cr_next = NULL;
		*dk->dk_wait_tail = cr;
		dk->dk_wait_tail = &cr->cr_next;
		return 0;
	}
	sl->sl_req = cr;
	issue(dk, sl);
	return 0;
}

/* The client's request is over: answer it (status, or an error) and free it. */
static void
finish(struct disk *dk, struct slot *sl, int err)
{
	struct creq *cr = sl->sl_req;

	if (err != 0 && cr->cr_done == 0) {
		MsgError(cr->cr_rcvid, err);
	} else {
		if (cr->cr_setoff && cr->cr_ocb != NULL)
			cr->cr_ocb->offset = (int64_t)(cr->cr_pos - cr->cr_base + cr->cr_done);
		MsgReply(cr->cr_rcvid, (long)cr->cr_done, NULL, 0);	/* fails if it died: fine */
	}
	free(cr);
	sl->sl_req = dk->dk_wait;		/* the next waiting request, if any */
	if (sl->sl_req != NULL) {
		dk->dk_wait = sl->sl_req->cr_next;
		if (dk->dk_wait == NULL)
			dk->dk_wait_tail = &dk->dk_wait;
		issue(dk, sl);
	}
}

/* Fill the slot's header and chain for the next chunk of its request. */
static int
prepare(struct disk *dk, struct slot *sl, uint32_t *devbytes)
{
	struct creq *cr = sl->sl_req;
	uint64_t pos = cr->cr_pos + cr->cr_done, left = cr->cr_len - cr->cr_done;
	uint32_t sector_lo, type = (uint32_t)cr->cr_kind;

	sl->sl_skip = cr->cr_kind == VIRTIO_BLK_T_IN ? (uint32_t)(pos % SECTOR) : 0;
	sl->sl_count = (uint32_t)(left < CHUNK - sl->sl_skip ? left : CHUNK - sl->sl_skip);
	*devbytes = (sl->sl_skip + sl->sl_count + SECTOR - 1) / SECTOR * SECTOR;
	if (cr->cr_kind == VIRTIO_BLK_T_OUT &&
	    MsgRead(cr->cr_rcvid, sl->sl_buf, sl->sl_count, cr->cr_msgoff + cr->cr_done) !=
	    (ssize_t)sl->sl_count)
		return EFAULT;			/* the client's data is not all there */
	(void)dk;
	sector_lo = 0;
	memcpy(sl->sl_hdr, &type, 4);
	memcpy(sl->sl_hdr + 4, &sector_lo, 4);	/* reserved (ioprio) */
	pos = cr->cr_kind == VIRTIO_BLK_T_FLUSH ? 0 : pos / SECTOR;
	memcpy(sl->sl_hdr + 8, &pos, 8);	/* sector: RISC-V is little-endian, as virtio */
	sl->sl_hdr[16] = 0xff;			/* the device overwrites it */
	return 0;
}

/* Send the slot's next chunk to the device (or end the request on an error). */
static void
issue(struct disk *dk, struct slot *sl)
{
	struct virtq *vq = &dk->dk_vq;
	int flush = sl->sl_req->cr_kind == VIRTIO_BLK_T_FLUSH;
	uint32_t n = 0;
	int err = prepare(dk, sl, &n), head, d;

	if (err != 0) {
		finish(dk, sl, err);
		return;
	}
	head = vq_chain_alloc(vq, flush ? 2 : 3);
	if (head < 0) {				/* cannot happen: SLOTS * 3 <= vq_num */
		finish(dk, sl, EIO);
		return;
	}
	sl->sl_head = head;
	vq->vq_desc[head].addr = sl->sl_hdr_pa;
	vq->vq_desc[head].len = 16;
	d = vq->vq_desc[head].next;
	if (!flush) {
		vq->vq_desc[d].addr = sl->sl_buf_pa;
		vq->vq_desc[d].len = n;
		vq->vq_desc[d].flags = (uint16_t)(VRING_DESC_F_NEXT |
		    (sl->sl_req->cr_kind == VIRTIO_BLK_T_IN ? VRING_DESC_F_WRITE : 0));
		d = vq->vq_desc[d].next;
	}
	vq->vq_desc[d].addr = sl->sl_hdr_pa + 16;
	vq->vq_desc[d].len = 1;
	vq->vq_desc[d].flags = VRING_DESC_F_WRITE;
	vq_submit(&dk->dk_vd, vq, (unsigned)head);
}

/* A chunk is done: give a read's bytes to the client, then go on or finish. */
static void
chunk_done(struct disk *dk, struct slot *sl)
{
	struct creq *cr = sl->sl_req;

	if (sl->sl_hdr[16] != VIRTIO_BLK_S_OK) {
		finish(dk, sl, EIO);
		return;
	}
	if (cr->cr_kind == VIRTIO_BLK_T_IN &&
	    MsgWrite(cr->cr_rcvid, sl->sl_buf + sl->sl_skip, sl->sl_count, cr->cr_done) < 0) {
		finish(dk, sl, EFAULT);		/* gone, or a bad buffer: nobody to tell */
		return;
	}
	cr->cr_done += sl->sl_count;
	if (cr->cr_done < cr->cr_len && cr->cr_kind != VIRTIO_BLK_T_FLUSH)
		issue(dk, sl);
	else
		finish(dk, sl, 0);
}

/*
 * The interrupt pulse: acknowledge, finish every chain the device is done
 * with (starting the next chunks), unmask.  A completion after the
 * acknowledgement leaves the cause set, so the unmasked source interrupts
 * again at once (the kernel makes sure of that on QEMU's PLIC too).
 */
void
blk_intr(struct disk *dk)
{
	uint32_t len;
	int head;

	vio_intr_ack(&dk->dk_vd);
	while ((head = vq_used_next(&dk->dk_vq, &len)) >= 0) {
		struct slot *sl = NULL;

		for (int i = 0; i < SLOTS && sl == NULL; i++)
			if (dk->dk_slots[i].sl_req != NULL && dk->dk_slots[i].sl_head == head)
				sl = &dk->dk_slots[i];
		vq_chain_free(&dk->dk_vq, (unsigned)head);
		if (sl != NULL)
			chunk_done(dk, sl);
		else
			fprintf(stderr, "devb-virtio: %s: stray used entry %d\n", dk->dk_name, head);
	}
	InterruptUnmask(dk->dk_vd.vd_irq, dk->dk_intr);
}

void
blk_forget_ocb(struct disk *dk, iofunc_ocb_t *ocb)
{
	for (int i = 0; i < SLOTS; i++)
		if (dk->dk_slots[i].sl_req != NULL && dk->dk_slots[i].sl_req->cr_ocb == ocb)
			dk->dk_slots[i].sl_req->cr_ocb = NULL;
	for (struct creq *cr = dk->dk_wait; cr != NULL; cr = cr->cr_next)
		if (cr->cr_ocb == ocb)
			cr->cr_ocb = NULL;
}


int
blk_read_sector(struct disk *dk, uint64_t sector, uint8_t *buf)
{
	struct slot *sl = &dk->dk_slots[0];
	struct virtq *vq = &dk->dk_vq;
	uint32_t type = VIRTIO_BLK_T_IN, zero = 0, len;
	int head = vq_chain_alloc(vq, 3), d, got;

	if (head < 0 || sl->sl_req != NULL)
		return EBUSY;			/* only before the loop serves anyone */
	memcpy(sl->sl_hdr, &type, 4);
	memcpy(sl->sl_hdr + 4, &zero, 4);
	memcpy(sl->sl_hdr + 8, &sector, 8);
	sl->sl_hdr[16] = 0xff;
	vq->vq_desc[head] = (struct vring_desc){ sl->sl_hdr_pa, 16, VRING_DESC_F_NEXT,
	    vq->vq_desc[head].next };
	d = vq->vq_desc[head].next;
	vq->vq_desc[d] = (struct vring_desc){ sl->sl_buf_pa, SECTOR,
	    VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, vq->vq_desc[d].next };
	d = vq->vq_desc[d].next;
	vq->vq_desc[d] = (struct vring_desc){ sl->sl_hdr_pa + 16, 1, VRING_DESC_F_WRITE,
	    vq->vq_desc[d].next };
	vq_submit(&dk->dk_vd, vq, (unsigned)head);
	/* Poll: the interrupt's pulse waits in the channel and then finds nothing. */
	if ((got = vq_used_wait(vq, &len, 2000)) < 0)
		return EIO;			/* the chain stays taken: the device has it */
	vq_chain_free(vq, (unsigned)got);
	if (sl->sl_hdr[16] != VIRTIO_BLK_S_OK)
		return EIO;
	memcpy(buf, sl->sl_buf, SECTOR);
	return 0;
}
