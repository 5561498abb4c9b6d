/*
 * selftest/intr_test.c - device interrupts through the PLIC.
 *
 * The UART raises its "transmit holding register empty" interrupt as soon
 * as it is enabled (the transmitter is idle), which gives a real device
 * interrupt on demand.  We route it to each CPU in turn and check that the
 * handler runs there.
 */
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/ktest.h>
#include <arch/memlayout.h>
#include "kt_util.h"

#define UART_IER	1
#define IER_THRI	0x02

struct thre {
	volatile uint8_t *t_ier;
	volatile int	t_cpu;		/* where the handler ran, -1 if not yet */
	struct thread	*t_waiter;
};

static void
thre_handler(void *arg, int irq)
{
	struct thre *t = arg;

	(void)irq;
	*t->t_ier = 0;			/* level-triggered: silence the source */
	t->t_cpu = mycpu_id();
	lwkt_schedule(t->t_waiter);
}

KTEST(intr, uart_irq_on_every_cpu)
{
	int irq = (int)bootinfo.bi_uart_irq;
	struct thre t;

	KT_CHECK(bootinfo.bi_uart_base && irq > 0, "no uart interrupt in the device tree");
	t.t_ier = (volatile uint8_t *)phys_to_virt(bootinfo.bi_uart_base) +
	    (UART_IER << bootinfo.bi_uart_shift);
	t.t_waiter = curthread;
	for (int c = 0; c < ncpus; c++) {
		uint64_t before = intr_count(irq);

		t.t_cpu = -1;
		KT_EQ(intr_establish(irq, &cpus[c], thre_handler, &t), 0);
		KT_EQ(intr_establish(irq, &cpus[c], thre_handler, &t), -EBUSY);
		crit_enter();
		*t.t_ier = IER_THRI;
		for (int i = 0; i < 100 && t.t_cpu < 0; i++)
			lwkt_sleep(timer_ns_to_ticks(10000000));
		crit_exit();
		intr_disestablish(irq);
		KT_CHECK(t.t_cpu == c, "cpu%d: handler ran on %d", c, t.t_cpu);
		KT_CHECK(intr_count(irq) > before, "not counted");
	}
	KT_EQ(intr_establish(0, mycpu(), thre_handler, &t), -EINVAL);
	KT_EQ(intr_establish(INTR_MAX, mycpu(), thre_handler, &t), -EINVAL);
	return 0;
}
