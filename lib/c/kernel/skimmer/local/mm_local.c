/*
 * The local memory manager: mmap/munmap/mprotect of anonymous memory in
 * the calling process itself, with the process-manager calls MemMap and
 * MemUnmap (abi/procmgr.h).  Only a process with the process-manager
 * ability may use it: taskman (the memory manager itself) and test
 * programs that run as the first process.  It is libqsoe_local_mm.a,
 * linked whole (qsoe-cc --qsoe-local-mm), and its functions replace
 * libc's weak defaults (lib/c/posix/qsoe_mm.h).
 *
 * Addresses come from one window, [MM_BASE, MM_BASE + MM_PAGES pages),
 * with two bitmaps: a page is reserved (handed out by mmap) and, if it is
 * not PROT_NONE, mapped.  One futex lock serialises the bitmaps and the
 * calls that change the page tables, so a range is never handed out again
 * before it is unmapped.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include "qsoe_kernel.h"
#include "qsoe_mm.h"

#define PAGE		4096UL
#define MM_BASE		0x0000002000000000UL	/* far from the program, the stack and the boot image */
#define MM_PAGES	(1UL << 18)		/* a 1 GiB window */
#define WORDS		(MM_PAGES / 64)

static uint64_t reserved[WORDS];	/* handed out by mmap */
static uint64_t mapped[WORDS];		/* has a frame (not PROT_NONE) */
static size_t hint;			/* where the next search starts */
static volatile int lock;		/* 0 free, 1 held, 2 held with waiters */

