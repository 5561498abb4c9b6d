/*
 * taskman/common/vmfault.c - the pager's policy for a page fault (see
 * vmmap.h): which pages to fill, or SIGSEGV.  Generic, so taskman on
 * seL4 answers faults the same way.
 */
#include "vmmap.h"

#include <stddef.h>

/* May a region with prot take an access (VMMAP_R, W or X)?  Write implies read. */
static int
allowed(uint32_t prot, uint32_t access)
{
	uint32_t have = prot & VMMAP_PROT;

	if (have & VMMAP_W)
		have |= VMMAP_R;
	return access != 0 && (access & ~have) == 0;
}

int
vmmap_fault(const struct vmmap *m, uint64_t addr, uint32_t access, uint64_t cluster,
    uint64_t *start, uint64_t *len, uint32_t *prot)
{
	const struct vm_region *r = vmmap_lookup(m, addr);
	uint64_t lo, hi;

	if (r == NULL || !(r->vr_prot & VMMAP_LAZY) || !allowed(r->vr_prot, access))
		return VMF_SEGV;
	if (cluster < VMMAP_PAGE || (cluster & (cluster - 1)))
		cluster = VMMAP_PAGE;
	lo = addr & ~(cluster - 1);
	hi = lo + cluster;
	*start = lo > r->vr_start ? lo : r->vr_start;
	*len = (hi < r->vr_end && hi > lo ? hi : r->vr_end) - *start;
	*prot = r->vr_prot & VMMAP_PROT;
	return VMF_FILL;
}
