/*
 * drivers/devc-ns16550/devc.h - the console driver's shared state
 * (docs/console.md).  One thread owns all of it: the dispatch loop.
 */
#ifndef DEVC_H
#define DEVC_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include "ldisc.h"

#define TX_SIZE		8192		/* output ring */
#define TX_BURST	15		/* bytes written per THR-empty: one FIFO slot is the kernel's */
#define CODE_INTR	(_PULSE_CODE_MINAVAIL + 1)	/* the UART's interrupt */
#define CODE_VTIME	(_PULSE_CODE_MINAVAIL + 2)	/* a raw read's VTIME ran out */

/* A client REPLY-blocked in read, write or tcdrain. */

struct tty {
	iofunc_attr_t	t_attr;		/* first: the OCBs of every name point here */
	struct ldisc	t_ld;
	volatile uint8_t *t_regs;	/* the UART's registers (mapped device memory) */
	unsigned	t_shift;	/* register spacing: reg << shift */
	int		t_irq;		/* PLIC source */
	char		t_tx[TX_SIZE];	/* output ring */
	size_t		t_tx_head, t_tx_len;
	int		t_tx_stopped;	/* tcflow(TCOOFF) */
	resmgr_waiter_t	*t_readers, *t_writers, *t_drainers;	/* FIFO queues */
	pid_t		t_sid;		/* session whose controlling terminal this is, or 0 */
	pid_t		t_pgrp;		/* its foreground process group, or 0 */
	int		t_timer;	/* VTIME timer id */
	int		t_timing;	/* the VTIME timer is armed for the first reader */
	uint64_t	t_overruns;	/* characters the UART lost (LSR overrun) */
	iofunc_notify_t	t_notify[3];	/* select/poll: input, output, out-of-band */
};

extern struct tty tty;

/* uart.c: the device. */
int	uart_init(struct tty *t, uint64_t base, int chid);
void	uart_service(struct tty *t);	/* the interrupt: receive, send */
void	uart_kick(struct tty *t);	/* output was queued: start sending */

/* tty.c: the resource manager's handlers and the queues. */
void	tty_serve(struct tty *t);	/* answer readers, writers and drainers that can go on */
void	tty_vtime(struct tty *t);	/* the VTIME timer expired */
void	tty_received(struct tty *t);	/* input arrived (restarts an inter-byte VTIME) */
void	tty_init(struct tty *t, int chid);
void	tty_flush(struct tty *t, int queue);	/* TCIFLUSH, TCOFLUSH, TCIOFLUSH */

/* ctl.c: devctl (termios, window size, sessions). */
int	tty_devctl(resmgr_context_t *ctp, io_devctl_t *msg, iofunc_ocb_t *ocb);
int	tty_drain(resmgr_context_t *ctp, iofunc_ocb_t *ocb);	/* EOK, or queued */
int	tty_background(const struct tty *t, pid_t pid);	/* job control: not in the foreground */
extern resmgr_io_funcs_t tty_io;

#endif
