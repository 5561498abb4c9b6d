/*
 * drivers/devc-ns16550/ldisc.c - the termios line discipline (ldisc.h).
 *
 * The input queue is one array: completed lines first (readable), then
 * the line being edited.  ld_delim[] marks the byte that ends each line:
 * 1 for a newline (EOL, EOL2), which a read returns, 2 for an EOF (^D),
 * which a read consumes but does not return; a line that is only an EOF
 * reads as 0 bytes, end of file.  In raw mode every byte is readable.
 */
#include <string.h>
#include <unistd.h>		/* _POSIX_VDISABLE */
#include <signal.h>
#include "ldisc.h"

#define LD_CTRL(c)	((c) & 0x1f)

static int
is_cc(const struct ldisc *ld, unsigned char c, int idx)
{
	return ld->ld_t.c_cc[idx] != _POSIX_VDISABLE && c == ld->ld_t.c_cc[idx];
}

void
ld_init(struct ldisc *ld, const struct ldisc_ops *ops, void *arg)
{
	struct termios *t = &ld->ld_t;

	memset(ld, 0, sizeof(*ld));
	ld->ld_ops = ops;
	ld->ld_arg = arg;
	t->c_iflag = ICRNL;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = CS8 | CREAD | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = LD_CTRL('C');
	t->c_cc[VQUIT] = LD_CTRL('\\');
	t->c_cc[VERASE] = 0x7f;
	t->c_cc[VKILL] = LD_CTRL('U');
	t->c_cc[VEOF] = LD_CTRL('D');
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = LD_CTRL('Q');
	t->c_cc[VSTOP] = LD_CTRL('S');
	t->c_cc[VSUSP] = LD_CTRL('Z');
	t->c_cc[VREPRINT] = LD_CTRL('R');
	t->c_cc[VWERASE] = LD_CTRL('W');
	t->c_cc[VLNEXT] = LD_CTRL('V');
	t->c_cc[VDISCARD] = LD_CTRL('O');
	cfsetispeed(t, B115200);
	cfsetospeed(t, B115200);
	ld->ld_ws.ws_row = 24;
	ld->ld_ws.ws_col = 80;
}

/* Output through OPOST; echo does not wait for room: what does not fit the driver's ring is dropped. */
static void
out(struct ldisc *ld, const char *s, size_t n)
{
	char buf[64];

	while (n > 0) {
		size_t used, k = ld_opost(ld, s, n, buf, sizeof(buf), &used);

		ld->ld_ops->lo_echo(ld->ld_arg, buf, k);
		s += used;
		n -= used;
	}
}

static int
is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

/* Echo a received character, a control character as ^X under ECHOCTL. */
static void
echo_char(struct ldisc *ld, unsigned char c)
{
	char caret[2] = { '^', (char)(c == 0x7f ? '?' : c + '@') };

	if ((ld->ld_t.c_lflag & ECHOCTL) && is_ctl(c))
		out(ld, caret, 2);
	else
		out(ld, (const char *)&c, 1);
}

/* Rub out the last character of the line being edited; 0 if there was none. */
static int
erase_one(struct ldisc *ld)
{
	unsigned char c;

	if (ld->ld_len == ld->ld_ready)
		return 0;
	c = ld->ld_buf[--ld->ld_len];
	if ((ld->ld_t.c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE)) {
		out(ld, "\b \b", 3);
		if ((ld->ld_t.c_lflag & ECHOCTL) && is_ctl(c))
			out(ld, "\b \b", 3);
	}
	return 1;
}

static void
put(struct ldisc *ld, unsigned char c, unsigned char delim)
{
	ld->ld_buf[ld->ld_len] = c;
	ld->ld_delim[ld->ld_len++] = delim;
	if (delim || !(ld->ld_t.c_lflag & ICANON))
		ld->ld_ready = ld->ld_len;
}

static void
isig(struct ldisc *ld, unsigned char c, int signo)
{
	if (!(ld->ld_t.c_lflag & NOFLSH)) {
		ld_flush_input(ld);
		if (ld->ld_ops->lo_flush_out)
			ld->ld_ops->lo_flush_out(ld->ld_arg);
	}
	if (ld->ld_t.c_lflag & ECHO)
		echo_char(ld, c);
	ld->ld_ops->lo_signal(ld->ld_arg, signo);
}

/* The canonical editing characters; 1 if c was one. */
static int
canon_edit(struct ldisc *ld, unsigned char c)
{
	tcflag_t lf = ld->ld_t.c_lflag;

	if (is_cc(ld, c, VERASE)) {
		erase_one(ld);
		if ((lf & ECHO) && !(lf & ECHOE))
			echo_char(ld, c);
		return 1;
	}
	if (is_cc(ld, c, VKILL)) {
		if ((lf & (ECHO | ECHOE | ECHOKE)) == (ECHO | ECHOE | ECHOKE)) {
			while (erase_one(ld))
				;
		} else {
			ld->ld_len = ld->ld_ready;
			if (lf & ECHO)
				echo_char(ld, c);
			if ((lf & (ECHO | ECHOK)) == (ECHO | ECHOK))
				out(ld, "\n", 1);
		}
		return 1;
	}
	if ((lf & IEXTEN) && is_cc(ld, c, VWERASE)) {
		while (ld->ld_len > ld->ld_ready && (ld->ld_buf[ld->ld_len - 1] == ' ' ||
		    ld->ld_buf[ld->ld_len - 1] == '\t'))
			erase_one(ld);
		while (ld->ld_len > ld->ld_ready && ld->ld_buf[ld->ld_len - 1] != ' ' &&
		    ld->ld_buf[ld->ld_len - 1] != '\t')
			erase_one(ld);
		return 1;
	}
	if (is_cc(ld, c, VEOF)) {
		put(ld, c, 2);			/* always room: one byte is kept for a delimiter */
		return 1;
	}
	if (c == '\n' || is_cc(ld, c, VEOL) || is_cc(ld, c, VEOL2)) {
		put(ld, c, 1);
		if ((lf & ECHO) || (c == '\n' && (lf & ECHONL)))
			echo_char(ld, c);
		return 1;
	}
	return 0;
}

