// uses: drivers/devnull/chacha.c
/*
 * Host tests of devnull's generator (drivers/devnull/chacha.c): the
 * ChaCha20 block function against RFC 8439's test vector (2.3.2), and the
 * generator: the same seed gives the same stream, any difference in the
 * seed or a mix changes it, reads never repeat, and the bits are balanced;
 * and the reseeding policy (csprng_due).
 */
#include "unit.h"
#include "../../drivers/devnull/chacha.h"

UNIT_TEST(rfc8439_block)
{
	static const uint8_t want[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f,
		0xa3, 0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03,
		0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46,
		0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8,
		0xa2, 0x50, 0x3c, 0x4e };
	static const uint8_t nb[12] = { 0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
	uint8_t kb[32], out[64];
	uint32_t key[8], nonce[3];

	for (int i = 0; i < 32; i++)
		kb[i] = (uint8_t)i;
	for (int i = 0; i < 8; i++)
		key[i] = (uint32_t)kb[4 * i] | (uint32_t)kb[4 * i + 1] << 8 |
		    (uint32_t)kb[4 * i + 2] << 16 | (uint32_t)kb[4 * i + 3] << 24;
	for (int i = 0; i < 3; i++)
		nonce[i] = (uint32_t)nb[4 * i] | (uint32_t)nb[4 * i + 1] << 8 |
		    (uint32_t)nb[4 * i + 2] << 16 | (uint32_t)nb[4 * i + 3] << 24;
	chacha20_block(key, 1, nonce, out);
	CHECK(memcmp(out, want, 64) == 0);
}

UNIT_TEST(generator)
{
	struct csprng a = { 0 }, b = { 0 };
	static uint8_t x[4096], y[4096];
	long ones = 0;

	csprng_mix(&a, "seed", 4);
	csprng_mix(&b, "seed", 4);
	csprng_read(&a, x, 100);
	csprng_read(&b, y, 100);
	CHECK(memcmp(x, y, 100) == 0);			/* deterministic */
	csprng_read(&a, x, 100);
	CHECK(memcmp(x, y, 100) != 0);			/* the next read is new */
	csprng_mix(&b, "x", 1);
	csprng_read(&b, y, 100);
	CHECK(memcmp(x, y, 100) != 0);			/* a mix changes the stream */
	csprng_read(&a, x, sizeof(x));
	for (size_t i = 0; i < sizeof(x); i++)
		ones += __builtin_popcount(x[i]);
	CHECK(ones > 16384 - 600 && ones < 16384 + 600);	/* about half the bits (5 sigma) */
	csprng_read(&a, x, 0);
	csprng_read(&a, x, 1);
}

/* devnull's reseeding policy: after so many bytes or so much time, whichever first. */
UNIT_TEST(reseed_due)
{
	struct csprng g = { 0 };
	static uint8_t x[1000];

	csprng_seeded(&g, 1000);
	CHECK(!csprng_due(&g, 1000, 4096, 60));
	CHECK(!csprng_due(&g, 1059, 4096, 60));
	CHECK(csprng_due(&g, 1060, 4096, 60));		/* old enough */
	CHECK(!csprng_due(&g, 999, 4096, 60));		/* a clock that went backwards */
	for (int i = 0; i < 4; i++)
		csprng_read(&g, x, sizeof(x));
	CHECK(g.cs_out == 4000);
	CHECK(!csprng_due(&g, 1001, 4096, 60));
	csprng_read(&g, x, 96);
	CHECK(csprng_due(&g, 1001, 4096, 60));		/* enough given out */
	csprng_mix(&g, "client", 6);			/* a client's write is not a seeding */
	CHECK(csprng_due(&g, 1001, 4096, 60));
	csprng_seeded(&g, 2000);
	CHECK(g.cs_out == 0 && !csprng_due(&g, 2000, 4096, 60));
	csprng_read(&g, x, 0);
	CHECK(g.cs_out == 0);
}
