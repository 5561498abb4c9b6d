/*
 * kern/string.c - freestanding memory and string routines.
 *
 * memcpy and memset move 8 bytes a step with aligned accesses only
 * (-mstrict-align); the other routines are simple byte loops.  The kernel
 * copies in bulk when it loads a program (MemWrite: a file's bytes from the
 * boot image into the new process) and in every message copy (vm.c).
 */
#include <kern/string.h>

typedef uint64_t __attribute__((__may_alias__)) word_t;

#define WMASK	(sizeof(word_t) - 1)

/*
 * The word at byte offset sh/8 of the pair lo, hi (lo first in memory).
 * 0 < sh < 64.
 */
static inline word_t
merge(word_t lo, word_t hi, unsigned sh)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return lo >> sh | hi << (64 - sh);
#else
	return lo << sh | hi >> (64 - sh);
#endif
}

/*
 * Copy n & ~WMASK bytes to word-aligned d from s, which is not word-aligned:
 * aligned loads of the words that hold s's bytes, merged.  It never loads a
 * word holding none of the bytes, so it reads no page the copy does not.
 */
static void
copy_shifted(word_t *d, const unsigned char *s, size_t n)
{
	unsigned sh = (unsigned)((uintptr_t)s & WMASK) * 8;
	const word_t *w = (const word_t *)(s - ((uintptr_t)s & WMASK));
	word_t lo = *w++, hi;

	for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
		hi = *w++;
		*d++ = merge(lo, hi, sh);
		lo = hi;
	}
}

/* Whole words from s to d, both word-aligned, while n allows; advances them. */
static inline __attribute__((always_inline)) void
copy_words(unsigned char **d, const unsigned char **s, size_t *n)
{
	for (; *n >= sizeof(word_t); *n -= sizeof(word_t), *d += sizeof(word_t), *s += sizeof(word_t))
		*(word_t *)*d = *(const word_t *)*s;
}

/*
 * Upwards: whole words when dst and src are aligned alike (after bytes up
 * to the boundary); words merged from two when they are not; bytes for the
 * rest.  A byte loop costs 5 instructions a byte; these, 0.6 and 1.1.
 * Each word is loaded before it is stored over, so dst <= src may overlap.
 * Inlined into memmove too, which copies through it (vm.c's copies).
 */
static inline __attribute__((always_inline)) void
copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= sizeof(word_t) && (((uintptr_t)d | (uintptr_t)s) & WMASK) == 0) {
		copy_words(&d, &s, &n);		/* the common case first: both aligned */
	} else if (n >= sizeof(word_t) && (((uintptr_t)d ^ (uintptr_t)s) & WMASK) == 0) {
		for (; (uintptr_t)d & WMASK; n--)
			*d++ = *s++;
		copy_words(&d, &s, &n);
	} else if (n >= 2 * sizeof(word_t)) {
		size_t body;

		for (; (uintptr_t)d & WMASK; n--)
			*d++ = *s++;
		body = n & ~WMASK;
		copy_shifted((word_t *)d, s, body);
		d += body;
		s += body;
		n -= body;
	}
	while (n--)
		*d++ = *s++;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n) {
		copy_up(d, s, n);
		return dst;
	}
	while (n--)
		d[n] = s[n];
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (n >= sizeof(word_t)) {
		word_t w = 0x0101010101010101ull * (unsigned char)c;

		for (; (uintptr_t)d & WMASK; n--)
			*d++ = (unsigned char)c;
		for (; n >= sizeof(word_t); n -= sizeof(word_t), d += sizeof(word_t))
			*(word_t *)d = w;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
