/*
 * kern/main.c - the boot CPU's path from head.S to a running system.
 */
#include <kern/bootinfo.h>
#include <kern/bootstrap.h>
#include <kern/proc.h>
#include <kern/ipc.h>
#include <kern/string.h>
#include <kern/vm.h>
#include <kern/console.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/frame.h>
#include <kern/intr.h>
#include <kern/kstack.h>
#include <kern/ktest.h>
#include <kern/kobj.h>
#include <kern/lwkt.h>
#include <kern/timer.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/shutdown.h>
#include <kern/smp.h>
#include <kern/stress.h>
#include <arch/csr.h>
#include <arch/intr.h>
#include <arch/memlayout.h>
#include <arch/timer.h>

struct bootinfo bootinfo;
struct fdt boot_fdt;

extern char _start_image[], _image_end[];
void trap_init_cpu(void);

#define DTB_MAX_SIZE	(1UL << 20)	/* we trust no larger totalsize */

static void
print_banner(void)
{
	uint64_t mem = 0;

	for (int i = 0; i < bootinfo.bi_nmem; i++)
		mem += bootinfo.bi_mem[i].mr_size;
	kprintf("\nSkimmer %s (%s) - QSOE/N microkernel for riscv64\n",
	    QSOE_VERSION, QSOE_GITREV);
	kprintf("skimmer: %d CPUs in the device tree, %lu MiB RAM, timebase %lu Hz\n",
	    bootinfo.bi_nharts, mem >> 20, bootinfo.bi_timebase);
	for (int i = 0; i < bootinfo.bi_nmem; i++)
		kprintf("skimmer: memory 0x%lx-0x%lx\n", bootinfo.bi_mem[i].mr_base,
		    bootinfo.bi_mem[i].mr_base + bootinfo.bi_mem[i].mr_size - 1);
	if (bootinfo.bi_initrd_start)
		kprintf("skimmer: boot image 0x%lx-0x%lx (%lu bytes)\n",
		    bootinfo.bi_initrd_start, bootinfo.bi_initrd_end - 1,
		    bootinfo.bi_initrd_end - bootinfo.bi_initrd_start);
	else
		kprintf("skimmer: no boot image (initrd) given\n");
	kprintf("skimmer: bootargs \"%s\"\n", bootinfo.bi_bootargs);
}

static void
parse_device_tree(paddr_t dtb)
{
	char err[128];

	if (fdt_init(&boot_fdt, phys_to_virt(dtb), DTB_MAX_SIZE) < 0)
		panic("no valid device tree at 0x%lx (a1 from the firmware)", dtb);
	if (bootinfo_parse(&bootinfo, &boot_fdt, err, sizeof(err)) < 0)
		panic("device tree: %s", err);
	bootinfo.bi_dtb = dtb;
}

__noreturn void kmain(unsigned long hartid, paddr_t dtb);

/*
 * Wait until init (pid 1) has ended, let its last thread be freed, then
 * check that every frame user space took has come back, and power off
 * with init's status (98 if memory leaked).  thread0 runs this.
 */
#define MAX_CACHES	32
static struct kobj_stats caches_at_start[MAX_CACHES];
static int ncaches_at_start;

/* Name the kobj caches holding more objects than when user space began. */
static void
report_cache_growth(void)
{
	struct kobj_stats now[MAX_CACHES];
	int n = kobj_cache_list(now, MAX_CACHES);

	for (int i = 0; i < n && i < MAX_CACHES; i++) {
		size_t before = i < ncaches_at_start ? caches_at_start[i].kst_inuse : 0;

		if (now[i].kst_inuse != before)
			kprintf("skimmer: LEAK: cache %s holds %lu objects, %lu before\n",
			    now[i].kst_name, (unsigned long)now[i].kst_inuse, (unsigned long)before);
	}
}

