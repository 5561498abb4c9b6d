/*
 * arch/riscv64/ucopy.S - a direct copy through the MMU, for short IPC
 * messages (kern/msg.c, docs/performance.md).
 *
 * int ucopy_arch(void *dst, const void *src, size_t len)
 *
 * Copies len bytes with loads and stores through the active page table,
 * with sstatus.SUM set so that user pages are reachable.  Returns 0, or
 * -EFAULT if an access faulted: a page fault or access fault whose sepc
 * lies between ucopy_start_arch and ucopy_end_arch does not panic, the
 * trap handler resumes at ucopy_fault_arch (trap.c, ucopy_fixup_arch).
 * Nothing else is done for a fault (no copy-on-write break, no pager): the
 * caller then takes the general copy (vm_copy and friends), which decides
 * what the fault means.  The caller checks that the user addresses are
 * below USER_TOP (SUM does not keep S-mode out of kernel pages) and keeps
 * interrupts off, so no other code runs with SUM set and a TLB shoot-down
 * of the pages waits until the copy is done.  Some bytes may have been
 * stored before a fault.
 */
#define SSTATUS_SUM	(1 << 18)
#define EFAULT		14

	.section .text
	.globl	ucopy_arch
	.globl	ucopy_start_arch
	.globl	ucopy_end_arch
	.globl	ucopy_fault_arch
	.balign	4
ucopy_arch:
	li	t0, SSTATUS_SUM
	csrs	sstatus, t0
ucopy_start_arch:
	beqz	a2, 3f
	or	t1, a0, a1
	or	t1, t1, a2
	andi	t1, t1, 7
	bnez	t1, 2f
	/* Both ends and the length 8-byte aligned: 32 bytes a round, then 8. */
	li	t3, 32
	bltu	a2, t3, 4f
1:	ld	t2, 0(a1)
	ld	t4, 8(a1)
	ld	t5, 16(a1)
	ld	t6, 24(a1)
	sd	t2, 0(a0)
	sd	t4, 8(a0)
	sd	t5, 16(a0)
	sd	t6, 24(a0)
	addi	a2, a2, -32
	addi	a0, a0, 32
	addi	a1, a1, 32
	bgeu	a2, t3, 1b
	beqz	a2, 3f
4:	ld	t2, 0(a1)
	sd	t2, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	bnez	a2, 4b
	j	3f
2:	lbu	t2, 0(a1)
	sb	t2, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	bnez	a2, 2b
3:
ucopy_end_arch:
	csrc	sstatus, t0
	li	a0, 0
	ret

ucopy_fault_arch:
	li	t0, SSTATUS_SUM
	csrc	sstatus, t0
	li	a0, -EFAULT
	ret
