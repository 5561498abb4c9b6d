/*
 * kern/ipcbuf.c - copying messages directly between two address spaces.
 *
 * Buffers are linear or iov arrays in user memory; iov entries are read
 * one at a time from the owner's space, so no buffer of any size is
 * allocated and a short message never allocates.
 */
#include <kern/cpu.h>
#include <kern/ipc.h>
#include "ipc_internal.h"
#include <abi/errno.h>
#include <arch/intr.h>
#include <arch/memlayout.h>
#include <arch/ucopy.h>

#define IOV_MAX_PARTS	1024

struct useg {
	uint64_t	us_base;
	uint64_t	us_len;
};

/*
 * iov entries read ahead: reading each part with its own vm_copyin (a
 * page walk under vs_lock each) cost about 370 instructions a part, more
 * than the copy of a short part itself (docs/performance.md).  Only parts
 * below ub_len are read; if the read-ahead faults, part i is read alone,
 * so a fault is reported at the part where one-by-one reads found it.
 */
#define IOV_AHEAD	8

struct iovcache {
	int64_t		ic_first;	/* index of ic_seg[0] */
	int64_t		ic_n;		/* entries held (0: none) */
	struct useg	ic_seg[IOV_AHEAD];
};

/* Part i of iov buffer ub, i < ub_len: 0 or -EFAULT. */
static int
iov_get(struct vmspace *vs, const struct ubuf *ub, int64_t i, struct useg *s,
    struct iovcache *ic)
{
	if (i < ic->ic_first || i >= ic->ic_first + ic->ic_n) {
		int64_t n = MIN(ub->ub_len - i, IOV_AHEAD);
		uaddr_t at = ub->ub_base + (uint64_t)i * sizeof(*s);

		ic->ic_n = 0;
		if (vm_copyin(vs, ic->ic_seg, at, (size_t)n * sizeof(*s)) < 0) {
			/* A fault further on: part i alone, so errors come in order as before. */
			n = 1;
			if (vm_copyin(vs, ic->ic_seg, at, sizeof(*s)) < 0)
				return -EFAULT;
		}
		ic->ic_first = i;
		ic->ic_n = n;
	}
	*s = ic->ic_seg[i - ic->ic_first];
	return 0;
}

/* Segment i of ub: 0, 1 past the end, or -EFAULT. */
static inline int
seg_get(struct vmspace *vs, const struct ubuf *ub, int64_t i, struct useg *s,
    struct iovcache *ic)
{
	if (!ub->ub_iov) {
		if (i > 0)
			return 1;
		s->us_base = ub->ub_base;
		s->us_len = (uint64_t)ub->ub_len;
		return 0;
	}
	if (i >= ub->ub_len)
		return 1;
	return iov_get(vs, ub, i, s, ic);
}

int64_t
ubuf_size_iov(struct vmspace *vs, const struct ubuf *ub)
{
	struct useg s;
	struct iovcache ic;
	uint64_t total = 0;
	int rc;

	if (ub->ub_len < 0 || ub->ub_len > IOV_MAX_PARTS)
		return -EINVAL;
	ic.ic_n = 0;
	for (int64_t i = 0; (rc = seg_get(vs, ub, i, &s, &ic)) == 0; i++) {
		if (s.us_len > INT64_MAX - total)
			return -EINVAL;
		total += s.us_len;
	}
	return rc < 0 ? rc : (int64_t)total;
}

/* A position in a buffer: segment index and offset within it. */
struct ucur {
	struct vmspace	*uc_vs;
	const struct ubuf *uc_ub;
	int64_t		uc_idx;
	struct useg	uc_seg;		/* the current segment */
	struct iovcache	uc_iov;		/* iov entries read ahead */
	uint64_t	uc_off;		/* offset in uc_seg */
	bool		uc_end;
};

/* Advance to a segment with room left (skips empty ones).  0 or -EFAULT. */
static int
cur_settle(struct ucur *c)
{
	while (!c->uc_end && c->uc_off >= c->uc_seg.us_len) {
		int rc = seg_get(c->uc_vs, c->uc_ub, ++c->uc_idx, &c->uc_seg, &c->uc_iov);

		if (rc < 0)
			return rc;
		c->uc_end = rc > 0;
		c->uc_off = 0;
	}
	return 0;
}

