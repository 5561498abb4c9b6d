/*
 * utils/init.c - `init [-r rc] [command [args]]`: the console session
 * manager.  taskman's startup script starts it once the servers are up
 * (docs/boot.md).  It runs the rc script (/etc/rc by default, if it
 * exists) with sh and waits for it, then starts the console session:
 * `command` (by default `/proc/boot/sh -l`; with CONFIG_LOGIN the image's
 * script names `login`) as the leader of a new session whose controlling
 * terminal is /dev/console.  When the session ends, init starts it again,
 * as QNX's tinit and Unix's init respawn a getty; five sessions in a row
 * that end within a second make it wait 5 s before the next, so a broken
 * shell does not spin.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "usage.h"

QSOE_USAGE("usage: init [-r rc] [command [args]]\n"
    "The console session manager: run rc (/etc/rc) with sh, then keep command\n"
    "(/proc/boot/sh -l) running as a session leader on /dev/console.\n"
    "  -r rc  the script to run first\n");

#define CONSOLE		"/dev/console"
#define SHELL		"/proc/boot/sh"

extern char **environ;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run sh on the rc script and wait; its exit status, or -1. */
static int
run_rc(const char *rc)
{
	struct stat st;
	int status;
	pid_t pid;

	if (stat(rc, &st) != 0)
		return 0;		/* no rc: nothing to do */
	pid = fork();
	if (pid < 0) {
		perror("init: fork");
		return -1;
	}
	if (pid == 0) {
		execl(SHELL, "sh", rc, (char *)NULL);
		fprintf(stderr, "init: %s: %s\n", SHELL, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "init: %s ended with status %#x\n", rc, status);
	return status;
}

/* The child's side: a new session on the console, then the command. */
static void
session(char **argv)
{
	int fd;

	if (setsid() < 0) {
		perror("init: setsid");
		_exit(126);
	}
	fd = open(CONSOLE, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "init: %s: %s\n", CONSOLE, strerror(errno));
		_exit(126);
	}
	if (ioctl(fd, TIOCSCTTY, 0) < 0)
		fprintf(stderr, "init: %s: cannot become the controlling terminal: %s\n",
		    CONSOLE, strerror(errno));
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	execve(argv[0], argv, environ);
	fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int
main(int argc, char **argv)
{
	static char *shell[] = { SHELL, "-l", NULL };
	const char *rc = "/etc/rc";
	char **cmd = shell;
	int quick = 0, i = 1;

	if (i + 1 < argc && strcmp(argv[i], "-r") == 0) {
		rc = argv[i + 1];
		i += 2;
	}
	if (i < argc && argv[i][0] == '-') {
		usage_short();
		return 2;
	}
	if (i < argc)
		cmd = &argv[i];
	/* Keyboard signals are for the session, never for init. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	run_rc(rc);
	for (;;) {
		double start = now();
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("init: fork");
			sleep(5);
			continue;
		}
		if (pid == 0)
			session(cmd);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				break;
		quick = now() - start < 1.0 ? quick + 1 : 0;
		if (quick >= 5) {
			fprintf(stderr, "init: %s keeps ending at once; waiting 5 s\n", cmd[0]);
			sleep(5);
			quick = 0;
		}
	}
}
