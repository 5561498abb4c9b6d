/*
 * kern/callout.c - per-CPU callouts, tickless.
 */
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/timer.h>
#include <arch/csr.h>
#include <arch/timer.h>

uint64_t
timer_now(void)
{
	return timer_now_arch();
}

uint64_t
timer_ns_to_ticks(uint64_t ns)
{
	/* Split to avoid overflow: timebase is at most a few GHz. */
	return ns / 1000000000 * bootinfo.bi_timebase +
	    (ns % 1000000000) * bootinfo.bi_timebase / 1000000000;
}

uint64_t
timer_ticks_to_ns(uint64_t ticks)
{
	uint64_t tb = bootinfo.bi_timebase;

	return ticks / tb * 1000000000 + (ticks % tb) * 1000000000 / tb;
}

void
callout_init(struct callout *c)
{
	c->c_flags = 0;
	c->c_cpu = NULL;
	c->c_func = NULL;
}

/* Program the hart's timer for the earliest callout (owner cpu, crit). */
static void
rearm(struct cpu *gd)
{
	struct callout *first = TAILQ_FIRST(&gd->gd_callouts);
	uint64_t when = first ? first->c_when : TIMER_NEVER;

	if (when != gd->gd_timer_armed) {
		gd->gd_timer_armed = when;
		timer_program_arch(when);
	}
}

void
callout_reset(struct callout *c, uint64_t when, void (*func)(void *), void *arg)
{
	struct cpu *gd = mycpu();
	struct callout *it;

	crit_enter();
	KASSERT(c->c_cpu == NULL || c->c_cpu == gd || !(c->c_flags & CALLOUT_PENDING),
	    "callout armed on cpu %d reset from cpu %d", c->c_cpu->gd_id, gd->gd_id);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&gd->gd_callouts, c, c_link);
	c->c_when = when;
	c->c_func = func;
	c->c_arg = arg;
	c->c_cpu = gd;
	c->c_flags |= CALLOUT_PENDING;
	TAILQ_FOREACH(it, &gd->gd_callouts, c_link)
		if (it->c_when > when)
			break;
	if (it)
		TAILQ_INSERT_BEFORE(it, c, c_link);
	else
		TAILQ_INSERT_TAIL(&gd->gd_callouts, c, c_link);
	if (TAILQ_FIRST(&gd->gd_callouts) == c)
		rearm(gd);
	crit_exit();
}

bool
callout_stop(struct callout *c)
{
	struct cpu *gd = mycpu();
	bool was;

	crit_enter();
	was = (c->c_flags & CALLOUT_PENDING) != 0;
	if (was) {
		KASSERT(c->c_cpu == gd, "callout of cpu %d stopped on cpu %d",
		    c->c_cpu->gd_id, gd->gd_id);
		TAILQ_REMOVE(&gd->gd_callouts, c, c_link);
		c->c_flags &= ~CALLOUT_PENDING;
		rearm(gd);
	}
	crit_exit();
	return was;
}

void
callout_process(void)
{
	struct cpu *gd = mycpu();
	struct callout *c;
	uint64_t now = timer_now();

	KASSERT(curthread->td_critcount > 0, "not in a critical section");
	/* The hardware compare value has passed: forget it so rearm() reloads. */
	gd->gd_timer_armed = TIMER_NEVER - 1;
	while ((c = TAILQ_FIRST(&gd->gd_callouts)) != NULL && c->c_when <= now) {
		TAILQ_REMOVE(&gd->gd_callouts, c, c_link);
		c->c_flags &= ~CALLOUT_PENDING;
		gd->gd_stats.cs_callouts++;
		c->c_func(c->c_arg);
		now = timer_now();
	}
	rearm(gd);
	csr_set(sie, SIE_STIE);
}

void
timer_intr(void)
{
	struct thread *td = curthread;

	mycpu()->gd_stats.cs_timer_intrs++;
	if (td->td_critcount) {
		csr_clear(sie, SIE_STIE);
		cpu_request(mycpu(), RQF_TIMER);
		return;
	}
	td->td_critcount++;
	callout_process();
	td->td_critcount--;
}

void
timer_init_cpu(void)
{
	struct cpu *gd = mycpu();

	TAILQ_INIT(&gd->gd_callouts);
	gd->gd_timer_armed = TIMER_NEVER;
	timer_program_arch(TIMER_NEVER);
	csr_set(sie, SIE_STIE);
}
