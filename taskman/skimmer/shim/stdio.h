/* taskman/skimmer/shim/stdio.h - what taskman uses of <stdio.h>, until musl (rt_shim.c). */
#ifndef TM_SHIM_STDIO_H
#define TM_SHIM_STDIO_H
#include <stdarg.h>
#include <stddef.h>
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
#endif
