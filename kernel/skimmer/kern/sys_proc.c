/*
 * kern/sys_proc.c - the process manager's kernel calls (abi/procmgr.h):
 * ProcCreate, ProcDestroy, MemMap, MemUnmap, MemWrite, ProcNotify.  Every
 * one needs the caller to have PRA_PROCMGR (taskman); others get EPERM.
 */
#include <kern/cpu.h>
#include <kern/frame.h>
#include <kern/intr.h>
#include <kern/ipc.h>
#include <kern/lwkt.h>
#include <kern/proc.h>
#include <kern/signal.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <arch/fpu.h>
#include <arch/trapframe.h>
#include <abi/thread.h>
#include <kern/syscall.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <abi/procmgr.h>
#include <arch/memlayout.h>

#define MEM_MAX_LEN	(1UL << 30)	/* one call maps at most 1 GiB */

_Static_assert(PROC_ABILITY_PROCMGR == PRA_PROCMGR && PROC_ABILITY_IO == PRA_IO,
    "ProcCreate passes abilities through");

long
sys_ProcCreate(long name, long abilities, long ign_pid, long keep_dfl, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p, *src = NULL;
	char buf[PROC_NAME_MAX];
	long rc;

	(void)a4;
	(void)a5;
	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if (abilities & ~(long)(PROC_ABILITY_PROCMGR | PROC_ABILITY_IO) || ign_pid < 0 ||
	    (ign_pid == 0 && keep_dfl != 0))
		return -EINVAL;
	if ((abilities & PROC_ABILITY_IO) && !(me->pr_abilities & PRA_IO))
		return -EPERM;
	rc = vm_copyinstr(me->pr_vm, buf, (uaddr_t)name, sizeof(buf));
	if (rc < 0)
		return rc;
	if (ign_pid && (src = proc_hold((int)ign_pid)) == NULL)
		return -ESRCH;
	p = proc_create(buf, (uint32_t)abilities);
	if (p && src)
		sig_proc_inherit_ign(p, src, (uint64_t)keep_dfl);
	if (src)
		proc_release(src);
	return p ? p->pr_pid : -ENOMEM;
}

