// uses: taskman/common/vmmap.c taskman/common/vmfault.c
/*
 * Host tests of the memory manager's region map (taskman/common/vmmap.c):
 * placement with and without hints, overlaps, munmap splitting regions
 * and reporting exactly the pieces that were mapped, protection checks,
 * mprotect splitting regions and keeping VMMAP_LAZY, and the pager's
 * fault policy (vmfault.c: which pages to fill, or SIGSEGV).
 */
#include "unit.h"
#include <errno.h>
#include "../../taskman/common/vmmap.h"

#define P VMMAP_PAGE
#define LO 0x100000UL
#define HI (LO + 16 * P)

struct gone_log {
	int		n;
	uint64_t	start[8], len[8];
};

static void
log_gone(void *arg, uint64_t start, uint64_t len)
{
	struct gone_log *g = arg;

	g->start[g->n] = start;
	g->len[g->n++] = len;
}

UNIT_TEST(find_and_insert)
{
	struct vmmap m;
	uint64_t a;

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_find(&m, 0, 2 * P, &a), 0);
	CHECK_EQ(a, LO);
	CHECK_EQ(vmmap_insert(&m, a, 2 * P, 3), 0);
	CHECK_EQ(vmmap_find(&m, LO + P, P, &a), 0);	/* hint taken: find the next gap */
	CHECK_EQ(a, LO + 2 * P);
	CHECK_EQ(vmmap_find(&m, LO + 8 * P, P, &a), 0);	/* a free hint is honoured */
	CHECK_EQ(a, LO + 8 * P);
	CHECK_EQ(vmmap_insert(&m, LO + P, P, 3), -EEXIST);
	CHECK_EQ(vmmap_insert(&m, LO + 5 * P, P, 3), 0);
	CHECK_EQ(vmmap_find(&m, 0, 3 * P, &a), 0);	/* gap of 3 between 2 and 5 */
	CHECK_EQ(a, LO + 2 * P);
	CHECK_EQ(vmmap_find(&m, 0, 4 * P, &a), 0);
	CHECK_EQ(a, LO + 6 * P);
	CHECK_EQ(vmmap_find(&m, 0, 17 * P, &a), -ENOMEM);
	CHECK_EQ(vmmap_find(&m, 0, 11 * P, &a), -ENOMEM);
	CHECK_EQ(vmmap_find(&m, 0, 10 * P, &a), 0);
	CHECK_EQ(vmmap_find(&m, 0, 0, &a), -ENOMEM);
	CHECK_EQ(vmmap_insert(&m, LO + 1, P, 3), -EINVAL);
	CHECK_EQ(vmmap_insert(&m, LO, 0, 3), -EINVAL);
	CHECK_EQ(vmmap_insert(&m, ~0UL & ~(P - 1), 2 * P, 3), -EINVAL);	/* wraps */
	CHECK_EQ(m.vm_bytes, 3 * P);
	vmmap_fini(&m);
}

UNIT_TEST(remove_splits)
{
	struct vmmap m;
	struct gone_log g = { 0 };

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO, 8 * P, 3), 0);
	CHECK_EQ(vmmap_remove(&m, LO + 2 * P, 2 * P, log_gone, &g), (int64_t)(2 * P));
	CHECK_EQ(g.n, 1);
	CHECK_EQ(g.start[0], LO + 2 * P);
	CHECK_EQ(vmmap_check(&m, LO, 2 * P, 3), 0);
	CHECK_EQ(vmmap_check(&m, LO, 3 * P, 3), -ENOMEM);
	CHECK_EQ(vmmap_check(&m, LO + 4 * P, 4 * P, 3), 0);
	CHECK_EQ(vmmap_check(&m, LO + 4 * P, 4 * P, 1), 1);
	/* A range over a hole reports only mapped pieces. */
	g.n = 0;
	CHECK_EQ(vmmap_remove(&m, LO + P, 4 * P, log_gone, &g), (int64_t)(2 * P));
	CHECK_EQ(g.n, 2);
	CHECK_EQ(g.start[0], LO + P);
	CHECK_EQ(g.len[0], P);
	CHECK_EQ(g.start[1], LO + 4 * P);
	CHECK_EQ(g.len[1], P);
	CHECK_EQ(m.vm_bytes, 4 * P);
	/* Nothing there: 0 bytes, not an error (POSIX munmap). */
	CHECK_EQ(vmmap_remove(&m, LO + 12 * P, P, NULL, NULL), 0);
	CHECK_EQ(vmmap_remove(&m, 0, ~0UL, NULL, NULL), (int64_t)(4 * P));
	CHECK(m.vm_regions == NULL);
	vmmap_fini(&m);
}

