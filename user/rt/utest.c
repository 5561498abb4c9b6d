/*
 * user/rt/utest.c - the in-system test runner.
 */
#include "utest.h"

extern const struct utest __start_utests[], __stop_utests[];
char ut_reason[200];

int
utest_run_all(void)
{
	int pass = 0, fail = 0;

	for (const struct utest *t = __start_utests; t < __stop_utests; t++) {
		ut_reason[0] = '\0';
		rt_printf("TEST START %s\n", t->ut_name);
		if (t->ut_fn() == 0) {
			rt_printf("TEST PASS %s\n", t->ut_name);
			pass++;
		} else {
			rt_printf("TEST FAIL %s: %s\n", t->ut_name,
			    ut_reason[0] ? ut_reason : "returned an error");
			fail++;
		}
	}
	rt_printf("TEST DONE %d passed, %d failed\n", pass, fail);
	return fail;
}
