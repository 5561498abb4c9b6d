/*
 * arch/riscv64/timer.c - the supervisor timer.
 *
 * With Sstc (QEMU's virt has it) we write stimecmp directly, which costs
 * no trip to M-mode; without it we ask SBI.  Sstc is detected from the
 * first /cpus child with a "riscv,isa" string (QSOE assumes all harts
 * have the same extensions).
 */
#include <kern/bootinfo.h>
#include <kern/fdt.h>
#include <kern/string.h>
#include <arch/sbi.h>
#include <arch/timer.h>

#define CSR_STIMECMP	0x14d

static bool have_sstc;

extern struct fdt boot_fdt;

/* Does the ISA string list extension ext ("_sstc")? */
static bool
isa_has(const char *isa, int len, const char *ext)
{
	size_t n = strlen(ext);

	for (const char *p = isa; p + n <= isa + len; p++)
		if (strncmp(p, ext, n) == 0 && (p[n] == '_' || p[n] == '\0'))
			return true;
	return false;
}

void
timer_init_arch(void)
{
	int cpus_node = fdt_path(&boot_fdt, "/cpus"), len;

	for (int n = fdt_first_child(&boot_fdt, cpus_node); n >= 0;
	    n = fdt_next_sibling(&boot_fdt, n)) {
		const char *isa = fdt_getprop(&boot_fdt, n, "riscv,isa", &len);

		if (isa) {
			have_sstc = isa_has(isa, len, "_sstc");
			break;
		}
	}
}

bool
timer_has_sstc(void)
{
	return have_sstc;
}

void
timer_program_arch(uint64_t when)
{
	if (have_sstc)
		__asm__ __volatile__("csrw %0, %1" :: "i"(CSR_STIMECMP), "r"(when));
	else
		sbi_set_timer(when);
}
