// uses: lib/virtio/virtq.c
/*
 * Host tests of libvirtio's split rings (lib/virtio/virtq.c) on ordinary
 * memory, the test playing the device: the layout (legacy: the used ring
 * on a page boundary), chains taken and given back, the available ring
 * and the notification, finished chains taken from the used ring in
 * order across the 16-bit index's wrap, and vq_used_wait's bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "unit.h"
#include <hw/virtio.h>

static uint32_t regs[0x200 / 4];		/* the device's registers: only QueueNotify is written */
static struct vdev dev = { .vd_regs = (volatile uint8_t *)regs };

static struct virtq *
mkq(unsigned num)
{
	static struct virtq vq;
	void *mem = aligned_alloc(4096, vq_ring_size(num));

	memset(mem, 0, vq_ring_size(num));
	vq_layout(&vq, 3, num, mem, 0x80000000);
	return &vq;
}

/* The device finishes the chain at head, having written len bytes. */
static void
dev_finish(struct virtq *vq, unsigned head, uint32_t len)
{
	volatile struct vring_used_elem *e = (volatile struct vring_used_elem *)(vq->vq_used + 2);
	uint16_t idx = vq->vq_used[1];

	e[idx & (vq->vq_num - 1)].id = head;
	e[idx & (vq->vq_num - 1)].len = len;
	vq->vq_used[1] = (uint16_t)(idx + 1);
}

UNIT_TEST(layout)
{
	struct virtq *vq = mkq(8);

	CHECK_EQ(vq_ring_size(8), 8192);
	CHECK_EQ(vq_ring_size(128), 4096 + 4096);	/* 2048 + 262 on one page, the used ring */
	CHECK_EQ(vq_ring_size(256), 8192 + 4096);
	CHECK_EQ((uint8_t *)vq->vq_avail - (uint8_t *)vq->vq_desc, 16 * 8);
	CHECK_EQ((uint8_t *)vq->vq_used - (uint8_t *)vq->vq_desc, 4096);
	CHECK_EQ(vq->vq_nfree, 8);
	CHECK_EQ(vq->vq_memlen, 8192);
	CHECK_EQ(vq->vq_pa, 0x80000000);
	free(vq->vq_mem);
}

UNIT_TEST(chains)
{
	struct virtq *vq = mkq(8);
	int a = vq_chain_alloc(vq, 3), b = vq_chain_alloc(vq, 5);

	CHECK(a >= 0 && b >= 0 && a != b);
	CHECK_EQ(vq->vq_nfree, 0);
	CHECK_EQ(vq_chain_alloc(vq, 1), -1);		/* none left */
	CHECK(vq->vq_desc[a].flags & VRING_DESC_F_NEXT);
	vq_chain_free(vq, (unsigned)a);
	CHECK_EQ(vq->vq_nfree, 3);
	CHECK_EQ(vq_chain_alloc(vq, 4), -1);
	CHECK_EQ(vq_chain_alloc(vq, 0), -1);
	vq_chain_free(vq, (unsigned)b);
	CHECK_EQ(vq->vq_nfree, 8);
	CHECK(vq_chain_alloc(vq, 8) >= 0);		/* the list is whole again */
	free(vq->vq_mem);
}

UNIT_TEST(submit_and_used_across_wrap)
{
	struct virtq *vq = mkq(4);
	uint32_t len;

	for (unsigned round = 0; round < 70000; round++) {	/* past 65535: the indexes wrap */
		int h = vq_chain_alloc(vq, 2);

		CHECK(h >= 0);
		regs[VIO_QUEUE_NOTIFY / 4] = 99;
		vq_submit(&dev, vq, (unsigned)h);
		CHECK_EQ(regs[VIO_QUEUE_NOTIFY / 4], 3);		/* the queue's number */
		CHECK_EQ(vq->vq_avail[1], (uint16_t)(round + 1));
		CHECK_EQ(vq->vq_avail[2 + (round & 3)], h);
		CHECK_EQ(vq_used_next(vq, &len), -1);
		dev_finish(vq, (unsigned)h, round);
		CHECK_EQ(vq_used_next(vq, &len), h);
		CHECK_EQ(len, round);
		CHECK_EQ(vq_used_next(vq, &len), -1);
		vq_chain_free(vq, (unsigned)h);
	}
	CHECK_EQ(vq->vq_nfree, 4);
	free(vq->vq_mem);
}

UNIT_TEST(used_wait_bound)
{
	struct virtq *vq = mkq(2);
	struct timespec t0, t1;
	uint32_t len;
	int h = vq_chain_alloc(vq, 1);

	vq_submit(&dev, vq, (unsigned)h);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	CHECK_EQ(vq_used_wait(vq, &len, 30), -1);		/* the device never answers */
	CHECK_EQ(errno, ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 30);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
	dev_finish(vq, (unsigned)h, 64);
	CHECK_EQ(vq_used_wait(vq, &len, 0), h);		/* already there: no wait at all */
	CHECK_EQ(len, 64);
	free(vq->vq_mem);
}
