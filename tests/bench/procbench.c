/*
 * tests/bench/procbench.c - the process and file figures of `make bench`,
 * through taskman (docs/taskman.md): boot to this program, posix_spawn +
 * waitpid, fork + _exit + waitpid, spawn of a program that execs another,
 * open + read 4 KiB + close of a /proc/boot file and of a file on fs-ram,
 * and a 1-byte round trip through two pipes to a child that echoes it
 * (this program starts pipe and fs-ram itself, after the boot figure, and
 * needs no other server).  Runs as the first
 * program of /proc/boot/bench.script at -smp 1 under -icount shift=0, so
 * instret counts every instruction of the operation: this program's,
 * taskman's, the child's and the kernel's.  Prints
 *	BENCH <name> <median instructions per op> <mean ns per op>
 *
 * With the argument "exec" it is the program that execs benchnop.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "bench.h"
#include "qprof.h"

#define ITER	1000
#define WARMUP	10
#define NOP	"/proc/boot/benchnop"
#define SELF	"/proc/boot/procbench"
#define FILE4K	"/proc/boot/taskman"	/* any /proc/boot file of 4 KiB or more */
#define RAM4K	"/tmp/bench4k"		/* made on fs-ram */

extern char **environ;

static uint64_t samples[ITER], tsamples[ITER];
static char buf[4096];

/* Median instructions; mean wall time (the time CSR ticks every 100 ns). */
static void report(const char *name)
{
	bench_report(name, samples, tsamples, ITER);
}

/* Time op() ITER times after WARMUP untimed runs; it returns 0 or fails the program. */
static int measure(const char *name, int (*op)(void))
{
	PROF_OPEN();		/* a window for tools/qprof */
	for (int i = -WARMUP; i < ITER; i++) {
		uint64_t t0 = rdtime(), a = instret();
		int rc = op();
		uint64_t b = instret(), t1 = rdtime();

		if (rc != 0) {
			say("procbench: %s: failed (%d)\n", name, rc);
			return 1;
		}
		if (i >= 0) {
			samples[i] = b - a;
			tsamples[i] = t1 - t0;
		}
	}
	PROF_CLOSE();
	report(name);
	return 0;
}

static int reap(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, 0) != pid)
		return -2;
	return st == 0 ? 0 : -3;
}

static int spawn_wait(const char *path, char *arg)
{
	char *argv[] = { (char *)path, arg, NULL };
	pid_t pid;

	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0)
		return -1;
	return reap(pid);
}

static int op_spawn(void)
{
	return spawn_wait(NOP, NULL);
}

static int op_spawn_exec(void)
{
	return spawn_wait(SELF, "exec");
}

static int op_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -1;
	return reap(pid);
}

static int read4k(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		close(fd);
		return -2;
	}
	return close(fd);
}

static int op_file(void)
{
	return read4k(FILE4K);
}

static int op_ramfile(void)
{
	return read4k(RAM4K);
}

static int to_child = -1, from_child = -1;

static int op_pipe(void)
{
	char c = 'x';

	if (write(to_child, &c, 1) != 1 || read(from_child, &c, 1) != 1 || c != 'x')
		return -1;
	return 0;
}

/* Start a server (argv) and wait until path exists: 0, or -1. */
static int start_server(char *const argv[], const char *path, int wait_child)
{
	struct stat st;
	pid_t pid;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	if (wait_child && reap(pid) != 0)	/* fs-ram -d: it returns once attached */
		return -1;
	for (int i = 0; i < 1000 && stat(path, &st) != 0; i++)
		usleep(10000);
	return stat(path, &st) == 0 ? 0 : -1;
}

/* The pipe manager, fs-ram on /tmp with a 4 KiB file, and the echo child. */
static int setup(void)
{
	char *pipe_argv[] = { "/proc/boot/pipe", NULL };
	char *ram_argv[] = { "/proc/boot/fs-ram", "-d", "/tmp", NULL };
	int a[2], b[2], fd;
	pid_t pid;

	if (start_server(pipe_argv, "/dev/pipe", 0) != 0 ||
	    start_server(ram_argv, "/tmp", 1) != 0)
		return -1;
	memset(buf, 'q', sizeof(buf));
	fd = open(RAM4K, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || close(fd) != 0)
		return -2;
	if (pipe2(a, O_CLOEXEC) != 0 || pipe2(b, O_CLOEXEC) != 0)	/* not the spawned children's */
		return -3;
	pid = fork();
	if (pid < 0)
		return -4;
	if (pid == 0) {			/* echo every byte back until EOF */
		char c;

		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1 && write(b[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	to_child = a[1];
	from_child = b[0];
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t boot_i = instret(), boot_t = rdtime();
	int bad = 0;

	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		char *nargv[] = { NOP, NULL };

		execve(NOP, nargv, environ);
		return 127;
	}
	/*
	 * instret and time from reset (the firmware included) to the first
	 * lines of main of the script's first program: one sample, not a median.
	 */
	say("BENCH boot_to_first_program %lu %lu\n", (unsigned long)boot_i,
	    (unsigned long)boot_t * 100);
	if ((bad = setup()) != 0) {
		say("procbench: setting up pipe and fs-ram failed (%d)\n", bad);
		return 1;
	}
	bad |= measure("open_read4k_close_procboot", op_file);
	bad |= measure("open_read4k_close_ramfs", op_ramfile);
	bad |= measure("pipe_roundtrip_1byte", op_pipe);
	bad |= measure("posix_spawn_waitpid", op_spawn);
	bad |= measure("fork_exit_waitpid", op_fork);
	bad |= measure("spawn_exec_waitpid", op_spawn_exec);
	return bad;
}
