// uses: kernel/skimmer/kern/kobj.c kernel/skimmer/kern/frame.c
/*
 * Host tests of the kernel object caches (kern/kobj.c).  The frame
 * allocator runs over a host arena posing as RAM: its "physical" addresses
 * are chosen so that phys_to_virt() lands back on the arena.
 */
#include "unit.h"
#define HOST_KERN_STUBS
#include "host_kern.h"
#include <pthread.h>
#include <kern/frame.h>
#include <kern/kobj.h>
#include <arch/memlayout.h>
#include <abi/errno.h>

static size_t baseline;

/* RAM of `frames` frames; returns the free-frame baseline. */
static size_t
setup_ram(size_t frames)
{
	size_t size = frames * PAGE_SIZE;
	void *arena = NULL, *meta;
	struct memrange ram;

	CHECK_EQ(posix_memalign(&arena, PAGE_SIZE, size), 0);
	ram.mr_base = (paddr_t)(uintptr_t)arena - DIRECT_MAP_BASE;
	ram.mr_size = size;
	meta = malloc(frame_meta_size(&ram, 1));
	host_cpu_id = 0;
	CHECK_EQ(frame_init(&ram, 1, NULL, 0, meta, frame_meta_size(&ram, 1)), 0);
	baseline = frame_free_count();
	CHECK_EQ(baseline, frames);
	return baseline;
}

static void
check_counters(struct kobj_cache *kc, size_t inuse, size_t nslabs)
{
	struct kobj_stats st;

	kobj_cache_stats(kc, &st);
	CHECK_EQ(st.kst_inuse, inuse);
	CHECK_EQ(st.kst_nslabs, nslabs);
	CHECK_EQ(frame_free_count(), baseline - nslabs);
}

UNIT_TEST(alloc_free_reuse)
{
	static struct kobj_cache kc;
	void *a, *b;

	setup_ram(64);
	CHECK_EQ(kobj_cache_init(&kc, "thing", 40, 0), 0);
	check_counters(&kc, 0, 0);
	a = kobj_alloc(&kc);
	CHECK(a != NULL);
	check_counters(&kc, 1, 1);
	b = kobj_alloc(&kc);
	CHECK(b != NULL && b != a);
	memset(a, 1, 40);
	memset(b, 2, 40);
	kobj_free(&kc, a);
	check_counters(&kc, 1, 1);
	CHECK(kobj_alloc(&kc) == a);		/* the last freed comes back first */
	kobj_free(&kc, a);
	kobj_free(&kc, b);
	check_counters(&kc, 0, 0);		/* the empty slab went back */
	CHECK_EQ(kobj_cache_fini(&kc), 0);
}

UNIT_TEST(init_errors)
{
	static struct kobj_cache kc;

	CHECK_EQ(kobj_cache_init(&kc, "x", 16, 3), -EINVAL);
	CHECK_EQ(kobj_cache_init(&kc, "x", 0, 8), -EINVAL);
	CHECK_EQ(kobj_cache_init(&kc, "x", PAGE_SIZE, 8), -EINVAL);	/* no room beside the header */
	CHECK_EQ(kobj_cache_init(&kc, "x", 64, PAGE_SIZE), -EINVAL);
	CHECK_EQ(kobj_cache_list(NULL, 0), 0);
	CHECK_EQ(kobj_cache_init(&kc, "x", PAGE_SIZE / 2, 8), 0);
	CHECK_EQ(kc.kc_per_slab, 1);
	CHECK_EQ(kobj_cache_fini(&kc), 0);
	CHECK_EQ(kobj_cache_init(&kc, "tiny", 1, 1), 0);
	CHECK_EQ(kc.kc_stride, KOBJ_MIN_SIZE);
	CHECK_EQ(kc.kc_align, KOBJ_MIN_ALIGN);
	CHECK_EQ(kobj_cache_list(NULL, 0), 1);
}

/* Fill every object with its own tag; check none was overwritten. */
static void
fill_and_check(struct kobj_cache *kc, void **objs, size_t n, size_t size, size_t align)
{
	for (size_t i = 0; i < n; i++) {
		objs[i] = kobj_alloc(kc);
		CHECK(objs[i] != NULL);
		CHECK_EQ((uintptr_t)objs[i] & (align - 1), 0);
		memset(objs[i], (int)(i & 0xff), size);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < size; j++)
			CHECK_EQ(((uint8_t *)objs[i])[j], i & 0xff);
}

