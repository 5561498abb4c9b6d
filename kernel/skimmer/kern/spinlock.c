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

void
spin_lock_wait(struct spinlock *sl)
{
	do {
		while (__atomic_load_n(&sl->sl_locked, __ATOMIC_RELAXED))
			cpu_relax_arch();
	} while (!spin_trylock(sl));
}

void
spin_panic(const struct spinlock *sl, bool unlock)
{
	if (unlock)
		panic("spinlock %s: released by cpu %d, owner %d", sl->sl_name,
		    mycpu_id(), sl->sl_owner);
	panic("spinlock %s: recursive acquire on cpu %d", sl->sl_name, mycpu_id());
}

bool
spin_held(const struct spinlock *sl)
{
	return sl->sl_locked && sl->sl_owner == mycpu_id();
}
