/*
 * libcblk - the virtio-blk driver devb-virtio (docs/storage.md) through
 * libc.  Its boots attach two disks made by tools/vblk-image: /dev/hd0
 * (4 MiB, read-write, pattern P with seed 0) and /dev/hd1 (1 MiB,
 * read-only, seed 7) and /dev/hd2 (2 MiB, seed 3, an MBR with
 * tools/vblk-image's MBR_PARTS).  The test reads the patterns, writes
 * pattern W where tools/vblk-image's WRITTEN list says (the host checks
 * the image file after the boot), and checks the errors.  The tests may
 * run in any order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/neutrino.h>
#include <sys/iomsg.h>
#include <sys/dcmd_blk.h>
#include "ltest.h"

#define SECTOR	512
#define KIB	1024
#define MIB	(1024 * 1024)
#define HD0_SIZE (4 * MIB)
#define HD1_SIZE (1 * MIB)

/* Byte off of the disk in pattern P (seed) and in pattern W (tools/vblk-image). */
static uint8_t pat_p(uint64_t off, unsigned seed)
{
	uint64_t s = off / SECTOR;
	unsigned j = (unsigned)(off % SECTOR);

	if (j < 4)
		return (uint8_t)"QSOE"[j];
	if (j < 8)
		return (uint8_t)(s >> (8 * (j - 4)));
	return (uint8_t)(s + j + seed);
}

static uint8_t pat_w(uint64_t off)
{
	return (uint8_t)((off / SECTOR) * 3 + (off % SECTOR) * 5 + 0x5a);
}

/*
 * The regions write tests leave in pattern W (tools/vblk-image's WRITTEN):
 * the tests may run in any order, so a read of hd0 accepts P or, there, W.
 */
static int written(uint64_t off)
{
	return (off >= 1 * MIB && off < 1 * MIB + 4096) ||
	    (off >= 2 * MIB && off < 2 * MIB + 100 * KIB) ||
	    (off >= 3 * MIB && off < 3 * MIB + 8 * 16 * KIB) || off >= HD0_SIZE - SECTOR;
}

/* The first byte of buf (len, from disk offset off) that is not pattern P; -1 if none. */
static long not_p(const uint8_t *buf, uint64_t off, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pat_p(off + i, seed) &&
		    (seed != 0 || !written(off + i) || buf[i] != pat_w(off + i)))
			return (long)i;
	return -1;
}

static long not_w(const uint8_t *buf, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pat_w(off + i))
			return (long)i;
	return -1;
}

static void fill_w(uint8_t *buf, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pat_w(off + i);
}

static uint8_t big[256 * KIB];

LTEST(blk, stat_and_devctl)
{
	struct stat st;
	uint64_t size = 0;
	uint32_t v = 0;
	int fd = open("/dev/hd0", O_RDWR);

	LT_CHECK(fd >= 0);
	LT_EQ(fstat(fd, &st), 0);
	LT_CHECK(S_ISBLK(st.st_mode));
	LT_EQ(st.st_size, HD0_SIZE);
	LT_EQ(ioctl(fd, DCMD_BLK_GETSIZE, &size), 0);
	LT_EQ(size, HD0_SIZE);
	LT_EQ(ioctl(fd, DCMD_BLK_GETBLKSIZE, &v), 0);
	LT_CHECK(v >= SECTOR && (v % SECTOR) == 0);
	LT_EQ(ioctl(fd, DCMD_BLK_GETFLAGS, &v), 0);
	LT_EQ(v & BLK_FLAG_RDONLY, 0);
	errno = 0;
	LT_EQ(ioctl(fd, 0x12345678, &v), -1);
	LT_EQ(errno, ENOTTY);
	LT_EQ(close(fd), 0);
	LT_EQ(stat("/dev/hd1", &st), 0);
	LT_EQ(st.st_size, HD1_SIZE);
	errno = 0;
	LT_EQ(open("/dev/hd9", O_RDONLY), -1);
	LT_EQ(errno, ENOENT);
	return 0;
}

