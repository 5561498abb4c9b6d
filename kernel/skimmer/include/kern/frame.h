/*
 * kern/frame.h - the physical frame allocator.
 *
 * A binary buddy allocator over the machine's RAM ranges, in blocks of
 * 2^order frames of PAGE_SIZE bytes (order 0 .. FRAME_MAX_ORDER; an order-n
 * block is aligned to its size in physical address space), with a small
 * per-CPU cache ("magazine") of order-0 frames in front of it.
 *
 * Every managed frame has a struct frame in one metadata array (like Linux's
 * struct page).  Free lists link through struct frame, never through the
 * frames themselves: the allocator never touches the memory it manages
 * (except to clear it for FRAME_ZERO), which is what lets the host unit
 * tests run it on fake physical addresses.
 *
 * Physical address 0 is never handed out: frame_alloc() returns 0 for "no
 * memory".
 *
 * Locking and ownership:
 *  - frame_lock (kern/frame.c) is the one lock of the global buddy: the free
 *    lists, the buddy free count, and fr_state/fr_order of every frame that
 *    is free in the buddy or is a tail inside a block.  It is a leaf: nothing
 *    is taken while it is held.  Taken with spin_lock_irqsave from any
 *    context, interrupt handlers included.
 *  - Each CPU's cache has its own fc_lock, taken by its own CPU on every
 *    order-0 alloc/free and by another CPU only to drain the cache when an
 *    allocation would otherwise fail (frame_drain_all_caches()), so the
 *    common path never contends with other CPUs.  Lock order: fc_lock, then
 *    frame_lock; never two fc_locks at once.
 *  - An allocated block belongs to whoever allocated it, until frame_free().
 *
 * None of the functions below blocks; all may be called from any context
 * once frame_init() has run.
 */
#ifndef KERN_FRAME_H
#define KERN_FRAME_H

#include <kern/types.h>
#include <kern/bootinfo.h>

#define FRAME_MAX_ORDER		10	/* largest block: 2^10 frames = 4 MiB */
#define FRAME_MAX_RANGES	BOOT_MAX_MEM	/* usable RAM ranges after merging */
#define FRAME_CACHE_SIZE	32	/* order-0 frames a CPU cache holds at most */
#define FRAME_CACHE_BATCH	16	/* frames moved per refill/drain */

/* frame_alloc() flags. */
#define FRAME_ZERO		0x1	/* clear the block (through the direct map) */

/* fr_state values. */
#define FRAME_RESERVED		0	/* not managed: reserved or metadata */
#define FRAME_TAIL		1	/* inside a block headed by a lower frame */
#define FRAME_FREE		2	/* head of a free block in the buddy */
#define FRAME_CACHED		3	/* free order-0 frame in a CPU cache */
#define FRAME_ALLOC		4	/* head of an allocated block */

struct frame {
	struct frame	*fr_next;	/* buddy free list (frame_lock) */
	struct frame	*fr_prev;
	paddr_t		fr_pa;		/* physical address of the frame (const) */
	uint8_t		fr_order;	/* order of the block this frame heads */
	uint8_t		fr_state;	/* FRAME_* above; see the locking notes */
	uint32_t	fr_share;	/* atomic: extra address spaces sharing this
					   allocated frame (copy on write); 0: one */
};

/*
 * Bytes of struct frame metadata frame_init() needs for these RAM ranges
 * (an upper bound: overlapping ranges are counted twice).
 */
size_t frame_meta_size(const struct memrange *mem, int nmem);

/*
 * A page-aligned physical spot of `size` bytes inside mem[] that overlaps
 * none of rsv[], for the metadata array; the lowest such spot, or 0 if none.
 * Pure: it only looks at the ranges.
 */
paddr_t frame_meta_place(const struct memrange *mem, int nmem,
    const struct memrange *rsv, int nrsv, size_t size);

/*
 * Set the allocator up: every whole frame in mem[] that overlaps no rsv[]
 * range becomes free.  meta (metasize bytes, at least frame_meta_size())
 * receives the metadata array; if it lies in mem[], the caller must list it
 * in rsv[] too.  Ranges are page-aligned inwards, sorted, and merged where
 * they touch or overlap.  Returns 0, -EINVAL (no usable frame, more than
 * FRAME_MAX_RANGES ranges, or meta misaligned) or -ENOMEM (metasize too
 * small).
 * Boot CPU only, before anyone allocates; may be called again (host tests),
 * which forgets every earlier allocation.
 */
int frame_init(const struct memrange *mem, int nmem,
    const struct memrange *rsv, int nrsv, void *meta, size_t metasize);

/*
 * frame_init() for the booted kernel: RAM from bi->bi_mem[], reserving
 * bi->bi_reserved[], the kernel image [image_start, image_end), the initrd,
 * the device tree and the metadata array, which it places with
 * frame_meta_place() and reaches through the direct map.  0 or -errno.
 */
int frame_init_boot(const struct bootinfo *bi, paddr_t image_start, paddr_t image_end);

/*
 * Allocate a block of 2^order frames, aligned to its size.  flags: 0 or
 * FRAME_ZERO.  Returns its physical address, or 0 if no such block is free
 * (after draining every CPU cache) or order > FRAME_MAX_ORDER.  Never
 * panics on exhaustion.
 */
paddr_t frame_alloc(int order, int flags);

/*
 * Allocate npages (1 .. 2^FRAME_MAX_ORDER) physically contiguous frames,
 * for DMA memory.  The run comes from one buddy block of the next power of
 * two, which is split into order-0 frames: each frame of the run is then
 * an allocated order-0 block of its own, freed one by one with
 * frame_free(pa, 0) or frame_put() (so munmap of part of the run works),
 * and the frames past npages go straight back.  flags: 0 or FRAME_ZERO.
 * Returns the first frame's physical address, or 0 if npages is out of
 * range or no free block is large enough.  Never panics on exhaustion.
 */
paddr_t frame_alloc_contig(size_t npages, int flags);

/*
 * Give back a block from frame_alloc() with the same order.  Panics on an
 * address outside RAM or not page-aligned, or a bad order, and under
 * CONFIG_INVARIANTS on a double free, a wrong order, or an address that is
 * not the head of an allocated block (a tail, a reserved frame).
 */
void frame_free(paddr_t pa, int order);

/*
 * The metadata of the frame containing pa, or NULL if pa lies outside the
 * RAM ranges (reserved frames have one too, in state FRAME_RESERVED).
 */
struct frame *frame_lookup(paddr_t pa);

/*
 * Sharing an allocated order-0 frame between address spaces (copy on
 * write): frame_share adds a holder; frame_put drops one and frees the
 * frame when it was the last.  frame_shared says whether others hold it.
 */
void frame_share(paddr_t pa);
void frame_put(paddr_t pa);
bool frame_shared(paddr_t pa);

/* Physical address of a frame's memory. */
paddr_t frame_to_pa(const struct frame *fr);

/*
 * Free frames, those in CPU caches included.  Exact when no allocation is
 * in flight on another CPU; a snapshot otherwise.
 */
size_t frame_free_count(void);

/* Frames the allocator manages (free right after frame_init()). */
size_t frame_total_count(void);

/* Frames in the calling CPU's cache (for tests). */
int frame_cache_count(void);

/* Return the calling CPU's cached frames to the buddy (tests, low memory). */
void frame_drain_cpu_cache(void);

/* Return every CPU's cached frames to the buddy. */
void frame_drain_all_caches(void);

/*
 * Check every free list and frame state against each other; panics on an
 * inconsistency.  Costly (walks all metadata): tests and INVARIANTS only.
 */
void frame_check(void);

#endif
