/*
 * taskman/common/script.c - the startup script's parser.  See script.h.
 */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES	1024

/* The words of one line, in one buffer. */
struct words {
	int	w_n;
	char	*w_v[SCRIPT_ARGS_MAX + 1];
	char	w_buf[LINE_MAX_BYTES + SCRIPT_ARGS_MAX];
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split line into words; NULL, or why it is bad. */
static const char *
split(const char *line, struct words *w)
{
	char *out = w->w_buf;

	w->w_n = 0;
	for (const char *c = line;;) {
		while (is_blank(*c))
			c++;
		if (*c == '\0' || *c == '#')
			return NULL;
		if (w->w_n == SCRIPT_ARGS_MAX)
			return "too many words";
		w->w_v[w->w_n++] = out;
		while (*c && !is_blank(*c)) {
			char q = *c;

			if (q != '\'' && q != '"') {
				*out++ = *c++;
				continue;
			}
			for (c++; *c && *c != q; c++) {
				if (q == '"' && *c == '\\' && (c[1] == '"' || c[1] == '\\'))
					c++;
				*out++ = *c;
			}
			if (*c != q)
				return "unterminated quote";
			c++;
		}
		*out++ = '\0';
		w->w_v[w->w_n] = NULL;
	}
}

static int
is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	if (eq == NULL || eq == w || (w[0] >= '0' && w[0] <= '9'))
		return 0;
	for (const char *c = w; c < eq; c++)
		if (!(*c == '_' || (*c >= '0' && *c <= '9') || ((*c | 32) >= 'a' && (*c | 32) <= 'z')))
			return 0;
	return 1;
}

/* A decimal number in [0, max], or -1. */
static int
number(const char *w, int max)
{
	long v = 0;

	if (*w == '\0')
		return -1;
	for (; *w; w++) {
		if (*w < '0' || *w > '9' || (v = v * 10 + (*w - '0')) > max)
			return -1;
	}
	return (int)v;
}

/* Copy the words into c (one allocation: pointers, then strings). */
static int
store_words(struct sc_cmd *c, char *const *v, int n)
{
	size_t bytes = sizeof(char *) * ((size_t)n + 1);
	char *p;

	for (int i = 0; i < n; i++)
		bytes += strlen(v[i]) + 1;
	c->sc_argv = malloc(bytes);
	if (c->sc_argv == NULL)
		return -2;
	p = (char *)(c->sc_argv + n + 1);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;

		c->sc_argv[i] = memcpy(p, v[i], l);
		p += l;
	}
	c->sc_argv[n] = NULL;
	c->sc_argc = n;
	return 0;
}

/* Fill c from the words of a line; NULL or why the line is bad. */
static const char *
classify(struct sc_cmd *c, struct words *w, const char *line)
{
	char *const *v = w->w_v;

	if (strcmp(v[0], "waitfor") == 0) {
		if (w->w_n < 2 || w->w_n > 3 || v[1][0] != '/')
			return "usage: waitfor /path [seconds]";
		c->sc_kind = SC_WAITFOR;
		c->sc_seconds = w->w_n == 3 ? number(v[2], SCRIPT_WAITFOR_MAX) : SCRIPT_WAITFOR_DEFAULT;
		if (c->sc_seconds < 0)
			return "waitfor: bad number of seconds";
		w->w_n = 2;
	} else if (strcmp(v[0], "shutdown") == 0) {
		if (w->w_n > 2)
			return "usage: shutdown [status|$?]";
		c->sc_kind = SC_SHUTDOWN;
		c->sc_status = w->w_n == 1 ? 0 : strcmp(v[1], "$?") == 0 ? -1 : number(v[1], 255);
		if (w->w_n == 2 && c->sc_status == -1 && strcmp(v[1], "$?") != 0)
			return "shutdown: status must be 0..255 or $?";
	} else if (strcmp(v[0], "display_msg") == 0) {
		c->sc_kind = SC_DISPLAY;
		line = strstr(line, "display_msg") + strlen("display_msg");
		while (is_blank(*line))
			line++;
		w->w_v[0] = (char *)line;	/* the raw rest of the line */
		w->w_n = 1;
	} else if (strcmp(v[0], "reopen") == 0) {
		if (w->w_n > 2 || (w->w_n == 2 && v[1][0] != '/'))
			return "usage: reopen [/path]";
		c->sc_kind = SC_REOPEN;
		if (w->w_n == 1)
			w->w_v[0] = (char *)"/dev/console";
		else
			w->w_v[0] = w->w_v[1];
		w->w_n = 1;
	} else if (w->w_n == 1 && is_assignment(v[0])) {
		c->sc_kind = SC_SETENV;
	} else {
		c->sc_kind = SC_RUN;
		if (strcmp(v[0], "[+session]") == 0) {
			c->sc_session = 1;
			memmove(w->w_v, w->w_v + 1, sizeof(w->w_v[0]) * (size_t)w->w_n--);
			if (w->w_n == 0 || strcmp(v[0], "&") == 0)
				return "[+session] without a command";
		}
		if (strcmp(v[w->w_n - 1], "&") == 0) {
			c->sc_bg = 1;
			w->w_n--;
		}
		if (w->w_n == 0)
			return "'&' without a command";
	}
	return NULL;
}

/* Parse one line into a new command (if it has one); 0, -1, -2. */
static int
parse_line(struct script *s, const char *line, int lineno)
{
	static struct words w;	/* big: kept off the stack */
	struct sc_cmd *c, *cmds;
	const char *start = line + strspn(line, " \t"), *why;

	/* display_msg's text is taken as it is: quotes in it are just characters. */
	if (strncmp(start, "display_msg", 11) == 0 && (start[11] == '\0' || is_blank(start[11]))) {
		w.w_v[0] = (char *)"display_msg";
		w.w_n = 1;
		why = NULL;
	} else {
		why = split(line, &w);
	}

	if (why == NULL && w.w_n == 0)
		return 0;
	cmds = realloc(s->s_cmds, sizeof(*cmds) * ((size_t)s->s_count + 1));
	if (cmds == NULL)
		return -2;
	s->s_cmds = cmds;
	c = memset(&cmds[s->s_count], 0, sizeof(*c));
	c->sc_line = lineno;
	if (why == NULL)
		why = classify(c, &w, line);
	if (why) {
		snprintf(s->s_err, sizeof(s->s_err), "line %d: %s", lineno, why);
		return -1;
	}
	s->s_count++;
	return store_words(c, w.w_v, w.w_n);
}

int
script_parse(struct script *s, const char *text, size_t len)
{
	char line[LINE_MAX_BYTES + 1];
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
		int rc;

		lineno++;
		if (l > LINE_MAX_BYTES || memchr(text + off, '\0', l)) {
			snprintf(s->s_err, sizeof(s->s_err), "line %d: %s", lineno,
			    l > LINE_MAX_BYTES ? "too long" : "NUL byte");
			return -1;
		}
		memcpy(line, text + off, l);
		line[l] = '\0';
		if ((rc = parse_line(s, line, lineno)) < 0)
			return rc;
		off += l + 1;
	}
	return 0;
}

void
script_fini(struct script *s)
{
	for (int i = 0; i < s->s_count; i++)
		free(s->s_cmds[i].sc_argv);
	free(s->s_cmds);
	s->s_cmds = NULL;
	s->s_count = 0;
}
