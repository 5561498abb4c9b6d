/*
 * tests/system/tmutil.h - what taskman's test programs (tmtest, tmproc)
 * share: the connection to taskman and the raw sys/procmsg.h requests,
 * packed as libc will pack them.  Define SELF (the program's path) first.
 */
#ifndef TMUTIL_H
#define TMUTIL_H

#include "utest.h"
#include <abi/neutrino.h>
#include <sys/iomsg.h>
#include <sys/procmsg.h>

#define KC(name, ...)	__kercall(__KER_##name, __VA_ARGS__)

static long sys_coid;			/* our connection to taskman */
static uint64_t *init_sp;		/* argc, argv, envp, auxv */

static inline long
sysmgr(const void *s, size_t sb, void *r, size_t rb)
{
	return KC(MsgSend, sys_coid, (long)s, (long)sb, (long)r, (long)rb, 0);
}

/* ---- spawn, wait and ids, as libc will do them ----------------------------- */

static uint64_t spawnbuf[24 * 1024 / 8];

/*
 * Build a _PROC_SPAWN (or _PROC_EXEC: the same layout) in spawnbuf: path,
 * argv/envp (NULL-terminated), flags and fds.  Returns its length.
 */
static inline size_t
pack_spawn(uint16_t type, const char *path, const char *const *argv, const char *const *envp,
    uint32_t flags, int pgroup, const struct _proc_spawn_fd *fds, int nfds)
{
	struct _proc_spawn *m = (struct _proc_spawn *)spawnbuf;
	char *p = (char *)(m + 1);
	size_t l;

	memset(spawnbuf, 0, sizeof(spawnbuf));
	m->type = type;
	m->sp_flags = flags;
	m->sp_pgroup = pgroup;
	l = strlen(path) + 1;
	memcpy(p, path, l);
	m->sp_path_len = (uint16_t)l;
	p += l;
	for (; argv && argv[m->sp_argc]; m->sp_argc++, p += l)
		memcpy(p, argv[m->sp_argc], l = strlen(argv[m->sp_argc]) + 1);
	for (; envp && envp[m->sp_envc]; m->sp_envc++, p += l)
		memcpy(p, envp[m->sp_envc], l = strlen(envp[m->sp_envc]) + 1);
	m->sp_strings_len = (uint32_t)(p - (char *)(m + 1) - m->sp_path_len);
	while ((p - (char *)m) & 7)
		p++;
	memcpy(p, fds, sizeof(*fds) * (size_t)nfds);
	m->sp_nfds = (uint16_t)nfds;
	p += sizeof(*fds) * (size_t)nfds;
	return (size_t)(p - (char *)m);
}

/* _PROC_SPAWN path with argv/envp (NULL-terminated) and fds; pid or -errno. */
static inline long
spawn_fl(const char *path, const char *const *argv, const char *const *envp, uint32_t flags,
    int pgroup, const struct _proc_spawn_fd *fds, int nfds)
{
	size_t len = pack_spawn(_PROC_SPAWN, path, argv, envp, flags, pgroup, fds, nfds);

	return sysmgr(spawnbuf, len, NULL, 0);
}

static inline long
spawn_role(const char *role, const char *arg)
{
	const char *argv[] = { SELF, role, arg, NULL };

	return spawn_fl(SELF, argv, NULL, 0, 0, NULL, 0);
}

static inline long
wait_id(int idtype, int id, int options, struct _proc_wait_reply *r)
{
	struct _proc_wait w = { .type = _PROC_WAIT, .wt_idtype = idtype, .wt_id = id,
	    .wt_options = options | _WAIT_WEXITED };

	memset(r, 0, sizeof(*r));
	return sysmgr(&w, sizeof(w), r, sizeof(*r));
}

static inline long
ids_of(int pid, struct _proc_ids *ids)
{
	struct _proc_getsetid g = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETIDS, .gi_pid = pid };

	return sysmgr(&g, sizeof(g), ids, sizeof(*ids));
}

