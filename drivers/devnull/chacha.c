/*
 * chacha.c - ChaCha20 (RFC 8439, section 2.3) and the fast-key-erasure
 * generator of chacha.h.
 */
#include <string.h>
#include "chacha.h"

#define ROTL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d) (					\
	a += b, d ^= a, d = ROTL(d, 16),			\
	c += d, b ^= c, b = ROTL(b, 12),			\
	a += b, d ^= a, d = ROTL(d, 8),				\
	c += d, b ^= c, b = ROTL(b, 7))

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint8_t out[64])
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];

	memcpy(&in[4], key, 32);
	in[12] = counter;
	memcpy(&in[13], nonce, 12);
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];

		out[4 * i] = (uint8_t)v, out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16), out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

/* A new key from the stream of the current one (counter 0 is kept for this). */
static void rekey(struct csprng *g)
{
	uint8_t b[64];

	chacha20_block(g->cs_key, 0, g->cs_nonce, b);
	memcpy(g->cs_key, b, sizeof(g->cs_key));
	memset(b, 0, sizeof(b));
	if (++g->cs_nonce[0] == 0 && ++g->cs_nonce[1] == 0)
		g->cs_nonce[2]++;
}

void csprng_mix(struct csprng *g, const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n > 0) {
		size_t k = n < sizeof(g->cs_key) ? n : sizeof(g->cs_key);
		uint8_t *key = (uint8_t *)g->cs_key;

		for (size_t i = 0; i < k; i++)
			key[i] ^= p[i];
		rekey(g);	/* each piece goes through the block function */
		p += k, n -= k;
	}
}

void csprng_read(struct csprng *g, void *out, size_t n)
{
	uint8_t b[64], *o = out;

	for (uint32_t ctr = 1; n > 0; ctr++) {
		size_t k = n < sizeof(b) ? n : sizeof(b);

		chacha20_block(g->cs_key, ctr, g->cs_nonce, b);
		memcpy(o, b, k);
		o += k, n -= k;
	}
	memset(b, 0, sizeof(b));
	rekey(g);
	g->cs_out += (uint64_t)(o - (uint8_t *)out);
}

void csprng_seeded(struct csprng *g, uint64_t now)
{
	g->cs_out = 0;
	g->cs_seeded = now;
}

int csprng_due(const struct csprng *g, uint64_t now, uint64_t max_bytes, uint64_t max_age)
{
	return g->cs_out >= max_bytes || (now > g->cs_seeded && now - g->cs_seeded >= max_age);
}
