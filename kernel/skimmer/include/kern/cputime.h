/*
 * kern/cputime.h - user and system CPU time, and the CPU-time interval
 * timers of setitimer (ITIMER_VIRTUAL: user time, SIGVTALRM;
 * ITIMER_PROF: user and system time, SIGPROF).
 *
 * A thread's total time is td_runtime, counted at each switch (lwkt.c).
 * Its user time is counted at the user boundary: trap.c calls
 * cputime_user_enter on every trap from user mode and cputime_user_leave
 * just before the return to user mode; td_utime grows by the time in
 * between.  Both fields belong to the thread itself (other CPUs read them
 * with relaxed loads, as td_runtime).  System time is the difference.
 *
 * A process's itimers (pr_itimer, under pr_lock) are deadlines on its
 * user or total CPU time.  They are checked on every trap from user mode
 * of a thread of the process; so that a thread that never traps is still
 * caught, its CPU's timer is set to fire when the nearest deadline could
 * be reached (one callout per CPU, armed on the way back to user mode;
 * firing early or for another process is harmless).  A thread's time
 * runs up to its latest trap, so an expiry is late by at most the time
 * since then on the other CPUs.
 */
#ifndef KERN_CPUTIME_H
#define KERN_CPUTIME_H

#include <kern/types.h>

struct proc;
struct _itimer;

#define CPUTIME_ITIMER_VIRTUAL	1	/* Linux's ITIMER_VIRTUAL */
#define CPUTIME_ITIMER_PROF	2	/* Linux's ITIMER_PROF */

/* One itimer of a process (pr_lock). */
struct pitimer {
	uint64_t	it_deadline;	/* timebase ticks of its clock; 0: disarmed */
	uint64_t	it_interval;	/* ticks; 0: once */
};

/*
 * Trap from user mode, interrupts off: count user time, check itimers.
 * cputime_user_enter(curthread) and cputime_user_leave(curthread), back
 * to user mode next, are inline in kern/proc.h (they need struct proc; every
 * kernel call runs both); their itimer work is out of line:
 */
void cputime_itimer_enter(struct proc *p);	/* p's itimers at a trap */
void cputime_itimer_leave(struct proc *p);	/* p's itimers: arm this CPU's callout */

/* The calling thread's user time so far (ticks). */
uint64_t thread_usertime_self(void);

/* p's user time: its ended threads' and its live threads' (ticks). */
uint64_t proc_usertime(struct proc *p);

#endif
