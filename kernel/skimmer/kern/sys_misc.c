/*
 * kern/sys_misc.c - small kernel calls: Nop, DebugWrite, SysInfo.
 */
#include <kern/bootinfo.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/frame.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/syscall.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/sysinfo.h>
#include <arch/memlayout.h>

long
sys_Nop(long a0, long a1, long a2, long a3, long a4, long a5)
{
	return 0;
}

#define DEBUGWRITE_MAX	4096

/* DebugWrite(buf, len): write len bytes to the kernel console.  Returns len. */
long
sys_DebugWrite(long buf, long len, long a2, long a3, long a4, long a5)
{
#ifdef CONFIG_SKIMMER_DEBUG_CALLS
	struct vmspace *vs = curthread->td_proc->pr_vm;
	char chunk[128];

	if (len < 0 || len > DEBUGWRITE_MAX)
		return -EINVAL;
	if (vm_check(vs, (uaddr_t)buf, (size_t)len, VMP_R) < 0)
		return -EFAULT;
	for (long off = 0; off < len; off += sizeof(chunk)) {
		size_t n = MIN(sizeof(chunk), (size_t)(len - off));

		if (vm_copyin(vs, chunk, (uaddr_t)buf + off, n) < 0)
			return -EFAULT;
		console_write(chunk, n);
	}
	return len;
#else
	return -ENOSYS;
#endif
}

/*
 * The time the online CPUs have spent idle: their idle threads' run
 * time, with the current stretch of each CPU that is idle now.  Another
 * CPU's fields are read without its lock: a view of about this moment.
 */
static uint64_t
idle_ns(void)
{
	uint64_t now = timer_now(), ticks = 0;
	int n = __atomic_load_n(&ncpus, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++) {
		struct cpu *gd = &cpus[i];
		struct thread *idle = gd->gd_idlethread;
		uint64_t at;

		if (idle == NULL)
			continue;
		ticks += __atomic_load_n(&idle->td_runtime, __ATOMIC_RELAXED);
		at = __atomic_load_n(&gd->gd_switch_at, __ATOMIC_RELAXED);
		if (__atomic_load_n(&gd->gd_curthread, __ATOMIC_RELAXED) == idle && now > at)
			ticks += now - at;
	}
	return timer_ticks_to_ns(ticks);
}

/*
 * SysInfo(info): the CPUs, the memory and the idle time (abi/sysinfo.h)
 * into the caller's info.  0 or -EFAULT.
 */
long
sys_SysInfo(long info, long a1, long a2, long a3, long a4, long a5)
{
	struct _sys_info si = {
		.si_ncpus_conf = bootinfo.bi_nharts,
		.si_ncpus_onln = __atomic_load_n(&ncpus, __ATOMIC_RELAXED),
		.si_pagesize = PAGE_SIZE,
		.si_total_pages = frame_total_count(),
		.si_free_pages = frame_free_count(),
		.si_idle_ns = idle_ns(),
	};

	if (vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)info, &si, sizeof(si)) < 0)
		return -EFAULT;
	return 0;
}
