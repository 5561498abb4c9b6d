/*
 * taskman/common/vmmap.h - the memory manager's record of one address
 * space: which page ranges are mapped and how (program segments, the
 * stack, mmap regions), so mmap can find room and munmap knows what to
 * give back.  Generic (no kernel calls); owned by taskman's server
 * thread.  Addresses and lengths are page multiples (VMMAP_PAGE).
 */
#ifndef TM_VMMAP_H
#define TM_VMMAP_H

#include <stdint.h>

#define VMMAP_PAGE	4096UL

/* vr_prot: the PROT_* bits (the values of _PROT_* and the pager's PF_*) ... */
#define VMMAP_R		0x1
#define VMMAP_W		0x2
#define VMMAP_X		0x4
#define VMMAP_PROT	0x7
/* ... and how the pages come to be. */
#define VMMAP_LAZY	0x100	/* lazy anonymous private memory: reserved, each page
				   zero-filled at its first touch (vmmap_fault) */

struct vm_region {
	struct vm_region *vr_next;	/* sorted by address, disjoint */
	uint64_t	vr_start;
	uint64_t	vr_end;		/* first address past it */
	uint32_t	vr_prot;	/* VMMAP_R/W/X, and VMMAP_LAZY */
	uint64_t	vr_obj;		/* the object mapped here (opaque; 0: none) */
	uint64_t	vr_base;	/* ... and the address of its offset 0 */
};

struct vmmap {
	struct vm_region *vm_regions;
	uint64_t	vm_lo, vm_hi;	/* where mmap without MAP_FIXED may place */
	uint64_t	vm_bytes;	/* mapped bytes, for limits and reports */
};

void vmmap_init(struct vmmap *m, uint64_t lo, uint64_t hi);
void vmmap_fini(struct vmmap *m);

/* dst (uninitialised) becomes a copy of src (fork): 0, or -ENOMEM with dst empty. */
int vmmap_copy(struct vmmap *dst, const struct vmmap *src);

/*
 * Room for len bytes in [vm_lo, vm_hi): at hint if that is free and in
 * the window, else the lowest free address.  0 and *addr, or -ENOMEM.
 */
int vmmap_find(const struct vmmap *m, uint64_t hint, uint64_t len, uint64_t *addr);

/* Record [addr, addr+len) with prot: 0, -EEXIST (overlaps), -EINVAL, -ENOMEM. */
int vmmap_insert(struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot);

/*
 * Tag the region that starts at addr with an object obj (its offset 0
 * at address base): the tag goes with every piece the region is split
 * into, and with fork's copy.  0, or -ENOENT if no region starts there.
 */
int vmmap_tag(struct vmmap *m, uint64_t addr, uint64_t obj, uint64_t base);

/* Does any region of m map obj? */
int vmmap_maps(const struct vmmap *m, uint64_t obj);

/*
 * Forget [addr, addr+len), splitting regions it cuts, and call
 * gone(arg, start, len) for each piece that was mapped (before it is
 * forgotten).  Returns the bytes removed, or -ENOMEM if a split could not
 * be recorded (nothing is changed then).
 */
int64_t vmmap_remove(struct vmmap *m, uint64_t addr, uint64_t len,
    void (*gone)(void *arg, uint64_t start, uint64_t len), void *arg);

/*
 * Is [addr, addr+len) wholly mapped?  0 if so and every page has prot,
 * 1 if wholly mapped with some other protection, -ENOMEM if not wholly
 * mapped.
 */
int vmmap_check(const struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot);

/* The region holding addr, or NULL. */
const struct vm_region *vmmap_lookup(const struct vmmap *m, uint64_t addr);

/*
 * Give [addr, addr+len), which must be wholly recorded, the protection
 * prot (VMMAP_R/W/X), splitting regions it cuts; each piece keeps its
 * VMMAP_LAZY.  0, -ENOMEM (a hole, or no memory for a split: nothing
 * changes), -EINVAL.
 */
int vmmap_protect(struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot);

/*
 * The pager's policy (vmfault.c): what to do about a fault at addr with
 * access (VMMAP_R, W or X) in m.  VMF_FILL with [*start, *start+*len),
 * the cluster-aligned block of up to cluster bytes (a power-of-two
 * multiple of VMMAP_PAGE) around addr clipped to its lazy region, to fill
 * with zeroed pages of *prot; VMF_SEGV if addr is in no region, in one
 * whose protection does not allow the access (a write needs W, a read R
 * or W, an instruction fetch X), or in one that is not lazy (fully
 * mapped: the fault is an access violation).
 */
#define VMF_FILL	0
#define VMF_SEGV	1
int vmmap_fault(const struct vmmap *m, uint64_t addr, uint32_t access, uint64_t cluster,
    uint64_t *start, uint64_t *len, uint32_t *prot);

#endif
