// uses: kernel/skimmer/kern/frame.c
/*
 * Host tests of the physical frame allocator (kern/frame.c), on fake
 * physical addresses: the allocator never touches the frames it manages.
 * The threads test plays several CPUs at once; FRAME_ZERO and
 * frame_init_boot() run on a real arena reached through phys_to_virt().
 */
#include "unit.h"
#define HOST_KERN_STUBS
#include "host_kern.h"
#include <pthread.h>
#include <kern/frame.h>
#include <arch/memlayout.h>
#include <abi/errno.h>

#define MB		(1UL << 20)
#define KB		(1UL << 10)
#define WIN_BASE	0x80000000UL	/* every fake range lies in this window */
#define WIN_SIZE	(64 * MB)
#define WIN_PAGES	(WIN_SIZE / PAGE_SIZE)

/* Several ranges, unsorted, two of them touching, one unaligned. */
static const struct memrange mem4[] = {
	{ WIN_BASE + 16 * MB + 0x800, 3 * MB },		/* aligned inwards */
	{ WIN_BASE, 8 * MB },
	{ WIN_BASE + 8 * MB, 4 * MB },			/* touches the previous one */
	{ WIN_BASE + 32 * MB, 5 * MB + 12 * KB },
};
static const struct memrange rsv3[] = {
	{ WIN_BASE + 2 * MB, 0x123456 },		/* "kernel image" */
	{ WIN_BASE + 16 * MB + 0x10000, 1 },		/* one byte reserves a frame */
	{ WIN_BASE + 36 * MB, 64 * KB },
};

static void *meta;

static int
setup(const struct memrange *mem, int nmem, const struct memrange *rsv, int nrsv)
{
	size_t size = frame_meta_size(mem, nmem);

	free(meta);
	meta = malloc(size ? size : 1);
	host_cpu_id = 0;
	return frame_init(mem, nmem, rsv, nrsv, meta, size);
}

static void
setup4(void)
{
	CHECK_EQ(setup(mem4, ARRAY_SIZE(mem4), rsv3, ARRAY_SIZE(rsv3)), 0);
}

static bool
in_rsv(paddr_t pa, const struct memrange *rsv, int nrsv)
{
	for (int i = 0; i < nrsv; i++)
		if (rsv[i].mr_size != 0 && pa + PAGE_SIZE > rsv[i].mr_base &&
		    pa < rsv[i].mr_base + rsv[i].mr_size)
			return true;
	return false;
}

/* Frames a brute-force walk of the window finds usable. */
static size_t
expected_total(const struct memrange *mem, int nmem, const struct memrange *rsv, int nrsv)
{
	size_t n = 0;

	for (paddr_t pa = 0; pa < WIN_BASE + WIN_SIZE; pa += PAGE_SIZE) {
		bool in = false;

		if (pa != 0 && pa < WIN_BASE && pa > 1 * MB)
			pa = WIN_BASE;
		for (int i = 0; i < nmem; i++)
			in |= pa >= mem[i].mr_base && pa + PAGE_SIZE <= mem[i].mr_base + mem[i].mr_size;
		n += in && pa != 0 && !in_rsv(pa, rsv, nrsv);
	}
	return n;
}

/* Shadow of the window: which frames are handed out. */
static uint8_t shadow[WIN_PAGES];
static size_t shadow_used;

static void
shadow_alloc(paddr_t pa, int order)
{
	CHECK(pa >= WIN_BASE && pa + (PAGE_SIZE << order) <= WIN_BASE + WIN_SIZE);
	CHECK_EQ(pa & ((PAGE_SIZE << order) - 1), 0);
	for (size_t i = 0; i < (1UL << order); i++) {
		size_t idx = (pa - WIN_BASE) / PAGE_SIZE + i;

		CHECK_EQ(shadow[idx], 0);
		CHECK(!in_rsv(pa + i * PAGE_SIZE, rsv3, ARRAY_SIZE(rsv3)));
		shadow[idx] = 1;
	}
	shadow_used += 1UL << order;
}

static void
shadow_free(paddr_t pa, int order)
{
	for (size_t i = 0; i < (1UL << order); i++)
		shadow[(pa - WIN_BASE) / PAGE_SIZE + i] = 0;
	shadow_used -= 1UL << order;
	frame_free(pa, order);
}

