// uses: drivers/devc-ns16550/ldisc.c
/*
 * Host tests of the console's termios line discipline
 * (drivers/devc-ns16550/ldisc.c): canonical editing, echo, input and
 * output translation, signals, raw mode with VMIN/VTIME, mode changes.
 * The callbacks record the echo and the signals.
 */
#include "unit.h"
#include "../../drivers/devc-ns16550/ldisc.h"
#include <signal.h>

const char *__ubsan_default_options(void);
const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static char echoed[8192];
static size_t nechoed;
static int sigs[16], nsigs, outflushes;

static void
rec_echo(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (nechoed + n < sizeof(echoed)) {
		memcpy(echoed + nechoed, s, n);
		nechoed += n;
		echoed[nechoed] = '\0';
	}
}

static void
rec_signal(void *arg, int signo)
{
	(void)arg;
	if (nsigs < 16)
		sigs[nsigs++] = signo;
}

static void
rec_flush(void *arg)
{
	(void)arg;
	outflushes++;
}

static const struct ldisc_ops ops = { rec_echo, rec_signal, rec_flush };
static struct ldisc ld;

static void
setup(void)
{
	ld_init(&ld, &ops, NULL);
	nechoed = 0;
	echoed[0] = '\0';
	nsigs = outflushes = 0;
}

static void
type(const char *s)
{
	while (*s)
		ld_input(&ld, (unsigned char)*s++);
}

/* Read once into a string. */
static const char *
rd(size_t n)
{
	static char b[LD_BUF + 1];
	size_t k = ld_read(&ld, b, n);

	b[k] = '\0';
	return b;
}

static void
set_lflag(tcflag_t on, tcflag_t off)
{
	struct termios t = ld.ld_t;

	t.c_lflag = (t.c_lflag | on) & ~off;
	ld_setattr(&ld, &t);
}

UNIT_TEST(defaults)
{
	setup();
	CHECK(ld.ld_t.c_lflag & ICANON);
	CHECK(ld.ld_t.c_lflag & ECHO);
	CHECK(ld.ld_t.c_lflag & ISIG);
	CHECK(ld.ld_t.c_oflag & ONLCR);
	CHECK_EQ(ld.ld_t.c_cc[VINTR], 3);
	CHECK_EQ(ld.ld_ws.ws_col, 80);
	CHECK_EQ(cfgetospeed(&ld.ld_t), B115200);
}

UNIT_TEST(canonical_line)
{
	setup();
	type("abc");
	CHECK_EQ(ld_avail(&ld), 0);
	CHECK(!ld_read_ready(&ld, 100));
	type("\r");			/* ICRNL: CR ends the line as NL */
	CHECK(ld_read_ready(&ld, 100));
	CHECK_STR(rd(100), "abc\n");
	CHECK_STR(echoed, "abc\r\n");	/* ONLCR on the echo */
	CHECK(!ld_read_ready(&ld, 100));
}

UNIT_TEST(canonical_one_line_per_read_and_partial)
{
	setup();
	type("one\ntwo\nthr");
	CHECK_STR(rd(100), "one\n");
	CHECK_STR(rd(2), "tw");
	CHECK_STR(rd(100), "o\n");
	CHECK(!ld_read_ready(&ld, 100));
	type("ee\n");
	CHECK_STR(rd(100), "three\n");
}

UNIT_TEST(erase_kill_werase)
{
	setup();
	type("abx\x7f" "c\n");
	CHECK_STR(rd(100), "abc\n");
	CHECK_STR(echoed, "abx\b \bc\r\n");
	type("garbage\x15" "ok\n");
	CHECK_STR(rd(100), "ok\n");
	type("one two  \x17" "three\n");
	CHECK_STR(rd(100), "one three\n");
	type("\x7f\x7f" "x\n");		/* erase on an empty line does nothing */
	CHECK_STR(rd(100), "x\n");
}

UNIT_TEST(erase_does_not_cross_lines)
{
	setup();
	type("a\nb\x7f\x7f\x7f" "c\n");
	CHECK_STR(rd(100), "a\n");
	CHECK_STR(rd(100), "c\n");
}