void
ld_input(struct ldisc *ld, unsigned char c)
{
	const struct termios *t = &ld->ld_t;
	int canon = (t->c_lflag & ICANON) != 0;

	if (ld->ld_lnext) {
		ld->ld_lnext = 0;
		goto plain;
	}
	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (t->c_iflag & IGNCR)
			return;
		if (t->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & INLCR)) {
		c = '\r';
	}
	if (t->c_lflag & ISIG) {
		if (is_cc(ld, c, VINTR)) {
			isig(ld, c, SIGINT);
			return;
		}
		if (is_cc(ld, c, VQUIT)) {
			isig(ld, c, SIGQUIT);
			return;
		}
		if (is_cc(ld, c, VSUSP)) {
			isig(ld, c, SIGTSTP);
			return;
		}
	}
	if ((t->c_lflag & IEXTEN) && is_cc(ld, c, VLNEXT)) {
		ld->ld_lnext = 1;
		return;
	}
	if (canon && canon_edit(ld, c))
		return;
plain:
	if (ld->ld_len >= LD_BUF - (canon ? 1u : 0u))
		return;				/* full: dropped (a line keeps room for its end) */
	put(ld, c, 0);
	if (t->c_lflag & ECHO)
		echo_char(ld, c);
}

size_t
ld_avail(const struct ldisc *ld)
{
	return ld->ld_ready;
}

int
ld_read_ready(const struct ldisc *ld, size_t nbytes)
{
	size_t vmin = ld->ld_t.c_cc[VMIN];

	if (ld->ld_t.c_lflag & ICANON)
		return ld->ld_ready > 0;
	if (nbytes == 0)
		return 1;
	if (vmin == 0)
		return ld->ld_t.c_cc[VTIME] == 0 || ld->ld_ready > 0;
	return ld->ld_ready >= (vmin < nbytes ? vmin : nbytes);
}

int
ld_timer_wanted(const struct ldisc *ld)
{
	return !(ld->ld_t.c_lflag & ICANON) && ld->ld_t.c_cc[VTIME] > 0 &&
	    (ld->ld_t.c_cc[VMIN] == 0 || ld->ld_ready > 0);
}

static void
take(struct ldisc *ld, size_t n)
{
	memmove(ld->ld_buf, ld->ld_buf + n, ld->ld_len - n);
	memmove(ld->ld_delim, ld->ld_delim + n, ld->ld_len - n);
	ld->ld_len -= n;
	ld->ld_ready -= n;
}

size_t
ld_read(struct ldisc *ld, void *buf, size_t nbytes)
{
	unsigned char *b = buf;
	size_t i = 0, skip = 0;

	if (!(ld->ld_t.c_lflag & ICANON)) {
		i = nbytes < ld->ld_ready ? nbytes : ld->ld_ready;
		memcpy(b, ld->ld_buf, i);
		take(ld, i);
		return i;
	}
	while (i < ld->ld_ready && i < nbytes) {
		if (ld->ld_delim[i] == 2) {
			skip = 1;		/* the EOF itself is consumed, not returned */
			break;
		}
		b[i] = ld->ld_buf[i];
		if (ld->ld_delim[i++] == 1)
			break;
	}
	take(ld, i + skip);
	return i;
}

size_t
ld_opost(const struct ldisc *ld, const char *in, size_t n, char *o, size_t room, size_t *used)
{
	tcflag_t of = ld->ld_t.c_oflag;
	size_t i = 0, k = 0;

	for (; i < n; i++) {
		char c = in[i];

		if ((of & OPOST) && c == '\n' && (of & ONLCR)) {
			if (room - k < 2)
				break;
			o[k++] = '\r';
		} else if ((of & OPOST) && c == '\r' && (of & OCRNL)) {
			c = '\n';
		}
		if (k == room)
			break;
		o[k++] = c;
	}
	*used = i;
	return k;
}

void
ld_setattr(struct ldisc *ld, const struct termios *t)
{
	int was_canon = (ld->ld_t.c_lflag & ICANON) != 0;

	ld->ld_t = *t;
	if (was_canon && !(t->c_lflag & ICANON)) {
		size_t k = 0;			/* raw now: everything is readable, EOF marks go */

		for (size_t i = 0; i < ld->ld_len; i++)
			if (ld->ld_delim[i] != 2) {
				ld->ld_buf[k] = ld->ld_buf[i];
				ld->ld_delim[k++] = 0;
			}
		ld->ld_len = ld->ld_ready = k;
	} else if (!was_canon && (t->c_lflag & ICANON)) {
		ld->ld_ready = 0;		/* canonical now: unfinished input is the line being edited */
	}
}

void
ld_flush_input(struct ldisc *ld)
{
	ld->ld_len = ld->ld_ready = 0;
	ld->ld_lnext = 0;
}