/* Allocate blocks of `order` until none is left; returns how many. */
static size_t
exhaust(int order, paddr_t *out, size_t max)
{
	size_t n = 0;
	paddr_t pa;

	while ((pa = frame_alloc(order, 0)) != 0) {
		CHECK(n < max);
		out[n++] = pa;
	}
	return n;
}

static paddr_t blocks[WIN_PAGES];

UNIT_TEST(init_ranges_and_holes)
{
	setup4();
	/* 8 + 4 merged, 3 MiB less the unaligned head and tail frame, 5 MiB + 12 KiB. */
	CHECK_EQ(frame_total_count(), expected_total(mem4, 4, rsv3, 3));
	CHECK_EQ(frame_total_count(), (12 * MB - 0x124000 + 3 * MB - 2 * PAGE_SIZE +
	    5 * MB + 12 * KB - 64 * KB) / PAGE_SIZE);
	CHECK_EQ(frame_free_count(), frame_total_count());
	CHECK(frame_lookup(WIN_BASE + 20 * MB) == NULL);
	CHECK(frame_lookup(WIN_BASE + 9 * MB) != NULL);
	CHECK_EQ(frame_lookup(WIN_BASE + 2 * MB)->fr_state, FRAME_RESERVED);
	CHECK_EQ(frame_to_pa(frame_lookup(WIN_BASE + 9 * MB + 5)), WIN_BASE + 9 * MB);
	frame_check();
}

UNIT_TEST(reserved_straddling_edges)
{
	static const struct memrange rsv[] = {
		{ WIN_BASE + 32 * MB - 8 * KB, 16 * KB },	/* into a range's head */
		{ WIN_BASE + 37 * MB, 64 * KB },		/* over a range's tail */
		{ WIN_BASE + 12 * MB - 1, 2 },			/* across two ranges' seam */
		{ WIN_BASE + 17 * MB + 1, 0 },			/* empty: reserves nothing */
		{ WIN_BASE + 48 * MB, 4 * MB },			/* outside all RAM */
	};
	paddr_t pa;

	CHECK_EQ(setup(mem4, 4, rsv, ARRAY_SIZE(rsv)), 0);
	CHECK_EQ(frame_total_count(), expected_total(mem4, 4, rsv, ARRAY_SIZE(rsv)));
	CHECK_EQ(frame_lookup(WIN_BASE + 32 * MB + 4 * KB)->fr_state, FRAME_RESERVED);
	CHECK(frame_lookup(WIN_BASE + 32 * MB + 8 * KB)->fr_state != FRAME_RESERVED);
	CHECK(frame_lookup(WIN_BASE + 17 * MB)->fr_state != FRAME_RESERVED);
	frame_check();
	while ((pa = frame_alloc(0, 0)) != 0)
		CHECK(!in_rsv(pa, rsv, ARRAY_SIZE(rsv)));
}

UNIT_TEST(init_errors)
{
	struct memrange tiny = { WIN_BASE + 1, PAGE_SIZE };	/* no whole frame */
	struct memrange many[FRAME_MAX_RANGES + 1];
	size_t size = frame_meta_size(mem4, 4);
	void *m = malloc(size);

	CHECK_EQ(frame_init(&tiny, 1, NULL, 0, m, size), -EINVAL);
	CHECK_EQ(frame_init(mem4, 0, NULL, 0, m, size), -EINVAL);
	CHECK_EQ(frame_init(mem4, 4, NULL, 0, m, size - 1), -ENOMEM);
	CHECK_EQ(frame_init(mem4, 4, NULL, 0, (char *)m + 1, size), -EINVAL);
	CHECK_EQ(frame_init(mem4, 1, mem4, 1, m, size), -EINVAL);	/* all reserved */
	for (int i = 0; i < FRAME_MAX_RANGES + 1; i++)
		many[i] = (struct memrange){ WIN_BASE + 2 * i * MB, MB };
	CHECK_EQ(frame_init(many, FRAME_MAX_RANGES + 1, NULL, 0, m, size), -EINVAL);
	CHECK_EQ(frame_init(many, FRAME_MAX_RANGES, NULL, 0, m, size), 0);
	CHECK_EQ(frame_total_count(), FRAME_MAX_RANGES * MB / PAGE_SIZE);
	free(m);
}

