/*
 * arch/riscv64/sbi.c - SBI calls: ecall with a7 = extension, a6 = function.
 */
#include <arch/sbi.h>

struct sbiret
sbi_call(long ext, long fid, long arg0, long arg1, long arg2)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a2 __asm__("a2") = arg2;
	register long a6 __asm__("a6") = fid;
	register long a7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
	    : "+r"(a0), "+r"(a1)
	    : "r"(a2), "r"(a6), "r"(a7)
	    : "memory");
	return (struct sbiret){ .error = a0, .value = a1 };
}

bool
sbi_probe(long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

void
sbi_legacy_putchar(int c)
{
	sbi_call(SBI_LEGACY_PUTCHAR, 0, c, 0, 0);
}

void
sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0);
}

long
sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_call(SBI_EXT_IPI, 0, (long)hart_mask, (long)hart_mask_base, 0).error;
}

long
sbi_hart_start(unsigned long hartid, paddr_t start, unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)start, (long)opaque).error;
}

long
sbi_hart_status(unsigned long hartid)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, 2, (long)hartid, 0, 0);

	return r.error ? r.error : r.value;
}

void
sbi_system_reset(uint32_t type, uint32_t reason)
{
	sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
}
