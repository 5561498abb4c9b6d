/*
 * kern/frame.c - the physical frame allocator: a binary buddy over the RAM
 * ranges, with per-CPU caches of order-0 frames in front (kern/frame.h).
 *
 * Block invariant: every managed frame is in exactly one block (free in the
 * buddy, cached, or allocated).  The head frame of a block carries its state
 * and order; every other frame of the block is FRAME_TAIL.  Splitting marks
 * the new upper head, merging marks the absorbed head FRAME_TAIL, so both
 * cost O(1) and a free() of a non-head address is caught by its state.
 */
#ifdef HOST_TEST
#include "host_kern.h"		/* tests/host: config.h and mycpu_id() stand-ins */
#else
#include <kern/cpu.h>
#endif
#include <kern/frame.h>
#include <kern/panic.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <arch/memlayout.h>
#include <abi/errno.h>

#define BLOCK_BYTES(order)	(PAGE_SIZE << (order))

/* A RAM range after page alignment and merging; constant after frame_init(). */
struct frame_seg {
	paddr_t		fs_base;	/* page-aligned */
	paddr_t		fs_end;		/* page-aligned, exclusive */
	struct frame	*fs_frames;	/* metadata of the frame at fs_base */
};

/*
 * One CPU's magazine of free order-0 frames (state FRAME_CACHED).  fc_lock
 * protects the whole struct; see kern/frame.h for who takes it.  fc_count is
 * also read without the lock (atomically) by frame_free_count().
 */
struct frame_cache {
	struct spinlock	fc_lock;
	int		fc_count;
	struct frame	*fc_frames[FRAME_CACHE_SIZE];
} __aligned(64);

/*
 * frame_lock: the global buddy.  Protects free_lists, buddy_nfree, and the
 * state/order of free and tail frames.  A leaf lock, taken from any context
 * with interrupts disabled (spin_lock_irqsave, or spin_lock when a CPU's
 * fc_lock is already held with interrupts off).
 */
static struct spinlock frame_lock = SPINLOCK_INIT("frame");
static struct frame *free_lists[FRAME_MAX_ORDER + 1];	/* frame_lock */
static size_t buddy_nfree;				/* frame_lock */

static struct frame_seg segs[FRAME_MAX_RANGES];		/* const after init */
static int nsegs;
static size_t total_frames;
static struct frame_cache caches[CONFIG_SKIMMER_MAX_CPUS];

/*
 * fr_state is read without the owner's lock in two places (merging looks at
 * a neighbour that may be cached or allocated; the INVARIANTS checks look at
 * a block being freed), so it is accessed atomically.
 */
static inline int
fr_state(const struct frame *f)
{
	return __atomic_load_n(&f->fr_state, __ATOMIC_RELAXED);
}

static inline void
fr_set_state(struct frame *f, int state)
{
	__atomic_store_n(&f->fr_state, (uint8_t)state, __ATOMIC_RELAXED);
}

/* ---- the buddy (frame_lock held) ---------------------------------------- */

static void
list_push(int order, struct frame *f)
{
	f->fr_prev = NULL;
	f->fr_next = free_lists[order];
	if (f->fr_next)
		f->fr_next->fr_prev = f;
	free_lists[order] = f;
}

static void
list_remove(int order, struct frame *f)
{
	if (f->fr_prev)
		f->fr_prev->fr_next = f->fr_next;
	else
		free_lists[order] = f->fr_next;
	if (f->fr_next)
		f->fr_next->fr_prev = f->fr_prev;
	f->fr_next = f->fr_prev = NULL;
}

static struct frame_seg *
seg_of(paddr_t pa)
{
	for (int i = 0; i < nsegs; i++)
		if (pa >= segs[i].fs_base && pa < segs[i].fs_end)
			return &segs[i];
	return NULL;
}

static struct frame *
seg_frame(const struct frame_seg *s, paddr_t pa)
{
	return &s->fs_frames[(pa - s->fs_base) >> PAGE_SHIFT];
}