UNIT_TEST(page_zero_never_handed_out)
{
	struct memrange low = { 0, 64 * KB };
	size_t n;

	CHECK_EQ(setup(&low, 1, NULL, 0), 0);
	CHECK_EQ(frame_total_count(), 15);
	n = exhaust(0, blocks, WIN_PAGES);
	CHECK_EQ(n, 15);
	for (size_t i = 0; i < n; i++)
		CHECK(blocks[i] != 0);
}

UNIT_TEST(meta_place)
{
	struct memrange rsv[] = {
		{ WIN_BASE, 2 * MB + 5 },		/* firmware + part of a frame */
		{ WIN_BASE + 3 * MB, MB },
	};
	paddr_t pa;

	pa = frame_meta_place(mem4, 4, rsv, 2, MB - PAGE_SIZE - 10);
	CHECK_EQ(pa, WIN_BASE + 2 * MB + PAGE_SIZE);
	pa = frame_meta_place(mem4, 4, rsv, 2, MB - PAGE_SIZE + 1);	/* one byte too many */
	CHECK_EQ(pa, WIN_BASE + 4 * MB);
	pa = frame_meta_place(mem4, 4, rsv, 2, 12 * MB);	/* no single range holds it */
	CHECK_EQ(pa, 0);
	pa = frame_meta_place(mem4, 4, NULL, 0, 6 * MB);
	CHECK_EQ(pa, WIN_BASE);
	CHECK_EQ(frame_meta_size(mem4, 4), frame_meta_size(mem4, 4) / sizeof(struct frame) *
	    sizeof(struct frame));
}

UNIT_TEST(exhaust_and_return_to_baseline)
{
	size_t base, n, maxblocks;

	setup4();
	base = frame_free_count();
	maxblocks = exhaust(FRAME_MAX_ORDER, blocks, WIN_PAGES);
	CHECK(maxblocks >= 2);
	for (size_t i = 0; i < maxblocks; i++)
		frame_free(blocks[i], FRAME_MAX_ORDER);
	CHECK_EQ(frame_free_count(), base);

	for (int round = 0; round < 3; round++) {
		n = exhaust(0, blocks, WIN_PAGES);
		CHECK_EQ(n, base);
		CHECK_EQ(frame_free_count(), 0);
		CHECK_EQ(frame_alloc(0, 0), 0);
		CHECK_EQ(frame_alloc(3, 0), 0);
		for (size_t i = 0; i < n; i++)
			shadow_alloc(blocks[i], 0);
		frame_check();
		for (size_t i = 0; i < n; i++)
			shadow_free(blocks[i], 0);
		CHECK_EQ(frame_free_count(), base);
		frame_check();
	}
	/* Everything coalesced again: as many 4 MiB blocks as at the start. */
	frame_drain_all_caches();
	CHECK_EQ(exhaust(FRAME_MAX_ORDER, blocks, WIN_PAGES), maxblocks);
}

UNIT_TEST(coalescing_after_fragmentation)
{
	size_t n, maxblocks;

	setup4();
	maxblocks = exhaust(FRAME_MAX_ORDER, blocks, WIN_PAGES);
	for (size_t i = 0; i < maxblocks; i++)
		frame_free(blocks[i], FRAME_MAX_ORDER);
	n = exhaust(0, blocks, WIN_PAGES);
	/* Free the odd frames, then the even ones: nothing can merge until the end. */
	for (size_t i = 1; i < n; i += 2)
		frame_free(blocks[i], 0);
	frame_drain_cpu_cache();
	CHECK_EQ(frame_alloc(1, 0), 0);
	CHECK_EQ(frame_free_count(), n / 2);
	for (size_t i = 0; i < n; i += 2)
		frame_free(blocks[i], 0);
	frame_drain_cpu_cache();
	frame_check();
	CHECK_EQ(exhaust(FRAME_MAX_ORDER, blocks, WIN_PAGES), maxblocks);
}

UNIT_TEST(alignment_of_every_order)
{
	setup4();
	for (int o = 0; o <= FRAME_MAX_ORDER; o++) {
		paddr_t pa = frame_alloc(o, 0);

		CHECK(pa != 0);
		shadow_alloc(pa, o);
	}
	CHECK_EQ(frame_alloc(FRAME_MAX_ORDER + 1, 0), 0);
	CHECK_EQ(frame_alloc(-1, 0), 0);
	CHECK_EQ(frame_free_count(), frame_total_count() - shadow_used);
	frame_check();
}

