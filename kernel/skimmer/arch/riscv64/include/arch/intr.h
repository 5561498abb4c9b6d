/*
 * arch/intr.h - interrupt enable/disable on the local hart.
 */
#ifndef ARCH_INTR_H
#define ARCH_INTR_H

#include <arch/csr.h>

/* Disable interrupts; returns the previous state for intr_restore_arch(). */
static inline unsigned long
intr_disable_arch(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

static inline void
intr_restore_arch(unsigned long state)
{
	if (state)
		csr_set(sstatus, SSTATUS_SIE);
}

static inline void
intr_enable_arch(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline bool
intr_enabled_arch(void)
{
	return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

static inline void
cpu_relax_arch(void)
{
	__asm__ __volatile__("nop" ::: "memory");
}

static inline void
wait_for_interrupt_arch(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

#endif
