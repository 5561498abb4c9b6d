/*
 * arch/ucopy.h - the direct copy through the MMU (arch/riscv64/ucopy.S),
 * for short IPC messages (kern/ipcbuf.c).
 */
#ifndef ARCH_UCOPY_H
#define ARCH_UCOPY_H

#include <kern/types.h>

/*
 * Copy len bytes from src to dst with loads and stores through the page
 * table in satp, user pages reachable (sstatus.SUM) for the copy only.
 * 0, or -EFAULT if an access faulted (the trap handler resumes at the
 * copy's fault exit; nothing else is done about the fault, and bytes
 * before it may have been stored).  The caller keeps interrupts off and
 * checks that user addresses are below USER_TOP.
 */
int ucopy_arch(void *dst, const void *src, size_t len);

#endif
