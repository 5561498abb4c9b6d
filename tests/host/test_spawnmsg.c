// uses: taskman/common/spawnmsg.c
/*
 * Host tests of _PROC_SPAWN decoding and the initial stack
 * (taskman/common/spawnmsg.c): a well-formed message decodes; every
 * truncation, every wrong count and reserved field is refused; random
 * corruption never reads outside the message (exact-size buffers, ASan);
 * the stack has argc, argv, envp and auxv where musl's crt1 looks.
 */
#include "unit.h"
#include <errno.h>
#include "../../taskman/common/spawnmsg.h"

/* Pack a spawn message as libc would; returns its length. */
static size_t
pack(uint8_t *buf, const char *path, const char *const *argv, const char *const *envp,
    const struct _proc_spawn_fd *fds, int nfds)
{
	struct _proc_spawn *m = (struct _proc_spawn *)buf;
	size_t off = sizeof(*m), l;
	uint32_t argc = 0, envc = 0;

	memset(m, 0, sizeof(*m));
	m->type = _PROC_SPAWN;
	l = strlen(path) + 1;
	memcpy(buf + off, path, l);
	m->sp_path_len = (uint16_t)l;
	off += l;
	for (; argv && argv[argc]; argc++, off += l)
		memcpy(buf + off, argv[argc], l = strlen(argv[argc]) + 1);
	for (; envp && envp[envc]; envc++, off += l)
		memcpy(buf + off, envp[envc], l = strlen(envp[envc]) + 1);
	m->sp_strings_len = (uint32_t)(off - sizeof(*m) - m->sp_path_len);
	m->sp_argc = argc;
	m->sp_envc = envc;
	while (off & 7)
		buf[off++] = 0;
	if (nfds)
		memcpy(buf + off, fds, (size_t)nfds * sizeof(*fds));
	m->sp_nfds = (uint16_t)nfds;
	return off + (size_t)nfds * sizeof(*fds);
}

static const char *const ARGV[] = { "prog", "-x", "hello world", NULL };
static const char *const ENVP[] = { "PATH=/proc/boot", "HOME=/", NULL };
static const struct _proc_spawn_fd FDS[] = {
	{ .sf_fd = 0, .sf_parent_fd = 3, .sf_pid = 5, .sf_chid = 1, .sf_scoid = 9 },
	{ .sf_fd = 1, .sf_parent_fd = 4, .sf_pid = 5, .sf_chid = 1, .sf_scoid = 10 },
};

static uint64_t buf8[65536];

static int
decode_copy(const uint8_t *msg, size_t len, struct spawn_req *r)
{
	uint8_t *b = malloc(len ? len : 1);
	int rc;

	memcpy(b, msg, len);
	rc = spawnmsg_decode(b, len, r);
	free(b);
	return rc;
}

UNIT_TEST(decode_good)
{
	uint8_t *msg = (uint8_t *)buf8;
	size_t len = pack(msg, "/proc/boot/prog", ARGV, ENVP, FDS, 2);
	struct spawn_req r;

	CHECK_EQ(spawnmsg_decode(msg, len, &r), 0);
	CHECK_STR(r.sr_path, "/proc/boot/prog");
	CHECK_EQ(r.sr_argc, 3);
	CHECK_EQ(r.sr_envc, 2);
	CHECK_STR(r.sr_strings, "prog");
	CHECK_EQ(r.sr_nfds, 2);
	CHECK_EQ(r.sr_fds[1].sf_scoid, 10);
	len = pack(msg, "/p", NULL, NULL, NULL, 0);
	CHECK_EQ(spawnmsg_decode(msg, len, &r), 0);
	CHECK_EQ(r.sr_argc, 0);
}

UNIT_TEST(every_truncation_is_einval)
{
	uint8_t *msg = (uint8_t *)buf8;
	size_t len = pack(msg, "/proc/boot/prog", ARGV, ENVP, FDS, 2);
	struct spawn_req r;

	for (size_t cut = 0; cut < len; cut++)
		CHECK_EQ(decode_copy(msg, cut, &r), -EINVAL);
	CHECK_EQ(decode_copy(msg, len + 8, &r), -EINVAL);	/* extra bytes */
}

