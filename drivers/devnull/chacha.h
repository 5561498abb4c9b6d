/*
 * chacha.h - the ChaCha20 block function (RFC 8439) and a generator on
 * it for /dev/random and /dev/urandom (docs/resmgr.md).  No QSOE calls:
 * the host tests (tests/host/test_chacha.c) check it against the RFC.
 *
 * The generator erases its key as it goes ("fast key erasure"): each
 * read is keystream under the current key, then the key is replaced by
 * fresh keystream, so a later compromise does not reveal earlier output.
 * Its output is as good as its seed, and the seed is the caller's.
 */
#ifndef CHACHA_H
#define CHACHA_H

#include <stddef.h>
#include <stdint.h>

/* One 64-byte block of keystream for key, block counter and nonce. */
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint8_t out[64]);

struct csprng {
	uint32_t	cs_key[8];
	uint32_t	cs_nonce[3];	/* counts reads (a new stream each) */
	uint64_t	cs_out;		/* bytes given out since the last seeding */
	uint64_t	cs_seeded;	/* when it was seeded (the caller's clock) */
};

/* Mix n bytes of seed material into the key (any number of times). */
void csprng_mix(struct csprng *g, const void *data, size_t n);

/* n bytes of output (at most 2^32 blocks a call), then a new key. */
void csprng_read(struct csprng *g, void *out, size_t n);

/* The caller has just mixed in fresh seed at time now: start counting again. */
void csprng_seeded(struct csprng *g, uint64_t now);

/*
 * Is a reseed due at time now: max_bytes or more given out, or max_age
 * or more passed, since the last seeding?  A clock that went backwards
 * counts as no time passed.
 */
int csprng_due(const struct csprng *g, uint64_t now, uint64_t max_bytes, uint64_t max_age);

#endif