/* DMA runs: contiguous, freed frame by frame, the excess given back at once. */
UNIT_TEST(contiguous_runs)
{
	size_t total;
	paddr_t pa, big;

	setup4();
	total = frame_free_count();
	CHECK_EQ(frame_alloc_contig(0, 0), 0);
	CHECK_EQ(frame_alloc_contig((1UL << FRAME_MAX_ORDER) + 1, 0), 0);
	pa = frame_alloc_contig(5, 0);			/* from an order-3 block */
	CHECK(pa != 0 && (pa & (8 * PAGE_SIZE - 1)) == 0);
	CHECK_EQ(frame_free_count(), total - 5);	/* the other 3 went back */
	frame_check();
	frame_free(pa + 2 * PAGE_SIZE, 0);		/* any frame alone (munmap of a part) */
	for (int i = 0; i < 5; i++)
		if (i != 2)
			frame_free(pa + (paddr_t)i * PAGE_SIZE, 0);
	frame_drain_cpu_cache();
	frame_check();
	CHECK_EQ(frame_free_count(), total);
	big = frame_alloc_contig(1UL << FRAME_MAX_ORDER, 0);
	CHECK(big != 0);
	for (size_t i = 0; i < (1UL << FRAME_MAX_ORDER); i++)
		frame_free(big + i * PAGE_SIZE, 0);
	frame_drain_cpu_cache();
	CHECK_EQ(frame_free_count(), total);
	/* Exhausted (only order-0 frames left): 0, never a panic. */
	while ((pa = frame_alloc(1, 0)) != 0)
		shadow_alloc(pa, 1);
	CHECK_EQ(frame_alloc_contig(2, 0), 0);
	CHECK(frame_alloc_contig(1, 0) != 0 || frame_free_count() == 0);
	frame_check();
}

UNIT_TEST(mixed_orders_never_overlap_reserved)
{
	setup4();
	for (int o = FRAME_MAX_ORDER; o >= 0; o--) {
		paddr_t pa;

		while ((pa = frame_alloc(o, 0)) != 0)
			shadow_alloc(pa, o);
	}
	CHECK_EQ(shadow_used, frame_total_count());
	CHECK_EQ(frame_free_count(), 0);
	frame_check();
}

UNIT_TEST(percpu_cache_accounting)
{
	size_t base;
	paddr_t pa[FRAME_CACHE_SIZE * 2];

	setup4();
	base = frame_free_count();
	pa[0] = frame_alloc(0, 0);
	CHECK_EQ(frame_cache_count(), FRAME_CACHE_BATCH - 1);
	CHECK_EQ(frame_free_count(), base - 1);
	frame_free(pa[0], 0);
	CHECK_EQ(frame_cache_count(), FRAME_CACHE_BATCH);
	CHECK_EQ(frame_free_count(), base);

	/* Frames freed on cpu 1 land in cpu 1's cache, which drains in batches. */
	for (int i = 0; i < FRAME_CACHE_SIZE * 2; i++)
		pa[i] = frame_alloc(0, 0);
	host_cpu_id = 1;
	CHECK_EQ(frame_cache_count(), 0);
	for (int i = 0; i < FRAME_CACHE_SIZE * 2; i++) {
		frame_free(pa[i], 0);
		CHECK(frame_cache_count() <= FRAME_CACHE_SIZE);
		CHECK(frame_cache_count() > 0);
	}
	CHECK_EQ(frame_free_count(), base);
	frame_check();
	frame_drain_cpu_cache();
	CHECK_EQ(frame_cache_count(), 0);
	CHECK_EQ(frame_free_count(), base);
	host_cpu_id = 0;
	frame_drain_cpu_cache();
	CHECK_EQ(frame_cache_count(), 0);
	CHECK_EQ(frame_free_count(), base);
	frame_check();
}

