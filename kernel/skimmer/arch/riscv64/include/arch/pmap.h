/*
 * arch/pmap.h - Sv39 page tables for user address spaces.
 *
 * A pmap is one root table plus an ASID.  Entries 256..511 of every root
 * (the kernel half) are copied from the kernel's root at creation and never
 * change afterwards, so the kernel is mapped identically in every address
 * space.  The user half maps 4 KiB pages only.
 *
 * Locking: the caller serialises all changes to one pmap (kern/vm.c holds
 * the vmspace's vs_lock).  Lookups may run concurrently with nothing but
 * other lookups.  These functions never sleep; they do not flush other
 * CPUs' TLBs (kern/vm.c does, through the IPI queues).
 */
#ifndef ARCH_PMAP_H
#define ARCH_PMAP_H

#include <kern/types.h>

/* Protection and flag bits for pmap_enter_arch (our own, not PTE bits). */
#define VMP_R		0x1
#define VMP_W		0x2
#define VMP_X		0x4
#define VMP_OWNED	0x8	/* the frame is freed when the page is unmapped */
#define VMP_COW		0x10	/* copy on write: read-only until a write copies it
				   (kern/vm_cow.c); never with VMP_W */
#define VMP_PINNED	0x20	/* with VMP_OWNED: the frame never moves (DMA
				   memory): fork shares it writable, never copies */

struct pmap {
	paddr_t		pm_root;	/* root table (PA) */
	uint16_t	pm_asid;	/* address-space id, 0 = none */
};

/* Boot CPU, once: find how many ASID bits exist (user roots copy boot_pgd's kernel half). */
void pmap_init_arch(void);

/* A new empty user address space.  0 or -ENOMEM (no ASID is also -ENOMEM). */
int pmap_create_arch(struct pmap *pm);

/*
 * Free every page table of pm.  For each mapped page, release(pa, prot)
 * is called first (it frees VMP_OWNED frames).  No CPU may be using pm.
 */
void pmap_destroy_arch(struct pmap *pm, void (*release)(paddr_t pa, unsigned prot));

/* Map the 4 KiB page at user va to pa.  0, -EINVAL (bad va/prot), -EEXIST, -ENOMEM. */
int pmap_enter_arch(struct pmap *pm, vaddr_t va, paddr_t pa, unsigned prot);

/*
 * Point the existing mapping of user va at pa with prot instead.  0 or
 * -EINVAL (not mapped, bad prot).  Local TLB only.
 */
int pmap_replace_arch(struct pmap *pm, vaddr_t va, paddr_t pa, unsigned prot);

/* Unmap user va; its pa and prot go to *pa and *prot.  0 or -ENOENT.  Local TLB only. */
int pmap_remove_arch(struct pmap *pm, vaddr_t va, paddr_t *pa, unsigned *prot);

/*
 * Lazy zero-fill pages (kern/vm.c's vm_lazy): no frame, only a mark that
 * says which access (VMP_R/W/X) the page will have once it is filled.
 * pmap_lazy_arch marks user va so if nothing is mapped there (a lazy page
 * gets the new prot): 0, 1 if a page is mapped (left alone), -EINVAL,
 * -ENOMEM (a page table).  pmap_enter_arch replaces the mark;
 * pmap_remove_arch forgets it (still -ENOENT); lookups and
 * pmap_next_arch do not see it.  pmap_lazy_lookup_arch: true with the
 * mark's prot if va is lazy.
 */
int pmap_lazy_arch(struct pmap *pm, vaddr_t va, unsigned prot);
bool pmap_lazy_lookup_arch(const struct pmap *pm, vaddr_t va, unsigned *prot);

/* Translate user va: true with the frame's pa and VMP_* prot if mapped. */
bool pmap_lookup_arch(const struct pmap *pm, vaddr_t va, paddr_t *pa, unsigned *prot);

/*
 * The first mapped user page at or above *va and below end: true with its
 * address in *va, its frame and VMP_* prot.  Skips unmapped tables whole.
 */
bool pmap_next_arch(const struct pmap *pm, vaddr_t *va, vaddr_t end, paddr_t *pa,
    unsigned *prot);

/* Make pm (NULL: the kernel's) the current address space on this hart. */
void pmap_activate_arch(const struct pmap *pm);

/* Flush this hart's TLB for pm at va (va == 0: the whole ASID). */
void pmap_flush_local_arch(const struct pmap *pm, vaddr_t va);

/* Number of user ASIDs this machine has (0: none, every switch flushes). */
unsigned pmap_asid_count_arch(void);

#endif
