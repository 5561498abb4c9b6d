/*
 * <hw/virtio.h> - libvirtio, a small virtio-mmio transport with split
 * virtqueues (lib/virtio, docs/storage.md), built into the sysroot like
 * libresmgr; link with -lvirtio.  Used by devb-virtio (virtio-blk) and
 * devnull (virtio-rng).  Nothing in it knows about one kind of device.
 *
 * Both register layouts are driven: the legacy one (Version 1, QEMU 7.2's
 * default for virtio-mmio) and the modern one (Version 2, virtio 1.x, with
 * -global virtio-mmio.force-legacy=false), which differ only in feature
 * negotiation (VIRTIO_F_VERSION_1, FEATURES_OK) and how a queue's address
 * is given.  The rings live in DMA memory (mmap MAP_PHYS | MAP_ANON) and
 * the device learns their physical addresses from mem_offset.
 *
 * One thread uses a device at a time (the driver's loop): nothing here
 * locks.
 */
#ifndef _HW_VIRTIO_H
#define _HW_VIRTIO_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_MAGIC		0x74726976	/* "virt" */
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_ENTROPY	4	/* virtio-rng */

/* Registers (byte offsets); L: legacy only, M: modern only. */
#define VIO_MAGIC		0x000
#define VIO_VERSION		0x004
#define VIO_DEVICE_ID		0x008
#define VIO_HOST_FEATURES	0x010
#define VIO_HOST_FEATURES_SEL	0x014
#define VIO_GUEST_FEATURES	0x020
#define VIO_GUEST_FEATURES_SEL	0x024
#define VIO_GUEST_PAGE_SIZE	0x028	/* L */
#define VIO_QUEUE_SEL		0x030
#define VIO_QUEUE_NUM_MAX	0x034
#define VIO_QUEUE_NUM		0x038
#define VIO_QUEUE_ALIGN		0x03c	/* L */
#define VIO_QUEUE_PFN		0x040	/* L */
#define VIO_QUEUE_READY		0x044	/* M */
#define VIO_QUEUE_NOTIFY	0x050
#define VIO_INTR_STATUS		0x060
#define VIO_INTR_ACK		0x064
#define VIO_STATUS		0x070
#define VIO_QUEUE_DESC_LO	0x080	/* M */
#define VIO_QUEUE_DESC_HI	0x084
#define VIO_QUEUE_AVAIL_LO	0x090	/* M (the "driver" area) */
#define VIO_QUEUE_AVAIL_HI	0x094
#define VIO_QUEUE_USED_LO	0x0a0	/* M (the "device" area) */
#define VIO_QUEUE_USED_HI	0x0a4
#define VIO_CONFIG		0x100	/* the device's own configuration */

/* VIO_STATUS bits. */
#define VIO_S_ACKNOWLEDGE	0x01
#define VIO_S_DRIVER		0x02
#define VIO_S_DRIVER_OK		0x04
#define VIO_S_FEATURES_OK	0x08
#define VIO_S_FAILED		0x80

#define VIRTIO_F_VERSION_1	(1ULL << 32)

/* Split-ring descriptor flags. */
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2	/* the device writes this buffer */

struct vring_desc {
	uint64_t	addr;		/* physical */
	uint32_t	len;
	uint16_t	flags;
	uint16_t	next;
};

struct vring_used_elem {
	uint32_t	id;		/* head of the finished chain */
	uint32_t	len;		/* bytes the device wrote */
};

/* One split virtqueue.  vq_desc[i].next links the free descriptors. */
struct virtq {
	unsigned		vq_index;	/* the device's queue number */
	uint16_t		vq_num;		/* entries (a power of 2) */
	uint16_t		vq_free;	/* head of the free list */
	uint16_t		vq_nfree;
	uint16_t		vq_avail_idx;	/* our copy of avail->idx */
	uint16_t		vq_used_seen;	/* used entries consumed */
	struct vring_desc	*vq_desc;
	volatile uint16_t	*vq_avail;	/* flags, idx, ring[num], used_event */
	volatile uint16_t	*vq_used;	/* flags, idx, then elems */
	uint64_t		vq_pa;		/* physical address of vq_desc */
	void			*vq_mem;	/* the rings' DMA memory (vio_queue_init's) */
	size_t			vq_memlen;
};