UNIT_TEST(alignment_and_sizes)
{
	static const size_t sizes[] = { 1, 8, 17, 24, 100, 200, 1000, 2000 };
	static const size_t aligns[] = { 8, 16, 64, 256 };
	static void *objs[600];

	setup_ram(256);
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t a = 0; a < ARRAY_SIZE(aligns); a++) {
			struct kobj_cache kc;
			size_t n = 3 * 4096 / (sizes[s] + 64) + 5;

			CHECK_EQ(kobj_cache_init(&kc, "sized", sizes[s], aligns[a]), 0);
			CHECK(kc.kc_per_slab >= 1);
			CHECK(kc.kc_first + kc.kc_per_slab * kc.kc_stride <= PAGE_SIZE);
			fill_and_check(&kc, objs, n, sizes[s], aligns[a]);
			check_counters(&kc, n, (n + kc.kc_per_slab - 1) / kc.kc_per_slab);
			for (size_t i = 0; i < n; i++)
				kobj_free(&kc, objs[i]);
			check_counters(&kc, 0, 0);
			CHECK_EQ(kobj_cache_fini(&kc), 0);
		}
	}
	CHECK_EQ(frame_free_count(), baseline);
}

UNIT_TEST(exhaustion_returns_null)
{
	static struct kobj_cache kc;
	static void *objs[4096];
	struct kobj_stats st;
	size_t n = 0;
	void *p;

	setup_ram(8);
	CHECK_EQ(kobj_cache_init(&kc, "small", 64, 64), 0);
	while ((p = kobj_alloc(&kc)) != NULL) {
		CHECK(n < ARRAY_SIZE(objs));
		objs[n++] = p;
	}
	CHECK_EQ(n, 8 * kc.kc_per_slab);
	CHECK(kobj_alloc(&kc) == NULL);
	CHECK(kobj_zalloc(&kc) == NULL);
	kobj_cache_stats(&kc, &st);
	CHECK_EQ(st.kst_nfail, 3);
	CHECK_EQ(st.kst_nalloc, n);
	CHECK_EQ(frame_free_count(), 0);
	CHECK_EQ(kobj_cache_fini(&kc), -EBUSY);
	/* Free in an order that leaves slabs partial for a while. */
	for (size_t i = 0; i < n; i += 2)
		kobj_free(&kc, objs[i]);
	check_counters(&kc, n / 2, 8);
	CHECK(kobj_alloc(&kc) == objs[n - 2]);
	kobj_free(&kc, objs[n - 2]);
	for (size_t i = 1; i < n; i += 2)
		kobj_free(&kc, objs[i]);
	check_counters(&kc, 0, 0);
	CHECK_EQ(kobj_cache_fini(&kc), 0);
}

UNIT_TEST(zalloc_clears)
{
	static struct kobj_cache kc;
	uint8_t *p;

	setup_ram(16);
	CHECK_EQ(kobj_cache_init(&kc, "z", 300, 0), 0);
	p = kobj_alloc(&kc);
	memset(p, 0xee, 300);
	kobj_free(&kc, p);
	p = kobj_zalloc(&kc);
	for (int i = 0; i < 300; i++)
		CHECK_EQ(p[i], 0);
	kobj_free(&kc, p);
}

