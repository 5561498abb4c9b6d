/*
 * kern/shutdown.h - powering the machine off.
 *
 * The exit status reaches the host: on QEMU the runner exits with it, so a
 * test run needs no time-out to finish.  Status 0 is a clean shutdown.
 */
#ifndef KERN_SHUTDOWN_H
#define KERN_SHUTDOWN_H

#include <kern/types.h>

/* Stop the other CPUs and power off with status (0-255).  Never returns. */
__noreturn void kernel_poweroff(int status);

/*
 * After init ended with status: power off, or restart the machine if the
 * process manager asked for it (SysShutdownMode).  Never returns.
 */
__noreturn void kernel_shutdown(int status);

/* Arch/platform hooks. */
__noreturn void poweroff_arch(int status);
__noreturn void reboot_arch(void);
void backtrace_arch(void);
/* A backtrace from frame pointer fp, starting with pc (0: none). */
void backtrace_from_arch(uint64_t fp, uint64_t pc);

#endif
