/*
 * kern/vm.c - vmspaces: page-table changes with TLB shoot-down, and safe
 * copies through software translation.
 */
#include <kern/cpu.h>
#include <kern/frame.h>
#include <kern/ipiq.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/param.h>
#include <kern/string.h>
#include <kern/vm.h>
#include <abi/errno.h>
#include <arch/memlayout.h>

static struct kobj_cache vmspace_cache;

void
vm_init(void)
{
	pmap_init_arch();
	if (kobj_cache_init(&vmspace_cache, "vmspace", sizeof(struct vmspace), 64) < 0)
		panic("vm_init: no vmspace cache");
}

struct vmspace *
vm_create(void)
{
	struct vmspace *vs = kobj_zalloc(&vmspace_cache);

	if (vs == NULL)
		return NULL;
	if (pmap_create_arch(&vs->vs_pmap) < 0) {
		kobj_free(&vmspace_cache, vs);
		return NULL;
	}
	spin_init(&vs->vs_lock, "vmspace");
	vs->vs_refs = 1;
	return vs;
}

/* ---- TLB shoot-down ----------------------------------------------------- */

struct shootdown {
	struct vmspace	*sd_vs;
	vaddr_t		sd_va;		/* 0: the whole space */
	bool		sd_leave;	/* also switch away from the space */
	volatile int	sd_pending;
	struct thread	*sd_waiter;
};

static void
shootdown_here(void *arg)
{
	struct shootdown *sd = arg;
	struct thread *w = sd->sd_waiter;

	if (sd->sd_leave && mycpu()->gd_vmspace == sd->sd_vs) {
		pmap_activate_arch(NULL);
		mycpu()->gd_vmspace = NULL;
	}
	pmap_flush_local_arch(&sd->sd_vs->vs_pmap, sd->sd_va);
	if (__atomic_sub_fetch(&sd->sd_pending, 1, __ATOMIC_ACQ_REL) == 0)
		lwkt_schedule(w);
}

/* Flush va (0: all) of vs on every CPU that may cache it; wait for all. */
static void
shootdown(struct vmspace *vs, vaddr_t va, bool leave);

void
vm_shootdown(struct vmspace *vs, uaddr_t va)
{
	shootdown(vs, va, false);
}

static void
shootdown(struct vmspace *vs, vaddr_t va, bool leave)
{
	struct shootdown sd = { vs, va, leave, 0, curthread };
	uint64_t mask = __atomic_load_n(&vs->vs_cpus, __ATOMIC_ACQUIRE);

	crit_enter();
	for (int c = 0; c < ncpus; c++)
		if (mask & (1ULL << c))
			sd.sd_pending++;
	sd.sd_pending++;		/* held by us until all are sent */
	for (int c = 0; c < ncpus; c++)
		if (mask & (1ULL << c))
			ipiq_send(&cpus[c], shootdown_here, &sd);
	if (__atomic_sub_fetch(&sd.sd_pending, 1, __ATOMIC_ACQ_REL) != 0)
		while (__atomic_load_n(&sd.sd_pending, __ATOMIC_ACQUIRE))
			lwkt_sleep(0);
	crit_exit();
}

static void
release_frame(paddr_t pa, unsigned prot)
{
	if (prot & VMP_OWNED)
		frame_put(pa);		/* freed unless a copy-on-write sharer holds it too */
}

void
vm_hold(struct vmspace *vs)
{
	__atomic_fetch_add(&vs->vs_refs, 1, __ATOMIC_RELAXED);
}

static void vm_destroy(struct vmspace *vs);

void
vm_release(struct vmspace *vs)
{
	if (__atomic_sub_fetch(&vs->vs_refs, 1, __ATOMIC_ACQ_REL) == 0)
		vm_destroy(vs);
}

static void
vm_destroy(struct vmspace *vs)
{
	/* Every CPU that ran it: leave it and forget its ASID's entries. */
	shootdown(vs, 0, true);
	pmap_destroy_arch(&vs->vs_pmap, release_frame);
	kobj_free(&vmspace_cache, vs);
}

void
vm_activate(struct vmspace *vs)
{
	struct cpu *gd = mycpu();

	if (gd->gd_vmspace == vs)
		return;
	if (vs)
		__atomic_fetch_or(&vs->vs_cpus, 1ULL << gd->gd_id, __ATOMIC_RELEASE);
	pmap_activate_arch(vs ? &vs->vs_pmap : NULL);
	gd->gd_vmspace = vs;
}

/* ---- mapping ------------------------------------------------------------- */

int
vm_map(struct vmspace *vs, uaddr_t va, paddr_t pa, unsigned prot)
{
	unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
	int rc = pmap_enter_arch(&vs->vs_pmap, va, pa, prot);

	if (rc == 0) {
		vs->vs_pages++;
		if (prot & VMP_OWNED)
			vs->vs_owned++;
	}
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	return rc;
}

