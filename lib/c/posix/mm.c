/*
 * mmap, munmap, mprotect: the argument checks Linux makes, then the memory
 * manager of qsoe_mm.h.  Only anonymous memory exists so far; file
 * mappings need the _IO_MMAP path of servers (not yet).
 *
 * The weak __qsoe_mm_* below are the default memory manager, which will
 * ask taskman; its protocol does not exist yet, so they fail with ENOSYS.
 * The local memory manager (libqsoe_local_mm.a) overrides them.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include "px.h"
#include "qsoe_kernel.h"
#include "qsoe_mm.h"

#define PAGE	4096UL

weak long __qsoe_mm_map(void *addr, size_t len, int prot, int flags)
{
	return -ENOSYS;		/* taskman's mmap message: not yet */
}

weak long __qsoe_mm_unmap(void *addr, size_t len)
{
	return -ENOSYS;
}

weak long __qsoe_mm_protect(void *addr, size_t len, int prot)
{
	return -ENOSYS;
}

/* Nothing could have been mapped, so there is nothing to give back. */
weak _Noreturn void __qsoe_mm_unmapself(void *base, size_t len,
    volatile int *ctid, int status)
{
	__qsoe_thread_exit(ctid, 0, 0, 0, status);
}

/* Rounds len up to pages; 0 for a length that is zero or too large. */
static size_t page_len(size_t len)
{
	return len == 0 || len > SIZE_MAX - PAGE ? 0 : (len + PAGE - 1) & ~(PAGE - 1);
}

/* SYS_mmap: Linux's checks, then anonymous memory from the manager. */
long __px_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	size_t n = page_len(len);

	if (n == 0 || ((uintptr_t)addr & (PAGE - 1)) || (off & (PAGE - 1)))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENOSYS;	/* file mappings: not yet */
	return __qsoe_mm_map(addr, n, prot, flags);
}

/* SYS_munmap: EINVAL for an unaligned or empty range, else the manager. */
long __px_munmap(void *addr, size_t len)
{
	size_t n = page_len(len);

	if (n == 0 || ((uintptr_t)addr & (PAGE - 1)))
		return -EINVAL;
	return __qsoe_mm_unmap(addr, n);
}

/* SYS_mprotect: EINVAL for bad arguments; an empty range is done. */
long __px_mprotect(void *addr, size_t len, int prot)
{
	size_t n = page_len(len);

	if (((uintptr_t)addr & (PAGE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	return n == 0 ? 0 : __qsoe_mm_protect(addr, n, prot);
}
