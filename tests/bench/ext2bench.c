/*
 * ext2bench - fs-ext2's figures for `make bench` (docs/benchmarks.md):
 * sequential write and read of 8 MiB in 64 KiB calls (the read twice:
 * cold, after a remount, and warm, from fs-ext2's cache) and creating
 * 1,000 empty files, on the ext2 image tools/bench attaches as /dev/hd0.
 * Run by /proc/boot/ext2bench.script under -icount shift=0 (instret
 * counts every instruction: ours, fs-ext2's, devb-virtio's, the
 * kernel's).  Prints
 *	BENCH <name> <instructions> <ns>
 * for one 64 KiB call (medians), and for the whole 8 MiB and the 1,000
 * files (one sample each).  The instructions are less the CPU's idle
 * time, which the disk's waits fill at the host's pace; the ns keep it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "bench.h"

#define CHUNK	(64 * 1024)
#define NCHUNK	128		/* 8 MiB */
#define NFILES	1000

extern char **environ;
static char buf[CHUNK];
static uint64_t ins[NFILES], tns[NFILES];

/* The median instructions and mean ns of n samples. */
static void report(const char *name, int n)
{
	bench_report(name, ins, tns, n);
}

static int run(char *const argv[])
{
	char path[64];
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "/proc/boot/%s", argv[0]);
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int mnt(void)
{
	char *a[] = { "mount", "-t", "ext2", "/dev/hd0", "/mnt", NULL };

	return run(a);
}

static int umnt(void)
{
	char *a[] = { "umount", "/mnt", NULL };

	return run(a);
}

/* 8 MiB in 64 KiB calls, sequentially: write (then fsync) or read. */
static int seq(int wr, const char *one, const char *all)
{
	uint64_t i0 = idle_ns(), a0 = instret(), t0 = rdtime();
	int fd = open("/mnt/seq", wr ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY, 0644);

	if (fd < 0)
		return -1;
	for (int i = 0; i < NCHUNK; i++) {
		uint64_t idle = idle_ns(), t = rdtime(), a = instret();
		ssize_t n = wr ? write(fd, buf, CHUNK) : read(fd, buf, CHUNK);

		ins[i] = instret() - a, tns[i] = rdtime() - t;
		ins[i] -= idle_ns() - idle;
		if (n != CHUNK)
			return -1;
	}
	if (wr && fsync(fd) != 0)
		return -1;
	close(fd);
	report(one, NCHUNK);
	say("BENCH %s %lu %lu\n", all, (unsigned long)(instret() - a0 - (idle_ns() - i0)),
	    (unsigned long)((rdtime() - t0) * 100));
	return 0;
}

static int creates(void)
{
	char p[64];
	uint64_t a0, t0, i0;
	int fd;

	if (mkdir("/mnt/many", 0755) != 0)
		return -1;
	i0 = idle_ns(), a0 = instret(), t0 = rdtime();
	for (int i = 0; i < NFILES; i++) {
		uint64_t idle = idle_ns(), t = rdtime(), a = instret();

		snprintf(p, sizeof(p), "/mnt/many/file%04d", i);
		if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
			return -1;
		close(fd);
		ins[i] = instret() - a, tns[i] = rdtime() - t;
		ins[i] -= idle_ns() - idle;
	}
	if ((fd = open("/mnt/many", O_RDONLY)) < 0 || fsync(fd) != 0)
		return -1;
	close(fd);
	say("BENCH ext2_create_1000_files_fsync %lu %lu\n",
	    (unsigned long)(instret() - a0 - (idle_ns() - i0)), (unsigned long)((rdtime() - t0) * 100));
	report("ext2_create_one_file", NFILES);
	return 0;
}

int main(void)
{
	memset(buf, 'q', sizeof(buf));
	if (mnt() != 0 || seq(1, "ext2_write_64KiB_call", "ext2_write_8MiB_fsync") != 0 ||
	    umnt() != 0 || mnt() != 0 ||
	    seq(0, "ext2_read_64KiB_call_cold", "ext2_read_8MiB_cold") != 0 ||
	    seq(0, "ext2_read_64KiB_call_warm", "ext2_read_8MiB_warm") != 0 ||
	    creates() != 0 || umnt() != 0) {
		say("ext2bench: failed (errno %d)\n", errno);
		return 1;
	}
	return 0;
}
