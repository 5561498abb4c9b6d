/*
 * tests/libc/ltest.h - the in-system test protocol (docs/testing.md) for
 * programs built with qsoe-cc on musl.  Like user/rt/utest.h: LTEST(suite,
 * name) registers a test in the "ltests" section; a test returns 0 to pass;
 * LT_CHECK/LT_EQ record the reason and return -1.  Output goes through the
 * DebugWrite kernel call (there is no console server yet), formatted by
 * musl's snprintf.
 */
#ifndef LTEST_H
#define LTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/neutrino.h>

struct ltest {
	const char	*lt_name;
	int		(*lt_fn)(void);
};

#define LTEST(suite, name)						\
	static int ltest_##suite##_##name(void);			\
	static const struct ltest ltest_d_##suite##_##name		\
	    __attribute__((used, section("ltests"), aligned(8))) =	\
	    { #suite "." #name, ltest_##suite##_##name };		\
	static int ltest_##suite##_##name(void)

extern char lt_reason[256];

#define LT_CHECK(cond) do {						\
	if (!(cond)) {							\
		snprintf(lt_reason, sizeof(lt_reason), "%s:%d: %s",	\
		    __FILE__, __LINE__, #cond);				\
		return -1;						\
	}								\
} while (0)

#define LT_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		snprintf(lt_reason, sizeof(lt_reason),			\
		    "%s:%d: %s == %s: %lld != %lld", __FILE__, __LINE__, \
		    #a, #b, __a, __b);					\
		return -1;						\
	}								\
} while (0)

/* printf to the kernel console (DebugWrite); lines are written whole. */
int lt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run every registered test; returns the number of failures. */
int lt_run_all(void);

#endif
