/*
 * utils/login.c - `login [name]`: ask for a user name and a password on
 * the terminal (fds 0-2), check them against /etc/passwd and /etc/shadow
 * with musl's crypt, and run the user's shell as a login shell with the
 * user's ids, home directory and environment.  init runs it in front of
 * the console session when CONFIG_LOGIN is set (docs/boot.md).
 *
 * A wrong name or password gets "Login incorrect" after a pause, the same
 * for both so that names cannot be probed, and a syslog line (LOG_AUTH);
 * after three failures login exits with status 1 and init starts a new
 * one.  An account whose password field is locked ("*", "!...") never
 * logs in; an empty field needs no password.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <shadow.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "usage.h"

QSOE_USAGE("usage: login [name]\n"
    "Ask for a user name (unless given) and a password on the terminal, then run\n"
    "the user's shell as a login shell; failures go to the system log (LOG_AUTH).\n");

#define TRIES		3
#define FAIL_DELAY	2	/* seconds after a failure */

char *crypt(const char *key, const char *salt);

/* Read a line from fd 0 into buf without its newline; -1 at EOF or error. */
static int
read_line(char *buf, size_t size)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n ? 0 : -1;
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = 0;
	return 0;
}

/* The password, read with echo off (and put back on whatever happens). */
static int
read_password(char *buf, size_t size)
{
	struct termios t, quiet;
	int have = tcgetattr(0, &t) == 0, r;

	if (have) {		/* before the prompt: what is typed after it is never shown */
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		tcsetattr(0, TCSANOW, &quiet);
	}
	fputs("Password: ", stdout);
	fflush(stdout);
	r = read_line(buf, size);
	if (have)
		tcsetattr(0, TCSANOW, &t);
	fputs("\n", stdout);
	return r;
}

/* Compare without stopping at the first difference. */
static int
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* Does pass open pw's account?  The shadow entry's hash wins over passwd's. */
static int
check(const struct passwd *pw, const char *pass)
{
	const struct spwd *sp = getspnam(pw->pw_name);
	const char *hash = sp ? sp->sp_pwdp : pw->pw_passwd, *c;

	if (hash == NULL)
		return 0;
	if (hash[0] == 0)
		return 1;			/* no password */
	if (hash[0] == '*' || hash[0] == '!')
		return 0;			/* locked */
	c = crypt(pass, hash);
	return c != NULL && c[0] != '*' && same(c, hash);
}

/* Become pw and run its shell as a login shell; returns only on failure. */
static void
start_session(const struct passwd *pw)
{
	const char *shell = pw->pw_shell && pw->pw_shell[0] ? pw->pw_shell : "/proc/boot/sh";
	const char *home = pw->pw_dir && pw->pw_dir[0] ? pw->pw_dir : "/";
	const char *base = strrchr(shell, '/');
	char argv0[64];

	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		fprintf(stderr, "login: cannot take the ids of %s: %s\n", pw->pw_name,
		    strerror(errno));
		return;
	}
	if (chdir(home) != 0) {
		fprintf(stderr, "login: no home directory %s; starting in /\n", home);
		home = "/";
		chdir("/");
	}
	setenv("HOME", home, 1);
	setenv("SHELL", shell, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	snprintf(argv0, sizeof(argv0), "-%s", base ? base + 1 : shell);	/* a login shell */
	execl(shell, argv0, (char *)NULL);
	fprintf(stderr, "login: %s: %s\n", shell, strerror(errno));
}

int
main(int argc, char **argv)
{
	char name[64], pass[128];
	struct utsname u;
	const char *host = uname(&u) == 0 ? u.nodename : "qsoe";

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		usage_short();
		return 2;
	}
	openlog("login", LOG_PID, LOG_AUTH);
	for (int tries = 0; tries < TRIES; tries++) {
		struct passwd *pw;
		int ok;

		if (tries == 0 && argc == 2) {
			snprintf(name, sizeof(name), "%s", argv[1]);
		} else {
			printf("\n%s login: ", host);
			fflush(stdout);
			if (read_line(name, sizeof(name)) < 0)
				return 1;
		}
		if (name[0] == 0) {
			tries--;		/* an empty line asks again */
			continue;
		}
		if (read_password(pass, sizeof(pass)) < 0)
			return 1;
		pw = getpwnam(name);
		ok = pw != NULL && check(pw, pass);
		memset(pass, 0, sizeof(pass));
		if (ok) {
			syslog(LOG_INFO, "%s logged in", name);
			start_session(pw);
			return 1;
		}
		syslog(LOG_NOTICE, "FAILED LOGIN %d for %s", tries + 1, name);
		sleep(FAIL_DELAY);
		printf("Login incorrect\n");
	}
	syslog(LOG_WARNING, "%d failed logins; giving up", TRIES);
	return 1;
}
