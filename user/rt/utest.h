/*
 * user/rt/utest.h - in-system test framework for early user programs.
 * Same protocol as the kernel's self-tests (docs/testing.md).  A test is
 * a function returning 0; UT_CHECK/UT_EQ record the reason and return -1.
 */
#ifndef UTEST_H
#define UTEST_H

#include "rt.h"

struct utest {
	const char	*ut_name;
	int		(*ut_fn)(void);
};

#define UTEST(suite, name)						\
	static int utest_##suite##_##name(void);			\
	static const struct utest utest_d_##suite##_##name		\
	    __attribute__((used, section("utests"), aligned(8))) =	\
	    { #suite "." #name, utest_##suite##_##name };		\
	static int utest_##suite##_##name(void)

extern char ut_reason[200];

#define UT_CHECK(cond) do {						\
	if (!(cond)) {							\
		rt_snprintf(ut_reason, sizeof(ut_reason), "%s:%d: %s",	\
		    __FILE__, __LINE__, #cond);				\
		return -1;						\
	}								\
} while (0)

#define UT_EQ(a, b) do {						\
	long __a = (long)(a), __b = (long)(b);				\
	if (__a != __b) {						\
		rt_snprintf(ut_reason, sizeof(ut_reason),		\
		    "%s:%d: %s == %s: %d != %d", __FILE__, __LINE__,	\
		    #a, #b, (int)__a, (int)__b);			\
		return -1;						\
	}								\
} while (0)

/* Run every registered test; returns the number of failures. */
int utest_run_all(void);

#endif
