/*
 * drivers/devnull/seed.c - seeding devnull's generator (seed.h).
 *
 * virtio-rng is used only while devnull reads from it: set the device
 * up (one queue of one entry, DMA memory for the buffer), offer one
 * buffer, poll the used ring for at most a bound, then reset the device
 * and free the memory.  So between reads the device holds no address of
 * ours: a devnull that is killed, or a second devnull, finds it free.
 * Polling rather than the interrupt: one request at start and one a
 * minute at most, which QEMU answers within a millisecond or so; the
 * bound is a plain clock check, and there is no interrupt attachment or
 * channel to set up and tear down.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/neutrino.h>
#include <sys/slog.h>
#include <hw/virtio.h>
#include "seed.h"

#define DMA_LEN		4096

static struct vdev rngdev;
static int have_rng;		/* rngdev is a virtio-rng device that answered */

static uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile ("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* WEAK seed: the time CSR around n kernel calls (docs/resmgr.md). */
static void jitter(struct csprng *g, int n)
{
	uint64_t t[256];

	for (int i = 0; i < n && i < 256; i++) {
		t[i] = rdtime();
		SchedYield();
	}
	csprng_mix(g, t, (size_t)(n < 256 ? n : 256) * sizeof(t[0]));
}

/* Offer one buffer of n bytes and wait ms for it: bytes written, or -1 and errno. */
static int rng_request(struct virtq *vq, uint8_t *buf, size_t n, unsigned ms)
{
	uint8_t *dma;
	uint64_t pa;
	uint32_t len;
	int head, got;

	if ((dma = vio_dma_alloc(DMA_LEN, &pa)) == NULL)
		return -1;
	vio_ready(&rngdev);
	head = vq_chain_alloc(vq, 1);
	vq->vq_desc[head].addr = pa;
	vq->vq_desc[head].len = (uint32_t)n;
	vq->vq_desc[head].flags = VRING_DESC_F_WRITE;
	vq_submit(&rngdev, vq, (unsigned)head);
	got = vq_used_wait(vq, &len, ms);
	vio_reset(&rngdev);		/* it forgets the buffer before we free it */
	if (got == head && len > 0 && len <= n)
		memcpy(buf, dma, len);
	else if (got >= 0)
		errno = EIO;
	memset(dma, 0, DMA_LEN);
	vio_dma_free(dma, DMA_LEN);
	return got == head && len > 0 && len <= n ? (int)len : -1;
}

/* Up to n (at most DMA_LEN) bytes from the device within ms: how many, or -1 and errno. */
static int rng_read(uint8_t *buf, size_t n, unsigned ms)
{
	struct virtq vq;
	int r = -1, e;

	if (vio_negotiate(&rngdev, 0) < 0)
		return -1;
	if (vio_queue_init(&rngdev, &vq, 0, 1) == 0) {
		r = rng_request(&vq, buf, n, ms);
		e = errno;
		vio_reset(&rngdev);
		vio_queue_free(&vq);
		errno = e;
	} else {
		vio_reset(&rngdev);
	}
	return r;
}

/* Say it on stderr and in the system log. */
static void note(int severity, const char *fmt, const char *why)
{
	fprintf(stderr, fmt, why);
	fputc('\n', stderr);
	slogf(_SLOG_SETCODE(_SLOGC_PRIVATE_START, 0), severity, fmt, why);
}

void seed_init(struct csprng *g)
{
	uint8_t buf[SEED_BYTES];
	char why[96];
	int n;

	jitter(g, 256);
	if (ThreadCtl(_NTO_TCTL_IO, 0) < 0)
		snprintf(why, sizeof(why), "no I/O ability (%s)", strerror(errno));
	else if (vio_find(&rngdev, 1, VIRTIO_ID_ENTROPY) == 0)
		snprintf(why, sizeof(why), "no virtio-rng device");
	else if ((n = rng_read(buf, sizeof(buf), SEED_WAIT_MS)) < 0)
		snprintf(why, sizeof(why), "virtio-rng at %#llx: %s",
		    (unsigned long long)rngdev.vd_pa, strerror(errno));
	else {
		csprng_mix(g, buf, (size_t)n);
		memset(buf, 0, sizeof(buf));
		have_rng = 1;
		snprintf(why, sizeof(why), "%d bytes, virtio-mmio v%u at %#llx", n,
		    rngdev.vd_version, (unsigned long long)rngdev.vd_pa);
	}
	csprng_seeded(g, now_ns());
	if (have_rng)
		note(_SLOG_INFO, "devnull: seeded from virtio-rng (%s) and timer jitter", why);
	else
		note(_SLOG_WARNING, "devnull: seeded from timer jitter only, WEAK: %s", why);
}

void seed_maybe(struct csprng *g)
{
	uint8_t buf[RESEED_BYTES];
	uint64_t now = now_ns();
	int n;

	if (!csprng_due(g, now, RESEED_OUT, RESEED_AGE))
		return;
	jitter(g, 16);
	if (have_rng) {
		if ((n = rng_read(buf, sizeof(buf), RESEED_WAIT_MS)) > 0) {
			csprng_mix(g, buf, (size_t)n);
			memset(buf, 0, sizeof(buf));
		} else {
			have_rng = 0;
			note(_SLOG_WARNING, "devnull: virtio-rng stopped answering (%s): "
			    "reseeding from timer jitter only", strerror(errno));
		}
	}
	csprng_seeded(g, now_ns());
}
