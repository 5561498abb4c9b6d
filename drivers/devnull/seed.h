/*
 * drivers/devnull/seed.h - where devnull's generator gets its seed
 * (docs/resmgr.md): a virtio entropy device (virtio-rng, through
 * libvirtio) when there is one, and always the time CSR's jitter.  One
 * thread (the server's loop) calls these.
 */
#ifndef SEED_H
#define SEED_H

#include "chacha.h"

#define SEED_BYTES	64		/* from virtio-rng at start */
#define RESEED_BYTES	32		/* ... and at each reseeding */
#define RESEED_OUT	(1ULL << 20)	/* reseed after this much output */
#define RESEED_AGE	(60ULL * 1000000000)	/* or this old a seed (ns) */
#define SEED_WAIT_MS	1000		/* the bound on virtio-rng's answer at start */
#define RESEED_WAIT_MS	20		/* ... and when reseeding (clients wait meanwhile) */

/*
 * Seed g at start-up: jitter, and virtio-rng if the device is there and
 * answers within SEED_WAIT_MS.  Says which on stderr and in the system
 * log.  Never fails and never waits longer than that bound.
 */
void seed_init(struct csprng *g);

/* Before a read: reseed g if csprng_due says so (RESEED_OUT, RESEED_AGE). */
void seed_maybe(struct csprng *g);

#endif
