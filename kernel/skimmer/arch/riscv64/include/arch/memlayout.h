/*
 * arch/memlayout.h - the Sv39 virtual address layout.
 *
 *   0x0000000000000000 - 0x0000003fffffffff   user space (256 GiB)
 *   0xffffffc000000000 - 0xffffffefffffffff   direct map of physical memory
 *                                              (PA 0 .. 192 GiB, gigapages)
 *   0xffffffff80000000 - 0xffffffffbfffffff   the kernel image (linked at
 *                                              KERNEL_VBASE, 1 GiB window)
 *
 * The kernel image is linked at 0xffffffff80200000, RAM start + 2 MiB, the
 * RISC-V Linux image's text offset; head.S maps it there before C runs.
 */
#ifndef ARCH_MEMLAYOUT_H
#define ARCH_MEMLAYOUT_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define GIGAPAGE_SIZE	(1UL << 30)

#define USER_TOP	0x0000004000000000UL
#define DIRECT_MAP_BASE	0xffffffc000000000UL
#define DIRECT_MAP_SIZE	(192UL << 30)
#define KERNEL_VBASE	0xffffffff80000000UL	/* the 1 GiB window of the image */
#define KERNEL_TEXT_OFFSET 0x200000UL

#ifndef __ASSEMBLY__
#include <kern/types.h>

/* Physical address to direct-map virtual address and back. */
static inline void *
phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

static inline paddr_t
virt_to_phys(const void *va)
{
	extern paddr_t kernel_phys_base;	/* PA of KERNEL_VBASE's gigapage */
	vaddr_t v = (vaddr_t)va;

	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE + kernel_phys_base;
	return v - DIRECT_MAP_BASE;
}
#endif

#endif
