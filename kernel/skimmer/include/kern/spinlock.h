/*
 * kern/spinlock.h - leaf spinlocks.
 *
 * Skimmer has no big kernel lock.  Spinlocks are allowed only at the
 * leaves (a per-CPU allocator cache, a channel's queues, the console), are never
 * held across a blocking call or a context switch, and each one is
 * documented where it is declared: what it protects and from which
 * contexts it is taken.  spin_lock_irqsave disables interrupts on the local
 * CPU for the time the lock is held, so a lock also taken from interrupt
 * context cannot deadlock against itself.
 *
 * Under CONFIG_INVARIANTS a lock records its owner CPU and panics on
 * recursion or on an unlock by another CPU.
 */
#ifndef KERN_SPINLOCK_H
#define KERN_SPINLOCK_H

#include <kern/types.h>

struct spinlock {
	volatile uint64_t sl_locked;	/* 0 free, 1 held (64 bits: amoswap.d needs no
					   sign extension of its result) */
	int32_t		sl_owner;	/* cpu id holding it, -1 if none (INVARIANTS) */
	const char	*sl_name;	/* for panic messages */
};

#define SPINLOCK_INIT(name)	{ 0, -1, name }

void spin_init(struct spinlock *sl, const char *name);
bool spin_held(const struct spinlock *sl);

#ifdef HOST_TEST
/* The host unit tests bring their own (tests/host/host_kern.h). */
void spin_lock(struct spinlock *sl);
void spin_unlock(struct spinlock *sl);
bool spin_trylock(struct spinlock *sl);
unsigned long spin_lock_irqsave(struct spinlock *sl);
void spin_unlock_irqrestore(struct spinlock *sl, unsigned long flags);
#else
#include <kern/cpu.h>
#include <arch/intr.h>

/*
 * The lock and unlock paths are inline: the IPC path takes several locks
 * per message, and the calls alone (two or three levels, each with its
 * frame) cost about 40 instructions a pair (docs/performance.md).  The
 * contended wait and the INVARIANTS panics stay out of line.
 */
void spin_lock_wait(struct spinlock *sl);
void spin_panic(const struct spinlock *sl, bool unlock) __attribute__((noreturn));

static inline __attribute__((always_inline)) bool
spin_trylock(struct spinlock *sl)
{
	if (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
#ifdef CONFIG_INVARIANTS
	sl->sl_owner = mycpu_id();
#endif
	return true;
}

static inline __attribute__((always_inline)) void
spin_lock(struct spinlock *sl)
{
#ifdef CONFIG_INVARIANTS
	int me = mycpu_id();		/* once: the atomic below keeps it from being reused */

	if (sl->sl_owner == me && sl->sl_locked)
		spin_panic(sl, false);		/* recursive acquire */
	if (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) == 0)
		sl->sl_owner = me;
	else
		spin_lock_wait(sl);
#else
	if (!spin_trylock(sl))
		spin_lock_wait(sl);
#endif
}

static inline __attribute__((always_inline)) void
spin_unlock(struct spinlock *sl)
{
#ifdef CONFIG_INVARIANTS
	if (!sl->sl_locked || sl->sl_owner != mycpu_id())
		spin_panic(sl, true);		/* released by another CPU, or not held */
	sl->sl_owner = -1;
#endif
	__atomic_store_n(&sl->sl_locked, 0, __ATOMIC_RELEASE);
}

static inline __attribute__((always_inline)) unsigned long
spin_lock_irqsave(struct spinlock *sl)
{
	unsigned long flags = intr_disable_arch();

	spin_lock(sl);
	return flags;
}

static inline __attribute__((always_inline)) void
spin_unlock_irqrestore(struct spinlock *sl, unsigned long flags)
{
	spin_unlock(sl);
	intr_restore_arch(flags);
}
#endif

#endif
