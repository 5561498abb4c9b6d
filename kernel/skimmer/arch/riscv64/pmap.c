/*
 * arch/riscv64/pmap.c - Sv39 user page tables and ASIDs.
 */
#include <kern/frame.h>
#include <kern/panic.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <abi/errno.h>
#include <arch/csr.h>
#include <arch/memlayout.h>
#include <arch/pmap.h>

#define PTE_V		0x001
#define PTE_R		0x002
#define PTE_W		0x004
#define PTE_X		0x008
#define PTE_U		0x010
#define PTE_G		0x020
#define PTE_A		0x040
#define PTE_D		0x080
#define PTE_OWNED	0x100	/* RSW bit: frame freed on unmap (software) */
#define PTE_COW		0x200	/* RSW bit: copy on write (read-only in hardware) */
/*
 * Sv39 has only the two RSW bits, and copy on write is always on an owned
 * frame, so PTE_COW without PTE_OWNED is free: it means an owned, pinned
 * frame (VMP_OWNED | VMP_PINNED, DMA memory).
 */
#define PTE_PINNED	PTE_COW
/*
 * A lazy zero-fill page (vm_lazy): PTE_V clear, so the hardware ignores
 * the rest, PTE_LAZY set and the access it will have in PTE_R/W/X.
 */
#define PTE_LAZY	PTE_OWNED
#define PTE_PPN_SHIFT	10
#define PTES		512

extern uint64_t boot_pgd[PTES];

static unsigned asid_bits;		/* implemented ASID width */
#define ASID_MAX	4096		/* we track at most this many */

/*
 * asid_lock protects asid_map.  A leaf lock, taken with interrupts off
 * when an address space is created or destroyed.
 */
static struct spinlock asid_lock = SPINLOCK_INIT("asid");
static uint64_t asid_map[ASID_MAX / 64];	/* bit set = in use; ASID 0 = kernel */

static inline uint64_t *
table_va(paddr_t pa)
{
	return phys_to_virt(pa);
}

static inline paddr_t
pte_pa(uint64_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static inline unsigned
vpn(vaddr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTES - 1);
}

void
pmap_init_arch(void)
{
	unsigned long satp = csr_read(satp);

	/* Write all-ones to the ASID field; the bits that stick exist. */
	csr_write(satp, satp | (0xffffUL << 44));
	for (unsigned long m = (csr_read(satp) >> 44) & 0xffff; m; m >>= 1)
		asid_bits += m & 1;
	csr_write(satp, satp);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	asid_map[0] = 1;	/* ASID 0 is the kernel's */
}

unsigned
pmap_asid_count_arch(void)
{
	unsigned n = asid_bits ? (1U << asid_bits) : 0;

	return n > ASID_MAX ? ASID_MAX : n;
}

static uint16_t
asid_alloc(void)
{
	unsigned n = pmap_asid_count_arch();
	unsigned long fl = spin_lock_irqsave(&asid_lock);
	uint16_t found = 0;

	for (unsigned a = 1; a < n; a++) {
		if (!(asid_map[a / 64] & (1ULL << (a % 64)))) {
			asid_map[a / 64] |= 1ULL << (a % 64);
			found = (uint16_t)a;
			break;
		}
	}
	spin_unlock_irqrestore(&asid_lock, fl);
	return found;
}

static void
asid_free(uint16_t a)
{
	unsigned long fl = spin_lock_irqsave(&asid_lock);

	asid_map[a / 64] &= ~(1ULL << (a % 64));
	spin_unlock_irqrestore(&asid_lock, fl);
}

int
pmap_create_arch(struct pmap *pm)
{
	paddr_t root = frame_alloc(0, FRAME_ZERO);
	uint64_t *t;

	if (root == 0)
		return -ENOMEM;
	pm->pm_asid = 0;
	if (pmap_asid_count_arch() > 1 && (pm->pm_asid = asid_alloc()) == 0) {
		frame_free(root, 0);
		return -ENOMEM;
	}
	t = table_va(root);
	for (int i = PTES / 2; i < PTES; i++)
		t[i] = boot_pgd[i];
	pm->pm_root = root;
	return 0;
}

