/*
 * utils/usage.h - a utility's usage text, kept in its ELF file so that
 * `use prog` can print it without running it (QNX's use(1)).
 *
 *	QSOE_USAGE("usage: prog [-x] file\n"
 *	    "\n"
 *	    "  -x  what -x does\n");
 *
 * puts the text, NUL-terminated, in the section .qsoe.usage and defines
 * usage_short(), which prints the text's first line (the synopsis) to
 * stderr, what a utility says on a usage error.  The first line must be
 * "usage: ...".
 */
#ifndef UTILS_USAGE_H
#define UTILS_USAGE_H

#include <stdio.h>
#include <string.h>

#define QSOE_USAGE_SECTION	".qsoe.usage"

#define QSOE_USAGE(text)						\
	static const char qsoe_usage[]					\
	    __attribute__((used, section(QSOE_USAGE_SECTION))) = text;	\
	static void __attribute__((unused))				\
	usage_short(void)						\
	{								\
		fprintf(stderr, "%.*s\n", (int)strcspn(qsoe_usage, "\n"), qsoe_usage); \
	}

#endif
