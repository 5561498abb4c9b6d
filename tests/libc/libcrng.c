/*
 * libcrng - devnull's seeding (docs/resmgr.md): from virtio-rng when the
 * boot has the device, else from timer jitter, said in the system log.
 *
 *	libcrng virtio-rng | jitter | mute
 *
 * The argument is what the boot gives (tests/boots.conf): the device
 * (rng-virtio-*), none (rng-none-*), or one that never answers (rng-mute:
 * QEMU's max-bytes=0), where devnull must give up after its bound and
 * fall back to jitter.  The test also probes the virtio-mmio slots itself (it runs
 * from a script, so it has the I/O ability) to see that the boot has the
 * device it claims.  Then it reads enough to make devnull reseed and
 * checks the device was given back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/slog.h>
#include <hw/virtio.h>
#include "ltest.h"

static int want_virtio;		/* argv[1]: virtio-rng */
static int want_mute;		/* argv[1]: mute (the device is there but never answers) */
static uint64_t rbuf[(_SLOG_READ_MIN + 16384) / 8];

/* The newest entry whose text contains s (its text in *text), or NULL. */
static const struct _slog_entry *
find_entry(const char *s, char *text)
{
	static struct _slog_entry copy;
	const struct _slog_entry *found = NULL;
	static char t[_SLOG_TEXT_MAX + 1];
	uint64_t seq = 0;

	for (;;) {
		struct _sys_slog_read q = { .type = _SYS_SLOG, .subtype = _SLOG_READ, .sr_seq = seq };
		const struct _sys_slog_read_reply *r = (const void *)rbuf;
		size_t off = sizeof(*r);

		if (MsgSend_r(SYSMGR_COID, &q, sizeof(q), rbuf, sizeof(rbuf)) < 0 || r->rr_count == 0)
			return found;
		for (uint32_t i = 0; i < r->rr_count; i++) {
			const struct _slog_entry *e = (const void *)((const char *)rbuf + off);

			memcpy(t, e + 1, e->se_len);
			t[e->se_len] = '\0';
			seq = e->se_seq + 1;
			off += e->se_size;
			if (strstr(t, s) != NULL) {
				copy = *e;
				found = &copy;
				strcpy(text, t);
			}
		}
	}
}

LTEST(rng, seed_source_logged)
{
	static char text[_SLOG_TEXT_MAX + 1];
	const struct _slog_entry *e = find_entry("devnull: seeded from ", text);

	LT_CHECK(e != NULL);
	LT_CHECK(strstr(e->se_name, "devnull") != NULL);
	lt_printf("libcrng: the log says: %s\n", text);
	if (want_virtio) {
		LT_CHECK(strncmp(text, "devnull: seeded from virtio-rng (64 bytes, virtio-mmio v", 56) == 0);
		LT_CHECK(strstr(text, "and timer jitter") != NULL);
		LT_EQ(e->se_severity, _SLOG_INFO);
	} else if (want_mute) {
		LT_CHECK(strcmp(text, "devnull: seeded from timer jitter only, WEAK: "
		    "virtio-rng at 0x10008000: Operation timed out") == 0);
		LT_EQ(e->se_severity, _SLOG_WARNING);
	} else {
		LT_CHECK(strcmp(text, "devnull: seeded from timer jitter only, WEAK: "
		    "no virtio-rng device") == 0);
		LT_EQ(e->se_severity, _SLOG_WARNING);
	}
	return 0;
}

/* The boot has the device it claims, and devnull left it reset (no memory of ours). */
LTEST(rng, device_as_claimed_and_free)
{
	struct vdev vd[VIO_SLOTS];
	int n;

	LT_EQ(ThreadCtl(_NTO_TCTL_IO, 0), 0);
	n = vio_find(vd, VIO_SLOTS, VIRTIO_ID_ENTROPY);
	LT_EQ(n, want_virtio || want_mute);
	for (int i = 0; i < n; i++) {
		LT_EQ(vd[i].vd_id, VIRTIO_ID_ENTROPY);
		LT_EQ(*(volatile uint32_t *)(vd[i].vd_regs + VIO_STATUS), 0);
	}
	return 0;
}

/* 1.25 MiB from /dev/urandom: devnull reseeds after 1 MiB and keeps answering. */
LTEST(rng, reseed_after_a_mebibyte)
{
	static uint8_t b[4096], first[64];
	static char text[_SLOG_TEXT_MAX + 1];
	long ones = 0, total = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0)
		lt_printf("libcrng: /dev/urandom: %s\n", strerror(errno));
	LT_CHECK(fd >= 0);
	LT_EQ(read(fd, first, sizeof(first)), (long)sizeof(first));
	for (int i = 0; i < 320; i++) {
		LT_EQ(read(fd, b, sizeof(b)), (long)sizeof(b));
		LT_CHECK(memcmp(b, first, sizeof(first)) != 0);
		for (size_t j = 0; j < sizeof(b); j++)
			ones += __builtin_popcount(b[j]);
		total += 8 * (long)sizeof(b);
	}
	LT_EQ(close(fd), 0);
	LT_CHECK(labs(ones - total / 2) < 10000);	/* 10,485,760 bits: sigma 1620 */
	LT_CHECK(find_entry("devnull: virtio-rng stopped answering", text) == NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "virtio-rng") != 0 && strcmp(argv[1], "jitter") != 0 &&
	    strcmp(argv[1], "mute") != 0)) {
		lt_printf("usage: libcrng virtio-rng | jitter | mute\n");
		return 2;
	}
	want_virtio = strcmp(argv[1], "virtio-rng") == 0;
	want_mute = strcmp(argv[1], "mute") == 0;
	return lt_run_all() ? 1 : 0;
}
