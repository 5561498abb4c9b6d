/*
 * kern/printf.h - formatted output.
 *
 * Supported conversions: %d %i %u %x %X %o %p %s %c %%, with the flags
 * '-', '0', a field width (or '*'), a precision for %s, and the length
 * modifiers l, ll, z and j.  Anything else is printed literally, so a bad
 * format never reads past its arguments.
 */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include <kern/types.h>

typedef void (*fmt_out_t)(int c, void *arg);

/* Format into out(); returns the number of characters produced. */
int kvformat(fmt_out_t out, void *arg, const char *fmt, va_list ap);

/* Like vsnprintf: always NUL-terminates when size > 0, returns the full length. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);

#ifndef HOST_TEST
/*
 * Print to the console.  One call is one atomic unit on the console: lines
 * from different CPUs never interleave within a call.  Callable from any
 * context, including interrupt handlers and with interrupts off; it spins on
 * the console lock (see kern/console.c).
 */
int kprintf(const char *fmt, ...) __printflike(1, 2);
int kvprintf(const char *fmt, va_list ap);
#endif

#endif
