/*
 * kern/kobj.c - kernel object caches: one-frame slabs with a free list
 * threaded through the free objects (kern/kobj.h).
 *
 * Each slab also keeps a bitmap of its allocated objects, which makes a
 * double free detectable in O(1).  Under CONFIG_INVARIANTS free objects are
 * filled with KOBJ_POISON past their link word, and the fill is checked when
 * the object is handed out again, to catch writes after free.
 */
#ifdef HOST_TEST
#include "host_kern.h"		/* tests/host: config.h stand-ins */
#endif
#include <kern/kobj.h>
#include <kern/frame.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <arch/memlayout.h>
#include <abi/errno.h>

#define SLAB_MAGIC	0x6b6f626aU	/* "kobj" */
#define KOBJ_POISON	0x6b
#define MAP_WORDS	4

/* The header at the start of every slab's frame; kc_lock protects it. */
struct kobj_slab {
	struct kobj_cache *sb_cache;	/* const */
	struct kobj_slab *sb_next;	/* on kc_partial or kc_full */
	struct kobj_slab *sb_prev;
	void		*sb_free;	/* first free object */
	paddr_t		sb_pa;		/* the frame (const) */
	uint32_t	sb_magic;	/* SLAB_MAGIC (const) */
	uint32_t	sb_inuse;	/* objects allocated */
	uint64_t	sb_map[MAP_WORDS];	/* bit i set: object i allocated */
};

_Static_assert(MAP_WORDS * 64 >= (PAGE_SIZE - sizeof(struct kobj_slab)) / KOBJ_MIN_SIZE,
    "the bitmap covers the most objects a slab can hold");

/* kobj_list_lock: the list of caches (kc_next).  Taken before any kc_lock. */
static struct spinlock kobj_list_lock = SPINLOCK_INIT("kobj list");
static struct kobj_cache *kobj_caches;		/* kobj_list_lock */

/* ---- slab lists (kc_lock held) ------------------------------------------ */

static void
slab_push(struct kobj_slab **head, struct kobj_slab *sb)
{
	sb->sb_prev = NULL;
	sb->sb_next = *head;
	if (sb->sb_next)
		sb->sb_next->sb_prev = sb;
	*head = sb;
}

static void
slab_remove(struct kobj_slab **head, struct kobj_slab *sb)
{
	if (sb->sb_prev)
		sb->sb_prev->sb_next = sb->sb_next;
	else
		*head = sb->sb_next;
	if (sb->sb_next)
		sb->sb_next->sb_prev = sb->sb_prev;
	sb->sb_next = sb->sb_prev = NULL;
}

static void *
slab_obj(const struct kobj_cache *kc, struct kobj_slab *sb, unsigned i)
{
	return (char *)sb + kc->kc_first + i * kc->kc_stride;
}

/* Fill a free object with poison past its link word (INVARIANTS only). */
static void
poison(const struct kobj_cache *kc, void *p)
{
#ifdef CONFIG_INVARIANTS
	memset((char *)p + sizeof(void *), KOBJ_POISON, kc->kc_stride - sizeof(void *));
#endif
}

static void
check_poison(const struct kobj_cache *kc, const void *p)
{
#ifdef CONFIG_INVARIANTS
	const uint8_t *b = p;

	for (size_t i = sizeof(void *); i < kc->kc_stride; i++)
		KASSERT(b[i] == KOBJ_POISON, "%s: object %p written after free "
		    "(byte %zu)", kc->kc_name, p, i);
#endif
}

/* A new slab with every object free, or NULL if no frame is free. */
static struct kobj_slab *
slab_new(struct kobj_cache *kc)
{
	paddr_t pa = frame_alloc(0, 0);
	struct kobj_slab *sb;

	if (pa == 0)
		return NULL;
	sb = phys_to_virt(pa);
	memset(sb, 0, sizeof(*sb));
	sb->sb_cache = kc;
	sb->sb_pa = pa;
	sb->sb_magic = SLAB_MAGIC;
	for (unsigned i = kc->kc_per_slab; i-- > 0;) {
		void **obj = slab_obj(kc, sb, i);

		poison(kc, obj);
		*obj = sb->sb_free;
		sb->sb_free = obj;
	}
	return sb;
}

/* ---- allocation --------------------------------------------------------- */

