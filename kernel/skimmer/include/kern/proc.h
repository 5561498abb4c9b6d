/*
 * kern/proc.h - processes: an address space, threads, and (issue C) the
 * channel and connection tables.
 *
 * Process objects are shared by all CPUs their threads run on.  pr_lock, a
 * leaf spinlock, protects the thread list and counters below; it is taken
 * with interrupts off and never held across a blocking call or a copy.
 * Fields marked "const" are set at creation and never change.
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include <kern/types.h>
#include <kern/queue.h>
#include <kern/spinlock.h>

struct vmspace;
struct thread;
struct cpu;

#define PROC_NAME_MAX	32

/* pr_abilities: what a process may do beyond the ordinary. */
#define PRA_PROCMGR	0x1	/* create processes, map frames into them (taskman) */
#define PRA_IO		0x2	/* interrupts and device memory (ThreadCtl _NTO_TCTL_IO) */
#define PRA_SYSTEM	(PRA_PROCMGR | PRA_IO)

TAILQ_HEAD(pthreadq, thread);

struct proc {
	int		pr_pid;			/* const */
	char		pr_name[PROC_NAME_MAX];	/* const */
	struct vmspace	*pr_vm;			/* const */
	uint32_t	pr_abilities;		/* const */
	struct spinlock	pr_lock;		/* see above */
	struct pthreadq	pr_threads;		/* pr_lock */
	int		pr_nthreads;		/* pr_lock */
	int		pr_next_tid;		/* pr_lock */
	int		pr_status;		/* exit status (set by the last thread) */
};

/* Boot CPU, once. */
void proc_init(void);

/* A new process with an empty address space.  NULL on ENOMEM. */
struct proc *proc_create(const char *name, uint32_t abilities);

/*
 * Create a user thread in p entering at entry with stack pointer sp and
 * a0 = arg, on CPU c at priority pri, and start it.  0 or -errno.
 */
int proc_thread_create(struct proc *p, uint64_t entry, uint64_t sp, uint64_t arg,
    int pri, struct cpu *c, struct thread **tdp);

/*
 * End the calling user thread with status; the last thread of a process
 * ends the process (its address space is destroyed).  Never returns.
 */
__noreturn void proc_thread_exit(int status);

/* Make the current CPU run in td's address space if it is a user thread. */
void proc_switch_vm(struct thread *td);

#endif
