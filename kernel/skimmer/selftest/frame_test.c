/*
 * selftest/frame_test.c - the frame allocator and the kobj caches on the
 * real machine: run the allocator dry, give everything back, and check that
 * the free counts return exactly to where they started.
 *
 * These assume nothing else allocates while they run (the self-tests run
 * before any other kernel activity).  Allocated frames are chained through
 * their own first word, so a test needs no memory of its own to remember
 * them.
 */
#include <kern/frame.h>
#include <kern/kobj.h>
#include <kern/ktest.h>
#include <kern/string.h>
#include <arch/memlayout.h>
#include "kt_util.h"

/* Push / pop a block on a chain linked through the blocks' first words. */
static void
chain_push(paddr_t *head, paddr_t pa)
{
	*(paddr_t *)phys_to_virt(pa) = *head;
	*head = pa;
}

static paddr_t
chain_pop(paddr_t *head)
{
	paddr_t pa = *head;

	if (pa != 0)
		*head = *(paddr_t *)phys_to_virt(pa);
	return pa;
}

/* The free count once deferred frees (exited threads) have settled. */
static size_t
stable_free(void)
{
	kt_quiesce();
	return frame_free_count();
}

KTEST(frame, initialised)
{
	KT_CHECK(frame_total_count() > 0, "frame_init() has not run");
	KT_CHECK(frame_free_count() <= frame_total_count(), "%zu free of %zu",
	    frame_free_count(), frame_total_count());
	frame_check();
	return 0;
}

KTEST(frame, exhaust_order0_and_return)
{
	size_t base = stable_free(), n = 0, after_free;
	paddr_t head = 0, pa;

	KT_CHECK(base > 0, "no free frames");
	while ((pa = frame_alloc(0, 0)) != 0) {
		chain_push(&head, pa);
		n++;
	}
	KT_EQ(frame_free_count(), 0);
	while ((pa = chain_pop(&head)) != 0)
		frame_free(pa, 0);
	after_free = frame_free_count();
	KT_EQ(n, base);
	KT_EQ(after_free, base);
	frame_check();
	return 0;
}

KTEST(frame, exhaust_max_order_aligned)
{
	size_t base = stable_free(), n = 0;
	paddr_t head = 0, pa;
	bool aligned = true;

	while ((pa = frame_alloc(FRAME_MAX_ORDER, 0)) != 0) {
		aligned &= (pa & ((PAGE_SIZE << FRAME_MAX_ORDER) - 1)) == 0;
		chain_push(&head, pa);
		n++;
	}
	while ((pa = chain_pop(&head)) != 0)
		frame_free(pa, FRAME_MAX_ORDER);
	KT_CHECK(n > 0, "no %lu KiB block at all", (PAGE_SIZE << FRAME_MAX_ORDER) >> 10);
	KT_CHECK(aligned, "a max-order block is misaligned");
	KT_EQ(frame_free_count(), base);
	return 0;
}

KTEST(frame, every_order_and_zero)
{
	size_t base = stable_free();
	paddr_t pa[FRAME_MAX_ORDER + 1];
	bool zero = true;

	for (int o = 0; o <= FRAME_MAX_ORDER; o++) {
		uint8_t *p;

		pa[o] = frame_alloc(o, FRAME_ZERO);
		KT_CHECK(pa[o] != 0, "order %d", o);
		KT_EQ(pa[o] & ((PAGE_SIZE << o) - 1), 0);
		p = phys_to_virt(pa[o]);
		for (size_t i = 0; i < (PAGE_SIZE << o); i++)
			zero &= p[i] == 0;
		memset(p, 0xa5, PAGE_SIZE << o);	/* dirty, for the next user */
	}
	for (int o = 0; o <= FRAME_MAX_ORDER; o++)
		frame_free(pa[o], o);
	KT_CHECK(zero, "FRAME_ZERO left a non-zero byte");
	KT_EQ(frame_free_count(), base);
	frame_check();
	return 0;
}

KTEST(kobj, alloc_free_counters_baseline)
{
	static struct kobj_cache kc;
	static void *objs[500];
	struct kobj_stats st;
	size_t base = stable_free();

	KT_EQ(kobj_cache_init(&kc, "ktest", 200, 64), 0);
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kobj_alloc(&kc);
		KT_CHECK(objs[i] != NULL && ((uintptr_t)objs[i] & 63) == 0, "object %zu", i);
		memset(objs[i], (int)i, 200);
	}
	kobj_cache_stats(&kc, &st);
	KT_EQ(st.kst_inuse, ARRAY_SIZE(objs));
	KT_EQ(st.kst_nslabs, (ARRAY_SIZE(objs) + kc.kc_per_slab - 1) / kc.kc_per_slab);
	KT_EQ(frame_free_count(), base - st.kst_nslabs);
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		KT_EQ(((uint8_t *)objs[i])[199], (uint8_t)i);
		kobj_free(&kc, objs[i]);
	}
	kobj_cache_stats(&kc, &st);
	KT_EQ(st.kst_inuse, 0);
	KT_EQ(st.kst_nslabs, 0);
	KT_EQ(frame_free_count(), base);
	KT_EQ(kobj_cache_fini(&kc), 0);
	return 0;
}

KTEST(kobj, exhaustion_returns_null)
{
	static struct kobj_cache kc;
	size_t base = stable_free(), n = 0;
	void *head = NULL, *p;
	struct kobj_stats st;

	KT_EQ(kobj_cache_init(&kc, "ktest-big", 1800, 0), 0);
	while ((p = kobj_alloc(&kc)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	kobj_cache_stats(&kc, &st);
	while ((p = head) != NULL) {
		head = *(void **)p;
		kobj_free(&kc, p);
	}
	KT_EQ(n, base * kc.kc_per_slab);
	KT_EQ(st.kst_nfail, 1);
	KT_EQ(frame_free_count(), base);
	kobj_cache_stats(&kc, &st);
	KT_EQ(st.kst_nslabs, 0);
	KT_EQ(kobj_cache_fini(&kc), 0);
	return 0;
}