/* Take a block of exactly `order` from the lists, splitting a larger one. */
static struct frame *
buddy_take(int order)
{
	struct frame *f;
	int o = order;

	while (o <= FRAME_MAX_ORDER && free_lists[o] == NULL)
		o++;
	if (o > FRAME_MAX_ORDER)
		return NULL;
	f = free_lists[o];
	list_remove(o, f);
	while (o > order) {
		struct frame *upper = f + (1UL << --o);

		upper->fr_order = (uint8_t)o;
		fr_set_state(upper, FRAME_FREE);
		list_push(o, upper);
	}
	f->fr_order = (uint8_t)order;
	buddy_nfree -= 1UL << order;
	return f;
}

/* Put a block back, merging it with free buddies as far as they go. */
static void
buddy_put(struct frame *f, int order)
{
	const struct frame_seg *s = seg_of(f->fr_pa);
	paddr_t pa = f->fr_pa;

	buddy_nfree += 1UL << order;
	while (order < FRAME_MAX_ORDER) {
		paddr_t bpa = pa ^ BLOCK_BYTES(order);
		struct frame *b;

		if (bpa < s->fs_base || bpa + BLOCK_BYTES(order) > s->fs_end)
			break;
		b = seg_frame(s, bpa);
		if (fr_state(b) != FRAME_FREE || b->fr_order != order)
			break;
		list_remove(order, b);
		if (bpa < pa) {
			fr_set_state(f, FRAME_TAIL);
			f = b;
			pa = bpa;
		} else {
			fr_set_state(b, FRAME_TAIL);
		}
		order++;
	}
	f->fr_order = (uint8_t)order;
	fr_set_state(f, FRAME_FREE);
	list_push(order, f);
}

/* ---- per-CPU caches ----------------------------------------------------- */