UNIT_TEST(exhaustion_reclaims_other_caches)
{
	size_t base, n;

	setup4();
	base = frame_free_count();
	for (int c = 1; c < CONFIG_SKIMMER_MAX_CPUS; c++) {
		host_cpu_id = c;
		frame_free(frame_alloc(0, 0), 0);
		CHECK(frame_cache_count() > 0);
	}
	host_cpu_id = 0;
	n = exhaust(0, blocks, WIN_PAGES);
	CHECK_EQ(n, base);
	for (size_t i = 0; i < n; i++)
		frame_free(blocks[i], 0);
	/* A max-order request drains the caches to find its block. */
	n = exhaust(FRAME_MAX_ORDER, blocks, WIN_PAGES);
	CHECK(n >= 2);
	for (size_t i = 0; i < n; i++)
		frame_free(blocks[i], FRAME_MAX_ORDER);
	CHECK_EQ(frame_free_count(), base);
}

/* xorshift: reproducible pseudo-random numbers. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct held {
	paddr_t	h_pa;
	int	h_order;
};

UNIT_TEST(random_against_shadow)
{
	static struct held held[4096];
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t nheld = 0;

	setup4();
	for (int step = 0; step < 200000; step++) {
		uint64_t r = rnd(&seed);
		host_cpu_id = (int)(r >> 60) % CONFIG_SKIMMER_MAX_CPUS;
		if (nheld < ARRAY_SIZE(held) && (r & 3) != 0) {
			int o = (r >> 8) % 8 == 0 ? (int)((r >> 16) % (FRAME_MAX_ORDER + 1)) : 0;
			paddr_t pa = frame_alloc(o, 0);

			if (pa == 0) {
				CHECK(frame_free_count() < frame_total_count() - shadow_used + 1 ||
				    o > 0);
				continue;
			}
			shadow_alloc(pa, o);
			held[nheld++] = (struct held){ pa, o };
		} else if (nheld > 0) {
			size_t i = (r >> 20) % nheld;

			shadow_free(held[i].h_pa, held[i].h_order);
			held[i] = held[--nheld];
		}
		CHECK_EQ(frame_free_count(), frame_total_count() - shadow_used);
		if (step % 20000 == 0)
			frame_check();
	}
	while (nheld > 0) {
		nheld--;
		shadow_free(held[nheld].h_pa, held[nheld].h_order);
	}
	CHECK_EQ(frame_free_count(), frame_total_count());
	frame_check();
}

/* ---- several CPUs at once ---------------------------------------------- */

static uint8_t owner[WIN_PAGES];	/* atomically: 0 free, else cpu + 1 */

static void *
cpu_thread(void *arg)
{
	static __thread struct held mine[512];
	uint64_t seed = 0x1234567ULL * ((uintptr_t)arg + 1);
	size_t n = 0;

	host_cpu_id = (int)(uintptr_t)arg;
	for (int step = 0; step < 100000; step++) {
		uint64_t r = rnd(&seed);

		if (n < ARRAY_SIZE(mine) && (r & 1)) {
			int o = (r >> 8) % 16 == 0 ? (int)((r >> 12) % 4) : 0;
			paddr_t pa = frame_alloc(o, 0);

			if (pa == 0)
				continue;
			for (size_t i = 0; i < (1UL << o); i++) {
				uint8_t *ow = &owner[(pa - WIN_BASE) / PAGE_SIZE + i];

				if (__atomic_exchange_n(ow, host_cpu_id + 1, __ATOMIC_RELAXED) != 0)
					panic("frame 0x%lx handed out twice", pa + i * PAGE_SIZE);
			}
			mine[n++] = (struct held){ pa, o };
		} else if (n > 0) {
			struct held h = mine[--n];

			for (size_t i = 0; i < (1UL << h.h_order); i++)
				__atomic_store_n(&owner[(h.h_pa - WIN_BASE) / PAGE_SIZE + i], 0,
				    __ATOMIC_RELAXED);
			frame_free(h.h_pa, h.h_order);
		}
	}
	while (n > 0) {
		n--;
		for (size_t i = 0; i < (1UL << mine[n].h_order); i++)
			owner[(mine[n].h_pa - WIN_BASE) / PAGE_SIZE + i] = 0;
		frame_free(mine[n].h_pa, mine[n].h_order);
	}
	return NULL;
}

UNIT_TEST(concurrent_cpus)
{
	/* Little memory, so the CPUs run dry and drain each other's caches. */
	struct memrange small = { WIN_BASE, 2 * MB };
	pthread_t t[CONFIG_SKIMMER_MAX_CPUS];

	CHECK_EQ(setup(&small, 1, NULL, 0), 0);
	for (uintptr_t i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, cpu_thread, (void *)i), 0);
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(frame_free_count(), frame_total_count());
	frame_check();
	frame_drain_all_caches();
	CHECK_EQ(exhaust(8, blocks, WIN_PAGES), 2);
}