UNIT_TEST(bad_fields_are_refused)
{
	uint8_t *msg = (uint8_t *)buf8;
	struct _proc_spawn *m = (struct _proc_spawn *)msg;
	struct spawn_req r;
	size_t len;

#define RESET() (len = pack(msg, "/proc/boot/prog", ARGV, ENVP, FDS, 2))
	RESET(); m->type = _PROC_WAIT;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->subtype = 1;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_image_len = 1;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_flags = _SPAWN_IMAGE;	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_flags = _SPAWN_IMAGE; m->sp_image_len = _SPAWN_IMAGE_MAX + 1;
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -E2BIG);
	RESET(); m->sp_flags = _SPAWN_IMAGE; m->sp_image_len = 4096;
	CHECK_EQ(spawnmsg_decode(msg, len, &r), 0);
	CHECK_EQ(r.sr_msg->sp_image_len, 4096);
	RESET(); m->sp_flags = 0x100;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_argc = 4;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_envc = 1;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_argc = _SPAWN_ARGC_MAX + 1; CHECK_EQ(spawnmsg_decode(msg, len, &r), -E2BIG);
	RESET(); m->sp_strings_len = 0xffffffff; CHECK_EQ(spawnmsg_decode(msg, len, &r), -E2BIG);
	RESET(); m->sp_path_len = 0xffff;	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_path_len = 0;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_nfds = 0xffff;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); m->sp_pgroup = -1;		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); msg[sizeof(*m) + 3] = '\0';	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	RESET(); msg[sizeof(*m)] = 'p';		CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	/* The last string must end in a NUL. */
	RESET(); msg[sizeof(*m) + m->sp_path_len + m->sp_strings_len - 1] = 'x';
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	struct _proc_spawn_fd dup[2] = { FDS[0], FDS[0] };
	len = pack(msg, "/p", ARGV, NULL, dup, 2);
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	struct _proc_spawn_fd neg = FDS[0];
	neg.sf_fd = -1;
	len = pack(msg, "/p", ARGV, NULL, &neg, 1);
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	neg = FDS[0];
	neg.sf_flags = 1;
	len = pack(msg, "/p", ARGV, NULL, &neg, 1);
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
	len = pack(msg, "relative", ARGV, NULL, NULL, 0);
	CHECK_EQ(spawnmsg_decode(msg, len, &r), -EINVAL);
}

UNIT_TEST(fuzz_never_reads_outside)
{
	uint8_t *msg = (uint8_t *)buf8;
	size_t len = pack(msg, "/proc/boot/prog", ARGV, ENVP, FDS, 2);
	unsigned seed = 7;
	struct spawn_req r;

	for (int iter = 0; iter < 20000; iter++) {
		uint8_t *b = malloc(len);

		memcpy(b, msg, len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245 + 12345;
			b[(seed >> 8) % len] = (uint8_t)(seed >> 24);
		}
		int rc = spawnmsg_decode(b, len, &r);
		CHECK(rc == 0 || rc == -EINVAL || rc == -E2BIG);
		free(b);
	}
}

static uint64_t
at(const uint8_t *stk, size_t size, uint64_t top, uint64_t va)
{
	uint64_t v;

	memcpy(&v, stk + size - (top - va), 8);
	return v;
}

