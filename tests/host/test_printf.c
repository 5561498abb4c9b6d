// uses: kernel/skimmer/kern/printf.c
/*
 * Host tests of the kernel's formatting engine.
 */
#include "unit.h"
#include <kern/printf.h>

static const char *
fmt(const char *f, ...)
{
	static char buf[128];
	va_list ap;

	va_start(ap, f);
	kvsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return buf;
}

UNIT_TEST(integers)
{
	CHECK_STR(fmt("%d %i %u", -42, 7, 3000000000u), "-42 7 3000000000");
	CHECK_STR(fmt("%ld", (long)-9223372036854775807L - 1), "-9223372036854775808");
	CHECK_STR(fmt("%lu", 18446744073709551615UL), "18446744073709551615");
	CHECK_STR(fmt("%x %X %o", 0xbeef, 0xbeef, 8), "beef BEEF 10");
	CHECK_STR(fmt("%zu %zd", (size_t)5, (ssize_t)-5), "5 -5");
}

UNIT_TEST(widths_and_flags)
{
	CHECK_STR(fmt("[%5d]", 42), "[   42]");
	CHECK_STR(fmt("[%-5d]", 42), "[42   ]");
	CHECK_STR(fmt("[%05d]", -42), "[-0042]");
	CHECK_STR(fmt("[%08lx]", 0xabcUL), "[00000abc]");
	CHECK_STR(fmt("[%*d]", 4, 1), "[   1]");
	CHECK_STR(fmt("[%-6s]", "ab"), "[ab    ]");
	CHECK_STR(fmt("[%.2s]", "abcdef"), "[ab]");
}

UNIT_TEST(strings_chars_pointers)
{
	CHECK_STR(fmt("%s|%c|%%", "hi", 'x'), "hi|x|%");
	CHECK_STR(fmt("%s", (char *)NULL), "(null)");
	CHECK_STR(fmt("%p", (void *)0x1234), "0x0000000000001234");
}

UNIT_TEST(unknown_conversion_is_literal)
{
	CHECK_STR(fmt("a%qb"), "a%qb");
	CHECK_STR(fmt("end%"), "end%");
}

UNIT_TEST(truncation)
{
	char buf[6];

	CHECK_EQ(ksnprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	CHECK_STR(buf, "hello");
	CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(ksnprintf(NULL, 0, "abc"), 3);
}
