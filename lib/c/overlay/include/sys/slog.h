/*
 * sys/slog.h - QNX's system log calls: slogf() and vslogf() append an
 * entry to taskman's log (_SYS_SLOG, sys/procmsg.h; docs/libc.md), which
 * `sloginfo` prints.  syslog() lands in the same log.
 */
#ifndef _SYS_SLOG_H
#define _SYS_SLOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Severities, QNX's names and numbers (syslog's LOG_EMERG .. LOG_DEBUG have the same numbers). */
#define _SLOG_SHUTDOWN	0	/* the system is going down */
#define _SLOG_CRITICAL	1	/* unexpected, unrecoverable error */
#define _SLOG_ERROR	2	/* unexpected, recoverable error */
#define _SLOG_WARNING	3	/* an expected error */
#define _SLOG_NOTICE	4	/* a warning */
#define _SLOG_INFO	5	/* information */
#define _SLOG_DEBUG1	6	/* debugging: normal detail */
#define _SLOG_DEBUG2	7	/* debugging: fine detail */

/* The opcode: a major code (who) and a minor one (what), as QNX 6 packs them. */
#define _SLOG_SETCODE(major, minor)	(((major) << 8) | ((minor) & 0xff))
#define _SLOG_GETMAJOR(code)		(((code) >> 8) & 0xfffff)
#define _SLOG_GETMINOR(code)		((code) & 0xff)

/* Some major codes. */
#define _SLOGC_TEST	2	/* tests */
#define _SLOGC_SYSLOG	3	/* syslog(); the minor is the facility (LOG_USER >> 3 ...) */
#define _SLOGC_PRIVATE_START	10000	/* free for programs */

/*
 * Log the printf-formatted text (cut to 256 bytes, a trailing newline
 * dropped) with severity 0..7.  The origin (pid and program name) is
 * added by taskman.  Returns the text's bytes, or -1 with errno (EINVAL:
 * a bad severity; ENOSYS: no taskman).
 */
int slogf(int __opcode, int __severity, const char *__fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vslogf(int __opcode, int __severity, const char *__fmt, va_list __ap)
    __attribute__((format(printf, 3, 0)));

#ifdef __cplusplus
}
#endif

#endif
