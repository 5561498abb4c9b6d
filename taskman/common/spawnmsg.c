/*
 * taskman/common/spawnmsg.c - _PROC_SPAWN decoding and the initial stack.
 * See spawnmsg.h.
 */
#include "spawnmsg.h"

#include <abi/errno.h>
#include <string.h>

#define PATH_LEN_MAX	1024
#define SPAWN_NAUXV	19	/* auxv pairs, AT_NULL included */

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Count the NUL-terminated strings filling exactly len bytes, or -1. */
static long
count_strings(const char *s, size_t len)
{
	long n = 0;

	if (len && s[len - 1] != '\0')
		return -1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\0';
	return n;
}

static int
fds_ok(const struct _proc_spawn_fd *f, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (f[i].sf_fd < 0 || f[i].sf_parent_fd < 0 || f[i].sf_pid <= 0 ||
		    f[i].sf_chid <= 0 || f[i].sf_flags != 0)
			return 0;
		for (uint32_t j = 0; j < i; j++)
			if (f[j].sf_fd == f[i].sf_fd)
				return 0;
	}
	return 1;
}

int
spawnmsg_decode(const void *msg, size_t len, struct spawn_req *r)
{
	const struct _proc_spawn *m = msg;
	const char *base = msg;
	size_t path_off = sizeof(*m), str_off, fd_off, end;

	if (len < sizeof(*m) || (m->type != _PROC_SPAWN && m->type != _PROC_EXEC) || m->subtype != 0 ||
	    (m->sp_flags & ~(uint32_t)_SPAWN_FLAGS_ALL))
		return -EINVAL;
	if ((m->sp_flags & _SPAWN_IMAGE) ? m->sp_image_len == 0 : m->sp_image_len != 0)
		return -EINVAL;
	if (m->sp_image_len > _SPAWN_IMAGE_MAX)
		return -E2BIG;
	if (m->sp_strings_len > _SPAWN_ARGS_MAX || m->sp_argc > _SPAWN_ARGC_MAX ||
	    m->sp_envc > _SPAWN_ARGC_MAX)
		return -E2BIG;
	if (m->sp_path_len < 2 || m->sp_path_len > PATH_LEN_MAX || m->sp_nfds > _SPAWN_FDS_MAX ||
	    m->sp_pgroup < 0)
		return -EINVAL;
	str_off = path_off + m->sp_path_len;
	fd_off = align8(str_off + m->sp_strings_len);
	end = fd_off + (size_t)m->sp_nfds * sizeof(struct _proc_spawn_fd);
	if (len != end)
		return -EINVAL;		/* short, or bytes nobody accounts for */
	r->sr_path = base + path_off;
	if (r->sr_path[0] != '/' || strnlen(r->sr_path, m->sp_path_len) != m->sp_path_len - 1u)
		return -EINVAL;
	r->sr_strings = base + str_off;
	if (count_strings(r->sr_strings, m->sp_strings_len) != (long)m->sp_argc + m->sp_envc)
		return -EINVAL;
	for (size_t i = str_off + m->sp_strings_len; i < fd_off; i++)
		if (base[i] != 0)
			return -EINVAL;	/* padding must be zero */
	r->sr_fds = (const struct _proc_spawn_fd *)(const void *)(base + fd_off);
	if (!fds_ok(r->sr_fds, m->sp_nfds))
		return -EINVAL;
	r->sr_msg = m;
	r->sr_strings_len = m->sp_strings_len;
	r->sr_argc = m->sp_argc;
	r->sr_envc = m->sp_envc;
	r->sr_nfds = m->sp_nfds;
	r->sr_stdio = NULL;
	r->sr_ctty = 0;
	return 0;
}

/* Stack building: a cursor moving down from the top of buf. */
struct cursor {
	uint8_t		*c_buf;
	size_t		c_size;
	size_t		c_used;		/* bytes below top in use */
	uint64_t	c_top;
};

/* Reserve n bytes (aligned to a) below what is used; their address, or 0. */
static uint64_t
push(struct cursor *c, const void *data, size_t n, size_t a)
{
	size_t used = (c->c_used + n + a - 1) & ~(a - 1);

	if (used > c->c_size || used < c->c_used)
		return 0;
	c->c_used = used;
	if (data)
		memcpy(c->c_buf + c->c_size - used, data, n);
	return c->c_top - used;
}