static unsigned
pte_prot(uint64_t pte)
{
	unsigned rsw = (pte & (PTE_OWNED | PTE_COW)) == PTE_PINNED ? VMP_OWNED | VMP_PINNED :
	    ((pte & PTE_OWNED) ? VMP_OWNED : 0) | ((pte & PTE_COW) ? VMP_COW : 0);

	return ((pte & PTE_R) ? VMP_R : 0) | ((pte & PTE_W) ? VMP_W : 0) |
	    ((pte & PTE_X) ? VMP_X : 0) | rsw;
}

static void
destroy_level(paddr_t table, int level, void (*release)(paddr_t, unsigned))
{
	uint64_t *t = table_va(table);
	int end = level == 2 ? PTES / 2 : PTES;

	for (int i = 0; i < end; i++) {
		uint64_t pte = t[i];

		if (!(pte & PTE_V))
			continue;
		if (pte & (PTE_R | PTE_W | PTE_X)) {
			if (release)
				release(pte_pa(pte), pte_prot(pte));
		} else {
			destroy_level(pte_pa(pte), level - 1, release);
		}
	}
	frame_free(table, 0);
}

void
pmap_destroy_arch(struct pmap *pm, void (*release)(paddr_t, unsigned))
{
	destroy_level(pm->pm_root, 2, release);
	if (pm->pm_asid)
		asid_free(pm->pm_asid);
	pm->pm_root = 0;
	pm->pm_asid = 0;
}

/* The leaf PTE slot for va, allocating tables on the way if alloc. */
static uint64_t *
walk(const struct pmap *pm, vaddr_t va, bool alloc)
{
	uint64_t *t = table_va(pm->pm_root);

	for (int level = 2; level > 0; level--) {
		uint64_t *pte = &t[vpn(va, level)];

		if (!(*pte & PTE_V)) {
			paddr_t next;

			if (!alloc || (next = frame_alloc(0, FRAME_ZERO)) == 0)
				return NULL;
			*pte = (next >> PAGE_SHIFT) << PTE_PPN_SHIFT | PTE_V;
		} else if (*pte & (PTE_R | PTE_W | PTE_X)) {
			return NULL;	/* a superpage: not in user space */
		}
		t = table_va(pte_pa(*pte));
	}
	return &t[vpn(va, 0)];
}

static bool
user_va_ok(vaddr_t va)
{
	return va < USER_TOP && (va & (PAGE_SIZE - 1)) == 0;
}

static bool
prot_ok(unsigned prot)
{
	return (prot & (VMP_R | VMP_X)) && (!(prot & VMP_W) || (prot & VMP_R)) &&
	    !((prot & VMP_COW) && (prot & VMP_W)) &&
	    !((prot & VMP_PINNED) && (prot & (VMP_COW | VMP_OWNED)) != VMP_OWNED);
}

