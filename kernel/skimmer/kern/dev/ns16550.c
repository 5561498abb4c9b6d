/*
 * kern/dev/ns16550.c - polled NS16550 (8250-compatible) UART.
 */
#include <kern/ns16550.h>

#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_LSR	5	/* line status */
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

static inline uint8_t
rd(struct ns16550 *u, int reg)
{
	return u->ns_regs[reg << u->ns_shift];
}

static inline void
wr(struct ns16550 *u, int reg, uint8_t v)
{
	u->ns_regs[reg << u->ns_shift] = v;
}

void
ns16550_init(struct ns16550 *u, void *regs, uint32_t shift)
{
	u->ns_regs = regs;
	u->ns_shift = shift;
	/* Firmware set the baud rate; keep it, use 8N1, FIFOs on, no interrupts. */
	wr(u, UART_IER, 0);
	wr(u, UART_LCR, 0x03);
	wr(u, UART_FCR, 0x07);
}

void
ns16550_putc(struct ns16550 *u, int c)
{
	while ((rd(u, UART_LSR) & LSR_THRE) == 0)
		;
	wr(u, UART_THR, (uint8_t)c);
}

int
ns16550_getc(struct ns16550 *u)
{
	if ((rd(u, UART_LSR) & LSR_DR) == 0)
		return -1;
	return rd(u, UART_RBR);
}
