/*
 * taskman/skimmer/pager.c - taskman is the pager of every process it
 * starts (kern/pager.c, docs/taskman.md "Paging").
 *
 * Private anonymous memory (mmap MAP_PRIVATE | MAP_ANONYMOUS, so malloc's
 * heap and thread stacks, and the main stack) is lazy: mmap records it
 * (VMMAP_LAZY) and has the kernel mark its pages (MemMap MEM_LAZY), and
 * nothing is allocated.  A thread's first touch of such a page faults;
 * the kernel stops the thread and pulses taskman (_PULSE_CODE_PAGEFAULT);
 * vmmap_fault (taskman/common/vmfault.c) decides: fill a cluster of
 * zeroed pages around the address (MemMap MEM_FILL) and retry, or
 * SIGSEGV.  Out of memory is SIGBUS (as QNX's MAP_LAZY), logged.
 *
 * What the kernel resolves without us: copy-on-write after fork, and a
 * lazy page met by a kernel copy (MsgReply, MsgRead, read() and write()
 * buffers, signal frames, futex words): the copy fills it from the mark.
 * So no kernel call ever waits for taskman, and taskman, which has no
 * pager and whose own memory is eager, never waits for itself.
 */
#include "tm.h"

#define FAULT_CLUSTER	(16 * TM_PAGE)	/* filled at one fault, clipped to the region */

_Static_assert(PF_READ == VMMAP_R && PF_WRITE == VMMAP_W && PF_EXEC == VMMAP_X,
    "vmmap_fault takes the kernel's access bits");

long
tm_pager_attach(long pid)
{
	return __kc_ProcPager(pid, tm.t_chid, 0, 0, 0, 0);
}

long
tm_lazy_mark(long pid, const struct vmmap *vm)
{
	long rc = 0;

	for (const struct vm_region *r = vm->vm_regions; r && rc == 0; r = r->vr_next) {
		uint32_t prot = r->vr_prot & VMMAP_PROT;
		long kp = (long)(prot | ((prot & VMMAP_W) ? VMMAP_R : 0));

		if (!(r->vr_prot & VMMAP_LAZY) || prot == 0)
			continue;
		for (uint64_t a = r->vr_start; a < r->vr_end && rc == 0; a += TM_MAP_MAX)
			rc = __kc_MemMap(pid, (long)a, (long)(r->vr_end - a < TM_MAP_MAX ?
			    r->vr_end - a : TM_MAP_MAX), kp, MEM_ANON | MEM_LAZY, 0);
	}
	return rc;
}

/* Fill [start, start+len) around addr for pid: 0, or SIGBUS when memory is short. */
static long
fill(long pid, uint64_t addr, uint64_t start, uint64_t len, uint32_t prot)
{
	long kp = (long)(prot | ((prot & VMMAP_W) ? VMMAP_R : 0));
	struct pt_proc *p;

	if (__kc_MemMap(pid, (long)start, (long)len, kp, MEM_ANON | MEM_FILL, 0) == 0 ||
	    __kc_MemMap(pid, (long)(addr & ~(TM_PAGE - 1)), (long)TM_PAGE, kp,
	    MEM_ANON | MEM_FILL, 0) == 0)
		return 0;		/* the cluster, or at least the page */
	p = proctab_find(&tm.t_procs, (int)pid);
	tm_log("taskman: out of memory: pid %ld (%s) touched lazy memory at %#lx: SIGBUS\n",
	    pid, p ? p->pp_name : "?", (unsigned long)addr);
	return SIGBUS;
}

void
pager_fault(int pid, int tid)
{
	struct pt_proc *p = proctab_find(&tm.t_procs, pid);
	struct tm_proc *tp = p ? p->pp_priv : NULL;
	struct _page_fault pf;
	uint64_t start, len;
	uint32_t prot;
	long sig = SIGSEGV;

	if (__kc_PageFaultInfo(pid, tid, (long)&pf, 0, 0, 0) < 0)
		return;			/* killed while it waited */
	if (tp && vmmap_fault(&tp->tp_vm, pf.pf_vaddr, pf.pf_access, FAULT_CLUSTER, &start, &len,
	    &prot) == VMF_FILL)
		sig = fill(pid, pf.pf_vaddr, start, len, prot);
	__kc_PageResume(pid, tid, sig, 0, 0, 0);	/* -ESRCH: killed meanwhile */
}
