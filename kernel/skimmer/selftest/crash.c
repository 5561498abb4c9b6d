/*
 * selftest/crash.c - deliberate crashes, to test the exception report and
 * panic paths (boot option crash=<kind>; the harness expects the report and
 * the panic exit status).
 *
 *	crash=break	a breakpoint trap in the kernel on the boot CPU
 *	crash=fault	a load from an unmapped kernel address
 *	crash=cpuN	panic() from a thread on CPU N while the others run
 */
#include <kern/cpu.h>
#include <kern/ktest.h>
#include <kern/lwkt.h>
#include <kern/panic.h>
#include <kern/printf.h>
#include <kern/string.h>

/* Volatile so the compiler cannot see (and refuse) the bad address. */
static volatile uintptr_t unmapped_addr = 0x10;

static void
panic_here(void *arg)
{
	(void)arg;
	panic("deliberate panic on cpu %d (crash= boot option)", mycpu_id());
}

void
ktest_crash(const char *kind)
{
	kprintf("crash: %s\n", kind);
	if (strcmp(kind, "break") == 0) {
		__asm__ __volatile__("ebreak");
	} else if (strcmp(kind, "fault") == 0) {
		(void)*(volatile uint64_t *)unmapped_addr;
	} else if (strncmp(kind, "cpu", 3) == 0) {
		int c = kind[3] - '0';

		if (c < 0 || c >= ncpus)
			panic("crash=%s: no such cpu", kind);
		lwkt_create(panic_here, NULL, &cpus[c], 200, "crash", NULL);
		for (;;)
			lwkt_yield();
	}
	kprintf("crash: unknown kind '%s'\n", kind);
}
