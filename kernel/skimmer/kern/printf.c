/*
 * kern/printf.c - the formatting engine behind kprintf and ksnprintf.
 * Pure code: it builds on the host for the unit tests.
 */
#include <kern/printf.h>

struct fmtspec {
	bool	left;		/* '-': pad on the right */
	bool	zero;		/* '0': pad with zeros */
	int	width;		/* minimum field width */
	int	prec;		/* precision for %s, -1 if none */
};

static int
pad(fmt_out_t out, void *arg, int n, int c)
{
	int i;

	for (i = 0; i < n; i++)
		out(c, arg);
	return n > 0 ? n : 0;
}

static int
emit_str(fmt_out_t out, void *arg, const char *s, const struct fmtspec *fs)
{
	int len = 0, n = 0;

	if (s == NULL)
		s = "(null)";
	while (s[len] && (fs->prec < 0 || len < fs->prec))
		len++;
	if (!fs->left)
		n += pad(out, arg, fs->width - len, ' ');
	for (int i = 0; i < len; i++)
		out(s[i], arg);
	n += len;
	if (fs->left)
		n += pad(out, arg, fs->width - len, ' ');
	return n;
}

static int
emit_num(fmt_out_t out, void *arg, uint64_t v, bool neg, unsigned base,
    bool upper, const struct fmtspec *fs)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, n = 0, padn;

	do {
		buf[len++] = digits[v % base];
		v /= base;
	} while (v);
	padn = fs->width - len - (neg ? 1 : 0);
	if (!fs->left && !fs->zero)
		n += pad(out, arg, padn, ' ');
	if (neg) {
		out('-', arg);
		n++;
	}
	if (!fs->left && fs->zero)
		n += pad(out, arg, padn, '0');
	while (len)
		out(buf[--len], arg), n++;
	if (fs->left)
		n += pad(out, arg, padn, ' ');
	return n;
}

/* Parse flags, width and precision; returns the pointer past them. */
static const char *
parse_spec(const char *f, struct fmtspec *fs, va_list *ap)
{
	fs->left = fs->zero = false;
	fs->width = 0;
	fs->prec = -1;
	for (;; f++) {
		if (*f == '-')
			fs->left = true;
		else if (*f == '0')
			fs->zero = true;
		else
			break;
	}
	if (*f == '*') {
		fs->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		fs->width = fs->width * 10 + (*f++ - '0');
	if (*f == '.') {
		fs->prec = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			fs->prec = fs->prec * 10 + (*f - '0');
	}
	return f;
}

int
kvformat(fmt_out_t out, void *arg, const char *fmt, va_list ap0)
{
	struct fmtspec fs;
	const char *f, *start;
	int n = 0, lng;
	va_list ap;

	va_copy(ap, ap0);
	for (f = fmt; *f; f++) {
		if (*f != '%') {
			out(*f, arg);
			n++;
			continue;
		}
		start = f++;
		f = parse_spec(f, &fs, &ap);
		lng = 0;
		while (*f == 'l' || *f == 'z' || *f == 'j')
			lng++, f++;
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			n += emit_num(out, arg, v < 0 ? -(uint64_t)v : (uint64_t)v,
			    v < 0, 10, false, &fs);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
			n += emit_num(out, arg, v, false, base, *f == 'X', &fs);
			break;
		}
		case 'p':
			out('0', arg), out('x', arg);
			fs.zero = true;
			fs.width = 16;
			n += 2 + emit_num(out, arg, (uintptr_t)va_arg(ap, void *),
			    false, 16, false, &fs);
			break;
		case 's':
			n += emit_str(out, arg, va_arg(ap, const char *), &fs);
			break;
		case 'c':
			out(va_arg(ap, int), arg);
			n++;
			break;
		case '%':
			out('%', arg);
			n++;
			break;
		default:
			/* Unknown conversion: print it as it stands. */
			for (; start <= f && *start; start++)
				out(*start, arg), n++;
			if (!*f)
				f--;
			break;
		}
	}
	va_end(ap);
	return n;
}

struct snbuf {
	char	*sb_buf;
	size_t	sb_size;
	size_t	sb_len;
};

static void
sn_out(int c, void *arg)
{
	struct snbuf *sb = arg;

	if (sb->sb_len + 1 < sb->sb_size)
		sb->sb_buf[sb->sb_len] = (char)c;
	sb->sb_len++;
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct snbuf sb = { buf, size, 0 };
	int n = kvformat(sn_out, &sb, fmt, ap);

	if (size > 0)
		buf[sb.sb_len < size ? sb.sb_len : size - 1] = '\0';
	return n;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
