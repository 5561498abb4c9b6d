/*
 * kern/spinlock.c - test-and-test-and-set spinlocks with acquire/release
 * ordering (amoswap.w.aq / sw with a release fence via the __atomic builtins).
 */
#include <kern/spinlock.h>
#include <kern/cpu.h>
#include <kern/panic.h>
#include <arch/intr.h>

void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_owner = -1;
	sl->sl_name = name;
}

bool
spin_trylock(struct spinlock *sl)
{
	if (__atomic_exchange_n(&sl->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
#ifdef CONFIG_INVARIANTS
	sl->sl_owner = mycpu_id();
#endif
	return true;
}

void
spin_lock(struct spinlock *sl)
{
#ifdef CONFIG_INVARIANTS
	if (sl->sl_owner == mycpu_id() && sl->sl_locked)
		panic("spinlock %s: recursive acquire on cpu %d", sl->sl_name, mycpu_id());
#endif
	while (!spin_trylock(sl)) {
		while (__atomic_load_n(&sl->sl_locked, __ATOMIC_RELAXED))
			cpu_relax_arch();
	}
}

void
spin_unlock(struct spinlock *sl)
{
#ifdef CONFIG_INVARIANTS
	if (!sl->sl_locked || sl->sl_owner != mycpu_id())
		panic("spinlock %s: released by cpu %d, owner %d", sl->sl_name,
		    mycpu_id(), sl->sl_owner);
	sl->sl_owner = -1;
#endif
	__atomic_store_n(&sl->sl_locked, 0, __ATOMIC_RELEASE);
}

unsigned long
spin_lock_irqsave(struct spinlock *sl)
{
	unsigned long flags = intr_disable_arch();

	spin_lock(sl);
	return flags;
}

void
spin_unlock_irqrestore(struct spinlock *sl, unsigned long flags)
{
	spin_unlock(sl);
	intr_restore_arch(flags);
}

bool
spin_held(const struct spinlock *sl)
{
	return sl->sl_locked && sl->sl_owner == mycpu_id();
}
