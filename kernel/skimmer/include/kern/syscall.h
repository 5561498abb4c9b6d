/*
 * kern/syscall.h - the kernel-call entry.
 *
 * The arch trap code passes the call number and six argument registers;
 * kercall_dispatch() looks the number up in the table generated from
 * abi/kercalls.def and returns the result for a0 (>= 0, or -errno).
 * Handlers run in the calling thread's context with interrupts enabled,
 * may block, and follow "decode, then invoke": every argument is checked
 * before any state changes.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <kern/types.h>

typedef long (*kercall_fn)(long, long, long, long, long, long);

long kercall_dispatch(uint64_t num, const long args[6]);

/* One handler per kernel call: sys_Name(a0, ..., a5). */
#define KERCALL(num, name, nargs) long sys_##name(long, long, long, long, long, long);
#include <abi/kercalls.def>
#undef KERCALL

#endif
