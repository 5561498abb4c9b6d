/*
 * kern/panic.c - panic: stop, report, power off.
 */
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/shutdown.h>
#include <arch/intr.h>

static volatile int panicking = -1;	/* cpu id of the first panic, -1 if none */

void
panic(const char *fmt, ...)
{
	va_list ap;
	int me = mycpu_id();
	int expect = -1;

	intr_disable_arch();
	if (!__atomic_compare_exchange_n(&panicking, &expect, me, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		/* Another CPU (or a nested panic here) owns the report. */
		if (expect != me) {
			mycpu()->gd_halted = 1;	/* the first panic reports; we stop */
			for (;;)
				wait_for_interrupt_arch();
		}
		console_break_lock();
		kprintf("\npanic: nested panic on cpu %d\n", me);
		poweroff_arch(PANIC_EXIT_STATUS);
	}
	console_break_lock();
	kprintf("\npanic: cpu %d: ", me);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_arch();
	kernel_poweroff(PANIC_EXIT_STATUS);
}
