/*
 * kern/sys_stress.c - SysStress(seconds, seed): run the embedded stress
 * test (kern/stress.h) now, with the system in use, and wait for it.
 * This is what the shell's `stress` command calls.  Privileged: the
 * caller needs the process-manager or the I/O ability.  seed 0 picks one
 * from the time CSR (printed, for a replay).  Returns 0 when it passed;
 * a violated invariant panics the kernel with its report, by design.
 * -ENOSYS when the kernel is built without CONFIG_SKIMMER_STRESS.
 */
#include <kern/cpu.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/stress.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <abi/errno.h>

long
sys_SysStress(long seconds, long seed, long a2, long a3, long a4, long a5)
{
	if (!(curthread->td_proc->pr_abilities & (PRA_PROCMGR | PRA_IO)))
		return -EPERM;
	if (seconds <= 0 || seconds > 86400)
		return -EINVAL;
#ifdef CONFIG_SKIMMER_STRESS
	return stress_run((unsigned)seconds, seed ? (uint64_t)seed : stress_default_seed(), true);
#else
	return -ENOSYS;
#endif
}
