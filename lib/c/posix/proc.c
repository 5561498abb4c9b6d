/*
 * The calling process: getpid.
 *
 * Skimmer has no "who am I" call, and taskman's protocol does not exist
 * yet, so the pid is learned once from the kernel: a connection to a
 * private channel of our own names our own process as the server
 * (ConnectServerInfo).  A process keeps its pid, so it is cached.
 */
#include <errno.h>
#include <sys/neutrino.h>
#include "px.h"

static int my_pid;

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
