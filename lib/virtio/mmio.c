/*
 * lib/virtio/mmio.c - the virtio-mmio transport (<hw/virtio.h>): finding
 * devices, negotiation, queues in DMA memory, interrupts.  Facts from the
 * virtio 1.x specification, "Virtio Over MMIO" (modern and legacy
 * interfaces).  The rings themselves are virtq.c's.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include <hw/virtio.h>

#define PG	4096UL

/* The device sees our stores in order: a full fence between the steps. */
#define vio_mb()	__sync_synchronize()

static uint32_t
rd(struct vdev *vd, unsigned reg)
{
	return *(volatile uint32_t *)(vd->vd_regs + reg);
}

static void
wr(struct vdev *vd, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(vd->vd_regs + reg) = v;
}

int
vio_probe(struct vdev *vd, uint64_t pa, int irq, uint32_t want)
{
	void *va = mmap_device_memory(NULL, PG, PROT_READ | PROT_WRITE | PROT_NOCACHE, 0,
	    (off_t)pa);

	if (va == MAP_FAILED)
		return -1;
	memset(vd, 0, sizeof(*vd));
	vd->vd_regs = va;
	vd->vd_pa = pa;
	vd->vd_irq = irq;
	vd->vd_version = rd(vd, VIO_VERSION);
	vd->vd_id = rd(vd, VIO_DEVICE_ID);
	if (rd(vd, VIO_MAGIC) != VIRTIO_MAGIC || (vd->vd_version != 1 && vd->vd_version != 2) ||
	    vd->vd_id == 0 || (want != 0 && vd->vd_id != want)) {
		munmap_device_memory(va, PG);
		errno = ENODEV;
		return -1;
	}
	return 0;
}

int
vio_find(struct vdev *vds, int max, uint32_t id)
{
	int n = 0;

	for (int i = VIO_SLOTS - 1; i >= 0 && n < max; i--)
		if (vio_probe(&vds[n], VIO_SLOT_BASE + (uint64_t)i * VIO_SLOT_SIZE,
		    VIO_SLOT_IRQ + i, id) == 0)
			n++;
	return n;
}

void
vio_reset(struct vdev *vd)
{
	wr(vd, VIO_STATUS, 0);
	vio_mb();
}

int
vio_negotiate(struct vdev *vd, uint64_t wanted)
{
	uint64_t host;

	vio_reset(vd);
	wr(vd, VIO_STATUS, VIO_S_ACKNOWLEDGE);
	wr(vd, VIO_STATUS, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER);
	wr(vd, VIO_HOST_FEATURES_SEL, 0);
	host = rd(vd, VIO_HOST_FEATURES);
	wr(vd, VIO_HOST_FEATURES_SEL, 1);
	host |= (uint64_t)rd(vd, VIO_HOST_FEATURES) << 32;
	if (vd->vd_version == 2)
		wanted |= VIRTIO_F_VERSION_1;	/* a modern device insists on it */
	vd->vd_features = host & wanted;
	wr(vd, VIO_GUEST_FEATURES_SEL, 0);
	wr(vd, VIO_GUEST_FEATURES, (uint32_t)vd->vd_features);
	wr(vd, VIO_GUEST_FEATURES_SEL, 1);
	wr(vd, VIO_GUEST_FEATURES, (uint32_t)(vd->vd_features >> 32));
	if (vd->vd_version == 1) {
		wr(vd, VIO_GUEST_PAGE_SIZE, PG);
		return 0;			/* legacy has no FEATURES_OK step */
	}
	wr(vd, VIO_STATUS, VIO_S_ACKNOWLEDGE | VIO_S_DRIVER | VIO_S_FEATURES_OK);
	if (!(rd(vd, VIO_STATUS) & VIO_S_FEATURES_OK) || !(vd->vd_features & VIRTIO_F_VERSION_1)) {
		wr(vd, VIO_STATUS, VIO_S_FAILED);
		errno = EIO;
		return -1;
	}
	return 0;
}

void *
vio_dma_alloc(size_t len, uint64_t *pa)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_NOCACHE,
	    MAP_PHYS | MAP_ANON | MAP_SHARED, NOFD, 0);
	size_t contig = 0;
	off_t off;

	if (p == MAP_FAILED)
		return NULL;
	if (mem_offset(p, NOFD, len, &off, &contig) < 0 || contig != len) {
		munmap(p, len);
		if (contig != len)
			errno = ENOMEM;
		return NULL;
	}
	*pa = (uint64_t)off;
	return p;
}

