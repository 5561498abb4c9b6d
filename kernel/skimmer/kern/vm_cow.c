/*
 * kern/vm_cow.c - copy on write, the mechanism fork needs (taskman asks
 * for it with MemClone; the policy stays in taskman).
 *
 * vm_clone shares the frames of one space with another.  An owned,
 * writable page becomes VMP_COW in both: read-only in hardware, one more
 * holder on its frame (frame_share).  The first write to it, from user
 * mode (a store page fault) or from a kernel copy, comes to vm_cow_break,
 * which gives the writer a private copy, or just write access if nobody
 * else holds the frame any more.  Read-only pages are shared as they are;
 * pages the space does not own (device memory) are mapped, not shared;
 * pinned pages (DMA memory, VMP_PINNED) are shared writable, since their
 * physical address must not change: like MAP_SHARED memory.
 *
 * Locks: the spaces' vs_lock (leaf), two in address order; TLB
 * shoot-downs happen after they are dropped.  A writer whose page was
 * just copied returns to user mode only after the shoot-down, so no CPU
 * can see its new data through a stale translation of the old frame.
 */
#include <kern/frame.h>
#include <kern/string.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/memlayout.h>

int
vm_clone(struct vmspace *dst, struct vmspace *src, uaddr_t va, size_t len)
{
	struct vmspace *first = dst < src ? dst : src, *second = dst < src ? src : dst;
	uaddr_t end = va + len, v;
	unsigned long fl;
	bool downgraded = false;
	unsigned prot;
	paddr_t pa;
	int rc = 0;

	if (dst == src || ((va | len) & (PAGE_SIZE - 1)) || end < va || end > USER_TOP)
		return -EINVAL;
	fl = spin_lock_irqsave(&first->vs_lock);
	spin_lock(&second->vs_lock);
	for (v = va; rc == 0 && pmap_next_arch(&dst->vs_pmap, &v, end, &pa, &prot); )
		rc = -EEXIST;			/* decode first: nothing changes on error */
	for (v = va; rc == 0 && pmap_next_arch(&src->vs_pmap, &v, end, &pa, &prot); v += PAGE_SIZE) {
		unsigned dprot = prot;

		if ((prot & VMP_OWNED) && (prot & VMP_W) && !(prot & VMP_PINNED)) {
			dprot = (prot & ~VMP_W) | VMP_COW;
			pmap_replace_arch(&src->vs_pmap, v, pa, dprot);
			downgraded = true;
		}
		rc = pmap_enter_arch(&dst->vs_pmap, v, pa, dprot);
		if (rc < 0)
			break;			/* -ENOMEM for a page table */
		dst->vs_pages++;
		if (dprot & VMP_OWNED) {
			frame_share(pa);
			dst->vs_owned++;
		}
	}
	spin_unlock(&second->vs_lock);
	spin_unlock_irqrestore(&first->vs_lock, fl);
	if (downgraded)
		vm_shootdown(src, 0);		/* no CPU may write the shared frames now */
	return rc;
}

int
vm_cow_break(struct vmspace *vs, uaddr_t va)
{
	paddr_t pa, copy = 0, dropped = 0;
	unsigned prot;
	unsigned long fl;
	bool changed = false;
	int rc = -EFAULT;

	va &= ~(uaddr_t)(PAGE_SIZE - 1);
	for (;;) {
		fl = spin_lock_irqsave(&vs->vs_lock);
		if (!pmap_lookup_arch(&vs->vs_pmap, va, &pa, &prot))
			break;			/* not mapped (any more) */
		if (!(prot & VMP_COW)) {
			/*
			 * Another thread of the space broke it first (two
			 * CPUs' stores to one shared page fault together):
			 * writable now, so the writer retries.  Our CPU may
			 * still hold the read-only translation until that
			 * thread's shoot-down arrives; drop it here.
			 */
			if (prot & VMP_W) {
				pmap_flush_local_arch(&vs->vs_pmap, va);
				rc = 0;
			}
			break;
		}
		prot = (prot & ~VMP_COW) | VMP_W;
		if (!frame_shared(pa)) {	/* the others let go: it is ours alone */
			rc = pmap_replace_arch(&vs->vs_pmap, va, pa, prot);
			changed = true;
			break;
		}
		if (copy) {
			memcpy(phys_to_virt(copy), phys_to_virt(pa), PAGE_SIZE);
			rc = pmap_replace_arch(&vs->vs_pmap, va, copy, prot);
			changed = true;
			copy = 0;
			dropped = pa;		/* our hold on the shared frame */
			break;
		}
		spin_unlock_irqrestore(&vs->vs_lock, fl);
		copy = frame_alloc(0, 0);	/* outside the lock, then look again */
		if (copy == 0)
			return -ENOMEM;
	}
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (copy)
		frame_free(copy, 0);		/* not needed after all */
	if (rc == 0 && changed)
		vm_shootdown(vs, va);		/* before the writer goes on */
	if (dropped)
		frame_put(dropped);
	return rc;
}
