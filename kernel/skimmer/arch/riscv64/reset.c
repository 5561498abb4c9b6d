/*
 * arch/riscv64/reset.c - power off with an exit status, and backtraces.
 *
 * A clean shutdown (status 0) uses SBI system reset.  SBI has no way to
 * pass an exit status, so for a non-zero status we write the status to the
 * "sifive,test" finisher the device tree lists (QEMU virt has one): QEMU
 * then exits with that status.  Without a finisher we fall back to SBI
 * system reset with reason "system failure".
 */
#include <kern/bootinfo.h>
#include <kern/printf.h>
#include <kern/shutdown.h>
#include <arch/memlayout.h>
#include <arch/sbi.h>

#define FINISHER_FAIL	0x3333
#define FINISHER_PASS	0x5555

void
poweroff_arch(int status)
{
	status &= 0xff;
	if (status == 0) {
		sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE);
	} else if (bootinfo.bi_finisher_base) {
		volatile uint32_t *f = phys_to_virt(bootinfo.bi_finisher_base);

		*f = FINISHER_FAIL | (uint32_t)status << 16;
	}
	sbi_system_reset(SBI_SRST_SHUTDOWN,
	    status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Restart the machine: SBI system reset, cold reboot (QEMU: -no-reboot exits instead). */
void
reboot_arch(void)
{
	sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	poweroff_arch(0);	/* no SRST: at least stop */
}

/*
 * Walk the frame-pointer chain from frame pointer fp (pc: the first entry,
 * or 0): with -fno-omit-frame-pointer, s0 points just above the saved ra
 * (at s0 - 8) and the caller's s0 (at s0 - 16).  Stops at anything that is
 * not a kernel address.
 */
void
backtrace_from_arch(uint64_t fp, uint64_t pc)
{
	int depth = 0;

	kprintf("backtrace:\n");
	if (pc)
		kprintf("  #%d %p\n", depth++, (void *)pc);
	for (; depth < 32; depth++) {
		if (fp < DIRECT_MAP_BASE || (fp & 7))
			break;
		uint64_t ra = ((uint64_t *)fp)[-1];
		uint64_t prev = ((uint64_t *)fp)[-2];

		if (ra < KERNEL_VBASE)
			break;
		kprintf("  #%d %p\n", depth, (void *)ra);
		if (prev <= fp)
			break;
		fp = prev;
	}
}

void
backtrace_arch(void)
{
	backtrace_from_arch((uint64_t)__builtin_frame_address(0), 0);
}
