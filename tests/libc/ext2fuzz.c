/*
 * ext2fuzz - fs-ext2 on damaged images (tools/ext2-image fuzz): /dev/hd0
 * has a block size fs-ext2 refuses, hd1 a superblock with random bytes in
 * its geometry, hd2 random bytes in group 0's inode table, hd3 in the
 * directories' blocks.  Each is mounted, walked (every file read),
 * written to and unmounted: the mount may be refused and operations may
 * fail (EIO), but nothing may hang (the harness's time-outs) or crash
 * (the kernel's panic, a server's death: checked).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ltest.h"
#include "ext2work.h"

static char buf[65536];
static int nerr, nok;

static dev_t boot_dev(void)
{
	struct stat st;

	return stat("/proc/boot", &st) == 0 ? st.st_dev : (dev_t)-1;
}

/* Read everything under path (bounded), counting what failed. */
static void walk(const char *path, int depth)
{
	char sub[512];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd, n = 0;

	if (depth > 6 || lstat(path, &st) != 0) {
		nerr++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode) && (fd = open(path, O_RDONLY)) >= 0) {
			ssize_t r;

			while ((r = read(fd, buf, sizeof(buf))) > 0 && n++ < 64)
				;
			r < 0 ? nerr++ : nok++;
			close(fd);
		}
		return;
	}
	if ((d = opendir(path)) == NULL) {
		nerr++;
		return;
	}
	for (;;) {
		errno = 0;
		if (n++ >= 500 || (e = readdir(d)) == NULL)
			break;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		walk(sub, depth + 1);
	}
	errno ? nerr++ : nok++;	/* readdir's error: a damaged block */
	closedir(d);
}

/*
 * Mount dev at /mnt: 1 mounted (walked, written, unmounted, the server
 * alive until then), 0 refused, -1 something went wrong.
 */
static int try_disk(const char *dev)
{
	char *mnt[] = { "mount", "-t", "ext2", (char *)dev, "/mnt", NULL };
	char *um[] = { "umount", "-f", "/mnt", NULL };
	struct stat st;
	pid_t server;
	int fd;

	nerr = nok = 0;
	if (run_prog(mnt) != 0)
		return stat("/mnt", &st) == 0 && st.st_dev == boot_dev() ? 0 : -1;
	if (stat("/mnt", &st) != 0)
		return -1;
	server = (pid_t)st.st_dev;
	walk("/mnt", 0);
	if ((fd = open("/mnt/new", O_WRONLY | O_CREAT, 0644)) >= 0) {
		write(fd, buf, 5000);
		close(fd);
	}
	mkdir("/mnt/newdir", 0755);
	rename("/mnt/dir", "/mnt/newdir/dir");
	unlink("/mnt/hello.txt");
	lt_printf("ext2fuzz: %s: %d read, %d failed\n", dev, nok, nerr);
	if (kill(server, 0) != 0)
		return -1;		/* the server died */
	if (run_prog(um) != 0) {	/* it could not write back: it says so and ends */
		lt_printf("ext2fuzz: %s: umount failed\n", dev);
		for (int i = 0; i < 100 && stat("/mnt", &st) == 0 && st.st_dev != boot_dev(); i++)
			usleep(20000);	/* ended without detaching: taskman drops its prefix */
	}
	return stat("/mnt", &st) == 0 && st.st_dev == boot_dev() ? 1 : -1;
}

static int fuzz_bad_block_size_refused(void)
{
	LT_EQ(try_disk("/dev/hd0"), 0);
	return 0;
}

static int fuzz_damaged_superblock(void)
{
	LT_CHECK(try_disk("/dev/hd1") >= 0);
	return 0;
}

static int fuzz_damaged_inodes(void)
{
	LT_EQ(try_disk("/dev/hd2"), 1);
	LT_CHECK(nerr > 0);		/* the damage was seen */
	return 0;
}

static int fuzz_damaged_directories(void)
{
	LT_EQ(try_disk("/dev/hd3"), 1);
	LT_CHECK(nerr > 0);
	return 0;
}

static const struct e2t tests[] = {
	{ "fuzz.bad_block_size_refused", fuzz_bad_block_size_refused },
	{ "fuzz.damaged_superblock", fuzz_damaged_superblock },
	{ "fuzz.damaged_inodes", fuzz_damaged_inodes },
	{ "fuzz.damaged_directories", fuzz_damaged_directories },
};

int main(void)
{
	return run_in_order(tests, (int)(sizeof(tests) / sizeof(tests[0]))) ? 1 : 0;
}