/* Position the cursor at byte offset off of the buffer.  0 or -EFAULT. */
static int
cur_init(struct ucur *c, struct vmspace *vs, const struct ubuf *ub, uint64_t off)
{
	int rc;

	c->uc_vs = vs;
	c->uc_ub = ub;
	c->uc_idx = 0;
	c->uc_off = 0;
	c->uc_iov.ic_n = 0;
	for (;;) {
		rc = seg_get(vs, ub, c->uc_idx, &c->uc_seg, &c->uc_iov);
		if (rc < 0)
			return rc;
		c->uc_end = rc > 0;
		if (c->uc_end || off < c->uc_seg.us_len)
			break;
		off -= c->uc_seg.us_len;
		c->uc_idx++;
	}
	c->uc_off = c->uc_end ? 0 : off;
	return 0;
}

int64_t
ubuf_copy(struct vmspace *dvs, const struct ubuf *dst, uint64_t doff,
    struct vmspace *svs, const struct ubuf *src, uint64_t soff, uint64_t max,
    bool *srcfault)
{
	struct ucur d, s;
	uint64_t done = 0;

	*srcfault = false;
	if (max == 0)
		return 0;	/* nothing to move; both sides were checked when sized */
	*srcfault = true;
	if (cur_init(&s, svs, src, soff) < 0)
		return -EFAULT;
	*srcfault = false;
	if (cur_init(&d, dvs, dst, doff) < 0)
		return -EFAULT;
	while (done < max && !d.uc_end && !s.uc_end) {
		uint64_t n = MIN(max - done, MIN(d.uc_seg.us_len - d.uc_off,
		    s.uc_seg.us_len - s.uc_off));
		int rc = vm_copy(dvs, d.uc_seg.us_base + d.uc_off, svs,
		    s.uc_seg.us_base + s.uc_off, n);

		if (rc < 0) {
			/* Which side? Probe the source alone. */
			*srcfault = vm_check(svs, s.uc_seg.us_base + s.uc_off, n, VMP_R) < 0;
			return -EFAULT;
		}
		done += n;
		d.uc_off += n;
		s.uc_off += n;
		if ((rc = cur_settle(&s)) < 0) {
			*srcfault = true;
			return rc;
		}
		if ((rc = cur_settle(&d)) < 0) {
			*srcfault = false;
			return rc;
		}
	}
	return (int64_t)done;
}

int64_t
ubuf_copyout(struct vmspace *vs, const struct ubuf *ub, const void *src, int64_t len)
{
	struct ucur d;
	int64_t done = 0;

	if (cur_init(&d, vs, ub, 0) < 0)
		return -EFAULT;
	while (done < len && !d.uc_end) {
		uint64_t n = MIN((uint64_t)(len - done), d.uc_seg.us_len - d.uc_off);

		if (vm_copyout(vs, d.uc_seg.us_base + d.uc_off, (const char *)src + done, n) < 0)
			return -EFAULT;
		done += n;
		d.uc_off += n;
		if (cur_settle(&d) < 0)
			return -EFAULT;
	}
	return done;
}

/* ---- short messages: a direct copy through the MMU ------------------------ */

static inline bool
uva_range_ok(uaddr_t va, uint64_t len)
{
	return va + len >= va && va + len <= USER_TOP;
}

bool
ipc_short_copyout(struct vmspace *vs, uaddr_t dst, const void *src, uint64_t n)
{
	unsigned long s;
	int rc;

	if (n > IPC_SHORT_MAX || !uva_range_ok(dst, n) || mycpu()->gd_vmspace != vs)
		return false;
	s = intr_disable_arch();
	rc = ucopy_arch((void *)dst, src, n);
	intr_restore_arch(s);
	return rc == 0;
}

bool
ipc_short_copy(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src, uint64_t n)
{
	uint64_t bounce[IPC_SHORT_MAX / 8];
	struct cpu *gd = mycpu();
	struct vmspace *act = gd->gd_vmspace;
	unsigned long s;
	int rc;

	if (n > IPC_SHORT_MAX || !uva_range_ok(src, n) || !uva_range_ok(dst, n) ||
	    act == NULL || (act != svs && act != dvs))
		return false;
	s = intr_disable_arch();
	if (svs == dvs && (src + n <= dst || dst + n <= src)) {
		/* One space, no overlap (else the bounce keeps memmove's result). */
		rc = ucopy_arch((void *)dst, (const void *)src, n);
		intr_restore_arch(s);
		return rc == 0;
	}
	if (svs != act)
		vm_activate(svs);
	rc = ucopy_arch(bounce, (const void *)src, n);
	if (rc == 0) {
		if (dvs != gd->gd_vmspace)
			vm_activate(dvs);
		rc = ucopy_arch((void *)dst, bounce, n);
	}
	if (gd->gd_vmspace != act)
		vm_activate(act);
	intr_restore_arch(s);
	return rc == 0;
}