/* The whole disk, in 64 KiB reads (two chunks each), is pattern P. */
LTEST(blk, read_pattern)
{
	int fd = open("/dev/hd0", O_RDONLY);
	uint64_t off = 0;
	ssize_t n;
	long bad;

	LT_CHECK(fd >= 0);
	while ((n = read(fd, big, 64 * KIB)) > 0) {
		bad = not_p(big, off, (size_t)n, 0);
		if (bad >= 0)
			lt_printf("libcblk: byte %llu is %#x\n", (unsigned long long)(off + bad), big[bad]);
		LT_EQ(bad, -1);
		off += (uint64_t)n;
	}
	LT_EQ(n, 0);				/* end of the disk */
	LT_EQ(off, HD0_SIZE);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Reads at any offset and length; lseek; the end. */
LTEST(blk, unaligned_reads_and_lseek)
{
	int fd = open("/dev/hd0", O_RDONLY);
	uint8_t b[3000];

	LT_CHECK(fd >= 0);
	LT_EQ(pread(fd, b, 3000, 1000), 3000);
	LT_EQ(not_p(b, 1000, 3000, 0), -1);
	LT_EQ(pread(fd, b, 300, 32 * KIB - 100), 300);	/* across a chunk's end */
	LT_EQ(not_p(b, 32 * KIB - 100, 300, 0), -1);
	LT_EQ(pread(fd, b, 1, 12345), 1);
	LT_EQ(b[0], pat_p(12345, 0));
	LT_EQ(pread(fd, big, 200 * KIB + 7, 77), 200 * KIB + 7);	/* many chunks, odd ends */
	LT_EQ(not_p(big, 77, 200 * KIB + 7, 0), -1);
	LT_EQ(lseek(fd, 0, SEEK_END), HD0_SIZE);
	LT_EQ(read(fd, b, 10), 0);
	LT_EQ(lseek(fd, HD0_SIZE - 10, SEEK_SET), HD0_SIZE - 10);
	LT_EQ(read(fd, b, 100), 10);			/* stops at the end */
	LT_EQ(not_p(b, HD0_SIZE - 10, 10, 0), -1);
	LT_EQ(lseek(fd, 100, SEEK_CUR), HD0_SIZE + 100);
	LT_EQ(read(fd, b, 10), 0);			/* past the end: nothing */
	LT_EQ(pread(fd, b, 10, 5 * MIB), 0);
	errno = 0;
	LT_EQ(lseek(fd, -1, SEEK_SET), -1);
	LT_EQ(errno, EINVAL);
	LT_EQ(lseek(fd, 4096, SEEK_SET), 4096);
	LT_EQ(read(fd, b, 512), 512);			/* read moves the offset */
	LT_EQ(lseek(fd, 0, SEEK_CUR), 4096 + 512);
	LT_EQ(not_p(b, 4096, 512, 0), -1);
	errno = 0;
	LT_EQ(write(fd, b, 512), -1);
	LT_EQ(errno, EBADF);				/* opened read-only */
	LT_EQ(close(fd), 0);
	return 0;
}

/* Writes of whole sectors, read back; what tools/vblk-image checks afterwards. */
LTEST(blk, write_read_back)
{
	int fd = open("/dev/hd0", O_RDWR);
	static uint8_t back[100 * KIB];

	LT_CHECK(fd >= 0);
	fill_w(big, 1 * MIB, 4096);
	LT_EQ(lseek(fd, 1 * MIB, SEEK_SET), 1 * MIB);
	LT_EQ(write(fd, big, 4096), 4096);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 1 * MIB + 4096);
	fill_w(big, 2 * MIB, 100 * KIB);		/* several chunks */
	LT_EQ(pwrite(fd, big, 100 * KIB, 2 * MIB), 100 * KIB);
	LT_EQ(lseek(fd, 0, SEEK_CUR), 1 * MIB + 4096);	/* pwrite leaves it */
	LT_EQ(fsync(fd), 0);
	LT_EQ(fdatasync(fd), 0);
	LT_EQ(pread(fd, back, 4096, 1 * MIB), 4096);
	LT_EQ(not_w(back, 1 * MIB, 4096), -1);
	LT_EQ(pread(fd, back, 100 * KIB, 2 * MIB), 100 * KIB);
	LT_EQ(not_w(back, 2 * MIB, 100 * KIB), -1);
	/* The neighbours are untouched. */
	LT_EQ(pread(fd, back, 512, 1 * MIB - 512), 512);
	LT_EQ(not_p(back, 1 * MIB - 512, 512, 0), -1);
	LT_EQ(pread(fd, back, 512, 2 * MIB + 100 * KIB), 512);
	LT_EQ(not_p(back, 2 * MIB + 100 * KIB, 512, 0), -1);
	/* Across the end: only what fits (the last sector). */
	fill_w(big, HD0_SIZE - 512, 1024);
	LT_EQ(pwrite(fd, big, 1024, HD0_SIZE - 512), 512);
	LT_EQ(pread(fd, back, 512, HD0_SIZE - 512), 512);
	LT_EQ(not_w(back, HD0_SIZE - 512, 512), -1);
	LT_EQ(close(fd), 0);
	return 0;
}