void
vio_dma_free(void *p, size_t len)
{
	munmap(p, len);
}

static void
queue_give_addr(struct vdev *vd, struct virtq *vq)
{
	uint64_t avail = vq->vq_pa + (uint64_t)((volatile uint8_t *)vq->vq_avail - (uint8_t *)vq->vq_mem);
	uint64_t used = vq->vq_pa + (uint64_t)((volatile uint8_t *)vq->vq_used - (uint8_t *)vq->vq_mem);

	if (vd->vd_version == 1) {
		wr(vd, VIO_QUEUE_ALIGN, PG);
		wr(vd, VIO_QUEUE_PFN, (uint32_t)(vq->vq_pa / PG));
		return;
	}
	wr(vd, VIO_QUEUE_DESC_LO, (uint32_t)vq->vq_pa);
	wr(vd, VIO_QUEUE_DESC_HI, (uint32_t)(vq->vq_pa >> 32));
	wr(vd, VIO_QUEUE_AVAIL_LO, (uint32_t)avail);
	wr(vd, VIO_QUEUE_AVAIL_HI, (uint32_t)(avail >> 32));
	wr(vd, VIO_QUEUE_USED_LO, (uint32_t)used);
	wr(vd, VIO_QUEUE_USED_HI, (uint32_t)(used >> 32));
	wr(vd, VIO_QUEUE_READY, 1);
}

int
vio_queue_init(struct vdev *vd, struct virtq *vq, unsigned idx, unsigned max)
{
	unsigned num, hw;
	uint64_t pa;
	void *mem;

	wr(vd, VIO_QUEUE_SEL, idx);
	hw = rd(vd, VIO_QUEUE_NUM_MAX);
	if (hw == 0 || (vd->vd_version == 1 && rd(vd, VIO_QUEUE_PFN) != 0) ||
	    (vd->vd_version == 2 && rd(vd, VIO_QUEUE_READY) != 0)) {
		errno = ENODEV;			/* no such queue, or in use */
		return -1;
	}
	for (num = 1; num * 2 <= hw && num * 2 <= max; num *= 2)
		;
	if ((mem = vio_dma_alloc(vq_ring_size(num), &pa)) == NULL)
		return -1;
	vq_layout(vq, idx, num, mem, pa);
	wr(vd, VIO_QUEUE_NUM, num);
	queue_give_addr(vd, vq);
	return 0;
}

void
vio_queue_free(struct virtq *vq)
{
	if (vq->vq_mem != NULL)
		vio_dma_free(vq->vq_mem, vq->vq_memlen);
	vq->vq_mem = NULL;
}

void
vio_ready(struct vdev *vd)
{
	vio_mb();
	wr(vd, VIO_STATUS, rd(vd, VIO_STATUS) | VIO_S_DRIVER_OK);
}

uint32_t
vio_config32(struct vdev *vd, unsigned off)
{
	return rd(vd, VIO_CONFIG + off);
}

uint64_t
vio_config64(struct vdev *vd, unsigned off)
{
	return (uint64_t)rd(vd, VIO_CONFIG + off) | (uint64_t)rd(vd, VIO_CONFIG + off + 4) << 32;
}

int
vio_intr_attach(struct vdev *vd, int coid, int code, int value)
{
	struct __abi_sigevent ev = { 0 };

	ev.sigev_notify = __ABI_SIGEV_PULSE;
	ev.__sigev_un1.__sigev_coid = coid;
	ev.__sigev_un2.__st.__sigev_code = (short)code;
	ev.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	ev.sigev_value.sival_int = value;
	return InterruptAttachEvent(vd->vd_irq, &ev, 0);
}

uint32_t
vio_intr_ack(struct vdev *vd)
{
	uint32_t st = rd(vd, VIO_INTR_STATUS);

	wr(vd, VIO_INTR_ACK, st);
	return st;
}

uint32_t
vio_intr_pending(struct vdev *vd)
{
	return rd(vd, VIO_INTR_STATUS);
}