int
vm_unmap(struct vmspace *vs, uaddr_t va)
{
	paddr_t pa;
	unsigned prot;
	unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
	int rc = pmap_remove_arch(&vs->vs_pmap, va, &pa, &prot);

	if (rc == 0) {
		vs->vs_pages--;
		if (prot & VMP_OWNED)
			vs->vs_owned--;
	}
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (rc == 0) {
		shootdown(vs, va, false);	/* before the frame can be reused */
		release_frame(pa, prot);
	}
	return rc;
}

int
vm_map_anon(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot)
{
	if ((va | len) & (PAGE_SIZE - 1) || va + len < va || va + len > USER_TOP)
		return -EINVAL;
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa = frame_alloc(0, FRAME_ZERO);
		int rc;

		if (pa == 0)
			return -ENOMEM;
		rc = vm_map(vs, va + off, pa, prot | VMP_OWNED);
		if (rc < 0) {
			frame_free(pa, 0);
			return rc;
		}
	}
	return 0;
}

/* ---- lazy zero-fill pages ---------------------------------------------------- */

#define LAZY_BATCH	64	/* pages marked per hold of vs_lock */

/* A zeroed frame for a lazy page, or 0 when memory is down to the reserve. */
static paddr_t
lazy_frame(void)
{
	if (frame_free_count() < LAZY_RESERVE_FRAMES)
		return 0;
	return frame_alloc(0, FRAME_ZERO);
}

