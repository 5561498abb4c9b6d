/*
 * abi/sync.h - the Sync* kernel calls' objects: sync_t (QNX's struct _sync,
 * which is also pthread_mutex_t, pthread_cond_t and sem_t) and
 * struct _sync_attr, with QNX 7's values.
 *
 * A mutex lives in user memory and is taken without the kernel when it is
 * free: libc compare-and-swaps __owner from 0 to the caller's tid.  The
 * kernel is entered only under contention (SyncMutexLock), and it sets
 * _NTO_SYNC_WAITING in __owner so that the owner's unlock enters the kernel
 * too (SyncMutexUnlock).
 */
#ifndef ABI_SYNC_H
#define ABI_SYNC_H

#include <abi/cdefs.h>

/* __count bits (mutexes; the low bits count recursive locks). */
#define _NTO_SYNC_NONRECURSIVE	_ABI_U(0x80000000)	/* relocking is an error (EDEADLK) */
#define _NTO_SYNC_SHARED	_ABI_U(0x40000000)	/* may be used by several processes */
#define _NTO_SYNC_PRIOCEILING	_ABI_U(0x20000000)	/* priority-ceiling protocol */
#define _NTO_SYNC_PRIONONE	_ABI_U(0x10000000)	/* no priority inheritance */
#define _NTO_SYNC_ROBUST	_ABI_U(0x02000000)	/* owner death -> EOWNERDEAD */
#define _NTO_SYNC_NOERRORCHECK	_ABI_U(0x01000000)	/* unlock by a non-owner is not checked */
#define _NTO_SYNC_COUNTMASK	_ABI_U(0x00ffffff)	/* recursion count */

/* __owner values: a tid (mutex), or one of the markers below. */
#define _NTO_SYNC_MUTEX_FREE	_ABI_U(0x00000000)	/* unlocked mutex */
#define _NTO_SYNC_WAITING	_ABI_U(0x80000000)	/* bit: the kernel has waiters */
#define _NTO_SYNC_OWNER_MASK	_ABI_U(0x7fffffff)	/* the owner's tid */
#define _NTO_SYNC_INITIALIZER	_ABI_U(0xffffffff)	/* statically initialised, not yet used */
#define _NTO_SYNC_DESTROYED	_ABI_U(0xfffffffe)	/* SyncDestroy()ed */
#define _NTO_SYNC_NAMED_SEM	_ABI_U(0xfffffffd)	/* named semaphore: not supported */
#define _NTO_SYNC_SEM		_ABI_U(0xfffffffc)	/* semaphore; __count is its value */
#define _NTO_SYNC_COND		_ABI_U(0xfffffffb)	/* condition variable; __count is its clock */

/* SyncCtl() commands. */
#define _NTO_SCTL_SETPRIOCEILING	1	/* data: int * new ceiling */
#define _NTO_SCTL_GETPRIOCEILING	2	/* data: int * ceiling */
#define _NTO_SCTL_SETEVENT		3	/* data: struct sigevent * for SyncMutexEvent */
#define _NTO_SCTL_MUTEX_WAKEUP		4	/* wake the waiters of a mutex */
#define _NTO_SCTL_MUTEX_CONSISTENT	5	/* robust mutex: mark it consistent again */
#define _NTO_SCTL_SEM_VALUE		6	/* data: int * semaphore value */

#ifndef __ASSEMBLER__

typedef struct _sync {
	int32_t		__count;	/* _NTO_SYNC_* flags | count, or a semaphore's value */
	uint32_t	__owner;	/* tid | _NTO_SYNC_WAITING, or a marker above */
} sync_t;

__ABI_SIZE(sync_t, 8, 4);
__ABI_FIELD(sync_t, __count, 0, 4);
__ABI_FIELD(sync_t, __owner, 4, 4);

/* SyncTypeCreate()'s attributes (QNX's pthread_mutexattr_t). */
struct _sync_attr {
	int32_t		__protocol;	/* musl's PTHREAD_PRIO_NONE 0, _INHERIT 1, _PROTECT 2 */
	int32_t		__flags;	/* _NTO_SYNC_SHARED, _NTO_SYNC_ROBUST, ... */
	int32_t		__prioceiling;	/* for the ceiling protocol */
	int32_t		__clockid;	/* condition variables: CLOCK_* of time-outs */
	int32_t		__count;	/* semaphores: initial value */
	int32_t		__reserved[3];	/* must be 0 */
};

__ABI_SIZE(struct _sync_attr, 32, 4);
__ABI_FIELD(struct _sync_attr, __protocol, 0, 4);
__ABI_FIELD(struct _sync_attr, __flags, 4, 4);
__ABI_FIELD(struct _sync_attr, __prioceiling, 8, 4);
__ABI_FIELD(struct _sync_attr, __clockid, 12, 4);
__ABI_FIELD(struct _sync_attr, __count, 16, 4);
__ABI_FIELD(struct _sync_attr, __reserved, 20, 12);

#endif /* !__ASSEMBLER__ */

#endif
