/*
 * arch/riscv64/plic.c - the RISC-V Platform-Level Interrupt Controller.
 *
 * Each hart has an S-mode context; which context index belongs to which
 * hart comes from the PLIC node's interrupts-extended property (pairs of
 * <cpu-intc phandle, 9 = supervisor external>).  Sources get priority 1 and
 * each context's threshold is 0, so routing is done by the enable bits
 * alone: a source is enabled in exactly one hart's context.
 *
 * Enable bits of a context are written only by that context's hart (the
 * routing request is sent there by kern/intr.c), so no lock is needed.
 */
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/intr.h>
#include <kern/printf.h>
#include <abi/errno.h>
#include <arch/memlayout.h>

#define PLIC_PRIORITY(irq)	(4 * (irq))
#define PLIC_ENABLE(ctx)	(0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx)	(0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)		(0x200004 + 0x1000 * (ctx))
#define IRQ_S_EXT_CAUSE		9

extern struct fdt boot_fdt;

static volatile uint8_t *plic;
static int hart_ctx[BOOT_MAX_HARTS];	/* S-mode context of each hart id, -1 if none */
static int ndev;

static inline volatile uint32_t *
reg(uint32_t off)
{
	return (volatile uint32_t *)(plic + off);
}

/* Hart id of the cpu whose interrupt controller has this phandle, or -1. */
static long
intc_hart(uint32_t phandle)
{
	int cpus_node = fdt_path(&boot_fdt, "/cpus");

	for (int n = fdt_first_child(&boot_fdt, cpus_node); n >= 0; n = fdt_next_sibling(&boot_fdt, n)) {
		for (int ic = fdt_first_child(&boot_fdt, n); ic >= 0;
		    ic = fdt_next_sibling(&boot_fdt, ic)) {
			uint32_t ph, hart;

			if (fdt_getprop_u32(&boot_fdt, ic, "phandle", &ph) == 0 && ph == phandle &&
			    fdt_getprop_u32(&boot_fdt, n, "reg", &hart) == 0)
				return hart;
		}
	}
	return -1;
}

int
intr_init_arch(void)
{
	int node, len;
	const uint8_t *ie;

	for (int i = 0; i < BOOT_MAX_HARTS; i++)
		hart_ctx[i] = -1;
	if (bootinfo.bi_plic_base == 0)
		return -ENODEV;
	node = fdt_find_compatible(&boot_fdt, -1, "riscv,plic0");
	if (node < 0)
		node = fdt_find_compatible(&boot_fdt, -1, "sifive,plic-1.0.0");
	ie = node >= 0 ? fdt_getprop(&boot_fdt, node, "interrupts-extended", &len) : NULL;
	if (ie == NULL)
		return -ENODEV;
	for (int ctx = 0; (ctx + 1) * 8 <= len; ctx++) {
		long hart = intc_hart((uint32_t)fdt_read_cells(ie + ctx * 8, 1));
		uint32_t type = (uint32_t)fdt_read_cells(ie + ctx * 8 + 4, 1);

		if (type == IRQ_S_EXT_CAUSE && hart >= 0 && hart < BOOT_MAX_HARTS)
			hart_ctx[hart] = ctx;
	}
	plic = phys_to_virt(bootinfo.bi_plic_base);
	ndev = (int)bootinfo.bi_plic_ndev;
	if (ndev >= INTR_MAX)
		ndev = INTR_MAX - 1;
	for (int irq = 1; irq <= ndev; irq++)
		*reg(PLIC_PRIORITY(irq)) = 1;
	return 0;
}

void
intr_init_cpu_arch(void)
{
	int ctx = hart_ctx[mycpu()->gd_hartid];

	if (plic == NULL || ctx < 0)
		return;
	for (int w = 0; w <= ndev / 32; w++)
		*reg(PLIC_ENABLE(ctx) + 4 * w) = 0;
	*reg(PLIC_THRESHOLD(ctx)) = 0;
}

void
intr_route_arch(int irq, unsigned long hartid, bool enable)
{
	int ctx = hart_ctx[hartid];
	volatile uint32_t *en;

	if (plic == NULL || ctx < 0 || irq <= 0 || irq > ndev)
		return;
	en = reg(PLIC_ENABLE(ctx) + 4 * (irq / 32));
	if (enable) {
		*en |= 1U << (irq % 32);
		/*
		 * A source that became pending while it was disabled must
		 * interrupt now.  QEMU 7.2's PLIC re-evaluates its outputs on a
		 * threshold write but not on an enable write, so such an
		 * interrupt waited for some other PLIC event (a driver unmasking
		 * after its device finished more work hung: docs/storage.md).
		 * Writing the threshold back is harmless on a real PLIC.
		 */
		*reg(PLIC_THRESHOLD(ctx)) = *reg(PLIC_THRESHOLD(ctx));
	} else {
		*en &= ~(1U << (irq % 32));
	}
}

int
intr_claim_arch(void)
{
	int ctx = hart_ctx[mycpu()->gd_hartid];

	return plic && ctx >= 0 ? (int)*reg(PLIC_CLAIM(ctx)) : 0;
}

void
intr_complete_arch(int irq)
{
	int ctx = hart_ctx[mycpu()->gd_hartid];

	if (plic && ctx >= 0)
		*reg(PLIC_CLAIM(ctx)) = (uint32_t)irq;
}
