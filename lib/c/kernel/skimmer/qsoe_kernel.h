/*
 * qsoe_kernel.h - the kernel layer's internal interface (Skimmer), used by
 * the POSIX layer.  Besides QNX's kernel-call functions (<sys/neutrino.h>)
 * the kernel layer offers the few primitives below, which must run without
 * a stack and so are written in assembly.
 */
#ifndef QSOE_KERNEL_H
#define QSOE_KERNEL_H

#include <stddef.h>
#include <features.h>

#ifndef hidden		/* musl's internal <features.h> has it; the sysroot's not */
#define hidden __attribute__((__visibility__("hidden")))
#endif

/* r is a negated errno: sets errno, returns -1 (Name() functions). */
hidden long __qsoe_kerr(long r);

/*
 * End the calling thread with status, touching no memory but the words
 * named here (its stack may be unmapped underneath it):
 *  - if ulen != 0, unmap [ubase, ubase+ulen) from the caller's process
 *    (MemUnmap: the process-manager ability), then, if ulock is not
 *    NULL, store 0 to *ulock and wake one waiter (the lock the caller
 *    held while it gave the range back);
 *  - if ctid is not NULL, store 0 to *ctid and wake one waiter (Linux's
 *    CLONE_CHILD_CLEARTID, which musl's pthread_join relies on);
 *  - ThreadDestroy(0, -1, status).  Never returns.
 */
hidden _Noreturn void __qsoe_thread_exit(volatile int *ctid, void *ubase, size_t ulen,
    volatile int *ulock, int status);

#endif
