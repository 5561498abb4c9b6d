/*
 * kern/sys_notyet.c - kernel calls in abi/kercalls.def that Skimmer does
 * not implement yet.  Each returns -ENOSYS, which libc reports as ENOSYS;
 * docs/kernel-calls.md marks them "not yet".  A call moves out of this
 * file when it is implemented and tested.
 */
#include <kern/syscall.h>
#include <abi/errno.h>

#define NOTYET(name)							\
long									\
sys_##name(long a0, long a1, long a2, long a3, long a4, long a5)	\
{									\
	return -ENOSYS;							\
}