UNIT_TEST(stack_layout)
{
	uint8_t *msg = (uint8_t *)buf8;
	size_t len = pack(msg, "/proc/boot/prog", ARGV, ENVP, FDS, 2), size = 8192;
	struct spawn_req r;
	static const uint8_t phdrs[112] = { 1, 0, 0, 0, 5 };	/* two headers, the first PT_LOAD */
	struct spawn_aux aux = { .sa_entry = 0x10000, .sa_uid = 5, .sa_euid = 6, .sa_gid = 7,
	    .sa_egid = 8, .sa_ppid = 42, .sa_ph = { phdrs, 0, 56, 2 } };
	uint8_t *stk = calloc(1, size);
	uint64_t top = 0x3ff0000000UL, sp, p;
	long used;
	int found = 0;

	CHECK_EQ(spawnmsg_decode(msg, len, &r), 0);
	used = spawnmsg_stack(&r, &aux, stk, size, top);
	CHECK(used > 0 && (size_t)used <= size);
	sp = top - (uint64_t)used;
	CHECK_EQ(sp & 15, 0);
	CHECK_EQ(at(stk, size, top, sp), 3);				/* argc */
	for (int i = 0; i < 3; i++) {
		p = at(stk, size, top, sp + 8 + 8 * (uint64_t)i);
		CHECK(p > sp && p < top);
		CHECK_STR((const char *)stk + size - (top - p), ARGV[i]);
	}
	CHECK_EQ(at(stk, size, top, sp + 32), 0);			/* argv NULL */
	p = at(stk, size, top, sp + 40);
	CHECK_STR((const char *)stk + size - (top - p), "PATH=/proc/boot");
	CHECK_EQ(at(stk, size, top, sp + 56), 0);			/* envp NULL */
	for (uint64_t a = sp + 64;; a += 16) {
		uint64_t type = at(stk, size, top, a), val = at(stk, size, top, a + 8);

		if (type == _AT_NULL)
			break;
		found |= (type == _AT_ENTRY && val == 0x10000) << 0;
		found |= (type == _AT_PAGESZ && val == 4096) << 1;
		found |= (type == _AT_QSOE_PPID && val == 42) << 2;
		found |= (type == _AT_QSOE_NFDS && val == 2) << 3;
		if (type == _AT_EXECFN)
			found |= (strcmp((const char *)stk + size - (top - val), "/proc/boot/prog") == 0) << 4;
		if (type == _AT_QSOE_FDS) {
			struct _proc_spawn_fd f;

			memcpy(&f, stk + size - (top - val), sizeof(f));
			found |= (f.sf_parent_fd == 3 && (val & 7) == 0) << 5;
		}
		found |= (type == _AT_EUID && val == 6) << 6;
		if (type == _AT_PHDR)		/* copied to the stack, 8-aligned */
			found |= ((val & 7) == 0 && val > sp && val < top &&
			    memcmp(stk + size - (top - val), phdrs, sizeof(phdrs)) == 0) << 7;
		found |= (type == _AT_PHNUM && val == 2) << 8;
		found |= (type == _AT_PHENT && val == 56) << 9;
		CHECK(a < top);
	}
	CHECK_EQ(found, 0x3ff);
	/* Headers that a segment loads are pointed at, not copied. */
	aux.sa_ph.ep_vaddr = 0x10040;
	used = spawnmsg_stack(&r, &aux, stk, size, top);
	CHECK(used > 0);
	sp = top - (uint64_t)used;
	for (uint64_t a = sp + 64; at(stk, size, top, a) != _AT_NULL; a += 16)
		if (at(stk, size, top, a) == _AT_PHDR)
			CHECK_EQ(at(stk, size, top, a + 8), 0x10040);
	/* The script's reopen and [+session]: the path on the stack, the flag. */
	found = 0;
	r.sr_stdio = "/dev/console";
	r.sr_ctty = 1;
	used = spawnmsg_stack(&r, &aux, stk, size, top);
	CHECK(used > 0);
	sp = top - (uint64_t)used;
	for (uint64_t a = sp + 64; at(stk, size, top, a) != _AT_NULL; a += 16) {
		uint64_t type = at(stk, size, top, a), val = at(stk, size, top, a + 8);

		if (type == _AT_QSOE_STDIO)
			found |= (val > sp && val < top &&
			    strcmp((const char *)stk + size - (top - val), "/dev/console") == 0) << 0;
		found |= (type == _AT_QSOE_CTTY && val == 1) << 1;
		found |= (type == _AT_QSOE_CWD && val == 0) << 2;	/* no directory: "/" */
	}
	CHECK_EQ(found, 7);
	r.sr_stdio = NULL;
	/* The working directory taskman kept: a string on the stack. */
	found = 0;
	aux.sa_cwd = "/tmp/a dir";
	used = spawnmsg_stack(&r, &aux, stk, size, top);
	CHECK(used > 0);
	sp = top - (uint64_t)used;
	for (uint64_t a = sp + 64; at(stk, size, top, a) != _AT_NULL; a += 16) {
		uint64_t type = at(stk, size, top, a), val = at(stk, size, top, a + 8);

		if (type == _AT_QSOE_CWD)
			found |= (val > sp && val < top &&
			    strcmp((const char *)stk + size - (top - val), "/tmp/a dir") == 0) << 0;
		found |= (type == _AT_QSOE_STDIO && val == 0) << 1;
	}
	CHECK_EQ(found, 3);
	/* Too small a buffer: E2BIG, no overrun. */
	CHECK_EQ(spawnmsg_stack(&r, &aux, stk, 64, top), -E2BIG);
	free(stk);
}