static void mm_lock(void)
{
	int c = 0;

	if (__atomic_compare_exchange_n(&lock, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	while (__atomic_exchange_n(&lock, 2, __ATOMIC_ACQUIRE) != 0)
		FutexWait_r(&lock, 2);
}

static void mm_unlock(void)
{
	if (__atomic_exchange_n(&lock, 0, __ATOMIC_RELEASE) == 2)
		FutexWake_r(&lock, 1);
}

static int test(const uint64_t *map, size_t pg)
{
	return (map[pg / 64] >> (pg % 64)) & 1;
}

static void set_range(uint64_t *map, size_t pg, size_t n, int on)
{
	for (size_t i = pg; i < pg + n; i++) {
		if (on)
			map[i / 64] |= 1ULL << (i % 64);
		else
			map[i / 64] &= ~(1ULL << (i % 64));
	}
}

/* First fit of n free pages from the hint, wrapping once; -1 if none. */
static long find_free(size_t n)
{
	for (size_t pass = 0, pg = hint; pass < 2; pass++, pg = 0) {
		size_t run = 0;

		for (; pg < MM_PAGES; pg++) {
			if (run == 0 && pg % 64 == 0 && reserved[pg / 64] == ~0ULL) {
				pg += 63;	/* a full word: skip it */
				continue;
			}
			run = test(reserved, pg) ? 0 : run + 1;
			if (run == n)
				return (long)(pg + 1 - n);
		}
	}
	return -1;
}

/* The window's page index of [addr, addr+len), or -1 if outside it. */
static long page_of(void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;

	if (a < MM_BASE || len > MM_PAGES * PAGE || a - MM_BASE > MM_PAGES * PAGE - len)
		return -1;
	return (long)((a - MM_BASE) / PAGE);
}

static int mem_prot(int prot)
{
	/* MemMap needs READ or EXEC, and writable memory is readable anyway. */
	return prot | ((prot & PROT_WRITE) ? PROT_READ : 0);
}

/* Map every page of [pg, pg+n) that has no frame yet, all or nothing. */
static long map_missing(size_t pg, size_t n, int prot)
{
	for (size_t i = pg; i < pg + n; i++) {
		long r;

		if (test(mapped, i))
			continue;
		r = MemMap_r(0, MM_BASE + i * PAGE, PAGE, mem_prot(prot), MEM_ANON, 0);
		if (r < 0) {
			for (size_t j = pg; j < i; j++)
				if (!test(mapped, j))
					MemUnmap_r(0, MM_BASE + j * PAGE, PAGE);
			return r;
		}
	}
	set_range(mapped, pg, n, 1);
	return 0;
}

/* qsoe_mm.h: fresh zeroed pages (prot 0: reserved only); ENOMEM when full. */
long __qsoe_mm_map(void *addr, size_t len, int prot, int flags)
{
	size_t n = len / PAGE;
	long pg, r = 0;

	mm_lock();
	if (flags & MAP_FIXED) {
		pg = page_of(addr, len);
		for (size_t i = 0; pg >= 0 && i < n; i++)
			if (test(reserved, (size_t)pg + i))
				pg = -1;	/* replacing a mapping: not supported */
		r = pg < 0 ? -EINVAL : 0;
	} else {
		pg = find_free(n);
		r = pg < 0 ? -ENOMEM : 0;
	}
	if (r == 0 && prot != PROT_NONE) {
		/* One MemMap for the whole fresh range; map_missing is for mprotect. */
		r = MemMap_r(0, MM_BASE + (size_t)pg * PAGE, len, mem_prot(prot), MEM_ANON, 0);
		if (r == 0)
			set_range(mapped, (size_t)pg, n, 1);
	}
	if (r == 0) {
		set_range(reserved, (size_t)pg, n, 1);
		hint = (size_t)pg + n;
	}
	mm_unlock();
	return r < 0 ? r : (long)(MM_BASE + (size_t)pg * PAGE);
}

/* qsoe_mm.h: unmap and free a range of the window; EINVAL outside it. */
long __qsoe_mm_unmap(void *addr, size_t len)
{
	long pg = page_of(addr, len), r = 0;

	if (pg < 0)
		return -EINVAL;		/* outside the window: not ours to unmap */
	mm_lock();
	r = MemUnmap_r(0, (uintptr_t)addr, len);
	if (r == 0) {
		set_range(mapped, (size_t)pg, len / PAGE, 0);
		set_range(reserved, (size_t)pg, len / PAGE, 0);
	}
	mm_unlock();
	return r;
}

/*
 * Reserved (PROT_NONE) pages get fresh memory with the protection, and
 * mapped ones change with MemProtect (kern/vm_share.c).  PROT_NONE of
 * mapped pages is ENOTSUP: Sv39 has no mapping without access, and
 * unmapping would lose the contents.
 */
long __qsoe_mm_protect(void *addr, size_t len, int prot)
{
	long pg = page_of(addr, len), r = 0;
	size_t n = len / PAGE, had = 0;

	if (pg < 0)
		return -ENOMEM;		/* Linux: not mapped */
	mm_lock();
	for (size_t i = 0; i < n && r == 0; i++) {
		if (!test(reserved, (size_t)pg + i))
			r = -ENOMEM;
		had += test(mapped, (size_t)pg + i) != 0;
	}
	if (r == 0 && prot == PROT_NONE && had)
		r = -ENOTSUP;
	if (r == 0 && had == n)
		r = MemProtect_r(0, (uintptr_t)addr, len, mem_prot(prot));
	for (size_t i = 0; r == 0 && had && had < n && i < n; i++)	/* mapped and reserved */
		if (test(mapped, (size_t)pg + i))
			r = MemProtect_r(0, MM_BASE + ((size_t)pg + i) * PAGE, PAGE, mem_prot(prot));
	if (r == 0 && prot != PROT_NONE)
		r = map_missing((size_t)pg, n, prot);
	mm_unlock();
	return r;
}

/*
 * The stack being given back is the caller's own, so the pages are
 * marked free under the lock, and __qsoe_thread_exit unmaps them and
 * releases the lock without touching the stack again.
 */
_Noreturn void __qsoe_mm_unmapself(void *base, size_t len, volatile int *ctid, int status)
{
	long pg = page_of(base, len);

	if (pg < 0)
		__qsoe_thread_exit(ctid, 0, 0, 0, status);	/* not ours: leave it */
	mm_lock();
	set_range(mapped, (size_t)pg, len / PAGE, 0);
	set_range(reserved, (size_t)pg, len / PAGE, 0);
	__qsoe_thread_exit(ctid, base, len, &lock, status);
}
