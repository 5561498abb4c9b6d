/*
 * kern/vm.h - user address spaces (the mechanism; taskman owns the policy).
 *
 * A vmspace is a pmap plus what the kernel needs to keep it safe on SMP:
 *
 *   vs_lock	leaf spinlock; protects the page tables of this space.  Held
 *		for every map/unmap and for each page-sized step of a copy to
 *		or from the space, so a frame cannot be unmapped and freed in
 *		the middle of a copy.  Two spaces are locked in address order.
 *   vs_cpus	bitmask of CPUs that have ever run the space: TLB
 *		shoot-downs go to these CPUs (atomic OR; never cleared).
 *
 * Copies between the kernel and user memory, and directly between two user
 * spaces, translate each page in software through the page tables and copy
 * through the direct map, so a bad user pointer returns -EFAULT and never
 * faults the kernel.  A copy that meets a lazy zero-fill page (vm_lazy)
 * that allows its access fills it itself (vm_lazy_fill) and goes on; any
 * other page that is not mapped is -EFAULT.  No copy ever waits for the
 * pager (kern/pager.c says why).
 */
#ifndef KERN_VM_H
#define KERN_VM_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <arch/pmap.h>

typedef uint64_t uaddr_t;	/* a user virtual address */

struct vmspace {
	struct pmap	vs_pmap;
	struct spinlock	vs_lock;	/* see above */
	uint64_t	vs_cpus;	/* CPUs that may hold TLB entries */
	uint64_t	vs_pages;	/* pages mapped (vs_lock) */
	uint64_t	vs_owned;	/* of them, frames the space owns (vs_lock) */
	int		vs_refs;	/* atomic: the process, plus IPC peers copying */
};

/* Boot CPU, once. */
void vm_init(void);

/*
 * Create a space (one reference).  vm_hold/vm_release count references;
 * the last release destroys the space, which no thread may run in then.
 */
struct vmspace *vm_create(void);
void vm_hold(struct vmspace *vs);
void vm_release(struct vmspace *vs);

/*
 * Map one page.  prot is VMP_R/W/X; VMP_OWNED hands the frame to the space
 * (it is freed on unmap or destroy).  0 or -EINVAL/-EEXIST/-ENOMEM.
 */
int vm_map(struct vmspace *vs, uaddr_t va, paddr_t pa, unsigned prot);
/* Unmap one page and shoot down its TLB entries everywhere.  0 or -ENOENT. */
int vm_unmap(struct vmspace *vs, uaddr_t va);
/* Allocate zeroed owned frames and map them over [va, va+len).  0 or -errno. */
int vm_map_anon(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot);

/*
 * Lazy zero-fill pages (taskman's lazy anonymous memory, kern/pager.c).
 * vm_lazy marks every page of [va, va+len) that has nothing mapped as
 * lazy with prot (VMP_R/W/X): no frame until a fault (the pager's
 * MemMap MEM_FILL) or a kernel copy fills it; mapped pages stay.
 * vm_fill maps a zeroed owned frame with prot at every page of the range
 * with nothing mapped (lazy or not).  Both: 0, -EINVAL, -ENOMEM (part may
 * be done).  vm_lazy_fill fills the one page at va if it is lazy and its
 * mark allows need: 0 (look again: it may also have been filled or
 * unmapped meanwhile), or -EFAULT (not lazy, not allowed, out of memory).
 * Thread context, no locks held.
 */
int vm_lazy(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot);
int vm_fill(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot);
int vm_lazy_fill(struct vmspace *vs, uaddr_t va, unsigned need);

/* Make vs current on this CPU (NULL: kernel only). */
void vm_activate(struct vmspace *vs);

/* Copies; each returns 0 or -EFAULT (a copy that faults may have done part of its work). */
int vm_copyin(struct vmspace *vs, void *dst, uaddr_t src, size_t len);
int vm_copyout(struct vmspace *vs, uaddr_t dst, const void *src, size_t len);
int vm_copy(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src, size_t len);
/* vm_copy that ignores the destination's write protection (taskman's loader). */
int vm_copy_force(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src, size_t len);
/* Copy a NUL-terminated string of at most size bytes: its length, -EFAULT or -ENAMETOOLONG. */
long vm_copyinstr(struct vmspace *vs, char *dst, uaddr_t src, size_t size);
/*
 * Check that [va, va+len) is mapped with at least prot (a copy-on-write
 * page counts as writable, a lazy page as what it will be).  0 or -EFAULT.
 */
int vm_check(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot);

/* Flush va (0: all of it) of vs from every CPU's TLB and wait.  Thread context. */
void vm_shootdown(struct vmspace *vs, uaddr_t va);

/*
 * Copy on write (kern/vm_cow.c).  vm_clone shares every mapped page of
 * [va, va+len) of src with dst, which must have nothing mapped there:
 * writable pages become copy-on-write in both.  0, -EEXIST, -ENOMEM
 * (then dst may hold part of the range).  vm_cow_break gives vs a private
 * copy of the copy-on-write page at va: 0, or -EFAULT if it is not one.
 * Both: thread context, no locks held.
 */
int vm_clone(struct vmspace *dst, struct vmspace *src, uaddr_t va, size_t len);
int vm_cow_break(struct vmspace *vs, uaddr_t va);

/*
 * Shared memory and protection (kern/vm_share.c).  vm_share maps the
 * frames of [sva, sva+len) of src, which must all be shared memory
 * (owned and pinned: MemMap's MEM_SHARED or MEM_CONTIG), at dva in dst,
 * which must have nothing mapped there, with VMP_* prot (R, W, X), each
 * page one more holder of its frame: 0, -EINVAL (alignment, not shared
 * memory, overlapping ranges in one space), -EEXIST, -ENOMEM (nothing is
 * left mapped).  vm_protect gives every page of [va, va+len) the access
 * prot (R, W, X; at least one; W implies R); a page whose frame others
 * hold becomes copy-on-write rather than writable: 0, -EINVAL, -ENOMEM
 * (part of the range is not mapped: nothing changes).  Thread context,
 * no locks held.
 */
int vm_share(struct vmspace *dst, uaddr_t dva, struct vmspace *src, uaddr_t sva, size_t len,
    unsigned prot);
int vm_protect(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot);

#endif
