/*
 * ext2work.h - what the fs-ext2 boots' programs (libcext2, ext2crash,
 * ext2fuzz) share: the data generator and the workload's numbers, which
 * tools/ext2-image's model repeats on the host (gen(), workload_files(),
 * crash_files()): change both together.
 */
#ifndef EXT2WORK_H
#define EXT2WORK_H

#include <errno.h>
#include <spawn.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/wait.h>

#define WORK_FILES	2000
#define WORK_DIRS	8
#define CRASH_SYNCED	300

extern char **environ;

/* n bytes of lower-case letters from seed. */
static inline void gen(unsigned seed, unsigned char *out, size_t n)
{
	uint32_t x = (uint32_t)(seed * 2654435761u + 1u);

	for (size_t i = 0; i < n; i++) {
		x = (x * 1103515245u + 12345u) & 0x7fffffffu;
		out[i] = (unsigned char)(97 + (x >> 16) % 26);
	}
}

/* Run /proc/boot/<argv[0]> and wait: its exit status, or -1. */
static inline int run_prog(char *const argv[])
{
	char path[64];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "/proc/boot/%s", argv[0]);
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Run tests in this order (LTEST's section order is the linker's): the
 * protocol lines, as lt_run_all prints them.  The number of failures.
 */
struct e2t {
	const char	*name;
	int		(*fn)(void);
};

static inline int run_in_order(const struct e2t *t, int n)
{
	int pass = 0, fail = 0;

	for (int i = 0; i < n; i++) {
		lt_reason[0] = '\0';
		lt_printf("TEST START %s\n", t[i].name);
		if (t[i].fn() == 0) {
			lt_printf("TEST PASS %s\n", t[i].name);
			pass++;
		} else {
			lt_printf("TEST FAIL %s: %s\n", t[i].name,
			    lt_reason[0] ? lt_reason : "returned an error");
			fail++;
		}
	}
	lt_printf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail;
}

#endif
