/*
 * __qsoe_kerr: the error path of the kernel layer's Name() functions
 * (riscv64/kercalls.S), musl's one shape of error return.
 */
#include <errno.h>
#include "qsoe_kernel.h"

/* r is a negated errno (-4095..-1): set errno, return -1. */
long __qsoe_kerr(long r)
{
	errno = (int)-r;
	return -1;
}
