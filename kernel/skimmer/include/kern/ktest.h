/*
 * kern/ktest.h - in-kernel self-tests (CONFIG_SKIMMER_SELFTEST).
 *
 * A test is a function registered with KTEST(suite, name) in the .ktests
 * section, as sel4test registers its tests.  It returns 0 on success; the
 * KT_CHECK macros record a reason and return -1.  The runner prints the
 * harness protocol (docs/testing.md):
 *
 *	TEST START <suite>.<name>
 *	TEST PASS <suite>.<name>
 *	TEST FAIL <suite>.<name>: <reason>
 *	TEST DONE <passed> passed, <failed> failed
 */
#ifndef KERN_KTEST_H
#define KERN_KTEST_H

#include <kern/types.h>

struct ktest {
	const char	*kt_suite;
	const char	*kt_name;
	int		(*kt_fn)(void);
};

#define KTEST(suite, name)						\
	static int ktest_##suite##_##name(void);			\
	static const struct ktest ktest_desc_##suite##_##name		\
	    __section(".ktests") __attribute__((used)) =		\
	    { #suite, #name, ktest_##suite##_##name };			\
	static int ktest_##suite##_##name(void)

/* Record why the running test failed (first reason wins). */
void ktest_fail(const char *file, int line, const char *fmt, ...) __printflike(3, 4);

#define KT_CHECK(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		ktest_fail(__FILE__, __LINE__, "%s: " fmt, #cond, ##__VA_ARGS__); \
		return -1;						\
	}								\
} while (0)

#define KT_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		ktest_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
		    #a, #b, __a, __b);					\
		return -1;						\
	}								\
} while (0)

/*
 * Run the tests whose "suite.name" starts with filter (all if NULL or
 * empty).  Returns the number of failures.
 */
int ktest_run(const char *filter);

/* Crash deliberately in the way `kind` names (boot option crash=). */
void ktest_crash(const char *kind);

#endif
