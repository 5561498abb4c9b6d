/*
 * kern/bitops.h - bit scanning without libgcc (rv64gc has no clz
 * instruction, and the kernel links no libgcc).
 */
#ifndef KERN_BITOPS_H
#define KERN_BITOPS_H

#include <kern/types.h>

/* Index of the highest set bit of x (x != 0), 0..63. */
static inline int
highbit64(uint64_t x)
{
	int n = 0;

	if (x >> 32) { n += 32; x >>= 32; }
	if (x >> 16) { n += 16; x >>= 16; }
	if (x >> 8) { n += 8; x >>= 8; }
	if (x >> 4) { n += 4; x >>= 4; }
	if (x >> 2) { n += 2; x >>= 2; }
	if (x >> 1) { n += 1; }
	return n;
}

#endif
