/*
 * kern/shutdown.c - orderly power-off, and the reboot taskman may ask for.
 */
#include <kern/cpu.h>
#include <kern/printf.h>
#include <kern/proc.h>
#include <kern/shutdown.h>
#include <kern/smp.h>
#include <kern/syscall.h>
#include <abi/errno.h>
#include <abi/procmgr.h>
#include <arch/intr.h>

static int shutdown_mode = SYS_SHUTDOWN_MODE_POWEROFF;

/* SysShutdownMode(mode): the process manager's choice for when init ends. */
long
sys_SysShutdownMode(long mode, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (!(curthread->td_proc->pr_abilities & PRA_PROCMGR))
		return -EPERM;
	if (mode != SYS_SHUTDOWN_MODE_POWEROFF && mode != SYS_SHUTDOWN_MODE_REBOOT)
		return -EINVAL;
	__atomic_store_n(&shutdown_mode, (int)mode, __ATOMIC_RELEASE);
	return 0;
}

void
kernel_shutdown(int status)
{
	if (__atomic_load_n(&shutdown_mode, __ATOMIC_ACQUIRE) != SYS_SHUTDOWN_MODE_REBOOT)
		kernel_poweroff(status);
	intr_disable_arch();
	smp_stop_others();
	kprintf("skimmer: reboot\n");
	reboot_arch();
}

void
kernel_poweroff(int status)
{
	intr_disable_arch();
	smp_stop_others();
	kprintf("skimmer: power off (status %d)\n", status);
	poweroff_arch(status);
}
