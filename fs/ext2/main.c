/*
 * fs-ext2 - the ext2 file system (docs/ext2.md), a libresmgr server.
 *
 *	fs-ext2 [-r] [-d] [-p pipenode] device mountpoint
 *
 * Mounts the ext2 image on device (a block device such as /dev/hd0, or
 * any file) at mountpoint, attached as an opaque directory.  -r mounts
 * read-only (so does read-only media: the block driver says
 * BLK_FLAG_RDONLY, and unknown RO_COMPAT features); -d detaches: the
 * command ends once the server (a child) answers for the mount point, or
 * with status 1 if it could not mount (its reason on stderr), which is
 * what mount(8) runs; -p is the pipe manager's node for named FIFOs.
 * umount(8) ends it with DCMD_FSYS_UMOUNT: it writes everything back,
 * detaches, answers and exits.  The logic is e2*.c; the
 * message handlers e2connect.c and e2io.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <sys/dcmd_blk.h>
#include "e2srv.h"

struct e2fs e2_fs;
resmgr_io_funcs_t e2_io;
iofunc_attr_t e2_mount_attr;
const char *e2_pipe_node = "/dev/pipe";
const char *e2_device;
unsigned e2_nocbs;
int e2_umounted;
int e2_attach_id = -1;

void e2_report(void)
{
	static char last[E2_ERRLEN];

	if (e2_fs.f_err[0] && strcmp(last, e2_fs.f_err) != 0) {
		fprintf(stderr, "fs-ext2: %s: corrupted: %s\n", e2_device, e2_fs.f_err);
		memcpy(last, e2_fs.f_err, sizeof(last));
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: fs-ext2 [-r] [-d] [-p pipenode] device mountpoint\n");
	return 1;
}

/* -d: as fs-ram's: the parent waits until the child serves mount (its st_dev). */
static void detach(const char *mount)
{
	struct timespec ts = { 0, 20000000 };
	pid_t pid = fork();

	if (pid <= 0) {
		if (pid < 0)
			exit(4);
		return;
	}
	for (int i = 0; i < 1500; i++) {
		struct stat st;
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid)
			exit(1);
		if (stat(mount, &st) == 0 && st.st_dev == (dev_t)pid)
			exit(0);
		nanosleep(&ts, NULL);
	}
	exit(1);
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
	static resmgr_connect_funcs_t cf;
	dispatch_t *dpp;
	dispatch_context_t *ctp;
	int c, bg = 0, rdonly = 0, fd, r;

	while ((c = getopt(argc, argv, "rdp:")) != -1) {
		switch (c) {
		case 'r': rdonly = 1; break;
		case 'd': bg = 1; break;
		case 'p': e2_pipe_node = optarg; break;
		default: return usage();
		}
	}
	if (argc - optind != 2 || argv[optind + 1][0] != '/')
		return usage();
	e2_device = argv[optind];
	if (bg)
		detach(argv[optind + 1]);
	if ((fd = open_device(e2_device, &rdonly)) < 0) {
		fprintf(stderr, "fs-ext2: %s: %s\n", e2_device, strerror(errno));
		return 1;
	}
	if ((r = e2_mount(&e2_fs, fd, argv[optind + 1], rdonly)) != 0) {
		fprintf(stderr, "fs-ext2: %s: cannot mount: %s (%s)\n", e2_device,
		    e2_fs.f_err[0] ? e2_fs.f_err : "", strerror(r));
		return 1;
	}
	if ((dpp = dispatch_create()) == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 2;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &e2_io);
	e2_connect_init(&cf);
	e2_io_init(&e2_io);
	iofunc_attr_init(&e2_mount_attr, S_IFDIR | 0755, NULL, NULL);
	if ((e2_attach_id = resmgr_attach(dpp, NULL, argv[optind + 1], _FTYPE_ANY,
	    _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE, &cf, &e2_io, &e2_mount_attr)) < 0)
		return 3;
	while (!e2_umounted)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
	return 0;	/* umount detached us */
}