static void
put64(struct cursor *c, uint64_t va, uint64_t v)
{
	memcpy(c->c_buf + c->c_size - (c->c_top - va), &v, sizeof(v));
}

long
spawnmsg_stack(const struct spawn_req *r, const struct spawn_aux *aux,
    uint8_t *buf, size_t size, uint64_t top)
{
	struct cursor c = { buf, size, 0, top };
	uint64_t strs, execfn, rnd, fds = 0, sp, at, phdr = aux->sa_ph.ep_vaddr, stdio = 0, cwd = 0;
	size_t phbytes = (size_t)aux->sa_ph.ep_entsize * aux->sa_ph.ep_num;
	size_t nstr = (size_t)r->sr_argc + r->sr_envc, nptr, npath = strlen(r->sr_path) + 1;

	strs = push(&c, r->sr_strings, r->sr_strings_len, 1);
	execfn = push(&c, r->sr_path, npath, 1);
	rnd = push(&c, aux->sa_random, sizeof(aux->sa_random), 8);
	if (r->sr_stdio)
		stdio = push(&c, r->sr_stdio, strlen(r->sr_stdio) + 1, 1);
	if (aux->sa_cwd)
		cwd = push(&c, aux->sa_cwd, strlen(aux->sa_cwd) + 1, 1);
	if (r->sr_nfds)
		fds = push(&c, r->sr_fds, r->sr_nfds * sizeof(*r->sr_fds), 8);
	if (phdr == 0 && phbytes)
		phdr = push(&c, aux->sa_ph.ep_data, phbytes, 8);	/* not in a loaded segment */
	/* argc, argv + NULL, envp + NULL, the auxv pairs. */
	nptr = 1 + (r->sr_argc + 1) + (r->sr_envc + 1) + 2 * SPAWN_NAUXV;
	sp = push(&c, NULL, nptr * 8, 16);
	if ((r->sr_strings_len && strs == 0) || execfn == 0 || rnd == 0 || (r->sr_stdio && stdio == 0) ||
	    (aux->sa_cwd && cwd == 0) ||
	    (r->sr_nfds && fds == 0) || (phbytes && phdr == 0) || sp == 0)
		return -E2BIG;
	at = sp;
	put64(&c, at, r->sr_argc);
	at += 8;
	for (size_t i = 0, off = 0; i <= nstr; i++) {
		if (i == r->sr_argc) {
			put64(&c, at, 0);	/* the end of argv */
			at += 8;
		}
		if (i == nstr)
			break;
		put64(&c, at, strs + off);
		at += 8;
		off += strlen(r->sr_strings + off) + 1;
	}
	put64(&c, at, 0);		/* the end of envp */
	at += 8;
	const uint64_t auxv[SPAWN_NAUXV][2] = {
		{ _AT_PHDR, phdr }, { _AT_PHENT, aux->sa_ph.ep_entsize },
		{ _AT_PHNUM, aux->sa_ph.ep_num },
		{ _AT_PAGESZ, 4096 }, { _AT_ENTRY, aux->sa_entry },
		{ _AT_UID, (uint64_t)aux->sa_uid }, { _AT_EUID, (uint64_t)aux->sa_euid },
		{ _AT_GID, (uint64_t)aux->sa_gid }, { _AT_EGID, (uint64_t)aux->sa_egid },
		{ _AT_SECURE, 0 }, { _AT_RANDOM, rnd }, { _AT_EXECFN, execfn },
		{ _AT_QSOE_PPID, (uint64_t)aux->sa_ppid },
		{ _AT_QSOE_FDS, fds }, { _AT_QSOE_NFDS, r->sr_nfds },
		{ _AT_QSOE_STDIO, stdio }, { _AT_QSOE_CTTY, stdio ? (uint64_t)(r->sr_ctty != 0) : 0 },
		{ _AT_QSOE_CWD, cwd },
		{ _AT_NULL, 0 },
	};
	for (size_t i = 0; i < SPAWN_NAUXV; i++) {
		put64(&c, at, auxv[i][0]);
		put64(&c, at + 8, auxv[i][1]);
		at += 16;
	}
	return (long)c.c_used;
}
