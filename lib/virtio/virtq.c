/*
 * lib/virtio/virtq.c - split virtqueues (<hw/virtio.h>): the ring layout,
 * descriptor chains, offering chains and taking finished ones.  Facts from
 * the virtio 1.x specification, "Split Virtqueues".  It touches the device
 * only to notify it, so the host tests (tests/host/test_virtq.c) drive it
 * on ordinary memory.
 */
#include <errno.h>
#include <time.h>
#include <hw/virtio.h>

#define PG	4096UL

/* The device sees our stores in order: a full fence between the steps. */
#define vio_mb()	__sync_synchronize()

/* Descriptors and the available ring (flags, idx, ring[num], used_event). */
static size_t
used_off(unsigned num)
{
	return (16UL * num + 6 + 2UL * num + PG - 1) & ~(PG - 1);
}

size_t
vq_ring_size(unsigned num)
{
	return used_off(num) + ((6 + 8UL * num + PG - 1) & ~(PG - 1));
}

void
vq_layout(struct virtq *vq, unsigned idx, unsigned num, void *mem, uint64_t pa)
{
	uint8_t *m = mem;

	vq->vq_index = idx;
	vq->vq_num = (uint16_t)num;
	vq->vq_mem = mem;
	vq->vq_memlen = vq_ring_size(num);
	vq->vq_pa = pa;
	vq->vq_desc = (struct vring_desc *)m;
	vq->vq_avail = (volatile uint16_t *)(m + 16UL * num);
	vq->vq_used = (volatile uint16_t *)(m + used_off(num));
	vq->vq_avail_idx = vq->vq_used_seen = 0;
	for (unsigned i = 0; i < num; i++)
		vq->vq_desc[i].next = (uint16_t)(i + 1);
	vq->vq_free = 0;
	vq->vq_nfree = (uint16_t)num;
}

int
vq_chain_alloc(struct virtq *vq, unsigned n)
{
	unsigned head = vq->vq_free, d = head;

	if (n == 0 || vq->vq_nfree < n)
		return -1;
	for (unsigned i = 1; i < n; i++) {
		vq->vq_desc[d].flags = VRING_DESC_F_NEXT;
		d = vq->vq_desc[d].next;
	}
	vq->vq_free = vq->vq_desc[d].next;
	vq->vq_desc[d].flags = 0;
	vq->vq_nfree = (uint16_t)(vq->vq_nfree - n);
	return (int)head;
}

void
vq_chain_free(struct virtq *vq, unsigned head)
{
	unsigned d = head;

	vq->vq_nfree++;
	while (vq->vq_desc[d].flags & VRING_DESC_F_NEXT) {
		d = vq->vq_desc[d].next;
		vq->vq_nfree++;
	}
	vq->vq_desc[d].next = vq->vq_free;
	vq->vq_free = (uint16_t)head;
}

void
vq_submit(struct vdev *vd, struct virtq *vq, unsigned head)
{
	vq->vq_avail[2 + (vq->vq_avail_idx & (vq->vq_num - 1))] = (uint16_t)head;
	vio_mb();				/* the entry before the index */
	vq->vq_avail[1] = ++vq->vq_avail_idx;
	vio_mb();				/* the index before the notification */
	*(volatile uint32_t *)(vd->vd_regs + VIO_QUEUE_NOTIFY) = vq->vq_index;
}

int
vq_used_next(struct virtq *vq, uint32_t *len)
{
	const volatile struct vring_used_elem *e;

	if (vq->vq_used[1] == vq->vq_used_seen)
		return -1;
	vio_mb();				/* the index before the entry */
	e = (const volatile struct vring_used_elem *)(vq->vq_used + 2) +
	    (vq->vq_used_seen & (vq->vq_num - 1));
	*len = e->len;
	vq->vq_used_seen++;
	return (int)e->id;
}

int
vq_used_wait(struct virtq *vq, uint32_t *len, unsigned ms)
{
	struct timespec ts = { 0, 1000 * 1000 }, t0, t;
	int head;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((head = vq_used_next(vq, len)) < 0) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return head;
}
