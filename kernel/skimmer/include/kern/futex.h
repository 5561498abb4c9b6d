/*
 * kern/futex.h - the wait queues that FutexWait/FutexWake (kern/futex.c)
 * and the Sync* objects (kern/sync.c) share.
 *
 * A waiter is keyed by the physical address of the user word it waits on
 * (td_futex_pa) and hangs, linked through td_ipclink, in the bucket that
 * address hashes to.  The bucket lock is a leaf spinlock (taken with
 * interrupts off); it protects the queue and the td_futex_* and
 * td_sync_owner fields of the threads on it.  Lock order: a bucket lock,
 * then the waiter's address space's vs_lock.
 */
#ifndef KERN_FUTEX_H
#define KERN_FUTEX_H

#include <kern/types.h>
#include <kern/queue.h>
#include <kern/spinlock.h>
#include <kern/vm.h>

struct thread;
TAILQ_HEAD(futexq, thread);

struct futex_bucket {
	struct spinlock	fb_lock;
	struct futexq	fb_waiters;
};

#define FUTEX_BUCKETS	64

/* The bucket of physical address pa. */
struct futex_bucket *futex_bucket(paddr_t pa);

/* Bucket number i (0..FUTEX_BUCKETS-1), for walks over all of them. */
struct futex_bucket *futex_bucket_n(int i);

/*
 * The physical address of the calling process's word at addr (aligned to
 * align), mapped readable, and writable if write.  0, -EINVAL or -EFAULT.
 */
int futex_word_pa(uaddr_t addr, size_t align, bool write, paddr_t *pa);

#endif
