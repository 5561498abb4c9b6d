/*
 * kern/smp.c - SMP bring-up with SBI HSM.
 */
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/intr.h>
#include <kern/lwkt.h>
#include <kern/printf.h>
#include <kern/timer.h>
#include <kern/smp.h>
#include <arch/csr.h>
#include <arch/intr.h>
#include <arch/memlayout.h>
#include <arch/sbi.h>

struct cpu cpus[CONFIG_SKIMMER_MAX_CPUS];
int ncpus = 1;

/* Boot stacks of the secondaries (cpu0 uses head.S's); each becomes its idle thread's. */
static uint8_t cpu_stacks[CONFIG_SKIMMER_MAX_CPUS][KSTACK_SIZE] __aligned(16);
volatile bool smp_stopping;	/* set once by smp_stop_others() */
static volatile bool bringup_closed;	/* a hart timed out: late arrivals park */

extern char entry_secondary[];
extern struct cpu *smp_hart_cpu[SMP_MAX_HARTID];	/* head.S */
void trap_init_cpu(void);

/*
 * Wait for a secondary to report in, sleeping in 1 ms steps: the idle wfi
 * lets a single-threaded QEMU (-icount) run the other harts, which a spin
 * would starve.  Thread context (SMP bring-up).
 */
static bool
sleep_for_flag(volatile int *flag, unsigned ms)
{
	for (unsigned i = 0; i < ms && !*flag; i++) {
		crit_enter();
		lwkt_sleep(timer_ns_to_ticks(1000000));
		crit_exit();
	}
	return *flag;
}

/* Spin until *flag is set or about `ms` milliseconds of time CSR passed. */
static bool
wait_flag(volatile int *flag, unsigned ms)
{
	uint64_t start = csr_read(time);
	uint64_t limit = bootinfo.bi_timebase / 1000 * ms;

	while (!*flag) {
		if (csr_read(time) - start > limit)
			return false;
		cpu_relax_arch();
	}
	return true;
}

int
smp_start_secondaries(void)
{
	unsigned long me = mycpu()->gd_hartid;

	for (int i = 0; i < bootinfo.bi_nharts; i++) {
		unsigned long hart = bootinfo.bi_harts[i];
		struct cpu *c;
		long err;

		if (hart == me)
			continue;
		if (ncpus >= CONFIG_SKIMMER_MAX_CPUS || bringup_closed) {
			kprintf("smp: hart %lu left stopped (CONFIG_SKIMMER_MAX_CPUS=%d)\n",
			    hart, CONFIG_SKIMMER_MAX_CPUS);
			if (hart < SMP_MAX_HARTID)
				smp_hart_cpu[hart] = (struct cpu *)SMP_HART_PARK;
			continue;
		}
		c = &cpus[ncpus];
		c->gd_self = c;
		c->gd_id = ncpus;
		c->gd_hartid = hart;
		c->gd_boot_sp = (vaddr_t)&cpu_stacks[ncpus][KSTACK_SIZE];
		if (hart < SMP_MAX_HARTID)
			smp_hart_cpu[hart] = c;	/* for a hart that comes in at _start (head.S) */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		err = sbi_hart_start(hart, virt_to_phys(entry_secondary), (unsigned long)c);
		if (err == SBI_ERR_ALREADY_AVAILABLE && hart < SMP_MAX_HARTID) {
			/* The firmware let it run already: it waits at _start for c (head.S). */
			err = 0;
		}
		if (err) {
			kprintf("smp: hart %lu: SBI hart_start failed (%ld)\n", hart, err);
			continue;
		}
		if (!sleep_for_flag(&c->gd_online, 5000)) {
			/*
			 * Its slot and stack stay assigned to it (it may still
			 * arrive), so bring-up ends here rather than reuse them.
			 */
			kprintf("smp: hart %lu did not come online; not starting more harts\n", hart);
			bringup_closed = true;
			break;
		}
		ncpus++;
	}
	/* Harts we never asked for may still wait at _start (head.S): let them park. */
	for (int i = 0; i < bootinfo.bi_nharts; i++) {
		unsigned long hart = bootinfo.bi_harts[i];

		if (hart != me && hart < SMP_MAX_HARTID && smp_hart_cpu[hart] == NULL)
			smp_hart_cpu[hart] = (struct cpu *)SMP_HART_PARK;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return ncpus;
}

void
smp_secondary_main(struct cpu *c)
{
	if (bringup_closed) {		/* too late: the system went on without us */
		for (;;)
			wait_for_interrupt_arch();
	}
	trap_init_cpu();
	lwkt_init_cpu(c, NULL);
	timer_init_cpu();
	intr_init_cpu();
	csr_set(sie, SIE_SSIE);
	kprintf("cpu%d: hart %lu online\n", c->gd_id, c->gd_hartid);
	__atomic_store_n(&c->gd_online, 1, __ATOMIC_RELEASE);
	intr_enable_arch();
	lwkt_idle_loop();
}

void
smp_halt_if_stopping(void)
{
	if (!smp_stopping)
		return;
	intr_disable_arch();
	mycpu()->gd_halted = 1;
	for (;;)
		wait_for_interrupt_arch();
}

void
smp_stop_others(void)
{
	unsigned long me = mycpu()->gd_hartid;

	smp_stopping = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < ncpus; i++) {
		if (cpus[i].gd_hartid != me && cpus[i].gd_online)
			sbi_send_ipi(1, cpus[i].gd_hartid);
	}
	/* Give them a moment to acknowledge, so the report can say who stopped. */
	int stopped = 0;
	for (int i = 0; i < ncpus; i++) {
		if (cpus[i].gd_hartid == me || !cpus[i].gd_online)
			continue;
		if (wait_flag(&cpus[i].gd_halted, 100))
			stopped++;
		else
			kprintf("smp: cpu%d did not stop\n", i);
	}
	if (stopped)
		kprintf("smp: stopped %d other CPU%s\n", stopped, stopped > 1 ? "s" : "");
}
