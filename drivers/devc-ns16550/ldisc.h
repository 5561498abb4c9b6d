/*
 * drivers/devc-ns16550/ldisc.h - the termios line discipline: what a
 * terminal does between the characters the device receives and the
 * bytes a read() gets, and between a write() and the device (docs/console.md).
 *
 * Pure logic, no QSOE calls: it compiles on the host and is unit-tested
 * there (tests/host/test_ldisc.c).  The driver gives it two callbacks:
 * echo output and signals for the foreground process group.  Waiting
 * (blocked reads, VTIME timers) is the driver's; ld_read_ready() and
 * ld_timer_wanted() tell it when a read may complete.
 *
 * One struct ldisc per terminal, used by one thread (the driver's loop).
 */
#ifndef LDISC_H
#define LDISC_H

#include <stddef.h>
#include <termios.h>
#include <sys/ioctl.h>

#define LD_BUF	4096		/* input queue: completed lines + the line being edited */

struct ldisc_ops {
	void	(*lo_echo)(void *arg, const char *s, size_t n);	/* device output (already post-processed) */
	void	(*lo_signal)(void *arg, int signo);		/* to the foreground process group */
	void	(*lo_flush_out)(void *arg);			/* drop queued output (ISIG without NOFLSH) */
};

struct ldisc {
	struct termios		ld_t;		/* the settings (tcgetattr/tcsetattr) */
	struct winsize		ld_ws;		/* TIOCGWINSZ/TIOCSWINSZ */
	const struct ldisc_ops	*ld_ops;
	void			*ld_arg;	/* the callbacks' argument */
	unsigned char		ld_buf[LD_BUF];	/* input: [0, ld_ready) readable, [ld_ready, ld_len) being edited */
	unsigned char		ld_delim[LD_BUF]; /* 1: ld_buf[i] ends a line (2: an EOF, not returned) */
	size_t			ld_len;		/* bytes queued */
	size_t			ld_ready;	/* bytes a read may take (canonical: whole lines) */
	int			ld_lnext;	/* the next character is literal (^V) */
};

void	ld_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg);
void	ld_input(struct ldisc *ld, unsigned char c);		/* one received character */
size_t	ld_avail(const struct ldisc *ld);			/* bytes readable now */
int	ld_read_ready(const struct ldisc *ld, size_t nbytes);	/* may a read of nbytes complete now? */
int	ld_timer_wanted(const struct ldisc *ld);		/* raw mode with VTIME: time the read */
size_t	ld_read(struct ldisc *ld, void *buf, size_t nbytes);	/* take the bytes (0: EOF or nothing) */
size_t	ld_opost(const struct ldisc *ld, const char *in, size_t n, char *out, size_t room,
	    size_t *used);					/* output processing */
void	ld_setattr(struct ldisc *ld, const struct termios *t);
void	ld_flush_input(struct ldisc *ld);

#endif
