/*
 * slogf and vslogf (QNX): one _SYS_SLOG _SLOG_WRITE to taskman
 * (sys/procmsg.h, docs/taskman.md).  syslog() (src/misc/syslog.c in the
 * overlay) comes here too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/procmsg.h>
#include <sys/slog.h>
#include "px.h"

int vslogf(int opcode, int severity, const char *fmt, va_list ap)
{
	struct {
		struct _sys_slog h;
		char text[_SLOG_TEXT_MAX + 1];
	} m;
	int n;
	long r;

	if (severity < 0 || severity > _SLOG_SEVERITY_MAX) {
		errno = EINVAL;
		return -1;
	}
	n = vsnprintf(m.text, sizeof(m.text), fmt, ap);
	if (n < 0)
		return -1;
	if (n > _SLOG_TEXT_MAX)
		n = _SLOG_TEXT_MAX;
	n = (int)strnlen(m.text, (size_t)n);	/* a %c of 0 ends it */
	if (n > 0 && m.text[n - 1] == '\n')
		n--;
	memset(&m.h, 0, sizeof(m.h));
	m.h.type = _SYS_SLOG;
	m.h.subtype = _SLOG_WRITE;
	m.h.sl_opcode = opcode;
	m.h.sl_severity = (uint8_t)severity;
	m.h.sl_len = (uint16_t)n;
	r = __px_sysmgr_send(&m, sizeof(m.h) + (size_t)n, 0, 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return n;
}

int slogf(int opcode, int severity, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vslogf(opcode, severity, fmt, ap);
	va_end(ap);
	return r;
}