/* Move up to FRAME_CACHE_BATCH frames from the buddy in (fc_lock held). */
static void
cache_refill(struct frame_cache *fc)
{
	struct frame *f;

	spin_lock(&frame_lock);
	while (fc->fc_count < FRAME_CACHE_BATCH && (f = buddy_take(0)) != NULL) {
		fr_set_state(f, FRAME_CACHED);
		fc->fc_frames[fc->fc_count] = f;
		__atomic_store_n(&fc->fc_count, fc->fc_count + 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&frame_lock);
}

/* Give the n oldest (bottom) frames back to the buddy (fc_lock held). */
static void
cache_drain(struct frame_cache *fc, int n)
{
	n = MIN(n, fc->fc_count);
	spin_lock(&frame_lock);
	for (int i = 0; i < n; i++)
		buddy_put(fc->fc_frames[i], 0);
	spin_unlock(&frame_lock);
	memmove(&fc->fc_frames[0], &fc->fc_frames[n],
	    (size_t)(fc->fc_count - n) * sizeof(fc->fc_frames[0]));
	__atomic_store_n(&fc->fc_count, fc->fc_count - n, __ATOMIC_RELAXED);
}

static struct frame_cache *
my_cache(void)
{
	int id = mycpu_id();

	KASSERT_INV(id >= 0 && id < CONFIG_SKIMMER_MAX_CPUS, "cpu id %d", id);
	return &caches[id];
}

static paddr_t
cache_alloc(void)
{
	struct frame_cache *fc = my_cache();
	struct frame *f = NULL;
	unsigned long s = spin_lock_irqsave(&fc->fc_lock);

	if (fc->fc_count == 0)
		cache_refill(fc);
	if (fc->fc_count > 0) {
		f = fc->fc_frames[fc->fc_count - 1];
		__atomic_store_n(&fc->fc_count, fc->fc_count - 1, __ATOMIC_RELAXED);
		fr_set_state(f, FRAME_ALLOC);
	}
	spin_unlock_irqrestore(&fc->fc_lock, s);
	return f ? f->fr_pa : 0;
}

static void
cache_free(struct frame *f)
{
	struct frame_cache *fc = my_cache();
	unsigned long s = spin_lock_irqsave(&fc->fc_lock);

	if (fc->fc_count == FRAME_CACHE_SIZE)
		cache_drain(fc, FRAME_CACHE_BATCH);
	fr_set_state(f, FRAME_CACHED);
	fc->fc_frames[fc->fc_count] = f;
	__atomic_store_n(&fc->fc_count, fc->fc_count + 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&fc->fc_lock, s);
}

static void
drain_one(struct frame_cache *fc)
{
	unsigned long s = spin_lock_irqsave(&fc->fc_lock);

	cache_drain(fc, fc->fc_count);
	spin_unlock_irqrestore(&fc->fc_lock, s);
}

void
frame_drain_cpu_cache(void)
{
	drain_one(my_cache());
}

void
frame_drain_all_caches(void)
{
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		drain_one(&caches[i]);
}

int
frame_cache_count(void)
{
	return __atomic_load_n(&my_cache()->fc_count, __ATOMIC_RELAXED);
}

/* ---- allocation --------------------------------------------------------- */

static paddr_t
buddy_alloc(int order)
{
	unsigned long s = spin_lock_irqsave(&frame_lock);
	struct frame *f = buddy_take(order);

	if (f)
		fr_set_state(f, FRAME_ALLOC);
	spin_unlock_irqrestore(&frame_lock, s);
	return f ? f->fr_pa : 0;
}

static paddr_t
alloc_once(int order)
{
	return order == 0 ? cache_alloc() : buddy_alloc(order);
}

paddr_t
frame_alloc(int order, int flags)
{
	paddr_t pa;

	KASSERT((flags & ~FRAME_ZERO) == 0, "bad flags 0x%x", flags);
	if (order < 0 || order > FRAME_MAX_ORDER)
		return 0;
	pa = alloc_once(order);
	if (pa == 0) {
		/* The missing frames may sit in CPU caches, unmerged. */
		frame_drain_all_caches();
		pa = alloc_once(order);
	}
	if (pa != 0 && (flags & FRAME_ZERO))
		memset(phys_to_virt(pa), 0, BLOCK_BYTES(order));
	return pa;
}

/* Make every frame of an allocated order-n block an order-0 block of its own. */
static void
split_block(struct frame *f, int order)
{
	for (size_t i = 0; i < (1UL << order); i++) {
		f[i].fr_order = 0;
		f[i].fr_share = 0;
		fr_set_state(&f[i], FRAME_ALLOC);
	}
}

paddr_t
frame_alloc_contig(size_t npages, int flags)
{
	int order = 0;
	paddr_t pa;
	struct frame *f;

	if (npages == 0 || npages > (1UL << FRAME_MAX_ORDER))
		return 0;
	while ((1UL << order) < npages)
		order++;
	pa = frame_alloc(order, flags);
	if (pa == 0)
		return 0;
	f = frame_lookup(pa);
	split_block(f, order);	/* ours alone: no lock needed, none is FRAME_FREE */
	for (size_t i = npages; i < (1UL << order); i++)
		frame_free(pa + (i << PAGE_SHIFT), 0);
	return pa;
}

void
frame_free(paddr_t pa, int order)
{
	struct frame *f = frame_lookup(pa);

	KASSERT(f != NULL && (pa & (PAGE_SIZE - 1)) == 0, "bad address 0x%lx", pa);
	KASSERT(order >= 0 && order <= FRAME_MAX_ORDER, "bad order %d", order);
	KASSERT_INV(fr_state(f) != FRAME_FREE && fr_state(f) != FRAME_CACHED,
	    "double free of 0x%lx", pa);
	KASSERT_INV(fr_state(f) == FRAME_ALLOC, "0x%lx is not an allocated block "
	    "(state %d)", pa, fr_state(f));
	KASSERT_INV(f->fr_order == order, "0x%lx freed with order %d, allocated "
	    "with order %d", pa, order, f->fr_order);
	if (order == 0) {
		cache_free(f);
	} else {
		unsigned long s = spin_lock_irqsave(&frame_lock);

		buddy_put(f, order);
		spin_unlock_irqrestore(&frame_lock, s);
	}
}

struct frame *
frame_lookup(paddr_t pa)
{
	struct frame_seg *s = seg_of(pa);

	return s ? seg_frame(s, pa) : NULL;
}

paddr_t
frame_to_pa(const struct frame *fr)
{
	return fr->fr_pa;
}

size_t
frame_free_count(void)
{
	unsigned long s = spin_lock_irqsave(&frame_lock);
	size_t n = buddy_nfree;

	spin_unlock_irqrestore(&frame_lock, s);
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		n += (size_t)__atomic_load_n(&caches[i].fc_count, __ATOMIC_RELAXED);
	return n;
}

size_t
frame_total_count(void)
{
	return total_frames;
}

/* ---- initialisation ----------------------------------------------------- */

/* Page-align r inwards; false if no whole frame is left. */
static bool
range_frames(const struct memrange *r, paddr_t *base, paddr_t *end)
{
	paddr_t e = r->mr_base + r->mr_size;

	if (e < r->mr_base)		/* wraps: clamp to the top */
		e = ~(paddr_t)0;
	*base = ALIGN_UP(r->mr_base, PAGE_SIZE);
	*end = ALIGN_DOWN(e, PAGE_SIZE);
	return *base >= r->mr_base && *base < *end;
}

static bool
overlaps(paddr_t base, paddr_t end, const struct memrange *r)
{
	paddr_t rend = r->mr_base + r->mr_size;

	if (rend < r->mr_base)
		rend = ~(paddr_t)0;
	return r->mr_size != 0 && base < rend && r->mr_base < end;
}

/* Fill segs[] from mem[]: aligned, sorted by base, touching ranges merged. */
static int
make_segs(const struct memrange *mem, int nmem)
{
	nsegs = 0;
	for (int i = 0; i < nmem; i++) {
		paddr_t b, e;
		int j;

		if (!range_frames(&mem[i], &b, &e))
			continue;
		if (nsegs == FRAME_MAX_RANGES)
			return -EINVAL;
		for (j = nsegs; j > 0 && segs[j - 1].fs_base > b; j--)
			segs[j] = segs[j - 1];
		segs[j] = (struct frame_seg){ b, e, NULL };
		nsegs++;
	}
	for (int i = 1; i < nsegs; i++) {
		if (segs[i].fs_base > segs[i - 1].fs_end)
			continue;
		segs[i - 1].fs_end = MAX(segs[i - 1].fs_end, segs[i].fs_end);
		for (int j = i + 1; j < nsegs; j++)
			segs[j - 1] = segs[j];
		nsegs--;
		i--;
	}
	return nsegs > 0 ? 0 : -EINVAL;
}

static size_t
seg_nframes(const struct frame_seg *s)
{
	return (s->fs_end - s->fs_base) >> PAGE_SHIFT;
}

/* Mark a segment's frames: managed ones FRAME_TAIL, reserved ones FRAME_RESERVED. */
static void
seg_mark(struct frame_seg *s, const struct memrange *rsv, int nrsv)
{
	size_t n = seg_nframes(s);

	for (size_t i = 0; i < n; i++) {
		s->fs_frames[i] = (struct frame){ .fr_pa = s->fs_base + (i << PAGE_SHIFT),
		    .fr_state = FRAME_TAIL };
	}
	for (int r = 0; r < nrsv; r++) {
		paddr_t pa;

		if (!overlaps(s->fs_base, s->fs_end, &rsv[r]))
			continue;
		/* Every frame from the one holding the first byte to the last. */
		for (pa = ALIGN_DOWN(MAX(rsv[r].mr_base, s->fs_base), PAGE_SIZE);
		    pa < s->fs_end && overlaps(pa, pa + PAGE_SIZE, &rsv[r]); pa += PAGE_SIZE)
			seg_frame(s, pa)->fr_state = FRAME_RESERVED;
	}
	if (s->fs_base == 0)	/* 0 means "no memory" to frame_alloc's callers */
		s->fs_frames[0].fr_state = FRAME_RESERVED;
}

/* Free the run of n managed frames starting at f, in the largest aligned blocks. */
static void
seg_free_run(struct frame *f, size_t n)
{
	total_frames += n;
	while (n > 0) {
		int o = FRAME_MAX_ORDER;

		while (o > 0 && (((f->fr_pa >> PAGE_SHIFT) & ((1UL << o) - 1)) != 0 ||
		    (1UL << o) > n))
			o--;
		buddy_put(f, o);
		f += 1UL << o;
		n -= 1UL << o;
	}
}

static void
seg_free_all(struct frame_seg *s)
{
	size_t n = seg_nframes(s), i = 0;

	while (i < n) {
		size_t start;

		while (i < n && s->fs_frames[i].fr_state == FRAME_RESERVED)
			i++;
		start = i;
		while (i < n && s->fs_frames[i].fr_state == FRAME_TAIL)
			i++;
		if (i > start)
			seg_free_run(&s->fs_frames[start], i - start);
	}
}

size_t
frame_meta_size(const struct memrange *mem, int nmem)
{
	size_t n = 0;

	for (int i = 0; i < nmem; i++) {
		paddr_t b, e;

		if (range_frames(&mem[i], &b, &e))
			n += (e - b) >> PAGE_SHIFT;
	}
	return n * sizeof(struct frame);
}

static bool
spot_fits(paddr_t pa, size_t size, const struct memrange *mem, int nmem,
    const struct memrange *rsv, int nrsv)
{
	bool inside = false;

	for (int i = 0; i < nmem && !inside; i++) {
		paddr_t b, e;

		inside = range_frames(&mem[i], &b, &e) && pa >= b && pa + size <= e &&
		    pa + size > pa;
	}
	for (int i = 0; i < nrsv && inside; i++)
		inside = !overlaps(pa, pa + size, &rsv[i]);
	return inside;
}

paddr_t
frame_meta_place(const struct memrange *mem, int nmem,
    const struct memrange *rsv, int nrsv, size_t size)
{
	paddr_t best = 0;

	size = ALIGN_UP(size, PAGE_SIZE);
	/* The lowest fit starts at a range's base or right after a reservation. */
	for (int i = 0; i < nmem + nrsv; i++) {
		const struct memrange *r = i < nmem ? &mem[i] : &rsv[i - nmem];
		paddr_t pa = i < nmem ? r->mr_base : r->mr_base + r->mr_size;

		pa = MAX(ALIGN_UP(pa, PAGE_SIZE), PAGE_SIZE);
		if ((best == 0 || pa < best) && spot_fits(pa, size, mem, nmem, rsv, nrsv))
			best = pa;
	}
	return best;
}

int
frame_init(const struct memrange *mem, int nmem,
    const struct memrange *rsv, int nrsv, void *meta, size_t metasize)
{
	struct frame *fr = meta;
	size_t need = 0;
	int err;

	if (((uintptr_t)meta & (_Alignof(struct frame) - 1)) != 0)
		return -EINVAL;
	if ((err = make_segs(mem, nmem)) < 0)
		return err;
	for (int i = 0; i < nsegs; i++)
		need += seg_nframes(&segs[i]) * sizeof(struct frame);
	if (metasize < need) {
		nsegs = 0;
		return -ENOMEM;
	}
	spin_init(&frame_lock, "frame");
	memset(free_lists, 0, sizeof(free_lists));
	buddy_nfree = total_frames = 0;
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++) {
		spin_init(&caches[i].fc_lock, "frame cache");
		caches[i].fc_count = 0;
	}
	for (int i = 0; i < nsegs; i++) {
		segs[i].fs_frames = fr;
		fr += seg_nframes(&segs[i]);
		seg_mark(&segs[i], rsv, nrsv);
		seg_free_all(&segs[i]);
	}
	return total_frames > 0 ? 0 : -EINVAL;
}