static uint64_t
pte_make(paddr_t pa, unsigned prot)
{
	uint64_t bits = PTE_V | PTE_U | PTE_A;

	bits |= (prot & VMP_R) ? PTE_R : 0;
	bits |= (prot & VMP_W) ? PTE_W | PTE_D : 0;
	bits |= (prot & VMP_X) ? PTE_X : 0;
	if (prot & VMP_PINNED)
		bits |= PTE_PINNED;
	else
		bits |= ((prot & VMP_OWNED) ? PTE_OWNED : 0) | ((prot & VMP_COW) ? PTE_COW : 0);
	return (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | bits;
}

int
pmap_enter_arch(struct pmap *pm, vaddr_t va, paddr_t pa, unsigned prot)
{
	uint64_t *pte;

	if (!user_va_ok(va) || (pa & (PAGE_SIZE - 1)) || !prot_ok(prot))
		return -EINVAL;
	pte = walk(pm, va, true);
	if (pte == NULL)
		return -ENOMEM;
	if (*pte & PTE_V)
		return -EEXIST;
	*pte = pte_make(pa, prot);
	return 0;
}

int
pmap_replace_arch(struct pmap *pm, vaddr_t va, paddr_t pa, unsigned prot)
{
	uint64_t *pte = user_va_ok(va) ? walk(pm, va, false) : NULL;

	if (pte == NULL || !(*pte & PTE_V) || (pa & (PAGE_SIZE - 1)) || !prot_ok(prot))
		return -EINVAL;
	*pte = pte_make(pa, prot);
	pmap_flush_local_arch(pm, va);
	return 0;
}

int
pmap_remove_arch(struct pmap *pm, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	uint64_t *pte = user_va_ok(va) ? walk(pm, va, false) : NULL;

	if (pte != NULL && !(*pte & PTE_V))
		*pte = 0;		/* a lazy page is forgotten too */
	if (pte == NULL || !(*pte & PTE_V))
		return -ENOENT;
	if (pa)
		*pa = pte_pa(*pte);
	if (prot)
		*prot = pte_prot(*pte);
	*pte = 0;
	pmap_flush_local_arch(pm, va);
	return 0;
}

bool
pmap_lookup_arch(const struct pmap *pm, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	uint64_t *pte;

	if (va >= USER_TOP)
		return false;
	pte = walk(pm, va & ~(PAGE_SIZE - 1), false);
	if (pte == NULL || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
		return false;
	*pa = pte_pa(*pte) + (va & (PAGE_SIZE - 1));
	*prot = pte_prot(*pte);
	return true;
}

int
pmap_lazy_arch(struct pmap *pm, vaddr_t va, unsigned prot)
{
	uint64_t *pte;

	if (!user_va_ok(va) || (prot & ~(VMP_R | VMP_W | VMP_X)) || !prot_ok(prot))
		return -EINVAL;
	pte = walk(pm, va, true);
	if (pte == NULL)
		return -ENOMEM;
	if (*pte & PTE_V)
		return 1;
	*pte = PTE_LAZY | ((prot & VMP_R) ? PTE_R : 0) | ((prot & VMP_W) ? PTE_W : 0) |
	    ((prot & VMP_X) ? PTE_X : 0);
	return 0;
}

bool
pmap_lazy_lookup_arch(const struct pmap *pm, vaddr_t va, unsigned *prot)
{
	uint64_t *pte;

	if (va >= USER_TOP)
		return false;
	pte = walk(pm, va & ~(PAGE_SIZE - 1), false);
	if (pte == NULL || (*pte & (PTE_V | PTE_LAZY)) != PTE_LAZY)
		return false;
	*prot = pte_prot(*pte & (PTE_R | PTE_W | PTE_X));
	return true;
}

void
pmap_activate_arch(const struct pmap *pm)
{
	paddr_t root = pm ? pm->pm_root : virt_to_phys(boot_pgd);
	unsigned long asid = pm ? pm->pm_asid : 0;

	csr_write(satp, SATP_MODE_SV39 | asid << 44 | root >> PAGE_SHIFT);
	if (asid == 0 && pm)
		__asm__ __volatile__("sfence.vma" ::: "memory");	/* no ASIDs */
}

void
pmap_flush_local_arch(const struct pmap *pm, vaddr_t va)
{
	unsigned long asid = pm ? pm->pm_asid : 0;

	if (va)
		__asm__ __volatile__("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
	else
		__asm__ __volatile__("sfence.vma zero, %0" :: "r"(asid) : "memory");
}

bool
pmap_next_arch(const struct pmap *pm, vaddr_t *va, vaddr_t end, paddr_t *pa, unsigned *prot)
{
	vaddr_t v = *va & ~(vaddr_t)(PAGE_SIZE - 1);

	while (v < end && v < USER_TOP) {
		uint64_t *t = table_va(pm->pm_root), pte = 0;
		int level;

		/* Down the tree; an empty slot skips the whole range it covers. */
		for (level = 2; level > 0; level--) {
			pte = t[vpn(v, level)];
			if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X)))
				break;
			t = table_va(pte_pa(pte));
		}
		if (level > 0) {
			v = (v | ((1UL << (PAGE_SHIFT + 9 * level)) - 1)) + 1;
			continue;
		}
		pte = t[vpn(v, 0)];
		if ((pte & (PTE_V | PTE_U)) == (PTE_V | PTE_U)) {
			*va = v;
			*pa = pte_pa(pte);
			*prot = pte_prot(pte);
			return true;
		}
		v += PAGE_SIZE;
	}
	return false;
}