/* Take an object from the first partial slab (kc_lock held, one exists). */
static void *
take_obj(struct kobj_cache *kc)
{
	struct kobj_slab *sb = kc->kc_partial;
	void **obj = sb->sb_free;
	unsigned i = (unsigned)(((char *)obj - (char *)sb - kc->kc_first) / kc->kc_stride);

	sb->sb_free = *obj;
	sb->sb_map[i / 64] |= 1ULL << (i % 64);
	sb->sb_inuse++;
	if (sb->sb_free == NULL) {
		slab_remove(&kc->kc_partial, sb);
		slab_push(&kc->kc_full, sb);
	}
	kc->kc_inuse++;
	kc->kc_nalloc++;
	return obj;
}

void *
kobj_alloc(struct kobj_cache *kc)
{
	unsigned long s = spin_lock_irqsave(&kc->kc_lock);
	void **obj;

	if (kc->kc_partial == NULL) {
		struct kobj_slab *sb;

		/* kc_lock is a leaf: get the frame without it. */
		spin_unlock_irqrestore(&kc->kc_lock, s);
		sb = slab_new(kc);
		s = spin_lock_irqsave(&kc->kc_lock);
		if (sb == NULL) {
			kc->kc_nfail++;
			spin_unlock_irqrestore(&kc->kc_lock, s);
			return NULL;
		}
		slab_push(&kc->kc_partial, sb);
		kc->kc_nslabs++;
	}
	obj = take_obj(kc);
	spin_unlock_irqrestore(&kc->kc_lock, s);
	check_poison(kc, obj);
	return obj;
}

void *
kobj_zalloc(struct kobj_cache *kc)
{
	void *p = kobj_alloc(kc);

	if (p != NULL)
		memset(p, 0, kc->kc_size);
	return p;
}

