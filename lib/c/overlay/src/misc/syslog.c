/*
 * syslog, vsyslog, openlog, closelog, setlogmask on QSOE's system log:
 * each message is one slogf() entry (sys/slog.h) with the priority as
 * the severity (the numbers are the same) and _SLOG_SETCODE(_SLOGC_SYSLOG,
 * facility) as the opcode, so ports that use syslog land in the log that
 * sloginfo prints.  There is no /dev/log socket and no syslogd.  The
 * ident of openlog, if any, starts the text ("ident: ..."; with LOG_PID
 * "ident[pid]: ..."); the entry carries the pid and program name anyway.
 * LOG_PERROR copies the message to stderr; LOG_CONS to /dev/console when
 * the log cannot be written.  Replaces musl's src/misc/syslog.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <syslog.h>
#include <string.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/slog.h>
#include "lock.h"
#include "fork_impl.h"

static volatile int lock[1];
static char log_ident[32];
static int log_opt;
static int log_facility = LOG_USER;
static int log_mask = 0xff;
volatile int *const __syslog_lockptr = lock;

int setlogmask(int maskpri)
{
	LOCK(lock);
	int ret = log_mask;
	if (maskpri) log_mask = maskpri;
	UNLOCK(lock);
	return ret;
}

void closelog(void)
{
	LOCK(lock);
	log_ident[0] = 0;
	log_opt = 0;
	log_facility = LOG_USER;
	UNLOCK(lock);
}

void openlog(const char *ident, int opt, int facility)
{
	LOCK(lock);
	if (ident) {
		size_t n = strnlen(ident, sizeof log_ident - 1);
		memcpy(log_ident, ident, n);
		log_ident[n] = 0;
	} else {
		log_ident[0] = 0;
	}
	log_opt = opt;
	log_facility = facility;
	UNLOCK(lock);
}

static void _vsyslog(int priority, const char *message, va_list ap)
{
	char buf[256 + 1];	/* _SLOG_TEXT_MAX (sys/procmsg.h): what an entry keeps */
	int errno_save = errno;
	int l = 0, l2, fd;

	if (!(priority & LOG_FACMASK)) priority |= log_facility;
	if (log_ident[0] && (log_opt & LOG_PID))
		l = snprintf(buf, sizeof buf, "%s[%d]: ", log_ident, getpid());
	else if (log_ident[0])
		l = snprintf(buf, sizeof buf, "%s: ", log_ident);
	errno = errno_save;		/* for %m */
	l2 = vsnprintf(buf + l, sizeof buf - l, message, ap);
	if (l2 < 0)
		return;
	if (slogf(_SLOG_SETCODE(_SLOGC_SYSLOG, LOG_FAC(priority)), LOG_PRI(priority),
	    "%s", buf) < 0 && (log_opt & LOG_CONS)) {
		fd = open("/dev/console", O_WRONLY|O_NOCTTY|O_CLOEXEC);
		if (fd >= 0) {
			dprintf(fd, "%s\n", buf);
			close(fd);
		}
	}
	if (log_opt & LOG_PERROR) dprintf(2, "%s\n", buf);
}

static void __vsyslog(int priority, const char *message, va_list ap)
{
	int cs;
	if (!(log_mask & LOG_MASK(priority&7)) || (priority&~0x3ff)) return;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cs);
	LOCK(lock);
	_vsyslog(priority, message, ap);
	UNLOCK(lock);
	pthread_setcancelstate(cs, 0);
}

void syslog(int priority, const char *message, ...)
{
	va_list ap;
	va_start(ap, message);
	__vsyslog(priority, message, ap);
	va_end(ap);
}

weak_alias(__vsyslog, vsyslog);
