/*
 * kern/intr.h - device interrupts.
 *
 * Each interrupt source (a PLIC source number) is routed to one CPU.  Its
 * handler runs on that CPU in a critical section and must not block.  The
 * handler table is written only while the source is disabled, on the
 * source's CPU; user-space interrupt events (InterruptAttachEvent) build on
 * this in issue C.
 */
#ifndef KERN_INTR_H
#define KERN_INTR_H

#include <kern/types.h>

struct cpu;

#define INTR_MAX	128	/* highest source number + 1 we handle */

typedef void (*intr_handler_t)(void *arg, int irq);

/* Boot CPU, once: find the interrupt controller. 0 or -ENODEV. */
int intr_init(void);
/* Each CPU at start: route nothing yet, accept external interrupts. */
void intr_init_cpu(void);

/*
 * Route source irq to CPU c and call handler(arg, irq) for it.  Returns 0,
 * -EINVAL for a bad irq, or -EBUSY if a handler is already attached.
 * Thread context; may run on any CPU (forwards to c).
 */
int intr_establish(int irq, struct cpu *c, intr_handler_t handler, void *arg);
/* Stop delivering irq and forget its handler.  Thread context. */
void intr_disestablish(int irq);

/* The external-interrupt trap and the deferred processing. */
void intr_external(void);
void intr_process(void);

/* From a handler: mask this source once it has been completed. */
void intr_mask_after_handler(int irq);

/* Enable or mask an established source on its CPU; returns once done.  Thread context. */
void intr_set_enabled(int irq, bool on);

/* User attachments (kern/sys_intr.c): forget a dying thread / process. */
struct thread;
struct proc;
void uintr_init(void);
void uintr_thread_exit(struct thread *td);
void uintr_proc_exit(struct proc *p);

/* Counters for tests: interrupts handled per source. */
uint64_t intr_count(int irq);

/* Arch hooks (PLIC on RISC-V). */
int intr_init_arch(void);
void intr_init_cpu_arch(void);
void intr_route_arch(int irq, unsigned long hartid, bool enable);
int intr_claim_arch(void);		/* 0 when nothing is pending */
void intr_complete_arch(int irq);

#endif
