/*
 * The calling process: its ids.
 *
 * getpid works without taskman (the first process has none): Skimmer has
 * no "who am I" call, so the pid is learned once from the kernel - a
 * connection to a private channel of our own names our own process as the
 * server (ConnectServerInfo) - and cached.  The other ids are taskman's
 * (_PROC_GETSETID).
 */
#include <errno.h>
#include <sys/neutrino.h>
#include <sys/procmsg.h>
#include <sys/syscall.h>
#include "px.h"

static int my_pid;

/* In a fork child: the pid is the child's, learned again when asked. */
void __px_pid_forget(void)
{
	my_pid = 0;
}

/* SYS_getpid: the caller's pid, or -errno if the kernel cannot say. */
long __px_getpid(void)
{
	struct _server_info info;
	int pid = __atomic_load_n(&my_pid, __ATOMIC_RELAXED);
	int chid, coid;
	long r;

	if (pid > 0)
		return pid;
	chid = ChannelCreate_r(_NTO_CHF_PRIVATE);
	if (chid < 0)
		return chid;
	coid = ConnectAttach_r(0, 0, chid, _NTO_SIDE_CHANNEL, 0);
	r = coid;
	if (coid >= 0) {
		r = ConnectServerInfo_r(0, coid, &info);
		if (r == coid)
			r = info.pid > 0 ? info.pid : -ENOSYS;
		else if (r >= 0)
			r = -ENOSYS;	/* found another connection: cannot happen */
		ConnectDetach_r(coid);
	}
	ChannelDestroy_r(chid);
	if (r > 0)
		__atomic_store_n(&my_pid, (int)r, __ATOMIC_RELAXED);
	return r;
}

/* GETIDS of pid (0: the caller) into *ids: 0 or -errno. */
static long get_ids(int pid, struct _proc_ids *ids)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETIDS,
	    .gi_pid = pid };
	long r = __px_sysmgr_send(&m, sizeof(m), ids, sizeof(*ids));

	return r < 0 ? r : 0;
}

/* SYS_getppid. */
long __px_getppid(void)
{
	struct _proc_ids ids;
	long r = get_ids(0, &ids);

	return r < 0 ? r : ids.pi_ppid;
}

/*
 * SYS_getpgid, SYS_getsid (pid 0: the caller), and the caller's ids for
 * SYS_getuid, geteuid, getgid, getegid (which one: the syscall number).
 */
long __px_getid(int which, int pid)
{
	struct _proc_ids ids;
	long r = get_ids(pid, &ids);

	if (r < 0)
		return r;
	switch (which) {
	case SYS_getpgid:	return ids.pi_pgid;
	case SYS_getsid:	return ids.pi_sid;
	case SYS_getuid:	return ids.pi_ruid;
	case SYS_geteuid:	return ids.pi_euid;
	case SYS_getgid:	return ids.pi_rgid;
	case SYS_getegid:	return ids.pi_egid;
	default:		return -ENOSYS;
	}
}

/* SYS_getresuid/SYS_getresgid. */
long __px_getresid(int gid, unsigned *r, unsigned *e, unsigned *s)
{
	struct _proc_ids ids;
	long st = get_ids(0, &ids);

	if (st < 0)
		return st;
	*r = (unsigned)(gid ? ids.pi_rgid : ids.pi_ruid);
	*e = (unsigned)(gid ? ids.pi_egid : ids.pi_euid);
	*s = (unsigned)(gid ? ids.pi_sgid : ids.pi_suid);
	return 0;
}

/* SYS_getgroups: the count; with size > 0, the groups too (EINVAL if more than size). */
long __px_getgroups(int size, unsigned *list)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_GETGROUPS };
	int32_t g[_PROC_NGROUPS_MAX];
	long n;

	if (size < 0)
		return -EINVAL;
	n = __px_sysmgr_send(&m, sizeof(m), g, sizeof(g));
	if (n < 0 || size == 0)
		return n;
	if (n > size)
		return -EINVAL;
	for (long i = 0; i < n; i++)
		list[i] = (unsigned)g[i];
	return n;
}

/* SYS_setgroups: root only (taskman says EPERM); at most _PROC_NGROUPS_MAX. */
long __px_setgroups(size_t n, const unsigned *list)
{
	struct {
		struct _proc_getsetid h;
		int32_t g[_PROC_NGROUPS_MAX];
	} m = { .h = { .type = _PROC_GETSETID, .subtype = _PROC_ID_SETGROUPS } };

	if (n > _PROC_NGROUPS_MAX)
		return -EINVAL;
	m.h.gi_id[0] = (int32_t)n;
	for (size_t i = 0; i < n; i++)
		m.g[i] = (int32_t)list[i];
	return __px_sysmgr_send(&m, sizeof(m.h) + n * sizeof(int32_t), 0, 0);
}

/* SYS_setsid: the new session id. */
long __px_setsid(void)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_SETSID };

	return __px_sysmgr_send(&m, sizeof(m), 0, 0);
}

/* SYS_setpgid. */
long __px_setpgid(int pid, int pgid)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = _PROC_ID_SETPGID,
	    .gi_pid = pid, .gi_id = { pgid } };

	if (pid < 0 || pgid < 0)
		return -EINVAL;
	return __px_sysmgr_send(&m, sizeof(m), 0, 0);
}

/* SYS_setuid ... SYS_setresgid: subtype _PROC_ID_SET*, ids a, b, c (-1: unchanged). */
long __px_setid(int subtype, int a, int b, int c)
{
	struct _proc_getsetid m = { .type = _PROC_GETSETID, .subtype = (uint16_t)subtype,
	    .gi_id = { a, b, c } };
	long r = __px_sysmgr_send(&m, sizeof(m), 0, 0);

	return r < 0 ? r : 0;
}
