/*
 * libcdma - DMA memory (docs/storage.md): mmap(MAP_PHYS | MAP_ANON) gives
 * zeroed, physically contiguous memory to a driver, mem_offset tells
 * where it is; munmap, fork and death give it back or share it.  Runs
 * under taskman from its script, so it has the I/O ability; it spawns
 * itself ("noio") to check that a program without it gets EPERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ltest.h"

#define PG		4096UL
#define DMA_MAX		(4UL << 20)	/* _MAP_CONTIG_MAX */
#define DMA_FLAGS	(MAP_PHYS | MAP_ANON | MAP_SHARED)

extern char **environ;

static void *dma(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_NOCACHE, DMA_FLAGS, NOFD, 0);
}

/* Every byte of [p, p+len) is c. */
static int all(const uint8_t *p, size_t len, uint8_t c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

LTEST(dma, alloc_write_query)
{
	size_t len = 3 * PG, contig = 0;
	off_t pa = 0, pa2 = 0;
	uint8_t *p = dma(len);

	LT_CHECK(p != MAP_FAILED);
	LT_CHECK(all(p, len, 0));			/* zeroed */
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < len; i++)
		LT_EQ(p[i], (uint8_t)(i * 7 + 3));
	LT_EQ(mem_offset(p, NOFD, len, &pa, &contig), 0);
	LT_CHECK(pa != 0 && (pa & (PG - 1)) == 0);
	LT_CHECK(pa >= 0x80000000L);			/* RAM on QEMU virt */
	LT_EQ(contig, len);				/* all of it, in one run */
	LT_EQ(mem_offset64(p + 5000, NOFD, 100, &pa2, &contig), 0);
	LT_EQ(pa2, pa + 5000);
	LT_EQ(contig, 100);
	LT_EQ(posix_mem_offset(p + PG, 2 * PG, &pa2, &contig, &(int){ 0 }), 0);
	LT_EQ(pa2, pa + (off_t)PG);
	LT_EQ(contig, 2 * PG);
	/* Asking past the end stops at the end of the mapping. */
	LT_EQ(mem_offset(p + 2 * PG, NOFD, 10 * PG, &pa2, &contig), 0);
	LT_EQ(contig, PG);
	LT_EQ(munmap(p, len), 0);
	errno = 0;
	LT_CHECK(mem_offset(p, NOFD, PG, &pa2, &contig) == -1);
	LT_EQ(errno, EACCES);				/* nothing there any more */
	return 0;
}

/* The largest run the kernel has (4 MiB, one buddy block), and an odd size. */
LTEST(dma, large_and_odd)
{
	size_t contig = 0;
	off_t pa;
	uint8_t *p = dma(DMA_MAX), *q;

	LT_CHECK(p != MAP_FAILED);
	LT_EQ(mem_offset(p, NOFD, DMA_MAX, &pa, &contig), 0);
	LT_EQ(contig, DMA_MAX);
	memset(p, 0xa5, DMA_MAX);
	LT_CHECK(all(p, DMA_MAX, 0xa5));
	q = dma(5 * PG + 1);				/* rounded up to 6 pages */
	LT_CHECK(q != MAP_FAILED);
	LT_EQ(mem_offset(q, NOFD, 6 * PG, &pa, &contig), 0);
	LT_EQ(contig, 6 * PG);
	LT_EQ(munmap(q, 6 * PG), 0);
	LT_EQ(munmap(p, DMA_MAX), 0);
	return 0;
}

/* Part of a run can go; the rest stays where it was. */
LTEST(dma, partial_munmap)
{
	size_t contig;
	off_t pa, pa2;
	uint8_t *p = dma(4 * PG);

	LT_CHECK(p != MAP_FAILED);
	LT_EQ(mem_offset(p, NOFD, 4 * PG, &pa, &contig), 0);
	memset(p, 0x11, 4 * PG);
	LT_EQ(munmap(p + PG, 2 * PG), 0);
	LT_EQ(mem_offset(p + 3 * PG, NOFD, PG, &pa2, &contig), 0);
	LT_EQ(pa2, pa + 3 * (off_t)PG);
	LT_CHECK(all(p + 3 * PG, PG, 0x11) && all(p, PG, 0x11));
	LT_EQ(munmap(p, 4 * PG), 0);
	return 0;
}