int
vm_lazy(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot)
{
	if ((va | len) & (PAGE_SIZE - 1) || va + len < va || va + len > USER_TOP)
		return -EINVAL;
	for (size_t off = 0; off < len; ) {
		unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
		int rc = 0;

		for (int i = 0; i < LAZY_BATCH && off < len && rc >= 0; i++, off += PAGE_SIZE)
			rc = pmap_lazy_arch(&vs->vs_pmap, va + off, prot);
		spin_unlock_irqrestore(&vs->vs_lock, fl);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
vm_fill(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot)
{
	if ((va | len) & (PAGE_SIZE - 1) || va + len < va || va + len > USER_TOP)
		return -EINVAL;
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
		paddr_t pa;
		unsigned have;
		bool mapped = pmap_lookup_arch(&vs->vs_pmap, va + off, &pa, &have);
		int rc;

		spin_unlock_irqrestore(&vs->vs_lock, fl);
		if (mapped)
			continue;
		if ((pa = lazy_frame()) == 0)
			return -ENOMEM;
		rc = vm_map(vs, va + off, pa, prot | VMP_OWNED);
		if (rc < 0)
			frame_free(pa, 0);
		if (rc < 0 && rc != -EEXIST)	/* -EEXIST: a racing fill won */
			return rc;
	}
	return 0;
}

int
vm_lazy_fill(struct vmspace *vs, uaddr_t va, unsigned need)
{
	unsigned long fl;
	unsigned prot;
	paddr_t pa;
	bool lazy;
	int rc;

	va &= ~(uaddr_t)(PAGE_SIZE - 1);
	fl = spin_lock_irqsave(&vs->vs_lock);
	lazy = pmap_lazy_lookup_arch(&vs->vs_pmap, va, &prot);
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (!lazy || (prot & need) != need)
		return -EFAULT;
	if ((pa = lazy_frame()) == 0)
		return -EFAULT;		/* out of memory: the copy fails */
	fl = spin_lock_irqsave(&vs->vs_lock);
	rc = -EEXIST;			/* filled or unmapped meanwhile: look again */
	if (pmap_lazy_lookup_arch(&vs->vs_pmap, va, &prot) &&
	    (rc = pmap_enter_arch(&vs->vs_pmap, va, pa, prot | VMP_OWNED)) == 0) {
		vs->vs_pages++;
		vs->vs_owned++;
	}
	spin_unlock_irqrestore(&vs->vs_lock, fl);
	if (rc < 0)
		frame_free(pa, 0);
	return rc == 0 || rc == -EEXIST ? 0 : -EFAULT;
}

/* ---- copies ----------------------------------------------------------------- */

/* The kernel address of user va in vs if mapped with prot, else NULL (vs_lock held). */
static void *
xlate(struct vmspace *vs, uaddr_t va, unsigned prot)
{
	paddr_t pa;
	unsigned have;

	if (!pmap_lookup_arch(&vs->vs_pmap, va, &pa, &have) || (have & prot) != prot)
		return NULL;
	return phys_to_virt(pa);
}

/*
 * xlate for a write of the kernel's own (prot: what the page must allow,
 * 0 for the loader's forced writes).  A copy-on-write page gives NULL and
 * *cow: the caller breaks it (vm_cow_break, no locks held) and retries.
 */
static void *
xlate_w(struct vmspace *vs, uaddr_t va, unsigned prot, bool *cow)
{
	paddr_t pa;
	unsigned have;

	*cow = false;
	if (!pmap_lookup_arch(&vs->vs_pmap, va, &pa, &have))
		return NULL;
	if (have & VMP_COW) {
		*cow = true;
		return NULL;
	}
	return (have & prot) == prot ? phys_to_virt(pa) : NULL;
}

static size_t
page_left(uaddr_t va)
{
	return PAGE_SIZE - (va & (PAGE_SIZE - 1));
}

/* Copy len bytes between kernel memory kbuf and user address uva of vs. */
static int
copy_user(struct vmspace *vs, uaddr_t uva, void *kbuf, size_t len, bool out)
{
	char *k = kbuf;

	while (len) {
		size_t n = MIN(len, page_left(uva));
		unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
		bool cow = false;
		void *p = out ? xlate_w(vs, uva, VMP_W, &cow) : xlate(vs, uva, VMP_R);

		if (p)
			memcpy(out ? p : k, out ? k : p, n);
		spin_unlock_irqrestore(&vs->vs_lock, fl);
		if (cow && vm_cow_break(vs, uva) == 0)
			continue;		/* a private copy now: again */
		if (p == NULL && !cow && vm_lazy_fill(vs, uva, out ? VMP_W : VMP_R) == 0)
			continue;		/* a lazy page, filled now: again */
		if (p == NULL)
			return -EFAULT;
		k += n;
		uva += n;
		len -= n;
	}
	return 0;
}

int
vm_copyin(struct vmspace *vs, void *dst, uaddr_t src, size_t len)
{
	return copy_user(vs, src, dst, len, false);
}

int
vm_copyout(struct vmspace *vs, uaddr_t dst, const void *src, size_t len)
{
	return copy_user(vs, dst, (void *)(uintptr_t)src, len, true);	/* only read when out */
}

/* Lock two spaces in address order (one if they are the same). */
static unsigned long
lock_two(struct vmspace *a, struct vmspace *b)
{
	struct vmspace *first = a < b ? a : b, *second = a < b ? b : a;
	unsigned long fl = spin_lock_irqsave(&first->vs_lock);

	if (second != first)
		spin_lock(&second->vs_lock);
	return fl;
}

static void
unlock_two(struct vmspace *a, struct vmspace *b, unsigned long fl)
{
	struct vmspace *first = a < b ? a : b, *second = a < b ? b : a;

	if (second != first)
		spin_unlock(&second->vs_lock);
	spin_unlock_irqrestore(&first->vs_lock, fl);
}

/* Copy between two spaces; the destination needs dprot (0: any mapping). */
static int
copy_between(struct vmspace *dvs, uaddr_t dst, unsigned dprot, struct vmspace *svs,
    uaddr_t src, size_t len)
{
	while (len) {
		size_t n = MIN(len, MIN(page_left(dst), page_left(src)));
		unsigned long fl = lock_two(dvs, svs);
		bool cow;
		void *d = xlate_w(dvs, dst, dprot, &cow);
		void *s = xlate(svs, src, VMP_R);

		if (d && s)
			memmove(d, s, n);
		unlock_two(dvs, svs, fl);
		if (cow && vm_cow_break(dvs, dst) == 0)
			continue;
		if (!d && !cow && vm_lazy_fill(dvs, dst, dprot) == 0)
			continue;		/* lazy pages, filled now: again */
		if (!s && vm_lazy_fill(svs, src, VMP_R) == 0)
			continue;
		if (!d || !s)
			return -EFAULT;
		dst += n;
		src += n;
		len -= n;
	}
	return 0;
}

int
vm_copy(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src, size_t len)
{
	return copy_between(dvs, dst, VMP_W, svs, src, len);
}

int
vm_copy_force(struct vmspace *dvs, uaddr_t dst, struct vmspace *svs, uaddr_t src, size_t len)
{
	return copy_between(dvs, dst, 0, svs, src, len);	/* the loader writes text */
}

long
vm_copyinstr(struct vmspace *vs, char *dst, uaddr_t src, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (vm_copyin(vs, &dst[i], src + i, 1) < 0)
			return -EFAULT;
		if (dst[i] == '\0')
			return (long)i;
	}
	return -ENAMETOOLONG;
}

int
vm_check(struct vmspace *vs, uaddr_t va, size_t len, unsigned prot)
{
	if (va + len < va || va + len > USER_TOP)
		return -EFAULT;
	while (len) {
		size_t n = MIN(len, page_left(va));
		unsigned long fl = spin_lock_irqsave(&vs->vs_lock);
		paddr_t pa;
		unsigned have = 0;
		bool ok = pmap_lookup_arch(&vs->vs_pmap, va, &pa, &have) ||
		    pmap_lazy_lookup_arch(&vs->vs_pmap, va, &have);	/* a copy fills it */

		spin_unlock_irqrestore(&vs->vs_lock, fl);
		if (have & VMP_COW)
			have |= VMP_W;		/* writable: the write will copy it */
		if (!ok || (have & prot) != prot)
			return -EFAULT;
		va += n;
		len -= n;
	}
	return 0;
}