long
sys_ProcDestroy(long pid, long status, long a2, long a3, long a4, long a5)
{
	struct proc *p;

	if (!proc_is_manager(curthread->td_proc))
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
	if (!proc_is_manager(curthread->td_proc))
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

/*
 * MEM_PHYS maps device memory only: a range that wraps or touches RAM
 * (which has frame metadata, reserved frames included: the kernel's own
 * image) is refused, so a driver cannot reach the kernel's or another
 * process's memory through it.
 */
static bool
phys_is_device(uint64_t pa, uint64_t len)
{
	if (pa + len < pa)
		return false;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (frame_lookup((paddr_t)(pa + off)) != NULL)
			return false;
	return true;
}

/*
 * MEM_ANON | MEM_CONTIG: one physically contiguous run of zeroed frames
 * (kern/frame.c's frame_alloc_contig), each mapped owned and pinned, so
 * that munmap and process death free them page by page like any owned
 * frame and fork shares them instead of copying (kern/vm_cow.c).  All or
 * nothing: on failure the mapped part is unmapped (which frees its
 * frames) and the rest of the run is freed here.
 */
static long
map_contig(struct proc *p, uint64_t va, uint64_t len, long prot)
{
	size_t npages = len >> PAGE_SHIFT;
	paddr_t pa = frame_alloc_contig(npages, FRAME_ZERO);
	uint64_t off = 0;
	long rc = 0;

	if (pa == 0)
		return -ENOMEM;		/* no free run that long (or over 4 MiB) */
	for (; off < len; off += PAGE_SIZE) {
		rc = vm_map(p->pr_vm, va + off, pa + off, vm_prot(prot) | VMP_OWNED | VMP_PINNED);
		if (rc < 0)
			break;
	}
	if (rc < 0) {
		unmap_range(p->pr_vm, va, off);
		for (; off < len; off += PAGE_SIZE)
			frame_free(pa + off, 0);
	}
	return rc;
}

/* MemMap's flags and abilities: 0 or -errno (decode only). */
static long
map_flags_ok(long flags, long paddr)
{
	struct proc *me = curthread->td_proc;

	if (flags != MEM_ANON && flags != MEM_PHYS && flags != (MEM_ANON | MEM_CONTIG) &&
	    flags != (MEM_ANON | MEM_SHARED) && flags != (MEM_ANON | MEM_LAZY) &&
	    flags != (MEM_ANON | MEM_FILL))
		return -EINVAL;
	if ((flags & (MEM_LAZY | MEM_FILL)) && paddr != 0)
		return -EINVAL;
	if ((flags == MEM_PHYS || (flags & MEM_CONTIG)) && !(me->pr_abilities & PRA_IO))
		return -EPERM;
	if (flags == MEM_PHYS && ((uint64_t)paddr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (flags == (MEM_ANON | MEM_CONTIG) && paddr != 0)
		return -EINVAL;
	return 0;
}

long
sys_MemMap(long pid, long va, long len, long prot, long flags, long paddr)
{
	struct proc *p;
	uint64_t off = 0;
	long rc;

	if ((prot & ~7L) || !(prot & (MEM_PROT_READ | MEM_PROT_EXEC)))
		return -EINVAL;
	if ((rc = map_flags_ok(flags, paddr)) < 0)
		return rc;
	if ((rc = mem_target(pid, va, len, &p)) < 0)
		return rc;
	if (flags == MEM_PHYS && !phys_is_device((uint64_t)paddr, (uint64_t)len)) {
		proc_release(p);
		return -EINVAL;
	}
	if (flags & (MEM_LAZY | MEM_FILL)) {	/* lazy pages (kern/pager.c): no undo */
		rc = (flags & MEM_LAZY) ? vm_lazy(p->pr_vm, (uaddr_t)va, (size_t)len, vm_prot(prot)) :
		    vm_fill(p->pr_vm, (uaddr_t)va, (size_t)len, vm_prot(prot));
		proc_release(p);
		return rc;
	}
	if (flags & MEM_CONTIG) {
		/* DMA memory only for drivers: the target needs the I/O ability too. */
		rc = (p->pr_abilities & PRA_IO) ? map_contig(p, (uint64_t)va, (uint64_t)len, prot) :
		    -EPERM;
		proc_release(p);
		return rc;
	}
	for (; off < (uint64_t)len; off += PAGE_SIZE) {
		if (flags & MEM_ANON) {		/* MEM_SHARED: owned and pinned (kern/vm_share.c) */
			paddr_t pa = frame_alloc(0, FRAME_ZERO);
			unsigned own = (flags & MEM_SHARED) ? VMP_OWNED | VMP_PINNED : VMP_OWNED;

			rc = pa ? vm_map(p->pr_vm, va + off, pa, vm_prot(prot) | own) : -ENOMEM;
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

/*
 * MemShare(dst_pid, dst_va, src_pid, src_va, len, prot): map src's shared
 * memory (MEM_SHARED or MEM_CONTIG pages) at dst_va in dst too
 * (kern/vm_share.c): taskman's shared-memory objects.  0, -EPERM, -EINVAL
 * (alignment, range, prot, not shared memory, overlap), -ESRCH, -EEXIST,
 * -ENOMEM.
 */
long
sys_MemShare(long dst_pid, long dst_va, long src_pid, long src_va, long len, long prot)
{
	struct proc *dst, *src;
	long rc;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if ((prot & ~7L) || !(prot & (MEM_PROT_READ | MEM_PROT_EXEC)) || len <= 0 ||
	    (uint64_t)len > MEM_MAX_LEN)
		return -EINVAL;
	dst = proc_hold(dst_pid == 0 ? curthread->td_proc->pr_pid : (int)dst_pid);
	src = proc_hold(src_pid == 0 ? curthread->td_proc->pr_pid : (int)src_pid);
	if (dst == NULL || src == NULL)
		rc = -ESRCH;
	else
		rc = vm_share(dst->pr_vm, (uaddr_t)dst_va, src->pr_vm, (uaddr_t)src_va, (size_t)len,
		    vm_prot(prot));
	if (dst)
		proc_release(dst);
	if (src)
		proc_release(src);
	return rc;
}

/*
 * MemProtect(pid, va, len, prot): give every page of [va, va+len) of pid
 * the access prot (MEM_PROT_*, at least R or X; kern/vm_share.c): mprotect.
 * 0, -EPERM, -EINVAL, -ESRCH, -ENOMEM (not all mapped: nothing changes).
 */
long
sys_MemProtect(long pid, long va, long len, long prot, long a4, long a5)
{
	struct proc *p;
	long rc;

	if ((prot & ~7L) || !(prot & (MEM_PROT_READ | MEM_PROT_EXEC)))
		return -EINVAL;
	if ((rc = mem_target(pid, va, len, &p)) < 0)
		return rc;
	rc = vm_protect(p->pr_vm, (uaddr_t)va, (size_t)len, vm_prot(prot));
	proc_release(p);
	return rc;
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

/*
 * MemOffset(pid, va, len, info): the physical address of va in pid and
 * how many of the len bytes from va are physically contiguous (mapped
 * page after page on consecutive frames).  For mem_offset (DMA).
 * Errors: EPERM, ESRCH, EINVAL (len 0 or over 1 GiB, va outside user
 * space), EACCES (nothing mapped at va), EFAULT (info).
 */
long
sys_MemOffset(long pid, long va, long len, long info, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p;
	struct _mem_phys mo = { 0, 0 };
	uint64_t v = (uint64_t)va, end;
	paddr_t pa, next = 0;
	unsigned prot;
	unsigned long fl;
	long rc;

	if (!proc_is_manager(me))
		return -EPERM;
	if (len <= 0 || (uint64_t)len > MEM_MAX_LEN || v >= USER_TOP || v + (uint64_t)len > USER_TOP)
		return -EINVAL;
	if ((rc = vm_check(me->pr_vm, (uaddr_t)info, sizeof(mo), VMP_W)) < 0)
		return rc;
	p = proc_hold(pid == 0 ? me->pr_pid : (int)pid);
	if (p == NULL)
		return -ESRCH;
	end = v + (uint64_t)len;
	while (v < end) {			/* the lock a page at a time: len may be 1 GiB */
		uint64_t n = MIN(end - v, PAGE_SIZE - (v & (PAGE_SIZE - 1)));
		bool ok;

		fl = spin_lock_irqsave(&p->pr_vm->vs_lock);
		ok = pmap_lookup_arch(&p->pr_vm->vs_pmap, v, &pa, &prot);
		spin_unlock_irqrestore(&p->pr_vm->vs_lock, fl);
		if (!ok && vm_lazy_fill(p->pr_vm, v, VMP_R) == 0)
			continue;		/* a lazy page: it has a frame now */
		if (!ok || (mo.mp_contig != 0 && pa != next))
			break;
		if (mo.mp_contig == 0)
			mo.mp_paddr = pa;
		mo.mp_contig += n;
		next = pa + n;
		v += n;
	}
	proc_release(p);
	if (mo.mp_contig == 0)
		return -EACCES;
	return vm_copyout(me->pr_vm, (uaddr_t)info, &mo, sizeof(mo));
}

long
sys_MemWrite(long pid, long va, long src, long len, long a4, long a5)
{
	struct proc *me = curthread->td_proc, *p;
	long rc;

	if (!proc_is_manager(curthread->td_proc))
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

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if (a1 & ~(long)PROCNOTIFY_TIMES)
		return -EINVAL;
	ch = ipc_chan_lookup(curthread->td_proc, chid);
	if (ch == NULL)
		return -EINVAL;
	return proc_set_notify(ch, (unsigned)a1);
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

	if (!proc_is_manager(curthread->td_proc))
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

/*
 * ProcSetCred(pid, ruid, euid, suid, sid): record pid's real, effective
 * and saved uid and its session, which SignalKill's permission check
 * reads (kern/sys_signal.c).  taskman owns credentials; the kernel keeps
 * a copy, told before the process first runs and on every change.  A
 * process never told has uid 0 and session 0 (the kernel's own starts).
 */
long
sys_ProcSetCred(long pid, long ruid, long euid, long suid, long sid, long a5)
{
	const long ids[3] = { ruid, euid, suid };
	struct proc *p;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	for (int i = 0; i < 3; i++)
		if (ids[i] < 0 || ids[i] > INT32_MAX)
			return -EINVAL;
	if (sid < 0 || sid > 0x3fffffff)
		return -EINVAL;
	p = proc_hold((int)pid);
	if (p == NULL)
		return -ESRCH;
	for (int i = 0; i < 3; i++)
		__atomic_store_n(&p->pr_cred[i], (int)ids[i], __ATOMIC_RELEASE);
	__atomic_store_n(&p->pr_sid, (int)sid, __ATOMIC_RELEASE);
	proc_release(p);
	return 0;
}

/*
 * MemClone(dst_pid, src_pid, va, len): share every mapped page of
 * [va, va+len) of src with dst, copy-on-write (kern/vm_cow.c): fork's
 * memory.  dst must have nothing mapped there.  0, -EPERM, -ESRCH,
 * -EINVAL, -EEXIST or -ENOMEM (dst may then hold part of the range).
 */
long
sys_MemClone(long dst_pid, long src_pid, long va, long len, long a4, long a5)
{
	struct proc *dst, *src;
	long rc;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if (dst_pid == src_pid)
		return -EINVAL;
	dst = proc_hold((int)dst_pid);
	src = proc_hold((int)src_pid);
	if (dst == NULL || src == NULL)
		rc = -ESRCH;
	else
		rc = vm_clone(dst->pr_vm, src->pr_vm, (uaddr_t)va, (size_t)len);
	if (dst)
		proc_release(dst);
	if (src)
		proc_release(src);
	return rc;
}

/* The clone's registers: src's, as saved when it blocked, with a0 replaced. */
static int
clone_regs(struct thread *src, long a0, struct uregs *r)
{
	const struct trapframe *tf = proc_user_frame(src);

	if (src->td_state != STATE_REPLY)
		return -EINVAL;		/* only a thread blocked in MsgSend has a stable frame */
	memset(r, 0, sizeof(*r));
	r->ur_full = true;
	memcpy(r->ur_regs, tf->tf_regs, sizeof(r->ur_regs));
	r->ur_regs[REG_A0] = (uint64_t)a0;
	r->ur_pc = tf->tf_sepc;		/* past its ecall */
	r->ur_sp = tf->tf_regs[REG_SP];
	r->ur_policy = src->td_policy;
	r->ur_sigmask = src->td_sig.ts_blocked;
	r->ur_ss_sp = src->td_sig.ts_ss_sp;	/* fork keeps the alternate stack (POSIX) */
	r->ur_ss_size = src->td_sig.ts_ss_size;
	if (src->td_flags & TDF_FPU) {
		fpu_flush_remote_arch(src);
		r->ur_fpu = src->td_fpu;
		r->ur_has_fpu = true;
	}
	return 0;
}

/*
 * ThreadClone(dst_pid, src_pid, src_tid, a0): start a thread in dst with
 * the registers, FP state and signal mask of thread src_tid of src, which
 * must be REPLY-blocked (it sent the fork request), except that a0 = a0:
 * fork's child returns from its MsgSend with a0.  The first thread cloned
 * into a process without threads also gets src's signal actions.
 * Returns the new tid.
 */
long
sys_ThreadClone(long dst_pid, long src_pid, long src_tid, long a0, long a4, long a5)
{
	struct proc *dst, *src;
	struct thread *std = NULL;
	struct uregs r;		/* ~600 bytes: the stack is shallow here */
	long rc;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	dst = proc_hold((int)dst_pid);
	src = proc_hold((int)src_pid);
	rc = (dst && src) ? 0 : -ESRCH;
	if (rc == 0 && (std = proc_thread_hold(src, (int)src_tid)) == NULL)
		rc = -ESRCH;
	if (rc == 0)
		rc = clone_regs(std, a0, &r);
	if (rc == 0) {
		if (dst->pr_nthreads == 0)
			sig_proc_copy(dst, src);
		rc = proc_thread_create(dst, &r, std->td_basepri, proc_pick_cpu());
	}
	if (std)
		__atomic_fetch_sub(&std->td_holds, 1, __ATOMIC_RELEASE);
	if (dst)
		proc_release(dst);
	if (src)
		proc_release(src);
	return rc;
}

/*
 * ThreadExec(pid, tid, pc, sp, name): the kernel's part of exec.  Thread tid of
 * pid must be REPLY-blocked (it sent the exec request to taskman).  Every
 * other thread of pid ends; pid's channels, timers, interrupt attachments
 * and _NTO_COF_CLOEXEC connections go; caught signals go back to SIG_DFL
 * (the mask and pending signals stay, as POSIX says; the alternate
 * signal stack goes); tid's registers
 * become pc and sp, every other one 0, and its FP state is dropped.
 * The process takes the new program's name (name; 0 keeps the old one).
 * taskman then loads the new program and replies to tid with no data: the
 * reply's status is the new program's a0.
 */
long
sys_ThreadExec(long pid, long tid, long pc, long sp, long uname, long a5)
{
	char name[PROC_NAME_MAX];
	struct trapframe *tf;
	struct thread *td;
	struct proc *p;
	long rc = 0;

	if (!proc_is_manager(curthread->td_proc))
		return -EPERM;
	if ((uint64_t)pc >= USER_TOP || (uint64_t)sp > USER_TOP || (sp & 15))
		return -EINVAL;
	if (uname && (rc = vm_copyinstr(curthread->td_proc->pr_vm, name, (uaddr_t)uname,
	    sizeof(name))) < 0)
		return rc == -ENAMETOOLONG ? -EINVAL : rc;
	rc = 0;
	if (pid == curthread->td_proc->pr_pid || (p = proc_hold((int)pid)) == NULL)
		return pid == curthread->td_proc->pr_pid ? -EINVAL : -ESRCH;
	td = proc_thread_hold(p, (int)tid);
	if (td == NULL || td->td_state != STATE_REPLY)
		rc = td ? -EINVAL : -ESRCH;
	if (rc == 0) {
		proc_kill_threads(p, td);
		ipc_proc_exec(p);
		ktimer_proc_exit(p);
		uintr_proc_exit(p);
		sig_exec_reset(p);
		if (uname) {		/* the new program's name, and its first thread's */
			strlcpy(p->pr_name, name, sizeof(p->pr_name));
			strlcpy(td->td_name, name, sizeof(td->td_name));
		}
		fpu_drop_remote_arch(td);
		td->td_sig.ts_ss_sp = td->td_sig.ts_ss_size = 0;	/* the old program's stack */
		tf = proc_user_frame(td);
		memset(tf->tf_regs, 0, sizeof(tf->tf_regs));
		tf->tf_sepc = (uint64_t)pc;
		tf->tf_regs[REG_SP] = (uint64_t)sp;
	}
	if (td)
		__atomic_fetch_sub(&td->td_holds, 1, __ATOMIC_RELEASE);
	proc_release(p);
	return rc;
}