UNIT_TEST(check_mixed_protections)
{
	struct vmmap m;

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO, P, 1), 0);
	CHECK_EQ(vmmap_insert(&m, LO + P, P, 3), 0);
	CHECK_EQ(vmmap_check(&m, LO, 2 * P, 1), 1);
	CHECK_EQ(vmmap_check(&m, LO, P, 1), 0);
	CHECK_EQ(vmmap_check(&m, LO + 2 * P, P, 1), -ENOMEM);
	vmmap_fini(&m);
}

/* fork's copy: the same regions, independent of the original afterwards. */
UNIT_TEST(copy_is_independent)
{
	struct vmmap a, b;
	struct gone_log g = { 0 };

	vmmap_init(&a, LO, HI);
	CHECK_EQ(vmmap_insert(&a, LO, 2 * P, 3), 0);
	CHECK_EQ(vmmap_insert(&a, LO + 4 * P, P, 1), 0);
	CHECK_EQ(vmmap_copy(&b, &a), 0);
	CHECK_EQ(b.vm_bytes, a.vm_bytes);
	CHECK_EQ(vmmap_check(&b, LO, 2 * P, 3), 0);
	CHECK_EQ(vmmap_check(&b, LO + 4 * P, P, 1), 0);
	CHECK_EQ(vmmap_remove(&a, LO, 16 * P, log_gone, &g), 3 * (int64_t)P);
	CHECK_EQ(g.n, 2);
	CHECK_EQ(vmmap_check(&b, LO, 2 * P, 3), 0);		/* b kept its regions */
	CHECK_EQ(vmmap_insert(&b, LO + 2 * P, P, 3), 0);
	CHECK_EQ(vmmap_check(&a, LO + 2 * P, P, 3), -ENOMEM);	/* a did not get b's */
	vmmap_fini(&a);
	vmmap_fini(&b);
}

/* The count of regions, and the region holding a, checked for its bounds and prot. */
static int
nregions(const struct vmmap *m)
{
	int n = 0;

	for (const struct vm_region *r = m->vm_regions; r; r = r->vr_next)
		n++;
	return n;
}

static int
region_is(const struct vmmap *m, uint64_t a, uint64_t start, uint64_t end, uint32_t prot)
{
	const struct vm_region *r = vmmap_lookup(m, a);

	return r && r->vr_start == start && r->vr_end == end && r->vr_prot == prot;
}

UNIT_TEST(lookup)
{
	struct vmmap m;

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO + P, 2 * P, 3), 0);
	CHECK(vmmap_lookup(&m, LO) == NULL);
	CHECK(region_is(&m, LO + P, LO + P, LO + 3 * P, 3));
	CHECK(region_is(&m, LO + 3 * P - 1, LO + P, LO + 3 * P, 3));
	CHECK(vmmap_lookup(&m, LO + 3 * P) == NULL);
	vmmap_fini(&m);
}

/* mprotect's record: the middle of a lazy region, then across two regions. */
UNIT_TEST(protect_splits_and_keeps_lazy)
{
	struct vmmap m;

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO, 8 * P, 3 | VMMAP_LAZY), 0);
	CHECK_EQ(vmmap_insert(&m, LO + 8 * P, 2 * P, 1), 0);
	CHECK_EQ(vmmap_protect(&m, LO + 2 * P, 3 * P, 1), 0);
	CHECK_EQ(nregions(&m), 4);
	CHECK(region_is(&m, LO, LO, LO + 2 * P, 3 | VMMAP_LAZY));
	CHECK(region_is(&m, LO + 2 * P, LO + 2 * P, LO + 5 * P, 1 | VMMAP_LAZY));
	CHECK(region_is(&m, LO + 5 * P, LO + 5 * P, LO + 8 * P, 3 | VMMAP_LAZY));
	CHECK_EQ(vmmap_protect(&m, LO + 6 * P, 3 * P, 5), 0);
	CHECK(region_is(&m, LO + 5 * P, LO + 5 * P, LO + 6 * P, 3 | VMMAP_LAZY));
	CHECK(region_is(&m, LO + 6 * P, LO + 6 * P, LO + 8 * P, 5 | VMMAP_LAZY));
	CHECK(region_is(&m, LO + 8 * P, LO + 8 * P, LO + 9 * P, 5));	/* eager stays eager */
	CHECK(region_is(&m, LO + 9 * P, LO + 9 * P, LO + 10 * P, 1));
	CHECK_EQ(m.vm_bytes, 10 * P);
	CHECK_EQ(vmmap_protect(&m, LO + 9 * P, 2 * P, 1), -ENOMEM);	/* a hole: nothing changes */
	CHECK(region_is(&m, LO + 9 * P, LO + 9 * P, LO + 10 * P, 1));
	CHECK_EQ(vmmap_protect(&m, LO, P, 8), -EINVAL);
	CHECK_EQ(vmmap_protect(&m, LO, 0, 1), -EINVAL);
	vmmap_fini(&m);
}