LTEST(blk, write_errors)
{
	int fd = open("/dev/hd0", O_RDWR);
	uint8_t b[1024] = { 0 };

	LT_CHECK(fd >= 0);
	errno = 0;
	LT_EQ(pwrite(fd, b, 512, 100), -1);
	LT_EQ(errno, EINVAL);				/* not on a sector */
	errno = 0;
	LT_EQ(pwrite(fd, b, 100, 512), -1);
	LT_EQ(errno, EINVAL);				/* not whole sectors */
	errno = 0;
	LT_EQ(pwrite(fd, b, 512, HD0_SIZE), -1);
	LT_EQ(errno, ENOSPC);				/* at the end */
	errno = 0;
	LT_EQ(pwrite(fd, b, 512, 64 * MIB), -1);
	LT_EQ(errno, ENOSPC);
	LT_EQ(pwrite(fd, b, 0, 0), 0);
	errno = 0;
	LT_EQ(pwrite(fd, (void *)16, 512, 8 * KIB), -1);	/* a bad buffer: libc or the driver */
	LT_EQ(errno, EFAULT);
	LT_EQ(pread(fd, b, 512, 8 * KIB), 512);		/* and that sector is untouched */
	LT_EQ(not_p(b, 8 * KIB, 512, 0), -1);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Eight threads with requests in flight at once, each on its own 16 KiB. */
static void *writer(void *arg)
{
	uintptr_t t = (uintptr_t)arg;
	uint64_t off = 3 * MIB + t * 16 * KIB;
	static uint8_t bufs[8][16 * KIB], backs[8][16 * KIB];
	int fd = open("/dev/hd0", O_RDWR);
	uintptr_t bad = 0;

	if (fd < 0)
		return (void *)1;
	for (int round = 0; round < 20 && !bad; round++) {
		fill_w(bufs[t], off, sizeof(bufs[t]));
		if (pwrite(fd, bufs[t], sizeof(bufs[t]), (off_t)off) != sizeof(bufs[t]) ||
		    pread(fd, backs[t], sizeof(backs[t]), (off_t)off) != sizeof(backs[t]) ||
		    not_w(backs[t], off, sizeof(backs[t])) != -1)
			bad = 2;
	}
	close(fd);
	return (void *)bad;
}

LTEST(blk, concurrent)
{
	pthread_t th[8];

	for (uintptr_t t = 0; t < 8; t++)
		LT_EQ(pthread_create(&th[t], NULL, writer, (void *)t), 0);
	for (int t = 0; t < 8; t++) {
		void *r;

		LT_EQ(pthread_join(th[t], &r), 0);
		LT_EQ((uintptr_t)r, 0);
	}
	return 0;
}

/* /dev/hd1 is attached read-only (QEMU's readonly=on): EROFS. */
LTEST(blk, read_only)
{
	int fd = open("/dev/hd1", O_RDWR);
	uint32_t flags = 0;
	uint8_t b[4096];

	LT_CHECK(fd >= 0);
	LT_EQ(ioctl(fd, DCMD_BLK_GETFLAGS, &flags), 0);
	LT_CHECK(flags & BLK_FLAG_RDONLY);
	LT_EQ(pread(fd, b, sizeof(b), HD1_SIZE - 4096), 4096);
	LT_EQ(not_p(b, HD1_SIZE - 4096, 4096, 7), -1);
	errno = 0;
	LT_EQ(pwrite(fd, b, 512, 0), -1);
	LT_EQ(errno, EROFS);
	LT_EQ(fsync(fd), 0);
	LT_EQ(pread(fd, b, 512, 0), 512);
	LT_EQ(not_p(b, 0, 512, 7), -1);
	LT_EQ(close(fd), 0);
	return 0;
}

/* Malformed messages get errors; the driver goes on. */
LTEST(blk, malformed)
{
	int fd = open("/dev/hd0", O_RDWR);
	struct _io_read rd = { .type = _IO_READ, .xtype = _IO_XTYPE_OFFSET, .nbytes = 16 };
	struct { struct _io_write w; struct _xtype_offset o; } wr = {
	    { .type = _IO_WRITE, .xtype = _IO_XTYPE_OFFSET, .nbytes = 512 }, { 0 } };
	uint8_t b[512], junk[64];
	unsigned seed = 12345;

	LT_CHECK(fd >= 0);
	LT_EQ(MsgSend(fd, &rd, sizeof(rd), b, sizeof(b)), -1);
	LT_EQ(errno, EINVAL);				/* the offset is missing */
	rd.xtype = 0x55;
	LT_EQ(MsgSend(fd, &rd, sizeof(rd), b, sizeof(b)), -1);
	LT_EQ(errno, EINVAL);				/* unknown xtype */
	LT_EQ(MsgSend(fd, &wr, sizeof(wr), NULL, 0), -1);
	LT_EQ(errno, EINVAL);				/* claims 512 bytes, sends none */
	for (int i = 0; i < 300; i++) {
		for (size_t j = 0; j < sizeof(junk); j++)
			junk[j] = (uint8_t)((seed = seed * 1103515245 + 12345) >> 16);
		((uint16_t *)junk)[0] = (uint16_t)(_IO_BASE + (junk[2] % 32));
		((uint16_t *)junk)[1] = 0;		/* no combine */
		if (((uint16_t *)junk)[0] == _IO_CLOSE)
			continue;
		(void)MsgSend(fd, junk, 1 + junk[3] % sizeof(junk), b, sizeof(b));
	}
	LT_EQ(pread(fd, b, 512, 0), 512);		/* still serving */
	LT_EQ(not_p(b, 0, 512, 0), -1);
	LT_EQ(close(fd), 0);
	return 0;
}

/* hd2's MBR: /dev/hd2t131 (sectors 64..1063), t12 (1100..3099), t131.1 (3200..4095). */
static int part_is(const char *name, uint64_t first, uint64_t count)
{
	struct stat st;
	uint8_t b[SECTOR];
	uint64_t size = 0;
	int fd = open(name, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISBLK(st.st_mode) ||
	    (uint64_t)st.st_size != count * SECTOR ||
	    ioctl(fd, DCMD_BLK_GETSIZE, &size) != 0 || size != count * SECTOR ||
	    pread(fd, b, SECTOR, 0) != SECTOR || not_p(b, first * SECTOR, SECTOR, 3) != -1 ||
	    pread(fd, b, SECTOR, (off_t)(count - 1) * SECTOR) != SECTOR ||
	    not_p(b, (first + count - 1) * SECTOR, SECTOR, 3) != -1 ||
	    pread(fd, b, SECTOR, (off_t)count * SECTOR) != 0) {
		lt_printf("libcblk: %s is not sectors %llu+%llu\n", name,
		    (unsigned long long)first, (unsigned long long)count);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	return 1;
}

LTEST(blk, mbr_partitions)
{
	uint8_t b[SECTOR], back[SECTOR];
	int fd;

	LT_CHECK(part_is("/dev/hd2t131", 64, 1000));
	LT_CHECK(part_is("/dev/hd2t12", 1100, 2000));
	LT_CHECK(part_is("/dev/hd2t131.1", 3200, 896));
	errno = 0;
	LT_EQ(open("/dev/hd2t5", O_RDONLY), -1);	/* the extended entry is not served */
	LT_EQ(errno, ENOENT);
	/* A write to a partition lands at its place on the disk, and stops at its end. */
	fd = open("/dev/hd2t131.1", O_RDWR);
	LT_CHECK(fd >= 0);
	fill_w(b, 0, SECTOR);
	LT_EQ(pwrite(fd, b, SECTOR, 2 * SECTOR), SECTOR);
	errno = 0;
	LT_EQ(pwrite(fd, b, SECTOR, 896 * SECTOR), -1);
	LT_EQ(errno, ENOSPC);
	LT_EQ(lseek(fd, 0, SEEK_END), 896 * SECTOR);
	LT_EQ(close(fd), 0);
	fd = open("/dev/hd2", O_RDONLY);
	LT_CHECK(fd >= 0);
	LT_EQ(pread(fd, back, SECTOR, (3200 + 2) * SECTOR), SECTOR);
	LT_EQ(memcmp(back, b, SECTOR), 0);
	LT_EQ(pread(fd, back, SECTOR, (3200 + 1) * SECTOR), SECTOR);
	LT_EQ(not_p(back, (3200 + 1) * SECTOR, SECTOR, 3), -1);
	LT_EQ(close(fd), 0);
	return 0;
}

int main(void)
{
	return lt_run_all() ? 1 : 0;
}
