/*
 * taskman/skimmer/rt_shim.c - the standard C functions taskman's code
 * uses, over the early runtime user/rt, until musl exists (issue #5).
 * Switching to musl is then a link change: delete this file.
 *
 * The allocator is deliberately simple: power-of-two size classes from
 * 16 bytes to 1 MiB with a free list each, carved from a heap that grows
 * by MemMap of fresh pages into taskman itself.  Memory is never given
 * back to the kernel; taskman's tables are small and long-lived.
 * Single-threaded, like taskman.
 */
#include "tm.h"

#define HEAP_VA		0x0000002000000000UL	/* taskman's heap (its own layout) */
#define HEAP_MAX	(1UL << 30)
#define HEAP_STEP	(64 * 1024UL)		/* grow by this much at least */
#define CLASS_MIN	4			/* 16 bytes */
#define CLASS_MAX	20			/* 1 MiB */

struct blk {
	uint64_t	b_class;		/* size class while in use */
	struct blk	*b_next;		/* free list link while free */
};

static struct blk *free_lists[CLASS_MAX + 1];
static uint64_t heap_top = HEAP_VA, heap_mapped = HEAP_VA;

/* n bytes at the top of the heap, growing it; NULL when it cannot. */
static void *
heap_take(uint64_t n)
{
	while (heap_top + n > heap_mapped) {
		uint64_t grow = n > HEAP_STEP ? (n + 4095) & ~4095UL : HEAP_STEP;

		if (heap_mapped + grow > HEAP_VA + HEAP_MAX ||
		    __kc_MemMap(0, (long)heap_mapped, (long)grow, MEM_PROT_READ | MEM_PROT_WRITE,
		    MEM_ANON, 0) < 0)
			return NULL;
		heap_mapped += grow;
	}
	heap_top += n;
	return (void *)(heap_top - n);
}

void *
malloc(size_t n)
{
	unsigned c = CLASS_MIN;
	struct blk *b;

	while (c <= CLASS_MAX && (1UL << c) < n + sizeof(struct blk))
		c++;
	if (c > CLASS_MAX)
		return NULL;
	b = free_lists[c];
	if (b)
		free_lists[c] = b->b_next;
	else if ((b = heap_take(1UL << c)) == NULL)
		return NULL;
	b->b_class = c;
	return b + 1;
}

void
free(void *p)
{
	struct blk *b = (struct blk *)p - 1;

	if (p == NULL)
		return;
	b->b_next = free_lists[b->b_class];
	free_lists[b->b_class] = b;
}

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		return NULL;
	p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

void *
realloc(void *p, size_t n)
{
	struct blk *b = (struct blk *)p - 1;
	size_t have;
	void *q;

	if (p == NULL)
		return malloc(n);
	have = (1UL << b->b_class) - sizeof(*b);
	if (n <= have)
		return p;
	q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return rt_vsnprintf(buf, size, fmt, ap);
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (*s == '\0')
			return (char *)r;
	}
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *
strncpy(char *d, const char *s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = '\0';
	return d;
}

size_t
strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t
strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

char *
strstr(const char *h, const char *n)
{
	size_t l = strlen(n);

	for (; *h; h++)
		if (strncmp(h, n, l) == 0)
			return (char *)h;
	return l == 0 ? (char *)h : NULL;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}