static void
add_rsv(struct memrange *rsv, int *n, paddr_t base, uint64_t size)
{
	if (size != 0) {
		rsv[*n].mr_base = base;
		rsv[*n].mr_size = size;
		(*n)++;
	}
}

int
frame_init_boot(const struct bootinfo *bi, paddr_t image_start, paddr_t image_end)
{
	struct memrange rsv[BOOT_MAX_RESERVED + 4];
	int n = 0;
	size_t size = frame_meta_size(bi->bi_mem, bi->bi_nmem);
	paddr_t meta;

	for (int i = 0; i < bi->bi_nreserved && i < BOOT_MAX_RESERVED; i++)
		rsv[n++] = bi->bi_reserved[i];
	add_rsv(rsv, &n, image_start, image_end - image_start);
	if (bi->bi_initrd_start != 0)
		add_rsv(rsv, &n, bi->bi_initrd_start, bi->bi_initrd_end - bi->bi_initrd_start);
	add_rsv(rsv, &n, bi->bi_dtb, bi->bi_dtb_size);
	if (size == 0 || (meta = frame_meta_place(bi->bi_mem, bi->bi_nmem, rsv, n, size)) == 0)
		return -ENOMEM;
	add_rsv(rsv, &n, meta, ALIGN_UP(size, PAGE_SIZE));
	return frame_init(bi->bi_mem, bi->bi_nmem, rsv, n, phys_to_virt(meta), size);
}