UNIT_TEST(fault_policy)
{
	struct vmmap m;
	uint64_t s, l;
	uint32_t prot;
	const uint64_t C = 4 * P;	/* cluster */

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO + P, 6 * P, 3 | VMMAP_LAZY), 0);	/* [1, 7) */
	CHECK_EQ(vmmap_insert(&m, LO + 7 * P, 2 * P, 1 | VMMAP_LAZY), 0);	/* [7, 9) read-only */
	CHECK_EQ(vmmap_insert(&m, LO + 9 * P, P, 3), 0);			/* eager */
	CHECK_EQ(vmmap_insert(&m, LO + 10 * P, P, 0 | VMMAP_LAZY), 0);	/* PROT_NONE */
	CHECK_EQ(vmmap_insert(&m, LO + 11 * P, P, 4 | VMMAP_LAZY), 0);	/* exec only */
	/* The cluster is aligned and clipped to the region at both ends. */
	CHECK_EQ(vmmap_fault(&m, LO + P + 5, VMMAP_W, C, &s, &l, &prot), VMF_FILL);
	CHECK_EQ(s, LO + P);
	CHECK_EQ(l, 3 * P);
	CHECK_EQ(prot, 3);
	CHECK_EQ(vmmap_fault(&m, LO + 5 * P, VMMAP_R, C, &s, &l, &prot), VMF_FILL);
	CHECK_EQ(s, LO + 4 * P);
	CHECK_EQ(l, 3 * P);
	CHECK_EQ(vmmap_fault(&m, LO + 5 * P, VMMAP_R, 0, &s, &l, &prot), VMF_FILL);	/* one page */
	CHECK_EQ(s, LO + 5 * P);
	CHECK_EQ(l, P);
	/* Read-only: reads fill, writes and fetches are SIGSEGV. */
	CHECK_EQ(vmmap_fault(&m, LO + 8 * P, VMMAP_R, C, &s, &l, &prot), VMF_FILL);
	CHECK_EQ(s, LO + 8 * P);
	CHECK_EQ(l, P);
	CHECK_EQ(prot, 1);
	CHECK_EQ(vmmap_fault(&m, LO + 8 * P, VMMAP_W, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO + 8 * P, VMMAP_X, C, &s, &l, &prot), VMF_SEGV);
	/* Eager regions, PROT_NONE, holes: SIGSEGV. Exec-only: fetches only. */
	CHECK_EQ(vmmap_fault(&m, LO + 9 * P, VMMAP_W, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO + 10 * P, VMMAP_R, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO, VMMAP_R, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO + 12 * P, VMMAP_R, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO + 11 * P, VMMAP_R, C, &s, &l, &prot), VMF_SEGV);
	CHECK_EQ(vmmap_fault(&m, LO + 11 * P, VMMAP_X, C, &s, &l, &prot), VMF_FILL);
	/* Write implies read: a W-only region can be read. */
	CHECK_EQ(vmmap_protect(&m, LO + P, 6 * P, 2), 0);
	CHECK_EQ(vmmap_fault(&m, LO + 2 * P, VMMAP_R, C, &s, &l, &prot), VMF_FILL);
	CHECK_EQ(prot, 2);
	vmmap_fini(&m);
}

UNIT_TEST(tag_follows_splits_and_copies)
{
	struct vmmap m, c;
	const struct vm_region *r;

	vmmap_init(&m, LO, HI);
	CHECK_EQ(vmmap_insert(&m, LO, 8 * P, 3), 0);
	CHECK_EQ(vmmap_insert(&m, LO + 8 * P, P, 3), 0);
	CHECK_EQ(vmmap_tag(&m, LO + P, 7, LO), -ENOENT);	/* no region starts there */
	CHECK_EQ(vmmap_tag(&m, LO, 7, LO - 2 * P), 0);
	CHECK(vmmap_maps(&m, 7));
	CHECK(!vmmap_maps(&m, 8));
	CHECK_EQ(vmmap_remove(&m, LO + 2 * P, P, NULL, NULL), (int64_t)P);	/* split by munmap */
	CHECK_EQ(vmmap_protect(&m, LO + 5 * P, P, 1), 0);			/* ... and mprotect */
	for (uint64_t a = LO; a < LO + 8 * P; a += P) {
		if (a == LO + 2 * P)
			continue;
		r = vmmap_lookup(&m, a);
		CHECK(r && r->vr_obj == 7 && r->vr_base == LO - 2 * P);
	}
	r = vmmap_lookup(&m, LO + 8 * P);
	CHECK(r && r->vr_obj == 0);
	CHECK_EQ(vmmap_copy(&c, &m), 0);
	CHECK(vmmap_maps(&c, 7));
	CHECK_EQ(vmmap_remove(&m, LO, 8 * P, NULL, NULL), (int64_t)(7 * P));
	CHECK(!vmmap_maps(&m, 7));
	CHECK(vmmap_maps(&c, 7));		/* the copy keeps its own */
	vmmap_fini(&m);
	vmmap_fini(&c);
}
