/*
 * kern/kobj.h - kernel object caches (a slab allocator).
 *
 * A cache hands out objects of one size and alignment.  Its memory comes in
 * slabs: order-0 frames from the frame allocator (kern/frame.h), reached
 * through the direct map.  A slab starts with its header, then the objects;
 * a free object's first word links the slab's free list, so an object is at
 * least KOBJ_MIN_SIZE bytes.  A slab whose last object is freed goes back
 * to the frame allocator at once, so a cache with no objects in use holds
 * no frames: free-frame leak checks need no reaping step (except for the
 * few caches that keep one slab: kobj_drain_kept()).
 *
 * Caches are static (struct kobj_cache in the owner's data) and every
 * initialised cache is on one list, for kobj_cache_list() (pidin-style
 * reports and the stress test's baseline).
 *
 * Locking and ownership:
 *  - kc_lock protects a cache's slab lists and counters.  It is a leaf:
 *    frames are allocated and freed with it dropped.  Taken with
 *    spin_lock_irqsave from any context.
 *  - kobj_list_lock (kern/kobj.c) protects the list of caches (kc_next).
 *    Lock order: kobj_list_lock, then a kc_lock.
 *  - The kc_ fields marked const are set by kobj_cache_init() and read
 *    without locking.  An allocated object belongs to its allocator until
 *    kobj_free().
 *
 * No function here blocks.
 */
#ifndef KERN_KOBJ_H
#define KERN_KOBJ_H

#include <kern/types.h>
#include <kern/spinlock.h>

#define KOBJ_MIN_SIZE	16	/* free-list link + room for a poison check */
#define KOBJ_MIN_ALIGN	8

struct kobj_slab;

struct kobj_cache {
	struct spinlock	kc_lock;
	const char	*kc_name;	/* const: for reports */
	size_t		kc_size;	/* const: size asked for */
	size_t		kc_align;	/* const: object alignment */
	size_t		kc_stride;	/* const: bytes from one object to the next */
	size_t		kc_first;	/* const: offset of object 0 in a slab */
	unsigned	kc_per_slab;	/* const: objects per slab */
	struct kobj_slab *kc_partial;	/* slabs with a free object (kc_lock) */
	struct kobj_slab *kc_full;	/* slabs without (kc_lock) */
	size_t		kc_inuse;	/* objects allocated now (kc_lock) */
	size_t		kc_nslabs;	/* slabs, i.e. frames, held (kc_lock) */
	uint64_t	kc_nalloc;	/* allocations ever (kc_lock) */
	uint64_t	kc_nfail;	/* allocations that found no memory (kc_lock) */
	struct kobj_cache *kc_next;	/* all caches (kobj_list_lock) */
	bool		kc_keep;	/* keep the last empty slab (kobj_cache_keep_one) */
};

/* A snapshot of one cache's counters. */
struct kobj_stats {
	const char	*kst_name;
	size_t		kst_size;	/* object size asked for */
	size_t		kst_stride;	/* bytes each object takes */
	unsigned	kst_per_slab;
	size_t		kst_inuse;
	size_t		kst_nslabs;
	uint64_t	kst_nalloc;
	uint64_t	kst_nfail;
};

/*
 * Set up kc for objects of `size` bytes aligned to `align` (a power of two;
 * 0 means KOBJ_MIN_ALIGN) and add it to the list of caches.  name must stay
 * valid.  Returns 0, or -EINVAL if align is not a power of two or no object
 * fits in a slab.  Any CPU; kc must not be on the list already.
 */
int kobj_cache_init(struct kobj_cache *kc, const char *name, size_t size, size_t align);

/*
 * A hot cache (one object allocated and freed again and again, e.g.
 * pulses) keeps its last slab when it empties, instead of handing the
 * frame back and building a new slab for the next object.  Leak checks
 * call kobj_drain_kept() first, which frees such slabs.
 */
void kobj_cache_keep_one(struct kobj_cache *kc);
void kobj_drain_kept(void);

/* Take kc off the list.  Returns 0, or -EBUSY if objects are still in use. */
int kobj_cache_fini(struct kobj_cache *kc);

/*
 * An object from kc (contents undefined), or NULL if no frame is free for a
 * new slab.  Never panics on exhaustion.  Any context.
 */
void *kobj_alloc(struct kobj_cache *kc);

/* kobj_alloc(), with the object cleared. */
void *kobj_zalloc(struct kobj_cache *kc);

/*
 * Give p back to kc.  Panics if p is not an object of kc and, under
 * CONFIG_INVARIANTS, on a double free (and, on the next allocation of it, on
 * a write to a freed object).  Any context.
 */
void kobj_free(struct kobj_cache *kc, void *p);

/* Snapshot kc's counters into *st. */
void kobj_cache_stats(struct kobj_cache *kc, struct kobj_stats *st);

/*
 * Snapshot up to max caches, in the order they were initialised, into
 * out[].  Returns how many caches there are (which may exceed max).
 */
int kobj_cache_list(struct kobj_stats *out, int max);

#endif