/* The slab holding p, and p's index in it; panics if p is not kc's. */
static struct kobj_slab *
slab_of(struct kobj_cache *kc, void *p, unsigned *idx)
{
	struct kobj_slab *sb = (struct kobj_slab *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	uintptr_t off = (uintptr_t)p - (uintptr_t)sb;

	KASSERT(p != NULL && sb->sb_magic == SLAB_MAGIC && sb->sb_cache == kc,
	    "%s: %p is not an object of this cache", kc->kc_name, p);
	KASSERT(off >= kc->kc_first && (off - kc->kc_first) % kc->kc_stride == 0,
	    "%s: %p is not the start of an object", kc->kc_name, p);
	*idx = (unsigned)((off - kc->kc_first) / kc->kc_stride);
	KASSERT(*idx < kc->kc_per_slab, "%s: %p past the last object", kc->kc_name, p);
	return sb;
}

void
kobj_free(struct kobj_cache *kc, void *p)
{
	unsigned i;
	struct kobj_slab *sb = slab_of(kc, p, &i);
	unsigned long s = spin_lock_irqsave(&kc->kc_lock);
	bool was_full = sb->sb_free == NULL;

	KASSERT_INV(sb->sb_map[i / 64] & (1ULL << (i % 64)), "%s: double free of %p",
	    kc->kc_name, p);
	sb->sb_map[i / 64] &= ~(1ULL << (i % 64));
	poison(kc, p);
	*(void **)p = sb->sb_free;
	sb->sb_free = p;
	sb->sb_inuse--;
	kc->kc_inuse--;
	if (was_full)
		slab_remove(&kc->kc_full, sb);
	else
		slab_remove(&kc->kc_partial, sb);
	if (sb->sb_inuse > 0 || (kc->kc_keep && kc->kc_nslabs == 1)) {
		slab_push(&kc->kc_partial, sb);		/* (or kept: kobj_cache_keep_one) */
		sb = NULL;
	} else {
		kc->kc_nslabs--;
	}
	spin_unlock_irqrestore(&kc->kc_lock, s);
	if (sb != NULL) {
		sb->sb_magic = 0;
		frame_free(sb->sb_pa, 0);
	}
}

/* ---- caches ------------------------------------------------------------- */

/* Add kc at the end of the list of caches, so reports keep creation order. */
static void
list_append(struct kobj_cache *kc)
{
	unsigned long s = spin_lock_irqsave(&kobj_list_lock);
	struct kobj_cache **pp = &kobj_caches;

	while (*pp != NULL) {
		KASSERT(*pp != kc, "cache %s initialised twice", kc->kc_name);
		pp = &(*pp)->kc_next;
	}
	*pp = kc;
	spin_unlock_irqrestore(&kobj_list_lock, s);
}

int
kobj_cache_init(struct kobj_cache *kc, const char *name, size_t size, size_t align)
{
	if (align == 0)
		align = KOBJ_MIN_ALIGN;
	if ((align & (align - 1)) != 0 || size == 0 || size > PAGE_SIZE)
		return -EINVAL;
	memset(kc, 0, sizeof(*kc));
	spin_init(&kc->kc_lock, name);
	kc->kc_name = name;
	kc->kc_size = size;
	kc->kc_align = MAX(align, KOBJ_MIN_ALIGN);
	kc->kc_stride = ALIGN_UP(MAX(size, (size_t)KOBJ_MIN_SIZE), kc->kc_align);
	kc->kc_first = ALIGN_UP(sizeof(struct kobj_slab), kc->kc_align);
	if (kc->kc_first >= PAGE_SIZE || (PAGE_SIZE - kc->kc_first) / kc->kc_stride == 0)
		return -EINVAL;
	kc->kc_per_slab = (unsigned)((PAGE_SIZE - kc->kc_first) / kc->kc_stride);
	list_append(kc);
	return 0;
}

int
kobj_cache_fini(struct kobj_cache *kc)
{
	unsigned long s = spin_lock_irqsave(&kobj_list_lock);
	struct kobj_cache **pp = &kobj_caches;
	int err = 0;

	spin_lock(&kc->kc_lock);
	if (kc->kc_inuse != 0 || kc->kc_keep) {
		err = -EBUSY;		/* (kept caches are static and never finished) */
	} else {
		while (*pp != NULL && *pp != kc)
			pp = &(*pp)->kc_next;
		KASSERT(*pp == kc, "cache %s is not on the list", kc->kc_name);
		*pp = kc->kc_next;
		kc->kc_next = NULL;
	}
	spin_unlock(&kc->kc_lock);
	spin_unlock_irqrestore(&kobj_list_lock, s);
	return err;
}

/* Fill *st (kc_lock held). */
static void
stats_locked(const struct kobj_cache *kc, struct kobj_stats *st)
{
	st->kst_name = kc->kc_name;
	st->kst_size = kc->kc_size;
	st->kst_stride = kc->kc_stride;
	st->kst_per_slab = kc->kc_per_slab;
	st->kst_inuse = kc->kc_inuse;
	st->kst_nslabs = kc->kc_nslabs;
	st->kst_nalloc = kc->kc_nalloc;
	st->kst_nfail = kc->kc_nfail;
}

void
kobj_cache_stats(struct kobj_cache *kc, struct kobj_stats *st)
{
	unsigned long s = spin_lock_irqsave(&kc->kc_lock);

	stats_locked(kc, st);
	spin_unlock_irqrestore(&kc->kc_lock, s);
}

int
kobj_cache_list(struct kobj_stats *out, int max)
{
	unsigned long s = spin_lock_irqsave(&kobj_list_lock);
	int n = 0;

	for (struct kobj_cache *kc = kobj_caches; kc != NULL; kc = kc->kc_next, n++) {
		if (n >= max)
			continue;
		spin_lock(&kc->kc_lock);
		stats_locked(kc, &out[n]);
		spin_unlock(&kc->kc_lock);
	}
	spin_unlock_irqrestore(&kobj_list_lock, s);
	return n;
}

void
kobj_cache_keep_one(struct kobj_cache *kc)
{
	unsigned long s = spin_lock_irqsave(&kc->kc_lock);

	kc->kc_keep = true;
	spin_unlock_irqrestore(&kc->kc_lock, s);
}

/* Take kc's empty kept slab off its list (kc_lock held); NULL if it has none. */
static struct kobj_slab *
kept_slab(struct kobj_cache *kc)
{
	struct kobj_slab *sb = kc->kc_partial;

	if (!kc->kc_keep || sb == NULL || sb->sb_inuse != 0)
		return NULL;
	slab_remove(&kc->kc_partial, sb);
	kc->kc_nslabs--;
	return sb;
}

void
kobj_drain_kept(void)
{
	unsigned long s = spin_lock_irqsave(&kobj_list_lock);

	for (struct kobj_cache *kc = kobj_caches; kc != NULL; kc = kc->kc_next) {
		struct kobj_slab *sb;

		spin_lock(&kc->kc_lock);
		sb = kept_slab(kc);
		spin_unlock(&kc->kc_lock);
		if (sb != NULL) {
			sb->sb_magic = 0;
			frame_free(sb->sb_pa, 0);	/* frame_lock is a leaf: fine here */
		}
	}
	spin_unlock_irqrestore(&kobj_list_lock, s);
}
