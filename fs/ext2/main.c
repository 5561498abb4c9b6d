/*
 * fs-ext2 - the ext2 file system (docs/ext2.md), a libresmgr server.
 *
 *	fs-ext2 [-r] [-d] [-w seconds] [-p pipenode] device mountpoint
 *
 * Mounts the ext2 image on device (a block device such as /dev/hd0, or
 * any file) at mountpoint, attached as an opaque directory.  -r mounts
 * read-only (so does read-only media: the block driver says
 * BLK_FLAG_RDONLY, and unknown RO_COMPAT features); -d detaches: the
 * command ends once the server (a child) answers for the mount point, or
 * with status 1 if it could not mount (its reason on stderr), which is
 * what mount(8) runs; -w is the write-back period: every that many
 * seconds (default 5; 0: never) dirty blocks are written and the disk
 * flushed, so at most that much is lost to a power cut or a shutdown
 * without umount; -p is the pipe manager's node for named FIFOs.
 * umount(8) ends it with DCMD_FSYS_UMOUNT: it writes everything back,
 * detaches, answers and exits.  The logic is e2*.c; the
 * messages are libresmgr's file-system server layer's (sys/fsserv.h),
 * on the operations of e2ops.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "e2srv.h"
#include <sys/ioctl.h>
#include <sys/dcmd_blk.h>

static int usage(void)
{
	fprintf(stderr, "usage: fs-ext2 [-r] [-d] [-w seconds] [-p pipenode] device mountpoint\n");
	return 1;
}

/* Open the device; read-only if asked, if the media is, or if it cannot be opened to write. */
static int open_device(const char *dev, int *rdonly)
{
	uint32_t flags = 0;
	int fd = *rdonly ? -1 : open(dev, O_RDWR);

	if (fd >= 0 && ioctl(fd, DCMD_BLK_GETFLAGS, &flags) == 0 && (flags & BLK_FLAG_RDONLY)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		*rdonly = 1;
		fd = open(dev, O_RDONLY);
	}
	return fd;
}

int main(int argc, char **argv)
{
	int c, bg = 0, rdonly = 0, fd, r;
	unsigned secs = 5;

	while ((c = getopt(argc, argv, "rdw:p:")) != -1) {
		switch (c) {
		case 'r': rdonly = 1; break;
		case 'd': bg = 1; break;
		case 'w': secs = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': e2_server.pipe_node = optarg; break;
		default: return usage();
		}
	}
	if (argc - optind != 2 || argv[optind + 1][0] != '/')
		return usage();
	e2_device = argv[optind];
	e2_server.path = argv[optind + 1];
	if (bg)
		fs_detach(e2_server.path, 30);
	if ((fd = open_device(e2_device, &rdonly)) < 0) {
		fprintf(stderr, "fs-ext2: %s: %s\n", e2_device, strerror(errno));
		return 1;
	}
	if ((r = e2_mount(&e2_fs, fd, e2_server.path, rdonly)) != 0) {
		fprintf(stderr, "fs-ext2: %s: cannot mount: %s (%s)\n", e2_device,
		    e2_fs.f_err[0] ? e2_fs.f_err : "", strerror(r));
		return 1;
	}
	if (e2_fs.f_unclean)	/* as Linux says it: mounted all the same */
		fprintf(stderr, "fs-ext2: %s: not cleanly unmounted or has errors: run e2fsck\n",
		    e2_device);
	e2_server.mount = e2_fs.f_mount;
	if ((r = fs_start(&e2_server)) != 0)
		return r;
	if (!e2_fs.f_rdonly && fs_tick(&e2_server, secs) != 0)
		fprintf(stderr, "fs-ext2: no write-back timer: dirty blocks wait for fsync\n");
	fs_run(&e2_server);
	return 0;	/* umount detached us */
}
