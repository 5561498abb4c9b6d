/*
 * utils/shutdown.c - `shutdown [-S halt|reboot] [status]`: end every
 * process and power the machine off (under QEMU, `make run` returns).
 * taskman does the work (_SYS_SHUTDOWN); it needs root.  sync() first,
 * so a mounted disk keeps what was written to it; then, as root, every
 * file system that can be unmounted is (DCMD_FSYS_UMOUNT, forced, the
 * last mounted first), so that a disk is left marked clean, as Linux's
 * shutdown leaves it.  The exit status of the machine is `status` (0 by
 * default).
 */
#include <errno.h>
#include <signal.h>		/* before <sys/iomsg.h>: musl's struct sigevent first */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/iomsg.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include "usage.h"

#define MOUNTS_MAX	64

/*
 * Unmount what /proc/mounts lists, the last line first (a mount inside
 * another comes after it).  A server that cannot be unmounted (taskman's
 * own, devices) answers ENOTTY and stays; errors are for the console.
 */
static void
unmount_all(void)
{
	char *mp[MOUNTS_MAX];
	uint32_t force = _DCMD_FSYS_UMOUNT_FORCE;
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *e;
	int n = 0, fd;

	if (f == NULL)
		return;
	while (n < MOUNTS_MAX && (e = getmntent(f)) != NULL)
		if (e->mnt_dir[0] == '/' && (mp[n] = strdup(e->mnt_dir)) != NULL)
			n++;
	endmntent(f);
	while (n-- > 0) {
		if ((fd = open(mp[n], O_RDONLY | O_DIRECTORY)) >= 0) {
			if (ioctl(fd, DCMD_FSYS_UMOUNT, &force) != 0 && errno != ENOTTY &&
			    errno != ENOSYS)
				fprintf(stderr, "shutdown: umount %s: %s\n", mp[n], strerror(errno));
			close(fd);
		}
		free(mp[n]);
	}
}

QSOE_USAGE("usage: shutdown [-S halt|reboot] [status]\n"
    "End every process and power the machine off (root only).\n"
    "  -S halt|reboot  halt (the default) or restart the machine\n"
    "  status          the machine's exit status, 0..255 (0)\n");

int
main(int argc, char **argv)
{
	struct _sys_shutdown m = { .type = _SYS_SHUTDOWN, .subtype = _SYS_SHUTDOWN_POWEROFF };
	char *end;
	long st;
	int i = 1;

	if (i + 1 < argc && strcmp(argv[i], "-S") == 0) {
		if (strcmp(argv[i + 1], "reboot") == 0)
			m.subtype = _SYS_SHUTDOWN_REBOOT;
		else if (strcmp(argv[i + 1], "halt") != 0)
			goto usage;
		i += 2;
	}
	if (i < argc) {
		m.sd_status = (int32_t)strtol(argv[i], &end, 0);
		if (*end != '\0' || m.sd_status < 0 || m.sd_status > 255 || ++i != argc)
			goto usage;
	}
	fflush(stdout);
	sync();			/* the file systems write what they hold */
	if (geteuid() == 0)
		unmount_all();	/* (taskman refuses anyone else: nothing is unmounted) */
	st = MsgSend_r(SYSMGR_COID, &m, sizeof(m), 0, 0);
	if (st < 0) {
		fprintf(stderr, "shutdown: %s\n", strerror((int)-st));
		return 1;
	}
	for (;;)
		pause();	/* taskman ends us */
usage:
	usage_short();
	return 2;
}
