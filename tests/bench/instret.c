/*
 * tests/bench/instret.c - print the instructions retired since reset, the
 * time and the CPUs' idle time (SysInfo), as `INSTRET <instret> <ns>
 * <idle ns>`.  `make bench` types it at the first shell prompt of the
 * default system under -icount shift=0, for the boot-to-prompt figure in
 * instructions (tools/bench): there instret is the virtual clock, which
 * also runs while every CPU idles, so the figure subtracts the idle time.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/neutrino.h>

int main(void)
{
	struct _sys_info si = { 0 };
	uint64_t i, t;

	__asm__ __volatile__("csrr %0, instret" : "=r"(i) :: "memory");
	__asm__ __volatile__("csrr %0, time" : "=r"(t) :: "memory");
	if (SysInfo(&si) < 0)
		si.si_idle_ns = 0;
	printf("INSTRET %lu %lu %lu\n", (unsigned long)i, (unsigned long)t * 100,
	    (unsigned long)si.si_idle_ns);
	return 0;
}
