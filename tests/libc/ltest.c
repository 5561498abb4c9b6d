/*
 * tests/libc/ltest.c - the runner of ltest.h, linked into every libc test
 * program.
 */
#include "ltest.h"

/* Weak: a program without tests has no "ltests" section. */
extern const struct ltest __start_ltests[] __attribute__((weak));
extern const struct ltest __stop_ltests[] __attribute__((weak));
char lt_reason[256];

int lt_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return DebugWrite(buf, (size_t)n);
}

int lt_run_all(void)
{
	int pass = 0, fail = 0;

	for (const struct ltest *t = __start_ltests; t < __stop_ltests; t++) {
		lt_reason[0] = '\0';
		lt_printf("TEST START %s\n", t->lt_name);
		if (t->lt_fn() == 0) {
			lt_printf("TEST PASS %s\n", t->lt_name);
			pass++;
		} else {
			lt_printf("TEST FAIL %s: %s\n", t->lt_name,
			    lt_reason[0] ? lt_reason : "returned an error");
			fail++;
		}
	}
	lt_printf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail;
}
