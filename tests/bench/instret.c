/*
 * tests/bench/instret.c - print the instructions retired since reset and
 * the time, as `INSTRET <instret> <ns>`.  `make bench` types it at the
 * first shell prompt of the default system under -icount shift=0, for
 * the boot-to-prompt figure in instructions (tools/bench).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	uint64_t i, t;

	__asm__ __volatile__("csrr %0, instret" : "=r"(i) :: "memory");
	__asm__ __volatile__("csrr %0, time" : "=r"(t) :: "memory");
	printf("INSTRET %lu %lu\n", (unsigned long)i, (unsigned long)t * 100);
	return 0;
}
