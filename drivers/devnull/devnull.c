/*
 * devnull - /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom
 * in one resource manager on libresmgr (docs/resmgr.md).
 *
 *	null	reads give EOF, writes are swallowed
 *	zero	reads give zeros, writes are swallowed
 *	full	reads give zeros, writes fail with ENOSPC
 *	random, urandom  reads give xoshiro256** output; writes are swallowed
 *
 * The generator is seeded from the time CSR's jitter across a few
 * hundred kernel calls.  That is WEAK (an attacker who knows the boot
 * timing can guess much of it): virtio-rng is the next step.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/iofunc.h>
#include <sys/dispatch.h>

enum { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_N };
static const char *const dev_names[DEV_N] = { "/dev/null", "/dev/zero",
    "/dev/full", "/dev/random", "/dev/urandom" };
static iofunc_attr_t dev_attr[DEV_N];
static uint64_t rng[4];
static char rbuf[4096];

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro(void)
{
	uint64_t r = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

	rng[2] ^= rng[0], rng[3] ^= rng[1], rng[1] ^= rng[2], rng[0] ^= rng[3];
	rng[2] ^= t, rng[3] = rotl(rng[3], 45);
	return r;
}

/* Weak seed: the low bits of the time CSR around kernel calls (see above). */
static void seed(void)
{
	for (int i = 0; i < 256; i++) {
		uint64_t t;

		__asm__ volatile ("rdtime %0" : "=r"(t));
		rng[i & 3] = rotl(rng[i & 3] ^ t, 13) * 0x9e3779b97f4a7c15ull + (uint64_t)i;
		SchedYield();
	}
	for (int i = 0; i < 16; i++)
		xoshiro();
}

static int dev_read(resmgr_context_t *ctp, io_read_t *msg, iofunc_ocb_t *ocb)
{
	int which = (int)(ocb->attr - dev_attr), r;
	size_t n = msg->i.nbytes < sizeof(rbuf) ? msg->i.nbytes : sizeof(rbuf);

	if ((r = iofunc_read_verify(ctp, msg, ocb, NULL)) != EOK)
		return r;
	if (which == DEV_NULL)
		n = 0;
	else if (which >= DEV_RANDOM)
		for (size_t i = 0; i < n; i += 8) {
			uint64_t v = xoshiro();
			memcpy(rbuf + i, &v, n - i < 8 ? n - i : 8);
		}
	else
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
	seed();
	iofunc_func_init(_RESMGR_CONNECT_NFUNCS, &cf, _RESMGR_IO_NFUNCS, &io);
	io.read = dev_read;
	io.write = dev_write;
	for (int i = 0; i < DEV_N; i++) {
		iofunc_attr_init(&dev_attr[i], S_IFCHR | 0666, NULL, NULL);
		dev_attr[i].rdev = (uint64_t)(1 << 8 | i);
		if (resmgr_attach(dpp, NULL, dev_names[i], _FTYPE_ANY, 0, &cf, &io,
		    &dev_attr[i]) < 0)
			return 2;
	}
	for (;;)
		if (dispatch_block(ctp) != NULL)
			dispatch_handler(ctp);
}
