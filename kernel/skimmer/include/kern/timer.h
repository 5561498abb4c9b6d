/*
 * kern/timer.h - per-CPU timers (callouts) on the one hardware timer.
 *
 * Each CPU keeps its own list of armed callouts sorted by deadline and
 * programs its hart's timer for the earliest one; an idle CPU with no
 * callouts gets no timer interrupts at all (tickless).  A callout belongs
 * to the CPU that armed it (c_cpu); it may be reset or stopped only on
 * that CPU.  Callout functions run on that CPU in a critical section
 * (interrupt context or the end of a critical section) and must not block.
 * Times are in timebase ticks (the time CSR); timer_ns() converts.
 */
#ifndef KERN_TIMER_H
#define KERN_TIMER_H

#include <kern/types.h>
#include <kern/queue.h>

struct cpu;

struct callout {
	TAILQ_ENTRY(callout) c_link;	/* on c_cpu->gd_callouts (owner cpu, crit) */
	uint64_t	c_when;		/* deadline, timebase ticks */
	void		(*c_func)(void *);
	void		*c_arg;
	struct cpu	*c_cpu;		/* owner: the CPU that armed it */
	uint32_t	c_flags;	/* CALLOUT_* */
};

#define CALLOUT_PENDING	0x1	/* armed, on c_cpu's list */

void callout_init(struct callout *c);

/* Arm c to run func(arg) at absolute time `when` (re-arms if pending). */
void callout_reset(struct callout *c, uint64_t when, void (*func)(void *), void *arg);

/* Disarm c; returns true if it was pending.  On c's owner CPU only. */
bool callout_stop(struct callout *c);

/* The current time in timebase ticks, and conversions. */
uint64_t timer_now(void);
uint64_t timer_ns_to_ticks(uint64_t ns);
uint64_t timer_ticks_to_ns(uint64_t ticks);

/* Timer interrupt (from trap) and deferred processing (from lwkt). */
void timer_intr(void);
void callout_process(void);

/*
 * Boot, once, after the timebase is known: start CLOCK_REALTIME at the
 * Goldfish RTC's time if there is one (rtc_base != 0; its registers are
 * read through the direct map), else at 0.  kern/sys_time.c.
 */
void realtime_init(paddr_t rtc_base);

/* Per-CPU start: enable the timer interrupt. */
void timer_init_cpu(void);

#endif