UNIT_TEST(cache_list_and_fini)
{
	static struct kobj_cache a, b, c;
	struct kobj_stats st[4];
	void *pa, *pc[3];

	setup_ram(32);
	CHECK_EQ(kobj_cache_init(&a, "chan", 48, 0), 0);
	CHECK_EQ(kobj_cache_init(&b, "conn", 96, 32), 0);
	CHECK_EQ(kobj_cache_init(&c, "thread", 700, 64), 0);
	pa = kobj_alloc(&a);
	for (int i = 0; i < 3; i++)
		pc[i] = kobj_alloc(&c);
	CHECK_EQ(kobj_cache_list(st, 4), 3);
	CHECK_STR(st[0].kst_name, "chan");
	CHECK_STR(st[1].kst_name, "conn");
	CHECK_STR(st[2].kst_name, "thread");
	CHECK_EQ(st[0].kst_inuse, 1);
	CHECK_EQ(st[1].kst_inuse, 0);
	CHECK_EQ(st[2].kst_inuse, 3);
	CHECK_EQ(st[2].kst_nslabs, 1);
	CHECK_EQ(st[2].kst_size, 700);
	CHECK_EQ(st[2].kst_stride, 704);
	CHECK_EQ(kobj_cache_list(st, 1), 3);	/* counts them all, fills one */
	CHECK_EQ(kobj_cache_fini(&b), 0);
	CHECK_EQ(kobj_cache_list(st, 4), 2);
	CHECK_STR(st[1].kst_name, "thread");
	CHECK_EQ(kobj_cache_fini(&c), -EBUSY);
	for (int i = 0; i < 3; i++)
		kobj_free(&c, pc[i]);
	kobj_free(&a, pa);
	CHECK_EQ(kobj_cache_fini(&c), 0);
	CHECK_EQ(kobj_cache_fini(&a), 0);
	CHECK_EQ(kobj_cache_list(st, 4), 0);
	CHECK_EQ(frame_free_count(), baseline);
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

UNIT_TEST(random_against_shadow)
{
	static struct kobj_cache kc[3];
	static const size_t size[3] = { 16, 136, 520 };
	static struct { uint8_t *p; int c; uint8_t tag; } held[3000];
	uint64_t seed = 42;
	size_t nheld = 0, inuse[3] = { 0 };

	setup_ram(512);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(kobj_cache_init(&kc[i], "rand", size[i], 0), 0);
	for (int step = 0; step < 100000; step++) {
		uint64_t r = rnd(&seed);
		int c = (int)((r >> 8) % 3);

		if (nheld < ARRAY_SIZE(held) && (r & 1)) {
			uint8_t *p = kobj_alloc(&kc[c]);

			CHECK(p != NULL);
			held[nheld].p = p;
			held[nheld].c = c;
			held[nheld].tag = (uint8_t)(r >> 16);
			memset(p, held[nheld].tag, size[c]);
			nheld++;
			inuse[c]++;
		} else if (nheld > 0) {
			size_t i = (r >> 24) % nheld;

			for (size_t j = 0; j < size[held[i].c]; j++)
				CHECK_EQ(held[i].p[j], held[i].tag);
			kobj_free(&kc[held[i].c], held[i].p);
			inuse[held[i].c]--;
			held[i] = held[--nheld];
		}
	}
	for (int i = 0; i < 3; i++)
		CHECK_EQ(kc[i].kc_inuse, inuse[i]);
	while (nheld > 0) {
		nheld--;
		kobj_free(&kc[held[nheld].c], held[nheld].p);
	}
	for (int i = 0; i < 3; i++)
		check_counters(&kc[i], 0, 0);
	CHECK_EQ(frame_free_count(), baseline);
}

/* ---- several CPUs at once ---------------------------------------------- */

static struct kobj_cache shared;

static void *
cpu_thread(void *arg)
{
	void *mine[256];
	uint64_t seed = 77 + (uintptr_t)arg;
	int n = 0;

	host_cpu_id = (int)(uintptr_t)arg;
	for (int step = 0; step < 50000; step++) {
		if (n < 256 && (rnd(&seed) & 1)) {
			uint64_t *p = kobj_alloc(&shared);

			if (p == NULL)
				continue;
			p[1] = p[2] = (uintptr_t)arg;
			mine[n++] = p;
		} else if (n > 0) {
			uint64_t *p = mine[--n];

			if (p[1] != (uintptr_t)arg || p[2] != (uintptr_t)arg)
				panic("object %p shared between cpus", (void *)p);
			kobj_free(&shared, p);
		}
	}
	while (n > 0)
		kobj_free(&shared, mine[--n]);
	return NULL;
}

UNIT_TEST(concurrent_cpus)
{
	pthread_t t[CONFIG_SKIMMER_MAX_CPUS];

	setup_ram(128);
	CHECK_EQ(kobj_cache_init(&shared, "shared", 32, 0), 0);
	for (uintptr_t i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, cpu_thread, (void *)i), 0);
	for (int i = 0; i < CONFIG_SKIMMER_MAX_CPUS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	check_counters(&shared, 0, 0);
	frame_check();
}

/* ---- misuse is caught ---------------------------------------------------- */

static struct kobj_cache mc, other;
static uint8_t *victim;

static void
double_free(void *arg)
{
	kobj_free(&mc, victim);
	kobj_free(&mc, victim);
}

static void
free_to(void *arg)
{
	kobj_free(arg, victim);
}

static void
free_inside(void *arg)
{
	kobj_free(&mc, victim + 8);
}

static void
write_after_free(void *arg)
{
	kobj_free(&mc, victim);
	victim[20] = 1;
	kobj_alloc(&mc);	/* LIFO: hands victim out again, and checks it */
}

UNIT_TEST(misuse_panics)
{
	void *keep;

	setup_ram(16);
	CHECK_EQ(kobj_cache_init(&mc, "misuse", 64, 0), 0);
	CHECK_EQ(kobj_cache_init(&other, "other", 64, 0), 0);
	keep = kobj_alloc(&mc);		/* so the slab stays when victim goes */
	victim = kobj_alloc(&mc);
	CHECK(host_expect_panic(double_free, NULL));
	CHECK(host_expect_panic(free_to, &other));
	CHECK(host_expect_panic(free_inside, NULL));
	CHECK(host_expect_panic(write_after_free, NULL));
	kobj_free(&mc, victim);		/* the right free still works */
	kobj_free(&mc, keep);
	check_counters(&mc, 0, 0);
}
