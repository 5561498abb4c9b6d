/*
 * kern/vm_share.c - shared memory and protection changes, the mechanisms
 * taskman's MAP_SHARED, shared-memory objects and mprotect need (the
 * policy stays in taskman).
 *
 * Shared memory is owned, pinned pages (VMP_OWNED | VMP_PINNED, as DMA
 * memory is): each mapping is one holder of the frame (frame_share), the
 * last unmap frees it, and fork (vm_clone) shares such pages writable
 * instead of copying them.  vm_share maps the frames of such a range of
 * one space into another (or elsewhere in the same one).  vm_protect
 * changes the access of mapped pages; a page whose frame others hold
 * (fork's copy-on-write, or a read-only page shared by fork) becomes
 * copy-on-write when it gains write access, so no one else sees the
 * writes.  A lazy zero-fill page (vm_lazy) keeps its mark with the new
 * access.
 *
 * Locks: the spaces' vs_lock (leaf), two in address order; TLB
 * shoot-downs happen after they are dropped.
 */
#include <kern/frame.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/memlayout.h>

#define SHARED_PAGE	(VMP_OWNED | VMP_PINNED)

static bool
range_ok(uaddr_t va, size_t len)
{
	return ((va | len) & (PAGE_SIZE - 1)) == 0 && len != 0 && va + len > va &&
	    va + len <= USER_TOP;
}

/* Is all of [va, va+len) of vs shared memory?  (vs_lock held.) */
static bool
all_shared(struct vmspace *vs, uaddr_t va, size_t len)
{
	paddr_t pa;
	unsigned prot;

	for (size_t off = 0; off < len; off += PAGE_SIZE)
		if (!pmap_lookup_arch(&vs->vs_pmap, va + off, &pa, &prot) ||
		    (prot & SHARED_PAGE) != SHARED_PAGE)
			return false;
	return true;
}

/* Map src's frames at dva in dst; the bytes done, for an undo.  (Both locks held.) */
static size_t
share_pages(struct vmspace *dst, uaddr_t dva, struct vmspace *src, uaddr_t sva, size_t len,
    unsigned prot, int *rc)
{
	size_t off = 0;
	paddr_t pa;
	unsigned sprot;

	for (; off < len; off += PAGE_SIZE) {
		pmap_lookup_arch(&src->vs_pmap, sva + off, &pa, &sprot);
		*rc = pmap_enter_arch(&dst->vs_pmap, dva + off, pa, prot | SHARED_PAGE);
		if (*rc < 0)
			break;			/* -ENOMEM for a page table */
		frame_share(pa);
		dst->vs_pages++;
		dst->vs_owned++;
	}
	return off;
}

int
vm_share(struct vmspace *dst, uaddr_t dva, struct vmspace *src, uaddr_t sva, size_t len,
    unsigned prot)
{
	struct vmspace *first = dst < src ? dst : src, *second = dst < src ? src : dst;
	uaddr_t v = dva;
	unsigned long fl;
	paddr_t pa;
	unsigned p;
	size_t done = 0;
	int rc = 0;

	if (!range_ok(dva, len) || !range_ok(sva, len) ||
	    (dst == src && dva < sva + len && sva < dva + len))
		return -EINVAL;
	fl = spin_lock_irqsave(&first->vs_lock);
	if (second != first)
		spin_lock(&second->vs_lock);
	if (!all_shared(src, sva, len))
		rc = -EINVAL;			/* not (all) shared memory */
	else if (pmap_next_arch(&dst->vs_pmap, &v, dva + len, &pa, &p))
		rc = -EEXIST;
	if (rc == 0)
		done = share_pages(dst, dva, src, sva, len, prot, &rc);
	if (second != first)
		spin_unlock(&second->vs_lock);
	spin_unlock_irqrestore(&first->vs_lock, fl);
	if (rc < 0)				/* all or nothing */
		for (size_t off = 0; off < done; off += PAGE_SIZE)
			vm_unmap(dst, dva + off);
	return rc;
}

/* The new VMP_* bits of a page mapped with old, for access prot (R/W/X). */
static unsigned
new_prot(unsigned old, paddr_t pa, unsigned prot)
{
	unsigned keep = old & (VMP_OWNED | VMP_PINNED), access = prot & (VMP_R | VMP_X);

	if (!(prot & VMP_W))
		return keep | access;
	if ((old & VMP_OWNED) && !(old & VMP_PINNED) && frame_shared(pa))
		return keep | access | VMP_R | VMP_COW;	/* others hold it: copy on the first write */
	return keep | access | VMP_R | VMP_W;
}

int
vm_protect(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot)
{
	unsigned long fl;
	bool changed = false;
	paddr_t pa;
	unsigned old;
	size_t off;

	if (!range_ok(va, len) || (prot & ~(VMP_R | VMP_W | VMP_X)) || !(prot & (VMP_R | VMP_X | VMP_W)))
		return -EINVAL;
	fl = spin_lock_irqsave(&vs->vs_lock);
	for (off = 0; off < len; off += PAGE_SIZE)
		if (!pmap_lookup_arch(&vs->vs_pmap, va + off, &pa, &old) &&
		    !pmap_lazy_lookup_arch(&vs->vs_pmap, va + off, &old))
			break;
	if (off < len) {
		spin_unlock_irqrestore(&vs->vs_lock, fl);
		return -ENOMEM;			/* a hole: nothing changes */
	}
	for (off = 0; off < len; off += PAGE_SIZE) {
		unsigned np;

		if (!pmap_lookup_arch(&vs->vs_pmap, va + off, &pa, &old)) {
			pmap_lazy_arch(&vs->vs_pmap, va + off, prot);	/* a lazy page's new mark */
			continue;
		}
		np = new_prot(old, pa, prot);
		if (np != old) {
			pmap_replace_arch(&vs->vs_pmap, va + off, pa, np);
			changed = true;
		}
	}
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (changed)
		vm_shootdown(vs, 0);
	return 0;
}
