/*
 * kern/event.h - delivering a struct sigevent on behalf of a process.
 *
 * Supported notifications: SIGEV_NONE, SIGEV_PULSE (over a connection of
 * the owning process, with the event's code, value and priority),
 * SIGEV_INTR (for interrupt events: wakes the thread in InterruptWait),
 * and SIGEV_SIGNAL, SIGEV_SIGNAL_CODE and SIGEV_SIGNAL_THREAD (the signal
 * is made pending and its target woken; a default action happens when a
 * thread of the process next returns to user mode).
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
#define EVF_SIGNAL	0x8	/* SIGEV_SIGNAL, SIGEV_SIGNAL_CODE */
#define EVF_SIGTHREAD	0x10	/* SIGEV_SIGNAL_THREAD (needs a target thread) */

/* Check a user's event before storing it: 0 or -EINVAL. */
int event_check(const struct sigevent *ev, unsigned allowed);

/*
 * Deliver ev for process p (whose connections SIGEV_PULSE uses, and which
 * a signal goes to); intr_td is the thread a SIGEV_INTR wakes, tid the
 * thread a SIGEV_SIGNAL_THREAD goes to, and code and sender the si_code
 * and si_pid of a SIGEV_SIGNAL.  Any context, including interrupt
 * handlers; never blocks.  0 or -errno (a dead connection: -EBADF; a
 * dead target: -ESRCH).
 */
int event_deliver(struct proc *p, const struct sigevent *ev, struct thread *intr_td, int tid,
    int code, int sender);

#endif