/* ---- consistency check -------------------------------------------------- */

static size_t
check_lists(void)
{
	size_t n = 0;

	for (int o = 0; o <= FRAME_MAX_ORDER; o++) {
		for (struct frame *f = free_lists[o]; f != NULL; f = f->fr_next) {
			const struct frame_seg *s = seg_of(f->fr_pa);

			KASSERT(fr_state(f) == FRAME_FREE && f->fr_order == o,
			    "0x%lx on list %d: state %d order %d", f->fr_pa, o,
			    fr_state(f), f->fr_order);
			KASSERT((f->fr_pa & (BLOCK_BYTES(o) - 1)) == 0, "0x%lx misaligned", f->fr_pa);
			KASSERT(s && f->fr_pa + BLOCK_BYTES(o) <= s->fs_end, "0x%lx outside", f->fr_pa);
			KASSERT(f->fr_next == NULL || f->fr_next->fr_prev == f, "bad link");
			n += 1UL << o;
		}
	}
	return n;
}

/* Walk a segment block by block; count free (buddy) and cached frames. */
static void
check_seg(const struct frame_seg *s, size_t *nfree, size_t *ncached)
{
	size_t n = seg_nframes(s), i = 0;

	while (i < n) {
		const struct frame *f = &s->fs_frames[i];
		int st = fr_state(f);
		size_t len = (st == FRAME_FREE || st == FRAME_ALLOC) ? 1UL << f->fr_order : 1;

		KASSERT(st != FRAME_TAIL, "0x%lx: tail outside a block", f->fr_pa);
		KASSERT(i + len <= n, "0x%lx: block overruns its range", f->fr_pa);
		for (size_t j = 1; j < len; j++)
			KASSERT(fr_state(f + j) == FRAME_TAIL, "0x%lx: not a tail",
			    f[j].fr_pa);
		if (st == FRAME_FREE)
			*nfree += len;
		if (st == FRAME_CACHED)
			(*ncached)++;
		i += len;
	}
}

