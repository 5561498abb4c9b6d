/*
 * devnull - /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom
 * in one resource manager on libresmgr (docs/resmgr.md).
 *
 *	null	reads give EOF, writes are swallowed
 *	zero	reads give zeros, writes are swallowed
 *	full	reads give zeros, writes fail with ENOSPC
 *	random, urandom  reads give ChaCha20 keystream (chacha.c, fast key
 *			erasure); writes are mixed into its key
 *
 * The generator is seeded at start (seed.c) from a virtio entropy device
 * (virtio-rng, through libvirtio) when QEMU provides one, and always from
 * the time CSR's jitter across a few hundred kernel calls; without the
 * device the jitter alone is WEAK, and devnull says so on stderr and in
 * the system log.  It reseeds after 1 MiB of output or a minute, and the
 * time of every read is mixed in.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>
#include "chacha.h"
#include "seed.h"

enum { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_N };
static const char *const dev_names[DEV_N] = { "/dev/null", "/dev/zero",
    "/dev/full", "/dev/random", "/dev/urandom" };
static iofunc_attr_t dev_attr[DEV_N];
static struct csprng rng;
static char rbuf[4096];

static uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile ("rdtime %0" : "=r"(t));
	return t;
}

static int dev_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int which = (int)(ocb->attr - dev_attr), r;
	size_t n = msg->i.nbytes < sizeof(rbuf) ? msg->i.nbytes : sizeof(rbuf);

	if ((r = iofunc_read_verify(ctp, msg, ocb, NULL)) != EOK)
		return r;
	if (which == DEV_NULL)
		n = 0;
	else if (which >= DEV_RANDOM) {
		uint64_t t = rdtime();

		seed_maybe(&rng);
		csprng_mix(&rng, &t, sizeof(t));
		csprng_read(&rng, rbuf, n);
	} else
		memset(rbuf, 0, n);
	_RESMGR_STATUS(ctp, (long)n);
	SETIOV(&ctp->iov[0], rbuf, n);
	return _RESMGR_NPARTS(1);
}

static int dev_write(resmgr_context_t *ctp, io_write_t *msg, iofunc_ocb_t *ocb)
{
	int r = iofunc_write_verify(ctp, msg, ocb, NULL);

	if (r != EOK)
		return r;
	if (ocb->attr == &dev_attr[DEV_FULL])
		return msg->i.nbytes ? ENOSPC : EOK;
	if (ocb->attr >= &dev_attr[DEV_RANDOM])	/* what arrived with the message is mixed in */
		csprng_mix(&rng, &msg[1], ctp->size - sizeof(msg->i) < msg->i.nbytes ?
		    ctp->size - sizeof(msg->i) : (size_t)msg->i.nbytes);
	_RESMGR_STATUS(ctp, (long)msg->i.nbytes);
	return _RESMGR_NPARTS(0);
}

int main(void)
{
	static resmgr_connect_funcs_t cf;
	static resmgr_io_funcs_t io;
	dispatch_t *dpp = dispatch_create();
	dispatch_context_t *ctp;

	if (dpp == NULL || (ctp = dispatch_context_alloc(dpp)) == NULL)
		return 1;
	seed_init(&rng);
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &io);
	io.read = dev_read;
	io.write = dev_write;
	/* /dev/null last: a script's "waitfor /dev/null" then finds all five there. */
	for (int i = DEV_N - 1; i >= 0; i--) {
		iofunc_attr_init(&dev_attr[i], S_IFCHR | 0666, NULL, NULL);
		dev_attr[i].rdev = (uint64_t)(1 << 8 | i);
		if (resmgr_attach(dpp, NULL, dev_names[i], _FTYPE_ANY, 0, &cf, &io,
		    &dev_attr[i]) < 0)
			return 2;
	}
	dispatch_replyrecv(ctp, 1);	/* each reply goes with the next receive */
	for (;;)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
}
