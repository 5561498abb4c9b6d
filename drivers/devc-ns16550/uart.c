/*
 * drivers/devc-ns16550/uart.c - the NS16550 itself: registers mapped with
 * mmap_device_memory, its PLIC source attached as a pulse.
 *
 * Sharing with the kernel (docs/console.md): the kernel's console writes
 * the same transmitter by polling (kprintf, panics, DebugWrite).  It
 * never enables the UART's interrupts and never reads the receiver, so
 * input and the interrupt are the driver's.  The kernel writes one byte
 * after it has seen the FIFO empty; the driver writes at most TX_BURST
 * (15) after it has seen it empty, so both together never overflow the
 * 16-byte FIFO and no byte of either is lost.  Their bytes may
 * interleave between bursts.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/neutrino.h>
#include "devc.h"

#define RBR	0	/* receive buffer (read) */
#define THR	0	/* transmit holding (write) */
#define IER	1	/* interrupt enable */
#define IIR	2	/* interrupt identification (read) */
#define FCR	2	/* FIFO control (write) */
#define LCR	3
#define MCR	4
#define LSR	5
#define IER_RX	0x01	/* received data available */
#define IER_TX	0x02	/* transmit holding register empty */
#define LSR_DR	0x01
#define LSR_OE	0x02
#define LSR_THRE 0x20

static uint8_t
rd(struct tty *t, int reg)
{
	return t->t_regs[reg << t->t_shift];
}

static void
wr(struct tty *t, int reg, uint8_t v)
{
	t->t_regs[reg << t->t_shift] = v;
}

/* Write what the FIFO takes now; interrupt on THR empty while more is queued. */
static void
tx_pump(struct tty *t)
{
	int n = 0;

	if (!t->t_tx_stopped && (rd(t, LSR) & LSR_THRE)) {
		while (n < TX_BURST && t->t_tx_len > 0) {
			wr(t, THR, (uint8_t)t->t_tx[t->t_tx_head]);
			t->t_tx_head = (t->t_tx_head + 1) % TX_SIZE;
			t->t_tx_len--;
			n++;
		}
	}
	wr(t, IER, IER_RX | (t->t_tx_len > 0 && !t->t_tx_stopped ? IER_TX : 0));
}

void
uart_kick(struct tty *t)
{
	tx_pump(t);
}

void
uart_service(struct tty *t)
{
	uint8_t lsr;
	int got = 0;

	(void)rd(t, IIR);			/* acknowledges a THR-empty interrupt */
	while ((lsr = rd(t, LSR)) & LSR_DR) {
		if (lsr & LSR_OE)
			t->t_overruns++;
		ld_input(&t->t_ld, rd(t, RBR));
		got = 1;
	}
	if (got)
		tty_received(t);
	tx_pump(t);
	InterruptUnmask(t->t_irq, t->t_irq);
	tty_serve(t);
}

int
uart_init(struct tty *t, uint64_t base, int chid)
{
	struct __abi_sigevent ev = { 0 };
	uint8_t *va;
	int coid;

	if (ThreadCtl(_NTO_TCTL_IO, 0) < 0)
		return -1;
	va = mmap_device_memory(NULL, 4096, PROT_READ | PROT_WRITE | PROT_NOCACHE, 0,
	    (off_t)(base & ~0xfffULL));
	if (va == MAP_FAILED)
		return -1;
	t->t_regs = va + (base & 0xfff);
	/* The firmware's baud rate stays; 8N1, FIFOs on and cleared. */
	wr(t, IER, 0);
	wr(t, LCR, 0x03);
	wr(t, FCR, 0x07);
	wr(t, MCR, 0x0b);			/* DTR, RTS, OUT2 (the PC's interrupt gate) */
	while (rd(t, LSR) & LSR_DR)
		(void)rd(t, RBR);
	if ((coid = ConnectAttach(0, 0, chid, _NTO_SIDE_CHANNEL, 0)) < 0)
		return -1;
	ev.sigev_notify = __ABI_SIGEV_PULSE;
	ev.__sigev_un1.__sigev_coid = coid;
	ev.__sigev_un2.__st.__sigev_code = CODE_INTR;
	ev.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	if (InterruptAttachEvent(t->t_irq, &ev, 0) < 0)
		return -1;
	wr(t, IER, IER_RX);
	return 0;
}
