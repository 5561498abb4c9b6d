/*
 * tests/bench/instret.c - print the instructions retired since reset, the
 * time and the CPUs' idle time (SysInfo), as `INSTRET <instret> <ns>
 * <idle ns>`.  `make bench` types it at the first shell prompt of the
 * default system under -icount shift=0, for the boot-to-prompt figure in
 * instructions (tools/bench): there instret is the virtual clock, which
 * also runs while every CPU idles, so the figure subtracts the idle time.
 */
#include "bench.h"

int main(void)
{
	uint64_t i = instret(), t = rdtime();

	printf("INSTRET %lu %lu %lu\n", (unsigned long)i, (unsigned long)t * 100,
	    (unsigned long)idle_ns());
	return 0;
}
