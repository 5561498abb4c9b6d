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
	volatile uint32_t sl_locked;	/* 0 free, 1 held */
	int32_t		sl_owner;	/* cpu id holding it, -1 if none (INVARIANTS) */
	const char	*sl_name;	/* for panic messages */
};

#define SPINLOCK_INIT(name)	{ 0, -1, name }

void spin_init(struct spinlock *sl, const char *name);
void spin_lock(struct spinlock *sl);
void spin_unlock(struct spinlock *sl);
bool spin_trylock(struct spinlock *sl);
unsigned long spin_lock_irqsave(struct spinlock *sl);
void spin_unlock_irqrestore(struct spinlock *sl, unsigned long flags);
bool spin_held(const struct spinlock *sl);

#endif
