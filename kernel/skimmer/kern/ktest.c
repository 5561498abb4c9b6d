/*
 * kern/ktest.c - the self-test runner.
 */
#include <kern/ktest.h>
#include <kern/printf.h>
#include <kern/string.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static char fail_reason[200];
static bool failed;

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failed)
		return;
	failed = true;
	n = ksnprintf(fail_reason, sizeof(fail_reason), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(fail_reason))
		return;
	va_start(ap, fmt);
	kvsnprintf(fail_reason + n, sizeof(fail_reason) - n, fmt, ap);
	va_end(ap);
}

static bool
matches(const struct ktest *t, const char *filter)
{
	char full[96];

	if (filter == NULL || !*filter)
		return true;
	ksnprintf(full, sizeof(full), "%s.%s", t->kt_suite, t->kt_name);
	return strncmp(full, filter, strlen(filter)) == 0;
}

int
ktest_run(const char *filter)
{
	int pass = 0, fail = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!matches(t, filter))
			continue;
		failed = false;
		fail_reason[0] = '\0';
		kprintf("TEST START %s.%s\n", t->kt_suite, t->kt_name);
		int rc = t->kt_fn();
		if (rc == 0 && !failed) {
			kprintf("TEST PASS %s.%s\n", t->kt_suite, t->kt_name);
			pass++;
		} else {
			kprintf("TEST FAIL %s.%s: %s\n", t->kt_suite, t->kt_name,
			    fail_reason[0] ? fail_reason : "returned an error");
			fail++;
		}
	}
	kprintf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail;
}
