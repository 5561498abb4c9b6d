/*
 * tests/bench/procbench.c - the process and file figures of `make bench`,
 * through taskman (docs/taskman.md): boot to this program, posix_spawn +
 * waitpid, fork + _exit + waitpid, spawn of a program that execs another,
 * and open + read 4 KiB + close of a /proc/boot file.  Runs as the first
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
#include <sys/wait.h>

#define ITER	1000
#define WARMUP	10
#define NOP	"/proc/boot/benchnop"
#define SELF	"/proc/boot/procbench"
#define FILE4K	"/proc/boot/taskman"	/* any /proc/boot file of 4 KiB or more */

extern char **environ;

static uint64_t samples[ITER], tsamples[ITER];
static char buf[4096];

static inline uint64_t instret(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, instret" : "=r"(v) :: "memory");
	return v;
}

static inline uint64_t rdtime(void)
{
	uint64_t v;

	__asm__ __volatile__("csrr %0, time" : "=r"(v) :: "memory");
	return v;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		DebugWrite(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median instructions; mean wall time (the time CSR ticks every 100 ns). */
static void report(const char *name)
{
	uint64_t t = 0;

	for (int i = 0; i < ITER; i++)
		t += tsamples[i];
	qsort(samples, ITER, sizeof(samples[0]), cmp);
	say("BENCH %s %lu %lu\n", name, (unsigned long)samples[ITER / 2],
	    (unsigned long)(t * 100 / ITER));
}

/* Time op() ITER times after WARMUP untimed runs; it returns 0 or fails the program. */
static int measure(const char *name, int (*op)(void))
{
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

static int op_file(void)
{
	int fd = open(FILE4K, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		close(fd);
		return -2;
	}
	return close(fd);
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
	bad |= measure("open_read4k_close_procboot", op_file);
	bad |= measure("posix_spawn_waitpid", op_spawn);
	bad |= measure("fork_exit_waitpid", op_fork);
	bad |= measure("spawn_exec_waitpid", op_spawn_exec);
	return bad;
}
