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
#include <sys/neutrino.h>
#include "e2srv.h"

#define CODE_WRITEBACK	(_PULSE_CODE_MINAVAIL + 1)	/* the write-back timer */

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
	fprintf(stderr, "usage: fs-ext2 [-r] [-d] [-w seconds] [-p pipenode] device mountpoint\n");
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

/* A pulse to our own channel every secs seconds (0: none).  0 or -1. */
static int writeback_timer(dispatch_t *dpp, unsigned secs)
{
	struct __abi_sigevent ev = { 0 };
	struct _itimer it = { (uint64_t)secs * 1000000000ULL, (uint64_t)secs * 1000000000ULL };
	int coid, id;

	if (secs == 0)
		return 0;
	if ((coid = ConnectAttach(0, 0, dispatch_chid(dpp), _NTO_SIDE_CHANNEL, 0)) < 0)
		return -1;
	ev.sigev_notify = __ABI_SIGEV_PULSE;
	ev.__sigev_un1.__sigev_coid = coid;
	ev.__sigev_un2.__st.__sigev_code = CODE_WRITEBACK;
	ev.__sigev_un2.__st.__sigev_priority = __ABI_SIGEV_PULSE_PRIO_INHERIT;
	if ((id = TimerCreate(CLOCK_MONOTONIC, &ev)) < 0)
		return -1;
	return TimerSettime(id, 0, &it, NULL) < 0 ? -1 : 0;
}

/* The write-back pulse: dirty blocks to the disk, then its flush. */
static void writeback(void)
{
	if (e2_dirty(&e2_fs) && e2_sync(&e2_fs) != 0)
		fprintf(stderr, "fs-ext2: %s: write-back failed: %s\n", e2_device,
		    e2_fs.f_err[0] ? e2_fs.f_err : "the disk says EIO");
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
	unsigned secs = 5;

	while ((c = getopt(argc, argv, "rdw:p:")) != -1) {
		switch (c) {
		case 'r': rdonly = 1; break;
		case 'd': bg = 1; break;
		case 'w': secs = (unsigned)strtoul(optarg, NULL, 10); break;
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
	if (e2_fs.f_unclean)	/* as Linux says it: mounted all the same */
		fprintf(stderr, "fs-ext2: %s: not cleanly unmounted or has errors: run e2fsck\n",
		    e2_device);
	if ((dpp = dispatch_create()) == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 2;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &e2_io);
	e2_connect_init(&cf);
	e2_io_init(&e2_io);
	iofunc_attr_init(&e2_mount_attr, S_IFDIR | 0755, NULL, NULL);
	if ((e2_attach_id = resmgr_attach(dpp, NULL, argv[optind + 1], _FTYPE_ANY,
	    _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE, &cf, &e2_io, &e2_mount_attr)) < 0)
		return 3;
	if (!e2_fs.f_rdonly && writeback_timer(dpp, secs) != 0)
		fprintf(stderr, "fs-ext2: no write-back timer: dirty blocks wait for fsync\n");
	while (!e2_umounted) {
		if (dispatch_block(ctp) == NULL)
			continue;
		if (ctp->rcvid == 0 && ctp->msg->pulse.code == CODE_WRITEBACK)
			writeback();
		else
			dispatch_handler(ctp);
	}
	return 0;	/* umount detached us */
}
