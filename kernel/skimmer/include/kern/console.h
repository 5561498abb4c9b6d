/*
 * kern/console.h - the kernel console.
 *
 * Before the device tree is parsed, output goes through the SBI legacy
 * console; console_attach_ns16550() switches to the UART directly.  All
 * output is serialised by console_lock (kern/console.c).
 */
#ifndef KERN_CONSOLE_H
#define KERN_CONSOLE_H

#include <kern/types.h>

void console_attach_ns16550(paddr_t base, uint32_t reg_shift);
void console_write(const char *s, size_t n);
int console_getc(void);		/* -1 if no character is waiting */

/* Panic path: take the console even if another CPU died holding it. */
void console_break_lock(void);

#endif
