/*
 * arch/riscv64/head.S - kernel entry.
 *
 * OpenSBI (or U-Boot's booti) jumps here in S-mode with the MMU off,
 * a0 = hart id and a1 = the physical address of the device tree.  The image
 * starts with the RISC-V Linux image header.  Until the MMU is on we run at
 * the physical load address; all code here is PC-relative.
 *
 * We build boot_pgd with gigapages: an identity map of the image's gigapage
 * (so the instruction after the satp write still fetches), the kernel window
 * at KERNEL_VBASE, and the direct map.  Then we jump to the linked address.
 */
#include <arch/memlayout.h>
#include <arch/csr.h>
#include <kern/param.h>

#define PTE_KERN_RWX	0xef	/* V R W X G A D */

	.section .text.head, "ax"
	.option push
	.option norvc
	.globl _start
_start:
	j	entry_boot		/* code0 */
	.word	0			/* code1 */
	.dword	KERNEL_TEXT_OFFSET	/* text_offset */
	.dword	_image_end - _start	/* image_size, including .bss */
	.dword	0			/* flags: little-endian */
	.word	0x2			/* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"		/* magic (deprecated) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* reserved for a PE/COFF header */
	.option pop

entry_boot:
	csrw	sie, zero
	csrw	sip, zero
	/* Only the first hart here boots; see wrong_door below. */
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, wrong_door
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* dtb PA */
	call	build_boot_pgd
	call	enable_mmu
	/* Now at the linked (virtual) address.  Clear .bss (no stack yet). */
	la	t0, _bss_start
	la	t1, _bss_end
2:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:	la	sp, boot_stack_top
	la	tp, cpus		/* mycpu(): the boot CPU is cpus[0] (gd_id 0) */
	mv	a0, s0
	mv	a1, s1
	call	kmain			/* never returns */
1:	wfi
	j	1b

/*
 * A second hart at _start.  Harts do come in here: OpenSBI 1.1 may let a
 * hart out of HSM before it has stored the hart's start address (it marks
 * the hart START_PENDING first), and sometimes releases the hart that
 * lost the boot lottery to the firmware's next address, _start, by
 * itself (then our hart_start says SBI_ERR_ALREADY_AVAILABLE).  Booting
 * again would clear .bss under the running kernel (seen: cpus[0] zeroed,
 * a second "cpu 0").  Instead wait until the boot hart publishes this
 * hart's struct cpu (smp_hart_cpu, kern/smp.c) and go where a started
 * hart goes; SMP_HART_PARK there, or a hart id beyond the table, parks
 * for good.  MMU off: PC-relative, and no wfi (interrupts are off).
 */
wrong_door:
	li	t1, SMP_MAX_HARTID
	bgeu	a0, t1, 3f
	la	t0, smp_hart_cpu
	slli	t1, a0, 3
	add	t0, t0, t1
2:	fence	rw, rw
	ld	a1, 0(t0)
	beqz	a1, 2b
	li	t1, SMP_HART_PARK
	beq	a1, t1, 3f
	j	entry_secondary
3:	wfi
	j	3b

/*
 * Secondary harts arrive here from SBI HSM hart_start with a0 = hart id and
 * a1 = opaque = the virtual address of the hart's struct cpu.  boot_satp
 * already holds the kernel page table.
 */
	.globl	entry_secondary
entry_secondary:
	csrw	sie, zero
	csrw	sip, zero
	mv	s0, a0
	mv	s1, a1
	call	enable_mmu
	ld	sp, 8(s1)		/* cpu->gd_boot_sp */
	mv	tp, s1			/* mycpu() */
	mv	a0, s1
	call	smp_secondary_main	/* never returns */
1:	wfi
	j	1b

/*
 * Fill boot_pgd (physical addressing; clobbers t0-t6).  Records the kernel's
 * physical gigapage base in kernel_phys_base and the satp value in boot_satp.
 */
build_boot_pgd:
	la	t0, boot_pgd
	la	t1, _start
	li	t2, ~(GIGAPAGE_SIZE - 1)
	and	t1, t1, t2		/* PA of the image's gigapage */
	la	t3, kernel_phys_base
	sd	t1, 0(t3)
	/* pte = (pa >> 12) << 10 | flags */
	srli	t2, t1, 12
	slli	t2, t2, 10
	ori	t2, t2, PTE_KERN_RWX
	/* identity: index = pa >> 30 */
	srli	t3, t1, 30
	andi	t3, t3, 511
	slli	t3, t3, 3
	add	t3, t3, t0
	sd	t2, 0(t3)
	/* kernel window: index of KERNEL_VBASE = 510 */
	li	t3, 510 * 8
	add	t3, t3, t0
	sd	t2, 0(t3)
	/* direct map: 192 gigapages from PA 0 at index 256 */
	li	t3, 0
	li	t4, 192
	li	t5, 256 * 8
	add	t5, t5, t0
1:	slli	t6, t3, 28		/* (i << 30) >> 12 << 10 == i << 28 */
	ori	t6, t6, PTE_KERN_RWX
	sd	t6, 0(t5)
	addi	t3, t3, 1
	addi	t5, t5, 8
	blt	t3, t4, 1b
	/* satp = SV39 | ppn(boot_pgd) */
	srli	t0, t0, 12
	li	t1, SATP_MODE_SV39
	or	t0, t0, t1
	la	t1, boot_satp
	sd	t0, 0(t1)
	ret

/*
 * Turn the MMU on with boot_satp and continue at the caller's return
 * address moved into the kernel window.  Clobbers t0-t2.
 */
enable_mmu:
	la	t0, boot_satp
	ld	t0, 0(t0)
	/* stvec at the virtual continuation catches a missing identity map */
	la	t1, kernel_phys_base
	ld	t1, 0(t1)
	li	t2, KERNEL_VBASE
	sub	t2, t2, t1		/* VA - PA offset */
	add	ra, ra, t2
	la	t1, 1f
	add	t1, t1, t2
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	/* jump to the virtual alias of 1: */
	jr	t1
	.balign 4
1:	ret

	.section .data
	.balign	4096
	.globl	boot_pgd
boot_pgd:
	.fill	512, 8, 0
	.globl	boot_satp
boot_satp:
	.dword	0
	.globl	kernel_phys_base
kernel_phys_base:
	.dword	0
	/* In .data, not .bss: the boot hart clears .bss after it claims. */
boot_claimed:
	.word	0
	.balign	8
	.globl	smp_hart_cpu
smp_hart_cpu:				/* struct cpu * by hart id (kern/smp.c) */
	.fill	SMP_MAX_HARTID, 8, 0

	.section .bss.stack, "aw", @nobits
	.balign	16
	.globl	boot_stack
boot_stack:
	.skip	KSTACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