LTEST(dma, errors)
{
	size_t contig;
	off_t pa;

	errno = 0;
	LT_CHECK(dma(0) == MAP_FAILED);
	LT_EQ(errno, EINVAL);				/* length 0 */
	errno = 0;
	LT_CHECK(dma(DMA_MAX + PG) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);				/* longer than any run */
	errno = 0;
	LT_CHECK(dma(512UL << 20) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);
	errno = 0;
	LT_CHECK(dma(SIZE_MAX - 10) == MAP_FAILED);
	LT_EQ(errno, ENOMEM);				/* musl's mmap: over PTRDIFF_MAX */
	errno = 0;
	LT_CHECK(mmap(NULL, PG, PROT_READ, DMA_FLAGS, NOFD, 0x1000) == MAP_FAILED);
	LT_EQ(errno, EINVAL);				/* an offset means nothing here */
	errno = 0;
	LT_CHECK(mem_offset(NULL, NOFD, PG, &pa, &contig) == -1);
	LT_EQ(errno, EACCES);				/* not mapped */
	errno = 0;
	LT_CHECK(mem_offset((void *)0xffffffffff000000UL, NOFD, PG, &pa, &contig) == -1);
	LT_EQ(errno, EACCES);				/* not user space */
	errno = 0;
	LT_CHECK(mem_offset(&contig, NOFD, 0, &pa, &contig) == -1);
	LT_EQ(errno, EINVAL);				/* length 0 */
	errno = 0;
	LT_CHECK(mem_offset(&contig, 3, 8, &pa, &contig) == -1);
	LT_EQ(errno, EBADF);				/* no typed-memory descriptors */
	/* Ordinary memory has a physical address too (a page at a time). */
	LT_EQ(mem_offset(&contig, NOFD, sizeof(contig), &pa, &contig), 0);
	LT_EQ(contig, sizeof(size_t));
	return 0;
}

/*
 * Leaks: a run that munmap or death did not give back would soon leave no
 * 4 MiB block in the test's 256 MiB: 80 runs of 4 MiB are 320 MiB.
 */
LTEST(dma, no_leak_munmap)
{
	for (int i = 0; i < 80; i++) {
		uint8_t *p = dma(DMA_MAX);

		LT_CHECK(p != MAP_FAILED);
		p[i * 1000] = 1;
		LT_EQ(munmap(p, DMA_MAX), 0);
	}
	return 0;
}

static int child_run(const char *role)
{
	char *argv[] = { "libcdma", (char *)role, NULL };
	pid_t pid;
	int st;

	if (posix_spawn(&pid, "/proc/boot/libcdma", NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* Children that die holding DMA memory (fork keeps the I/O ability). */
LTEST(dma, no_leak_death)
{
	for (int i = 0; i < 80; i++) {
		pid_t pid = fork();
		int st;

		LT_CHECK(pid >= 0);
		if (pid == 0) {
			uint8_t *p = dma(DMA_MAX);

			if (p == MAP_FAILED)
				_exit(1);
			p[DMA_MAX - 1] = 1;
			_exit(0);			/* no munmap */
		}
		LT_EQ(waitpid(pid, &st, 0), pid);
		LT_CHECK(WIFEXITED(st));
		LT_EQ(WEXITSTATUS(st), 0);
	}
	return 0;
}

/* fork shares DMA memory (same frames, writes seen both ways), never copies it. */
LTEST(dma, fork_shares)
{
	volatile uint8_t *p = dma(2 * PG);
	size_t contig;
	off_t pa;
	pid_t pid;
	int st;

	LT_CHECK(p != MAP_FAILED);
	LT_EQ(mem_offset((void *)p, NOFD, 2 * PG, &pa, &contig), 0);
	p[0] = 1;
	pid = fork();
	LT_CHECK(pid >= 0);
	if (pid == 0) {
		off_t cpa;
		size_t cc;

		if (mem_offset((void *)p, NOFD, 2 * PG, &cpa, &cc) != 0 || cpa != pa || cc != 2 * PG)
			_exit(2);
		p[PG] = 42;				/* the parent must see it */
		while (p[0] != 2)			/* and we must see the parent's */
			sched_yield();
		_exit(p[0] == 2 ? 0 : 3);
	}
	while (p[PG] != 42)
		sched_yield();
	p[0] = 2;
	LT_EQ(waitpid(pid, &st, 0), pid);
	LT_CHECK(WIFEXITED(st));
	LT_EQ(WEXITSTATUS(st), 0);
	LT_EQ(mem_offset((void *)p, NOFD, 2 * PG, &pa, &contig), 0);
	LT_EQ(contig, 2 * PG);				/* the parent's writes copied nothing */
	LT_EQ(munmap((void *)p, 2 * PG), 0);
	return 0;
}

/* A program spawned by another has no I/O ability: EPERM for both calls. */
static int noio_child(void)
{
	off_t pa;
	size_t contig;
	int x = 0;

	void *p;

	errno = 0;
	if ((p = dma(PG)) != MAP_FAILED || errno != EPERM) {
		lt_printf("libcdma noio: mmap gave %p, errno %d\n", p, errno);
		return 1;
	}
	errno = 0;
	if (mem_offset(&x, NOFD, sizeof(x), &pa, &contig) != -1 || errno != EPERM)
		return 2;
	return 0;
}

LTEST(dma, eperm_without_io)
{
	LT_EQ(child_run("noio"), 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "noio") == 0)
		return noio_child();
	return lt_run_all() ? 1 : 0;
}
