/*
 * utils/mount.c - `mount [-t type] [-r] [-o ro] device dir`, or `mount`
 * alone to list what is mounted (/proc/mounts).  As in QNX, mounting
 * means starting (or asking) the file system's server, which attaches
 * dir with the path manager: for ext2 that is `fs-ext2 -d [-r] device
 * dir`, found in PATH (else /proc/boot), whose -d makes it return once
 * dir is served, or with 1 after printing why it could not mount
 * (docs/ext2.md, "mount and umount").  Exit status 0 when mounted.
 */
#include <errno.h>
#include <mntent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "usage.h"

QSOE_USAGE("usage: mount [-t type] [-r] [-o ro] device dir\n"
    "Mount the file system on device at dir by starting its server; with no\n"
    "arguments, list the mounts (/proc/mounts).\n"
    "  -t type  the file system: ext2 (the default)\n"
    "  -r       read-only (also -o ro)\n");

extern char **environ;

static int list(void)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen("/proc/mounts", "r");

	if (f == NULL) {
		perror("mount: /proc/mounts");
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

/* Is something mounted at dir already (a line of /proc/mounts names it)? */
static int mounted(const char *dir)
{
	struct mntent *e;
	int found = 0;
	FILE *f = setmntent("/proc/mounts", "r");

	if (f == NULL)
		return 0;
	while (!found && (e = getmntent(f)) != NULL)
		found = strcmp(e->mnt_dir, dir) == 0;
	endmntent(f);
	return found;
}

/* Run argv (argv[0] from PATH, else /proc/boot) and wait: its status, or -1. */
static int run(char **argv)
{
	char alt[64];
	pid_t pid;
	int st, r = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);

	if (r == ENOENT) {
		snprintf(alt, sizeof(alt), "/proc/boot/%s", argv[0]);
		r = posix_spawn(&pid, alt, NULL, NULL, argv, environ);
	}
	if (r != 0) {
		fprintf(stderr, "mount: %s: %s\n", argv[0], strerror(r));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(int argc, char **argv)
{
	const char *type = "ext2";
	char *args[8];
	int c, ro = 0, n = 0;

	if (argc == 1)
		return list();
	while ((c = getopt(argc, argv, "t:o:r")) != -1) {
		switch (c) {
		case 't': type = optarg; break;
		case 'r': ro = 1; break;
		case 'o':
			if (strcmp(optarg, "ro") == 0)
				ro = 1;
			else if (strcmp(optarg, "rw") != 0) {
				fprintf(stderr, "mount: option %s not supported (ro, rw are)\n", optarg);
				return 1;
			}
			break;
		default: goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	if (strcmp(type, "ext2") != 0) {
		fprintf(stderr, "mount: type %s not supported (ext2 is)\n", type);
		return 1;
	}
	if (mounted(argv[optind + 1])) {
		fprintf(stderr, "mount: %s: %s\n", argv[optind + 1], strerror(EBUSY));
		return 1;
	}
	if (access(argv[optind], F_OK) != 0) {	/* one line, not the server's two */
		fprintf(stderr, "mount: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	args[n++] = "fs-ext2";
	args[n++] = "-d";
	if (ro)
		args[n++] = "-r";
	args[n++] = argv[optind];
	args[n++] = argv[optind + 1];
	args[n] = NULL;
	if (run(args) != 0) {
		fprintf(stderr, "mount: %s on %s: not mounted\n", argv[optind], argv[optind + 1]);
		return 1;
	}
	return 0;
usage:
	usage_short();
	return 2;
}