struct vdev {
	volatile uint8_t	*vd_regs;	/* the slot's page */
	uint64_t		vd_pa;		/* its physical address */
	int			vd_irq;		/* PLIC source */
	unsigned		vd_version;	/* 1 legacy, 2 modern */
	uint32_t		vd_id;		/* VIRTIO_ID_* */
	uint64_t		vd_features;	/* negotiated */
};

/*
 * QEMU virt's virtio-mmio slots: VIO_SLOTS pages from VIO_SLOT_BASE, slot
 * i at interrupt VIO_SLOT_IRQ + i.  User space has no device tree yet, so
 * vio_find probes them (docs/storage.md).
 */
#define VIO_SLOT_BASE		0x10001000ULL
#define VIO_SLOT_SIZE		0x1000ULL
#define VIO_SLOTS		8
#define VIO_SLOT_IRQ		1

/*
 * Map the virtio-mmio registers at pa and check them: 0, or -1 with
 * errno ENODEV (no virtio device there, or not device id want; want 0
 * takes any) or the mapping's error.  Needs the I/O ability.
 */
int vio_probe(struct vdev *vd, uint64_t pa, int irq, uint32_t want);

/*
 * Probe every slot for devices of type id, highest address first (the
 * order of QEMU's device tree, which is the command line's order); fill
 * up to max.  Returns how many were found.
 */
int vio_find(struct vdev *vds, int max, uint32_t id);

/*
 * Reset the device and negotiate: the device's features & wanted (plus
 * VIRTIO_F_VERSION_1 on a modern device) go to vd_features.  0, or -1
 * (EIO: the device refused FEATURES_OK).
 */
int vio_negotiate(struct vdev *vd, uint64_t wanted);

/* Set up queue idx with at most max entries in fresh DMA memory.  0 or -1 and errno. */
int vio_queue_init(struct vdev *vd, struct virtq *vq, unsigned idx, unsigned max);
/* Free a queue's memory; the caller has reset the device first (it must not use it). */
void vio_queue_free(struct virtq *vq);

/* The driver is ready: DRIVER_OK. */
void vio_ready(struct vdev *vd);

/* Reset the device (it forgets its queues and stops using our memory). */
void vio_reset(struct vdev *vd);

/* Device configuration space, little-endian fields. */
uint32_t vio_config32(struct vdev *vd, unsigned off);
uint64_t vio_config64(struct vdev *vd, unsigned off);

/* Attach the device's interrupt as a pulse (code, value) on connection coid.  Interrupt id or -1. */
int vio_intr_attach(struct vdev *vd, int coid, int code, int value);

/* Read and acknowledge the interrupt cause (bit 0: used ring, bit 1: config). */
uint32_t vio_intr_ack(struct vdev *vd);
/* The interrupt cause, not acknowledged. */
uint32_t vio_intr_pending(struct vdev *vd);

/*
 * The split ring (virtq.c: no device access but the notification, so the
 * host tests run it on ordinary memory).  Bytes of ring memory for num
 * entries (a power of 2): descriptors, the available ring, then the used
 * ring on the next page, the legacy layout, which suits modern devices too.
 */
size_t vq_ring_size(unsigned num);
/* Lay a queue of num entries out in mem (ring_size bytes, zeroed) at physical pa; all free. */
void vq_layout(struct virtq *vq, unsigned idx, unsigned num, void *mem, uint64_t pa);

/* Take a chain of n free descriptors; the head, or -1 if fewer are free. */
int vq_chain_alloc(struct virtq *vq, unsigned n);
/* Give a chain back, from its head. */
void vq_chain_free(struct virtq *vq, unsigned head);
/* Offer the chain at head to the device and notify it. */
void vq_submit(struct vdev *vd, struct virtq *vq, unsigned head);
/* The next chain the device finished: its head, or -1 if none.  *len: bytes written. */
int vq_used_next(struct virtq *vq, uint32_t *len);

/*
 * Poll for the next finished chain for at most ms milliseconds (sleeping
 * a millisecond between looks): its head, or -1 with errno ETIMEDOUT.
 * For a driver that does not wait for the interrupt (start-up, one request).
 */
int vq_used_wait(struct virtq *vq, uint32_t *len, unsigned ms);

/* DMA memory: len zeroed, physically contiguous bytes and their physical address; NULL on error. */
void *vio_dma_alloc(size_t len, uint64_t *pa);
void vio_dma_free(void *p, size_t len);

#endif
