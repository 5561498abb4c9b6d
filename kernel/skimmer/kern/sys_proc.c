/*
 * kern/sys_proc.c - the process manager's kernel calls (abi/procmgr.h):
 * ProcCreate, ProcDestroy, MemMap, MemUnmap, MemWrite, ProcNotify.  Every
 * one needs the caller to have PRA_PROCMGR (taskman); others get EPERM.
 */
#include <kern/cpu.h>
#include <kern/frame.h>
#include <kern/ipc.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/string.h>
#include <kern/syscall.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/procmgr.h>
#include <arch/memlayout.h>

#define MEM_MAX_LEN	(1UL << 30)	/* one call maps at most 1 GiB */

_Static_assert(PROC_ABILITY_PROCMGR == PRA_PROCMGR && PROC_ABILITY_IO == PRA_IO,
    "ProcCreate passes abilities through");

static bool
is_procmgr(void)
{
	return (curthread->td_proc->pr_abilities & PRA_PROCMGR) != 0;
}

long
sys_ProcCreate(long name, long abilities, long a2, long a3, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p;
	char buf[PROC_NAME_MAX];
	long rc;

	if (!is_procmgr())
		return -EPERM;
	if (abilities & ~(long)(PROC_ABILITY_PROCMGR | PROC_ABILITY_IO))
		return -EINVAL;
	if ((abilities & PROC_ABILITY_IO) && !(me->pr_abilities & PRA_IO))
		return -EPERM;
	rc = vm_copyinstr(me->pr_vm, buf, (uaddr_t)name, sizeof(buf));
	if (rc < 0)
		return rc;
	p = proc_create(buf, (uint32_t)abilities);
	return p ? p->pr_pid : -ENOMEM;
}

long
sys_ProcDestroy(long pid, long status, long a2, long a3, long a4, long a5)
{
	struct proc *p;

	if (!is_procmgr())
		return -EPERM;
	if (pid == curthread->td_proc->pr_pid)
		return -EINVAL;		/* to end yourself, ThreadDestroy(-1) */
	p = proc_hold((int)pid);
	if (p == NULL)
		return -ESRCH;
	proc_kill(p, NULL, (int)status);
	proc_release(p);
	return 0;
}

static unsigned
vm_prot(long prot)
{
	return ((prot & MEM_PROT_READ) ? VMP_R : 0) | ((prot & MEM_PROT_WRITE) ? VMP_W | VMP_R : 0) |
	    ((prot & MEM_PROT_EXEC) ? VMP_X : 0);
}

/* Decode (pid, va, len) for the Mem* calls: the target held, or an error. */
static long
mem_target(long pid, long va, long len, struct proc **pp)
{
	if (!is_procmgr())
		return -EPERM;
	if (((uint64_t)va | (uint64_t)len) & (PAGE_SIZE - 1) || len <= 0 ||
	    (uint64_t)len > MEM_MAX_LEN || (uint64_t)va + (uint64_t)len > USER_TOP)
		return -EINVAL;
	*pp = proc_hold(pid == 0 ? curthread->td_proc->pr_pid : (int)pid);
	return *pp ? 0 : -ESRCH;
}

/* Undo a partial mapping of [va, va+done). */
static void
unmap_range(struct vmspace *vs, uint64_t va, uint64_t done)
{
	for (uint64_t off = 0; off < done; off += PAGE_SIZE)
		vm_unmap(vs, va + off);
}

long
sys_MemMap(long pid, long va, long len, long prot, long flags, long paddr)
{
	struct proc *p;
	uint64_t off = 0;
	long rc;

	if ((prot & ~7L) || !(prot & (MEM_PROT_READ | MEM_PROT_EXEC)) ||
	    (flags != MEM_ANON && flags != MEM_PHYS))
		return -EINVAL;
	if (flags == MEM_PHYS && !(curthread->td_proc->pr_abilities & PRA_IO))
		return -EPERM;
	if (flags == MEM_PHYS && ((uint64_t)paddr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if ((rc = mem_target(pid, va, len, &p)) < 0)
		return rc;
	for (; off < (uint64_t)len; off += PAGE_SIZE) {
		if (flags == MEM_ANON) {
			paddr_t pa = frame_alloc(0, FRAME_ZERO);

			rc = pa ? vm_map(p->pr_vm, va + off, pa, vm_prot(prot) | VMP_OWNED) : -ENOMEM;
			if (rc < 0 && pa)
				frame_free(pa, 0);
		} else {
			rc = vm_map(p->pr_vm, va + off, (paddr_t)paddr + off, vm_prot(prot));
		}
		if (rc < 0)
			break;
	}
	if (rc < 0)
		unmap_range(p->pr_vm, (uint64_t)va, off);	/* all or nothing */
	proc_release(p);
	return rc < 0 ? rc : 0;
}

long
sys_MemUnmap(long pid, long va, long len, long a3, long a4, long a5)
{
	struct proc *p;
	long rc;

	if ((rc = mem_target(pid, va, len, &p)) < 0)
		return rc;
	unmap_range(p->pr_vm, (uint64_t)va, (uint64_t)len);
	proc_release(p);
	return 0;
}

long
sys_MemWrite(long pid, long va, long src, long len, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p;
	long rc;

	if (!is_procmgr())
		return -EPERM;
	if (len < 0 || (uint64_t)len > MEM_MAX_LEN)
		return -EINVAL;
	p = proc_hold(pid == 0 ? me->pr_pid : (int)pid);
	if (p == NULL)
		return -ESRCH;
	rc = vm_copy_force(p->pr_vm, (uaddr_t)va, me->pr_vm, (uaddr_t)src, (size_t)len);
	proc_release(p);
	return rc < 0 ? rc : len;
}

long
sys_ProcNotify(long chid, long a1, long a2, long a3, long a4, long a5)
{
	struct channel *ch;

	if (!is_procmgr())
		return -EPERM;
	ch = ipc_chan_lookup(curthread->td_proc, chid);
	if (ch == NULL)
		return -EINVAL;
	return proc_set_notify(ch);
}

/*
 * ProcSetGroup(pid, pgid): record pid's process group, which
 * SignalKill(-pgid) uses.  taskman owns sessions and groups; the kernel
 * only keeps the number.  A new process is in group 0 (none) until told.
 */
long
sys_ProcSetGroup(long pid, long pgid, long a2, long a3, long a4, long a5)
{
	struct proc *p;

	if (!is_procmgr())
		return -EPERM;
	if (pgid <= 0 || pgid > 0x3fffffff)
		return -EINVAL;
	p = proc_hold((int)pid);
	if (p == NULL)
		return -ESRCH;
	__atomic_store_n(&p->pr_pgid, (int)pgid, __ATOMIC_RELEASE);
	proc_release(p);
	return 0;
}
