/*
 * kern/smp.h - bringing the other harts up, and stopping them.
 */
#ifndef KERN_SMP_H
#define KERN_SMP_H

#include <kern/cpu.h>

/*
 * Boot CPU only, once: start every other hart the device tree lists with
 * SBI HSM and wait until each reports online (or times out).  Returns the
 * number of CPUs online.
 */
int smp_start_secondaries(void);

/* C entry of a secondary hart (from head.S, MMU on, sp and tp set). */
__noreturn void smp_secondary_main(struct cpu *c);

/* From the IPI trap: halt this CPU if a panic or power-off asked for it. */
void smp_halt_if_stopping(void);

/* Ask every other online CPU to stop (for panic and power-off). Any context. */
void smp_stop_others(void);

#endif
