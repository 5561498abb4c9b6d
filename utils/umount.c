/*
 * utils/umount.c - `umount [-f] dir`: ask the server of the file system
 * mounted at dir to write everything back, mark its file system clean,
 * detach and exit (DCMD_FSYS_UMOUNT on an fd of dir, <sys/iomsg.h>;
 * docs/ext2.md).  Without -f it refuses (EBUSY) while other files of it
 * are open.  Exit status 0 when unmounted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/iomsg.h>
#include "usage.h"

QSOE_USAGE("usage: umount [-f] dir\n"
    "Unmount the file system at dir: its server writes everything back and ends.\n"
    "  -f  even while files of it are open\n");

int
main(int argc, char **argv)
{
	uint32_t flags = 0;
	int fd, i = 1;

	if (argc > 1 && strcmp(argv[1], "-f") == 0) {
		flags |= _DCMD_FSYS_UMOUNT_FORCE;
		i++;
	}
	if (argc - i != 1) {
		usage_short();
		return 2;
	}
	if ((fd = open(argv[i], O_RDONLY | O_DIRECTORY)) < 0) {
		fprintf(stderr, "umount: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	if (ioctl(fd, DCMD_FSYS_UMOUNT, &flags) != 0) {
		int e = errno;

		fprintf(stderr, "umount: %s: %s\n", argv[i], e == ENOTTY || e == ENOSYS ?
		    "not a file system that can be unmounted" : strerror(e));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