static inline long
setid(int subtype, int pid, int id0)
{
	struct _proc_getsetid g = { .type = _PROC_GETSETID, .subtype = (uint16_t)subtype,
	    .gi_pid = pid, .gi_id = { id0 } };

	return sysmgr(&g, sizeof(g), NULL, 0);
}

/* Tell a "sleep" child (it receives on its channel 1) to exit with code 5. */
static inline long
wake_sleeper(long pid)
{
	long co = -1, rc;

	for (int i = 0; i < 200 && co < 0; i++) {
		co = KC(ConnectAttach, 0, pid, 1, 0, 0, 0);
		if (co < 0)
			rt_sleep_ms(10);	/* it has not created its channel yet */
	}
	if (co < 0)
		return co;
	rc = KC(MsgSend, co, (long)"bye", 4, 0, 0, 0);
	KC(ConnectDetach, co, 0, 0, 0, 0, 0);
	return rc;
}

static inline const char *
arg_str(int i)
{
	return (const char *)(uintptr_t)init_sp[1 + i];
}

static inline int
number(const char *s)
{
	int v = 0;

	while (s && *s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}


/* ---- the path manager ------------------------------------------------------------ */

static inline long
attach(const char *prefix, long chid, uint32_t handle, uint32_t flags)
{
	struct {
		struct _path_attach	a;
		char			path[128];
	} m = { .a = { .type = _PATH_ATTACH, .pa_flags = flags, .pa_chid = (int32_t)chid,
	    .pa_handle = handle } };

	m.a.pa_path_len = (uint16_t)(strlen(prefix) + 1);
	memcpy(m.path, prefix, m.a.pa_path_len);
	return sysmgr(&m, sizeof(m.a) + m.a.pa_path_len, NULL, 0);
}

static inline long
detach(long id)
{
	struct _path_detach d = { .type = _PATH_DETACH, .pd_id = (int32_t)id };

	return sysmgr(&d, sizeof(d), NULL, 0);
}

struct link_reply {
	struct _io_connect_link_reply	lr;
	struct _io_connect_entry	e[8];
};

/* _IO_CONNECT to coid with handle; the reply's status. */
static inline long
connect(long coid, uint32_t handle, uint16_t subtype, const char *path, uint32_t ioflag,
    struct link_reply *r)
{
	struct {
		struct _io_connect	c;
		char			path[256];
	} m = { .c = { .type = _IO_CONNECT, .subtype = subtype, .handle = handle,
	    .ioflag = ioflag, .reply_max = sizeof(*r), .entry_max = 8 } };

	m.c.path_len = (uint16_t)(strlen(path) + 1);
	memcpy(m.path, path, m.c.path_len);
	memset(r, 0, sizeof(*r));
	return KC(MsgSend, coid, (long)&m, (long)(sizeof(m.c) + m.c.path_len), (long)r,
	    sizeof(*r), 0);
}

/*
 * Is path attached by a server?  taskman's image at "/" matches every
 * path, after every other prefix: a link reply whose first entry is that
 * one means no server has the path.
 */
static inline int
attached(const char *path, struct link_reply *r)
{
	return connect(sys_coid, 0, _IO_CONNECT_OPEN, path, 0, r) == _IO_CONNECT_RET_LINK &&
	    r->lr.nentries >= 1 && !(r->e[0].pid == SYSMGR_PID && r->e[0].prefix_len == 1);
}

/*
 * Reach taskman: SYSMGR_COID if it is already there (after an exec, which
 * keeps it), else the first side channel, which is SYSMGR_COID.  0 or -1.
 */
static inline int
sysmgr_attach(void)
{
	struct _server_info si;

	if (KC(ConnectServerInfo, 0, SYSMGR_COID, (long)&si, 0, 0, 0) == SYSMGR_COID &&
	    si.pid == SYSMGR_PID) {
		sys_coid = SYSMGR_COID;
		return 0;
	}
	sys_coid = KC(ConnectAttach, 0, SYSMGR_PID, SYSMGR_CHID, _NTO_SIDE_CHANNEL, 0, 0);
	return sys_coid == SYSMGR_COID ? 0 : -1;
}

#endif
