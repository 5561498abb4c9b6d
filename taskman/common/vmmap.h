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

struct vm_region {
	struct vm_region *vr_next;	/* sorted by address, disjoint */
	uint64_t	vr_start;
	uint64_t	vr_end;		/* first address past it */
	uint32_t	vr_prot;	/* _PROT_* */
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

#endif