UNIT_TEST(echo_modes)
{
	setup();
	set_lflag(0, ECHOE | ECHOKE);
	type("ab\x7f" "\n");
	CHECK_STR(echoed, "ab^?\r\n");	/* without ECHOE the erase char itself, with ECHOCTL */
	nechoed = 0;
	type("xy\x15");
	CHECK_STR(echoed, "xy^U\r\n");	/* ECHOK: a newline after the kill char */
	nechoed = 0;
	echoed[0] = 0;
	set_lflag(ECHONL, ECHO);
	type("secret\n");
	CHECK_STR(echoed, "\r\n");	/* ECHONL: only the newline */
	CHECK_STR(rd(100), "a\n");		/* ECHOE changes the echo only */
	CHECK_STR(rd(100), "secret\n");
	setup();
	set_lflag(ECHOE | ECHOKE, 0);
	type("ab\x15");
	CHECK_STR(echoed, "ab\b \b\b \b");	/* ECHOKE: the line rubbed out */
	setup();
	type("a\x01");
	CHECK_STR(echoed, "a^A");
	set_lflag(0, ECHOCTL);
	type("\x02");
	CHECK_STR(echoed, "a^A\x02");
}

UNIT_TEST(eof)
{
	setup();
	type("abc\x04");
	CHECK(ld_read_ready(&ld, 100));
	CHECK_STR(rd(100), "abc");	/* ^D ends the line, not returned */
	CHECK(!ld_read_ready(&ld, 100));
	type("\x04");
	CHECK(ld_read_ready(&ld, 100));
	CHECK_EQ(ld_read(&ld, (char[8]){0}, 8), 0);	/* at the start of a line: end of file */
	CHECK(!ld_read_ready(&ld, 100));
	type("ab\x04");
	CHECK_STR(rd(1), "a");		/* a short read leaves the EOF for the next */
	CHECK_STR(rd(10), "b");
	CHECK(!ld_read_ready(&ld, 100));
}

UNIT_TEST(input_translation)
{
	struct termios t;

	setup();
	t = ld.ld_t;
	t.c_iflag = IGNCR;
	ld_setattr(&ld, &t);
	type("a\rb\n");
	CHECK_STR(rd(100), "ab\n");
	t.c_iflag = INLCR;
	t.c_cc[VEOL] = '\r';
	ld_setattr(&ld, &t);
	type("x\n");			/* NL becomes CR, which is EOL here */
	CHECK_STR(rd(100), "x\r");
	t.c_iflag = 0;
	t.c_cc[VEOL] = _POSIX_VDISABLE;
	ld_setattr(&ld, &t);
	type("y\rz\n");
	CHECK_STR(rd(100), "y\rz\n");
	t.c_iflag = ISTRIP;
	ld_setattr(&ld, &t);
	ld_input(&ld, 0xc1);
	type("\n");
	CHECK_STR(rd(100), "A\n");
}

UNIT_TEST(output_processing)
{
	char o[16];
	size_t used, k;
	struct termios t;

	setup();
	k = ld_opost(&ld, "a\nb", 3, o, sizeof(o), &used);
	CHECK_EQ(k, 4);
	CHECK_EQ(used, 3);
	CHECK(memcmp(o, "a\r\nb", 4) == 0);
	k = ld_opost(&ld, "a\n", 2, o, 2, &used);	/* no room for CR NL: stops before it */
	CHECK_EQ(k, 1);
	CHECK_EQ(used, 1);
	k = ld_opost(&ld, "abc", 3, o, 0, &used);
	CHECK_EQ(k, 0);
	CHECK_EQ(used, 0);
	t = ld.ld_t;
	t.c_oflag = OPOST | OCRNL;
	ld_setattr(&ld, &t);
	k = ld_opost(&ld, "\r\n", 2, o, sizeof(o), &used);
	CHECK(k == 2 && memcmp(o, "\n\n", 2) == 0);
	t.c_oflag = ONLCR;		/* without OPOST nothing changes */
	ld_setattr(&ld, &t);
	k = ld_opost(&ld, "\n", 1, o, sizeof(o), &used);
	CHECK(k == 1 && o[0] == '\n');
}

UNIT_TEST(signals)
{
	setup();
	type("partial\x03");
	CHECK_EQ(nsigs, 1);
	CHECK_EQ(sigs[0], SIGINT);
	CHECK_EQ(outflushes, 1);
	CHECK_STR(echoed, "partial^C");
	type("\n");
	CHECK_STR(rd(100), "\n");	/* the partial line was flushed */
	type("\x1c\x1a");
	CHECK_EQ(nsigs, 3);
	CHECK_EQ(sigs[1], SIGQUIT);
	CHECK_EQ(sigs[2], SIGTSTP);
	set_lflag(NOFLSH, 0);
	type("keep\n" "more\x03");
	CHECK_EQ(nsigs, 4);
	CHECK_EQ(outflushes, 3);	/* NOFLSH: neither side flushed */
	CHECK_STR(rd(100), "keep\n");
	type("\n");
	CHECK_STR(rd(100), "more\n");
	set_lflag(0, ISIG);
	type("\x03\n");
	CHECK_EQ(nsigs, 4);		/* without ISIG ^C is data */
	CHECK_STR(rd(100), "\x03\n");
}

