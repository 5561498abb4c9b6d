/*
 * qsoe_mm.h - the memory manager behind mmap/munmap/mprotect.
 *
 * libc.a holds weak versions of these functions (posix/mm.c).  Normally a
 * process's memory is taskman's to manage, and they will send taskman a
 * message; that protocol does not exist yet, so for now they fail with
 * ENOSYS.  A program that manages its own address space - taskman itself,
 * and test programs that run as the first process - links the local
 * memory manager (libqsoe_local_mm.a, kernel/<kernel>/local/mm_local.c),
 * whose strong versions map memory with the process-manager calls.
 *
 * Arguments are page-aligned and checked by the POSIX layer; results are a
 * negated errno on failure.
 */
#ifndef QSOE_MM_H
#define QSOE_MM_H

#include <stddef.h>

/* Anonymous private memory: the address, or -errno.  prot 0 reserves only. */
long __qsoe_mm_map(void *addr, size_t len, int prot, int flags);
/* Give back [addr, addr+len): 0 or -errno. */
long __qsoe_mm_unmap(void *addr, size_t len);
/* Change the protection of [addr, addr+len): 0 or -errno. */
long __qsoe_mm_protect(void *addr, size_t len, int prot);
/*
 * Give back [base, base+len), which holds the caller's own stack, and end
 * the calling thread, storing 0 to *ctid and waking it (if not NULL).
 */
_Noreturn void __qsoe_mm_unmapself(void *base, size_t len, volatile int *ctid, int status);

#endif
