/*
 * kern/syscall.c - the dispatch table, generated from abi/kercalls.def.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/signal.h>
#include <kern/syscall.h>
#include <abi/errno.h>
#include <abi/kercall.h>

const kercall_fn kercall_table[__KER_COUNT] = {
#define KERCALL(num, name, nargs) [num] = sys_##name,
#include <abi/kercalls.def>
#undef KERCALL
};

