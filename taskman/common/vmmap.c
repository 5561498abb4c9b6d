/*
 * taskman/common/vmmap.c - mapped ranges of one address space (a sorted
 * list of disjoint regions).  See vmmap.h.
 */
#include "vmmap.h"

#include <abi/errno.h>
#include <stdlib.h>
#include <string.h>

void
vmmap_init(struct vmmap *m, uint64_t lo, uint64_t hi)
{
	memset(m, 0, sizeof(*m));
	m->vm_lo = lo;
	m->vm_hi = hi;
}

void
vmmap_fini(struct vmmap *m)
{
	while (m->vm_regions) {
		struct vm_region *r = m->vm_regions;

		m->vm_regions = r->vr_next;
		free(r);
	}
	m->vm_bytes = 0;
}

/* Is [a, a+len) free of regions? */
static int
range_free(const struct vmmap *m, uint64_t a, uint64_t len)
{
	for (const struct vm_region *r = m->vm_regions; r; r = r->vr_next)
		if (r->vr_start < a + len && a < r->vr_end)
			return 0;
	return 1;
}

int
vmmap_find(const struct vmmap *m, uint64_t hint, uint64_t len, uint64_t *addr)
{
	uint64_t a = m->vm_lo;

	if (len == 0 || len > m->vm_hi - m->vm_lo)
		return -ENOMEM;
	if (hint >= m->vm_lo && hint <= m->vm_hi - len && range_free(m, hint, len)) {
		*addr = hint;
		return 0;
	}
	for (const struct vm_region *r = m->vm_regions; r; r = r->vr_next) {
		if (r->vr_end <= a)
			continue;
		if (r->vr_start >= a + len)
			break;		/* the gap before r fits */
		a = r->vr_end;
	}
	if (a > m->vm_hi - len)
		return -ENOMEM;
	*addr = a;
	return 0;
}

int
vmmap_insert(struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot)
{
	struct vm_region **pp = &m->vm_regions, *n;

	if (len == 0 || ((addr | len) & (VMMAP_PAGE - 1)) || addr + len < addr)
		return -EINVAL;
	if (!range_free(m, addr, len))
		return -EEXIST;
	n = malloc(sizeof(*n));
	if (n == NULL)
		return -ENOMEM;
	while (*pp && (*pp)->vr_start < addr)
		pp = &(*pp)->vr_next;
	*n = (struct vm_region){ .vr_next = *pp, .vr_start = addr, .vr_end = addr + len,
	    .vr_prot = prot };
	*pp = n;
	m->vm_bytes += len;
	return 0;
}

int
vmmap_tag(struct vmmap *m, uint64_t addr, uint64_t obj, uint64_t base)
{
	for (struct vm_region *r = m->vm_regions; r && r->vr_start <= addr; r = r->vr_next)
		if (r->vr_start == addr) {
			r->vr_obj = obj;
			r->vr_base = base;
			return 0;
		}
	return -ENOENT;
}

int
vmmap_maps(const struct vmmap *m, uint64_t obj)
{
	for (const struct vm_region *r = m->vm_regions; r; r = r->vr_next)
		if (r->vr_obj == obj)
			return 1;
	return 0;
}

int64_t
vmmap_remove(struct vmmap *m, uint64_t addr, uint64_t len,
    void (*gone)(void *arg, uint64_t start, uint64_t len), void *arg)
{
	uint64_t end = addr + len;
	struct vm_region **pp = &m->vm_regions, *spare;
	int64_t removed = 0;

	if (end < addr)
		return -EINVAL;
	spare = malloc(sizeof(*spare));	/* a cut inside one region needs one more */
	if (spare == NULL)
		return -ENOMEM;
	while (*pp) {
		struct vm_region *r = *pp;
		uint64_t lo = r->vr_start > addr ? r->vr_start : addr;
		uint64_t hi = r->vr_end < end ? r->vr_end : end;

		if (lo >= hi) {
			pp = &r->vr_next;
			continue;
		}
		if (gone)
			gone(arg, lo, hi - lo);
		removed += (int64_t)(hi - lo);
		if (lo > r->vr_start && hi < r->vr_end) {	/* split in two */
			*spare = *r;		/* its tag too */
			spare->vr_start = hi;
			r->vr_end = lo;
			r->vr_next = spare;
			spare = NULL;
			break;
		} else if (lo > r->vr_start) {
			r->vr_end = lo;
		} else if (hi < r->vr_end) {
			r->vr_start = hi;
		} else {
			*pp = r->vr_next;
			free(r);
			continue;
		}
		pp = &r->vr_next;
	}
	free(spare);
	m->vm_bytes -= (uint64_t)removed;
	return removed;
}

int
vmmap_check(const struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot)
{
	uint64_t at = addr, end = addr + len;
	int same = 1;

	for (const struct vm_region *r = m->vm_regions; r && at < end; r = r->vr_next) {
		if (r->vr_end <= at)
			continue;
		if (r->vr_start > at)
			return -ENOMEM;		/* a hole */
		same &= r->vr_prot == prot;
		at = r->vr_end;
	}
	if (at < end)
		return -ENOMEM;
	return same ? 0 : 1;
}

int
vmmap_copy(struct vmmap *dst, const struct vmmap *src)
{
	struct vm_region **tail = &dst->vm_regions;

	vmmap_init(dst, src->vm_lo, src->vm_hi);
	for (const struct vm_region *r = src->vm_regions; r; r = r->vr_next) {
		struct vm_region *n = malloc(sizeof(*n));

		if (n == NULL) {
			vmmap_fini(dst);
			return -ENOMEM;
		}
		*n = *r;
		n->vr_next = NULL;
		*tail = n;
		tail = &n->vr_next;
	}
	dst->vm_bytes = src->vm_bytes;
	return 0;
}

const struct vm_region *
vmmap_lookup(const struct vmmap *m, uint64_t addr)
{
	for (const struct vm_region *r = m->vm_regions; r && r->vr_start <= addr; r = r->vr_next)
		if (addr < r->vr_end)
			return r;
	return NULL;
}

/* Split r at at (inside it) with the spare *n, which is used up. */
static void
split(struct vm_region *r, uint64_t at, struct vm_region **n)
{
	**n = *r;			/* its tag too */
	(*n)->vr_start = at;
	r->vr_end = at;
	r->vr_next = *n;
	*n = NULL;
}

int
vmmap_protect(struct vmmap *m, uint64_t addr, uint64_t len, uint32_t prot)
{
	uint64_t end = addr + len;
	struct vm_region *spare[2], **sp = spare;
	int rc;

	if (len == 0 || end < addr || (prot & ~(uint32_t)VMMAP_PROT))
		return -EINVAL;
	if ((rc = vmmap_check(m, addr, len, prot)) < 0)
		return rc;		/* a hole */
	spare[0] = malloc(sizeof(*spare[0]));	/* a cut at each end at most */
	spare[1] = malloc(sizeof(*spare[1]));
	if (spare[0] == NULL || spare[1] == NULL) {
		free(spare[0]);
		free(spare[1]);
		return -ENOMEM;
	}
	for (struct vm_region *r = m->vm_regions; r && r->vr_start < end; r = r->vr_next) {
		if (r->vr_end <= addr)
			continue;
		if (r->vr_start < addr) {
			split(r, addr, sp++);
			continue;	/* the piece from addr is next */
		}
		if (r->vr_end > end)
			split(r, end, sp++);
		r->vr_prot = (r->vr_prot & ~(uint32_t)VMMAP_PROT) | prot;
	}
	free(spare[0]);
	free(spare[1]);
	return 0;
}
