/*
 * fs-ram - the RAM file system (docs/ramfs.md), a libresmgr server.
 *
 *	fs-ram [-d] [-s size] [-i inodes] [-m mode] [-p pipenode] [mountpoint]
 *
 * mountpoint (default /tmp) is attached as an opaque directory (the
 * servers of shorter prefixes, such as taskman's image at /, are not
 * asked about names under it); -d detaches: the command ends once the
 * server (a child) answers for the mount point, so a script line without
 * '&' waits for exactly that (`waitfor /tmp` cannot: the image has a
 * /tmp directory, which satisfies it at once); -s is the most
 * bytes of file data (k, m or g suffix; default 32m), beyond which
 * writes give ENOSPC; -i the most inodes (default 16384); -m the root
 * directory's mode in octal (default 1777, as /tmp wants); -p the pipe
 * manager's node (default /dev/pipe), to which an open of a named FIFO is
 * redirected (docs/resmgr.md, "Named FIFOs").  The logic is
 * ramfs.c and rfdata.c; the message handlers rfconnect.c and rfio.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "rfsrv.h"

struct ramfs rf_fs;
resmgr_io_funcs_t rf_io;
iofunc_attr_t rf_mount_attr;
const char *rf_pipe_node = "/dev/pipe";
const char *rf_mount;

/* "12", "64k", "32m", "1g": bytes, or 0 if malformed. */
static uint64_t size_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	int shift = *end == 'k' || *end == 'K' ? 10 : *end == 'm' || *end == 'M' ? 20 :
	    *end == 'g' || *end == 'G' ? 30 : 0;

	if (end == s || (shift && end[1] != '\0') || (!shift && *end != '\0'))
		return 0;
	return (uint64_t)v << shift;
}

static int usage(void)
{
	fprintf(stderr, "usage: fs-ram [-d] [-s size] [-i inodes] [-m mode] [-p pipenode]"
	    " [mountpoint]\n");
	return 1;
}

/*
 * -d: fork; the child goes on to serve.  The parent waits until mount
 * is served by the child (stat's st_dev is the server's pid) and exits 0,
 * or exits 1 if the child dies or 10 s pass.
 */
static void detach(const char *mount)
{
	struct timespec ts = { 0, 20000000 };
	pid_t pid = fork();

	if (pid <= 0) {
		if (pid < 0)
			exit(4);
		return;
	}
	for (int i = 0; i < 500; i++) {
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

int main(int argc, char **argv)
{
	static resmgr_connect_funcs_t cf;
	uint64_t limit = 32u << 20, inodes = 16384;
	mode_t mode = 01777;
	const char *mount;
	dispatch_t *dpp;
	dispatch_context_t *ctp;
	int c, bg = 0;

	while ((c = getopt(argc, argv, "ds:i:m:p:")) != -1) {
		switch (c) {
		case 'd': bg = 1; break;
		case 's': if ((limit = size_arg(optarg)) == 0) return usage(); break;
		case 'i': if ((inodes = size_arg(optarg)) == 0) return usage(); break;
		case 'm': mode = (mode_t)strtoul(optarg, NULL, 8) & 07777; break;
		case 'p': rf_pipe_node = optarg; break;
		default: return usage();
		}
	}
	mount = optind < argc ? argv[optind] : "/tmp";
	rf_mount = mount;
	if (rf_init(&rf_fs, mount, mode, limit, inodes) != 0)
		return usage();
	if (bg)
		detach(mount);
	if ((dpp = dispatch_create()) == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 2;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &rf_io);
	rf_connect_init(&cf);
	rf_io_init(&rf_io);
	iofunc_attr_init(&rf_mount_attr, S_IFDIR | mode, NULL, NULL);
	if (resmgr_attach(dpp, NULL, mount, _FTYPE_ANY, _RESMGR_FLAG_DIR | _RESMGR_FLAG_OPAQUE,
	    &cf, &rf_io, &rf_mount_attr) < 0)
		return 3;
	for (;;)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
}
