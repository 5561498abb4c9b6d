/*
 * drivers/devb-virtio/main.c - the virtio-blk driver (docs/storage.md):
 * each virtio-blk device becomes /dev/hd<n>, a block device served
 * through libresmgr, driven by interrupts.
 *
 *	devb-virtio [-v] [addr,irq ...]
 *
 * Without arguments it probes QEMU virt's eight virtio-mmio slots
 * (<hw/virtio.h>, lib/virtio), highest address first, which is the order of the QEMU
 * command line; with them, it takes the devices at those physical
 * addresses and interrupts.  No virtio-blk device: it says so and exits
 * with status 0, so a startup script may start it whether a disk is
 * attached or not.  Otherwise, like QNX's devb-* drivers, it goes into
 * the background: the parent returns once /dev/hd0 is there (status 0),
 * or with the child's status if it failed, so a script needs neither '&'
 * nor waitfor.  It needs the I/O ability.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/neutrino.h>
#include "devb.h"

static struct disk disks[DISKS_MAX];

static int
find_disks(int argc, char **argv, struct vdev *vds)
{
	int n = 0;

	if (argc == 0)
		return vio_find(vds, DISKS_MAX, VIRTIO_ID_BLOCK);
	for (int i = 0; i < argc && n < DISKS_MAX; i++) {
		char *e;
		uint64_t pa = strtoull(argv[i], &e, 0);
		int irq = *e == ',' ? (int)strtol(e + 1, &e, 0) : 0;

		if (*e != '\0' || irq <= 0 || (pa & 0xfff)) {
			fprintf(stderr, "devb-virtio: bad device %s (addr,irq)\n", argv[i]);
			exit(2);
		}
		if (vio_probe(&vds[n], pa, irq, VIRTIO_ID_BLOCK) == 0)
			n++;
		else
			fprintf(stderr, "devb-virtio: no virtio-blk device at %s: %s\n", argv[i],
			    strerror(errno));
	}
	return n;
}

/* Serve one name: the whole disk or a partition. */
static int
attach(dispatch_t *dpp, resmgr_connect_funcs_t *cf, struct bdev *bd, int ro)
{
	iofunc_attr_init(&bd->bd_attr, S_IFBLK | (ro ? 0444 : 0660), NULL, NULL);
	bd->bd_attr.nbytes = (int64_t)bd->bd_size;
	if (resmgr_attach(dpp, NULL, bd->bd_name, _FTYPE_ANY, 0, cf, &devb_io, &bd->bd_attr) < 0) {
		fprintf(stderr, "devb-virtio: attach %s: %s\n", bd->bd_name, strerror(errno));
		return -1;
	}
	return 0;
}

static int
start_disk(dispatch_t *dpp, resmgr_connect_funcs_t *cf, struct disk *dk, int i, int coid,
    int verbose)
{
	snprintf(dk->dk_name, sizeof(dk->dk_name), "/dev/hd%d", i);
	if (blk_init(dk, i, coid) < 0) {
		fprintf(stderr, "devb-virtio: %s at %#llx: %s\n", dk->dk_name,
		    (unsigned long long)dk->dk_vd.vd_pa, strerror(errno));
		return -1;
	}
	dk->dk_whole = (struct bdev){ .bd_disk = dk, .bd_base = 0, .bd_size = dk->dk_size };
	snprintf(dk->dk_whole.bd_name, sizeof(dk->dk_whole.bd_name), "%s", dk->dk_name);
	mbr_scan(dk);
	/* The partitions first: /dev/hd0 appearing means the disk is ready (parent_wait). */
	for (int p = 0; p < dk->dk_nparts; p++) {
		if (attach(dpp, cf, &dk->dk_parts[p], dk->dk_ro) < 0)
			return -1;
		if (verbose)
			printf("devb-virtio: %s: %llu bytes from sector %llu\n",
			    dk->dk_parts[p].bd_name, (unsigned long long)dk->dk_parts[p].bd_size,
			    (unsigned long long)(dk->dk_parts[p].bd_base / SECTOR));
	}
	if (attach(dpp, cf, &dk->dk_whole, dk->dk_ro) < 0)
		return -1;
	if (verbose)
		printf("devb-virtio: %s: %llu bytes, block %u%s%s, virtio-mmio v%u at %#llx irq %d, "
		    "queue %u\n", dk->dk_name, (unsigned long long)dk->dk_size, dk->dk_blksize,
		    dk->dk_ro ? ", read-only" : "", dk->dk_flush ? ", write cache" : "",
		    dk->dk_vd.vd_version, (unsigned long long)dk->dk_vd.vd_pa, dk->dk_vd.vd_irq,
		    dk->dk_vq.vq_num);
	return 0;
}

/* The parent's side of going into the background: wait until the child serves. */
static int
parent_wait(pid_t child)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;
	int status;

	for (int i = 0; i < 1000; i++) {		/* 10 s */
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		if (stat("/dev/hd0", &st) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "devb-virtio: /dev/hd0 did not appear\n");
	return 1;
}

int
main(int argc, char **argv)
{
	static resmgr_connect_funcs_t cf;
	struct vdev vds[DISKS_MAX];
	dispatch_t *dpp;
	dispatch_context_t *ctp;
	int n, c, coid, verbose = 0, up = 0;

	while ((c = getopt(argc, argv, "v")) != -1) {
		if (c != 'v')
			return 2;
		verbose = 1;
	}
	if (ThreadCtl(_NTO_TCTL_IO, 0) < 0) {
		fprintf(stderr, "devb-virtio: no I/O ability: %s\n", strerror(errno));
		return 1;
	}
	if ((n = find_disks(argc - optind, argv + optind, vds)) == 0) {
		printf("devb-virtio: no virtio-blk device\n");
		return 0;
	}
	fflush(stdout);
	if ((c = fork()) < 0) {
		fprintf(stderr, "devb-virtio: fork: %s\n", strerror(errno));
		return 1;
	}
	if (c > 0)
		return parent_wait(c);
	if (ThreadCtl(_NTO_TCTL_IO, 0) < 0)	/* the child's thread is a new one */
		return 1;
	if ((dpp = dispatch_create()) == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL ||
	    (coid = ConnectAttach(0, 0, dispatch_chid(dpp), _NTO_SIDE_CHANNEL, 0)) < 0)
		return 1;
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &devb_io);
	devb_io_init();
	for (int i = 0; i < n; i++) {
		disks[i].dk_vd = vds[i];
		up += start_disk(dpp, &cf, &disks[i], i, coid, verbose) == 0;
	}
	if (up == 0)
		return 1;
	fflush(stdout);
	for (;;) {
		if (dispatch_block(ctp) == NULL)
			continue;
		if (ctp->rcvid == 0 && ctp->msg->pulse.code == CODE_INTR) {
			int i = ctp->msg->pulse.value.sival_int;

			if (i >= 0 && i < n)
				blk_intr(&disks[i]);
		} else {
			dispatch_handler(ctp);
		}
	}
}