void
frame_check(void)
{
	unsigned long s = spin_lock_irqsave(&frame_lock);
	size_t onlists = check_lists(), nfree = 0, ncached = 0, incaches = 0;

	for (int i = 0; i < nsegs; i++)
		check_seg(&segs[i], &nfree, &ncached);
	KASSERT(onlists == buddy_nfree && nfree == buddy_nfree,
	    "free lists %zu, free frames %zu, count %zu", onlists, nfree, buddy_nfree);
	spin_unlock_irqrestore(&frame_lock, s);
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++) {
		incaches += (size_t)caches[i].fc_count;
		for (int j = 0; j < caches[i].fc_count; j++)
			KASSERT(fr_state(caches[i].fc_frames[j]) == FRAME_CACHED,
			    "cpu %d cache slot %d", i, j);
	}
	KASSERT(ncached == incaches, "cached frames %zu, in caches %zu", ncached, incaches);
}

void
frame_share(paddr_t pa)
{
	__atomic_fetch_add(&frame_lookup(pa)->fr_share, 1, __ATOMIC_RELAXED);
}

void
frame_put(paddr_t pa)
{
	struct frame *f = frame_lookup(pa);
	uint32_t n = __atomic_load_n(&f->fr_share, __ATOMIC_ACQUIRE);

	do {
		if (n == 0) {
			frame_free(pa, 0);	/* the last holder */
			return;
		}
	} while (!__atomic_compare_exchange_n(&f->fr_share, &n, n - 1, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
}

bool
frame_shared(paddr_t pa)
{
	return __atomic_load_n(&frame_lookup(pa)->fr_share, __ATOMIC_ACQUIRE) != 0;
}
