/*
 * kern/event.h - delivering a struct sigevent on behalf of a process.
 *
 * Supported notifications: SIGEV_NONE, SIGEV_PULSE (over a connection of
 * the owning process, with the event's code, value and priority) and
 * SIGEV_INTR (for interrupt events: wakes the thread in InterruptWait).
 * Signals come with issue C's signal work; event_check refuses them with
 * ENOSYS so nothing is silently dropped.
 */
#ifndef KERN_EVENT_H
#define KERN_EVENT_H

#include <kern/types.h>
#include <abi/sigevent.h>

struct proc;
struct thread;

#define EVF_PULSE	0x1	/* allowed kinds for event_check */
#define EVF_INTR	0x2
#define EVF_NONE	0x4

/* Check a user's event before storing it: 0, -EINVAL or -ENOSYS. */
int event_check(const struct sigevent *ev, unsigned allowed);

/*
 * Deliver ev for process p (whose connections SIGEV_PULSE uses); intr_td
 * is the thread a SIGEV_INTR wakes.  Any context, including interrupt
 * handlers; never blocks.  0 or -errno (a dead connection: -EBADF).
 */
int event_deliver(struct proc *p, const struct sigevent *ev, struct thread *intr_td);

#endif