UNIT_TEST(lnext)
{
	setup();
	type("a\x16\x7f\x16\x03\n");
	CHECK_EQ(nsigs, 0);
	CHECK_STR(rd(100), "a\x7f\x03\n");
}

UNIT_TEST(raw_vmin_vtime)
{
	struct termios t;

	setup();
	t = ld.ld_t;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	ld_setattr(&ld, &t);
	type("ab");
	CHECK(!ld_read_ready(&ld, 10));
	CHECK(ld_read_ready(&ld, 2));	/* MIN is capped by the request */
	CHECK(!ld_timer_wanted(&ld));
	type("\x7f");			/* no editing in raw mode */
	CHECK(ld_read_ready(&ld, 10));
	CHECK_STR(rd(10), "ab\x7f");
	CHECK_EQ(nechoed, 0);
	/* MIN 0, TIME 0: a poll */
	t.c_cc[VMIN] = 0;
	ld_setattr(&ld, &t);
	CHECK(ld_read_ready(&ld, 10));
	CHECK_EQ(ld_read(&ld, (char[4]){0}, 4), 0);
	/* MIN 0, TIME > 0: one byte or the timer */
	t.c_cc[VTIME] = 5;
	ld_setattr(&ld, &t);
	CHECK(!ld_read_ready(&ld, 10));
	CHECK(ld_timer_wanted(&ld));
	type("x");
	CHECK(ld_read_ready(&ld, 10));
	CHECK_STR(rd(10), "x");
	/* MIN > 0, TIME > 0: the inter-byte timer runs only after the first byte */
	t.c_cc[VMIN] = 4;
	ld_setattr(&ld, &t);
	CHECK(!ld_timer_wanted(&ld));
	type("q");
	CHECK(ld_timer_wanted(&ld));
	CHECK(!ld_read_ready(&ld, 10));
	CHECK_STR(rd(10), "q");
}

UNIT_TEST(mode_changes)
{
	struct termios t;

	setup();
	type("line\npart\x04");
	set_lflag(0, ICANON);		/* to raw: everything readable, EOF marks dropped */
	CHECK_EQ(ld_avail(&ld), 9);
	CHECK_STR(rd(100), "line\npart");
	t = ld.ld_t;
	type("xy");
	t.c_lflag |= ICANON;
	ld_setattr(&ld, &t);		/* to canonical: unfinished input is being edited */
	CHECK(!ld_read_ready(&ld, 10));
	type("\x7f" "z\n");
	CHECK_STR(rd(100), "xz\n");
}

UNIT_TEST(overflow)
{
	setup();
	set_lflag(0, ECHO);
	for (int i = 0; i < 2 * LD_BUF; i++)
		ld_input(&ld, 'a');
	CHECK_EQ(ld.ld_len, LD_BUF - 1);	/* a canonical line keeps room for its end */
	type("\n");
	CHECK(ld_read_ready(&ld, 1));
	CHECK_EQ(strlen(rd(LD_BUF)), LD_BUF);
	set_lflag(0, ICANON);
	for (int i = 0; i < 2 * LD_BUF; i++)
		ld_input(&ld, 'b');
	CHECK_EQ(ld_avail(&ld), LD_BUF);
	ld_flush_input(&ld);
	CHECK_EQ(ld_avail(&ld), 0);
}

UNIT_TEST(fuzz)
{
	unsigned s = 12345;
	char b[64];

	setup();
	for (int i = 0; i < 200000; i++) {
		s = s * 1103515245 + 12345;
		if ((s >> 16) % 50 == 0) {
			struct termios t = ld.ld_t;

			t.c_lflag ^= (s >> 8) & (ICANON | ECHO | ISIG | IEXTEN | ECHOE);
			t.c_cc[VMIN] = (cc_t)((s >> 4) & 7);
			ld_setattr(&ld, &t);
		} else if ((s >> 16) % 7 == 0) {
			ld_read(&ld, b, (s >> 20) % sizeof(b));
		} else {
			ld_input(&ld, (unsigned char)(s >> 24));
		}
		CHECK(ld.ld_ready <= ld.ld_len && ld.ld_len <= LD_BUF);
		nechoed = 0;
	}
}
