/*
 * tests/host/unit.h - the host unit-test framework.
 *
 * A test file is one program.  Register tests with UNIT_TEST(name); each runs
 * in its own forked process (so a crash or sanitizer report fails only that
 * test) with a time-out, and prints the harness protocol (docs/testing.md):
 *
 *	TEST START <prog>.<name>
 *	TEST PASS <prog>.<name>
 *	TEST FAIL <prog>.<name>: <reason>
 *	TEST DONE <passed> passed, <failed> failed
 *
 * The first line of the file names the kernel sources it links with:
 *	// uses: kernel/skimmer/kern/fdt.c kernel/skimmer/kern/string.c
 * Build flags: -DHOST_TEST -fsanitize=address,undefined (tests/tests.mk).
 */
#ifndef UNIT_H
#define UNIT_H

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct unit_test {
	const char	*ut_name;
	void		(*ut_fn)(void);
};

#define UNIT_TEST(name)							\
	static void unit_##name(void);					\
	static const struct unit_test unit_desc_##name			\
	    __attribute__((used, section("unit_tests"), aligned(sizeof(void *)))) = \
	    { #name, unit_##name };					\
	static void unit_##name(void)

/* Fail the running test (it is a child process: exit with the reason printed). */
static inline void __attribute__((noreturn, format(printf, 3, 4)))
unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "UNIT-REASON %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\n");
	fflush(stdout);
	_exit(1);
}

#define CHECK(cond) do {						\
	if (!(cond))							\
		unit_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		unit_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",	\
		    #a, #b, __a, __b);					\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *__a = (a), *__b = (b);				\
	if (__a == NULL || __b == NULL || strcmp(__a, __b) != 0)	\
		unit_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
		    #a, #b, __a ? __a : "(null)", __b ? __b : "(null)"); \
} while (0)

#ifndef UNIT_TIMEOUT
#define UNIT_TIMEOUT 30		/* seconds per test */
#endif

extern const struct unit_test __start_unit_tests[], __stop_unit_tests[];

/* Run one test in a child; its stdout goes through a pipe so we can pick out the reason. */
static int
unit_run_one(const char *prog, const struct unit_test *t)
{
	int fds[2], status;
	char buf[4096], reason[1024] = "";
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	printf("TEST START %s.%s\n", prog, t->ut_name);
	fflush(stdout);
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		printf("TEST FAIL %s.%s: cannot fork\n", prog, t->ut_name);
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		alarm(UNIT_TIMEOUT);
		t->ut_fn();
		fflush(stdout);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += n;
		if (len == sizeof(buf) - 1)
			len = 0;	/* keep reading; reasons come last */
	}
	buf[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	char *r = strstr(buf, "UNIT-REASON ");
	if (r) {
		snprintf(reason, sizeof(reason), "%s", r + 12);
		reason[strcspn(reason, "\n")] = '\0';
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !r) {
		printf("TEST PASS %s.%s\n", prog, t->ut_name);
		return 0;
	}
	if (!reason[0]) {
		if (WIFSIGNALED(status))
			snprintf(reason, sizeof(reason), "killed by signal %d%s",
			    WTERMSIG(status), WTERMSIG(status) == SIGALRM ? " (time-out)" : "");
		else
			snprintf(reason, sizeof(reason), "exit status %d (sanitizer report above?)",
			    WEXITSTATUS(status));
		if (len)
			fputs(buf, stdout);
	}
	printf("TEST FAIL %s.%s: %s\n", prog, t->ut_name, reason);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int pass = 0, fail = 0;

	if (strncmp(prog, "test_", 5) == 0)
		prog += 5;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct unit_test *t = __start_unit_tests; t < __stop_unit_tests; t++) {
		if (argc > 1 && strstr(t->ut_name, argv[1]) == NULL)
			continue;
		if (unit_run_one(prog, t))
			fail++;
		else
			pass++;
	}
	printf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}

#endif