static __noreturn void
init_done_wait(size_t free_at_start)
{
	int wstatus = proc_wait_init();
	/* Power off with init's exit code, or the number of the signal that ended it. */
	int status = (wstatus & 0x7f) ? (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
	size_t now = 0;

	/* The exiting thread's stack is freed once it has switched away. */
	for (int i = 0; i < 100; i++) {
		crit_enter();
		lwkt_sleep(timer_ns_to_ticks(1000000));
		crit_exit();
		kobj_drain_kept();
		frame_drain_all_caches();
		if ((now = frame_free_count()) == free_at_start)
			break;
	}
	if (now != free_at_start) {
		kprintf("skimmer: LEAK: %ld frames free after user space ended, %lu before it began\n",
		    (long)now, (unsigned long)free_at_start);
		report_cache_growth();
		if (status == 0)
			status = 98;
	} else {
		kprintf("skimmer: user space ended with no frame leaked (%lu free, as before)\n",
		    (unsigned long)free_at_start);
	}
	kernel_shutdown(status);
}
void futex_init(void);

void
kmain(unsigned long hartid, paddr_t dtb)
{
	struct cpu *c = &cpus[0];
	char filter[64];
	size_t free_at_start;

	c->gd_self = c;
	c->gd_id = 0;
	c->gd_hartid = hartid;
	c->gd_online = 1;
	__asm__ __volatile__("mv tp, %0" :: "r"(c));

	parse_device_tree(dtb);
	if (bootinfo.bi_uart_base)
		console_attach_ns16550(bootinfo.bi_uart_base, bootinfo.bi_uart_shift);
	trap_init_cpu();
	print_banner();
	if (frame_init_boot(&bootinfo, virt_to_phys(_start_image), virt_to_phys(_image_end)) < 0)
		panic("cannot set up the frame allocator");
	kprintf("skimmer: %lu of %lu frames free after boot\n", frame_free_count(),
	    frame_total_count());
	if (kstack_init() < 0)
		panic("cannot set up the thread allocator");
	lwkt_init_boot();
	vm_init();
	proc_init();
	ipc_init();
	futex_init();
	uintr_init();
	ktimer_init();
	timer_init_arch();
	realtime_init(bootinfo.bi_rtc_base);
	timer_init_cpu();
	if (intr_init() < 0)
		kprintf("skimmer: no interrupt controller found; device interrupts off\n");
	intr_init_cpu();
	csr_set(sie, SIE_SSIE);
	intr_enable_arch();
	kprintf("cpu0: hart %lu online (boot CPU)%s\n", hartid,
	    timer_has_sstc() ? ", Sstc timer" : ", SBI timer");
	smp_start_secondaries();
	kprintf("skimmer: %d of %d CPUs online\n", ncpus, bootinfo.bi_nharts);

#ifdef CONFIG_SKIMMER_SELFTEST
	if (bootarg_present(&bootinfo, "selftest")) {
		if (!bootarg_value(&bootinfo, "selftest", filter, sizeof(filter)))
			filter[0] = '\0';
		kernel_poweroff(ktest_run(filter) ? 1 : 0);
	}
	if (bootarg_value(&bootinfo, "crash", filter, sizeof(filter)))
		ktest_crash(filter);
#else
	(void)filter;
#endif
#ifdef CONFIG_SKIMMER_STRESS
	if (bootarg_value(&bootinfo, "stress", filter, sizeof(filter)))
		kernel_poweroff(stress_boot(filter) ? 1 : 0);
#endif
	if (bootarg_present(&bootinfo, "poweroff"))
		kernel_poweroff(0);
	if (!bootarg_value(&bootinfo, "init", filter, sizeof(filter)))
		strlcpy(filter, "/proc/boot/taskman", sizeof(filter));
	kobj_drain_kept();
	frame_drain_all_caches();
	free_at_start = frame_free_count();
	ncaches_at_start = kobj_cache_list(caches_at_start, MAX_CACHES);
	if (bootstrap_init(filter) < 0) {
		kprintf("skimmer: no user space started; leave QEMU with Ctrl-A X\n");
		lwkt_exit();
	}
	init_done_wait(free_at_start);	/* powers off when init ends */
}
