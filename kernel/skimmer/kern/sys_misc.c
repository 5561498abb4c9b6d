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
 * SysInfo(info): the CPUs and the memory (abi/sysinfo.h) into the
 * caller's info.  0 or -EFAULT.
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
	};

	if (vm_copyout(curthread->td_proc->pr_vm, (uaddr_t)info, &si, sizeof(si)) < 0)
		return -EFAULT;
	return 0;
}
