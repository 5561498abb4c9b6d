/*
 * selftest/string_test.c - memcpy, memmove and memset (kern/string.c) at
 * every alignment of source and destination and at lengths around the
 * word paths' edges: the bytes asked for change, and no byte beside them.
 */
#include <kern/ktest.h>
#include <kern/string.h>

#define BUF	160
#define GUARD	0xa5

static unsigned char src[BUF] __attribute__((aligned(8)));
static unsigned char dst[BUF] __attribute__((aligned(8)));
static unsigned char want[BUF] __attribute__((aligned(8)));

static const size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 31, 40, 64, 65, 100, 127 };

static void
fill(unsigned char *b, unsigned seed)
{
	for (int i = 0; i < BUF; i++)
		b[i] = (unsigned char)(i * 7 + seed);
}

/* dst equals want everywhere; the first difference, or -1. */
static int
first_diff(void)
{
	for (int i = 0; i < BUF; i++)
		if (dst[i] != want[i])
			return i;
	return -1;
}

KTEST(string, memcpy_every_alignment)
{
	fill(src, 1);
	for (int so = 0; so < 8; so++)
		for (int d = 0; d < 8; d++)
			for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
				size_t n = lens[k];

				for (int i = 0; i < BUF; i++)
					dst[i] = want[i] = GUARD;
				for (size_t i = 0; i < n; i++)
					want[8 + d + i] = src[8 + so + i];
				KT_CHECK(memcpy(dst + 8 + d, src + 8 + so, n) == dst + 8 + d,
				    "return value");
				KT_CHECK(first_diff() < 0, "src+%d dst+%d len %zu: byte %d", so, d, n,
				    first_diff());
			}
	return 0;
}

KTEST(string, memmove_overlapping)
{
	for (int so = 0; so < 16; so++)
		for (int d = 0; d < 16; d++)
			for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
				size_t n = lens[k];

				fill(dst, 3);
				fill(want, 3);
				for (size_t i = 0; i < n; i++)	/* as if through a third buffer */
					src[i] = want[8 + so + i];
				for (size_t i = 0; i < n; i++)
					want[8 + d + i] = src[i];
				KT_CHECK(memmove(dst + 8 + d, dst + 8 + so, n) == dst + 8 + d,
				    "return value");
				KT_CHECK(first_diff() < 0, "from +%d to +%d len %zu: byte %d", so, d, n,
				    first_diff());
			}
	return 0;
}

KTEST(string, memset_every_alignment)
{
	for (int d = 0; d < 8; d++)
		for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
			size_t n = lens[k];

			for (int i = 0; i < BUF; i++)
				dst[i] = want[i] = GUARD;
			for (size_t i = 0; i < n; i++)
				want[8 + d + i] = 0x3c;
			KT_CHECK(memset(dst + 8 + d, 0x3c, n) == dst + 8 + d, "return value");
			KT_CHECK(first_diff() < 0, "dst+%d len %zu: byte %d", d, n, first_diff());
		}
	return 0;
}
