/*
 * kern/ns16550.h - polled NS16550 UART access for the kernel console.
 * The interrupt-driven driver is a user-space resource manager
 * (devc-ns16550); the kernel only prints and polls.
 */
#ifndef KERN_NS16550_H
#define KERN_NS16550_H

#include <kern/types.h>

struct ns16550 {
	volatile uint8_t *ns_regs;	/* mapped register base */
	uint32_t	ns_shift;	/* register stride = 1 << shift */
};

void ns16550_init(struct ns16550 *u, void *regs, uint32_t shift);
void ns16550_putc(struct ns16550 *u, int c);
int ns16550_getc(struct ns16550 *u);

#endif