/* ---- misuse is caught ---------------------------------------------------- */

static paddr_t victim;

static void
double_free(void *arg)
{
	frame_free(victim, (int)(uintptr_t)arg);
	frame_free(victim, (int)(uintptr_t)arg);
}

static void
free_wrong_order(void *arg)
{
	frame_free(victim, 1);
}

static void
free_addr(void *arg)
{
	frame_free((paddr_t)(uintptr_t)arg, 0);
}

UNIT_TEST(misuse_panics)
{
	setup4();
	victim = frame_alloc(0, 0);
	CHECK(host_expect_panic(double_free, (void *)0));
	frame_free(victim, 0);
	frame_drain_cpu_cache();	/* also caught once the frame is back in the buddy */
	victim = frame_alloc(2, 0);
	CHECK(host_expect_panic(double_free, (void *)2));
	CHECK(host_expect_panic(free_wrong_order, NULL));
	CHECK(host_expect_panic(free_addr, (void *)(uintptr_t)(victim + PAGE_SIZE)));	/* a tail */
	CHECK(host_expect_panic(free_addr, (void *)(uintptr_t)(victim + 1)));
	CHECK(host_expect_panic(free_addr, (void *)(uintptr_t)(WIN_BASE + 2 * MB)));	/* reserved */
	CHECK(host_expect_panic(free_addr, (void *)(uintptr_t)(WIN_BASE + 20 * MB)));	/* no RAM */
	CHECK(host_expect_panic(free_addr, (void *)(uintptr_t)(victim + 4 * PAGE_SIZE)));	/* free */
	frame_free(victim, 2);	/* the right free still works */
	CHECK_EQ(frame_free_count(), frame_total_count());
	frame_check();
}

/* ---- real memory through the direct map --------------------------------- */

/* A host arena posing as RAM: its "physical" address maps back onto it. */
static paddr_t
arena_pa(size_t size)
{
	void *p = NULL;

	CHECK_EQ(posix_memalign(&p, PAGE_SIZE << FRAME_MAX_ORDER, size), 0);
	memset(p, 0xa5, size);
	return (paddr_t)(uintptr_t)p - DIRECT_MAP_BASE;
}

UNIT_TEST(init_boot_and_zero)
{
	static struct bootinfo bi;
	paddr_t ram = arena_pa(16 * MB), pa;
	const uint8_t *p;

	bi.bi_mem[0] = (struct memrange){ ram, 16 * MB };
	bi.bi_nmem = 1;
	bi.bi_reserved[0] = (struct memrange){ ram, 256 * KB };	/* firmware */
	bi.bi_nreserved = 1;
	bi.bi_initrd_start = ram + 8 * MB;
	bi.bi_initrd_end = ram + 9 * MB + 1;
	bi.bi_dtb = ram + 15 * MB;
	bi.bi_dtb_size = 0x2000;
	host_cpu_id = 0;
	CHECK_EQ(frame_init_boot(&bi, ram + 2 * MB, ram + 3 * MB), 0);
	/* Firmware, image, initrd, dtb and the metadata itself are out. */
	CHECK_EQ(frame_total_count(), (16 * MB - 256 * KB - MB - MB - PAGE_SIZE - 0x2000 -
	    ALIGN_UP(frame_meta_size(bi.bi_mem, 1), PAGE_SIZE)) / PAGE_SIZE);
	CHECK_EQ(frame_lookup(ram + 256 * KB)->fr_state, FRAME_RESERVED);	/* metadata */
	CHECK_EQ(frame_lookup(ram + 9 * MB)->fr_state, FRAME_RESERVED);	/* initrd's last byte */
	frame_check();
	pa = frame_alloc(3, FRAME_ZERO);
	p = phys_to_virt(pa);
	for (size_t i = 0; i < (PAGE_SIZE << 3); i++)
		CHECK_EQ(p[i], 0);
	CHECK_EQ(*(const uint8_t *)phys_to_virt(pa + (PAGE_SIZE << 3)), 0xa5);
	frame_free(pa, 3);
	CHECK_EQ(frame_free_count(), frame_total_count());
}
