/*
 * tests/system/kcfault.c - a user program that faults: the kernel must
 * report it and end the process (as init, the machine powers off with the
 * signal number as status), never panic.
 */
#include "rt.h"

int
umain(uint64_t arg)
{
	rt_printf("kcfault: about to fault\n");
	*(volatile int *)0 = 1;		/* store page fault at address 0 */
	return 0;
}
