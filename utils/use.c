/*
 * utils/use.c - `use program`: print the usage text kept in a program's
 * ELF file (the .qsoe.usage section, utils/usage.h), as QNX's use(1)
 * does, without running it.  A name without '/' is looked up in PATH
 * (/proc/boot if unset).  Status 1 if the program has no usage text or
 * cannot be read.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "usage.h"

QSOE_USAGE("usage: use program\n"
    "Print the usage text of program (a path, or a name looked up in PATH).\n");

/* Read len bytes at off; 0 or -1. */
static int
readat(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* Find name in PATH into buf; 0 or -1. */
static int
lookup(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(buf, len, "%s", name);
		return 0;
	}
	for (const char *p = path && *path ? path : "/proc/boot"; ; ) {
		size_t n = strcspn(p, ":");

		snprintf(buf, len, "%.*s%s%s", (int)n, p, n ? "/" : "", name);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
		if (p[n] == '\0')
			return -1;
		p += n + 1;
	}
}

/*
 * The .qsoe.usage section of the ELF file fd, malloc'ed and
 * NUL-terminated; NULL with *why.
 */
static char *
usage_of(int fd, const char **why)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strsh;
	char name[sizeof(QSOE_USAGE_SECTION)], *text;

	*why = "not an ELF file";
	if (readat(fd, &eh, sizeof(eh), 0) < 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    eh.e_shstrndx >= eh.e_shnum ||
	    readat(fd, &strsh, sizeof(strsh), (off_t)(eh.e_shoff + eh.e_shstrndx * sizeof(sh))) < 0)
		return NULL;
	*why = "no usage information";
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		if (readat(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff + i * sizeof(sh))) < 0 ||
		    sh.sh_name >= strsh.sh_size)
			continue;
		memset(name, 0, sizeof(name));
		if (pread(fd, name, sizeof(name), (off_t)(strsh.sh_offset + sh.sh_name)) <= 0 ||
		    memcmp(name, QSOE_USAGE_SECTION, sizeof(name)) != 0 ||
		    sh.sh_type != SHT_PROGBITS || sh.sh_size == 0 || sh.sh_size > 65536)
			continue;
		if ((text = calloc(1, sh.sh_size + 1)) == NULL ||
		    readat(fd, text, sh.sh_size, (off_t)sh.sh_offset) < 0) {
			free(text);
			*why = "cannot read its usage information";
			return NULL;
		}
		return text;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	char path[1024], *text;
	const char *why;
	int fd;

	if (argc != 2 || argv[1][0] == '-') {
		usage_short();
		return 2;
	}
	if (lookup(argv[1], path, sizeof(path)) < 0) {
		fprintf(stderr, "use: %s: not found\n", argv[1]);
		return 1;
	}
	if ((fd = open(path, O_RDONLY)) < 0) {
		fprintf(stderr, "use: %s: %s\n", path, strerror(errno));
		return 1;
	}
	text = usage_of(fd, &why);
	close(fd);
	if (text == NULL) {
		fprintf(stderr, "use: %s: %s\n", path, why);
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}
