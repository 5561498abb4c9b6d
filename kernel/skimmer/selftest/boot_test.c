/*
 * selftest/boot_test.c - what the boot path established.
 */
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/ktest.h>
#include <kern/string.h>
#include <arch/memlayout.h>

KTEST(boot, device_tree)
{
	KT_CHECK(bootinfo.bi_nmem > 0, "no memory");
	KT_CHECK(bootinfo.bi_nharts > 0, "no harts");
	KT_CHECK(bootinfo.bi_timebase > 0, "no timebase");
	KT_CHECK(bootinfo.bi_uart_base != 0, "no ns16550 uart");
	KT_CHECK(bootinfo.bi_plic_base != 0, "no plic");
	return 0;
}

KTEST(boot, initrd_is_newc_cpio)
{
	const char *p;

	KT_CHECK(bootinfo.bi_initrd_start != 0, "no initrd in /chosen");
	KT_CHECK(bootinfo.bi_initrd_end - bootinfo.bi_initrd_start >= 110, "initrd too small");
	p = phys_to_virt(bootinfo.bi_initrd_start);
	KT_CHECK(memcmp(p, "070701", 6) == 0, "initrd does not start with the newc magic");
	return 0;
}

KTEST(boot, all_cpus_online)
{
	int expect = MIN(bootinfo.bi_nharts, CONFIG_SKIMMER_MAX_CPUS);

	KT_EQ(ncpus, expect);
	for (int i = 0; i < ncpus; i++) {
		KT_CHECK(cpus[i].gd_online, "cpu%d not online", i);
		KT_CHECK(cpus[i].gd_self == &cpus[i], "cpu%d self pointer", i);
	}
	KT_CHECK(mycpu() == &cpus[0], "tests run on the boot cpu");
	return 0;
}
