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
 * redirected (docs/resmgr.md, "Named FIFOs").  The logic is ramfs.c,
 * rfname.c and rfdata.c; the messages are libresmgr's file-system
 * server layer's (sys/fsserv.h), on the operations of rfops.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "rfsrv.h"

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

int main(int argc, char **argv)
{
	uint64_t limit = 32u << 20, inodes = 16384;
	mode_t mode = 01777;
	int c, r, bg = 0;

	while ((c = getopt(argc, argv, "ds:i:m:p:")) != -1) {
		switch (c) {
		case 'd': bg = 1; break;
		case 's': if ((limit = size_arg(optarg)) == 0) return usage(); break;
		case 'i': if ((inodes = size_arg(optarg)) == 0) return usage(); break;
		case 'm': mode = (mode_t)strtoul(optarg, NULL, 8) & 07777; break;
		case 'p': rf_server.pipe_node = optarg; break;
		default: return usage();
		}
	}
	rf_server.path = optind < argc ? argv[optind] : "/tmp";
	if (rf_init(&rf_fs, rf_server.path, mode, limit, inodes) != 0)
		return usage();
	rf_server.mount = rf_fs.f_mount;
	rf_server.rootmode = S_IFDIR | mode;
	if (bg)
		fs_detach(rf_server.path, 10);
	if ((r = fs_start(&rf_server)) != 0)
		return r;
	fs_run(&rf_server);
	return 0;
}
