/*
 * kern/shutdown.c - orderly power-off.
 */
#include <kern/cpu.h>
#include <kern/printf.h>
#include <kern/shutdown.h>
#include <kern/smp.h>
#include <arch/intr.h>

void
kernel_poweroff(int status)
{
	intr_disable_arch();
	smp_stop_others();
	kprintf("skimmer: power off (status %d)\n", status);
	poweroff_arch(status);
}
