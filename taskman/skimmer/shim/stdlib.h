/* taskman/skimmer/shim/stdlib.h - what taskman uses of <stdlib.h>, until musl (rt_shim.c). */
#ifndef TM_SHIM_STDLIB_H
#define TM_SHIM_STDLIB_H
#include <stddef.h>
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
#endif
