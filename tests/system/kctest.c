/*
 * tests/system/kctest.c - in-system tests of the kernel-call interface,
 * run as init (boot option init=/proc/boot/kctest).  One result line per
 * test; the exit status (0 or 1) powers the machine off with that status.
 */
#include "utest.h"
#include <abi/vmlayout.h>

#define BOOT_STACK_SIZE	(256 * 1024)	/* kernel/skimmer/include/kern/bootstrap.h */

static long
kc(long num, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return __kercall(num, a0, a1, a2, a3, a4, a5);
}

/* A new thread starts with clean registers: nothing leaks from the kernel. */
UTEST(kc, initial_registers_are_zero)
{
	for (int i = 0; i < 27; i++)
		if (i != 6)			/* a1: the boot image's size, for init */
			UT_EQ(__rt_initregs[i], 0);
	UT_CHECK(__rt_initregs[6] == rt_arg2 && rt_arg2 > 110);
	return 0;
}

UTEST(kc, nop_returns_zero)
{
	UT_EQ(kc(__KER_Nop, 1, 2, 3, 4, 5, 6), 0);
	return 0;
}

UTEST(kc, unknown_numbers_are_enosys)
{
	UT_EQ(kc(__KER_COUNT, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UT_EQ(kc(9999, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UT_EQ(kc(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UT_EQ(kc(0x7fffffffffffffffL, 0, 0, 0, 0, 0, 0), -ENOSYS);
	return 0;
}

UTEST(kc, debugwrite_lengths)
{
	static const char msg[] = "kctest: DebugWrite works\n";

	UT_EQ(kc(__KER_DebugWrite, (long)msg, sizeof(msg) - 1, 0, 0, 0, 0), sizeof(msg) - 1);
	UT_EQ(kc(__KER_DebugWrite, (long)msg, 0, 0, 0, 0, 0), 0);
	UT_EQ(kc(__KER_DebugWrite, (long)msg, -1, 0, 0, 0, 0), -EINVAL);
	UT_EQ(kc(__KER_DebugWrite, (long)msg, 4097, 0, 0, 0, 0), -EINVAL);
	return 0;
}

/* Bad pointers of every kind get EFAULT, and the kernel survives. */
UTEST(kc, debugwrite_bad_pointers)
{
	static const long bad[] = {
		0,				/* NULL */
		0x8,				/* page zero */
		(long)0xffffffff80200000UL,	/* the kernel image */
		(long)0xffffffc000000000UL,	/* the kernel's direct map */
		0x3000000000L,			/* unmapped user address */
		(long)USER_SPACE_TOP,		/* just past user space */
		-4096,				/* wraps around */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UT_EQ(kc(__KER_DebugWrite, bad[i], 8, 0, 0, 0, 0), -EFAULT);
	/* Unmapped start, mapped end: just below the bottom of the stack. */
	UT_EQ(kc(__KER_DebugWrite, (long)(USER_STACK_TOP - BOOT_STACK_SIZE) - 4, 8, 0, 0, 0, 0),
	    -EFAULT);
	return 0;
}

/* The boot image is mapped read-only at BOOTIMG_VA: readable. */
UTEST(kc, bootimg_is_mapped)
{
	const char *img = (const char *)BOOTIMG_VA;

	UT_CHECK(memcmp(img, "070701", 6) == 0);
	return 0;
}

int
umain(uint64_t arg)
{
	rt_printf("kctest: started, boot image at %p\n", (void *)arg);
	return utest_run_all() ? 1 : 0;
}
