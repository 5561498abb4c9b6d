/*
 * ext2crash - the power cut: mount /dev/hd0 (tools/ext2-image make),
 * write CRASH_SYNCED files and fsync, then leave a child creating,
 * appending, renaming, deleting and fsyncing other files without end,
 * and end QEMU at once through its test finisher (below): fs-ext2 dies
 * with its dirty cache, perhaps in the middle of a flush, and the disk
 * keeps what reached it.  The host then repairs the image with
 * e2fsck -fy and checks that every synced file is intact
 * (tools/ext2-image crashcheck).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "ltest.h"
#include "ext2work.h"

static unsigned char buf[8192];

static int crash_mount(void)
{
	char *ok[] = { "mount", "-t", "ext2", "/dev/hd0", "/mnt", NULL };

	LT_EQ(run_prog(ok), 0);
	return 0;
}

static int crash_synced(void)
{
	char p[64];
	int fd;

	LT_EQ(mkdir("/mnt/c", 0755), 0);
	for (unsigned i = 0; i < CRASH_SYNCED; i++) {
		size_t n = (i * 53) % 5000 + 1;

		snprintf(p, sizeof(p), "/mnt/c/s%u", i);
		gen(i + 500000, buf, n);
		LT_CHECK((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) >= 0);
		LT_EQ(write(fd, buf, n), (ssize_t)n);
		close(fd);
	}
	LT_CHECK((fd = open("/mnt/c", O_RDONLY)) >= 0);
	LT_EQ(fsync(fd), 0);
	close(fd);
	return 0;
}

/* The child: files p<j> and q<j> next to the synced ones, forever. */
static void churn(void)
{
	char p[64], q[64];

	for (unsigned j = 0; ; j++) {
		int fd;

		snprintf(p, sizeof(p), "/mnt/c/p%u", j);
		if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) >= 0) {
			gen(j, buf, sizeof(buf));
			for (int k = 0; k < 3; k++)
				write(fd, buf, sizeof(buf));
			if (j % 4 == 0)
				fsync(fd);	/* a flush the cut may land in */
			close(fd);
		}
		if (j >= 2) {
			snprintf(p, sizeof(p), "/mnt/c/p%u", j - 2);
			snprintf(q, sizeof(q), "/mnt/c/q%u", j - 2);
			rename(p, q);
		}
		if (j >= 5) {
			snprintf(q, sizeof(q), "/mnt/c/q%u", j - 5);
			unlink(q);
		}
	}
}

static int crash_churn_started(void)
{
	struct timespec ts = { 0, 300000000 };
	struct dirent *e;
	DIR *d;
	int n = 0;
	pid_t pid = fork();

	if (pid == 0)
		churn();
	LT_CHECK(pid > 0);
	nanosleep(&ts, NULL);
	LT_CHECK((d = opendir("/mnt/c")) != NULL);	/* the child's files are there */
	while ((e = readdir(d)) != NULL)
		n++;
	closedir(d);
	LT_CHECK(n > CRASH_SYNCED + 2 + 2);
	lt_printf("ext2crash: the child is writing; the power goes now\n");
	return 0;
}

static const struct e2t tests[] = {
	{ "crash.mount", crash_mount },
	{ "crash.synced", crash_synced },
	{ "crash.churn_started", crash_churn_started },
};

/*
 * The cut: QEMU virt's test finisher ("sifive,test" at 0x100000, what the
 * kernel powers off with) ends QEMU at once, status 0, whatever fs-ext2,
 * devb-virtio and the disk are doing: pulling the plug.  A QEMU-only test,
 * so the address is QEMU's; without the mapping the script's shutdown
 * (SIGKILL to everything, then power-off) is the cut.
 */
#define FINISHER	0x100000
#define FINISHER_PASS	0x5555

int main(void)
{
	volatile uint32_t *f;

	if (run_in_order(tests, (int)(sizeof(tests) / sizeof(tests[0]))) != 0)
		return 1;
	f = mmap_device_memory(NULL, 4096, PROT_READ | PROT_WRITE | PROT_NOCACHE, 0, FINISHER);
	if (f == MAP_FAILED) {
		lt_printf("ext2crash: no finisher (errno %d): shutdown cuts instead\n", errno);
		return 0;
	}
	*f = FINISHER_PASS;
	for (;;)
		;
}
