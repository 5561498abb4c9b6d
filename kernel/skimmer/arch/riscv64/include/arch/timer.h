/*
 * arch/timer.h - the per-hart timer: the time CSR and one compare value,
 * through Sstc's stimecmp when the hart has it, else through SBI.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <kern/types.h>

#define TIMER_NEVER	(~0ULL)

static inline uint64_t
timer_now_arch(void)
{
	uint64_t t;

	__asm__ __volatile__("csrr %0, time" : "=r"(t));
	return t;
}

/* Detect Sstc from the device tree (boot CPU, once). */
void timer_init_arch(void);

/* Fire the timer interrupt on this hart at `when` (TIMER_NEVER: never). */
void timer_program_arch(uint64_t when);

bool timer_has_sstc(void);

#endif
