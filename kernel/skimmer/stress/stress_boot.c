/*
 * stress/stress_boot.c - the boot options: stress=<seconds>, seed=<n>, and
 * the debug option stress_inject=<kind>, which makes the run violate one
 * invariant on purpose so the tests can see that the checks fire:
 *
 *	drop		a server never replies to one asynchronous message
 *	dupreply	a server sends a forged second reply to one message
 *	corrupt		a client changes a payload byte after checksumming it
 *	leak		a client forgets one frame it allocated
 *	ipi		a client skips one IPI call sequence number
 *	late		a client holds its CPU in a critical section too long
 */
#include "stress_int.h"
#include <kern/bootinfo.h>
#include <kern/printf.h>
#include <kern/string.h>
#include <abi/errno.h>

static const char *const inject_names[] = {
	[INJ_DROP] = "drop", [INJ_DUPREPLY] = "dupreply", [INJ_CORRUPT] = "corrupt",
	[INJ_LEAK] = "leak", [INJ_IPI] = "ipi", [INJ_LATE] = "late",
};

/* Decimal or 0x-prefixed hex; false on anything else or overflow. */
static bool
parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			return false;
		if (v > (~0UL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static int
parse_inject(const char *s)
{
	for (unsigned i = 1; i < ARRAY_SIZE(inject_names); i++)
		if (strcmp(s, inject_names[i]) == 0)
			return (int)i;
	return -1;
}

static int
fail_early(const char *why, const char *what)
{
	kprintf("stress: %s '%s'\n", why, what);
	kprintf("TEST START stress.kernel\nTEST FAIL stress.kernel: %s '%s'\n", why, what);
	kprintf("TEST DONE 0 passed, 1 failed\n");
	return -EINVAL;
}

int
stress_boot(const char *seconds)
{
	char val[32];
	uint64_t secs, seed;
	bool pass;
	int rc;

	if (!parse_u64(seconds, &secs) || secs == 0 || secs > 86400)
		return fail_early("bad duration (stress=<seconds>, 1..86400)", seconds);
	seed = stress_default_seed();
	if (bootarg_value(&bootinfo, "seed", val, sizeof(val)) && !parse_u64(val, &seed))
		return fail_early("bad seed", val);
	st_inject_req = INJ_NONE;
	if (bootarg_value(&bootinfo, "stress_inject", val, sizeof(val))) {
		if (parse_inject(val) < 0)
			return fail_early("unknown stress_inject kind", val);
		st_inject_req = parse_inject(val);
	}
	st_protocol = true;
	kprintf("TEST START stress.kernel\n");
	rc = stress_run((unsigned)secs, seed, false);
	if (rc == 0 && st_inject_req != INJ_NONE)
		kprintf("TEST FAIL stress.kernel: stress_inject=%s was %s\n",
		    inject_names[st_inject_req], st.g_injected ? "not caught" : "never injected");
	else if (rc == 0)
		kprintf("TEST PASS stress.kernel\n");
	else
		kprintf("TEST FAIL stress.kernel: could not run (error %d)\n", rc);
	pass = rc == 0 && st_inject_req == INJ_NONE;
	kprintf("TEST DONE %d passed, %d failed\n", pass, !pass);
	st_protocol = false;
	st_inject_req = INJ_NONE;
	return pass ? 0 : 1;
}
