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
